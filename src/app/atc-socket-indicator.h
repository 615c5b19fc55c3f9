/* atc-socket-indicator.h: one socket's link, up or down, and for how long
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row for the monitor page: a status dot, "Socket A", then "Up for 3 min"
 * or "Down since 12:01:05" over where the socket connects to ("TCP client ·
 * test.usr.cn:2317"). It follows the link from the samples it is fed;
 * when it did not see the last change (the first reading, a disabled
 * socket coming back) it says "or more" / "or earlier".
 */
#pragma once

#include <adwaita.h>

#include "atc-sample.h"

G_BEGIN_DECLS

#define ATC_TYPE_SOCKET_INDICATOR (atc_socket_indicator_get_type ())
G_DECLARE_FINAL_TYPE (AtcSocketIndicator, atc_socket_indicator, ATC, SOCKET_INDICATOR, AdwActionRow)

/* name: "A".."D", or "" for a model's single socket. */
GtkWidget    *atc_socket_indicator_new          (const char         *name);
const char   *atc_socket_indicator_get_name     (AtcSocketIndicator *self);
/* What the socket is set to, e.g. "TCP client · test.usr.cn:2317". */
void          atc_socket_indicator_set_endpoint (AtcSocketIndicator *self,
                                                 const char         *endpoint);
const char   *atc_socket_indicator_get_endpoint (AtcSocketIndicator *self);
/* One sample's reading of the link; `time` is the sample's (µs since the
 * epoch), `after_gap` says readings were missed just before it. */
void          atc_socket_indicator_update       (AtcSocketIndicator *self,
                                                 AtcLinkState        state,
                                                 gint64              time,
                                                 gboolean            after_gap);
AtcLinkState  atc_socket_indicator_get_state    (AtcSocketIndicator *self);
/* "Up for 3 min", "Down since 12:01:05", "Not read". */
const char   *atc_socket_indicator_get_status   (AtcSocketIndicator *self);

G_END_DECLS
