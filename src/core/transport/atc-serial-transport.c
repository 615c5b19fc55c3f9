/* atc-serial-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <libserialport.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "atc-error.h"
#include "atc-serial-transport.h"
#include "atc-transport-private.h"

struct _AtcSerialTransport
{
  AtcTransport    parent_instance;

  struct sp_port *port;   /* NULL when the port went through termios */
  int             fd;
  char           *path;   /* as given, for messages */
  char           *device; /* resolved, what was opened */
};

G_DEFINE_FINAL_TYPE (AtcSerialTransport, atc_serial_transport, ATC_TYPE_TRANSPORT)

/* The path with its symlinks resolved (by-id, by-path links), or NULL with
 * errno set. */
static char *
resolve_path (const char *path)
{
  char *real = realpath (path, NULL);
  char *copy;

  if (real == NULL)
    return NULL;
  copy = g_strdup (real);
  free (real);
  return copy;
}

/* libserialport 0.1.1 looks the device up in /sys/class/tty, assuming a
 * name below /dev/; anything else it refuses (or misreads). */
static gboolean
libserialport_knows (const char *device)
{
  struct sp_port *port = NULL;

  if (!g_str_has_prefix (device, "/dev/") || g_str_has_prefix (device, "/dev/pts/"))
    return FALSE;
  if (sp_get_port_by_name (device, &port) != SP_OK)
    return FALSE;
  sp_free_port (port);
  return TRUE;
}

gboolean
atc_serial_transport_should_use_termios (const char *path)
{
  g_autofree char *device = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_str_has_prefix (path, "/dev/pts/"))
    return TRUE;
  device = resolve_path (path);
  if (device == NULL)
    return FALSE;
  return !libserialport_knows (device);
}

/* prefix: "Could not … /dev/ttyUSB0", completed with libserialport's
 * reason. */
static GError *
sp_error_new (AtcError code,
              char    *prefix)
{
  char *message = sp_last_error_message ();
  GError *error = g_error_new (ATC_ERROR, code, "%s: %s.", prefix, message ? message : "?");

  sp_free_error_message (message);
  g_free (prefix);
  return error;
}

static gboolean
apply_line_settings (struct sp_port        *port,
                     const char            *path,
                     const AtcLineSettings *settings,
                     GError               **error)
{
  static const enum sp_parity parities[] = {
    [ATC_PARITY_NONE] = SP_PARITY_NONE, [ATC_PARITY_ODD] = SP_PARITY_ODD,
    [ATC_PARITY_EVEN] = SP_PARITY_EVEN, [ATC_PARITY_MARK] = SP_PARITY_MARK,
    [ATC_PARITY_SPACE] = SP_PARITY_SPACE,
  };
  static const enum sp_flowcontrol flows[] = {
    [ATC_FLOW_NONE] = SP_FLOWCONTROL_NONE, [ATC_FLOW_RTSCTS] = SP_FLOWCONTROL_RTSCTS,
    [ATC_FLOW_XONXOFF] = SP_FLOWCONTROL_XONXOFF,
  };
  struct sp_port_config *config = NULL;
  g_autofree char *text = atc_line_settings_to_string (settings);
  gboolean ok;

  if (sp_new_config (&config) != SP_OK)
    {
      g_propagate_error (error, sp_error_new (ATC_ERROR_FAILED,
                                              g_strdup_printf (_("Could not configure %s"), path)));
      return FALSE;
    }

  /* Fields not set stay -1: sp_set_config() leaves them as they are. */
  ok = sp_set_config_baudrate (config, settings->baud ? settings->baud : ATC_DEFAULT_BAUD) ==
         SP_OK &&
       sp_set_config_bits (config, settings->data_bits) == SP_OK &&
       sp_set_config_parity (config, parities[settings->parity]) == SP_OK &&
       sp_set_config_stopbits (config, settings->stop_bits) == SP_OK &&
       sp_set_config_flowcontrol (config, flows[settings->flow]) == SP_OK &&
       sp_set_config (port, config) == SP_OK;

  if (!ok)
    g_propagate_error (error,
                       sp_error_new (ATC_ERROR_INVALID_VALUE,
                                     g_strdup_printf (_("%s refused the settings %s"), path, text)));

  sp_free_config (config);
  return ok;
}

/* ------------------------------------------------------------------ */

typedef struct {
  struct sp_port *port;
  int             fd;
  char           *device;
} OpenResult;

