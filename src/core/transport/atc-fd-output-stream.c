/* atc-fd-output-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atc-fd-output-stream.h"
#include "atc-transport-private.h"

struct _AtcFdOutputStream
{
  GOutputStream  parent_instance;

  AtcFdLink      link;
  /* send() with MSG_NOSIGNAL: a peer that went away must give EPIPE, not
   * kill the program with SIGPIPE. */
  gboolean       is_socket;
};

static void atc_fd_output_stream_pollable_iface_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtcFdOutputStream, atc_fd_output_stream, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      atc_fd_output_stream_pollable_iface_init))

static gssize
try_write (AtcFdOutputStream *self,
           const void        *buffer,
           gsize              count,
           GError           **error)
{
  gssize n;
  int errsv;

  if (!atc_fd_link_check (&self->link, error))
    return -1;

  do
    {
      if (self->is_socket)
        n = send (self->link.fd, buffer, count, MSG_NOSIGNAL);
      else
        n = write (self->link.fd, buffer, count);
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
    return atc_fd_link_fail_closed (error);

  g_debug ("link lost: write failed: %s", g_strerror (errsv));
  return atc_fd_link_fail_lost (&self->link, error);
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
      GError *local_error = NULL;
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;

      n = try_write (self, buffer, count, &local_error);
      if (n >= 0)
        return n;
      if (!atc_fd_link_wait (&self->link, POLLOUT, local_error, cancellable, error))
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

  return atc_fd_link_is_ready (&self->link, POLLOUT);
}

static GSource *
atc_fd_output_stream_create_source (GPollableOutputStream *stream,
                                    GCancellable          *cancellable)
{
  AtcFdOutputStream *self = ATC_FD_OUTPUT_STREAM (stream);

  return atc_fd_link_create_source (&self->link, self, G_IO_OUT, cancellable);
}

void
atc_fd_output_stream_shutdown (AtcFdOutputStream *self,
                               gboolean           lost)
{
  g_return_if_fail (ATC_IS_FD_OUTPUT_STREAM (self));

  atc_fd_link_shutdown (&self->link, lost);
}

static void
atc_fd_output_stream_finalize (GObject *object)
{
  AtcFdOutputStream *self = ATC_FD_OUTPUT_STREAM (object);

  atc_fd_link_clear (&self->link);

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
  atc_fd_link_init (&self->link);
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
  atc_fd_link_attach (&self->link, fd, transport, lost_message);
  self->is_socket = fstat (fd, &st) == 0 && S_ISSOCK (st.st_mode);

  return G_OUTPUT_STREAM (self);
}
