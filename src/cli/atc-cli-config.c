/* atc-cli-config.c: read, diff, apply, export-script, provision, save-profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "atc-applier.h"
#include "atc-cli.h"
#include "atc-config-diff.h"
#include "atc-config-reader.h"
#include "atc-profile.h"
#include "atc-provisioner.h"
#include "atc-script.h"

/* ---------------------------------------------------------------- helpers */

static gboolean
no_more_arguments (int      argc,
                   char   **argv,
                   int      expected,
                   GError **error)
{
  if (argc <= expected)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
               _("Unexpected argument “%s”"), argv[expected]);
  return FALSE;
}

/* Exactly one argument; `usage` says what it is when it is missing. */
static gboolean
one_argument (int          argc,
              char       **argv,
              const char  *usage,
              GError     **error)
{
  if (argc < 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, usage);
      return FALSE;
    }
  return no_more_arguments (argc, argv, 2, error);
}

static void
print_lines (const char *const *lines)
{
  for (guint i = 0; lines[i] != NULL; i++)
    g_print ("%s\n", lines[i]);
}

/* Progress on a terminal only: a redirected stderr keeps clean lines. */
static gboolean
show_progress (void)
{
  return isatty (STDERR_FILENO);
}

static void
clear_progress (void)
{
  if (show_progress ())
    g_printerr ("\r\033[K");
}

static void
on_read_progress (AtcConfigReader *reader,
                  guint            done,
                  guint            total,
                  const char      *command,
                  gpointer         user_data)
{
  if (show_progress ())
    g_printerr ("\r\033[K%s %u/%u", _("Reading the unit…"), done, total);
}

static const char *
phase_text (AtcApplyPhase phase)
{
  switch (phase)
    {
    case ATC_APPLY_PHASE_READ:
      return _("Reading");
    case ATC_APPLY_PHASE_SET:
      return _("Setting");
    case ATC_APPLY_PHASE_VERIFY:
      return _("Checking");
    case ATC_APPLY_PHASE_RESTART:
      return _("Restarting the unit");
    case ATC_APPLY_PHASE_VERIFY_RESTART:
      return _("Checking after the restart");
    case ATC_APPLY_PHASE_DONE:
    default:
      return "";
    }
}

static void
on_apply_progress (AtcApplier *applier,
                   int         phase,
                   const char *command,
                   guint       done,
                   guint       total,
                   gpointer    user_data)
{
  if (!show_progress ())
    return;
  if (phase == ATC_APPLY_PHASE_DONE)
    g_printerr ("\r\033[K");
  else if (command != NULL)
    g_printerr ("\r\033[K%s %s (%u/%u)", phase_text (phase), command, done + 1, total);
  else
    g_printerr ("\r\033[K%s…", phase_text (phase));
}

static AtcConfig *
read_unit (AtcCli  *cli,
           GError **error)
{
  g_autoptr(AtcConfigReader) reader = atc_config_reader_new (cli->session);
  g_autoptr(GAsyncResult) result = NULL;
  AtcConfig *config;

  g_signal_connect (reader, "progress", G_CALLBACK (on_read_progress), NULL);
  atc_config_reader_read_async (reader, cli->cancellable, ATC_CLI_AWAIT (cli));
  result = atc_cli_await (cli);
  config = atc_config_reader_read_finish (reader, result, error);
  clear_progress ();
  return config;
}

/* "A, B, C" */
static char *
join_names (GStrv names)
{
  return g_strjoinv (", ", names);
}

/* The failed reads of a configuration as one error, NULL when none. */
static GError *
failed_reads_error (AtcConfig  *config,
                    const char *what_now)
{
  g_auto(GStrv) failed = atc_config_get_failed_reads (config);
  g_autofree char *names = NULL;
  const GError *first;

  if (failed[0] == NULL)
    return NULL;

  names = join_names (failed);
  first = atc_config_get_read_error (config, failed[0]);
  return g_error_new (first->domain, first->code,
                      ngettext ("%u setting could not be read (%s): %s. %s",
                                "%u settings could not be read (%s): %s. %s",
                                g_strv_length (failed)),
                      g_strv_length (failed), names, first->message, what_now);
}

