/* atc-cli-session.c: reaching the unit named by the global options
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "atc-address.h"
#include "atc-cli.h"

void
atc_cli_async_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AtcCli *cli = user_data;

  /* One operation at a time: the CLI is sequential by design. */
  g_assert (cli->result == NULL);
  cli->result = g_object_ref (result);
}

GAsyncResult *
atc_cli_await (AtcCli *cli)
{
  while (cli->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&cli->result);
}

gboolean
atc_cli_lookup_model_option (AtcCli    *cli,
                             AtcModel **model,
                             GError   **error)
{
  AtcCatalog *catalog;
  GPtrArray *models;
  g_autofree char *id = NULL;
  g_autoptr(GString) known = NULL;

  *model = NULL;
  if (cli->model_id == NULL)
    return TRUE;

  catalog = atc_catalog_get_default ();
  id = g_ascii_strdown (cli->model_id, -1);
  /* Accept the product name too: "USR-G781", "usr-m0". */
  if (g_str_has_prefix (id, "usr-"))
    memmove (id, id + 4, strlen (id + 4) + 1);
  *model = atc_catalog_lookup (catalog, id);
  if (*model != NULL)
    return TRUE;

  known = g_string_new (NULL);
  models = atc_catalog_get_models (catalog);
  for (guint i = 0; i < models->len; i++)
    g_string_append_printf (known, "%s%s", i ? ", " : "",
                            atc_model_get_id (g_ptr_array_index (models, i)));
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("Unknown model “%s” for --model; known models: %s"),
               cli->model_id, known->str);
  return FALSE;
}

static void
print_log_entry (AtcLogEntry *entry)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *stamp = NULL;
  const char *arrow;
  gint64 usec = atc_log_entry_get_time (entry);

  switch (atc_log_entry_get_direction (entry))
    {
    case ATC_LOG_TX: arrow = ">"; break;
    case ATC_LOG_RX: arrow = "<"; break;
    case ATC_LOG_EVENT:
    default:         arrow = "*"; break;
    }
  local = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  stamp = local ? g_date_time_format (local, "%H:%M:%S") : g_strdup ("--:--:--");
  /* The log stores entries already redacted: printing them is safe. */
  g_printerr ("%s.%03d %s %s\n", stamp, (int) ((usec % G_USEC_PER_SEC) / 1000), arrow,
              atc_log_entry_get_text (entry));
}

static void
on_log_items_changed (GListModel *log,
                      guint       position,
                      guint       removed,
                      guint       added,
                      gpointer    user_data)
{
  /* Entries are appended at the end (old ones drop off the front), so the
   * added range is exactly what has not been printed yet. */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(AtcLogEntry) entry = g_list_model_get_item (log, i);

      if (entry)
        print_log_entry (entry);
    }
}

gboolean
atc_cli_open_session (AtcCli  *cli,
                      GError **error)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *device = cli->device;
  AtcModel *model = NULL;

  g_return_val_if_fail (cli->session == NULL, FALSE);

  if (!atc_cli_lookup_model_option (cli, &model, error))
    return FALSE;

  if (device == NULL || *device == '\0')
    device = g_getenv ("ATCONF_DEVICE");
  if (device == NULL || *device == '\0')
    {
      cli->list_ports_on_error = TRUE;
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("No device given: use --device ADDR or set ATCONF_DEVICE "
                             "(for example --device /dev/ttyUSB0 or --device demo:g781)"));
      return FALSE;
    }

  session = atc_session_new_for_address (device, error);
  if (session == NULL)
    return FALSE;

  if (cli->verbose)
    g_signal_connect (atc_session_get_log (session), "items-changed",
                      G_CALLBACK (on_log_items_changed), cli);
  if (cli->password)
    atc_session_set_command_password (session, cli->password);
  atc_session_set_timeout_scale (session, cli->timeout_scale);

  if (model != NULL)
    {
      atc_session_set_model (session, model);
      atc_session_connect_async (session, cli->cancellable, ATC_CLI_AWAIT (cli));
      result = atc_cli_await (cli);
      atc_session_connect_finish (session, result, &local_error);
    }
  else
    {
      atc_session_detect_async (session, cli->cancellable, ATC_CLI_AWAIT (cli));
      result = atc_cli_await (cli);
      cli->detection = atc_session_detect_finish (session, result, &local_error);
    }

  if (local_error != NULL)
    {
      /* A missing port: the transport's message already names the ports
       * present. */
      atc_session_close (session);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  cli->session = g_steal_pointer (&session);
  return TRUE;
}

gboolean
atc_cli_close_session (AtcCli  *cli,
                       GError **error)
{
  gboolean ok = TRUE;

  if (cli->session == NULL)
    return TRUE;

  /* The unit carries data only in data mode: a technician who queried a
   * live unit must not leave it deaf, not even after Ctrl-C (a second
   * Ctrl-C ends at once). Password mode never left data mode, and a link
   * that is gone has nothing to leave. */
  if (!cli->keep_command_mode &&
      atc_session_get_state (cli->session) == ATC_SESSION_COMMAND_MODE)
    {
      g_autoptr(GCancellable) cancellable = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) local_error = NULL;

      cancellable = cli->interrupted ? g_cancellable_new () : g_object_ref (cli->cancellable);
      atc_session_leave_async (cli->session, cancellable, ATC_CLI_AWAIT (cli));
      result = atc_cli_await (cli);
      if (!atc_session_leave_finish (cli->session, result, &local_error))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Could not return the unit to data mode: "));
          ok = FALSE;
        }
    }

  atc_session_close (cli->session);
  return ok;
}
