/* atc-cli-device.c: detect, get, set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "atc-cli.h"
#include "atc-validate.h"

static GStrv
query (AtcCli           *cli,
       const AtcCommand *command,
       GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atc_session_query_async (cli->session, command->name, cli->cancellable, ATC_CLI_AWAIT (cli));
  result = atc_cli_await (cli);
  return atc_session_query_finish (cli->session, result, error);
}

/* A failure of one command that leaves the unit talking to us. */
static gboolean
is_unit_refusal (const GError *error)
{
  return g_error_matches (error, ATC_ERROR, ATC_ERROR_UNIT_ERROR) ||
         g_error_matches (error, ATC_ERROR, ATC_ERROR_MALFORMED_REPLY) ||
         g_error_matches (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED);
}

/* ------------------------------------------------------------------ detect */

static char *
single_value (AtcCli           *cli,
              const AtcCommand *command,
              GStrv             values)
{
  /* Identity facts have one field; anything else reads as in `get`. */
  if (command->params->len == 1 && values && values[0] && !values[1])
    {
      const AtcParam *param = g_ptr_array_index (command->params, 0);

      return atc_cli_param_hidden (cli, param) ? g_strdup (ATC_CLI_SECRET_MASK)
                                               : g_strdup (values[0]);
    }
  return atc_cli_format_values (cli, command, (const char *const *) values);
}

static gboolean
detect_run (AtcCli  *cli,
            int      argc,
            char   **argv,
            GError **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *firmware = NULL;
  const AtcLineSettings *line;
  AtcTransport *transport;
  AtcModel *model;
  GPtrArray *commands;
  const char *version_command;
  guint baud = 0;
  int echo = -1; /* unknown */

  if (argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("detect takes no arguments, got “%s”"), argv[1]);
      return FALSE;
    }
  if (!atc_cli_open_session (cli, error))
    return FALSE;

  model = atc_session_get_model (cli->session);
  version_command = atc_model_get_version_command (model);
  transport = atc_session_get_transport (cli->session);
  if (cli->detection)
    {
      firmware = g_strdup (cli->detection->firmware);
      baud = cli->detection->baud;
      echo = cli->detection->echo ? 1 : 0;
    }
  else
    {
      /* AT+E is the echo setting on both families (G781 4.3, M0 4.4). */
      const AtcCommand *echo_command = atc_model_lookup (model, "E");
      g_autoptr(GError) local_error = NULL;
      g_auto(GStrv) values = NULL;

      /* --model skipped detection: ask the unit for what it would have found. */
      if (atc_session_get_firmware (cli->session))
        firmware = g_strdup (atc_session_get_firmware (cli->session));
      if (atc_transport_has_line_settings (transport) &&
          (line = atc_transport_get_line_settings (transport)) != NULL)
        baud = line->baud;
      if (echo_command && (echo_command->access & ATC_ACCESS_QUERY))
        {
          values = query (cli, echo_command, &local_error);
          if (values && values[0])
            echo = g_ascii_strcasecmp (values[0], "ON") == 0 ? 1 : 0;
          else if (local_error && !is_unit_refusal (local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
        }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, atc_model_get_id (model));
  json_builder_set_member_name (builder, "model_name");
  json_builder_add_string_value (builder, atc_model_get_name (model));

  /* The identity facts: VER, SN, ICCID, IMEI on the G781; VER, MAC on the M0. */
  json_builder_set_member_name (builder, "identity");
  json_builder_begin_object (builder);
  commands = atc_model_get_commands (model);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      g_autoptr(GError) local_error = NULL;
      g_auto(GStrv) values = NULL;
      g_autofree char *shown = NULL;
      g_autofree char *name_colon = g_strconcat (command->name, ":", NULL);

      if (!command->identity || !(command->access & ATC_ACCESS_QUERY))
        continue;
      json_builder_set_member_name (builder, command->name);
      /* Detection read the version already. */
      if (firmware && version_command && g_str_equal (command->name, version_command))
        {
          json_builder_add_string_value (builder, firmware);
          continue;
        }
      values = query (cli, command, &local_error);
      if (values == NULL)
        {
          /* No SIM means no ICCID: report it and go on with the rest. */
          if (!is_unit_refusal (local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          json_builder_add_null_value (builder);
          g_string_append_printf (text, "%-10s ", name_colon);
          g_string_append_printf (text, _("unavailable (%s)\n"), local_error->message);
          continue;
        }
      shown = single_value (cli, command, values);
      json_builder_add_string_value (builder, shown);
      /* The version is the "Firmware:" line already. */
      if (version_command && g_str_equal (command->name, version_command))
        {
          if (firmware == NULL)
            firmware = g_strdup (shown);
          continue;
        }
      g_string_append_printf (text, "%-10s %s\n", name_colon, shown);
    }
  json_builder_end_object (builder);

  atc_cli_add_string_or_null (builder, "firmware", firmware);
  json_builder_set_member_name (builder, "baud");
  if (baud)
    json_builder_add_int_value (builder, baud);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "echo");
  if (echo >= 0)
    json_builder_add_boolean_value (builder, echo);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "password_mode");
  json_builder_add_boolean_value (builder, atc_session_get_password_mode (cli->session));
  json_builder_end_object (builder);

  if (cli->json)
    atc_cli_print_builder (builder);
  else
    {
      g_print ("%-10s %s (%s)\n", _("Model:"), atc_model_get_name (model),
               atc_model_get_id (model));
      g_print ("%-10s %s\n", _("Firmware:"), firmware ? firmware : _("unknown"));
      if (baud)
        g_print ("%-10s %u\n", _("Baud:"), baud);
      g_print ("%-10s %s\n", _("Echo:"), echo < 0 ? _("unknown") : echo ? _("on") : _("off"));
      if (atc_session_get_password_mode (cli->session))
        g_print ("%-10s %s\n", _("Mode:"), _("command password over the data channel"));
      g_print ("%s", text->str);
    }
  return TRUE;
}

