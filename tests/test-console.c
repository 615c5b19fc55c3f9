/* test-console.c: typed console lines: history without secrets, completion
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>
#include <glib/gstdio.h>

#include "atc-catalog.h"
#include "atc-console-history.h"
#include "atc-console-line.h"
#include "atc-test-util.h"

static AtcModel *
model (const char *id)
{
  AtcModel *m = atc_catalog_lookup (atc_catalog_get_default (), id);

  g_assert_nonnull (m);
  return m;
}

static void
test_command_start (void)
{
  AtcModel *g781 = model ("g781");
  const char *passwords[] = { "mine#", NULL };

  g_assert_cmpint (atc_console_line_command_start (g781, NULL, "AT+CSQ"), ==, 0);
  g_assert_cmpint (atc_console_line_command_start (g781, NULL, "at+csq"), ==, 0);
  /* The factory password of the model, and one the caller knows. */
  g_assert_cmpint (atc_console_line_command_start (g781, NULL, "www.usr.cn#AT+CSQ"), ==, 11);
  g_assert_cmpint (atc_console_line_command_start (g781, passwords, "mine#AT"), ==, 5);
  /* An unknown prefix: the command starts at "AT+". */
  g_assert_cmpint (atc_console_line_command_start (g781, NULL, "other#AT+CSQ"), ==, 6);
  g_assert_cmpint (atc_console_line_command_start (g781, NULL, "+++"), ==, -1);
}

