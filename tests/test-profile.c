/* test-profile.c: profile files and AT command scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "atc-catalog.h"
#include "atc-config.h"
#include "atc-config-diff.h"
#include "atc-error.h"
#include "atc-profile.h"
#include "atc-script.h"

static AtcModel *
model (const char *id)
{
  AtcModel *m = atc_catalog_lookup (atc_catalog_get_default (), id);

  g_assert_nonnull (m);
  return m;
}

/* A temporary directory removed with everything in it. */
typedef struct {
  char *path;
} TmpDir;

static void
tmpdir_setup (TmpDir        *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->path = g_dir_make_tmp ("atconf-profile-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
tmpdir_teardown (TmpDir        *fixture,
                 gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->path);
  g_free (fixture->path);
}

static guint
count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static AtcConfig *
edited_g781 (void)
{
  AtcConfig *config = atc_config_new (model ("g781"));
  const char *apn[] = { "iot.example", "fieldops", "s3cret-apn", "1", NULL };

  g_assert_true (atc_config_set_value (config, "UART", "parity", "EVEN", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (config, "UART", "baud_rate", "9600", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (config, "SOCKA", "address", "10.1.2.3", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (config, "SOCKA", "port", "5020", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (config, "STMSG", "message", "pump=3, west?", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (config, "HTPHD", "header", "X-Site: 7\r\nConnection: close\r\n",
                                       ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_values (config, "APN", apn, ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (config, "CMDPW", "password", "fieldpw#1", ATC_VALUE_SOURCE_EDITED, NULL));
  atc_config_set_fact (config, "VER", "V1.1.05");

  return config;
}

/* Every value of every setting the profile holds equals the config's. */
static void
assert_profile_matches (AtcProfile *profile,
                        AtcConfig  *config,
                        gboolean    with_secrets)
{
  GPtrArray *commands = atc_config_get_commands (config);
  guint n = 0;

  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);

      for (guint j = 0; j < command->params->len; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);
          const char *expected = atc_config_get_value (config, command->name, param->name);
          const char *got = atc_profile_get_value (profile, command->name, param->name);

          if (command->per_unit || expected == NULL || (param->secret && !with_secrets))
            {
              g_assert_null (got);
              continue;
            }
          g_assert_cmpstr (got, ==, expected);
          n++;
        }
    }
  g_assert_cmpuint (atc_profile_get_n_values (profile), ==, n);
}

static void
test_round_trip (TmpDir        *fixture,
                 gconstpointer  data)
{
  g_autoptr(AtcConfig) config = edited_g781 ();
  g_autoptr(AtcProfile) profile = atc_profile_new_from_config (config, TRUE);
  g_autoptr(AtcProfile) loaded = NULL;
  g_autofree char *path = g_build_filename (fixture->path, "site.json", NULL);
  g_autoptr(GError) error = NULL;

  atc_profile_set_notes (profile, "Pump station 3 \"west\"");
  g_assert_true (atc_profile_save_file (profile, path, TRUE, &error));
  g_assert_no_error (error);

  loaded = atc_profile_load_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atc_model_get_id (atc_profile_get_model (loaded)), ==, "g781");
  g_assert_cmpstr (atc_profile_get_firmware (loaded), ==, "V1.1.05");
  g_assert_cmpstr (atc_profile_get_notes (loaded), ==, "Pump station 3 \"west\"");
  assert_profile_matches (loaded, config, TRUE);
  g_assert_cmpstr (atc_profile_get_value (loaded, "HTPHD", "header"), ==, "X-Site: 7\r\nConnection: close\r\n");
  g_assert_cmpstr (atc_profile_get_value (loaded, "APN", "password"), ==, "s3cret-apn");

  /* Only the profile: no temporary file left behind. */
  g_assert_cmpuint (count_files (fixture->path), ==, 1);
}

static void
test_secrets_absent_unless_asked (TmpDir        *fixture,
                                  gconstpointer  data)
{
  g_autoptr(AtcConfig) config = edited_g781 ();
  g_autoptr(AtcProfile) without = atc_profile_new_from_config (config, FALSE);
  g_autoptr(AtcProfile) with = atc_profile_new_from_config (config, TRUE);
  g_autoptr(AtcProfile) loaded = NULL;
  g_autofree char *path = g_build_filename (fixture->path, "plain.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (atc_profile_has_secrets (without));
  g_assert_true (atc_profile_has_secrets (with));
  assert_profile_matches (without, config, FALSE);

  /* A profile holding secrets still leaves them out unless asked. */
  text = atc_profile_to_data (with, FALSE);
  g_assert_null (strstr (text, "s3cret-apn"));
  g_assert_null (strstr (text, "fieldpw#1"));
  g_assert_nonnull (strstr (text, "iot.example"));

  g_assert_true (atc_profile_save_file (with, path, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "s3cret-apn"));
  g_assert_null (strstr (contents, "fieldpw#1"));
  g_assert_null (strstr (contents, "\"password\""));

  loaded = atc_profile_load_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (atc_profile_get_value (loaded, "APN", "password"));
  g_assert_null (atc_profile_get_value (loaded, "CMDPW", "password"));
  g_assert_cmpstr (atc_profile_get_value (loaded, "APN", "username"), ==, "fieldops");
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static void
test_secret_file_mode (TmpDir        *fixture,
                       gconstpointer  data)
{
  g_autoptr(AtcConfig) config = edited_g781 ();
  g_autoptr(AtcProfile) profile = atc_profile_new_from_config (config, TRUE);
  g_autofree char *secret_path = g_build_filename (fixture->path, "secret.json", NULL);
  g_autofree char *plain_path = g_build_filename (fixture->path, "plain.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  mode_t old_umask;

  /* With umask 0 the mode is exactly what the file was created with: a
   * secret file gets 0600 from creation on, not from a later chmod. */
  old_umask = umask (0);

  g_assert_true (g_file_set_contents (secret_path, "{}", -1, NULL));
  g_assert_cmpint (g_chmod (secret_path, 0644), ==, 0);
  g_assert_true (atc_profile_save_file (profile, secret_path, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (atc_profile_save_file (profile, plain_path, FALSE, &error));
  g_assert_no_error (error);

  umask (old_umask);

  g_assert_cmpuint (file_mode (secret_path), ==, 0600);
  g_assert_cmpuint (file_mode (plain_path), ==, 0666);
  g_assert_true (g_file_get_contents (secret_path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "s3cret-apn"));
  g_assert_cmpuint (count_files (fixture->path), ==, 2);
}

static void
test_save_error (TmpDir        *fixture,
                 gconstpointer  data)
{
  g_autoptr(AtcProfile) profile = atc_profile_new (model ("m0"));
  g_autofree char *path = g_build_filename (fixture->path, "missing-dir", "p.json", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (atc_profile_save_file (profile, path, FALSE, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "missing-dir"));
}

/* Loads `json`, expects ATC_ERROR_PROFILE, and checks that each expected
 * problem is one line of the message, and that there are no others. */
static void
assert_problems (const char        *json,
                 const char *const *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcProfile) profile = atc_profile_load_data (json, -1, "p.json", NULL, &error);
  g_auto(GStrv) lines = NULL;
  guint n_expected = g_strv_length ((GStrv) expected);

  g_assert_null (profile);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);

  lines = g_strsplit (error->message, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "p.json has"));
  for (guint i = 0; expected[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) lines, expected[i]))
      g_error ("expected problem line “%s” in:\n%s", expected[i], error->message);
  g_assert_cmpuint (g_strv_length (lines) - 1, ==, n_expected);
}

static void
test_broken_json (void)
{
  const char *json = "{\n  \"schema\": 1,\n  \"model\": \"g781\"\n  \"settings\": {}\n}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcProfile) profile = atc_profile_load_data (json, -1, "site.json", NULL, &error);

  g_assert_null (profile);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
  /* The line and column json-glib gives (where it noticed the missing
   * comma: after "g781"), after the file name. */
  g_assert_nonnull (strstr (error->message, "site.json:3:17: "));
  g_assert_null (strstr (error->message, "<data>"));

  g_clear_error (&error);
  profile = atc_profile_load_data ("", -1, "empty.json", NULL, &error);
  g_assert_null (profile);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
  g_assert_nonnull (strstr (error->message, "empty.json is empty"));

  g_clear_error (&error);
  profile = atc_profile_load_data ("[1, 2]", -1, "array.json", NULL, &error);
  g_assert_null (profile);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
  g_assert_nonnull (strstr (error->message, "not an array"));
}

/* Found by fuzzing: json-glib quotes the token it stopped at, which may
 * be a secret (a file cut short after a password), and a string with an
 * octal escape ("\\372") put a byte that is not UTF-8 into the message. */
static void
test_broken_json_message (void)
{
  const struct {
    const char *json;
    const char *must_mention;
  } cases[] = {
    { "{\"schema\": 1, \"model\": \"g781\", \"settings\": {\"APN\": {\"password\": \"hunter22\"",
      "site.json:1:" },
    { "{\"schema\": 1, \"model\": \"g781\", \"settings\": {\"APN\": {\"password\": hunter22}}}",
      "expected value" },
    { "{\"settings\": {\"APN\": {\"password\": \"hunter22\" \"x\"}}}", "expected character" },
    { "{\"notes\": \"ab\\372\" x}", "site.json:1:" },
    { "{\"schema\": 1,}", "`,'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AtcProfile) profile = atc_profile_load_data (cases[i].json, -1, "site.json",
                                                             NULL, &error);

      g_test_message ("%s: %s", cases[i].json, error ? error->message : "(loaded)");
      g_assert_null (profile);
      g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (strstr (error->message, "hunter22"));
      g_assert_nonnull (strstr (error->message, cases[i].must_mention));
    }
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcProfile) profile = atc_profile_load_file ("/nonexistent/atconf/p.json", NULL, &error);

  g_assert_null (profile);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/atconf/p.json"));
}

static void
test_wrong_types (void)
{
  const char *json =
    "{ \"schema\": \"1\", \"model\": \"g781\", \"notes\": 5,\n"
    "  \"settings\": { \"UART\": { \"baud_rate\": 115200, \"parity\": null },\n"
    "                \"SOCKA\": \"TCPC,10.0.0.1,502\",\n"
    "                \"E\": { \"status\": true } } }";
  const char *expected[] = {
    "schema: expected the number 1, found a string",
    "notes: expected a string, found a number",
    "settings.UART.baud_rate: expected a string such as \"115200\", found a number",
    "settings.UART.parity: expected a string such as \"NONE\", found null",
    "settings.SOCKA: expected an object of parameters such as {\"protocol\": \"…\"}, found a string",
    "settings.E.status: expected a string such as \"ON\", found true/false",
    NULL
  };

  assert_problems (json, expected);

  {
    const char *expected2[] = {
      "settings: expected an object of commands such as {\"UART\": {…}}, found an array",
      "model: expected a string such as \"g781\", found a number",
      NULL
    };

    assert_problems ("{\"schema\": 1, \"model\": 781, \"settings\": []}", expected2);
  }
}

static void
test_out_of_range (void)
{
  const char *json =
    "{ \"schema\": 1, \"model\": \"g781\", \"settings\": {\n"
    "  \"UART\": { \"parity\": \"XYZ\", \"data_bits\": \"9\" },\n"
    "  \"UARTFT\": { \"time\": \"5\" },\n"
    "  \"SOCKA\": { \"port\": \"70000\", \"address\": \"10.0.0.300\" },\n"
    "  \"HEARTDT\": { \"data\": \"ABC\" },\n"
    "  \"APN\": { \"password\": \"p;w\" } } }";
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcProfile) profile = atc_profile_load_data (json, -1, "p.json", NULL, &error);
  const char *paths[] = {
    "settings.UART.parity: 'XYZ' is not one of NONE, EVEN, ODD",
    "settings.UART.data_bits: ", "settings.UARTFT.time: ", "settings.SOCKA.port: ",
    "settings.SOCKA.address: ", "settings.HEARTDT.data: ", "settings.APN.password: ",
  };
  g_auto(GStrv) lines = NULL;

  g_assert_null (profile);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + G_N_ELEMENTS (paths));
  g_assert_true (g_str_has_prefix (lines[0], "p.json has 7 problems"));
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    g_assert_true (g_str_has_prefix (lines[i + 1], paths[i]));

  /* The rule, from the catalog, not only the path. */
  g_assert_nonnull (strstr (lines[3], "below the minimum 10"));
  g_assert_nonnull (strstr (lines[4], "above the maximum 65535"));
  /* A secret's value is never quoted back. */
  g_assert_null (strstr (error->message, "p;w"));
}

static void
test_unknown_keys (void)
{
  const char *json =
    "{ \"schema\": 1, \"model\": \"g781\", \"colour\": \"red\",\n"
    "  \"settings\": { \"FOO\": {}, \"UART\": { \"speed\": \"9600\" },\n"
    "                \"CSQ\": { \"rssi\": \"20\" }, \"VER\": { \"version\": \"V1\" },\n"
    "                \"Z\": {}, \"CLOUD\": { \"id\": \"abc\" } } }";
  const char *expected[] = {
    "colour: unknown key; a profile holds schema, model, firmware, notes and settings",
    "settings.FOO: the USR-G781 has no command FOO",
    "settings.UART.speed: UART has no parameter 'speed'; its parameters are baud_rate, data_bits, stop_bits, parity, flow_control",
    "settings.CSQ: CSQ is live status and cannot be set; remove it",
    "settings.VER: VER is a read-only fact of the unit and cannot be set; remove it",
    "settings.Z: Z is an action, not a setting; remove it",
    "settings.CLOUD: CLOUD belongs to one unit and is never copied by a profile; remove it and set it on the unit itself",
    NULL
  };

  assert_problems (json, expected);
}

static void
test_wrong_model (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcProfile) m0 = NULL;

  {
    const char *expected[] = {
      "model: 'g999' is not a model Atconf knows; use one of g781, m0",
      NULL
    };
    assert_problems ("{\"schema\": 1, \"model\": \"g999\", \"settings\": {}}", expected);
  }
  {
    const char *expected[] = {
      "schema: missing; add \"schema\": 1",
      "model: missing; add \"model\" with one of g781, m0",
      "settings: missing; add \"settings\": {…} with the values to apply",
      NULL
    };
    assert_problems ("{}", expected);
  }
  {
    const char *expected[] = {
      "schema: version 2 is not one this Atconf reads (1); save the profile again with a matching Atconf",
      NULL
    };
    assert_problems ("{\"schema\": 2, \"model\": \"m0\", \"settings\": {}}", expected);
  }

  /* An M0 profile is checked against the M0 catalog... */
  {
    const char *expected[] = {
      "settings.WKMOD: the USR-M0 has no command WKMOD",
      NULL
    };
    assert_problems ("{\"schema\": 1, \"model\": \"m0\", \"settings\": {\"WKMOD\": {\"mode\": \"NET\"}}}", expected);
  }

  /* ...and refused for a G781 unit. */
  m0 = atc_profile_load_data ("{\"schema\": 1, \"model\": \"m0\", \"settings\": {\"DNS\": {\"address\": \"8.8.8.8\"}}}",
                              -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (atc_profile_check_model (m0, model ("m0"), NULL));
  g_assert_false (atc_profile_check_model (m0, model ("g781"), &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
  g_assert_nonnull (strstr (error->message, "USR-M0"));
  g_assert_nonnull (strstr (error->message, "USR-G781"));
}

static void
test_partial_profile (void)
{
  const char *json =
    "{ \"schema\": 1, \"model\": \"g781\",\n"
    "  \"settings\": { \"UART\": { \"parity\": \"even\" }, \"WKMOD\": { \"mode\": \"HTTPD\" } } }";
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcProfile) profile = atc_profile_load_data (json, -1, NULL, NULL, &error);
  g_autoptr(AtcConfig) base = atc_config_new (model ("g781"));
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcConfigDiff) diff = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (atc_profile_get_n_values (profile), ==, 2);
  /* Canonical spelling, as the catalog writes it. */
  g_assert_cmpstr (atc_profile_get_value (profile, "UART", "parity"), ==, "EVEN");
  g_assert_null (atc_profile_get_value (profile, "UART", "baud_rate"));

  g_assert_true (atc_config_set_value (base, "UART", "baud_rate", "57600", ATC_VALUE_SOURCE_UNIT, NULL));
  target = atc_profile_apply_to_config (profile, base);
  g_assert_cmpstr (atc_config_get_value (target, "UART", "parity"), ==, "EVEN");
  g_assert_cmpint (atc_config_get_source (target, "UART", "parity"), ==, ATC_VALUE_SOURCE_PROFILE);
  g_assert_cmpstr (atc_config_get_value (target, "UART", "baud_rate"), ==, "57600");
  g_assert_cmpint (atc_config_get_source (target, "UART", "baud_rate"), ==, ATC_VALUE_SOURCE_UNIT);

  diff = atc_config_diff_new (base, target);
  lines = atc_config_diff_to_lines (diff, FALSE);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[0], ==, "UART parity: NONE -> EVEN");
  /* The work mode goes last. */
  g_assert_cmpstr (lines[1], ==, "WKMOD work mode: NET -> HTTPD");
}

static void
test_factory_password_not_saved (void)
{
  g_autoptr(AtcConfig) config = atc_config_new (model ("g781"));
  g_autoptr(AtcProfile) profile = NULL;

  /* The factory password breaks the document's range: the config shows
   * it as valid, but a profile never carries it to be sent back. */
  g_assert_true (atc_config_set_value (config, "CMDPW", "password", "www.usr.cn#", ATC_VALUE_SOURCE_UNIT, NULL));
  g_assert_null (atc_config_get_value_error (config, "CMDPW", "password"));
  profile = atc_profile_new_from_config (config, TRUE);
  g_assert_null (atc_profile_get_value (profile, "CMDPW", "password"));
  g_assert_nonnull (atc_profile_get_value (profile, "APN", "apn"));
}

/* Scripts */

static void
test_script_round_trip (void)
{
  g_autoptr(AtcConfig) config = edited_g781 ();
  g_autoptr(GError) error = NULL;
  g_autofree char *script = atc_script_export (config, NULL, TRUE, &error);
  g_autoptr(AtcProfile) profile = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (strstr (script, "\nAT+UART=9600,8,1,EVEN,NFC\n"));
  g_assert_nonnull (strstr (script, "\nAT+SOCKA=TCPC,10.1.2.3,5020\n"));
  /* Escaped on the line, so the unit reads one value. */
  g_assert_nonnull (strstr (script, "\nAT+STMSG=pump[3D]3[2C] west[3F]\n"));
  g_assert_nonnull (strstr (script, "# model: g781"));

  profile = atc_script_import (script, "site.at", model ("g781"), &error);
  g_assert_no_error (error);
  assert_profile_matches (profile, config, TRUE);
  g_assert_cmpstr (atc_profile_get_value (profile, "HTPHD", "header"), ==, "X-Site: 7\r\nConnection: close\r\n");
  g_assert_cmpstr (atc_profile_get_firmware (profile), ==, "V1.1.05");
}

static void
test_script_m0_round_trip (void)
{
  g_autoptr(AtcConfig) config = atc_config_new (model ("m0"));
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autoptr(AtcProfile) profile = NULL;

  g_assert_true (atc_config_set_value (config, "MID", "name", "Line 4", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (config, "HTPHEAD", "header", "Accept: */*\r\nUser_Agent: x",
                                       ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (config, "WANN", "mode", "DHCP", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (config, "REGCLOUD", "id", "0001", ATC_VALUE_SOURCE_EDITED, NULL));

  script = atc_script_export (config, NULL, TRUE, &error);
  g_assert_no_error (error);
  /* What belongs to one unit is not written for others. */
  g_assert_null (strstr (script, "REGCLOUD"));
  profile = atc_script_import (script, NULL, model ("m0"), &error);
  g_assert_no_error (error);
  assert_profile_matches (profile, config, TRUE);
}

static void
test_script_secrets (void)
{
  g_autoptr(AtcConfig) config = edited_g781 ();
  g_autoptr(GError) error = NULL;
  g_autofree char *script = atc_script_export (config, NULL, FALSE, &error);
  g_autoptr(AtcProfile) profile = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_no_error (error);
  g_assert_null (strstr (script, "s3cret-apn"));
  g_assert_null (strstr (script, "fieldpw#1"));

  /* The APN line is there, masked and commented out, so importing the
   * script leaves the APN alone instead of sending a mask. */
  lines = g_strsplit (script, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "AT+APN=") != NULL)
        {
          g_assert_true (g_str_has_prefix (lines[i], "# AT+APN=iot.example,fieldops," ATC_SECRET_MASK ",1"));
        }
      g_assert_false (g_str_has_prefix (lines[i], "AT+CMDPW"));
    }

  profile = atc_script_import (script, NULL, model ("g781"), &error);
  g_assert_no_error (error);
  g_assert_null (atc_profile_get_value (profile, "APN", "apn"));
  g_assert_null (atc_profile_get_value (profile, "CMDPW", "password"));
  g_assert_cmpstr (atc_profile_get_value (profile, "UART", "parity"), ==, "EVEN");
}

static void
test_script_of_diff (void)
{
  g_autoptr(AtcConfig) unit = atc_config_new (model ("g781"));
  g_autoptr(AtcConfig) target = atc_config_copy (unit);
  g_autoptr(AtcConfigDiff) diff = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) commands = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (atc_config_set_value (target, "SOCKBEN", "status", "ON", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "SOCKB", "port", "9000", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "WKMOD", "mode", "HTTPD", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "UARTFT", "time", "100", ATC_VALUE_SOURCE_EDITED, NULL));
  diff = atc_config_diff_new (unit, target);

  script = atc_script_export (target, diff, FALSE, &error);
  g_assert_no_error (error);
  lines = g_strsplit (script, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "AT+"))
      g_ptr_array_add (commands, g_strdup (lines[i]));

  /* Only what changes, each command whole, enable flag after its socket,
   * work mode last. */
  g_assert_cmpuint (commands->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (commands, 0), ==, "AT+UARTFT=100");
  g_assert_cmpstr (g_ptr_array_index (commands, 1), ==, "AT+SOCKB=TCPC,test.usr.cn,9000");
  g_assert_cmpstr (g_ptr_array_index (commands, 2), ==, "AT+SOCKBEN=ON");
  g_assert_cmpstr (g_ptr_array_index (commands, 3), ==, "AT+WKMOD=HTTPD");
  g_assert_nonnull (strstr (script, "# SOCKB server port: 2317 -> 9000\n"));
}

static void
test_script_of_profile (TmpDir        *fixture,
                        gconstpointer  data)
{
  const char *json =
    "{ \"schema\": 1, \"model\": \"m0\", \"firmware\": \"4016\", \"settings\": {\n"
    "  \"HEARTEN\": { \"status\": \"ON\" },\n"
    "  \"WEBU\": { \"username\": \"tech\", \"password\": \"pw5x\" },\n"
    "  \"DNS\": { \"address\": \"9.9.9.9\" } } }";
  g_autoptr(AtcProfile) profile = atc_profile_load_data (json, -1, NULL, NULL, NULL);
  g_autoptr(AtcProfile) partial = NULL;
  g_autoptr(AtcProfile) back = NULL;
  g_autofree char *script = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *path = g_build_filename (fixture->path, "m0.at", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *dns;
  const char *heart;
  mode_t old_umask;

  g_assert_nonnull (profile);
  script = atc_script_export_profile (profile, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (script, "# firmware: 4016\n"));
  g_assert_nonnull (strstr (script, "\nAT+WEBU=tech,pw5x\n"));
  /* The heartbeat is switched on after the other settings. */
  dns = strstr (script, "\nAT+DNS=9.9.9.9\n");
  heart = strstr (script, "\nAT+HEARTEN=ON\n");
  g_assert_nonnull (dns);
  g_assert_nonnull (heart);
  g_assert_true (dns < heart);

  back = atc_script_import (script, NULL, model ("m0"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (atc_profile_get_n_values (back), ==, atc_profile_get_n_values (profile));
  g_assert_cmpstr (atc_profile_get_value (back, "WEBU", "password"), ==, "pw5x");

  hidden = atc_script_export_profile (profile, FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (hidden, "pw5x"));

  /* A script with a secret is written 0600, whatever the umask. */
  old_umask = umask (0);
  g_assert_true (atc_script_save_file (script, path, TRUE, &error));
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, script);

  /* Saved without passwords: the WEBU line waits for its password. */
  {
    g_autoptr(AtcProfile) no_secret = atc_profile_load_data (json, -1, NULL, NULL, NULL);
    g_autofree char *text = NULL;
    g_autoptr(AtcProfile) reread = NULL;

    g_assert_true (atc_profile_set_value (no_secret, "WEBU", "password", NULL, NULL));
    text = atc_script_export_profile (no_secret, TRUE, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, "\n# AT+WEBU=tech," ATC_SECRET_MASK "\n"));
    g_assert_null (strstr (text, "\nAT+WEBU"));
    reread = atc_script_import (text, NULL, model ("m0"), &error);
    g_assert_no_error (error);
    g_assert_null (atc_profile_get_value (reread, "WEBU", "username"));
    g_assert_cmpstr (atc_profile_get_value (reread, "DNS", "address"), ==, "9.9.9.9");
  }

  /* Without a unit, a half-given command cannot be written. */
  partial = atc_profile_new (model ("m0"));
  g_assert_true (atc_profile_set_value (partial, "UART", "parity", "EVEN", NULL));
  g_assert_true (atc_profile_set_value (partial, "DNS", "address", "1.1.1.1", NULL));
  g_clear_pointer (&script, g_free);
  script = atc_script_export_profile (partial, FALSE, &error);
  g_assert_null (script);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
  g_assert_nonnull (strstr (error->message, "only some parameters of UART"));
}

static void
test_script_errors (void)
{
  const char *script =
    "# model: g781\n"                       /* 1 */
    "AT+UART=115200,8,1,NONE,NFC\n"         /* 2 */
    "AT+UART=115200,8,1,XYZ,NFC\n"          /* 3 */
    "\n"                                    /* 4 */
    "AT+FOO=1\n"                            /* 5 */
    "AT+Z\n"                                /* 6 */
    "hello\n"                               /* 7 */
    "AT+UARTFT\n"                           /* 8 */
    "at+uartfl=70000\n"                     /* 9 */
    "AT+SOCKA=TCPC,1.2.3.4\n"               /* 10 */
    "AT+CSQ=5\n"                            /* 11 */
    "AT+STMSG=a;AT+Z\n"                     /* 12 */
    "AT+CLOUD=abc,pw\n"                     /* 13 */
    "   # indented comment\r\n"             /* 14 */
    "AT+E=off\r\n";                         /* 15 */
  const char *prefixes[] = {
    "line 3: ", "line 5: the USR-G781 has no command FOO", "line 6: AT+Z is not a setting",
    "line 7: expected a command", "line 8: AT+UARTFT is a query", "line 9: ", "line 10: ",
    "line 11: AT+CSQ is not a setting", "line 12: ';' cannot appear",
    "line 13: AT+CLOUD belongs to one unit",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcProfile) profile = atc_script_import (script, "bad.at", model ("g781"), &error);
  g_auto(GStrv) lines = NULL;

  g_assert_null (profile);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "bad.at has 10 problems"));
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + G_N_ELEMENTS (prefixes));
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (!g_str_has_prefix (lines[i + 1], prefixes[i]))
      g_error ("expected “%s…”, got “%s”", prefixes[i], lines[i + 1]);
  g_assert_nonnull (strstr (lines[1], "'XYZ' is not one of NONE, EVEN, ODD"));
  g_assert_nonnull (strstr (lines[6], "above the maximum 4096"));

  /* Another model's script. */
  g_clear_error (&error);
  profile = atc_script_import ("# model: m0\nAT+E=ON\n", "m0.at", model ("g781"), &error);
  g_assert_null (profile);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
  g_assert_nonnull (strstr (error->message, "line 1: the script is for the model m0"));

  /* A masked secret pasted back is refused, never sent as the password. */
  g_clear_error (&error);
  profile = atc_script_import ("AT+APN=cmnet,user," ATC_SECRET_MASK ",0\n", NULL, model ("g781"), &error);
  g_assert_null (profile);
  g_assert_nonnull (strstr (error->message, "line 1: the password was masked"));

  /* Case of AT+ and the name does not matter; values are canonical. */
  g_clear_error (&error);
  profile = atc_script_import ("at+e=off\n\n# done\n", NULL, model ("g781"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atc_profile_get_value (profile, "E", "status"), ==, "OFF");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/profile/round-trip", TmpDir, NULL, tmpdir_setup, test_round_trip, tmpdir_teardown);
  g_test_add ("/profile/secrets-absent-unless-asked", TmpDir, NULL, tmpdir_setup,
              test_secrets_absent_unless_asked, tmpdir_teardown);
  g_test_add ("/profile/secret-file-mode", TmpDir, NULL, tmpdir_setup, test_secret_file_mode, tmpdir_teardown);
  g_test_add ("/profile/save-error", TmpDir, NULL, tmpdir_setup, test_save_error, tmpdir_teardown);
  g_test_add_func ("/profile/broken-json", test_broken_json);
  g_test_add_func ("/profile/broken-json-message", test_broken_json_message);
  g_test_add_func ("/profile/missing-file", test_missing_file);
  g_test_add_func ("/profile/wrong-types", test_wrong_types);
  g_test_add_func ("/profile/out-of-range", test_out_of_range);
  g_test_add_func ("/profile/unknown-keys", test_unknown_keys);
  g_test_add_func ("/profile/wrong-model", test_wrong_model);
  g_test_add_func ("/profile/partial", test_partial_profile);
  g_test_add_func ("/profile/factory-password-not-saved", test_factory_password_not_saved);
  g_test_add_func ("/script/round-trip", test_script_round_trip);
  g_test_add_func ("/script/m0-round-trip", test_script_m0_round_trip);
  g_test_add_func ("/script/secrets", test_script_secrets);
  g_test_add_func ("/script/diff", test_script_of_diff);
  g_test_add_func ("/script/errors", test_script_errors);
  g_test_add ("/script/of-profile", TmpDir, NULL, tmpdir_setup, test_script_of_profile, tmpdir_teardown);

  return g_test_run ();
}
