/* atc-cli-console.c: interactive raw AT console
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On a terminal: raw mode, the small line editor (atc-cli-lineedit.c),
 * history in $XDG_STATE_HOME/atconf/console-history and Tab completion of
 * command names. Otherwise: one command per input line, no prompt, so
 * scripts and tests can pipe commands in. Either way one line is sent at a
 * time with atc_session_send_line_async() and its reply printed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>

#include "atc-cli.h"
#include "atc-cli-lineedit.h"
#include "atc-codec.h"
#include "atc-console-history.h"
#include "atc-console-line.h"

typedef struct {
  AtcCli            *cli;
  AtcModel          *model;
  GMainLoop         *loop;
  gboolean           tty;

  /* Terminal */
  AtcLineEditor     *editor;
  guint              stdin_watch;
  GByteArray        *typed;        /* bytes typed while a command runs */
  AtcConsoleHistory *history;
  gboolean           history_failed; /* said once; no more saving */

  /* Pipe */
  GDataInputStream  *input;

  gboolean           busy;
  char              *pending_line; /* the line whose reply is awaited */
  GCancellable      *command_cancellable;
  gulong             cancelled_id;
  gboolean           unit_refused; /* some reply was an error (pipe mode exit status) */
  GError            *error;        /* what ended the console, if not the user */
} Console;

static void console_next (Console *console);

/* ------------------------------------------------------------ terminal */

static struct termios saved_termios;
static gboolean termios_saved;

static void
restore_terminal (void)
{
  if (termios_saved)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      termios_saved = FALSE;
    }
}

