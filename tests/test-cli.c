/* test-cli.c: the atconf-cli binary, run as a technician runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every case spawns the real atconf-cli against the in-process simulator
 * (demo:g781, demo:m0) or against atconf-sim on a pty, and checks what is
 * printed and the exit status. Expected values are the documents' defaults.
 */
#define _GNU_SOURCE /* posix_openpt, ptsname */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static char *cli_path;
static char *sim_path;
static char *state_dir;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* Nothing from the developer's environment leaks into a case. */
  g_subprocess_launcher_unsetenv (launcher, "ATCONF_DEVICE");
  g_subprocess_launcher_unsetenv (launcher, "ATCONF_PASSWORD");
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  return launcher;
}

/* Runs atconf-cli with `args`, feeding `input` (or nothing) on stdin. */
static void
run_cli_v (Run               *run,
           const char        *input,
           const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, cli_path);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &run->out, &run->err,
                                 &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  if (g_test_verbose ())
    {
      g_autofree char *line = g_strjoinv (" ", (char **) args);

      g_printerr ("$ atconf-cli %s\n-> %d\n%s%s", line, run->status, run->out, run->err);
    }
}

#define run_cli(run, input, ...) \
  run_cli_v ((run), (input), (const char *const[]) { __VA_ARGS__, NULL })

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("expected “%s” in:\n%s", needle, haystack);
}

static void
assert_lacks (const char *haystack,
              const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    g_error ("did not expect “%s” in:\n%s", needle, haystack);
}

static void
assert_has_line (const char *text,
                 const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  if (!g_strv_contains ((const char *const *) lines, line))
    g_error ("expected the line “%s” in:\n%s", line, text);
}

/* ------------------------------------------------------------- detect */

static void
test_detect_g781 (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *identity;

  run_cli (&run, NULL, "detect", "--device", "demo:g781");
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "USR-G781");
  assert_contains (run.out, "V1.1.05");
  assert_contains (run.out, "IMEI");

  run_clear (&run);
  run_cli (&run, NULL, "detect", "--device", "demo:g781", "--json");
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "model"), ==, "g781");
  g_assert_cmpstr (json_object_get_string_member (object, "firmware"), ==, "V1.1.05");
  g_assert_true (json_object_get_boolean_member (object, "echo"));
  identity = json_object_get_object_member (object, "identity");
  g_assert_nonnull (identity);
  /* The G781 identity facts, from the document's command list. */
  g_assert_true (json_object_has_member (identity, "SN"));
  g_assert_true (json_object_has_member (identity, "ICCID"));
  g_assert_true (json_object_has_member (identity, "IMEI"));
  g_assert_false (json_object_has_member (identity, "MAC"));
}

static void
test_detect_m0 (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *identity;
  const char *mac;

  run_cli (&run, NULL, "detect", "--device", "demo:m0", "--json");
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "model"), ==, "m0");
  g_assert_cmpstr (json_object_get_string_member (object, "model_name"), ==, "USR-M0");
  assert_contains (json_object_get_string_member (object, "firmware"), "4016");
  identity = json_object_get_object_member (object, "identity");
  mac = json_object_get_string_member (identity, "MAC");
  /* USR MAC addresses start with D8B04C (M0 document 4.7). */
  g_assert_nonnull (mac);
  g_assert_true (g_str_has_prefix (mac, "D8B04C") || g_str_has_prefix (mac, "D8:B0:4C"));
  g_assert_false (json_object_has_member (identity, "IMEI"));
}

static void
test_detect_with_model (void)
{
  g_auto(Run) run = { 0 };

  /* --model skips detection; the facts still come from the unit. */
  run_cli (&run, NULL, "detect", "--device", "demo:m0", "--model", "m0");
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "USR-M0");
  assert_contains (run.out, "4016");

  run_clear (&run);
  run_cli (&run, NULL, "detect", "--device", "demo:m0", "--model", "g999");
  g_assert_cmpint (run.status, ==, 2);
  assert_contains (run.err, "g999");
  assert_contains (run.err, "g781");
}

/* ---------------------------------------------------------------- get */