const AtcCliCommand atc_cli_command_detect = {
  .name = "detect",
  .arguments = NULL,
  .summary = N_("Identify the unit: model, firmware, baud rate, echo, serial numbers"),
  .description = N_("Finds the model from how the unit answers (on a serial port, trying the "
                    "baud rates the models support), then reads its identity facts: VER, SN, "
                    "ICCID and IMEI on a USR-G781, VER and MAC on a USR-M0.\n"
                    "With --json: {\"model\", \"model_name\", \"firmware\", \"baud\", \"echo\", "
                    "\"password_mode\", \"identity\": {\"VER\": …}}; a fact the unit cannot give "
                    "(no SIM card) is null."),
  .entries = NULL,
  .needs_device = TRUE,
  .run = detect_run,
};

/* --------------------------------------------------------------------- get */

static gboolean
resolve_query (AtcModel          *model,
               const char        *name,
               const AtcCommand **out,
               GError           **error)
{
  const AtcCommand *command = atc_cli_lookup_command (model, name, error);

  if (command == NULL)
    return FALSE;
  if (!(command->access & ATC_ACCESS_QUERY))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                   (command->access & ATC_ACCESS_EXECUTE)
                   ? _("%s is an action of the %s and cannot be queried")
                   : _("%s cannot be queried on the %s"),
                   command->name, atc_model_get_name (model));
      return FALSE;
    }
  *out = command;
  return TRUE;
}

static gboolean
resolve_queries (AtcModel   *model,
                 int         argc,
                 char      **argv,
                 GPtrArray  *out,
                 GError    **error)
{
  g_ptr_array_set_size (out, 0);
  for (int i = 1; i < argc; i++)
    {
      const AtcCommand *command;

      if (!resolve_query (model, argv[i], &command, error))
        return FALSE;
      /* Asked twice, answered once: JSON keys must be unique. */
      if (!g_ptr_array_find (out, command, NULL))
        g_ptr_array_add (out, (gpointer) command);
    }
  return TRUE;
}

