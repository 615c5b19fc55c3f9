/* atconf-cli.c: entry point and subcommand table of atconf-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "atc-cli.h"

/* The subcommand table. Adding a subcommand is one file plus one line here:
 *
 *   1. src/cli/atc-cli-thing.c defines `const AtcCliCommand atc_cli_command_thing`
 *      (name, arguments, N_() summary and description, its own GOptionEntry
 *      array, and a run function). The run function opens the unit with
 *      atc_cli_open_session(), drives the core's _async calls with
 *      `ATC_CLI_AWAIT (cli)` + atc_cli_await(), prints with atc_cli_format_values()
 *      / atc_cli_build_values() + atc_cli_print_json() (the global --json and
 *      --show-secrets are in `cli`), and returns FALSE with a GError on
 *      failure; the dispatcher prints it, leaves command mode, closes the
 *      link and picks the exit status from the error (atc_cli_exit_status()).
 *   2. Declare it in atc-cli.h and add `&atc_cli_command_thing,` below.
 *   3. Add the file to src/cli/meson.build and po/POTFILES.in.
 *
 * The global options (--device, --json, --password, ...) are added to every
 * subcommand's option context; do not redefine them. */
static const AtcCliCommand *const commands[] = {
  &atc_cli_command_ports,
  &atc_cli_command_detect,
  &atc_cli_command_get,
  &atc_cli_command_set,
  &atc_cli_command_console,
  &atc_cli_command_monitor,
  &atc_cli_command_read,
  &atc_cli_command_diff,
  &atc_cli_command_apply,
  &atc_cli_command_export_script,
  &atc_cli_command_provision,
  &atc_cli_command_save_profile,
};

const char *
atc_cli_exit_status_help (void)
{
  return _("Exit status:\n"
           "  0    success\n"
           "  1    the device could not be reached, or it stopped answering\n"
           "  2    usage error: bad option, argument or device address\n"
           "  3    a command name or value was refused before anything was sent\n"
           "  4    the unit answered with an error\n"
           "  130  interrupted");
}

static const char *
device_help (void)
{
  return _("Device addresses:\n"
           "  /dev/ttyUSB0\n"
           "  serial:/dev/ttyUSB0?baud=115200&parity=none&data=8&stop=1&flow=none\n"
           "  pty:/dev/pts/5\n"
           "  tcp:HOST:PORT, tcp:[::1]:2000\n"
           "  demo:g781, demo:m0 (built-in simulator)\n"
           "The default is $ATCONF_DEVICE. The command password may also come from\n"
           "$ATCONF_PASSWORD, which other users cannot see in the process list.\n"
           "Unless --keep-command-mode is given, the unit is returned to data mode\n"
           "(AT+ENTM) when the command ends.");
}

static void
add_global_entries (GOptionContext *context,
                    AtcCli         *cli)
{
  const GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING, &cli->device,
      N_("The unit to talk to (default: $ATCONF_DEVICE)"), N_("ADDR") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &cli->model_id,
      N_("Skip detection: the unit is this model (g781, m0)"), N_("MODEL") },
    { "password", 'p', 0, G_OPTION_ARG_STRING, &cli->password,
      N_("Send commands with this command password over the data channel"), N_("PW") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json,
      N_("Print machine-readable JSON"), NULL },
    { "show-secrets", 0, 0, G_OPTION_ARG_NONE, &cli->show_secrets,
      N_("Show passwords instead of masking them"), NULL },
    { "timeout-scale", 't', 0, G_OPTION_ARG_DOUBLE, &cli->timeout_scale,
      N_("Multiply every timeout (slow links)"), N_("FACTOR") },
    { "keep-command-mode", 'k', 0, G_OPTION_ARG_NONE, &cli->keep_command_mode,
      N_("Leave the unit in command mode at the end"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &cli->verbose,
      N_("Print the transaction log (secrets redacted) to stderr"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static const AtcCliCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i]->name, name))
      return commands[i];
  return NULL;
}

static void
print_usage (FILE *stream)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int width = 0;

  /* Pad to the longest name so the summaries line up. */
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, (int) strlen (commands[i]->name));

  g_string_append_printf (text, _("Usage:\n  %s COMMAND [OPTION…] [ARGUMENT…]\n\n"),
                          g_get_prgname ());
  g_string_append (text, _("Configure and query USR IOT serial devices (USR-G781, USR-M0) "
                           "through their AT commands.\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-*s  %s\n", width, commands[i]->name, _(commands[i]->summary));
  g_string_append_printf (text, _("\nRun “%s COMMAND --help” for the options of a command.\n\n"),
                          g_get_prgname ());
  g_string_append_printf (text, "%s\n\n%s\n", device_help (), atc_cli_exit_status_help ());
  fputs (text->str, stream);
}