static gboolean
looks_like_json (const char *text)
{
  while (g_ascii_isspace (*text))
    text++;
  return *text == '{' || *text == '[';
}

/* The model a script names in its "# model: g781" header, or NULL. */
static AtcModel *
script_model (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (*line != '#')
        continue;
      line++;
      while (g_ascii_isspace (*line))
        line++;
      if (g_str_has_prefix (line, "model:"))
        {
          g_autofree char *id = g_strdup (line + strlen ("model:"));
          char *end;

          g_strstrip (id);
          for (end = id; *end && !g_ascii_isspace (*end); end++)
            ;
          *end = '\0';
          return atc_catalog_lookup (atc_catalog_get_default (), id);
        }
    }

  return NULL;
}

/* A problem in the profile is a value refused before anything was sent. */
static void
as_refusal (GError *error)
{
  if (g_error_matches (error, ATC_ERROR, ATC_ERROR_PROFILE))
    error->code = ATC_ERROR_INVALID_VALUE;
}

/* A JSON profile or an AT command script. A script is read for the model
 * its header names, else `model` (the unit's), else --model. */
static AtcProfile *
load_profile (AtcCli      *cli,
              const char  *path,
              const char  *contents,
              gsize        length,
              AtcModel    *model,
              GError     **error)
{
  AtcProfile *profile;

  if (looks_like_json (contents))
    profile = atc_profile_load_data (contents, length, path, NULL, error);
  else
    {
      AtcModel *named = script_model (contents);

      if (named == NULL)
        named = model;
      if (named == NULL && !atc_cli_lookup_model_option (cli, &named, error))
        return NULL;
      if (named == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("%s is a script without a “# model:” line; say which model it is for "
                         "with --model g781 or --model m0"), path);
          return NULL;
        }
      profile = atc_script_import (contents, path, named, error);
    }

  if (profile == NULL && error != NULL)
    as_refusal (*error);
  return profile;
}

static char *
read_profile_file (const char  *path,
                   gsize       *length,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, &local_error))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Cannot read the profile: %s"), local_error->message);
      return NULL;
    }
  return contents;
}

/* Loads PROFILE before the unit is touched when it can (JSON, or a script
 * naming its model), and otherwise once the unit's model is known. */
typedef struct {
  const char *path;
  char       *contents;
  gsize       length;
  AtcProfile *profile;
} ProfileArg;

static void
profile_arg_clear (ProfileArg *arg)
{
  g_clear_pointer (&arg->contents, g_free);
  g_clear_object (&arg->profile);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ProfileArg, profile_arg_clear)

static gboolean
profile_arg_early (AtcCli      *cli,
                   ProfileArg  *arg,
                   const char  *path,
                   GError     **error)
{
  AtcModel *model = NULL;

  arg->path = path;
  arg->contents = read_profile_file (path, &arg->length, error);
  if (arg->contents == NULL)
    return FALSE;

  if (looks_like_json (arg->contents) || script_model (arg->contents) != NULL)
    {
      arg->profile = load_profile (cli, path, arg->contents, arg->length, NULL, error);
      return arg->profile != NULL;
    }

  if (!atc_cli_lookup_model_option (cli, &model, error))
    return FALSE;
  if (model != NULL)
    {
      arg->profile = load_profile (cli, path, arg->contents, arg->length, model, error);
      return arg->profile != NULL;
    }

  return TRUE;
}

static gboolean
profile_arg_for_unit (AtcCli      *cli,
                      ProfileArg  *arg,
                      GError     **error)
{
  AtcModel *model = atc_session_get_model (cli->session);

  if (arg->profile == NULL)
    arg->profile = load_profile (cli, arg->path, arg->contents, arg->length, model, error);
  if (arg->profile == NULL)
    return FALSE;

  if (!atc_profile_check_model (arg->profile, model, error))
    {
      as_refusal (*error);
      return FALSE;
    }

  /* Not an error: firmware differences are common and usually harmless,
   * but a surprise in the field deserves a word. */
  if (atc_profile_get_firmware (arg->profile) != NULL &&
      atc_session_get_firmware (cli->session) != NULL &&
      g_strcmp0 (atc_profile_get_firmware (arg->profile), atc_session_get_firmware (cli->session)) != 0)
    g_printerr (_("%s: note: the profile was made for firmware %s, the unit runs %s\n"),
                g_get_prgname (), atc_profile_get_firmware (arg->profile),
                atc_session_get_firmware (cli->session));

  return TRUE;
}