static void
test_history_never_keeps_secrets (void)
{
  AtcModel *g781 = model ("g781");
  AtcModel *m0 = model ("m0");
  const char *passwords[] = { "mine#", NULL };
  struct {
    AtcModel   *model;
    const char *typed;
    const char *kept;   /* NULL: nothing kept */
  } cases[] = {
    { g781, "AT+VER", "AT+VER" },
    { g781, "AT+UARTFT=100", "AT+UARTFT=100" },
    { g781, "AT+UART?", "AT+UART?" },
    /* The command password field: the name only. */
    { g781, "AT+CMDPW=secret1", "AT+CMDPW=" },
    { g781, "at+cmdpw=secret1", "AT+CMDPW=" },
    /* A password prefix is dropped; the command stays. */
    { g781, "www.usr.cn#AT+CSQ", "AT+CSQ" },
    { g781, "mine#AT+CSQ", "AT+CSQ" },
    /* Plain AT behind an unknown password: nothing. */
    { g781, "secret7AT", NULL },
    { g781, "+++", NULL },
    /* The factory password as a value is still a password. */
    { g781, "AT+UARTFT=www.usr.cn#", NULL },
    /* Without a model nothing says which fields are secret. */
    { NULL, "AT+CMDPW=secret1", "AT+CMDPW=" },
    { NULL, "AT+CSQ", "AT+CSQ" },
    { m0, "AT+UART", "AT+UART" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *kept = atc_console_line_for_history (cases[i].model, passwords, cases[i].typed);

      g_test_message ("%s", cases[i].typed);
      g_assert_cmpstr (kept, ==, cases[i].kept);
    }
}

static void
test_secret_fields_of_each_model (void)
{
  const char *ids[] = { "g781", "m0" };

  /* Every command with a secret field keeps only its name, whatever is typed. */
  for (guint m = 0; m < G_N_ELEMENTS (ids); m++)
    {
      AtcModel *unit = model (ids[m]);
      GPtrArray *commands = atc_model_get_commands (unit);

      for (guint i = 0; i < commands->len; i++)
        {
          const AtcCommand *command = g_ptr_array_index (commands, i);
          g_autofree char *line = NULL;
          g_autofree char *kept = NULL;
          g_autofree char *expected = NULL;

          if (!atc_command_has_secret (command))
            continue;
          line = g_strdup_printf ("AT+%s=hunter22,hunter22,hunter22", command->name);
          kept = atc_console_line_for_history (unit, NULL, line);
          expected = g_strdup_printf ("AT+%s=", command->name);
          g_assert_cmpstr (kept, ==, expected);
        }
    }
}

static void
test_complete (void)
{
  AtcModel *g781 = model ("g781");
  g_auto(GStrv) uartf = atc_console_line_complete (g781, NULL, "AT+UARTF");
  g_auto(GStrv) lower = atc_console_line_complete (g781, NULL, "at+uartft");
  g_auto(GStrv) start = atc_console_line_complete (g781, NULL, "A");
  g_auto(GStrv) value = atc_console_line_complete (g781, NULL, "AT+UARTFT=1");
  g_auto(GStrv) password = atc_console_line_complete (g781, NULL, "www.usr.cn#AT+CS");
  g_auto(GStrv) no_model = atc_console_line_complete (NULL, NULL, "AT+CS");
  g_auto(GStrv) unknown = atc_console_line_complete (g781, NULL, "AT+XYZ");

  g_assert_cmpuint (g_strv_length (uartf), ==, 2);
  g_assert_true (g_strv_contains ((const char *const *) uartf, "AT+UARTFT"));
  g_assert_true (g_strv_contains ((const char *const *) uartf, "AT+UARTFL"));
  g_assert_cmpuint (g_strv_length (lower), ==, 1);
  g_assert_cmpstr (lower[0], ==, "AT+UARTFT");
  g_assert_cmpuint (g_strv_length (start), ==, 1);
  g_assert_cmpstr (start[0], ==, "AT+");
  g_assert_cmpuint (g_strv_length (value), ==, 0);
  g_assert_true (g_strv_contains ((const char *const *) password, "www.usr.cn#AT+CSQ"));
  g_assert_cmpuint (g_strv_length (no_model), ==, 0);
  g_assert_cmpuint (g_strv_length (unknown), ==, 0);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (atc_console_history_load_finish (ATC_CONSOLE_HISTORY (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (atc_console_history_save_finish (ATC_CONSOLE_HISTORY (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
test_history_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atconf-console-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "sub", "console-history", NULL);
  g_autoptr(AtcConsoleHistory) history = atc_console_history_new (path);
  g_autoptr(AtcConsoleHistory) again = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sub = NULL;
  gboolean loaded = FALSE;
  gboolean saved = FALSE;
  GPtrArray *lines;
  GStatBuf st;

  g_assert_no_error (error);

  /* Missing file: empty, no error. */
  g_assert_true (atc_console_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (atc_console_history_get_lines (history)->len, ==, 0);

  g_assert_true (atc_console_history_add (history, "AT+VER"));
  g_assert_false (atc_console_history_add (history, "AT+VER"));   /* repeat */
  g_assert_false (atc_console_history_add (history, ""));
  g_assert_false (atc_console_history_add (history, "AT\r\nAT"));
  g_assert_true (atc_console_history_add (history, "AT+CSQ"));
  g_assert_true (atc_console_history_save (history, &error));
  g_assert_no_error (error);

  /* Private to the technician. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* A second console reads it without blocking; lines it had typed
   * come after the stored ones. */
  again = atc_console_history_new (path);
  atc_console_history_add (again, "AT+UART?");
  atc_console_history_load_async (again, NULL, loaded_cb, &loaded);
  g_assert_true (atc_test_run_until (&loaded, 5000));
  lines = atc_console_history_get_lines (again);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "AT+VER");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "AT+CSQ");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "AT+UART?");

  /* Saved without blocking: the file holds the newest lines. */
  atc_console_history_add (again, "AT+CSQ");
  saved = FALSE;
  atc_console_history_save_async (again, NULL, saved_cb, &saved);
  g_assert_true (atc_test_run_until (&saved, 5000));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "AT+VER\nAT+CSQ\nAT+UART?\nAT+CSQ\n");

  g_unlink (path);
  sub = g_path_get_dirname (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/console/command-start", test_command_start);
  g_test_add_func ("/console/history-never-keeps-secrets", test_history_never_keeps_secrets);
  g_test_add_func ("/console/secret-fields-of-each-model", test_secret_fields_of_each_model);
  g_test_add_func ("/console/complete", test_complete);
  g_test_add_func ("/console/history-store", test_history_store);

  return g_test_run ();
}
