/* atc-transport.c: the base class of every byte link to a unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <poll.h>

#include "atc-error.h"
#include "atc-fd-input-stream.h"
#include "atc-fd-output-stream.h"
#include "atc-port-list.h"
#include "atc-serial-transport.h"
#include "atc-tcp-transport.h"
#include "atc-transport-private.h"
#include "atc-tty-transport.h"

typedef struct
{
  AtcAddress        *address;
  AtcLineSettings    line;

  GIOStream         *stream;
  /* Set when the stream is ours (atc_transport_wrap_fd). */
  AtcFdInputStream  *fd_input;
  AtcFdOutputStream *fd_output;
  GSource           *hangup_watch;
  GSource           *lost_idle;
  GError            *lost_error;
  char              *lost_message;
  GMainContext      *context;
  /* Given to the subclass while opening: cancelled by the caller's
   * cancellable or by atc_transport_close(). */
  GCancellable      *open_cancellable;
  GCancellable      *caller_cancellable;
  gulong             caller_handler;

  guint              open : 1;
  guint              opening : 1;
  guint              abandon_open : 1;
  guint              disconnected : 1;
} AtcTransportPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (AtcTransport, atc_transport, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_LINE_SETTINGS,
  PROP_OPEN,
  N_PROPS
};

enum {
  DISCONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

gboolean
atc_fd_wait (int           fd,
             short         events,
             GCancellable *cancellable,
             GCancellable *shutdown,
             GError      **error)
{
  GPollFD fds[3];
  guint n = 0;
  gboolean have_cancellable = FALSE;
  gboolean have_shutdown = FALSE;
  int r;

  fds[n].fd = fd;
  fds[n].events = events;
  fds[n].revents = 0;
  n++;
  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &fds[n]))
    {
      have_cancellable = TRUE;
      n++;
    }
  if (shutdown != NULL && g_cancellable_make_pollfd (shutdown, &fds[n]))
    {
      have_shutdown = TRUE;
      n++;
    }

  do
    r = g_poll (fds, n, -1);
  while (r < 0 && errno == EINTR);

  if (have_cancellable)
    g_cancellable_release_fd (cancellable);
  if (have_shutdown)
    g_cancellable_release_fd (shutdown);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return TRUE;
}

static void
release_link (AtcTransport *self,
              gboolean      lost)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  if (priv->hangup_watch != NULL)
    {
      g_source_destroy (priv->hangup_watch);
      g_clear_pointer (&priv->hangup_watch, g_source_unref);
    }
  if (priv->lost_idle != NULL)
    {
      g_source_destroy (priv->lost_idle);
      g_clear_pointer (&priv->lost_idle, g_source_unref);
    }
  g_clear_error (&priv->lost_error);

  /* Wake any pending read or write before the fd goes away, so that no
   * source keeps polling a closed (or reused) descriptor. */
  if (priv->fd_input != NULL)
    atc_fd_input_stream_shutdown (priv->fd_input, lost);
  if (priv->fd_output != NULL)
    atc_fd_output_stream_shutdown (priv->fd_output, lost);
}

void
atc_transport_emit_disconnected (AtcTransport *self,
                                 const GError *error)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);
  g_autoptr (GError) fallback = NULL;

  g_return_if_fail (ATC_IS_TRANSPORT (self));

  if (priv->disconnected || !priv->open)
    return;

  if (error == NULL)
    error = fallback = g_error_new_literal (ATC_ERROR, ATC_ERROR_DISCONNECTED,
                                            _("The link to the unit went away. Check the "
                                              "cable or the network and connect again."));

  g_object_ref (self);

  priv->disconnected = TRUE;
  release_link (self, TRUE);

  g_debug ("transport: disconnected: %s", error->message);
  g_signal_emit (self, signals[DISCONNECTED], 0, error);

  /* Let go of the device now (a handler may have closed us already): a
   * USB adapter re-plugged while we hold its node comes back under a new
   * name. The stream stays, so that reads keep saying DISCONNECTED. */
  if (priv->open)
    {
      ATC_TRANSPORT_GET_CLASS (self)->close (self);
      priv->open = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
    }

  g_object_unref (self);
}

