/* atc-tcp-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "atc-error.h"
#include "atc-fd-input-stream.h"
#include "atc-tcp-transport.h"
#include "atc-transport-private.h"

struct _AtcTcpTransport
{
  AtcTransport       parent_instance;

  GSocketConnection *connection;
  guint              connect_timeout;
  char              *display;   /* "host:port", "[v6]:port" */
};

G_DEFINE_FINAL_TYPE (AtcTcpTransport, atc_tcp_transport, ATC_TYPE_TRANSPORT)

enum {
  PROP_0,
  PROP_CONNECT_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  GCancellable *op;            /* cancelled by the caller or the timer */
  GCancellable *caller;
  gulong        caller_handler;
  GSource      *timer;
  gboolean      timed_out;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  if (data->timer != NULL)
    {
      g_source_destroy (data->timer);
      g_source_unref (data->timer);
    }
  if (data->caller != NULL)
    {
      g_cancellable_disconnect (data->caller, data->caller_handler);
      g_object_unref (data->caller);
    }
  g_clear_object (&data->op);
  g_free (data);
}

static gboolean
timeout_cb (gpointer user_data)
{
  ConnectData *data = user_data;

  data->timed_out = TRUE;
  g_cancellable_cancel (data->op);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *op)
{
  g_cancellable_cancel (op);
}

static GError *
connect_error_new (AtcTcpTransport *self,
                   const char      *host,
                   const GError    *error,
                   ConnectData     *data)
{
  if (data->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (ATC_ERROR, ATC_ERROR_TIMEOUT,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "No answer from %s within %u second. Check the address, "
                                     "and that the unit is powered and on this network.",
                                     "No answer from %s within %u seconds. Check the address, "
                                     "and that the unit is powered and on this network.",
                                     self->connect_timeout),
                        self->display, self->connect_timeout);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (ATC_ERROR, ATC_ERROR_NOT_FOUND,
                        _("Nothing accepts connections at %s (connection refused). Check the "
                          "port number, and that the unit or its serial server listens "
                          "on it."),
                        self->display);

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return g_error_new (ATC_ERROR, ATC_ERROR_NOT_FOUND,
                        _("The host name “%s” is unknown. Check its spelling, or use the "
                          "unit's IP address."),
                        host);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return g_error_new (ATC_ERROR, ATC_ERROR_NOT_FOUND,
                        _("%s cannot be reached from this computer. Check the network cable "
                          "or Wi-Fi, and that this computer is on the unit's network."),
                        self->display);

  return g_error_new (ATC_ERROR, ATC_ERROR_FAILED, _("Could not connect to %s: %s"),
                      self->display, error->message);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  AtcTcpTransport *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) connection = NULL;
  const AtcAddress *address = atc_transport_get_address (ATC_TRANSPORT (self));

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, connect_error_new (self, address->host, error, data));
      return;
    }

  /* Commands are a few bytes each: send them now rather than coalescing. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1,
                       NULL);

  g_task_return_pointer (task, g_steal_pointer (&connection), g_object_unref);
}

static void
atc_tcp_transport_open_async (AtcTransport       *transport,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  AtcTcpTransport *self = ATC_TCP_TRANSPORT (transport);
  const AtcAddress *address = atc_transport_get_address (transport);
  g_autoptr (GSocketClient) client = NULL;
  g_autoptr (GSocketConnectable) connectable = NULL;
  g_autoptr (GTask) task = NULL;
  ConnectData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atc_tcp_transport_open_async);
  /* Our own cancellable decides (caller or timer); the error says which. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (ConnectData, 1);
  data->op = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                    data->op, NULL);
    }
  if (self->connect_timeout > 0)
    {
      data->timer = g_timeout_source_new_seconds (self->connect_timeout);
      g_source_set_callback (data->timer, timeout_cb, data, NULL);
      g_source_set_name (data->timer, "[atconf] TCP connect timeout");
      g_source_attach (data->timer, g_main_context_get_thread_default ());
    }
  g_task_set_task_data (task, data, (GDestroyNotify) connect_data_free);

  client = g_socket_client_new ();
  connectable = g_network_address_new (address->host, address->port);
  g_socket_client_connect_async (client, connectable, data->op, connect_cb,
                                 g_steal_pointer (&task));
}

static GIOStream *
atc_tcp_transport_open_finish (AtcTransport *transport,
                               GAsyncResult *result,
                               GError      **error)
{
  AtcTcpTransport *self = ATC_TCP_TRANSPORT (transport);
  g_autofree char *message = NULL;
  GSocketConnection *connection;
  GIOStream *stream;

  connection = g_task_propagate_pointer (G_TASK (result), error);
  if (connection == NULL)
    return NULL;

  g_clear_object (&self->connection);
  self->connection = connection;

  message = g_strdup_printf (_("The connection to %s was closed by the other end. Check that "
                               "the unit (or its serial server) is still on, and connect "
                               "again."),
                             self->display);
  /* Reading the socket's fd ourselves gives the same hang-up handling as
   * the serial ports; the connection keeps owning the socket. */
  stream = atc_transport_wrap_fd (transport,
                                  g_socket_get_fd (g_socket_connection_get_socket (connection)),
                                  message);
  /* Bridges send the echo and the reply as separate small packets, and
   * with Nagle's algorithm on they hold the reply until the echo is
   * acknowledged: acknowledge at once. */
  atc_fd_input_stream_set_ack_at_once (ATC_FD_INPUT_STREAM (g_io_stream_get_input_stream (stream)),
                                       TRUE);
  return stream;
}

