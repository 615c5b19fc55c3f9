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

/* One side of a link on an fd the transport owns: the state and steps
 * the fd input and output streams share (atc-fd-link.c). */
typedef struct
{
  int           fd;
  /* Cancelled by shutdown, so that a pending wait or source wakes up. */
  GCancellable *shutdown;
  AtcTransport *transport; /* weak */
  char         *lost_message;
  gboolean      lost;
} AtcFdLink;

/* From the stream's init: no fd yet. */
void     atc_fd_link_init                  (AtcFdLink             *link);
/* lost_message: the text of the ATC_ERROR_DISCONNECTED error (NULL: a
 * general one); transport (weak, may be NULL) hears of the loss. */
void     atc_fd_link_attach                (AtcFdLink             *link,
                                            int                    fd,
                                            AtcTransport          *transport,
                                            const char            *lost_message);
void     atc_fd_link_clear                 (AtcFdLink             *link);
/* Let go of the fd and wake whoever waits on it. */
void     atc_fd_link_shutdown              (AtcFdLink             *link,
                                            gboolean               lost);
/* -1 with ATC_ERROR_DISCONNECTED; the first time, the transport is told. */
gssize   atc_fd_link_fail_lost             (AtcFdLink             *link,
                                            GError               **error);
/* -1 with G_IO_ERROR_CLOSED. */
gssize   atc_fd_link_fail_closed           (GError               **error);
/* Before each read or write: FALSE with the error of a lost or closed
 * link. */
gboolean atc_fd_link_check                 (AtcFdLink             *link,
                                            GError               **error);
/* For the blocking read and write, after a try that moved nothing (it
 * takes try_error): waits for events and says to try again, or stops
 * with the error of the try or of the wait. */
gboolean atc_fd_link_wait                  (AtcFdLink             *link,
                                            short                  events,
                                            GError                *try_error,
                                            GCancellable          *cancellable,
                                            GError               **error);
/* is_readable / is_writable: events (POLLIN, POLLOUT) or a hang-up. */
gboolean atc_fd_link_is_ready              (AtcFdLink             *link,
                                            short                  events);
/* create_source for the pollable stream: fires on condition (G_IO_IN,
 * G_IO_OUT), a hang-up, or the shutdown; at once when lost or closed. */
GSource *atc_fd_link_create_source         (AtcFdLink             *link,
                                            gpointer               stream,
                                            GIOCondition           condition,
                                            GCancellable          *cancellable);

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
/* atc_tty_open(), atc_tty_lock() and the line settings on the port at
 * device (resolved), named path in messages; -1 with an error, closed. */
int      atc_tty_open_configured           (const char            *device,
                                            const char            *path,
                                            const AtcLineSettings *line,
                                            GError               **error);

/* What the open thread of a port gets as task data. */
typedef struct
{
  char            *path;
  AtcLineSettings  line;
} AtcTtyOpenData;

/* Runs thread_func for task (taken) in a worker thread, with the path and
 * the transport's current line settings as AtcTtyOpenData. */
void     atc_tty_open_in_thread            (GTask                 *task,
                                            AtcTransport          *transport,
                                            const char            *path,
                                            GTaskThreadFunc        thread_func);
/* The stream on an opened port; its disconnection names path. */
GIOStream *atc_tty_wrap_fd                 (AtcTransport          *transport,
                                            int                    fd,
                                            const char            *path);

G_END_DECLS
