/* atc-tty-transport.h: a terminal device driven with termios
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For pseudo-terminals (the simulator, socat, ser2net's other side) and for
 * device paths libserialport 0.1.1 cannot open. Raw mode, VMIN = VTIME = 0,
 * O_NOCTTY | O_NONBLOCK. A pty accepts and remembers any baud rate.
 */
#pragma once

#include "atc-transport.h"

G_BEGIN_DECLS

#define ATC_TYPE_TTY_TRANSPORT (atc_tty_transport_get_type ())
G_DECLARE_FINAL_TYPE (AtcTtyTransport, atc_tty_transport, ATC, TTY_TRANSPORT, AtcTransport)

/* address: a SERIAL or PTY address. */
AtcTransport *atc_tty_transport_new (const AtcAddress *address);

G_END_DECLS
