/* atc-signal-bars.h: a 0..4 bar signal strength indicator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Four rising bars, as many filled as the signal is worth (in the accent
 * colour, like the plot); none when the signal is unknown. Scales to its
 * allocation, so the page can show it large.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ATC_SIGNAL_BARS_UNKNOWN (-1)

#define ATC_TYPE_SIGNAL_BARS (atc_signal_bars_get_type ())
G_DECLARE_FINAL_TYPE (AtcSignalBars, atc_signal_bars, ATC, SIGNAL_BARS, GtkWidget)

GtkWidget *atc_signal_bars_new      (void);
/* 0..4, or ATC_SIGNAL_BARS_UNKNOWN. */
int        atc_signal_bars_get_bars (AtcSignalBars *self);
void       atc_signal_bars_set_bars (AtcSignalBars *self,
                                     int            bars);

G_END_DECLS
