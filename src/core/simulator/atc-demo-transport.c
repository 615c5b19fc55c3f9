/* atc-demo-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "atc-catalog.h"
#include "atc-demo-transport.h"
#include "atc-error.h"

struct _AtcDemoTransport
{
  AtcTransport  parent_instance;

  AtcSimulator *simulator;
  int           fd;          /* the host's end of the socket pair, -1 when closed */
};

G_DEFINE_FINAL_TYPE (AtcDemoTransport, atc_demo_transport, ATC_TYPE_TRANSPORT)

static void
atc_demo_transport_open_async (AtcTransport        *transport,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  AtcDemoTransport *self = ATC_DEMO_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atc_demo_transport_open_async);

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_FAILED,
                               _("Cannot start the demo unit: %s. Close some programs or "
                                 "raise the limit of open files, then try again."),
                               g_strerror (saved_errno));
      return;
    }

  if (!g_unix_set_fd_nonblocking (fds[0], TRUE, &error) ||
      (socket = g_socket_new_from_fd (fds[1], &error)) == NULL)
    {
      close (fds[0]);
      close (fds[1]);
      g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_FAILED,
                               _("Cannot start the demo unit: %s"), error->message);
      return;
    }

  /* The unit's end: the simulator reads and answers on it. */
  connection = g_socket_connection_factory_create_connection (socket);
  atc_simulator_attach_stream (self->simulator, G_IO_STREAM (connection));

  self->fd = fds[0];
  g_task_return_pointer (task,
                         atc_transport_wrap_fd (transport, self->fd,
                                                _("The demo unit stopped answering: its "
                                                  "link was closed. Connect again.")),
                         g_object_unref);
}

static GIOStream *
atc_demo_transport_open_finish (AtcTransport  *transport,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
atc_demo_transport_close (AtcTransport *transport)
{
  AtcDemoTransport *self = ATC_DEMO_TRANSPORT (transport);

  /* The unit stays powered: only its link goes. */
  if (self->simulator != NULL)
    atc_simulator_disconnect (self->simulator);
  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
}

AtcTransport *
atc_demo_transport_new (const AtcAddress  *address,
                        GError           **error)
{
  AtcModel *model;
  g_autoptr(AtcDemoTransport) self = NULL;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (address->kind != ATC_ADDRESS_DEMO || address->model == NULL ||
      (model = atc_catalog_lookup (atc_catalog_get_default (), address->model)) == NULL)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_ADDRESS,
                   _("“demo:%s” is not a demo unit; use demo:g781 or demo:m0"),
                   address->model != NULL ? address->model : "");
      return NULL;
    }

  self = g_object_new (ATC_TYPE_DEMO_TRANSPORT, "address", address, NULL);
  self->simulator = g_object_new (ATC_TYPE_SIMULATOR,
                                  "model", model,
                                  "seed", ATC_DEMO_SEED,
                                  "latency-ms", ATC_DEMO_LATENCY_MS,
                                  "reboot-ms", MIN (ATC_DEMO_REBOOT_MS,
                                                    atc_model_get_reboot_ms (model)),
                                  "pace", TRUE,
                                  NULL);

  return ATC_TRANSPORT (g_steal_pointer (&self));
}

AtcSimulator *
atc_demo_transport_get_simulator (AtcDemoTransport *self)
{
  g_return_val_if_fail (ATC_IS_DEMO_TRANSPORT (self), NULL);

  return self->simulator;
}

static void
atc_demo_transport_dispose (GObject *object)
{
  AtcDemoTransport *self = ATC_DEMO_TRANSPORT (object);

  /* The base class closes the link first (our close() runs then). */
  G_OBJECT_CLASS (atc_demo_transport_parent_class)->dispose (object);

  g_clear_object (&self->simulator);
}

static void
atc_demo_transport_class_init (AtcDemoTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AtcTransportClass *transport_class = ATC_TRANSPORT_CLASS (klass);

  object_class->dispose = atc_demo_transport_dispose;

  transport_class->open_async = atc_demo_transport_open_async;
  transport_class->open_finish = atc_demo_transport_open_finish;
  transport_class->close = atc_demo_transport_close;
}

static void
atc_demo_transport_init (AtcDemoTransport *self)
{
  self->fd = -1;
}
