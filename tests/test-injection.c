/* test-injection.c: no value ever carries a second command to the unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every settable text and host parameter of both catalogs is tried with
 * payloads that would end, split or extend a command line (CR, LF, ';',
 * ',', '=', '?', NUL, control bytes, non-ASCII, escape look-alikes,
 * over-length, "AT+CLEAR"). Each must either be refused before anything
 * is sent (ATC_ERROR_INVALID_VALUE or ATC_ERROR_UNSAFE_VALUE; the
 * simulator's command count does not move) or be sent escaped as the
 * documents say, in which case the unit executed exactly one command and
 * holds exactly the readable value, which reads back the same. The same
 * payloads go through the CLI's set syntax, a profile file, an AT script,
 * and raw console lines.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "atc-applier.h"
#include "atc-catalog.h"
#include "atc-demo-transport.h"
#include "atc-error.h"
#include "atc-profile.h"
#include "atc-script.h"
#include "atc-session.h"
#include "atc-simulator.h"
#include "atc-test-util.h"
#include "atc-validate.h"

typedef struct {
  const char *name;
  const char *bytes;
  gssize      length;  /* -1: NUL-terminated */
} Payload;

/* Over-length payloads are made per parameter. */
static const Payload payloads[] = {
  { "cr",             "x\rAT+CLEAR", -1 },
  { "lf",             "x\nAT+CLEAR", -1 },
  { "crlf",           "x\r\nAT+CLEAR", -1 },
  { "semicolon",      "x;AT+CLEAR", -1 },
  { "comma",          "x,AT+CLEAR", -1 },
  { "equals",         "x=AT+CLEAR", -1 },
  { "question",       "x?AT+CLEAR", -1 },
  { "nul",            "x\0AT+CLEAR", 10 },
  { "escape-byte",    "x\x1b[2K", -1 },
  { "backspace",      "xyz\b\b\bAT+CLEAR", -1 },
  { "delete",         "x\x7f" "AT", -1 },
  { "non-ascii",      "Gr\xc3\xbc\xc3\x9f" "e", -1 },
  { "invalid-utf8",   "x\xff\xfe", -1 },
  { "bracket-code",   "x[3B]AT+CLEAR", -1 },
  { "crlf-token",     "x<<CRLF>>AT+CLEAR", -1 },
  { "at-clear",       "AT+CLEAR", -1 },
  { "plus",           "+++", -1 },
  { "quote",          "\"x\"", -1 },
  { "trailing-cr",    "AT+CLEAR\r", -1 },
};

static gsize
payload_length (const Payload *payload)
{
  return payload->length >= 0 ? (gsize) payload->length : strlen (payload->bytes);
}

static gboolean
payload_has_nul (const Payload *payload)
{
  return memchr (payload->bytes, '\0', payload_length (payload)) != NULL;
}

static AtcModel *
model (const char *id)
{
  AtcModel *m = atc_catalog_lookup (atc_catalog_get_default (), id);

  g_assert_nonnull (m);
  return m;
}

static gboolean
is_text_param (const AtcParam *param)
{
  return param->type == ATC_PARAM_STRING || param->type == ATC_PARAM_HOST;
}

/* A printable form of a payload for messages. */
static char *
shown (const char *bytes,
       gsize       length)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) bytes[i];

      if (c >= 0x20 && c < 0x7f)
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "<%02X>", c);
    }
  return g_string_free (out, FALSE);
}

/* --- What the unit saw -------------------------------------------------- */

/* Lines the simulator executed from index `from` on. */
static GPtrArray *
sim_lines_since (AtcSimulator *sim,
                 guint         from)
{
  GPtrArray *log = atc_simulator_get_log (sim);
  GPtrArray *lines = g_ptr_array_new ();

  for (guint i = from; i < log->len; i++)
    g_ptr_array_add (lines, g_ptr_array_index (log, i));
  return lines;
}

/* No line the unit executed is a factory reset or a restart, and none
 * came out of a value: the log's every line is a whole command we meant. */
