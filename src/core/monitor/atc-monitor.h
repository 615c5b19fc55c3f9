/* atc-monitor.h: live status polling of one unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AtcMonitor polls the model's live-status commands (the catalog's
 * `live_status` flag: CSQ, NETMODE and SOCKxLK on the G781, SOCKLK on the
 * M0) through an AtcSession it shares with configuration work. A socket's
 * link is polled only while the socket is enabled (SOCKxEN, read at start
 * and on atc_monitor_refresh_sockets()).
 *
 * Polls never overlap: the next one starts `interval` after the previous
 * one started, or as soon as it completed when it took longer; with an
 * interval of 0 it starts as soon as the previous one completed. A poll
 * queues its few commands at once, so configuration commands wait at most
 * one poll.
 *
 * Each poll becomes an AtcSample in the history (see atc-history.h) and
 * the ::sample signal; changes between consecutive samples become
 * AtcMonitorEvents (::event and the events list).
 *
 * When the unit is unplugged, reboots or stops answering, the state turns
 * to ATC_MONITOR_LOST (with an event), the history is kept, and the monitor
 * reconnects the session by itself with exponential back-off (0.5 s
 * doubling to 10 s by default), then carries on polling. Stop the monitor
 * before closing the session on purpose, or it will open it again.
 */
#pragma once

#include <gio/gio.h>

#include "atc-history.h"
#include "atc-monitor-event.h"
#include "atc-sample.h"
#include "atc-session.h"

G_BEGIN_DECLS

typedef enum {
  ATC_MONITOR_STOPPED,   /* not started, or stopped */
  ATC_MONITOR_STARTING,  /* connecting, reading which sockets are enabled */
  ATC_MONITOR_RUNNING,   /* polling */
  ATC_MONITOR_PAUSED,    /* started but not polling until resumed */
  ATC_MONITOR_LOST,      /* the unit went away: reconnecting with back-off */
} AtcMonitorState;

GType atc_monitor_state_get_type (void) G_GNUC_CONST;
#define ATC_TYPE_MONITOR_STATE (atc_monitor_state_get_type ())

#define ATC_MONITOR_DEFAULT_INTERVAL_MS      1000
#define ATC_MONITOR_DEFAULT_RECONNECT_MIN_MS 500
#define ATC_MONITOR_DEFAULT_RECONNECT_MAX_MS 10000
/* The events list keeps the newest this many. */
#define ATC_MONITOR_MAX_EVENTS               10000

#define ATC_TYPE_MONITOR (atc_monitor_get_type ())
G_DECLARE_FINAL_TYPE (AtcMonitor, atc_monitor, ATC, MONITOR, GObject)

/* A history of ATC_HISTORY_DEFAULT_CAPACITY samples. */
AtcMonitor       *atc_monitor_new                  (AtcSession          *session);
AtcMonitor       *atc_monitor_new_with_capacity    (AtcSession          *session,
                                                    guint                capacity);

AtcSession       *atc_monitor_get_session          (AtcMonitor          *self);
AtcMonitorState   atc_monitor_get_state            (AtcMonitor          *self);
const char       *atc_monitor_state_to_string      (AtcMonitorState      state);
AtcHistory       *atc_monitor_get_history          (AtcMonitor          *self);
/* GListModel of AtcMonitorEvent, oldest first. */
GListModel       *atc_monitor_get_events           (AtcMonitor          *self);
/* The newest sample, or NULL before the first one. */
const AtcSample  *atc_monitor_get_last_sample      (AtcMonitor          *self);

/* Milliseconds between poll starts; 0 polls as fast as the unit answers. */
guint             atc_monitor_get_interval         (AtcMonitor          *self);
void              atc_monitor_set_interval         (AtcMonitor          *self,
                                                    guint                interval_ms);
/* First and longest wait between reconnection attempts. */
void              atc_monitor_set_reconnect_delays (AtcMonitor          *self,
                                                    guint                first_ms,
                                                    guint                max_ms);

/* The model's sockets with a link status, in sample slot order. Known once
 * started. Names are "A".."D" (G781) or "" (the M0's single socket). */
guint             atc_monitor_get_n_sockets        (AtcMonitor          *self);
const char       *atc_monitor_get_socket_name      (AtcMonitor          *self,
                                                    guint                socket);
gboolean          atc_monitor_get_socket_enabled   (AtcMonitor          *self,
                                                    guint                socket);
/* Polls completed since creation (samples taken). */
guint64           atc_monitor_get_n_polls          (AtcMonitor          *self);

/* Connects the session if needed (detecting the model when it has none),
 * reads which sockets are enabled and takes the first sample; completes
 * then, or with the error that prevented it (the monitor is then stopped).
 * Polling goes on until atc_monitor_stop(). Starting again after a stop
 * appends to the same history. */
void              atc_monitor_start_async          (AtcMonitor          *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          atc_monitor_start_finish         (AtcMonitor          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* Cancels the poll in flight and any reconnection; the history stays. */
void              atc_monitor_stop                 (AtcMonitor          *self);
/* A poll in flight completes and is recorded; no other starts until
 * resumed. Resuming polls at once; the next sample is marked as following
 * a gap. */
void              atc_monitor_pause                (AtcMonitor          *self);
void              atc_monitor_resume               (AtcMonitor          *self);
/* Read SOCKxEN again before the next poll (after the sockets were
 * reconfigured). */
void              atc_monitor_refresh_sockets      (AtcMonitor          *self);
/* Empties the history and the events. */
void              atc_monitor_clear                (AtcMonitor          *self);

G_END_DECLS
