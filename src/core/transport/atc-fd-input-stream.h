/* atc-fd-input-stream.h: the pollable input side of a serial, pty or socket fd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads only after poll() says the fd is readable, because a raw tty with
 * VMIN = VTIME = 0 answers read() with 0 both for "nothing yet" and for a
 * vanished device. A hang-up, an error or "readable but empty" ends the
 * link: that read and every later one fail with ATC_ERROR_DISCONNECTED.
 * The fd belongs to the transport; the stream never closes it.
 */
#pragma once

#include <gio/gio.h>

#include "atc-transport.h"

G_BEGIN_DECLS

#define ATC_TYPE_FD_INPUT_STREAM (atc_fd_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (AtcFdInputStream, atc_fd_input_stream, ATC, FD_INPUT_STREAM, GInputStream)

/* lost_message: the text of the ATC_ERROR_DISCONNECTED error; transport
 * (weak, may be NULL) hears of the loss through atc_transport_link_lost(). */
GInputStream *atc_fd_input_stream_new      (int               fd,
                                            AtcTransport     *transport,
                                            const char       *lost_message);
/* Let go of the fd: a pending read wakes up and fails with
 * ATC_ERROR_DISCONNECTED when lost, else G_IO_ERROR_CLOSED. */
void          atc_fd_input_stream_shutdown (AtcFdInputStream *self,
                                            gboolean          lost);
gboolean      atc_fd_input_stream_is_lost  (AtcFdInputStream *self);
/* TCP: acknowledge what arrives at once (TCP_QUICKACK, renewed after each
 * read) instead of delaying the ACK. A bridge with Nagle's algorithm on
 * (ser2net's default) holds a unit's reply until its echo is acknowledged;
 * a delayed ACK would add up to 40 ms to every command. */
void          atc_fd_input_stream_set_ack_at_once (AtcFdInputStream *self,
                                                   gboolean          ack);

G_END_DECLS