/* Loads PROFILE at `path`, reaches the unit, checks the profile against it
 * and reads the unit: its configuration, or NULL. */
static AtcConfig *
read_unit_for_profile (AtcCli      *cli,
                       ProfileArg  *arg,
                       const char  *path,
                       GError     **error)
{
  if (!profile_arg_early (cli, arg, path, error) ||
      !atc_cli_open_session (cli, error) ||
      !profile_arg_for_unit (cli, arg, error))
    return NULL;
  return read_unit (cli, error);
}

static gboolean
has_device (AtcCli *cli)
{
  const char *env = g_getenv ("ATCONF_DEVICE");

  return (cli->device != NULL && *cli->device != '\0') || (env != NULL && *env != '\0');
}

/* -------------------------------------------------------------------- read */

static gboolean
read_run (AtcCli  *cli,
          int      argc,
          char   **argv,
          GError **error)
{
  g_autoptr(AtcConfig) config = NULL;
  g_autoptr(GError) failed = NULL;

  if (!no_more_arguments (argc, argv, 1, error) ||
      !atc_cli_open_session (cli, error))
    return FALSE;

  config = read_unit (cli, error);
  if (config == NULL)
    return FALSE;

  if (cli->json)
    {
      g_autoptr(JsonNode) root = atc_config_to_json (config, cli->show_secrets);

      atc_cli_print_json (root);
    }
  else
    {
      g_autofree char *text = atc_config_to_text (config, cli->show_secrets);

      g_print ("%s", text);
    }

  failed = failed_reads_error (config, _("They are shown as “not read”; run read again."));
  if (failed != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&failed));
      return FALSE;
    }
  return TRUE;
}

const AtcCliCommand atc_cli_command_read = {
  .name = "read",
  .arguments = NULL,
  .summary = N_("Read every setting and the identity of the unit"),
  .description = N_("Queries all settings (one command at a time) and the identity facts, and "
                    "prints them as “UART baud rate: 115200” lines. Passwords show as ••• unless "
                    "--show-secrets.\n"
                    "With --json: {\"model\", \"facts\": {…}, \"settings\": {\"UART\": "
                    "{\"baud_rate\": \"115200\", …}}, \"sources\": {…}, \"read_errors\": {…}}.\n"
                    "A setting that cannot be read is listed and the exit status is not 0; the "
                    "others are still printed."),
  .entries = NULL,
  .needs_device = TRUE,
  .run = read_run,
};

/* -------------------------------------------------------------------- diff */

static gboolean
diff_run (AtcCli  *cli,
          int      argc,
          char   **argv,
          GError **error)
{
  g_auto(ProfileArg) arg = { 0 };
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcConfigDiff) diff = NULL;

  if (!one_argument (argc, argv,
                     _("Name the profile to compare with, for example “diff site.json”"), error))
    return FALSE;
  current = read_unit_for_profile (cli, &arg, argv[1], error);
  if (current == NULL)
    return FALSE;
  target = atc_profile_apply_to_config (arg.profile, current);
  diff = atc_config_diff_new (current, target);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, atc_model_get_id (atc_config_get_model (current)));
      json_builder_set_member_name (builder, "profile");
      json_builder_add_string_value (builder, arg.path);
      json_builder_set_member_name (builder, "changes");
      json_builder_add_value (builder, atc_config_diff_to_json (diff, cli->show_secrets));
      json_builder_end_object (builder);
      atc_cli_print_builder (builder);
    }
  else if (atc_config_diff_is_empty (diff))
    g_print (_("No differences: the unit already holds every setting of %s.\n"), arg.path);
  else
    {
      g_auto(GStrv) lines = atc_config_diff_to_lines (diff, cli->show_secrets);

      print_lines ((const char *const *) lines);
    }

  return TRUE;
}