static void
assert_no_stray_command (AtcSimulator *sim,
                         guint         from,
                         const char   *allowed_prefix,
                         const char   *what)
{
  g_autoptr(GPtrArray) lines = sim_lines_since (sim, from);

  for (guint i = 0; i < lines->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (lines, i);

      if (g_ascii_strncasecmp (entry->line, "AT+CLEAR", 8) == 0 ||
          g_ascii_strncasecmp (entry->line, "AT+Z", 4) == 0 ||
          (allowed_prefix != NULL && !g_str_has_prefix (entry->line, allowed_prefix)))
        g_error ("%s: the unit executed “%s”", what, entry->line);
    }
}

/* --- Through the session ----------------------------------------------- */

typedef struct {
  guint refused;
  guint accepted;
} Tally;

/* One parameter of one command with one value: refused before sending, or
 * exactly one command and exactly the value on the unit. */
static void
check_value (AtcSession       *session,
             AtcSimulator     *sim,
             const AtcCommand *command,
             guint             index,
             const char       *value,
             gsize             length,
             const char       *payload_name,
             Tally            *tally)
{
  const AtcParam *param = g_ptr_array_index (command->params, index);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = atc_simulator_dup_values (sim, command->name, &error);
  g_auto(GStrv) held = NULL;
  g_auto(GStrv) back = NULL;
  g_autofree char *what = NULL;
  g_autofree char *line_prefix = g_strdup_printf ("AT+%s=", command->name);
  guint count = atc_simulator_get_command_count (sim);
  guint from = atc_simulator_get_log (sim)->len;
  AtcSimLogEntry *entry;

  g_assert_no_error (error);
  g_assert_nonnull (values);
  {
    g_autofree char *printable = shown (value, length);

    what = g_strdup_printf ("%s %s %s [%s] “%s”", atc_model_get_id (atc_simulator_get_model (sim)),
                            command->name, param->name, payload_name, printable);
  }

  /* A C string cannot hold a NUL: the session API sees the value cut
   * short, which is just another value. Files and pastes are checked
   * with their length (below). */
  g_free (values[index]);
  values[index] = g_strndup (value, length);

  if (!atc_test_session_set (session, command->name, (const char *const *) values, &error))
    {
      if (!g_error_matches (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE) &&
          !g_error_matches (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE))
        g_error ("%s: refused with %s (%d), not before sending: %s", what,
                 g_quark_to_string (error->domain), error->code, error->message);
      /* Refused before anything reached the unit. */
      if (atc_simulator_get_command_count (sim) != count)
        g_error ("%s: refused, yet the unit executed %u commands", what,
                 atc_simulator_get_command_count (sim) - count);
      tally->refused++;
      return;
    }

  /* Sent: exactly one command, the set line, accepted by the unit. */
  if (atc_simulator_get_command_count (sim) != count + 1)
    g_error ("%s: the unit executed %u commands for one set", what,
             atc_simulator_get_command_count (sim) - count);
  entry = g_ptr_array_index (atc_simulator_get_log (sim), atc_simulator_get_log (sim)->len - 1);
  g_assert_true (g_str_has_prefix (entry->line, line_prefix));
  g_assert_cmpint (entry->error, ==, ATC_SIM_ERR_NONE);
  assert_no_stray_command (sim, from, line_prefix, what);

  /* The unit holds exactly the readable value, and it reads back so. */
  held = atc_simulator_dup_values (sim, command->name, NULL);
  if (g_strcmp0 (held[index], values[index]) != 0)
    {
      g_autofree char *got = shown (held[index], strlen (held[index]));

      g_error ("%s: the unit holds “%s”", what, got);
    }
  back = atc_test_session_query (session, command->name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back[index], ==, values[index]);
  tally->accepted++;
}