static gboolean
lost_idle_cb (gpointer user_data)
{
  AtcTransport *self = ATC_TRANSPORT (user_data);
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);
  g_autoptr (GError) error = g_steal_pointer (&priv->lost_error);

  g_clear_pointer (&priv->lost_idle, g_source_unref);
  atc_transport_emit_disconnected (self, error);

  return G_SOURCE_REMOVE;
}

void
atc_transport_link_lost (AtcTransport *self,
                         const GError *error)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  g_return_if_fail (ATC_IS_TRANSPORT (self));

  if (priv->disconnected || !priv->open || priv->lost_idle != NULL)
    return;

  priv->lost_error = error ? g_error_copy (error) : NULL;
  priv->lost_idle = g_idle_source_new ();
  g_source_set_priority (priv->lost_idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (priv->lost_idle, lost_idle_cb, self, NULL);
  g_source_set_name (priv->lost_idle, "[atconf] transport link lost");
  g_source_attach (priv->lost_idle, priv->context);
}

static gboolean
hangup_cb (int          fd,
           GIOCondition condition,
           gpointer     user_data)
{
  AtcTransport *self = ATC_TRANSPORT (user_data);
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);
  g_autoptr (GError) error = NULL;

  g_debug ("transport: fd %d reports %s%s", fd, (condition & G_IO_HUP) ? "HUP " : "",
           (condition & G_IO_ERR) ? "ERR" : "");

  /* The watch is removed by returning G_SOURCE_REMOVE; forget it first so
   * that release_link() does not destroy it a second time. */
  g_clear_pointer (&priv->hangup_watch, g_source_unref);

  error = g_error_new_literal (ATC_ERROR, ATC_ERROR_DISCONNECTED, priv->lost_message);
  atc_transport_emit_disconnected (self, error);

  return G_SOURCE_REMOVE;
}

GIOStream *
atc_transport_wrap_fd (AtcTransport *self,
                       int           fd,
                       const char   *lost_message)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);
  g_autoptr (GInputStream) input = NULL;
  g_autoptr (GOutputStream) output = NULL;

  g_return_val_if_fail (ATC_IS_TRANSPORT (self), NULL);
  g_return_val_if_fail (fd >= 0, NULL);

  input = atc_fd_input_stream_new (fd, self, lost_message);
  output = atc_fd_output_stream_new (fd, self, lost_message);
  g_free (priv->lost_message);
  priv->lost_message = g_strdup (lost_message ? lost_message : _("The link to the unit went away."));

  g_set_object (&priv->fd_input, ATC_FD_INPUT_STREAM (input));
  g_set_object (&priv->fd_output, ATC_FD_OUTPUT_STREAM (output));

  if (priv->hangup_watch != NULL)
    {
      g_source_destroy (priv->hangup_watch);
      g_clear_pointer (&priv->hangup_watch, g_source_unref);
    }
  /* poll() reports HUP and ERR whatever was asked, and they persist: one
   * dispatch, then the watch removes itself. */
  priv->hangup_watch = g_unix_fd_source_new (fd, G_IO_HUP | G_IO_ERR);
  g_source_set_callback (priv->hangup_watch, G_SOURCE_FUNC (hangup_cb), self, NULL);
  g_source_set_name (priv->hangup_watch, "[atconf] transport hang-up watch");
  g_source_attach (priv->hangup_watch, priv->context);

  return g_simple_io_stream_new (input, output);
}

/* ------------------------------------------------------------------ */

static gboolean
validate_line_settings (const AtcLineSettings *s,
                        GError               **error)
{
  if (s->baud != 0 && (s->baud < ATC_BAUD_MIN || s->baud > ATC_BAUD_MAX))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("Baud rate %u is out of range: use a rate between %u and %u."), s->baud,
                   ATC_BAUD_MIN, ATC_BAUD_MAX);
      return FALSE;
    }
  if (s->data_bits < 5 || s->data_bits > 8)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%u data bits is not possible: use 5, 6, 7 or 8."), s->data_bits);
      return FALSE;
    }
  if (s->stop_bits < 1 || s->stop_bits > 2)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%u stop bits is not possible: use 1 or 2."), s->stop_bits);
      return FALSE;
    }
  if ((guint) s->parity > ATC_PARITY_SPACE)
    {
      g_set_error_literal (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                           _("Unknown parity: use none, odd, even, mark or space."));
      return FALSE;
    }
  if ((guint) s->flow > ATC_FLOW_XONXOFF)
    {
      g_set_error_literal (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                           _("Unknown flow control: use none, rtscts or xonxoff."));
      return FALSE;
    }
  return TRUE;
}

