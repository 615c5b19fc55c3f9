/* atc-fd-input-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "atc-fd-input-stream.h"
#include "atc-transport-private.h"

struct _AtcFdInputStream
{
  GInputStream  parent_instance;

  AtcFdLink     link;
  gboolean      ack_at_once;
};

static void atc_fd_input_stream_pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtcFdInputStream, atc_fd_input_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      atc_fd_input_stream_pollable_iface_init))

static void
ack_at_once (int fd)
{
#ifdef TCP_QUICKACK
  int one = 1;

  setsockopt (fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#endif
}

/* One attempt: bytes read, or -1 with an error (G_IO_ERROR_WOULD_BLOCK when
 * nothing is there yet). */
static gssize
try_read (AtcFdInputStream *self,
          void             *buffer,
          gsize             count,
          GError          **error)
{
  struct pollfd pfd;
  gssize n;
  int errsv;
  int r;

  if (!atc_fd_link_check (&self->link, error))
    return -1;

  pfd.fd = self->link.fd;
  pfd.events = POLLIN;
  pfd.revents = 0;
  do
    r = poll (&pfd, 1, 0);
  while (r < 0 && errno == EINTR);

  if (r < 0)
    {
      errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "poll: %s",
                   g_strerror (errsv));
      return -1;
    }

  if (pfd.revents & POLLNVAL)
    return atc_fd_link_fail_closed (error);

  if ((pfd.revents & (POLLIN | POLLHUP | POLLERR)) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "no data yet");
      return -1;
    }

  do
    n = read (self->link.fd, buffer, count);
  while (n < 0 && errno == EINTR);
  errsv = errno;

  if (n > 0)
    {
      /* Linux leaves quick-ack mode by itself: ask again after each read,
       * so the next reply is acknowledged as it arrives. */
      if (self->ack_at_once)
        ack_at_once (self->link.fd);
      return n;
    }

  if (n < 0 && (errsv == EAGAIN || errsv == EWOULDBLOCK) &&
      (pfd.revents & (POLLHUP | POLLERR)) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "no data yet");
      return -1;
    }

  if (n < 0 && errsv == EBADF)
    return atc_fd_link_fail_closed (error);

  /* Readable yet empty (a hung-up tty, a socket at EOF), EIO from a pty
   * whose other end closed, a reset: the link is gone. Treating the empty
   * read as the end is what keeps a caller from spinning on it. */
  g_debug ("link lost: read returned %" G_GSSIZE_FORMAT " (%s), revents 0x%x", n,
           n < 0 ? g_strerror (errsv) : "end of file", (guint) pfd.revents);
  return atc_fd_link_fail_lost (&self->link, error);
}

static gssize
atc_fd_input_stream_read_nonblocking (GPollableInputStream *stream,
                                      void                 *buffer,
                                      gsize                 count,
                                      GError              **error)
{
  AtcFdInputStream *self = ATC_FD_INPUT_STREAM (stream);

  if (count == 0)
    return 0;

  return try_read (self, buffer, count, error);
}

static gssize
atc_fd_input_stream_read (GInputStream *stream,
                          void         *buffer,
                          gsize         count,
                          GCancellable *cancellable,
                          GError      **error)
{
  AtcFdInputStream *self = ATC_FD_INPUT_STREAM (stream);

  if (count == 0)
    return 0;

  for (;;)
    {
      GError *local_error = NULL;
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;

      n = try_read (self, buffer, count, &local_error);
      if (n >= 0)
        return n;
      if (!atc_fd_link_wait (&self->link, POLLIN, local_error, cancellable, error))
        return -1;
    }
}

static gboolean
atc_fd_input_stream_close (GInputStream *stream,
                           GCancellable *cancellable,
                           GError      **error)
{
  /* The transport owns the fd. */
  return TRUE;
}

static gboolean
atc_fd_input_stream_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
atc_fd_input_stream_is_readable (GPollableInputStream *stream)
{
  AtcFdInputStream *self = ATC_FD_INPUT_STREAM (stream);

  return atc_fd_link_is_ready (&self->link, POLLIN);
}

static GSource *
atc_fd_input_stream_create_source (GPollableInputStream *stream,
                                   GCancellable         *cancellable)
{
  AtcFdInputStream *self = ATC_FD_INPUT_STREAM (stream);

  return atc_fd_link_create_source (&self->link, self, G_IO_IN, cancellable);
}

void
atc_fd_input_stream_shutdown (AtcFdInputStream *self,
                              gboolean          lost)
{
  g_return_if_fail (ATC_IS_FD_INPUT_STREAM (self));

  atc_fd_link_shutdown (&self->link, lost);
}

void
atc_fd_input_stream_set_ack_at_once (AtcFdInputStream *self,
                                     gboolean          ack)
{
  g_return_if_fail (ATC_IS_FD_INPUT_STREAM (self));

  self->ack_at_once = ack;
  if (ack && self->link.fd >= 0)
    ack_at_once (self->link.fd);
}

gboolean
atc_fd_input_stream_is_lost (AtcFdInputStream *self)
{
  g_return_val_if_fail (ATC_IS_FD_INPUT_STREAM (self), FALSE);

  return self->link.lost;
}

static void
atc_fd_input_stream_finalize (GObject *object)
{
  AtcFdInputStream *self = ATC_FD_INPUT_STREAM (object);

  atc_fd_link_clear (&self->link);

  G_OBJECT_CLASS (atc_fd_input_stream_parent_class)->finalize (object);
}

static void
atc_fd_input_stream_class_init (AtcFdInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = atc_fd_input_stream_finalize;

  stream_class->read_fn = atc_fd_input_stream_read;
  stream_class->close_fn = atc_fd_input_stream_close;
}

static void
atc_fd_input_stream_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = atc_fd_input_stream_can_poll;
  iface->is_readable = atc_fd_input_stream_is_readable;
  iface->create_source = atc_fd_input_stream_create_source;
  iface->read_nonblocking = atc_fd_input_stream_read_nonblocking;
}

static void
atc_fd_input_stream_init (AtcFdInputStream *self)
{
  atc_fd_link_init (&self->link);
}

GInputStream *
atc_fd_input_stream_new (int           fd,
                         AtcTransport *transport,
                         const char   *lost_message)
{
  AtcFdInputStream *self;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (transport == NULL || ATC_IS_TRANSPORT (transport), NULL);

  self = g_object_new (ATC_TYPE_FD_INPUT_STREAM, NULL);
  atc_fd_link_attach (&self->link, fd, transport, lost_message);

  return G_INPUT_STREAM (self);
}