static void
check_model_session (const char *model_id)
{
  g_autoptr(AtcSession) session = NULL;
  AtcSimulator *sim;
  GPtrArray *commands = atc_model_get_commands (model (model_id));
  Tally tally = { 0 };
  guint n_params = 0;

  session = atc_test_demo_session (model_id, 1, FALSE, &sim);
  atc_test_session_connect_ok (session);

  for (guint c = 0; c < commands->len; c++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, c);

      if (!atc_command_can (command, ATC_ACCESS_SET) || command->params == NULL)
        continue;

      for (guint p = 0; p < command->params->len; p++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, p);
          g_autofree char *over = NULL;

          if (!is_text_param (param))
            continue;
          n_params++;

          for (guint k = 0; k < G_N_ELEMENTS (payloads); k++)
            check_value (session, sim, command, p, payloads[k].bytes,
                         payloads[k].length >= 0 && !payload_has_nul (&payloads[k])
                           ? (gsize) payloads[k].length
                           : strlen (payloads[k].bytes),
                         payloads[k].name, &tally);

          /* One byte (or one character of a host name) too many. */
          over = g_strnfill ((gsize) param->max + 1, 'x');
          check_value (session, sim, command, p, over, strlen (over), "over-length", &tally);
          {
            g_autofree char *over_escaped = NULL;

            /* Escapes do not count towards the length, their text does. */
            if (param->escape != ATC_ESCAPE_NONE)
              {
                over_escaped = g_strnfill ((gsize) param->max + 1, ',');
                check_value (session, sim, command, p, over_escaped, strlen (over_escaped),
                             "over-length-commas", &tally);
              }
          }
        }
    }

  g_test_message ("%s: %u text parameters, %u values refused, %u sent and held exactly",
                  model_id, n_params, tally.refused, tally.accepted);
  g_assert_cmpuint (n_params, >, 0);
  /* Both outcomes happen: the refusals are not blanket ones. */
  g_assert_cmpuint (tally.refused, >, 0);
  g_assert_cmpuint (tally.accepted, >, 0);
  g_assert_cmpint (atc_simulator_get_mode (sim), ==, ATC_SIM_MODE_COMMAND);
}

static void
test_session_g781 (void)
{
  check_model_session ("g781");
}

static void
test_session_m0 (void)
{
  check_model_session ("m0");
}

/* Text with a NUL inside, as a file or a paste holds it, is refused; so is
 * everything the session refused, by the validator alone. */
static void
test_validate_with_length (void)
{
  for (guint m = 0; m < 2; m++)
    {
      AtcModel *mdl = model (m == 0 ? "g781" : "m0");
      GPtrArray *commands = atc_model_get_commands (mdl);

      for (guint c = 0; c < commands->len; c++)
        {
          const AtcCommand *command = g_ptr_array_index (commands, c);

          if (!atc_command_can (command, ATC_ACCESS_SET) || command->params == NULL)
            continue;
          for (guint p = 0; p < command->params->len; p++)
            {
              const AtcParam *param = g_ptr_array_index (command->params, p);
              g_autoptr(GError) error = NULL;
              g_autofree char *canonical = NULL;

              if (!is_text_param (param))
                continue;
              canonical = atc_param_validate_len (command, param, "x\0AT+CLEAR", 10, &error);
              g_assert_null (canonical);
              g_assert_true (g_error_matches (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE) ||
                             g_error_matches (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE));
            }
        }
    }
}

/* --- Raw console lines -------------------------------------------------- */

static void
test_console_lines (void)
{
  static const char *const lines[] = {
    "AT+VER;AT+CLEAR",
    "AT+VER\rAT+CLEAR",
    "AT+VER\nAT+CLEAR",
    "AT+VER\r\nAT+CLEAR",
    "AT+STMSG=x;AT+CLEAR",
    "AT+MID=x;AT+Z",
    ";AT+CLEAR",
    "AT+VER;",
  };

  for (guint m = 0; m < 2; m++)
    {
      g_autoptr(AtcSession) session = NULL;
      AtcSimulator *sim;
      guint count;

      session = atc_test_demo_session (m == 0 ? "g781" : "m0", 1, FALSE, &sim);
      atc_test_session_connect_ok (session);
      count = atc_simulator_get_command_count (sim);

      for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(AtcReply) reply = atc_test_session_send_line (session, lines[i], &error);

          g_assert_null (reply);
          g_assert_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE);
        }
      g_assert_cmpuint (atc_simulator_get_command_count (sim), ==, count);

      /* A line that is one command still goes, once. */
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(AtcReply) reply = atc_test_session_send_line (session, "AT+VER", &error);

        g_assert_no_error (error);
        g_assert_nonnull (reply);
        g_assert_cmpuint (atc_simulator_get_command_count (sim), ==, count + 1);
      }
    }
}

/* --- Profiles and scripts ----------------------------------------------- */