static gboolean
get_run (AtcCli  *cli,
         int      argc,
         char   **argv,
         GError **error)
{
  g_autoptr(GPtrArray) commands = g_ptr_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) first_error = NULL;
  AtcModel *model = NULL;

  if (argc < 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Name at least one command, for example “get UART CSQ”"));
      return FALSE;
    }

  /* With --model every name is checked before the port is even opened. */
  if (!atc_cli_lookup_model_option (cli, &model, error))
    return FALSE;
  if (model && !resolve_queries (model, argc, argv, commands, error))
    return FALSE;

  if (!atc_cli_open_session (cli, error))
    return FALSE;
  model = atc_session_get_model (cli->session);
  if (!resolve_queries (model, argc, argv, commands, error))
    return FALSE;

  json_builder_begin_object (builder);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      g_autoptr(GError) local_error = NULL;
      g_auto(GStrv) values = query (cli, command, &local_error);

      if (values == NULL)
        {
          /* Keep going past a refusal so one bad command does not hide the
           * others; a dead link ends it. */
          if (!is_unit_refusal (local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_printerr ("%s: %s: %s\n", g_get_prgname (), command->name, local_error->message);
          if (first_error == NULL)
            first_error = g_steal_pointer (&local_error);
          continue;
        }

      if (cli->json)
        {
          json_builder_set_member_name (builder, command->name);
          atc_cli_build_values (cli, builder, command, (const char *const *) values);
        }
      else
        {
          g_autofree char *line = atc_cli_format_values (cli, command,
                                                         (const char *const *) values);
          g_print ("%s: %s\n", command->name, line);
        }
    }
  json_builder_end_object (builder);

  if (cli->json)
    atc_cli_print_builder (builder);

  if (first_error)
    {
      g_set_error (error, first_error->domain, first_error->code,
                   _("The unit refused some queries (see above)"));
      return FALSE;
    }
  return TRUE;
}

const AtcCliCommand atc_cli_command_get = {
  .name = "get",
  .arguments = N_("CMD…"),
  .summary = N_("Query commands and print their values"),
  .description = N_("Each CMD is a command name as in the documents, in any case, with or "
                    "without “AT+”: UART, csq, AT+SOCKA, \"HEART SND\".\n"
                    "Prints “CMD: param=value, …” per command; a value holding a comma, a quote, "
                    "a backslash or a control character is printed in double quotes with "
                    "\\\" \\\\ \\n \\r \\t escapes, as “set” reads it. Passwords show as "
                    "••• unless --show-secrets.\n"
                    "With --json: {\"CMD\": {\"param\": value, …}, …}; integers are numbers, "
                    "hidden passwords null.\n"
                    "A command the unit refuses is reported on stderr and the others are still "
                    "printed (exit status 4)."),
  .entries = NULL,
  .needs_device = TRUE,
  .run = get_run,
};

/* --------------------------------------------------------------------- set */

static gboolean set_restart;

static const GOptionEntry set_entries[] = {
  { "restart", 'r', 0, G_OPTION_ARG_NONE, &set_restart,
    N_("Restart the unit afterwards so the settings take effect"), NULL },
  { NULL }
};

typedef struct {
  const AtcCommand *command;
  GStrv             values;   /* canonical, as atc_command_validate() returns them */
} Assignment;

static void
assignment_clear (gpointer data)
{
  Assignment *assignment = data;

  g_strfreev (assignment->values);
}