static void
test_get_defaults_g781 (void)
{
  g_auto(Run) run = { 0 };

  /* Names in any case, with AT+, and the document's spelling with a space. */
  run_cli (&run, NULL, "get", "--device", "demo:g781",
           "UART", "uartft", "AT+SOCKA", "HEART SND", "HEARTTM", "WKMOD", "HTPHD", "REGDT");
  g_assert_cmpint (run.status, ==, 0);
  /* G781 document 4.21, 4.22, 4.25, 4.45, 4.46, 4.7, 4.50, 4.40. */
  assert_has_line (run.out, "UART: baud_rate=115200, data_bits=8, stop_bits=1, parity=NONE, "
                            "flow_control=NFC");
  assert_has_line (run.out, "UARTFT: time=50");
  assert_has_line (run.out, "SOCKA: protocol=TCPC, address=test.usr.cn, port=2317");
  assert_has_line (run.out, "HEARTSND: type=NET");
  assert_has_line (run.out, "HEARTTM: time=30");
  assert_has_line (run.out, "WKMOD: mode=NET");
  /* Decoded from "Connection: close[0D][0A]", quoted as `set` reads it. */
  assert_has_line (run.out, "HTPHD: header=\"Connection: close\\r\\n\"");
  assert_has_line (run.out, "REGDT: data=7777772E7573722E636E");
}

static void
test_get_defaults_m0 (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, "get", "-d", "demo:m0", "WANN", "SOCK", "DNS", "webport", "HTPURL",
           "TCPSE");
  g_assert_cmpint (run.status, ==, 0);
  /* M0 document 4.9, 4.14, 4.10, 4.12, 4.26, 4.17. */
  assert_has_line (run.out, "WANN: mode=STATIC, address=192.168.0.7, mask=255.255.255.0, "
                            "gateway=192.168.0.1");
  assert_has_line (run.out, "SOCK: protocol=TCPC, address=192.168.0.201, port=8234");
  assert_has_line (run.out, "DNS: address=208.67.222.222");
  assert_has_line (run.out, "WEBPORT: port=80");
  assert_has_line (run.out, "HTPURL: url=/1.php?");
  assert_has_line (run.out, "TCPSE: method=Keep");
}

static void
test_get_json (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *uart, *socka;

  run_cli (&run, NULL, "get", "-d", "demo:g781", "--json", "UART", "SOCKA", "UART");
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  /* Asked twice, listed once. */
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  uart = json_object_get_object_member (object, "UART");
  g_assert_cmpuint (json_object_get_size (uart), ==, 5);
  g_assert_cmpint (json_object_get_int_member (uart, "data_bits"), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (uart, "parity"), ==, "NONE");
  socka = json_object_get_object_member (object, "SOCKA");
  g_assert_cmpint (json_object_get_int_member (socka, "port"), ==, 2317);
  g_assert_cmpstr (json_object_get_string_member (socka, "address"), ==, "test.usr.cn");
}

static void
test_get_secrets (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *webu;

  /* The G781 command password (default www.usr.cn#) is masked, in the
   * output and in the transaction log on stderr. */
  run_cli (&run, NULL, "get", "-d", "demo:g781", "--verbose", "CMDPW", "STMSG");
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "CMDPW: password=•••");
  assert_has_line (run.out, "STMSG: message=USR_G781");
  assert_lacks (run.out, "www.usr.cn#");
  assert_lacks (run.err, "www.usr.cn#");
  assert_contains (run.err, "AT+CMDPW");

  run_clear (&run);
  run_cli (&run, NULL, "get", "-d", "demo:g781", "--show-secrets", "CMDPW");
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "CMDPW: password=www.usr.cn#");

  /* M0 web login: the user name shows, the password does not. */
  run_clear (&run);
  run_cli (&run, NULL, "get", "-d", "demo:m0", "WEBU");
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "WEBU: username=admin, password=•••");

  run_clear (&run);
  run_cli (&run, NULL, "get", "-d", "demo:m0", "--json", "WEBU");
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  webu = json_object_get_object_member (json_node_get_object (root), "WEBU");
  g_assert_cmpstr (json_object_get_string_member (webu, "username"), ==, "admin");
  g_assert_true (json_object_get_null_member (webu, "password"));
}

static void
test_get_unknown (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, "get", "-d", "demo:g781", "UARTF");
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "UARTF");
  assert_contains (run.err, "UARTFT");
  assert_contains (run.err, "UARTFL");
  g_assert_cmpstr (run.out, ==, "");

  /* An M0 command typed at a G781. */
  run_clear (&run);
  run_cli (&run, NULL, "get", "-d", "demo:g781", "WANN");
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "USR-M0");

  /* Actions cannot be queried; nothing is printed for the others either. */
  run_clear (&run);
  run_cli (&run, NULL, "get", "-d", "demo:g781", "UART", "Z");
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "Z");
  g_assert_cmpstr (run.out, ==, "");
}