/* A JSON string literal for any bytes: control bytes and NUL as \u00XX,
 * other bytes as they are (invalid UTF-8 makes invalid JSON, which is one
 * more thing the loader must refuse). */
static void
append_json_string (GString    *out,
                    const char *bytes,
                    gsize       length)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) bytes[i];

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

typedef struct {
  const char *model_id;
  const char *command;
  const char *param;
} Target;

/* An escape style of each kind, on both models. */
static const Target targets[] = {
  { "g781", "STMSG", "message" },      /* brackets */
  { "g781", "APN", "username" },       /* brackets, one field of four */
  { "g781", "HTPSV", "address" },      /* host */
  { "m0", "MID", "name" },             /* none */
  { "m0", "HTPHEAD", "header" },       /* crlf-token */
  { "m0", "WEBU", "password" },        /* none, secret, ASCII only */
};

static AtcApplyReport *
apply_profile (AtcSession  *session,
               AtcProfile  *profile,
               GError     **error)
{
  g_autoptr(AtcApplier) applier = atc_applier_new_for_profile (session, NULL, profile);
  AtcApplyReport *report;
  AtcTestWait w = { 0 };

  atc_applier_apply_async (applier, NULL, atc_test_wait_done, &w);
  report = atc_applier_apply_finish (applier, atc_test_wait_result (&w), error);
  atc_test_wait_clear (&w);
  return report;
}

/* The profile (or script) came through: one apply, one set line of the
 * target command at most, the value exactly. */
static void
check_loaded_profile (AtcSession   *session,
                      AtcSimulator *sim,
                      AtcProfile   *profile,
                      const Target *target,
                      const char   *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autofree char *prefix = g_strdup_printf ("AT+%s=", target->command);
  const char *value = atc_profile_get_value (profile, target->command, target->param);
  const AtcCommand *command = atc_model_lookup (model (target->model_id), target->command);
  g_auto(GStrv) held = NULL;
  guint from = atc_simulator_get_log (sim)->len;
  guint index = 0;
  guint sets = 0;
  g_autoptr(GPtrArray) lines = NULL;

  g_assert_nonnull (value);
  report = apply_profile (session, profile, &error);
  g_assert_no_error (error);
  g_assert_true (atc_apply_report_is_complete (report));

  lines = sim_lines_since (sim, from);
  for (guint i = 0; i < lines->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (lines, i);

      if (strchr (entry->line, '=') != NULL)
        {
          if (!g_str_has_prefix (entry->line, prefix))
            g_error ("%s: the unit executed “%s”", what, entry->line);
          sets++;
        }
    }
  g_assert_cmpuint (sets, <=, 1);
  assert_no_stray_command (sim, from, NULL, what);

  while (!g_str_equal (((AtcParam *) g_ptr_array_index (command->params, index))->name, target->param))
    index++;
  held = atc_simulator_dup_values (sim, target->command, NULL);
  g_assert_cmpstr (held[index], ==, value);
}

