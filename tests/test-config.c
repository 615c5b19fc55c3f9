/* test-config.c: the configuration model, reading a unit, diffs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atc-catalog.h"
#include "atc-config.h"
#include "atc-config-diff.h"
#include "atc-config-reader.h"
#include "atc-demo-transport.h"
#include "atc-error.h"
#include "atc-session.h"
#include "atc-simulator.h"
#include "atc-test-util.h"

/* A safety net against a hung test, never what a test measures. */
static AtcModel *
model (const char *id)
{
  AtcModel *m = atc_catalog_lookup (atc_catalog_get_default (), id);

  g_assert_nonnull (m);
  return m;
}

/* A simulated unit on the demo transport and a session to it. */
typedef struct {
  AtcTransport *transport;
  AtcSimulator *sim;
  AtcSession   *session;
} Unit;

static void
unit_open (Unit       *unit,
           const char *model_id)
{
  g_autofree char *text = g_strdup_printf ("demo:%s", model_id);
  g_autoptr(AtcAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  address = atc_address_parse (text, &error);
  g_assert_no_error (error);
  unit->transport = atc_demo_transport_new (address, &error);
  g_assert_no_error (error);
  unit->sim = atc_demo_transport_get_simulator (ATC_DEMO_TRANSPORT (unit->transport));
  atc_simulator_set_latency_ms (unit->sim, 1);
  unit->session = atc_session_new (unit->transport);
}

static void
unit_close (Unit *unit)
{
  atc_session_close (unit->session);
  g_clear_object (&unit->session);
  g_clear_object (&unit->transport);
}

typedef struct {
  guint last_done;
  guint total;
  guint n_signals;
  /* Unplug the unit once this many queries are done; 0: never. */
  guint unplug_after;
  AtcSimulator *sim;
} Progress;

static void
on_read_progress (AtcConfigReader *reader,
                  guint            done,
                  guint            total,
                  const char      *command,
                  gpointer         user_data)
{
  Progress *progress = user_data;

  g_assert_cmpuint (done, ==, progress->last_done + 1);
  g_assert_nonnull (command);
  progress->last_done = done;
  progress->total = total;
  progress->n_signals++;

  if (progress->unplug_after != 0 && done == progress->unplug_after)
    atc_simulator_disconnect (progress->sim);
}

static AtcConfig *
read_unit (Unit      *unit,
           Progress  *progress,
           GError   **error)
{
  g_autoptr(AtcConfigReader) reader = atc_config_reader_new (unit->session);
  AtcTestWait await = { 0 };
  AtcConfig *config;

  if (progress != NULL)
    g_signal_connect (reader, "progress", G_CALLBACK (on_read_progress), progress);
  atc_config_reader_read_async (reader, NULL, atc_test_wait_done, &await);
  config = atc_config_reader_read_finish (reader, atc_test_wait_result (&await), error);
  atc_test_wait_clear (&await);
  return config;
}

/* The values the unit answers for a command (USERMAC reads as MAC). */
static GStrv
unit_values (AtcSimulator     *sim,
             const AtcCommand *command)
{
  g_autoptr(GError) error = NULL;
  GStrv values = atc_simulator_dup_values (sim, command->query_command ? command->query_command
                                                                      : command->name, &error);

  g_assert_no_error (error);
  return values;
}

/* Settings that differ from the factory state, secrets included, so a
 * read that returned defaults could not pass. */
static void
preset_g781 (AtcSimulator *sim)
{
  const char *uart[] = { "9600", "7", "2", "ODD", "485", NULL };
  const char *socka[] = { "UDPC", "10.20.30.40", "5020", NULL };
  const char *apn[] = { "iot.example", "fieldops", "apn-s3cret", "2", NULL };
  const char *cmdpw[] = { "pw-7x", NULL };
  const char *stmsg[] = { "Pump 3, west=1?", NULL };
  const char *htphd[] = { "X-Site: 7\r\n", NULL };
  const char *wkmod[] = { "HTTPD", NULL };
  const char *heartdt[] = { "DEADBEEF", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (atc_simulator_set_values (sim, "UART", uart, &error));
  g_assert_true (atc_simulator_set_values (sim, "SOCKA", socka, &error));
  g_assert_true (atc_simulator_set_values (sim, "APN", apn, &error));
  g_assert_true (atc_simulator_set_values (sim, "CMDPW", cmdpw, &error));
  g_assert_true (atc_simulator_set_values (sim, "STMSG", stmsg, &error));
  g_assert_true (atc_simulator_set_values (sim, "HTPHD", htphd, &error));
  g_assert_true (atc_simulator_set_values (sim, "WKMOD", wkmod, &error));
  g_assert_true (atc_simulator_set_values (sim, "HEARTDT", heartdt, &error));
  g_assert_no_error (error);
}

static void
preset_m0 (AtcSimulator *sim)
{
  const char *uart[] = { "57600", "7", "1", "SPACE", "FC", NULL };
  const char *wann[] = { "DHCP", "10.0.0.9", "255.255.0.0", "10.0.0.1", NULL };
  const char *webu[] = { "tech", "web5x", NULL };
  const char *sock[] = { "TCPS", "192.168.1.50", "4001", NULL };
  const char *htphead[] = { "Accept: */*\r\nX: y", NULL };
  const char *mid[] = { "Line 4", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (atc_simulator_set_values (sim, "UART", uart, &error));
  g_assert_true (atc_simulator_set_values (sim, "WANN", wann, &error));
  g_assert_true (atc_simulator_set_values (sim, "WEBU", webu, &error));
  g_assert_true (atc_simulator_set_values (sim, "SOCK", sock, &error));
  g_assert_true (atc_simulator_set_values (sim, "HTPHEAD", htphead, &error));
  g_assert_true (atc_simulator_set_values (sim, "MID", mid, &error));
  g_assert_no_error (error);
}

static void
test_read (gconstpointer data)
{
  const char *model_id = data;
  Unit unit = { 0 };
  Progress progress = { 0 };
  g_autoptr(AtcConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) failed = NULL;
  GPtrArray *commands;
  GPtrArray *facts;
  guint n_settings = 0;

  unit_open (&unit, model_id);
  if (g_str_equal (model_id, "g781"))
    preset_g781 (unit.sim);
  else
    preset_m0 (unit.sim);

  /* The session has no model yet: the read detects it first. */
  config = read_unit (&unit, &progress, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atc_model_get_id (atc_config_get_model (config)), ==, model_id);

  failed = atc_config_get_failed_reads (config);
  g_assert_cmpuint (g_strv_length (failed), ==, 0);

  commands = atc_config_get_commands (config);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      g_auto(GStrv) expected = unit_values (unit.sim, command);

      for (guint j = 0; j < command->params->len; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);

          g_assert_cmpstr (atc_config_get_value (config, command->name, param->name), ==, expected[j]);
          g_assert_cmpint (atc_config_get_source (config, command->name, param->name), ==,
                           ATC_VALUE_SOURCE_UNIT);
        }
      n_settings++;
    }
  g_assert_cmpuint (n_settings, >, 10);

  facts = atc_config_get_fact_commands (config);
  g_assert_cmpuint (facts->len, >=, 2);
  for (guint i = 0; i < facts->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (facts, i);
      g_auto(GStrv) expected = unit_values (unit.sim, command);
      g_autofree char *joined = g_strjoinv (",", expected);

      g_assert_cmpstr (atc_config_get_fact (config, command->name), ==, joined);
    }

  /* One progress step per query, identity included. */
  g_assert_cmpuint (progress.total, ==, commands->len + facts->len);
  g_assert_cmpuint (progress.n_signals, ==, progress.total);
  g_assert_cmpuint (progress.last_done, ==, progress.total);

  unit_close (&unit);
}

static void
test_read_unplugged (void)
{
  Unit unit = { 0 };
  Progress progress = { 0 };
  g_autoptr(AtcConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) failed = NULL;
  GPtrArray *commands;
  guint n_facts;
  guint n_ok = 0;

  unit_open (&unit, "g781");
  preset_g781 (unit.sim);
  atc_session_set_model (unit.session, model ("g781"));

  /* Identity, then settings, go one at a time: unplug after 12 answers. */
  progress.unplug_after = 12;
  progress.sim = unit.sim;
  config = read_unit (&unit, &progress, &error);

  /* The read completes and says what it could not read. */
  g_assert_no_error (error);
  g_assert_nonnull (config);
  g_assert_cmpuint (progress.last_done, ==, progress.total);

  commands = atc_config_get_commands (config);
  n_facts = atc_config_get_fact_commands (config)->len;
  failed = atc_config_get_failed_reads (config);
  g_assert_cmpuint (g_strv_length (failed), >, 0);

  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      const GError *read_error = atc_config_get_read_error (config, command->name);

      if (read_error == NULL)
        {
          g_auto(GStrv) expected = unit_values (unit.sim, command);
          g_auto(GStrv) values = atc_config_get_values (config, command->name);

          g_assert_cmpstrv (values, expected);
          n_ok++;
        }
      else
        {
          g_assert_error ((GError *) read_error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
          g_assert_true (g_strv_contains ((const char *const *) failed, command->name));
          /* What a failed read shows is not the unit's: its source says so. */
          g_assert_cmpint (atc_config_get_source (config, command->name,
                                                  ((const AtcParam *) g_ptr_array_index (command->params, 0))->name),
                           !=, ATC_VALUE_SOURCE_UNIT);
        }
    }
  /* Everything answered before the unplug was kept. */
  g_assert_cmpuint (n_ok + n_facts, ==, progress.unplug_after);
  g_assert_cmpuint (n_ok + g_strv_length (failed), ==, commands->len);

  unit_close (&unit);
}

static void
test_read_fails_when_nothing_answers (void)
{
  Unit unit = { 0 };
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;
  g_autoptr(AtcConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  unit_open (&unit, "m0");
  faults.silent = TRUE;
  atc_simulator_set_faults (unit.sim, &faults);
  atc_session_set_model (unit.session, model ("m0"));
  atc_session_set_timeout_scale (unit.session, 0.05);

  config = read_unit (&unit, NULL, &error);
  g_assert_null (config);
  g_assert_nonnull (error);
  g_assert_true (error->domain == ATC_ERROR);

  unit_close (&unit);
}

/* The model, without a unit */

typedef struct {
  GPtrArray *changes;  /* "COMMAND/param" */
} Changes;

static void
on_changed (AtcConfig  *config,
            const char *command,
            const char *param,
            gpointer    user_data)
{
  Changes *changes = user_data;

  g_ptr_array_add (changes->changes, g_strdup_printf ("%s/%s", command, param ? param : "-"));
}

static void
test_values (void)
{
  g_autoptr(AtcConfig) config = atc_config_new (model ("g781"));
  g_autoptr(AtcConfig) copy = NULL;
  g_autoptr(GError) error = NULL;
  Changes changes = { g_ptr_array_new_with_free_func (g_free) };
  g_auto(GStrv) uart = NULL;

  /* Defaults from the catalog. */
  g_assert_cmpstr (atc_config_get_value (config, "UART", "baud_rate"), ==, "115200");
  g_assert_cmpint (atc_config_get_source (config, "UART", "baud_rate"), ==, ATC_VALUE_SOURCE_DEFAULT);
  g_assert_null (atc_config_get_value (config, "CLOUD", "id"));
  g_assert_cmpint (atc_config_get_source (config, "CLOUD", "id"), ==, ATC_VALUE_SOURCE_NONE);
  /* Live status and actions are not settings. */
  g_assert_null (atc_config_lookup_command (config, "CSQ"));
  g_assert_null (atc_config_lookup_command (config, "Z"));
  g_assert_null (atc_config_lookup_command (config, "VER"));

  g_signal_connect (config, "changed", G_CALLBACK (on_changed), &changes);

  /* Canonical spelling, source kept, one signal. */
  g_assert_true (atc_config_set_value (config, "UART", "parity", "even", ATC_VALUE_SOURCE_EDITED, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (atc_config_get_value (config, "UART", "parity"), ==, "EVEN");
  g_assert_cmpint (atc_config_get_source (config, "UART", "parity"), ==, ATC_VALUE_SOURCE_EDITED);
  g_assert_cmpuint (changes.changes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (changes.changes, 0), ==, "UART/parity");

  /* The same value again changes nothing. */
  g_assert_true (atc_config_set_value (config, "UART", "parity", "EVEN", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_cmpuint (changes.changes->len, ==, 1);

  /* An invalid value is kept as typed, with its error. */
  g_assert_false (atc_config_set_value (config, "UARTFT", "time", "5", ATC_VALUE_SOURCE_EDITED, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "below the minimum 10"));
  g_clear_error (&error);
  g_assert_cmpstr (atc_config_get_value (config, "UARTFT", "time"), ==, "5");
  g_assert_nonnull (atc_config_get_value_error (config, "UARTFT", "time"));
  g_assert_cmpuint (changes.changes->len, ==, 2);

  g_assert_false (atc_config_validate (config, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "UARTFT"));
  /* CLOUD and CPIN have no value and no default. */
  g_assert_nonnull (strstr (error->message, "CLOUD cloud ID: no value"));
  g_clear_error (&error);

  /* Unknown names store nothing. */
  g_assert_false (atc_config_set_value (config, "UART", "speed", "9600", ATC_VALUE_SOURCE_EDITED, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND);
  g_clear_error (&error);
  g_assert_false (atc_config_set_value (config, "CSQ", "rssi", "9", ATC_VALUE_SOURCE_EDITED, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND);
  g_clear_error (&error);
  g_assert_cmpuint (changes.changes->len, ==, 2);

  /* Whole commands, in wire order. */
  uart = atc_config_get_values (config, "UART");
  g_assert_cmpstr (uart[3], ==, "EVEN");
  g_assert_cmpuint (g_strv_length (uart), ==, 5);
  {
    const char *short_values[] = { "9600", NULL };

    g_assert_false (atc_config_set_values (config, "UART", short_values, ATC_VALUE_SOURCE_EDITED, &error));
    g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
    g_clear_error (&error);
    g_assert_cmpstr (atc_config_get_value (config, "UART", "baud_rate"), ==, "115200");
  }

  /* Facts and read errors. */
  atc_config_set_fact (config, "sn", "01234567890123456789");
  g_assert_cmpstr (atc_config_get_fact (config, "SN"), ==, "01234567890123456789");
  g_assert_cmpstr (g_ptr_array_index (changes.changes, changes.changes->len - 1), ==, "SN/-");

  {
    g_autoptr(GError) timeout = g_error_new_literal (ATC_ERROR, ATC_ERROR_TIMEOUT, "no answer");

    atc_config_set_read_error (config, "SOCKB", timeout);
  }

  /* A copy is independent and complete. */
  copy = atc_config_copy (config);
  g_assert_cmpstr (atc_config_get_value (copy, "UART", "parity"), ==, "EVEN");
  g_assert_cmpint (atc_config_get_source (copy, "UART", "parity"), ==, ATC_VALUE_SOURCE_EDITED);
  g_assert_nonnull (atc_config_get_value_error (copy, "UARTFT", "time"));
  g_assert_error ((GError *) atc_config_get_read_error (copy, "SOCKB"), ATC_ERROR, ATC_ERROR_TIMEOUT);
  g_assert_cmpstr (atc_config_get_fact (copy, "SN"), ==, "01234567890123456789");
  g_assert_true (atc_config_set_value (copy, "UART", "parity", "ODD", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_cmpstr (atc_config_get_value (config, "UART", "parity"), ==, "EVEN");

  g_ptr_array_unref (changes.changes);
}

static void
test_secrets_masked (void)
{
  g_autoptr(AtcConfig) config = atc_config_new (model ("m0"));
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) json_secrets = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_secrets = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *dump_secrets = NULL;
  g_auto(GStrv) secrets = NULL;

  g_assert_true (atc_config_set_value (config, "WEBU", "password", "k3y9z", ATC_VALUE_SOURCE_UNIT, NULL));
  g_assert_true (atc_config_set_value (config, "WEBU", "username", "admin", ATC_VALUE_SOURCE_UNIT, NULL));

  json = atc_config_to_json (config, FALSE);
  json_secrets = atc_config_to_json (config, TRUE);
  dump = json_to_string (json, FALSE);
  dump_secrets = json_to_string (json_secrets, FALSE);
  g_assert_null (strstr (dump, "k3y9z"));
  g_assert_nonnull (strstr (dump, "\"password\":\"" ATC_SECRET_MASK "\""));
  g_assert_nonnull (strstr (dump_secrets, "\"password\":\"k3y9z\""));

  text = atc_config_to_text (config, FALSE);
  text_secrets = atc_config_to_text (config, TRUE);
  g_assert_null (strstr (text, "k3y9z"));
  {
    const char *line = strstr (text, "WEBU password:");
    const char *end = line ? strchr (line, '\n') : NULL;
    g_autofree char *row = NULL;

    g_assert_nonnull (end);
    row = g_strndup (line, end - line);
    g_assert_true (g_str_has_suffix (row, " " ATC_SECRET_MASK));
  }
  g_assert_nonnull (strstr (text_secrets, "k3y9z"));

  secrets = atc_config_get_secrets (config);
  g_assert_true (g_strv_contains ((const char *const *) secrets, "k3y9z"));
  g_assert_false (g_strv_contains ((const char *const *) secrets, "admin"));
}

/* Diffs */

static void
test_diff_lines (void)
{
  g_autoptr(AtcConfig) unit = atc_config_new (model ("g781"));
  g_autoptr(AtcConfig) edited = NULL;
  g_autoptr(AtcConfigDiff) diff = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) lines_secrets = NULL;
  const char *apn[] = { "CMNET", "", "old-pw", "0", NULL };
  const char *expected[] = {
    "APN password: " ATC_SECRET_MASK " -> " ATC_SECRET_MASK,
    "UART parity: NONE -> EVEN",
    "UART flow control: NFC -> 485",
    "SOCKB server port: 2317 -> 9000",
    "HTPHD header: Connection: close\\r\\n -> (empty)",
    "SOCKBEN socket B: OFF -> ON",
    "WKMOD work mode: NET -> HTTPD",
    NULL
  };

  g_assert_true (atc_config_set_values (unit, "APN", apn, ATC_VALUE_SOURCE_UNIT, NULL));
  edited = atc_config_copy (unit);

  /* Set in an order unlike the apply order. */
  g_assert_true (atc_config_set_value (edited, "WKMOD", "mode", "HTTPD", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (edited, "SOCKBEN", "status", "ON", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (edited, "SOCKB", "port", "9000", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (edited, "UART", "flow_control", "485", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (edited, "UART", "parity", "EVEN", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (edited, "APN", "password", "new-pw", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (edited, "HTPHD", "header", "", ATC_VALUE_SOURCE_EDITED, NULL));
  /* Edited back to what the unit has: no change. */
  g_assert_true (atc_config_set_value (edited, "UARTFT", "time", "50", ATC_VALUE_SOURCE_EDITED, NULL));

  diff = atc_config_diff_new (unit, edited);
  g_assert_false (atc_config_diff_is_empty (diff));
  lines = atc_config_diff_to_lines (diff, FALSE);
  g_assert_cmpstrv (lines, expected);

  lines_secrets = atc_config_diff_to_lines (diff, TRUE);
  g_assert_cmpstr (lines_secrets[0], ==, "APN password: old-pw -> new-pw");

  /* The commands to send, each once, in apply order. */
  {
    GPtrArray *commands = atc_config_diff_get_commands (diff);
    const char *names[] = { "APN", "UART", "SOCKB", "HTPHD", "SOCKBEN", "WKMOD" };

    g_assert_cmpuint (commands->len, ==, G_N_ELEMENTS (names));
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      g_assert_cmpstr (((const AtcCommand *) g_ptr_array_index (commands, i))->name, ==, names[i]);
  }

  /* Nothing differs from itself. */
  {
    g_autoptr(AtcConfigDiff) same = atc_config_diff_new (edited, edited);

    g_assert_true (atc_config_diff_is_empty (same));
  }
}

static void
test_diff_json (void)
{
  g_autoptr(AtcConfig) unit = atc_config_new (model ("m0"));
  g_autoptr(AtcConfig) edited = atc_config_copy (unit);
  g_autoptr(AtcConfigDiff) diff = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) json_secrets = NULL;
  JsonArray *array;
  JsonObject *first;
  JsonObject *second;

  g_assert_true (atc_config_set_value (edited, "WEBU", "password", "n3wpw", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (edited, "DNS", "address", "9.9.9.9", ATC_VALUE_SOURCE_EDITED, NULL));
  diff = atc_config_diff_new (unit, edited);

  json = atc_config_diff_to_json (diff, FALSE);
  array = json_node_get_array (json);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);

  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "command"), ==, "DNS");
  g_assert_cmpstr (json_object_get_string_member (first, "param"), ==, "address");
  g_assert_cmpstr (json_object_get_string_member (first, "label"), ==, "DNS DNS server");
  g_assert_cmpstr (json_object_get_string_member (first, "old"), ==, "208.67.222.222");
  g_assert_cmpstr (json_object_get_string_member (first, "new"), ==, "9.9.9.9");
  g_assert_false (json_object_get_boolean_member (first, "secret"));

  second = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (second, "command"), ==, "WEBU");
  g_assert_cmpstr (json_object_get_string_member (second, "old"), ==, ATC_SECRET_MASK);
  g_assert_cmpstr (json_object_get_string_member (second, "new"), ==, ATC_SECRET_MASK);
  g_assert_true (json_object_get_boolean_member (second, "secret"));

  json_secrets = atc_config_diff_to_json (diff, TRUE);
  second = json_array_get_object_element (json_node_get_array (json_secrets), 1);
  g_assert_cmpstr (json_object_get_string_member (second, "old"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (second, "new"), ==, "n3wpw");
}

static void
test_diff_unread (void)
{
  g_autoptr(AtcConfig) unit = atc_config_new (model ("g781"));
  g_autoptr(AtcConfig) edited = NULL;
  g_autoptr(AtcConfigDiff) diff = NULL;
  g_autoptr(GError) timeout = g_error_new_literal (ATC_ERROR, ATC_ERROR_TIMEOUT, "no answer");
  g_autoptr(JsonNode) json = NULL;
  g_auto(GStrv) lines = NULL;

  atc_config_set_read_error (unit, "SOCKC", timeout);
  atc_config_set_read_error (unit, "SOCKD", timeout);
  edited = atc_config_copy (unit);
  g_assert_true (atc_config_set_value (edited, "SOCKC", "port", "2317", ATC_VALUE_SOURCE_EDITED, NULL));

  /* The unit's value is unknown: what the user set is a change even if it
   * equals the default shown, and an untouched unread command is not. */
  diff = atc_config_diff_new (unit, edited);
  lines = atc_config_diff_to_lines (diff, FALSE);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_cmpstr (lines[0], ==, "SOCKC server port: (unknown) -> 2317");

  json = atc_config_diff_to_json (diff, FALSE);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (json_node_get_array (json), 0), "old"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/config/read/g781", "g781", test_read);
  g_test_add_data_func ("/config/read/m0", "m0", test_read);
  g_test_add_func ("/config/read/unplugged", test_read_unplugged);
  g_test_add_func ("/config/read/nothing-answers", test_read_fails_when_nothing_answers);
  g_test_add_func ("/config/values", test_values);
  g_test_add_func ("/config/secrets-masked", test_secrets_masked);
  g_test_add_func ("/config/diff/lines", test_diff_lines);
  g_test_add_func ("/config/diff/json", test_diff_json);
  g_test_add_func ("/config/diff/unread", test_diff_unread);

  return g_test_run ();
}