/* ---------------------------------------------------------------- set */

static void
test_set_invalid_sends_nothing (void)
{
  g_auto(Run) run = { 0 };

  /* G781 UARTFT is 10..60000 ms. --verbose shows every byte sent. */
  run_cli (&run, NULL, "set", "-d", "demo:g781", "--verbose", "UARTFL=200", "UARTFT=5");
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "UARTFT");
  assert_contains (run.err, "10");
  assert_lacks (run.err, "AT+UARTFL=");
  assert_lacks (run.err, "AT+UARTFT=");
  g_assert_cmpstr (run.out, ==, "");

  /* With --model the check happens before the device is even opened. */
  run_clear (&run);
  run_cli (&run, NULL, "set", "-d", "/dev/atconf-test-no-such-port", "--model", "g781",
           "UARTFT=5");
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "UARTFT");
  assert_lacks (run.err, "atconf-test-no-such-port");
}

static void
test_set_field_syntax (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, "set", "-d", "demo:g781", "UART=115200,8,1");
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "5 fields");
  assert_contains (run.err, "flow_control");

  run_clear (&run);
  run_cli (&run, NULL, "set", "-d", "demo:g781", "STMSG=\"unterminated");
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "quote");

  run_clear (&run);
  run_cli (&run, NULL, "set", "-d", "demo:g781", "UARTFT");
  g_assert_cmpint (run.status, ==, 2);
  assert_contains (run.err, "CMD=VALUE");

  /* Read-only and action commands are not settings. */
  run_clear (&run);
  run_cli (&run, NULL, "set", "-d", "demo:g781", "CSQ=20");
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "read-only");

  /* The mask pasted back from `get` output must not become the password. */
  run_clear (&run);
  run_cli (&run, NULL, "set", "-d", "demo:g781", "--verbose", "CMDPW=•••");
  g_assert_cmpint (run.status, ==, 3);
  assert_contains (run.err, "mask");
  assert_lacks (run.err, "AT+CMDPW=");
}

static void
test_set_applies (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results;
  JsonObject *first;

  run_cli (&run, NULL, "set", "-d", "demo:g781", "UARTFT=100", "SOCKA=TCPS,10.0.0.5,502");
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "UARTFT: set time=100");
  assert_has_line (run.out, "SOCKA: set protocol=TCPS, address=10.0.0.5, port=502");

  run_clear (&run);
  run_cli (&run, NULL, "set", "-d", "demo:m0", "--json", "DNS=8.8.8.8", "HEARTTP=com");
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  results = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  first = json_array_get_object_element (results, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "command"), ==, "DNS");
  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "applied");
  /* Enum words are sent in the catalog's spelling. */
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_array_get_object_element (results, 1),
                                                    "values"), "type"), ==, "COM");
}

/* ------------------------------------------------------------ console */

static void
test_console_pipe (void)
{
  g_auto(Run) run = { 0 };

  /* Set then get within one session of the in-process unit. */
  run_cli (&run, "AT+UARTFT?\nAT+UARTFT=200\nAT+UARTFT?\n\nAT+CMDPW?\n.quit\nAT+CSQ?\n",
           "console", "-d", "demo:g781");
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "+UARTFT:50");
  assert_has_line (run.out, "+UARTFT:200");
  assert_has_line (run.out, "OK");
  assert_has_line (run.out, "+CMDPW:•••");
  assert_lacks (run.out, "www.usr.cn#");
  /* .quit stops reading: the line after it is never sent. */
  assert_lacks (run.out, "+CSQ");

  run_clear (&run);
  /* The M0 queries without '?' (M0 document 4.12, 4.11). */
  run_cli (&run, "AT+WEBPORT\nAT+WEBU\n", "console", "-d", "demo:m0");
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "+OK=80");
  assert_has_line (run.out, "+OK=admin,•••");
}

static void
test_console_pipe_errors (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;

  /* A refused line is printed and the rest still runs; a script learns
   * about it from the exit status. */
  run_cli (&run, "AT+NOSUCH\nAT+E\n", "console", "-d", "demo:m0");
  g_assert_cmpint (run.status, ==, 4);
  assert_contains (run.out, "+ERR");
  assert_has_line (run.out, "+OK=ON");

  run_clear (&run);
  run_cli (&run, "AT+SOCKAEN?\n", "console", "-d", "demo:g781", "--json");
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "value"), ==,
                   "ON");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==,
                   "ok");
}