const AtcCliCommand atc_cli_command_diff = {
  .name = "diff",
  .arguments = N_("PROFILE"),
  .summary = N_("Show what applying a profile would change on the unit"),
  .description = N_("PROFILE is a JSON profile (see save-profile) or an AT command script (see "
                    "export-script). Prints one line per setting that differs, “UART parity: "
                    "NONE -> EVEN”, in the order apply would send them; passwords show as ••• "
                    "unless --show-secrets. A setting the unit could not report shows "
                    "“(unknown)”.\n"
                    "With --json: {\"model\", \"profile\", \"changes\": [{\"command\", \"param\", "
                    "\"label\", \"old\", \"new\", \"secret\"}, …]}."),
  .entries = NULL,
  .needs_device = TRUE,
  .run = diff_run,
};

/* ------------------------------------------------------------------- apply */

static gboolean opt_dry_run;
static gboolean opt_restart;

static const GOptionEntry apply_entries[] = {
  { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &opt_dry_run,
    N_("Print the command lines that would be sent, and send none"), NULL },
  { "restart", 'r', 0, G_OPTION_ARG_NONE, &opt_restart,
    N_("Restart the unit afterwards so the settings take effect, and check them again"), NULL },
  { NULL }
};

static gboolean
apply_run (AtcCli  *cli,
           int      argc,
           char   **argv,
           GError **error)
{
  g_auto(ProfileArg) arg = { 0 };
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const GError *stop;

  if (!one_argument (argc, argv,
                     _("Name the profile to apply, for example “apply site.json”"), error))
    return FALSE;
  current = read_unit_for_profile (cli, &arg, argv[1], error);
  if (current == NULL)
    return FALSE;

  applier = atc_applier_new_for_profile (cli->session, current, arg.profile);
  atc_applier_set_restart (applier, opt_restart);

  if (opt_dry_run)
    {
      g_auto(GStrv) lines = atc_applier_dry_run (applier, cli->show_secrets, error);

      if (lines == NULL)
        return FALSE;

      if (cli->json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          atc_cli_add_string_array (builder, "lines", (const char *const *) lines);
          json_builder_set_member_name (builder, "changes");
          json_builder_add_value (builder, atc_config_diff_to_json (atc_applier_get_diff (applier),
                                                                    cli->show_secrets));
          json_builder_end_object (builder);
          atc_cli_print_builder (builder);
        }
      else
        {
          print_lines ((const char *const *) lines);
          if (lines[0] == NULL)
            g_printerr (_("%s: nothing to send: the unit already holds every setting of %s\n"),
                        g_get_prgname (), arg.path);
        }
      return TRUE;
    }

  g_signal_connect (applier, "progress", G_CALLBACK (on_apply_progress), NULL);
  atc_applier_apply_async (applier, cli->cancellable, ATC_CLI_AWAIT (cli));
  result = atc_cli_await (cli);
  report = atc_applier_apply_finish (applier, result, error);
  clear_progress ();
  if (report == NULL)
    return FALSE;

  if (cli->json)
    {
      g_autoptr(JsonNode) root = atc_apply_report_to_json (report);

      atc_cli_print_json (root);
    }
  else
    {
      g_autofree char *text = atc_apply_report_to_text (report);

      g_print ("%s", text);
    }

  stop = atc_apply_report_get_error (report);
  if (stop != NULL)
    {
      g_set_error (error, stop->domain, stop->code,
                   _("The apply did not finish (see the report); run the same command again "
                     "to apply what is left"));
      return FALSE;
    }
  return TRUE;
}

const AtcCliCommand atc_cli_command_apply = {
  .name = "apply",
  .arguments = N_("PROFILE"),
  .summary = N_("Apply a profile: send only what differs, then read it back"),
  .description = N_("Reads the unit, sends one set command per command that differs from "
                    "PROFILE (its untouched parameters as the unit holds them), settings before "
                    "the switches that enable them and the work mode last, then reads each one "
                    "back. With --restart the unit is restarted and checked again.\n"
                    "The report says for each setting: applied and verified, applied but not "
                    "verified, not applied, or unknown (sent, no reply). After an interruption "
                    "run the same command again: it sends only what is left.\n"
                    "--dry-run prints the exact lines instead (passwords as ••• unless "
                    "--show-secrets).\n"
                    "With --json: the report as JSON (dry run: {\"lines\", \"changes\"})."),
  .entries = apply_entries,
  .needs_device = TRUE,
  .run = apply_run,
};

