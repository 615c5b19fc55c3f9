/* atc-fd-output-stream.h: the pollable output side of a serial, pty or socket fd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes may be partial (a tty buffer holds a few kilobytes); a write to a
 * link that went away (EIO, EPIPE, a reset) fails with
 * ATC_ERROR_DISCONNECTED. The fd belongs to the transport.
 */
#pragma once

#include <gio/gio.h>

#include "atc-transport.h"

G_BEGIN_DECLS

#define ATC_TYPE_FD_OUTPUT_STREAM (atc_fd_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (AtcFdOutputStream, atc_fd_output_stream, ATC, FD_OUTPUT_STREAM, GOutputStream)

GOutputStream *atc_fd_output_stream_new      (int                fd,
                                              AtcTransport      *transport,
                                              const char        *lost_message);
/* Let go of the fd: a pending write wakes up and fails with
 * ATC_ERROR_DISCONNECTED when lost, else G_IO_ERROR_CLOSED. */
void           atc_fd_output_stream_shutdown (AtcFdOutputStream *self,
                                              gboolean           lost);

G_END_DECLS