static gboolean
enter_raw_mode (GError **error)
{
  struct termios raw;

  if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot read the terminal settings: %s"), g_strerror (errsv));
      return FALSE;
    }
  termios_saved = TRUE;
  /* Restored on every way out: normal return, exit() from a second Ctrl-C. */
  atexit (restore_terminal);

  raw = saved_termios;
  /* Keys arrive one by one and unechoed; Ctrl-C is a key, not a signal, so
   * the editor decides. Output processing stays on: "\n" still moves to
   * the start of the next line. */
  raw.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
  raw.c_iflag &= ~(IXON | ICRNL | INLCR | IGNCR);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &raw) != 0)
    {
      int errsv = errno;

      termios_saved = FALSE;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot switch the terminal to raw mode: %s"), g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------ lines */

/* Where the AT command of a typed line starts (after a command password
 * typed by hand), or -1 when there is none. */
static gssize
find_command_start (Console    *console,
                    const char *line)
{
  const char *passwords[] = { console->cli->password, NULL };

  return atc_console_line_command_start (console->model, passwords, line);
}

/* The catalog command a line "AT+NAME=…" / "AT+NAME?" is about, or NULL. */
static const AtcCommand *
line_command (Console    *console,
              const char *at_line,
              gboolean   *is_set)
{
  return atc_console_line_lookup (console->model, at_line, is_set);
}

/* What of a line may be kept (history, JSON echo): console commands as
 * typed, AT lines as the core allows (never a password nor a secret
 * value). NULL: keep nothing. */
static char *
safe_line (Console    *console,
           const char *line)
{
  const char *passwords[] = { console->cli->password, NULL };

  if (line[0] == '.')
    return g_strdup (line);
  return atc_console_line_for_history (console->model, passwords, line);
}

/* The reply's value as it may be shown: secret fields masked. */
static char *
shown_value (Console          *console,
             const AtcCommand *command,
             const char       *value)
{
  g_auto(GStrv) values = NULL;
  g_autoptr(GString) out = NULL;

  if (command == NULL || !atc_command_has_secret (command) || console->cli->show_secrets)
    return g_strdup (value);

  values = atc_codec_parse_value (command, value, NULL);
  if (values == NULL)
    return g_strdup (ATC_CLI_SECRET_MASK);  /* unreadable: hide it whole */
  out = g_string_new (NULL);
  for (guint i = 0; values[i]; i++)
    {
      const AtcParam *param = i < command->params->len ? g_ptr_array_index (command->params, i)
                                                         : NULL;

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, param && param->secret ? ATC_CLI_SECRET_MASK : values[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
print_reply (Console    *console,
             const char *line,
             AtcReply   *reply)
{
  const AtcCommand *command = NULL;
  g_autofree char *value = NULL;
  gboolean is_set;
  gssize start = find_command_start (console, line);

  if (start >= 0)
    command = line_command (console, line + start, &is_set);
  if (command == NULL && reply->name)
    command = atc_model_lookup (console->model, reply->name);
  if (reply->value)
    value = shown_value (console, command, reply->value);

  if (console->cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *kept = safe_line (console, line);
      g_autofree char *text = NULL;

      /* One object per line (JSON Lines), so a script reads as it goes. */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "command");
      json_builder_add_string_value (builder, kept ? kept : "");
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, reply->status == ATC_REPLY_ERROR ? "error" : "ok");
      atc_cli_add_string_or_null (builder, "name", reply->name);
      atc_cli_add_string_or_null (builder, "value", value);
      json_builder_set_member_name (builder, "lines");
      json_builder_begin_array (builder);
      for (guint i = 0; reply->lines && i < reply->lines->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (reply->lines, i));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "raw");
      json_builder_add_string_value (builder, reply->raw ? reply->raw : "");
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
      return;
    }

  for (guint i = 0; reply->lines && i < reply->lines->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (reply->lines, i));
  if (value && atc_model_get_dialect (console->model) == ATC_DIALECT_PLUS_OK)
    {
      /* "+OK=value" is the final line itself: show it once, masked. */
      g_print ("+OK=%s\n", value);
      return;
    }
  if (value)
    g_print ("+%s:%s\n", reply->name ? reply->name : command ? command->name : "", value);
  if (reply->raw)
    g_print ("%s\n", reply->raw);
}

/* ------------------------------------------------------------ history */

static void
history_load (Console *console)
{
  g_autofree char *path = atc_console_history_get_default_path ();

  console->history = atc_console_history_new (path);
  /* An unreadable history only means starting without one. */
  atc_console_history_load (console->history, NULL);
}

static void
history_add (Console    *console,
             const char *line)
{
  g_autofree char *kept = safe_line (console, line);
  g_autoptr(GError) error = NULL;

  if (kept == NULL || !atc_console_history_add (console->history, kept))
    return;
  if (console->history_failed)
    return;

  if (!atc_console_history_save (console->history, &error))
    {
      /* History is a convenience; say so once and go on without it. */
      g_printerr ("%s\n", error->message);
      console->history_failed = TRUE;
    }
}

/* ------------------------------------------------------------ completion */

static GStrv
complete_line (const char *before,
               gpointer    user_data)
{
  Console *console = user_data;
  const char *passwords[] = { console->cli->password, NULL };

  if (before[0] == '.')
    {
      g_autoptr(GStrvBuilder) out = g_strv_builder_new ();
      const char *dot_commands[] = { ".help", ".log", ".quit" };

      for (guint i = 0; i < G_N_ELEMENTS (dot_commands); i++)
        if (g_str_has_prefix (dot_commands[i], before))
          g_strv_builder_add (out, dot_commands[i]);
      return g_strv_builder_end (out);
    }

  return atc_console_line_complete (console->model, passwords, before);
}

/* ------------------------------------------------------------ running */

static void
console_quit (Console *console,
              GError  *error)
{
  if (error && console->error == NULL)
    console->error = error;
  else if (error)
    g_error_free (error);
  g_main_loop_quit (console->loop);
}

static void
print_help (Console *console)
{
  g_print ("%s\n", _("Type AT commands as the documents write them (AT+UART? on a USR-G781, "
                     "AT+UART on a USR-M0, AT+UARTFT=100); each line is sent as typed and the "
                     "reply printed."));
  g_print ("%s\n", _("  .help   this text\n"
                     "  .log    the transaction log (secrets redacted)\n"
                     "  .quit   leave (also Ctrl-D); the unit goes back to data mode"));
  if (console->tty)
    g_print ("%s\n", _("Keys: Tab completes command names; Up/Down browse the history; "
                       "Left/Right, Home/End, Ctrl-A/E move; Backspace, Ctrl-U/K/W delete; "
                       "Ctrl-C abandons the line or the command that is running."));
}

static void
on_line_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Console *console = user_data;
  g_autoptr(AtcReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_steal_pointer (&console->pending_line);

  reply = atc_session_send_line_finish (ATC_SESSION (source), result, &error);
  console->busy = FALSE;
  g_clear_object (&console->command_cancellable);

  if (reply)
    {
      if (reply->status == ATC_REPLY_ERROR)
        console->unit_refused = TRUE;
      print_reply (console, line, reply);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !g_cancellable_is_cancelled (console->cli->cancellable))
    g_printerr (_("Cancelled.\n"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, ATC_ERROR, ATC_ERROR_DISCONNECTED))
    {
      console_quit (console, g_steal_pointer (&error));
      return;
    }
  else
    {
      /* A refused or unanswered line: say why; the console goes on. */
      console->unit_refused = TRUE;
      g_printerr ("%s\n", error->message);
    }
  console_next (console);
}

/* Returns TRUE when a command went out and its reply is awaited. */
static gboolean
handle_line (Console    *console,
             const char *raw_line)
{
  g_autofree char *line = g_strstrip (g_strdup (raw_line));

  if (*line == '\0')
    return FALSE;
  if (console->tty)
    history_add (console, line);

  if (line[0] == '.')
    {
      if (g_str_equal (line, ".quit") || g_str_equal (line, ".exit") || g_str_equal (line, ".q"))
        console_quit (console, NULL);
      else if (g_str_equal (line, ".help"))
        print_help (console);
      else if (g_str_equal (line, ".log"))
        {
          g_autofree char *text =
            atc_transaction_log_to_text (atc_session_get_log (console->cli->session));

          g_print ("%s", text);
        }
      else
        g_printerr (_("Unknown console command “%s”; .help lists them.\n"), line);
      return FALSE;
    }

  console->busy = TRUE;
  console->pending_line = g_steal_pointer (&line);
  console->command_cancellable = g_cancellable_new ();
  atc_session_send_line_async (console->cli->session, console->pending_line,
                               console->command_cancellable, on_line_sent, console);
  return TRUE;
}

/* Terminal: feeds typed bytes to the editor while no command runs. */
static void
process_typed (Console *console)
{
  while (!console->busy && console->typed->len > 0 && g_main_loop_is_running (console->loop))
    {
      guchar byte = console->typed->data[0];

      g_byte_array_remove_index (console->typed, 0);
      switch (atc_line_editor_feed (console->editor, byte))
        {
        case ATC_LINE_EDIT_ACCEPT:
          {
            g_autofree char *line = atc_line_editor_take_line (console->editor);

            if (!handle_line (console, line) && g_main_loop_is_running (console->loop))
              atc_line_editor_start (console->editor);
          }
          break;
        case ATC_LINE_EDIT_EOF:
          console_quit (console, NULL);
          return;
        case ATC_LINE_EDIT_INTERRUPT:
          atc_line_editor_start (console->editor);
          break;
        case ATC_LINE_EDIT_CONTINUE:
        default:
          break;
        }
    }
}

static gboolean
on_stdin_ready (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  Console *console = user_data;
  guchar buffer[256];
  gssize n;

  n = read (fd, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;
  if (n <= 0)
    {
      /* The terminal went away (hang-up): leave as with Ctrl-D. */
      console->stdin_watch = 0;
      console_quit (console, NULL);
      return G_SOURCE_REMOVE;
    }

  /* Ctrl-C while a command runs stops that command, not the console. */
  if (console->busy)
    for (gssize i = 0; i < n; i++)
      if (buffer[i] == 0x03)
        {
          g_cancellable_cancel (console->command_cancellable);
          memmove (buffer + i, buffer + i + 1, n - i - 1);
          n--;
          i--;
        }
  g_byte_array_append (console->typed, buffer, n);
  process_typed (console);
  return G_SOURCE_CONTINUE;
}

static void
on_pipe_line (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Console *console = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize len;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, &len,
                                               &error);
  if (line == NULL)
    {
      /* End of input ends the console; a read error is reported. */
      console_quit (console, g_steal_pointer (&error));
      return;
    }
  if (memchr (line, '\0', len) != NULL)
    {
      g_printerr (_("Skipped an input line holding a NUL byte.\n"));
      console_next (console);
      return;
    }
  g_strdelimit (line, "\r", ' ');
  if (!handle_line (console, line))
    console_next (console);
}

/* Ready for the next line: a prompt on a terminal, a read on a pipe. */
static void
console_next (Console *console)
{
  if (!g_main_loop_is_running (console->loop))
    return;
  if (console->tty)
    {
      atc_line_editor_start (console->editor);
      process_typed (console);
    }
  else
    g_data_input_stream_read_line_async (console->input, G_PRIORITY_DEFAULT,
                                         console->cli->cancellable, on_pipe_line, console);
}

static void
on_global_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  Console *console = user_data;

  /* SIGTERM / SIGHUP (Ctrl-C is a key in raw mode): stop the command
   * that runs, then leave. */
  if (console->command_cancellable)
    g_cancellable_cancel (console->command_cancellable);
  console_quit (console, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                              _("Interrupted")));
}