/* ----------------------------------------------------------- export-script */

static char *opt_output;

static const GOptionEntry export_entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
    N_("Write the script to FILE instead of standard output"), N_("FILE") },
  { NULL }
};

static gboolean
export_run (AtcCli  *cli,
            int      argc,
            char   **argv,
            GError **error)
{
  g_auto(ProfileArg) arg = { 0 };
  g_autofree char *script = NULL;

  if (!no_more_arguments (argc, argv, 2, error))
    return FALSE;
  if (argc == 2 && !profile_arg_early (cli, &arg, argv[1], error))
    return FALSE;

  if (argc == 2 && !has_device (cli))
    {
      /* No unit: the profile's own commands, each of them complete. */
      if (arg.profile == NULL &&
          !(arg.profile = load_profile (cli, arg.path, arg.contents, arg.length, NULL, error)))
        return FALSE;
      script = atc_script_export_profile (arg.profile, cli->show_secrets, error);
      if (script == NULL)
        {
          as_refusal (*error);
          return FALSE;
        }
    }
  else
    {
      g_autoptr(AtcConfig) current = NULL;

      if (!atc_cli_open_session (cli, error))
        return FALSE;
      if (argc == 2 && !profile_arg_for_unit (cli, &arg, error))
        return FALSE;

      current = read_unit (cli, error);
      if (current == NULL)
        return FALSE;

      if (argc == 2)
        {
          g_autoptr(AtcConfig) target = atc_profile_apply_to_config (arg.profile, current);
          g_autoptr(AtcConfigDiff) diff = atc_config_diff_new (current, target);

          script = atc_script_export (target, diff, cli->show_secrets, error);
        }
      else
        {
          g_autoptr(GError) failed = failed_reads_error (current, _("They are left out of the script."));

          script = atc_script_export (current, NULL, cli->show_secrets, error);
          if (failed != NULL)
            g_printerr ("%s: %s\n", g_get_prgname (), failed->message);
        }
      if (script == NULL)
        return FALSE;
    }

  if (opt_output != NULL)
    {
      if (!atc_script_save_file (script, opt_output, cli->show_secrets, error))
        return FALSE;
      g_printerr (cli->show_secrets
                  ? _("%s: wrote %s (it holds passwords: readable by you only)\n")
                  : _("%s: wrote %s\n"),
                  g_get_prgname (), opt_output);
    }
  else
    g_print ("%s", script);

  return TRUE;
}

const AtcCliCommand atc_cli_command_export_script = {
  .name = "export-script",
  .arguments = N_("[PROFILE]"),
  .summary = N_("Write settings as a plain AT command script"),
  .description = N_("Without PROFILE: every setting of the unit, one AT+CMD=… line each, with "
                    "comments. With PROFILE and a unit: the lines “apply PROFILE” would send. "
                    "With PROFILE and no --device: the profile's own commands.\n"
                    "Commands holding a password are written as comments unless --show-secrets; "
                    "a file written with -o and --show-secrets is readable by you only.\n"
                    "The script can be applied with “apply SCRIPT” (its “# model:” line tells "
                    "the model) or typed into any terminal."),
  .entries = export_entries,
  .needs_device = TRUE,
  .run = export_run,
};

/* --------------------------------------------------------------- provision */

static char *opt_ports;
static char *opt_report;
static gboolean opt_provision_restart;

static const GOptionEntry provision_entries[] = {
  { "ports", 0, 0, G_OPTION_ARG_STRING, &opt_ports,
    N_("The units, as device addresses separated by commas"), N_("P1,P2,…") },
  { "report", 0, 0, G_OPTION_ARG_FILENAME, &opt_report,
    N_("Write the report to FILE: CSV if it ends in .csv, JSON if .json"), N_("FILE") },
  { "restart", 'r', 0, G_OPTION_ARG_NONE, &opt_provision_restart,
    N_("Restart each unit afterwards and check its settings again"), NULL },
  { NULL }
};

