/* atc-monitor-page.h: live signal, network, sockets and events of the unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * While a session is set and the page is shown, it runs an AtcMonitor on
 * the session (interval from the monitor-interval setting; paused while
 * the page is hidden, so the console and configuration have the unit to
 * themselves) and shows the newest reading: signal in
 * dBm and bars with a scrolling plot and network mode when the model
 * reports CSQ, the link state otherwise; one indicator per enabled socket;
 * the monitor's events, newest first. Pause/resume (Space, Ctrl+P) and
 * CSV export are page actions (monitor.toggle-pause, monitor.export).
 */
#pragma once

#include "atc-monitor.h"
#include "atc-page.h"

G_BEGIN_DECLS

#define ATC_TYPE_MONITOR_PAGE (atc_monitor_page_get_type ())
G_DECLARE_FINAL_TYPE (AtcMonitorPage, atc_monitor_page, ATC, MONITOR_PAGE, AtcPage)

/* The monitor of the current session, or NULL without one. */
AtcMonitor *atc_monitor_page_get_monitor  (AtcMonitorPage       *self);
/* Writes the history as CSV to `file`, as the export action does after
 * asking where. */
void        atc_monitor_page_export_async (AtcMonitorPage       *self,
                                           GFile                *file,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    atc_monitor_page_export_finish (AtcMonitorPage      *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
