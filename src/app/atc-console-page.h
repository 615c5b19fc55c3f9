/* atc-console-page.h: raw AT terminal on the connected unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session's transaction log, live, and a command line: Enter sends it
 * as typed, Up/Down walk the history (shared with atconf-cli, never with a
 * secret in it), Tab completes command names from the unit's catalog.
 */
#pragma once

#include "atc-page.h"

G_BEGIN_DECLS

#define ATC_TYPE_CONSOLE_PAGE (atc_console_page_get_type ())
G_DECLARE_FINAL_TYPE (AtcConsolePage, atc_console_page, ATC, CONSOLE_PAGE, AtcPage)

/* Writes the transaction log as text to file without blocking; a toast
 * says where, a dialog what went wrong. The Save Log action ends here. */
void atc_console_page_save_log (AtcConsolePage *self,
                                GFile          *file);

G_END_DECLS