static void
on_unit_finished (AtcProvisioner    *provisioner,
                  guint              index,
                  AtcProvisionEntry *entry,
                  gpointer           user_data)
{
  AtcCli *cli = user_data;
  guint total = atc_provisioner_get_n_units (provisioner);

  if (cli->json)
    return;

  if (entry->result == ATC_PROVISION_OK)
    g_print (ngettext ("[%u/%u] %s: ok, %u setting changed%s%s%s\n",
                       "[%u/%u] %s: ok, %u settings changed%s%s%s\n", entry->settings_changed),
             index + 1, total, entry->address, entry->settings_changed,
             entry->sn ? " (SN " : "", entry->sn ? entry->sn : "", entry->sn ? ")" : "");
  else
    g_print ("[%u/%u] %s: %s: %s\n", index + 1, total, entry->address,
             atc_provision_result_to_string (entry->result),
             entry->errors->len > 0 ? (const char *) g_ptr_array_index (entry->errors, 0) : "");
}

static gboolean
provision_run (AtcCli  *cli,
               int      argc,
               char   **argv,
               GError **error)
{
  g_auto(ProfileArg) arg = { 0 };
  g_autoptr(AtcProvisioner) provisioner = NULL;
  g_autoptr(AtcProvisionReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_auto(GStrv) ports = NULL;
  g_autofree char *lower = NULL;
  guint n_ok;
  guint n_units;

  if (!one_argument (argc, argv,
                     _("Name the profile, for example “provision site.json --ports "
                       "/dev/ttyUSB0,/dev/ttyUSB1 --report units.csv”"), error))
    return FALSE;
  if (opt_ports == NULL || *opt_ports == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give the units with --ports P1,P2,… (device addresses)"));
      return FALSE;
    }
  /* Checked first: finding out after an hour of provisioning that the
   * report cannot be written would lose it. */
  if (opt_report == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give the report file with --report FILE.csv or FILE.json"));
      return FALSE;
    }
  lower = g_ascii_strdown (opt_report, -1);
  if (!g_str_has_suffix (lower, ".csv") && !g_str_has_suffix (lower, ".json"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The report file %s must end in .csv or .json"), opt_report);
      return FALSE;
    }

  if (!profile_arg_early (cli, &arg, argv[1], error))
    return FALSE;
  if (arg.profile == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s is a script without a “# model:” line; say which model it is for "
                     "with --model g781 or --model m0"), arg.path);
      return FALSE;
    }

  provisioner = atc_provisioner_new (arg.profile);
  ports = g_strsplit (opt_ports, ",", -1);
  for (guint i = 0; ports[i] != NULL; i++)
    {
      g_autoptr(AtcAddress) address = NULL;
      const char *port = g_strstrip (ports[i]);

      if (*port == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--ports has an empty entry (number %u); remove the extra comma"), i + 1);
          return FALSE;
        }
      /* Every address is checked before any unit is touched. */
      address = atc_address_parse (port, error);
      if (address == NULL)
        return FALSE;
      atc_provisioner_add_address (provisioner, port);
    }

  atc_provisioner_set_restart (provisioner, opt_provision_restart);
  atc_provisioner_set_timeout_scale (provisioner, cli->timeout_scale);
  if (cli->password != NULL)
    atc_provisioner_set_command_password (provisioner, cli->password);
  g_signal_connect (provisioner, "unit-finished", G_CALLBACK (on_unit_finished), cli);

  atc_provisioner_run_async (provisioner, cli->cancellable, ATC_CLI_AWAIT (cli));
  result = atc_cli_await (cli);
  report = atc_provisioner_run_finish (provisioner, result, error);
  if (report == NULL)
    return FALSE;

  if (!atc_provision_report_save (report, opt_report, error))
    return FALSE;

  n_units = atc_provision_report_get_entries (report)->len;
  n_ok = atc_provision_report_count (report, ATC_PROVISION_OK);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = atc_provision_report_to_json (report);

      atc_cli_print_json (root);
    }
  else
    g_print (_("%u of %u units provisioned; report written to %s\n"), n_ok, n_units, opt_report);

  if (cli->interrupted)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Interrupted"));
      return FALSE;
    }
  if (n_ok < n_units)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_FAILED,
                   ngettext ("%u unit was not provisioned completely; see %s, fix the cause and "
                             "run provision again for it",
                             "%u units were not provisioned completely; see %s, fix the causes and "
                             "run provision again for them", n_units - n_ok),
                   n_units - n_ok, opt_report);
      return FALSE;
    }
  return TRUE;
}

