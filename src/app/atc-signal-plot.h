/* atc-signal-plot.h: scrolling plot of signal strength over time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draws the measurable samples of an AtcHistory from `span` before the
 * newest sample up to it: dBm on the y axis (labelled, with a grid), time
 * on the x axis (relative ticks, the newest sample's clock time at the
 * right edge), breaks in the line where the signal was unknown or the
 * monitor paused or lost the unit. The line uses the theme's accent colour.
 *
 * It redraws when told a sample arrived (atc_signal_plot_update()), when
 * resized and when the style changes; never on a timer. Each draw walks
 * only the visible samples and emits at most a few points per pixel
 * column, however long the history.
 */
#pragma once

#include <gtk/gtk.h>

#include "atc-history.h"

G_BEGIN_DECLS

#define ATC_TYPE_SIGNAL_PLOT (atc_signal_plot_get_type ())
G_DECLARE_FINAL_TYPE (AtcSignalPlot, atc_signal_plot, ATC, SIGNAL_PLOT, GtkWidget)

GtkWidget  *atc_signal_plot_new               (void);

AtcHistory *atc_signal_plot_get_history       (AtcSignalPlot  *self);
void        atc_signal_plot_set_history       (AtcSignalPlot  *self,
                                               AtcHistory     *history);
/* Visible time window in µs (default one minute). */
gint64      atc_signal_plot_get_span          (AtcSignalPlot  *self);
void        atc_signal_plot_set_span          (AtcSignalPlot  *self,
                                               gint64          span);
/* The history changed (a sample arrived, it was cleared): redraw. */
void        atc_signal_plot_update            (AtcSignalPlot  *self);

/* Statistics of the measurable samples in the visible window. */
gboolean    atc_signal_plot_get_visible_stats (AtcSignalPlot  *self,
                                               AtcSignalStats *stats);
/* What the last draw showed: samples the line went through, and the
 * separate pieces of line (more than one when there were gaps). */
guint       atc_signal_plot_get_n_points      (AtcSignalPlot  *self);
guint       atc_signal_plot_get_n_segments    (AtcSignalPlot  *self);

G_END_DECLS