/* A terminal for the console: the master side stays with the test. */
typedef struct {
  int          master;
  int          slave;
  GSubprocess *process;
  GString     *seen;     /* everything the console printed */
  gsize        mark;     /* where the next expect() starts looking */
} Tty;

static void
tty_open (Tty        *tty,
          const char *device)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  tty->master = posix_openpt (O_RDWR | O_NOCTTY);
  g_assert_cmpint (tty->master, >=, 0);
  g_assert_cmpint (grantpt (tty->master), ==, 0);
  g_assert_cmpint (unlockpt (tty->master), ==, 0);
  tty->slave = open (ptsname (tty->master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (tty->slave, >=, 0);
  tty->seen = g_string_new (NULL);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_take_stdin_fd (launcher, dup (tty->slave));
  g_subprocess_launcher_take_stdout_fd (launcher, dup (tty->slave));
  tty->process = g_subprocess_launcher_spawn (launcher, &error, cli_path, "console",
                                              "--device", device, NULL);
  g_assert_no_error (error);
}

/* Reads what the console prints until `needle` shows up. No clock: a
 * console that never prints it fails by the test's meson timeout. */
static void
tty_expect (Tty        *tty,
            const char *needle)
{
  for (;;)
    {
      char buffer[512];
      const char *found = strstr (tty->seen->str + tty->mark, needle);
      gssize n;

      if (found)
        {
          tty->mark = found - tty->seen->str + strlen (needle);
          return;
        }
      n = read (tty->master, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("the console ended before printing “%s”; it printed:\n%s", needle,
                 tty->seen->str);
      g_string_append_len (tty->seen, buffer, n);
    }
}

static void
tty_type (Tty        *tty,
          const char *keys)
{
  g_assert_cmpint (write (tty->master, keys, strlen (keys)), ==, strlen (keys));
}

static void
test_console_tty (void)
{
  Tty tty = { 0 };
  struct termios before, after;
  g_autoptr(GError) error = NULL;
  g_autofree char *history_path = g_build_filename (state_dir, "atconf", "console-history",
                                                    NULL);
  g_autofree char *history = NULL;

  tty_open (&tty, "demo:g781");
  g_assert_cmpint (tcgetattr (tty.slave, &before), ==, 0);
  g_assert_true (before.c_lflag & ICANON);
  tty_expect (&tty, "g781> ");

  /* Tab completes the common part, a second Tab lists the choices. */
  tty_type (&tty, "at+uartf\t");
  tty_expect (&tty, "AT+UARTF");
  tty_type (&tty, "\t");
  tty_expect (&tty, "AT+UARTFL");
  g_assert_nonnull (strstr (tty.seen->str, "AT+UARTFT"));
  tty_type (&tty, "T?\r");
  tty_expect (&tty, "+UARTFT:50");
  tty_expect (&tty, "g781> ");

  /* Left arrow and insertion in the middle of the line. */
  tty_type (&tty, "AT+SOKA?\033[D\033[D\033[DC\r");
  tty_expect (&tty, "+SOCKA:TCPC,test.usr.cn,2317");
  tty_expect (&tty, "g781> ");

  /* Up twice recalls the first command; Enter sends it again. */
  tty_type (&tty, "\033[A\033[A\r");
  tty_expect (&tty, "+UARTFT:50");
  tty_expect (&tty, "g781> ");

  /* A new command password: sent, but never written to the history. */
  tty_type (&tty, "AT+CMDPW=s3cret#\r");
  tty_expect (&tty, "OK");
  tty_expect (&tty, "g781> ");

  /* Ctrl-C abandons the line; Ctrl-U clears; the console goes on. */
  tty_type (&tty, "AT+WKMOD?\003");
  tty_expect (&tty, "^C");
  tty_expect (&tty, "g781> ");
  tty_type (&tty, "garbage\025AT+WKMOD?\r");
  tty_expect (&tty, "+WKMOD:NET");
  tty_expect (&tty, "g781> ");

  /* Ctrl-D on an empty line leaves. */
  tty_type (&tty, "\004");
  g_subprocess_wait_check (tty.process, NULL, &error);
  g_assert_no_error (error);

  /* The terminal is as it was. */
  g_assert_cmpint (tcgetattr (tty.slave, &after), ==, 0);
  g_assert_cmpuint (after.c_lflag, ==, before.c_lflag);
  g_assert_cmpuint (after.c_iflag, ==, before.c_iflag);

  g_assert_true (g_file_get_contents (history_path, &history, NULL, NULL));
  assert_has_line (history, "AT+UARTFT?");
  assert_has_line (history, "AT+SOCKA?");
  assert_has_line (history, "AT+CMDPW=");
  assert_lacks (history, "s3cret");

  g_object_unref (tty.process);
  g_string_free (tty.seen, TRUE);
  close (tty.master);
  close (tty.slave);
  g_unlink (history_path);
}

/* ------------------------------------------------ atconf-sim on a pty */

typedef struct {
  GSubprocess *process;
  char        *device;   /* "pty:/dev/pts/N" */
} Sim;

/* Starts atconf-sim --pty --model MODEL, with further options up to NULL. */
static void
sim_start (Sim        *sim,
           const char *model,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, sim_path);
  g_ptr_array_add (argv, (gpointer) "--pty");
  g_ptr_array_add (argv, (gpointer) "--model");
  g_ptr_array_add (argv, (gpointer) model);
  va_start (args, model);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  sim->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);
  /* Its first line is the pty to open. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "/dev/"));
  sim->device = g_strdup_printf ("pty:%s", line);
}

static void
sim_stop (Sim *sim)
{
  g_subprocess_force_exit (sim->process);
  g_subprocess_wait (sim->process, NULL, NULL);
  g_clear_object (&sim->process);
  g_clear_pointer (&sim->device, g_free);
}

static gboolean
have_sim (void)
{
  if (sim_path && g_file_test (sim_path, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  g_test_skip ("atconf-sim is not built");
  return FALSE;
}

static void
test_sim_set_then_get (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  Sim sim = { 0 };

  if (!have_sim ())
    return;
  sim_start (&sim, "g781", NULL);

  run_cli (&run, NULL, "detect", "-d", sim.device, "--json");
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "model"), ==, "g781");
  g_assert_cmpstr (json_object_get_string_member (object, "firmware"), ==, "V1.1.05");
  /* On a serial-like link the rate that answered is reported. */
  g_assert_cmpint (json_object_get_int_member (object, "baud"), ==, 115200);

  /* Each run enters command mode, works and returns the unit to data mode;
   * the unit keeps what was set for the next run. */
  run_clear (&run);
  run_cli (&run, NULL, "set", "-d", sim.device, "UARTFT=100", "STMSG=\"Hello, world\"",
           "HTPHD=\"X-Token: a=b\\r\\n\"");
  g_assert_cmpint (run.status, ==, 0);

  run_clear (&run);
  run_cli (&run, NULL, "get", "-d", sim.device, "UARTFT", "STMSG", "HTPHD", "UARTFL");
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "UARTFT: time=100");
  assert_has_line (run.out, "STMSG: message=\"Hello, world\"");
  assert_has_line (run.out, "HTPHD: header=\"X-Token: a=b\\r\\n\"");
  assert_has_line (run.out, "UARTFL: length=1000");

  /* A refused value leaves the unit's setting alone. */
  run_clear (&run);
  run_cli (&run, NULL, "set", "-d", sim.device, "UARTFT=70000");
  g_assert_cmpint (run.status, ==, 3);
  run_clear (&run);
  run_cli (&run, NULL, "get", "-d", sim.device, "UARTFT");
  assert_has_line (run.out, "UARTFT: time=100");

  sim_stop (&sim);
}

