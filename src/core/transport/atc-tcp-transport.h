/* atc-tcp-transport.h: a TCP link to a unit's socket or a serial server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Raw bytes, no telnet: the unit's own TCP server port, or a bridge such as
 * ser2net in raw mode. Line settings do not apply.
 */
#pragma once

#include "atc-transport.h"

G_BEGIN_DECLS

#define ATC_TYPE_TCP_TRANSPORT (atc_tcp_transport_get_type ())
G_DECLARE_FINAL_TYPE (AtcTcpTransport, atc_tcp_transport, ATC, TCP_TRANSPORT, AtcTransport)

#define ATC_TCP_DEFAULT_CONNECT_TIMEOUT 10 /* seconds */

AtcTransport *atc_tcp_transport_new                 (const AtcAddress *address);
/* Seconds to wait for the connection before ATC_ERROR_TIMEOUT. */
guint         atc_tcp_transport_get_connect_timeout (AtcTcpTransport  *self);
void          atc_tcp_transport_set_connect_timeout (AtcTcpTransport  *self,
                                                     guint             seconds);

G_END_DECLS