static char *
param_names (const AtcCommand *command)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < command->params->len; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);

      g_string_append_printf (out, "%s%s", i ? ", " : "", param->name);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_assignment (AtcCli     *cli,
                  AtcModel   *model,
                  const char *arg,
                  Assignment *out,
                  GError    **error)
{
  const char *equals = strchr (arg, '=');
  g_autofree char *name = NULL;
  g_auto(GStrv) fields = NULL;
  const AtcCommand *command;
  guint n_fields;

  if (equals == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” has no value: write CMD=VALUE, for example UARTFT=100"), arg);
      return FALSE;
    }
  name = g_strndup (arg, equals - arg);
  command = atc_cli_lookup_command (model, name, error);
  if (command == NULL)
    return FALSE;
  if (!(command->access & ATC_ACCESS_SET) || command->params->len == 0)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                   (command->access & ATC_ACCESS_QUERY)
                   ? _("%s is read-only on the %s")
                   : _("%s is an action of the %s, not a setting"),
                   command->name, atc_model_get_name (model));
      return FALSE;
    }

  fields = atc_cli_split_fields (equals + 1, error);
  if (fields == NULL)
    {
      g_prefix_error (error, "%s: ", command->name);
      return FALSE;
    }
  n_fields = g_strv_length (fields);
  if (n_fields != command->params->len)
    {
      g_autofree char *names = param_names (command);

      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s expects %u field (%s) but got %u; quote a value that "
                                "holds a comma",
                                "%s expects %u fields (%s) but got %u; separate them with "
                                "commas and quote a value that holds one",
                                command->params->len),
                   command->name, command->params->len, names, n_fields);
      return FALSE;
    }

  for (guint i = 0; i < n_fields; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);

      if (param->secret && g_str_equal (fields[i], ATC_CLI_SECRET_MASK))
        {
          g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                       _("%s: %s is the mask %s copied from the output; type the real value"),
                       command->name, param->name, ATC_CLI_SECRET_MASK);
          return FALSE;
        }
    }

  out->values = atc_command_validate (command, (const char *const *) fields, error);
  if (out->values == NULL)
    return FALSE;
  out->command = command;
  return TRUE;
}

static gboolean
parse_assignments (AtcCli   *cli,
                   AtcModel *model,
                   int       argc,
                   char    **argv,
                   GArray   *out,
                   GError  **error)
{
  g_array_set_size (out, 0);
  for (int i = 1; i < argc; i++)
    {
      Assignment assignment = { 0 };

      if (!parse_assignment (cli, model, argv[i], &assignment, error))
        return FALSE;
      g_array_append_val (out, assignment);
    }
  return TRUE;
}

static char *
join_names (GArray *assignments,
            guint   from,
            guint   to)
{
  GString *out = g_string_new (NULL);

  for (guint i = from; i < to; i++)
    g_string_append_printf (out, "%s%s", i > from ? ", " : "",
                            g_array_index (assignments, Assignment, i).command->name);
  return g_string_free (out, FALSE);
}

static void
print_set_report (AtcCli       *cli,
                  GArray       *assignments,
                  guint         n_applied,
                  const GError *failure)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!cli->json)
    return;

  json_builder_begin_array (builder);
  for (guint i = 0; i < assignments->len; i++)
    {
      Assignment *assignment = &g_array_index (assignments, Assignment, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "command");
      json_builder_add_string_value (builder, assignment->command->name);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, i < n_applied ? "applied"
                                              : i == n_applied && failure ? "failed"
                                              : "not-sent");
      json_builder_set_member_name (builder, "values");
      atc_cli_build_values (cli, builder, assignment->command,
                            (const char *const *) assignment->values);
      if (i == n_applied && failure)
        {
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, failure->message);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  atc_cli_print_builder (builder);
}