gboolean
atc_transport_set_line_settings (AtcTransport          *self,
                                 const AtcLineSettings *settings,
                                 GError               **error)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);
  AtcTransportClass *klass;
  AtcLineSettings wanted;

  g_return_val_if_fail (ATC_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  klass = ATC_TRANSPORT_GET_CLASS (self);
  if (klass->set_line_settings == NULL)
    return TRUE;

  if (!validate_line_settings (settings, error))
    return FALSE;

  wanted = *settings;
  if (wanted.baud == 0)
    wanted.baud = priv->line.baud ? priv->line.baud : ATC_DEFAULT_BAUD;

  if (atc_line_settings_equal (&wanted, &priv->line))
    return TRUE;

  if (priv->open && !klass->set_line_settings (self, &wanted, error))
    return FALSE;

  priv->line = wanted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINE_SETTINGS]);
  return TRUE;
}

const AtcLineSettings *
atc_transport_get_line_settings (AtcTransport *self)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  g_return_val_if_fail (ATC_IS_TRANSPORT (self), NULL);

  return &priv->line;
}

gboolean
atc_transport_has_line_settings (AtcTransport *self)
{
  g_return_val_if_fail (ATC_IS_TRANSPORT (self), FALSE);

  return ATC_TRANSPORT_GET_CLASS (self)->set_line_settings != NULL;
}

const AtcAddress *
atc_transport_get_address (AtcTransport *self)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  g_return_val_if_fail (ATC_IS_TRANSPORT (self), NULL);

  return priv->address;
}

GIOStream *
atc_transport_get_stream (AtcTransport *self)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  g_return_val_if_fail (ATC_IS_TRANSPORT (self), NULL);

  return priv->stream;
}

gboolean
atc_transport_is_open (AtcTransport *self)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  g_return_val_if_fail (ATC_IS_TRANSPORT (self), FALSE);

  return priv->open;
}

static void
clear_stream (AtcTransport *self)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  if (priv->stream != NULL)
    /* A read may still be pending (it fails with CLOSED on its own, see
     * release_link()); closing then reports PENDING, which is fine. */
    g_io_stream_close (priv->stream, NULL, NULL);
  g_clear_object (&priv->stream);
  g_clear_object (&priv->fd_input);
  g_clear_object (&priv->fd_output);
}

void
atc_transport_close (AtcTransport *self)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);
  gboolean was_open;

  g_return_if_fail (ATC_IS_TRANSPORT (self));

  if (priv->opening)
    {
      priv->abandon_open = TRUE;
      g_cancellable_cancel (priv->open_cancellable);
    }

  was_open = priv->open;
  release_link (self, FALSE);
  clear_stream (self);

  if (was_open)
    {
      ATC_TRANSPORT_GET_CLASS (self)->close (self);
      priv->open = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
    }
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AtcTransport *self = ATC_TRANSPORT (object);
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOStream) stream = NULL;

  stream = ATC_TRANSPORT_GET_CLASS (self)->open_finish (self, result, &error);
  priv->opening = FALSE;
  if (priv->caller_cancellable != NULL)
    g_cancellable_disconnect (priv->caller_cancellable, priv->caller_handler);
  priv->caller_handler = 0;
  g_clear_object (&priv->caller_cancellable);
  g_clear_object (&priv->open_cancellable);

  if (stream == NULL)
    {
      release_link (self, FALSE);
      g_clear_object (&priv->fd_input);
      g_clear_object (&priv->fd_output);
      if (priv->abandon_open && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The connection was closed while it was being opened."));
        }
      priv->abandon_open = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (priv->abandon_open)
    {
      priv->abandon_open = FALSE;
      release_link (self, FALSE);
      priv->stream = g_steal_pointer (&stream);
      clear_stream (self);
      ATC_TRANSPORT_GET_CLASS (self)->close (self);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The connection was closed while it was being opened."));
      return;
    }

  priv->stream = g_steal_pointer (&stream);
  priv->open = TRUE;
  priv->disconnected = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
  g_task_return_boolean (task, TRUE);
}