static void
test_sim_restart (void)
{
  g_auto(Run) run = { 0 };
  Sim sim = { 0 };

  if (!have_sim ())
    return;
  /* A fast-booting unit; --timeout-scale shortens the wait for the reboot. */
  sim_start (&sim, "g781", "--reboot-ms=300", NULL);

  run_cli (&run, NULL, "set", "-d", sim.device, "--restart", "--timeout-scale", "0.1",
           "HEARTTM=45");
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "HEARTTM: set time=45");
  assert_contains (run.out, "The unit is back");

  /* After the restart the unit is in data mode again and kept the value. */
  run_clear (&run);
  run_cli (&run, NULL, "get", "-d", sim.device, "HEARTTM");
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "HEARTTM: time=45");

  sim_stop (&sim);
}

static void
test_sim_password_mode (void)
{
  g_auto(Run) run = { 0 };
  Sim sim = { 0 };

  if (!have_sim ())
    return;
  sim_start (&sim, "g781", NULL);

  /* Commands ride the data channel behind the password (G781 4.8); the
   * password never shows in the output nor the log. */
  run_cli (&run, NULL, "get", "-d", sim.device, "--password", "www.usr.cn#", "--verbose",
           "UARTFT", "CSQ");
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "UARTFT: time=50");
  assert_contains (run.out, "CSQ: rssi=");
  assert_contains (run.err, "AT+UARTFT");
  assert_lacks (run.err, "www.usr.cn#");

  /* A wrong password gets no answer: a device error that names no secret. */
  run_clear (&run);
  run_cli (&run, NULL, "get", "-d", sim.device, "--password", "wrong-pw#", "--verbose",
           "--timeout-scale", "0.2", "UARTFT");
  g_assert_cmpint (run.status, ==, 1);
  assert_lacks (run.err, "wrong-pw#");
  g_assert_cmpstr (run.out, ==, "");

  sim_stop (&sim);
}