static void
test_profile_and_script (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atconf-injection-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "profile.json", NULL);
  guint refused = 0, loaded = 0;

  g_assert_nonnull (dir);

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      const Target *target = &targets[t];
      g_autoptr(AtcSession) session = NULL;
      AtcSimulator *sim;

      session = atc_test_demo_session (target->model_id, 1, FALSE, &sim);
      atc_test_session_connect_ok (session);

      for (guint k = 0; k < G_N_ELEMENTS (payloads); k++)
        {
          const Payload *payload = &payloads[k];
          gsize length = payload_length (payload);
          g_autoptr(GString) json = g_string_new (NULL);
          g_autoptr(GString) script = g_string_new (NULL);
          g_autoptr(AtcProfile) profile = NULL;
          g_autoptr(AtcProfile) from_script = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *what = g_strdup_printf ("%s %s.%s [%s]", target->model_id,
                                                   target->command, target->param, payload->name);
          guint count = atc_simulator_get_command_count (sim);

          /* A profile file: the loader checks every value. */
          g_string_append_printf (json, "{\"schema\": 1, \"model\": \"%s\", \"settings\": "
                                        "{\"%s\": {\"%s\": ",
                                  target->model_id, target->command, target->param);
          append_json_string (json, payload->bytes, length);
          g_string_append (json, "}}}\n");
          g_assert_true (g_file_set_contents (path, json->str, json->len, NULL));

          profile = atc_profile_load_file (path, NULL, &error);
          if (profile == NULL)
            {
              g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
              refused++;
            }
          else
            {
              check_loaded_profile (session, sim, profile, target, what);
              loaded++;
            }
          g_clear_error (&error);

          /* An AT script holding the value as a technician would type it. */
          g_string_append_printf (script, "AT+%s=", target->command);
          g_string_append_len (script, payload->bytes, length);
          g_string_append (script, "\n");
          from_script = atc_script_import (script->str, "injection.at",
                                           model (target->model_id), &error);
          if (from_script == NULL)
            {
              g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
              refused++;
            }
          else if (atc_profile_get_value (from_script, target->command, target->param) != NULL)
            {
              check_loaded_profile (session, sim, from_script, target, what);
              loaded++;
            }

          /* A refusal sent nothing at all. */
          if (profile == NULL && from_script == NULL)
            g_assert_cmpuint (atc_simulator_get_command_count (sim), ==, count);
        }
    }

  g_test_message ("profiles and scripts: %u refused, %u applied exactly", refused, loaded);
  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (loaded, >, 0);
  g_unlink (path);
  g_rmdir (dir);
}

/* --- The CLI's set syntax ----------------------------------------------- */

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