static void
cancel_open_cb (GCancellable *caller,
                GCancellable *open_cancellable)
{
  g_cancellable_cancel (open_cancellable);
}

void
atc_transport_open_async (AtcTransport       *self,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (ATC_IS_TRANSPORT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atc_transport_open_async);

  if (priv->open || priv->opening)
    {
      g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_FAILED,
                               _("This connection is already open or opening: close it before "
                                 "opening it again."));
      return;
    }

  /* A stream left from a link that went away. */
  clear_stream (self);

  g_clear_pointer (&priv->context, g_main_context_unref);
  priv->context = g_main_context_ref_thread_default ();
  priv->opening = TRUE;
  priv->abandon_open = FALSE;
  priv->open_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      priv->caller_cancellable = g_object_ref (cancellable);
      priv->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_open_cb),
                                                    priv->open_cancellable, NULL);
    }

  ATC_TRANSPORT_GET_CLASS (self)->open_async (self, priv->open_cancellable, open_cb,
                                              g_steal_pointer (&task));
}

gboolean
atc_transport_open_finish (AtcTransport *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (ATC_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */

static char *
join_ports (const char *const *ports,
            const char        *except)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; ports != NULL && ports[i] != NULL; i++)
    {
      if (g_strcmp0 (ports[i], except) == 0)
        continue;
      if (str->len > 0)
        g_string_append (str, ", ");
      g_string_append (str, ports[i]);
    }

  return g_string_free (str, FALSE);
}

GError *
atc_transport_open_error_new (const char        *path,
                              int                errsv,
                              const char *const *existing_ports)
{
  g_return_val_if_fail (path != NULL, NULL);

  switch (errsv)
    {
    case EACCES:
    case EPERM:
      return g_error_new (ATC_ERROR, ATC_ERROR_PERMISSION,
                          _("Permission denied opening %s. Add your user to the “dialout” "
                            "group with “sudo usermod -aG dialout $USER”, then log out and "
                            "back in."),
                          path);

    case EBUSY:
    case EWOULDBLOCK:
      return g_error_new (ATC_ERROR, ATC_ERROR_BUSY,
                          _("%s is in use by another program (often ModemManager probing a "
                            "USB serial adapter). Find it with “fuser %s”, close it, and "
                            "try again."),
                          path, path);

    case ENOENT:
    case ENODEV:
    case ENXIO:
    case ENOTDIR:
      {
        g_auto (GStrv) found = NULL;
        g_autofree char *list = NULL;

        if (existing_ports == NULL)
          {
            g_autoptr (GPtrArray) ports = atc_port_list_enumerate (NULL);
            GStrvBuilder *builder = g_strv_builder_new ();

            for (guint i = 0; ports != NULL && i < ports->len; i++)
              g_strv_builder_add (builder, ((AtcPortInfo *) g_ptr_array_index (ports, i))->name);
            found = g_strv_builder_end (builder);
            g_strv_builder_unref (builder);
            existing_ports = (const char *const *) found;
          }

        list = join_ports (existing_ports, path);
        if (*list == '\0')
          return g_error_new (ATC_ERROR, ATC_ERROR_NOT_FOUND,
                              _("%s does not exist, and no serial port is present. Plug in "
                                "the USB serial adapter and try again."),
                              path);
        return g_error_new (ATC_ERROR, ATC_ERROR_NOT_FOUND,
                            _("%s does not exist. Serial ports present: %s. Check that the "
                              "adapter is plugged in, or pick one of these."),
                            path, list);
      }

    case ENOTTY:
    case EISDIR:
      return g_error_new (ATC_ERROR, ATC_ERROR_FAILED,
                          _("%s is not a serial port: give a device such as /dev/ttyUSB0."),
                          path);

    default:
      return g_error_new (ATC_ERROR, ATC_ERROR_FAILED, _("Could not open %s: %s."), path,
                          g_strerror (errsv));
    }
}