static void
test_sim_partial_apply (void)
{
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  const char *applied = NULL, *unsent = NULL;
  Sim sim = { 0 };

  if (!have_sim ())
    return;
  /* The link drops after five commands: detection takes some, the sets
   * the rest, and the last ones are never sent. */
  sim_start (&sim, "g781", "--fault=disconnect=5", NULL);

  run_cli (&run, NULL, "set", "-d", sim.device, "UARTFT=100", "UARTFL=200", "HEARTTM=60",
           "STMSG=x", "HTPTO=20", "HTPTP=POST");
  g_assert_cmpint (run.status, ==, 1);
  lines = g_strsplit (run.err, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "Applied: "))
      {
        applied = lines[i] + strlen ("Applied: ");
        unsent = strstr (applied, "Not sent: ");
      }
  g_assert_nonnull (applied);
  g_assert_nonnull (unsent);
  assert_contains (unsent, "HTPTP");
  /* Every command reported applied was acknowledged on stdout, in order. */
  assert_contains (applied, "UARTFT");
  assert_has_line (run.out, "UARTFT: set time=100");
  if (strstr (applied, "UARTFL"))
    assert_has_line (run.out, "UARTFL: set length=200");
  assert_lacks (run.out, "HTPTP");

  sim_stop (&sim);
}

static void
test_sim_m0 (void)
{
  g_auto(Run) run = { 0 };
  Sim sim = { 0 };

  if (!have_sim ())
    return;
  sim_start (&sim, "m0", NULL);

  run_cli (&run, NULL, "detect", "-d", sim.device);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "USR-M0");
  assert_contains (run.out, "4016");

  run_clear (&run);
  run_cli (&run, NULL, "set", "-d", sim.device, "WANN=DHCP,10.1.2.3,255.255.0.0,10.1.0.1",
           "webu=tech,pa55");
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "WEBU: set username=tech, password=•••");

  run_clear (&run);
  run_cli (&run, "AT+WANN\nAT+WEBU\n", "console", "-d", sim.device);
  g_assert_cmpint (run.status, ==, 0);
  assert_has_line (run.out, "+OK=DHCP,10.1.2.3,255.255.0.0,10.1.0.1");
  assert_has_line (run.out, "+OK=tech,•••");
  assert_lacks (run.out, "pa55");

  sim_stop (&sim);
}

/* ------------------------------------------------ addresses and usage */

static void
test_missing_device (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, "get", "-d", "/dev/ttyATCONFTEST9", "UART");
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.err, "/dev/ttyATCONFTEST9");
  /* The technician is told which ports are there instead (or that none is). */
  {
    g_autofree char *lower = g_utf8_strdown (run.err, -1);

    assert_contains (lower, "serial port");
  }

  run_clear (&run);
  run_cli (&run, NULL, "detect");
  g_assert_cmpint (run.status, ==, 2);
  assert_contains (run.err, "ATCONF_DEVICE");
  /* No device at all: list the ports to pick from. */
  {
    g_autofree char *lower = g_utf8_strdown (run.err, -1);

    assert_contains (lower, "serial port");
  }
}