static void
open_result_free (OpenResult *result)
{
  if (result->port != NULL)
    {
      sp_close (result->port);
      sp_free_port (result->port);
    }
  else if (result->fd >= 0)
    close (result->fd);
  g_free (result->device);
  g_free (result);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AtcTtyOpenData *data = task_data;
  OpenResult *result;
  GError *error = NULL;
  g_autofree char *device = NULL;
  struct sp_port *port = NULL;
  int fd = -1;

  device = resolve_path (data->path);
  if (device == NULL)
    {
      int errsv = errno;
      g_task_return_error (task, atc_transport_open_error_new (data->path, errsv, NULL));
      return;
    }

  if (!atc_tty_check_lock_files (device, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!libserialport_knows (device))
    {
      /* Plugged in after the transport was made, or not a port libserialport
       * lists: termios drives it just as well. */
      fd = atc_tty_open_configured (device, data->path, &data->line, &error);
      if (fd < 0)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    {
      if (sp_get_port_by_name (device, &port) != SP_OK)
        {
          g_task_return_error (task,
                               sp_error_new (ATC_ERROR_FAILED,
                                             g_strdup_printf (_("Could not open %s"), data->path)));
          return;
        }

      if (sp_open (port, SP_MODE_READ_WRITE) != SP_OK)
        {
          int errsv = sp_last_error_code ();

          sp_free_port (port);
          g_task_return_error (task, atc_transport_open_error_new (data->path, errsv, NULL));
          return;
        }

      if (sp_get_port_handle (port, &fd) != SP_OK || fd < 0 ||
          !g_unix_set_fd_nonblocking (fd, TRUE, NULL) ||
          !atc_tty_lock (fd, data->path, &error) ||
          !apply_line_settings (port, data->path, &data->line, &error))
        {
          if (error == NULL)
            error = sp_error_new (ATC_ERROR_FAILED,
                                  g_strdup_printf (_("Could not open %s"), data->path));
          sp_close (port);
          sp_free_port (port);
          g_task_return_error (task, error);
          return;
        }
    }

  /* Bytes left from before we opened are not an answer to us. */
  tcflush (fd, TCIOFLUSH);

  result = g_new0 (OpenResult, 1);
  result->port = port;
  result->fd = fd;
  result->device = g_steal_pointer (&device);
  g_task_return_pointer (task, result, (GDestroyNotify) open_result_free);
}

static void
atc_serial_transport_open_async (AtcTransport       *transport,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  AtcSerialTransport *self = ATC_SERIAL_TRANSPORT (transport);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, atc_serial_transport_open_async);
  atc_tty_open_in_thread (task, transport, self->path, open_thread);
}

static GIOStream *
atc_serial_transport_open_finish (AtcTransport *transport,
                                  GAsyncResult *result,
                                  GError      **error)
{
  AtcSerialTransport *self = ATC_SERIAL_TRANSPORT (transport);
  OpenResult *opened;

  opened = g_task_propagate_pointer (G_TASK (result), error);
  if (opened == NULL)
    return NULL;

  self->port = opened->port;
  self->fd = opened->fd;
  g_free (self->device);
  self->device = opened->device;
  g_free (opened);

  return atc_tty_wrap_fd (transport, self->fd, self->path);
}

static gboolean
atc_serial_transport_set_line_settings (AtcTransport          *transport,
                                        const AtcLineSettings *settings,
                                        GError               **error)
{
  AtcSerialTransport *self = ATC_SERIAL_TRANSPORT (transport);

  if (self->port != NULL)
    return apply_line_settings (self->port, self->path, settings, error);
  if (self->fd >= 0)
    return atc_tty_apply_line_settings (self->fd, self->path, settings, error);
  return TRUE;
}

static void
atc_serial_transport_close (AtcTransport *transport)
{
  AtcSerialTransport *self = ATC_SERIAL_TRANSPORT (transport);

  if (self->port != NULL)
    {
      sp_close (self->port);
      g_clear_pointer (&self->port, sp_free_port);
    }
  else if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
}

static void
atc_serial_transport_constructed (GObject *object)
{
  AtcSerialTransport *self = ATC_SERIAL_TRANSPORT (object);
  const AtcAddress *address;

  G_OBJECT_CLASS (atc_serial_transport_parent_class)->constructed (object);

  address = atc_transport_get_address (ATC_TRANSPORT (self));
  g_assert (address != NULL && address->path != NULL);
  self->path = g_strdup (address->path);
}

static void
atc_serial_transport_finalize (GObject *object)
{
  AtcSerialTransport *self = ATC_SERIAL_TRANSPORT (object);

  g_free (self->path);
  g_free (self->device);

  G_OBJECT_CLASS (atc_serial_transport_parent_class)->finalize (object);
}

static void
atc_serial_transport_class_init (AtcSerialTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AtcTransportClass *transport_class = ATC_TRANSPORT_CLASS (klass);

  object_class->constructed = atc_serial_transport_constructed;
  object_class->finalize = atc_serial_transport_finalize;

  transport_class->open_async = atc_serial_transport_open_async;
  transport_class->open_finish = atc_serial_transport_open_finish;
  transport_class->set_line_settings = atc_serial_transport_set_line_settings;
  transport_class->close = atc_serial_transport_close;
}

static void
atc_serial_transport_init (AtcSerialTransport *self)
{
  self->fd = -1;
}

AtcTransport *
atc_serial_transport_new (const AtcAddress *address)
{
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (address->kind == ATC_ADDRESS_SERIAL, NULL);

  return g_object_new (ATC_TYPE_SERIAL_TRANSPORT, "address", address, NULL);
}
