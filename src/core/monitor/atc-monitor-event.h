/* atc-monitor-event.h: a change the monitor saw, with its time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Events are transitions between two consecutive samples (a link going up
 * or down, the network mode changing, the signal becoming unmeasurable or
 * measurable again) and what happened to the unit itself (lost, back).
 * They are immutable.
 */
#pragma once

#include <glib-object.h>

#include "atc-signal.h"

G_BEGIN_DECLS

typedef enum {
  ATC_MONITOR_EVENT_LINK_UP,          /* socket, new_value = ATC_LINK_UP */
  ATC_MONITOR_EVENT_LINK_DOWN,        /* socket, new_value = ATC_LINK_DOWN */
  ATC_MONITOR_EVENT_NET_MODE_CHANGED, /* old_value -> new_value (AtcNetMode) */
  ATC_MONITOR_EVENT_SIGNAL_LOST,      /* CSQ became 99 (unknown); old_value = last dBm */
  ATC_MONITOR_EVENT_SIGNAL_REGAINED,  /* CSQ measurable again; new_value = dBm */
  ATC_MONITOR_EVENT_UNIT_LOST,        /* unplugged, rebooted or not answering; see detail */
  ATC_MONITOR_EVENT_UNIT_BACK,        /* answering again after UNIT_LOST */
} AtcMonitorEventKind;

#define ATC_TYPE_MONITOR_EVENT (atc_monitor_event_get_type ())
G_DECLARE_FINAL_TYPE (AtcMonitorEvent, atc_monitor_event, ATC, MONITOR_EVENT, GObject)

/* `socket` is the socket index (-1 when the event is not about a socket),
 * `socket_name` its short name ("A", "" for the M0's single socket). */
AtcMonitorEvent     *atc_monitor_event_new              (AtcMonitorEventKind  kind,
                                                         gint64               time,
                                                         int                  socket,
                                                         const char          *socket_name,
                                                         int                  old_value,
                                                         int                  new_value,
                                                         const char          *detail);

AtcMonitorEventKind  atc_monitor_event_get_kind         (AtcMonitorEvent     *self);
/* Wall clock, µs since the epoch. */
gint64               atc_monitor_event_get_time         (AtcMonitorEvent     *self);
int                  atc_monitor_event_get_socket       (AtcMonitorEvent     *self);
const char          *atc_monitor_event_get_socket_name  (AtcMonitorEvent     *self);
int                  atc_monitor_event_get_old_value    (AtcMonitorEvent     *self);
int                  atc_monitor_event_get_new_value    (AtcMonitorEvent     *self);
/* Why the unit was lost (an error message), or NULL. */
const char          *atc_monitor_event_get_detail       (AtcMonitorEvent     *self);
/* A translated sentence for a technician: "Socket A link down". */
char                *atc_monitor_event_describe         (AtcMonitorEvent     *self);

/* Stable identifiers for exports: "link-up", "net-mode-changed" ... */
const char          *atc_monitor_event_kind_to_string   (AtcMonitorEventKind  kind);

G_END_DECLS
