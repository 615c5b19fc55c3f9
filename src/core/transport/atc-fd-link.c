/* atc-fd-link.c: what the fd input and output streams share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <poll.h>

#include "atc-error.h"
#include "atc-transport-private.h"

void
atc_fd_link_init (AtcFdLink *link)
{
  link->fd = -1;
  link->shutdown = g_cancellable_new ();
}

void
atc_fd_link_attach (AtcFdLink    *link,
                    int           fd,
                    AtcTransport *transport,
                    const char   *lost_message)
{
  link->fd = fd;
  g_set_weak_pointer (&link->transport, transport);
  link->lost_message = g_strdup (lost_message ? lost_message : _("The link to the unit went away."));
}

void
atc_fd_link_clear (AtcFdLink *link)
{
  g_clear_weak_pointer (&link->transport);
  g_clear_object (&link->shutdown);
  g_clear_pointer (&link->lost_message, g_free);
}

void
atc_fd_link_shutdown (AtcFdLink *link,
                      gboolean   lost)
{
  if (lost)
    link->lost = TRUE;
  link->fd = -1;
  g_cancellable_cancel (link->shutdown);
}

gssize
atc_fd_link_fail_lost (AtcFdLink  *link,
                       GError    **error)
{
  g_autoptr (GError) lost = g_error_new_literal (ATC_ERROR, ATC_ERROR_DISCONNECTED,
                                                 link->lost_message);
  gboolean first = !link->lost;

  link->lost = TRUE;
  if (first && link->transport != NULL)
    atc_transport_link_lost (link->transport, lost);

  g_propagate_error (error, g_steal_pointer (&lost));
  return -1;
}

gssize
atc_fd_link_fail_closed (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The connection was closed."));
  return -1;
}

gboolean
atc_fd_link_check (AtcFdLink  *link,
                   GError    **error)
{
  if (link->lost)
    {
      atc_fd_link_fail_lost (link, error);
      return FALSE;
    }
  if (link->fd < 0)
    {
      atc_fd_link_fail_closed (error);
      return FALSE;
    }
  return TRUE;
}

gboolean
atc_fd_link_wait (AtcFdLink     *link,
                  short          events,
                  GError        *try_error,
                  GCancellable  *cancellable,
                  GError       **error)
{
  if (!g_error_matches (try_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      g_propagate_error (error, try_error);
      return FALSE;
    }
  g_error_free (try_error);

  return atc_fd_wait (link->fd, events, cancellable, link->shutdown, error);
}

gboolean
atc_fd_link_is_ready (AtcFdLink *link,
                      short      events)
{
  struct pollfd pfd = { link->fd, events, 0 };

  /* A lost or closed stream is ready: the read or write reports why at
   * once. */
  if (link->lost || link->fd < 0)
    return TRUE;
  if (poll (&pfd, 1, 0) < 0)
    return TRUE;
  return (pfd.revents & (events | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

GSource *
atc_fd_link_create_source (AtcFdLink    *link,
                           gpointer      stream,
                           GIOCondition  condition,
                           GCancellable *cancellable)
{
  g_autoptr (GSource) wake = NULL;
  g_autoptr (GSource) fd_source = NULL;
  GSource *source;

  if (link->lost || link->fd < 0)
    {
      g_autoptr (GSource) now = g_timeout_source_new (0);
      return g_pollable_source_new_full (stream, now, cancellable);
    }

  source = g_pollable_source_new_full (stream, NULL, cancellable);
  fd_source = g_unix_fd_source_new (link->fd, condition | G_IO_HUP | G_IO_ERR);
  g_source_set_dummy_callback (fd_source);
  g_source_add_child_source (source, fd_source);
  wake = g_cancellable_source_new (link->shutdown);
  g_source_set_dummy_callback (wake);
  g_source_add_child_source (source, wake);

  return source;
}