static char *
suggest_subcommand (const char *name)
{
  g_autoptr(GString) names = g_string_new (NULL);

  /* A typo ("gte") or an abbreviation ("con"). */
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (atc_cli_edit_distance (commands[i]->name, name) <= 2 ||
        (strlen (name) >= 2 && g_str_has_prefix (commands[i]->name, name)))
      g_string_append_printf (names, "%s%s", names->len ? ", " : "", commands[i]->name);
  return names->len ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

static gboolean
on_terminate_signal (gpointer user_data)
{
  AtcCli *cli = user_data;

  /* A second Ctrl-C while the first is being honoured ends at once. */
  if (cli->interrupted)
    exit (ATC_CLI_EXIT_INTERRUPTED);
  cli->interrupted = TRUE;
  g_cancellable_cancel (cli->cancellable);
  return G_SOURCE_CONTINUE;
}

/* Help paragraphs are written as one line each; wrap them for a terminal.
 * Lines that start with spaces are examples and stay as written. */
static void
append_wrapped (GString    *out,
                const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) words = NULL;
      glong column = 0;

      if (i > 0)
        g_string_append_c (out, '\n');
      if (lines[i][0] == ' ')
        {
          g_string_append (out, lines[i]);
          continue;
        }
      words = g_strsplit (lines[i], " ", -1);
      for (guint w = 0; words[w]; w++)
        {
          glong len = g_utf8_strlen (words[w], -1);

          if (column > 0 && column + 1 + len > 78)
            {
              g_string_append_c (out, '\n');
              column = 0;
            }
          else if (column > 0)
            {
              g_string_append_c (out, ' ');
              column++;
            }
          g_string_append (out, words[w]);
          column += len;
        }
    }
}

static GOptionContext *
build_context (AtcCli              *cli,
               const AtcCliCommand *command)
{
  g_autoptr(GString) description = g_string_new (NULL);
  GOptionContext *context;

  context = g_option_context_new (command->arguments ? _(command->arguments) : NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(command->summary));
  if (command->description)
    {
      append_wrapped (description, _(command->description));
      g_string_append (description, "\n\n");
    }
  if (command->needs_device)
    g_string_append_printf (description, "%s\n\n", device_help ());
  g_string_append (description, atc_cli_exit_status_help ());
  g_option_context_set_description (context, description->str);

  if (command->entries)
    g_option_context_add_main_entries (context, command->entries, GETTEXT_PACKAGE);
  add_global_entries (context, cli);
  return context;
}

static gboolean
check_global_options (AtcCli  *cli,
                      GError **error)
{
  if (!(cli->timeout_scale > 0.0 && cli->timeout_scale <= 1000.0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--timeout-scale must be a number above 0 and at most 1000, not %g"),
                   cli->timeout_scale);
      return FALSE;
    }
  if (cli->password == NULL && g_getenv ("ATCONF_PASSWORD") && *g_getenv ("ATCONF_PASSWORD"))
    cli->password = g_strdup (g_getenv ("ATCONF_PASSWORD"));
  if (cli->password != NULL && *cli->password == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--password must not be empty"));
      return FALSE;
    }
  return TRUE;
}

static int
run_command (AtcCli              *cli,
             const AtcCliCommand *command,
             char               **argv)
{
  g_autoptr(GOptionContext) context = build_context (cli, command);
  g_auto(GStrv) args = argv;
  g_autofree char *prgname = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) close_error = NULL;
  gboolean ok;

  /* "atconf-cli set [OPTION…] CMD=VALUE…" in --help, and "atconf-cli set:"
   * before its messages. */
  prgname = g_strdup_printf ("atconf-cli %s", command->name);
  g_set_prgname (prgname);
  cli->command = command;
  if (!g_option_context_parse_strv (context, &args, &error) ||
      !check_global_options (cli, &error))
    {
      atc_cli_print_error (cli, error);
      return ATC_CLI_EXIT_USAGE;
    }

  ok = command->run (cli, g_strv_length (args), args, &error);

  /* Leave command mode even after a unit error: the unit still answers.
   * A failure to leave matters only when nothing else went wrong. */
  if (cli->session != NULL &&
      !atc_cli_close_session (cli, ok ? &close_error : NULL) && ok)
    {
      ok = FALSE;
      error = g_steal_pointer (&close_error);
    }

  if (!ok)
    {
      atc_cli_print_error (cli, error);
      return atc_cli_exit_status (error);
    }
  return ATC_CLI_EXIT_OK;
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) args = NULL;
  const AtcCliCommand *command;
  AtcCli cli = { 0 };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("atconf-cli");

  if (argc < 2)
    {
      print_usage (stderr);
      return ATC_CLI_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      (g_str_equal (argv[1], "help") && argc == 2))
    {
      print_usage (stdout);
      return ATC_CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("atconf-cli %s\n", PACKAGE_VERSION);
      return ATC_CLI_EXIT_OK;
    }

  /* "help CMD" is "CMD --help". */
  if (g_str_equal (argv[1], "help"))
    {
      const char *help_args[] = { argv[2], "--help", NULL };

      args = g_strdupv ((char **) help_args);
    }
  else
    args = g_strdupv (argv + 1);

  command = find_command (args[0]);
  if (command == NULL)
    {
      g_autofree char *close = suggest_subcommand (args[0]);

      g_printerr (_("%s: unknown command “%s”.\n"), g_get_prgname (), args[0]);
      if (close)
        g_printerr (_("Did you mean: %s?\n"), close);
      g_printerr (_("Run “%s --help” for the list of commands.\n"), g_get_prgname ());
      return ATC_CLI_EXIT_USAGE;
    }

  cli.timeout_scale = 1.0;
  cli.cancellable = g_cancellable_new ();
  g_unix_signal_add (SIGINT, on_terminate_signal, &cli);
  g_unix_signal_add (SIGTERM, on_terminate_signal, &cli);
  g_unix_signal_add (SIGHUP, on_terminate_signal, &cli);

  status = run_command (&cli, command, g_steal_pointer (&args));

  g_clear_pointer (&cli.detection, atc_detection_free);
  g_clear_object (&cli.session);
  g_clear_object (&cli.cancellable);
  g_free (cli.device);
  g_free (cli.model_id);
  if (cli.password)
    explicit_bzero (cli.password, strlen (cli.password));
  g_free (cli.password);
  return status;
}
