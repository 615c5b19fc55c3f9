/* atc-transport-private.h: what the transports of this folder share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atc-transport.h"

G_BEGIN_DECLS

/* From the fd streams: the link is gone. ::disconnected follows from an
 * idle callback, so that handlers never run inside a stream read. */
void     atc_transport_link_lost           (AtcTransport          *self,
                                            const GError          *error);

/* Blocks until fd reports one of events (or a hang-up/error), or until
 * cancellable (error) or shutdown (success: the caller sees the closed
 * stream) is cancelled. */
gboolean atc_fd_wait                       (int                    fd,
                                            short                  events,
                                            GCancellable          *cancellable,
                                            GCancellable          *shutdown,
                                            GError               **error);

/* termios helpers (atc-tty-transport.c), also used by the serial transport
 * for the paths libserialport 0.1.1 cannot open. */
int      atc_tty_open                      (const char            *path,
                                            GError               **error);
gboolean atc_tty_apply_line_settings       (int                    fd,
                                            const char            *path,
                                            const AtcLineSettings *settings,
                                            GError               **error);
/* Refuses a port that minicom, cu, ser2net... have locked with a UUCP
 * lock file in lock_dir (NULL: /run/lock) held by a live process. Call it
 * before opening: opening reconfigures the port under the other program. */
gboolean atc_tty_check_lock_files          (const char            *path,
                                            const char            *lock_dir,
                                            GError               **error);
/* Takes an exclusive advisory lock on the open port, so that a second
 * Atconf gets ATC_ERROR_BUSY instead of sharing the line. */
gboolean atc_tty_lock                      (int                    fd,
                                            const char            *path,
                                            GError               **error);
/* A UNIX 98 pty slave: it takes any rate and has no line to hang up. */
gboolean atc_tty_is_pty                    (int                    fd);
/* The ATC_ERROR_DISCONNECTED text for a port. */
char    *atc_tty_lost_message              (const char            *path,
                                            gboolean               is_pty);

G_END_DECLS