static gboolean
set_run (AtcCli  *cli,
         int      argc,
         char   **argv,
         GError **error)
{
  g_autoptr(GArray) assignments = g_array_new (FALSE, TRUE, sizeof (Assignment));
  AtcModel *model = NULL;
  guint n_applied = 0;

  g_array_set_clear_func (assignments, assignment_clear);

  if (argc < 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give at least one CMD=VALUE, for example “set UARTFT=100”"));
      return FALSE;
    }

  /* Everything is validated before the first byte goes out: with --model
   * even before the port is opened, and again against the detected model. */
  if (!atc_cli_lookup_model_option (cli, &model, error))
    return FALSE;
  if (model && !parse_assignments (cli, model, argc, argv, assignments, error))
    return FALSE;
  if (!atc_cli_open_session (cli, error))
    return FALSE;
  model = atc_session_get_model (cli->session);
  if (!parse_assignments (cli, model, argc, argv, assignments, error))
    return FALSE;

  for (n_applied = 0; n_applied < assignments->len; n_applied++)
    {
      Assignment *assignment = &g_array_index (assignments, Assignment, n_applied);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *shown = NULL;

      atc_session_set_async (cli->session, assignment->command->name,
                             (const char *const *) assignment->values,
                             cli->cancellable, ATC_CLI_AWAIT (cli));
      result = atc_cli_await (cli);
      if (!atc_session_set_finish (cli->session, result, &local_error))
        {
          g_autofree char *applied = join_names (assignments, 0, n_applied);
          g_autofree char *unsent = join_names (assignments, n_applied + 1, assignments->len);

          print_set_report (cli, assignments, n_applied, local_error);
          g_set_error (error, local_error->domain, local_error->code,
                       _("%s: %s\nApplied: %s. Not sent: %s."),
                       assignment->command->name, local_error->message,
                       *applied ? applied : _("none"), *unsent ? unsent : _("none"));
          return FALSE;
        }

      shown = atc_cli_format_values (cli, assignment->command,
                                     (const char *const *) assignment->values);
      if (!cli->json)
        g_print (_("%s: set %s\n"), assignment->command->name, shown);
    }
  print_set_report (cli, assignments, n_applied, NULL);

  if (set_restart)
    {
      g_autoptr(GAsyncResult) result = NULL;

      if (!cli->json)
        g_print (_("Restarting the unit…\n"));
      atc_session_restart_async (cli->session, cli->cancellable, ATC_CLI_AWAIT (cli));
      result = atc_cli_await (cli);
      if (!atc_session_restart_finish (cli->session, result, error))
        {
          g_prefix_error (error, _("All settings were applied, but the restart failed: "));
          return FALSE;
        }
      if (!cli->json)
        g_print (_("The unit is back with the new settings.\n"));
    }
  else if (!cli->json)
    g_printerr (_("The unit uses the new settings after a restart (--restart).\n"));
  return TRUE;
}

const AtcCliCommand atc_cli_command_set = {
  .name = "set",
  .arguments = N_("CMD=VALUE…"),
  .summary = N_("Change settings, checking every value against the catalog first"),
  .description = N_("VALUE holds the command's fields in parameter order, separated by commas:\n"
                    "  set UART=115200,8,1,NONE,NFC  SOCKA=TCPC,test.usr.cn,2317\n"
                    "Values are the readable form shown by “get” (the tool writes the unit's "
                    "[2C]-style escapes itself). An empty field is written as nothing: "
                    "APN=CMNET,,,0.\n"
                    "A field holding a comma, a quote, or starting or ending with a space is "
                    "written in double quotes, and a backslash escapes the next character: "
                    "\\, \\\" \\\\, with \\n \\r \\t \\xHH for control characters. Quote the "
                    "whole argument for the shell:\n"
                    "  set 'STMSG=\"Hello, world\"'   set 'HTPHD=\"Connection: close\\r\\n\"'\n"
                    "Every value is checked first; if one is wrong nothing is sent. Then the "
                    "commands are sent in order; at the first the unit refuses, the rest are "
                    "not sent and the message lists what was applied.\n"
                    "With --json: [{\"command\", \"status\": applied|failed|not-sent, "
                    "\"values\", \"error\"}]."),
  .entries = set_entries,
  .needs_device = TRUE,
  .run = set_run,
};
