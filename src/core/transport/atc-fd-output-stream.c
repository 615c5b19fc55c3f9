/* atc-fd-output-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atc-error.h"
#include "atc-fd-output-stream.h"
#include "atc-transport-private.h"

struct _AtcFdOutputStream
{
  GOutputStream  parent_instance;

  int            fd;
  /* send() with MSG_NOSIGNAL: a peer that went away must give EPIPE, not
   * kill the program with SIGPIPE. */
  gboolean       is_socket;
  GCancellable  *shutdown;
  AtcTransport  *transport; /* weak */
  char          *lost_message;
  gboolean       lost;
};

static void atc_fd_output_stream_pollable_iface_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtcFdOutputStream, atc_fd_output_stream, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      atc_fd_output_stream_pollable_iface_init))

static gssize
fail_lost (AtcFdOutputStream *self,
           GError           **error)
{
  g_autoptr (GError) lost = g_error_new_literal (ATC_ERROR, ATC_ERROR_DISCONNECTED,
                                                 self->lost_message);
  gboolean first = !self->lost;

  self->lost = TRUE;
  if (first && self->transport != NULL)
    atc_transport_link_lost (self->transport, lost);

  g_propagate_error (error, g_steal_pointer (&lost));
  return -1;
}

static gssize
try_write (AtcFdOutputStream *self,
           const void        *buffer,
           gsize              count,
           GError           **error)
{
  gssize n;
  int errsv;

  if (self->lost)
    return fail_lost (self, error);
  if (self->fd < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The connection was closed."));
      return -1;
    }

  do
    {
      if (self->is_socket)
        n = send (self->fd, buffer, count, MSG_NOSIGNAL);
      else
        n = write (self->fd, buffer, count);
    }
  while (n < 0 && errno == EINTR);
  errsv = errno;

  if (n > 0)
    return n;

  if (n == 0 || errsv == EAGAIN || errsv == EWOULDBLOCK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "output buffer full");
      return -1;
    }

  if (errsv == EBADF)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The connection was closed."));
      return -1;
    }

  g_debug ("link lost: write failed: %s", g_strerror (errsv));
  return fail_lost (self, error);
}

static gssize
atc_fd_output_stream_write_nonblocking (GPollableOutputStream *stream,
                                        const void            *buffer,
                                        gsize                  count,
                                        GError               **error)
{
  AtcFdOutputStream *self = ATC_FD_OUTPUT_STREAM (stream);

  if (count == 0)
    return 0;

  return try_write (self, buffer, count, error);
}

static gssize
atc_fd_output_stream_write (GOutputStream *stream,
                            const void    *buffer,
                            gsize          count,
                            GCancellable  *cancellable,
                            GError       **error)
{
  AtcFdOutputStream *self = ATC_FD_OUTPUT_STREAM (stream);

  if (count == 0)
    return 0;

  for (;;)
    {
      g_autoptr (GError) local_error = NULL;
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;

      n = try_write (self, buffer, count, &local_error);
      if (n >= 0)
        return n;
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }

      if (!atc_fd_wait (self->fd, POLLOUT, cancellable, self->shutdown, error))
        return -1;
    }
}

static gboolean
atc_fd_output_stream_close (GOutputStream *stream,
                            GCancellable  *cancellable,
                            GError       **error)
{
  /* The transport owns the fd. */
  return TRUE;
}

static gboolean
atc_fd_output_stream_can_poll (GPollableOutputStream *stream)
{
  return TRUE;
}

static gboolean
atc_fd_output_stream_is_writable (GPollableOutputStream *stream)
{
  AtcFdOutputStream *self = ATC_FD_OUTPUT_STREAM (stream);
  struct pollfd pfd = { self->fd, POLLOUT, 0 };

  if (self->lost || self->fd < 0)
    return TRUE;
  if (poll (&pfd, 1, 0) < 0)
    return TRUE;
  return (pfd.revents & (POLLOUT | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static GSource *
atc_fd_output_stream_create_source (GPollableOutputStream *stream,
                                    GCancellable          *cancellable)
{
  AtcFdOutputStream *self = ATC_FD_OUTPUT_STREAM (stream);
  g_autoptr (GSource) wake = NULL;
  g_autoptr (GSource) fd_source = NULL;
  GSource *source;

  if (self->lost || self->fd < 0)
    {
      g_autoptr (GSource) now = g_timeout_source_new (0);
      return g_pollable_source_new_full (self, now, cancellable);
    }

  source = g_pollable_source_new_full (self, NULL, cancellable);
  fd_source = g_unix_fd_source_new (self->fd, G_IO_OUT | G_IO_HUP | G_IO_ERR);
  g_source_set_dummy_callback (fd_source);
  g_source_add_child_source (source, fd_source);
  wake = g_cancellable_source_new (self->shutdown);
  g_source_set_dummy_callback (wake);
  g_source_add_child_source (source, wake);

  return source;
}

void
atc_fd_output_stream_shutdown (AtcFdOutputStream *self,
                               gboolean           lost)
{
  g_return_if_fail (ATC_IS_FD_OUTPUT_STREAM (self));

  if (lost)
    self->lost = TRUE;
  self->fd = -1;
  g_cancellable_cancel (self->shutdown);
}

static void
atc_fd_output_stream_finalize (GObject *object)
{
  AtcFdOutputStream *self = ATC_FD_OUTPUT_STREAM (object);

  g_clear_weak_pointer (&self->transport);
  g_clear_object (&self->shutdown);
  g_free (self->lost_message);

  G_OBJECT_CLASS (atc_fd_output_stream_parent_class)->finalize (object);
}

static void
atc_fd_output_stream_class_init (AtcFdOutputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = atc_fd_output_stream_finalize;

  stream_class->write_fn = atc_fd_output_stream_write;
  stream_class->close_fn = atc_fd_output_stream_close;
}

static void
atc_fd_output_stream_pollable_iface_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = atc_fd_output_stream_can_poll;
  iface->is_writable = atc_fd_output_stream_is_writable;
  iface->create_source = atc_fd_output_stream_create_source;
  iface->write_nonblocking = atc_fd_output_stream_write_nonblocking;
}

static void
atc_fd_output_stream_init (AtcFdOutputStream *self)
{
  self->fd = -1;
  self->shutdown = g_cancellable_new ();
}

GOutputStream *
atc_fd_output_stream_new (int           fd,
                          AtcTransport *transport,
                          const char   *lost_message)
{
  AtcFdOutputStream *self;
  struct stat st;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (transport == NULL || ATC_IS_TRANSPORT (transport), NULL);

  self = g_object_new (ATC_TYPE_FD_OUTPUT_STREAM, NULL);
  self->fd = fd;
  self->is_socket = fstat (fd, &st) == 0 && S_ISSOCK (st.st_mode);
  g_set_weak_pointer (&self->transport, transport);
  self->lost_message = g_strdup (lost_message ? lost_message : _("The link to the unit went away."));

  return G_OUTPUT_STREAM (self);
}