AtcTransport *
atc_transport_new_for_address (const AtcAddress *address,
                               GError          **error)
{
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (address->kind)
    {
    case ATC_ADDRESS_TCP:
      return atc_tcp_transport_new (address);

    case ATC_ADDRESS_PTY:
      return atc_tty_transport_new (address);

    case ATC_ADDRESS_SERIAL:
      /* libserialport 0.1.1 opens only what it finds in /sys/class/tty:
       * a pty, or a by-id link it cannot resolve, goes to termios. A path
       * that does not exist yet stays serial and fails at open with the
       * list of ports. */
      if (atc_serial_transport_should_use_termios (address->path))
        return atc_tty_transport_new (address);
      return atc_serial_transport_new (address);

    case ATC_ADDRESS_DEMO:
      g_set_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                   _("The demo unit “demo:%s” is provided by the simulator, not by a "
                     "port or a network link."),
                   address->model);
      return NULL;

    default:
      g_set_error_literal (error, ATC_ERROR, ATC_ERROR_ADDRESS, _("Unknown kind of address."));
      return NULL;
    }
}

/* ------------------------------------------------------------------ */

static void
atc_transport_real_close (AtcTransport *self)
{
}

static void
atc_transport_constructed (GObject *object)
{
  AtcTransport *self = ATC_TRANSPORT (object);
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  G_OBJECT_CLASS (atc_transport_parent_class)->constructed (object);

  if (priv->address != NULL)
    priv->line = priv->address->line;
  if (priv->line.baud == 0 && atc_transport_has_line_settings (self))
    priv->line.baud = ATC_DEFAULT_BAUD;
}

static void
atc_transport_dispose (GObject *object)
{
  AtcTransport *self = ATC_TRANSPORT (object);

  atc_transport_close (self);

  G_OBJECT_CLASS (atc_transport_parent_class)->dispose (object);
}

static void
atc_transport_finalize (GObject *object)
{
  AtcTransport *self = ATC_TRANSPORT (object);
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  g_clear_pointer (&priv->address, atc_address_free);
  g_clear_pointer (&priv->context, g_main_context_unref);
  g_clear_pointer (&priv->lost_message, g_free);

  G_OBJECT_CLASS (atc_transport_parent_class)->finalize (object);
}

static void
atc_transport_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AtcTransport *self = ATC_TRANSPORT (object);
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_boxed (value, priv->address);
      break;
    case PROP_LINE_SETTINGS:
      g_value_set_boxed (value, &priv->line);
      break;
    case PROP_OPEN:
      g_value_set_boolean (value, priv->open);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_transport_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AtcTransport *self = ATC_TRANSPORT (object);
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_clear_pointer (&priv->address, atc_address_free);
      priv->address = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_transport_class_init (AtcTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = atc_transport_constructed;
  object_class->dispose = atc_transport_dispose;
  object_class->finalize = atc_transport_finalize;
  object_class->get_property = atc_transport_get_property;
  object_class->set_property = atc_transport_set_property;

  klass->close = atc_transport_real_close;

  properties[PROP_ADDRESS] =
    g_param_spec_boxed ("address", NULL, NULL, ATC_TYPE_ADDRESS,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE_SETTINGS] =
    g_param_spec_boxed ("line-settings", NULL, NULL, ATC_TYPE_LINE_SETTINGS,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPEN] =
    g_param_spec_boolean ("open", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AtcTransport::disconnected:
   * @error: why, an ATC_ERROR_DISCONNECTED error
   *
   * The link went away (unplugged adapter, closed socket, pty whose other
   * end closed). Emitted once per opening; reads then fail with
   * ATC_ERROR_DISCONNECTED.
   */
  signals[DISCONNECTED] =
    g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
atc_transport_init (AtcTransport *self)
{
  AtcTransportPrivate *priv = atc_transport_get_instance_private (self);

  priv->line = ATC_LINE_SETTINGS_DEFAULT;
  priv->context = g_main_context_ref_thread_default ();
}