const AtcCliCommand atc_cli_command_provision = {
  .name = "provision",
  .arguments = N_("PROFILE"),
  .summary = N_("Apply a profile to several units at once and write a report"),
  .description = N_("Each unit in --ports gets its own connection and all run in parallel: "
                    "detect, refuse a unit of another model, read its identity, apply PROFILE "
                    "with read-back (and restart with --restart), return it to data mode.\n"
                    "  provision site.json --ports /dev/ttyUSB0,/dev/ttyUSB1 --report units.csv\n"
                    "The report has one row per unit: time, address, model, firmware, sn, imei, "
                    "iccid, mac, result (ok, partial, failed), settings_changed, errors. It is "
                    "written even when some units fail; the exit status is then 1.\n"
                    "--password (or $ATCONF_PASSWORD) applies to every unit; an address's own "
                    "?password= wins."),
  .entries = provision_entries,
  .needs_device = FALSE,
  .run = provision_run,
};

/* ------------------------------------------------------------ save-profile */

static gboolean opt_with_secrets;
static char *opt_notes;

static const GOptionEntry save_entries[] = {
  { "with-secrets", 0, 0, G_OPTION_ARG_NONE, &opt_with_secrets,
    N_("Include passwords (the file is then readable by you only)"), NULL },
  { "notes", 0, 0, G_OPTION_ARG_STRING, &opt_notes,
    N_("A note stored in the profile, e.g. the site"), N_("TEXT") },
  { NULL }
};

static gboolean
save_run (AtcCli  *cli,
          int      argc,
          char   **argv,
          GError **error)
{
  g_autoptr(AtcConfig) config = NULL;
  g_autoptr(AtcProfile) profile = NULL;
  g_autoptr(GError) failed = NULL;
  guint n_values;

  if (!one_argument (argc, argv,
                     _("Name the file to save, for example “save-profile site.json”"), error) ||
      !atc_cli_open_session (cli, error))
    return FALSE;

  config = read_unit (cli, error);
  if (config == NULL)
    return FALSE;

  profile = atc_profile_new_from_config (config, opt_with_secrets);
  if (opt_notes != NULL)
    atc_profile_set_notes (profile, opt_notes);
  if (!atc_profile_save_file (profile, argv[1], opt_with_secrets, error))
    return FALSE;

  n_values = atc_profile_get_n_values (profile);
  failed = failed_reads_error (config, _("They are not in the profile; run save-profile again."));

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_auto(GStrv) left_out = atc_config_get_failed_reads (config);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, argv[1]);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, atc_model_get_id (atc_config_get_model (config)));
      json_builder_set_member_name (builder, "settings");
      json_builder_add_int_value (builder, n_values);
      json_builder_set_member_name (builder, "secrets");
      json_builder_add_boolean_value (builder, atc_profile_has_secrets (profile));
      atc_cli_add_string_array (builder, "not_read", (const char *const *) left_out);
      json_builder_end_object (builder);
      atc_cli_print_builder (builder);
    }
  else
    g_print (opt_with_secrets
             ? _("Saved %u values of the %s to %s (with passwords: readable by you only)\n")
             : _("Saved %u values of the %s to %s (passwords left out)\n"),
             n_values, atc_model_get_name (atc_config_get_model (config)), argv[1]);

  if (failed != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&failed));
      return FALSE;
    }
  return TRUE;
}

const AtcCliCommand atc_cli_command_save_profile = {
  .name = "save-profile",
  .arguments = N_("FILE"),
  .summary = N_("Save the unit's settings as a JSON profile"),
  .description = N_("Reads every setting and writes them to FILE as a profile for diff, apply "
                    "and provision. Passwords are left out unless --with-secrets; the file is "
                    "then created readable by you only (mode 0600). Settings that belong to one "
                    "unit (custom MAC, cloud ID) are never saved. A setting that cannot be read "
                    "is left out, named, and the exit status is not 0."),
  .entries = save_entries,
  .needs_device = TRUE,
  .run = save_run,
};