/* Runs atconf-cli while this process keeps serving the simulator. */
static void
run_cli (Run               *run,
         const char        *input,
         const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stdin_bytes = g_bytes_new (input != NULL ? input : "", input != NULL ? strlen (input) : 0);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  AtcTestWait w = { 0 };

  g_ptr_array_add (argv, (gpointer) g_getenv ("ATC_CLI_PATH"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "ATCONF_DEVICE");
  g_subprocess_launcher_unsetenv (launcher, "ATCONF_PASSWORD");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (process, stdin_bytes, NULL, atc_test_wait_done, &w);
  g_assert_true (g_subprocess_communicate_finish (process, atc_test_wait_result (&w), &out, &err, &error));
  g_assert_no_error (error);
  atc_test_wait_clear (&w);

  /* The process ended with its pipes; reap it without blocking the
   * simulator it may still be talking to. */
  {
    gboolean exited = FALSE;

    g_subprocess_wait_async (process, NULL, atc_test_wait_done, &w);
    exited = g_subprocess_wait_finish (process, atc_test_wait_result (&w), NULL);
    g_assert_true (exited);
    atc_test_wait_clear (&w);
  }
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->out = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  run->err = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* A field in the CLI's syntax: double quotes, \" \\ \r \n \t and \xHH. */
static char *
cli_field (const char *bytes,
           gsize       length)
{
  GString *out = g_string_new ("\"");

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) bytes[i];

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02X", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static void
test_cli_set (void)
{
  guint refused = 0, sent = 0;

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      const Target *target = &targets[t];
      g_autoptr(AtcSimulator) sim = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *device = NULL;
      const AtcCommand *command = atc_model_lookup (model (target->model_id), target->command);
      const char *path;
      guint index = 0;

      sim = atc_simulator_new_for_model_id (target->model_id, 11, &error);
      g_assert_no_error (error);
      atc_simulator_set_latency_ms (sim, 1);
      path = atc_simulator_open_pty (sim, &error);
      g_assert_no_error (error);
      device = g_strdup_printf ("pty:%s?model=%s", path, target->model_id);
      while (!g_str_equal (((AtcParam *) g_ptr_array_index (command->params, index))->name, target->param))
        index++;

      for (guint k = 0; k < G_N_ELEMENTS (payloads); k++)
        {
          const Payload *payload = &payloads[k];
          g_auto(GStrv) values = atc_simulator_dup_values (sim, target->command, NULL);
          g_autoptr(GString) arg = g_string_new (NULL);
          g_autofree char *what = g_strdup_printf ("cli %s %s.%s [%s]", target->model_id,
                                                   target->command, target->param, payload->name);
          g_autofree char *prefix = g_strdup_printf ("AT+%s=", target->command);
          guint from = atc_simulator_get_log (sim)->len;
          g_autoptr(GPtrArray) lines = NULL;
          guint sets = 0;
          Run run = { 0 };

          /* CMD=field,field,… with every field quoted. */
          g_string_append_printf (arg, "%s=", target->command);
          for (guint i = 0; values[i] != NULL; i++)
            {
              g_autofree char *field = i == index ? cli_field (payload->bytes, payload_length (payload))
                                                  : cli_field (values[i], strlen (values[i]));

              if (i > 0)
                g_string_append_c (arg, ',');
              g_string_append (arg, field);
            }

          run_cli (&run, NULL, (const char *const[]) {
                     "set", "--device", device, "--model", target->model_id,
                     "--keep-command-mode", "--timeout-scale", "0.3", arg->str, NULL });

          lines = sim_lines_since (sim, from);
          for (guint i = 0; i < lines->len; i++)
            {
              AtcSimLogEntry *entry = g_ptr_array_index (lines, i);

              if (strchr (entry->line, '=') != NULL)
                {
                  if (!g_str_has_prefix (entry->line, prefix))
                    g_error ("%s: the unit executed “%s”", what, entry->line);
                  sets++;
                }
            }
          assert_no_stray_command (sim, from, NULL, what);

          if (run.status == 3)
            {
              g_assert_cmpuint (sets, ==, 0);
              refused++;
            }
          else if (run.status == 0)
            {
              g_auto(GStrv) held = atc_simulator_dup_values (sim, target->command, NULL);
              g_autofree char *expected = g_strndup (payload->bytes, payload_length (payload));

              g_assert_cmpuint (sets, ==, 1);
              if (g_strcmp0 (held[index], expected) != 0)
                g_error ("%s: the unit holds “%s”", what, held[index]);
              sent++;
            }
          else
            g_error ("%s: exit status %d\n%s%s", what, run.status, run.out, run.err);

          run_clear (&run);
        }
    }

  g_test_message ("CLI set: %u refused (exit 3), %u sent and held exactly", refused, sent);
  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (sent, >, 0);
}

/* The CLI console reads one command per input line (CR, LF or CR LF end
 * a line, as in any text file): a line carrying a second command after a
 * ';' is refused, the others still run. */
static void
test_cli_console (void)
{
  g_autoptr(AtcSimulator) sim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  const char *path;
  guint from;
  Run run = { 0 };

  sim = atc_simulator_new_for_model_id ("g781", 13, &error);
  g_assert_no_error (error);
  atc_simulator_set_latency_ms (sim, 1);
  path = atc_simulator_open_pty (sim, &error);
  g_assert_no_error (error);
  device = g_strdup_printf ("pty:%s?model=g781", path);
  from = atc_simulator_get_log (sim)->len;

  run_cli (&run, "AT+VER;AT+CLEAR\nAT+STMSG=x;AT+CLEAR\r\nAT+VER\n", (const char *const[]) {
             "console", "--device", device, "--model", "g781", "--keep-command-mode",
             "--timeout-scale", "0.3", NULL });
  assert_no_stray_command (sim, from, NULL, "cli console");
  g_assert_nonnull (strstr (run.out, "V1.1.05"));
  {
    g_autoptr(GPtrArray) lines = sim_lines_since (sim, from);
    guint vers = 0;

    for (guint i = 0; i < lines->len; i++)
      {
        AtcSimLogEntry *entry = g_ptr_array_index (lines, i);

        g_assert_false (g_str_has_prefix (entry->line, "AT+STMSG"));
        vers += g_str_equal (entry->line, "AT+VER");
      }
    /* The plain AT+VER line, not the one carrying AT+CLEAR. */
    g_assert_cmpuint (vers, >=, 1);
  }
  run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/injection/session/g781", test_session_g781);
  g_test_add_func ("/injection/session/m0", test_session_m0);
  g_test_add_func ("/injection/validate-with-length", test_validate_with_length);
  g_test_add_func ("/injection/console-lines", test_console_lines);
  g_test_add_func ("/injection/profile-and-script", test_profile_and_script);
  g_test_add_func ("/injection/cli-set", test_cli_set);
  g_test_add_func ("/injection/cli-console", test_cli_console);

  return g_test_run ();
}