static void
test_bad_address (void)
{
  const char *bad[] = { "tcp:host-without-port", "demo:g999", "carrier-pigeon:5", "tcp:host:0" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (&run, NULL, "detect", "--device", bad[i]);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpuint (strlen (run.err), >, 0);
    }
}

static void
test_usage (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, "frobnicate");
  g_assert_cmpint (run.status, ==, 2);
  assert_contains (run.err, "frobnicate");

  run_clear (&run);
  run_cli (&run, NULL, "get", "-d", "demo:g781");
  g_assert_cmpint (run.status, ==, 2);

  run_clear (&run);
  run_cli (&run, NULL, "get", "-d", "demo:g781", "--timeout-scale", "0", "UART");
  g_assert_cmpint (run.status, ==, 2);
  assert_contains (run.err, "--timeout-scale");

  run_clear (&run);
  run_cli (&run, NULL, "get", "--no-such-option");
  g_assert_cmpint (run.status, ==, 2);

  /* Every subcommand documents its exit statuses. */
  run_clear (&run);
  run_cli (&run, NULL, "set", "--help");
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "Exit status");
  assert_contains (run.out, "--device");
  assert_contains (run.out, "quote");

  run_clear (&run);
  run_cli (&run, NULL, "--help");
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "console");
  assert_contains (run.out, "ports");
}

static void
test_ports (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *ports;

  run_cli (&run, NULL, "ports", "--json");
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  ports = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (ports); i++)
    {
      JsonObject *port = json_array_get_object_element (ports, i);

      g_assert_true (g_str_has_prefix (json_object_get_string_member (port, "name"), "/dev/"));
      g_assert_true (json_object_has_member (port, "description"));
      g_assert_true (json_object_has_member (port, "usb"));
      g_assert_true (json_object_has_member (port, "serial_number"));
    }
}

int
main (int    argc,
      char **argv)
{
  const char *build_root = g_getenv ("ATC_BUILD_ROOT");
  int status;

  g_test_init (&argc, &argv, NULL);

  cli_path = g_strdup (g_getenv ("ATC_CLI_PATH"));
  if (cli_path == NULL && build_root)
    cli_path = g_build_filename (build_root, "src", "cli", "atconf-cli", NULL);
  g_assert_nonnull (cli_path);
  g_assert_true (g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE));
  if (build_root)
    sim_path = g_build_filename (build_root, "src", "sim", "atconf-sim", NULL);
  state_dir = g_dir_make_tmp ("atconf-test-cli-XXXXXX", NULL);
  g_assert_nonnull (state_dir);

  g_test_add_func ("/cli/detect/g781", test_detect_g781);
  g_test_add_func ("/cli/detect/m0", test_detect_m0);
  g_test_add_func ("/cli/detect/with-model", test_detect_with_model);
  g_test_add_func ("/cli/get/defaults-g781", test_get_defaults_g781);
  g_test_add_func ("/cli/get/defaults-m0", test_get_defaults_m0);
  g_test_add_func ("/cli/get/json", test_get_json);
  g_test_add_func ("/cli/get/secrets", test_get_secrets);
  g_test_add_func ("/cli/get/unknown", test_get_unknown);
  g_test_add_func ("/cli/set/invalid-sends-nothing", test_set_invalid_sends_nothing);
  g_test_add_func ("/cli/set/field-syntax", test_set_field_syntax);
  g_test_add_func ("/cli/set/applies", test_set_applies);
  g_test_add_func ("/cli/console/pipe", test_console_pipe);
  g_test_add_func ("/cli/console/pipe-errors", test_console_pipe_errors);
  g_test_add_func ("/cli/console/tty", test_console_tty);
  g_test_add_func ("/cli/sim/set-then-get", test_sim_set_then_get);
  g_test_add_func ("/cli/sim/password-mode", test_sim_password_mode);
  g_test_add_func ("/cli/sim/restart", test_sim_restart);
  g_test_add_func ("/cli/sim/partial-apply", test_sim_partial_apply);
  g_test_add_func ("/cli/sim/m0", test_sim_m0);
  g_test_add_func ("/cli/device/missing", test_missing_device);
  g_test_add_func ("/cli/device/bad-address", test_bad_address);
  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/ports", test_ports);

  status = g_test_run ();

  {
    g_autofree char *atconf_dir = g_build_filename (state_dir, "atconf", NULL);

    g_rmdir (atconf_dir);
    g_rmdir (state_dir);
  }
  return status;
}
