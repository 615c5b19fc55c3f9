/* atc-log-view.h: a transaction log, live, newest at the bottom
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per AtcLogEntry: time, direction (sent, received, event) and the
 * text in monospace with the spelled-out control bytes dimmed. It follows
 * the newest entry unless the technician scrolled up to read; a button
 * brings them back down. The entries are redacted by the session already.
 */
#pragma once

#include <adwaita.h>

#include "atc-transaction-log.h"

G_BEGIN_DECLS

#define ATC_TYPE_LOG_VIEW (atc_log_view_get_type ())
G_DECLARE_FINAL_TYPE (AtcLogView, atc_log_view, ATC, LOG_VIEW, AdwBin)

GtkWidget         *atc_log_view_new           (void);
AtcTransactionLog *atc_log_view_get_log       (AtcLogView        *self);
void               atc_log_view_set_log       (AtcLogView        *self,
                                               AtcTransactionLog *log);
/* Shows the newest entry and follows new ones again. */
void               atc_log_view_scroll_to_end (AtcLogView        *self);
/* FALSE while the technician has scrolled up. */
gboolean           atc_log_view_get_following (AtcLogView        *self);

/* "<CR><LF>" and "<1B>" dimmed, the rest escaped: Pango markup for a row. */
char              *atc_log_view_markup        (const char        *text);

G_END_DECLS
