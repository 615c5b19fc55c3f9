/* atc-serial-transport.h: a serial port opened with libserialport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libserialport opens and configures the port; its fd is then driven
 * through GIO (sp_get_port_handle). A /dev/serial/by-id/ link is resolved
 * first, since 0.1.1 cannot open links; what it still cannot open goes
 * through termios (atc-tty-transport.h).
 */
#pragma once

#include "atc-transport.h"

G_BEGIN_DECLS

#define ATC_TYPE_SERIAL_TRANSPORT (atc_serial_transport_get_type ())
G_DECLARE_FINAL_TYPE (AtcSerialTransport, atc_serial_transport, ATC, SERIAL_TRANSPORT,
                      AtcTransport)

AtcTransport *atc_serial_transport_new                (const AtcAddress *address);
/* TRUE when path exists but libserialport cannot open it (a pty, a link
 * to one, a tty outside /sys/class/tty): use the termios transport. */
gboolean      atc_serial_transport_should_use_termios (const char       *path);

G_END_DECLS