static void
atc_tcp_transport_close (AtcTransport *transport)
{
  AtcTcpTransport *self = ATC_TCP_TRANSPORT (transport);

  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
}

guint
atc_tcp_transport_get_connect_timeout (AtcTcpTransport *self)
{
  g_return_val_if_fail (ATC_IS_TCP_TRANSPORT (self), 0);

  return self->connect_timeout;
}

void
atc_tcp_transport_set_connect_timeout (AtcTcpTransport *self,
                                       guint            seconds)
{
  g_return_if_fail (ATC_IS_TCP_TRANSPORT (self));

  if (self->connect_timeout == seconds)
    return;
  self->connect_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

static void
atc_tcp_transport_constructed (GObject *object)
{
  AtcTcpTransport *self = ATC_TCP_TRANSPORT (object);
  const AtcAddress *address;

  G_OBJECT_CLASS (atc_tcp_transport_parent_class)->constructed (object);

  address = atc_transport_get_address (ATC_TRANSPORT (self));
  g_assert (address != NULL && address->host != NULL);
  if (strchr (address->host, ':') != NULL)
    self->display = g_strdup_printf ("[%s]:%u", address->host, address->port);
  else
    self->display = g_strdup_printf ("%s:%u", address->host, address->port);
}

static void
atc_tcp_transport_finalize (GObject *object)
{
  AtcTcpTransport *self = ATC_TCP_TRANSPORT (object);

  g_clear_object (&self->connection);
  g_free (self->display);

  G_OBJECT_CLASS (atc_tcp_transport_parent_class)->finalize (object);
}

static void
atc_tcp_transport_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AtcTcpTransport *self = ATC_TCP_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_tcp_transport_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AtcTcpTransport *self = ATC_TCP_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_CONNECT_TIMEOUT:
      atc_tcp_transport_set_connect_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_tcp_transport_class_init (AtcTcpTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AtcTransportClass *transport_class = ATC_TRANSPORT_CLASS (klass);

  object_class->constructed = atc_tcp_transport_constructed;
  object_class->finalize = atc_tcp_transport_finalize;
  object_class->get_property = atc_tcp_transport_get_property;
  object_class->set_property = atc_tcp_transport_set_property;

  transport_class->open_async = atc_tcp_transport_open_async;
  transport_class->open_finish = atc_tcp_transport_open_finish;
  transport_class->close = atc_tcp_transport_close;
  /* No set_line_settings: the bridge at the other end owns the serial line. */

  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 0, G_MAXUINT,
                       ATC_TCP_DEFAULT_CONNECT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atc_tcp_transport_init (AtcTcpTransport *self)
{
  self->connect_timeout = ATC_TCP_DEFAULT_CONNECT_TIMEOUT;
}

AtcTransport *
atc_tcp_transport_new (const AtcAddress *address)
{
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (address->kind == ATC_ADDRESS_TCP, NULL);

  return g_object_new (ATC_TYPE_TCP_TRANSPORT, "address", address, NULL);
}