static gboolean
on_idle_start (gpointer user_data)
{
  console_next (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
console_run (AtcCli  *cli,
             int      argc,
             char   **argv,
             GError **error)
{
  Console console = { 0 };
  gboolean ok = TRUE;

  if (argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("console takes no arguments, got “%s”; type commands at its prompt"),
                   argv[1]);
      return FALSE;
    }
  if (!atc_cli_open_session (cli, error))
    return FALSE;

  console.cli = cli;
  console.model = atc_session_get_model (cli->session);
  console.loop = g_main_loop_new (NULL, FALSE);
  console.tty = isatty (STDIN_FILENO) && isatty (STDOUT_FILENO);
  console.typed = g_byte_array_new ();

  if (console.tty)
    {
      g_autofree char *prompt = NULL;
      const char *firmware = atc_session_get_firmware (cli->session);

      if (!enter_raw_mode (error))
        {
          ok = FALSE;
          goto out;
        }
      history_load (&console);
      prompt = g_strdup_printf ("%s%s> ", atc_model_get_id (console.model),
                                atc_session_get_password_mode (cli->session) ? "#" : "");
      console.editor = atc_line_editor_new ();
      atc_line_editor_set_prompt (console.editor, prompt);
      atc_line_editor_set_history (console.editor, atc_console_history_get_lines (console.history));
      atc_line_editor_set_completer (console.editor, complete_line, &console);
      g_print (_("%s, firmware %s. Type AT commands; .help for help, .quit or Ctrl-D to "
                 "leave.\n"),
               atc_model_get_name (console.model), firmware ? firmware : _("unknown"));
      console.stdin_watch = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                           on_stdin_ready, &console);
    }
  else
    {
      g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);

      console.input = g_data_input_stream_new (stdin_stream);
      g_data_input_stream_set_newline_type (console.input, G_DATA_STREAM_NEWLINE_TYPE_ANY);
    }

  console.cancelled_id = g_cancellable_connect (cli->cancellable,
                                                G_CALLBACK (on_global_cancelled),
                                                &console, NULL);
  g_idle_add (on_idle_start, &console);
  g_main_loop_run (console.loop);

  /* A command still running (EOF on a terminal mid-command) is dropped. */
  if (console.command_cancellable)
    {
      g_cancellable_cancel (console.command_cancellable);
      while (console.busy)
        g_main_context_iteration (NULL, TRUE);
    }
  g_cancellable_disconnect (cli->cancellable, console.cancelled_id);

  if (console.error)
    {
      g_propagate_error (error, g_steal_pointer (&console.error));
      ok = FALSE;
    }
  else if (console.unit_refused && !console.tty)
    {
      /* Scripts piping commands learn that something was refused. */
      g_set_error_literal (error, ATC_ERROR, ATC_ERROR_UNIT_ERROR,
                           _("The unit answered at least one line with an error (see above)"));
      ok = FALSE;
    }

out:
  if (console.stdin_watch)
    g_source_remove (console.stdin_watch);
  restore_terminal ();
  g_clear_pointer (&console.editor, atc_line_editor_free);
  g_clear_object (&console.input);
  g_clear_object (&console.history);
  g_clear_pointer (&console.typed, g_byte_array_unref);
  g_clear_pointer (&console.loop, g_main_loop_unref);
  g_free (console.pending_line);
  return ok;
}

const AtcCliCommand atc_cli_command_console = {
  .name = "console",
  .arguments = NULL,
  .summary = N_("Type raw AT commands and read the unit's replies"),
  .description = N_("On a terminal: a prompt with history (Up/Down, kept in "
                    "$XDG_STATE_HOME/atconf/console-history without passwords), Tab completion "
                    "of command names and line editing. Otherwise one command is read per "
                    "input line and its reply printed, so commands can be piped in:\n"
                    "  printf 'AT+UART?\\nAT+CSQ?\\n' | atconf-cli console -d demo:g781\n"
                    "Console commands: .help, .log (the transaction log), .quit.\n"
                    "Values of password fields in replies are masked unless --show-secrets.\n"
                    "With --json each reply is one JSON object per line: {\"command\", "
                    "\"status\", \"name\", \"value\", \"lines\", \"raw\"}.\n"
                    "When commands are piped in, the exit status is 4 if the unit answered "
                    "any of them with an error."),
  .entries = NULL,
  .needs_device = TRUE,
  .run = console_run,
};
