/* test-secrets.c: passwords never show in logs, reports, outputs or files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The units get distinctive passwords (G781: command password, APN
 * password, cloud password, SIM PIN; M0: cloud password, web password),
 * then everything that prints or writes is exercised: reading, diff, dry
 * run and real apply with their reports, profiles and scripts saved without
 * secrets, provisioning reports, monitor exports, the session's
 * transaction log (also in password mode), error messages, the console
 * history file and the CLI (plain, --verbose, --json, with GLib debug
 * output on). Every output and file is searched for every password, in any
 * case. Only a profile or script saved explicitly with secrets may hold
 * them, and it must be readable by its owner alone.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "atc-applier.h"
#include "atc-catalog.h"
#include "atc-config-reader.h"
#include "atc-console-history.h"
#include "atc-console-line.h"
#include "atc-demo-transport.h"
#include "atc-error.h"
#include "atc-monitor.h"
#include "atc-profile.h"
#include "atc-provisioner.h"
#include "atc-script.h"
#include "atc-session.h"
#include "atc-simulator.h"
#include "atc-test-util.h"

/* Distinctive, valid for their parameters, and unlike anything else a
 * unit or Atconf prints. */
#define G781_CMDPW      "Qz7Kp2wX"
#define G781_APN_PW     "ApnS3cr3tXy"
#define G781_CLOUD_PW   "Cl0uDpw9"
#define G781_PIN        "Pn8352x9"
#define G781_NEW_APN_PW "N3wApnPw5"
#define G781_NEW_CMDPW  "Nw8CmdPw"
#define M0_CLOUD_PW     "RgCl0ud7"
#define M0_WEB_PW       "Wq9Zx"
#define M0_NEW_WEB_PW   "Vb4Ty"
#define REFUSED_PW      "Rf;Pass77"

static const char *const secrets[] = {
  G781_CMDPW, G781_APN_PW, G781_CLOUD_PW, G781_PIN, G781_NEW_APN_PW, G781_NEW_CMDPW,
  M0_CLOUD_PW, M0_WEB_PW, M0_NEW_WEB_PW, REFUSED_PW, "Pass77",
};

static guint n_checked;

static AtcModel *
model (const char *id)
{
  AtcModel *m = atc_catalog_lookup (atc_catalog_get_default (), id);

  g_assert_nonnull (m);
  return m;
}

static gboolean
contains_nocase (const char *text,
                 gsize       len,
                 const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (g_ascii_strncasecmp (text + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* The one check of this file: no password, in any case, anywhere. */
static void
assert_clean_len (const char *what,
                  const char *text,
                  gsize       len)
{
  n_checked++;
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (contains_nocase (text, len, secrets[i]))
      g_error ("%s holds the password “%s”:\n%.*s", what, secrets[i], (int) MIN (len, 4000), text);
}

static void
assert_clean (const char *what,
              const char *text)
{
  g_assert_nonnull (text);
  assert_clean_len (what, text, strlen (text));
}

static void
assert_clean_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  assert_clean_len (path, contents, len);
}

static void
assert_clean_json (const char *what,
                   JsonNode   *node)
{
  g_autofree char *text = json_to_string (node, TRUE);

  assert_clean (what, text);
}

static void
remove_tree (const char *dir)
{
  const char *argv[] = { "rm", "-rf", "--", dir, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, NULL, NULL));
}

static void
assert_private_file (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* --- Running things to completion -------------------------------------- */

static AtcConfig *
read_config (AtcSession *session)
{
  g_autoptr(AtcConfigReader) reader = atc_config_reader_new (session);
  g_autoptr(GError) error = NULL;
  AtcConfig *config;
  AtcTestWait w = { 0 };

  atc_config_reader_read_async (reader, NULL, atc_test_wait_done, &w);
  config = atc_config_reader_read_finish (reader, atc_test_wait_result (&w), &error);
  g_assert_no_error (error);
  atc_test_wait_clear (&w);
  return config;
}

static AtcApplyReport *
apply (AtcApplier *applier)
{
  g_autoptr(GError) error = NULL;
  AtcApplyReport *report;
  AtcTestWait w = { 0 };

  atc_applier_apply_async (applier, NULL, atc_test_wait_done, &w);
  report = atc_applier_apply_finish (applier, atc_test_wait_result (&w), &error);
  g_assert_no_error (error);
  atc_test_wait_clear (&w);
  return report;
}

static void
preset (AtcSimulator *sim,
        const char   *command,
        const char   *v1,
        const char   *v2,
        const char   *v3,
        const char   *v4)
{
  const char *values[] = { v1, v2, v3, v4, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (atc_simulator_set_values (sim, command, values, &error));
  g_assert_no_error (error);
}

static void
preset_g781 (AtcSimulator *sim)
{
  preset (sim, "CMDPW", G781_CMDPW, NULL, NULL, NULL);
  preset (sim, "APN", "iot.example", "fieldops", G781_APN_PW, "1");
  preset (sim, "CLOUD", "00012345678901234567", G781_CLOUD_PW, NULL, NULL);
  preset (sim, "CPIN", G781_PIN, NULL, NULL, NULL);
}

static void
preset_m0 (AtcSimulator *sim)
{
  preset (sim, "REGCLOUD", "00098765432109876543", M0_CLOUD_PW, NULL, NULL);
  preset (sim, "WEBU", "admin", M0_WEB_PW, NULL, NULL);
}

/* Quick unpaced replies and short timeouts keep the suite short. */
static AtcSession *
demo_session (const char    *model_id,
              AtcSimulator **simulator)
{
  AtcSession *session = atc_test_demo_session (model_id, 1, FALSE, simulator);

  atc_session_set_timeout_scale (session, 0.2);
  return session;
}

static void
assert_sim_log_clean (AtcSimulator *sim,
                      const char   *what)
{
  GPtrArray *log = atc_simulator_get_log (sim);

  for (guint i = 0; i < log->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, i);
      g_autofree char *label = g_strdup_printf ("%s: simulator log line %u", what, i);

      assert_clean (label, entry->line);
      if (entry->reply != NULL)
        assert_clean (label, entry->reply);
    }
}

/* --- The core, in-process ----------------------------------------------- */

static void
check_config_outputs (AtcConfig  *config,
                      const char *dir,
                      const char *what)
{
  g_autofree char *text = atc_config_to_text (config, FALSE);
  g_autoptr(JsonNode) json = atc_config_to_json (config, FALSE);
  g_autoptr(AtcProfile) profile = atc_profile_new_from_config (config, FALSE);
  g_autoptr(AtcProfile) with = atc_profile_new_from_config (config, TRUE);
  g_autofree char *data = atc_profile_to_data (profile, FALSE);
  g_autofree char *with_data_masked = atc_profile_to_data (with, FALSE);
  g_autofree char *path = g_build_filename (dir, "profile.json", NULL);
  g_autofree char *secret_path = g_build_filename (dir, "profile-secrets.json", NULL);
  g_autofree char *script = NULL;
  g_autofree char *script_path = g_build_filename (dir, "script.at", NULL);
  g_autofree char *secret_script_path = g_build_filename (dir, "script-secrets.at", NULL);
  g_autofree char *secret_script = NULL;
  g_autoptr(GError) error = NULL;

  assert_clean (what, text);
  assert_clean_json (what, json);
  assert_clean ("profile data", data);
  assert_clean ("profile with secrets written without them", with_data_masked);

  g_assert_true (atc_profile_save_file (profile, path, FALSE, &error));
  g_assert_no_error (error);
  assert_clean_file (path);

  /* Asked for: the secrets are there, and the file is private. */
  g_assert_true (atc_profile_save_file (with, secret_path, TRUE, &error));
  g_assert_no_error (error);
  assert_private_file (secret_path);

  script = atc_script_export (config, NULL, FALSE, &error);
  g_assert_no_error (error);
  assert_clean ("script", script);
  g_assert_true (atc_script_save_file (script, script_path, FALSE, &error));
  g_assert_no_error (error);
  assert_clean_file (script_path);

  secret_script = atc_script_export (config, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (atc_script_save_file (secret_script, secret_script_path, TRUE, &error));
  g_assert_no_error (error);
  assert_private_file (secret_script_path);
}

static void
check_change_outputs (AtcSession *session,
                      AtcConfig  *current,
                      AtcConfig  *target,
                      const char *what)
{
  g_autoptr(AtcConfigDiff) diff = atc_config_diff_new (current, target);
  g_auto(GStrv) lines = atc_config_diff_to_lines (diff, FALSE);
  g_autoptr(JsonNode) json = atc_config_diff_to_json (diff, FALSE);
  g_autoptr(AtcApplier) applier = atc_applier_new (session, current, target);
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) dry = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *script = NULL;
  g_autofree char *report_text = NULL;
  g_autoptr(JsonNode) report_json = NULL;

  g_assert_false (atc_config_diff_is_empty (diff));
  joined = g_strjoinv ("\n", lines);
  assert_clean ("diff lines", joined);
  assert_clean_json ("diff JSON", json);

  dry = atc_applier_dry_run (applier, FALSE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&joined, g_free);
  joined = g_strjoinv ("\n", dry);
  assert_clean ("dry run", joined);

  script = atc_script_export (target, diff, FALSE, &error);
  g_assert_no_error (error);
  assert_clean ("apply script", script);

  report = apply (applier);
  g_assert_true (atc_apply_report_is_complete (report));
  report_text = atc_apply_report_to_text (report);
  assert_clean ("apply report", report_text);
  report_json = atc_apply_report_to_json (report);
  assert_clean_json ("apply report JSON", report_json);
  for (guint i = 0; i < atc_apply_report_get_steps (report)->len; i++)
    {
      g_autofree char *line = atc_apply_step_get_line (g_ptr_array_index (atc_apply_report_get_steps (report), i), FALSE);

      assert_clean ("apply step line", line);
    }
  g_test_message ("%s: %u settings changed", what, atc_apply_report_count_changed (report));
}

typedef struct {
  guint samples;
  guint lost;
} MonitorCount;

static void
on_sample (AtcMonitor      *monitor,
           const AtcSample *sample,
           gpointer         user_data)
{
  ((MonitorCount *) user_data)->samples++;
}

static void
on_event (AtcMonitor      *monitor,
          AtcMonitorEvent *event,
          gpointer         user_data)
{
  g_autofree char *text = atc_monitor_event_describe (event);

  if (atc_monitor_event_get_kind (event) == ATC_MONITOR_EVENT_UNIT_LOST)
    ((MonitorCount *) user_data)->lost++;
  assert_clean ("monitor event", text);
  if (atc_monitor_event_get_detail (event) != NULL)
    assert_clean ("monitor event detail", atc_monitor_event_get_detail (event));
}

static void
test_core_g781 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atconf-secrets-XXXXXX", NULL);
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  AtcSimulator *sim;

  session = demo_session ("g781", &sim);
  preset_g781 (sim);
  atc_test_session_connect_ok (session);

  current = read_config (session);
  g_assert_cmpstr (atc_config_get_value (current, "APN", "password"), ==, G781_APN_PW);
  check_config_outputs (current, dir, "G781 configuration");

  /* New passwords go out; neither old nor new shows anywhere. */
  target = atc_config_copy (current);
  g_assert_true (atc_config_set_value (target, "APN", "password", G781_NEW_APN_PW,
                                       ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "CMDPW", "password", G781_NEW_CMDPW,
                                       ATC_VALUE_SOURCE_EDITED, NULL));
  check_change_outputs (session, current, target, "G781 apply");

  /* A refused password is not quoted back. */
  {
    const char *apn[] = { "iot.example", "fieldops", REFUSED_PW, "1", NULL };

    g_assert_false (atc_test_session_set (session, "APN", apn, &error));
    g_assert_nonnull (error);
    assert_clean ("refusal message", error->message);
    g_clear_error (&error);
  }

  /* Raw console lines carrying passwords, and the unit echoing them
   * upper-cased. */
  {
    AtcSimFaults faults = ATC_SIM_FAULTS_NONE;
    g_autoptr(AtcReply) r1 = NULL;
    g_autoptr(AtcReply) r2 = NULL;
    g_autoptr(AtcReply) r3 = NULL;

    faults.upper_echo = TRUE;
    atc_simulator_set_faults (sim, &faults);
    r1 = atc_test_session_send_line (session, "AT+APN=iot.example,fieldops," G781_NEW_APN_PW ",1", &error);
    g_assert_no_error (error);
    r2 = atc_test_session_send_line (session, "AT+CMDPW?", &error);
    g_assert_no_error (error);
    r3 = atc_test_session_send_line (session, "AT+CLOUD", &error);
    g_assert_no_error (error);
    faults.upper_echo = FALSE;
    atc_simulator_set_faults (sim, &faults);
  }

  /* Password mode, and a monitor over it that loses the unit once. */
  g_assert_true (atc_test_session_leave (session, &error));
  g_assert_no_error (error);
  atc_session_set_command_password (session, G781_NEW_CMDPW);
  {
    g_auto(GStrv) values = atc_test_session_query (session, "APN", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (values[2], ==, G781_NEW_APN_PW);
  }
  {
    g_autoptr(AtcMonitor) monitor = atc_monitor_new_with_capacity (session, 100);
    g_autoptr(GBytes) csv = NULL;
    g_autoptr(GBytes) json = NULL;
    MonitorCount count = { 0 };
    AtcSimFaults faults = ATC_SIM_FAULTS_NONE;
    gboolean started = FALSE;
    AtcTestWait w = { 0 };
    gint64 deadline;

    atc_monitor_set_interval (monitor, 50);
    atc_monitor_set_reconnect_delays (monitor, 50, 200);
    g_signal_connect (monitor, "sample", G_CALLBACK (on_sample), &count);
    g_signal_connect (monitor, "event", G_CALLBACK (on_event), &count);
    atc_monitor_start_async (monitor, NULL, atc_test_wait_done, &w);
    started = atc_monitor_start_finish (monitor, atc_test_wait_result (&w), &error);
    g_assert_no_error (error);
    g_assert_true (started);
    atc_test_wait_clear (&w);

    faults.silent = TRUE;
    atc_simulator_set_faults (sim, &faults);
    deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    while (count.lost == 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (count.lost, ==, 1);
    atc_simulator_set_faults (sim, NULL);
    count.samples = 0;
    while (count.samples < 2 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (count.samples, >=, 2);
    atc_monitor_stop (monitor);

    csv = atc_history_export (atc_monitor_get_history (monitor), ATC_EXPORT_CSV,
                              atc_monitor_get_events (monitor));
    json = atc_history_export (atc_monitor_get_history (monitor), ATC_EXPORT_JSON,
                               atc_monitor_get_events (monitor));
    assert_clean_len ("monitor CSV export", g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
    assert_clean_len ("monitor JSON export", g_bytes_get_data (json, NULL), g_bytes_get_size (json));
  }

  /* A wrong command password: the error does not quote it either. */
  atc_session_set_command_password (session, REFUSED_PW);
  {
    g_auto(GStrv) values = atc_test_session_query (session, "CSQ", &error);

    g_assert_null (values);
    g_assert_nonnull (error);
    assert_clean ("wrong password error", error->message);
    g_clear_error (&error);
  }

  log = atc_transaction_log_to_text (atc_session_get_log (session));
  assert_clean ("transaction log", log);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (atc_session_get_log (session))); i++)
    {
      g_autoptr(AtcLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (atc_session_get_log (session)), i);

      assert_clean ("transaction log entry", atc_log_entry_get_text (entry));
    }
  assert_sim_log_clean (sim, "G781");

  /* What is not secret stays readable. */
  g_assert_nonnull (strstr (log, "fieldops"));
  g_assert_nonnull (strstr (log, "00012345678901234567"));

  remove_tree (dir);
}

static void
test_core_m0 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atconf-secrets-XXXXXX", NULL);
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autofree char *log = NULL;
  AtcSimulator *sim;

  session = demo_session ("m0", &sim);
  preset_m0 (sim);
  atc_test_session_connect_ok (session);

  current = read_config (session);
  g_assert_cmpstr (atc_config_get_value (current, "WEBU", "password"), ==, M0_WEB_PW);
  check_config_outputs (current, dir, "M0 configuration");

  target = atc_config_copy (current);
  g_assert_true (atc_config_set_value (target, "WEBU", "password", M0_NEW_WEB_PW,
                                       ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "MID", "name", "SecretsTest",
                                       ATC_VALUE_SOURCE_EDITED, NULL));
  check_change_outputs (session, current, target, "M0 apply");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AtcReply) reply = atc_test_session_send_line (session, "AT+REGCLOUD", &error);

    g_assert_no_error (error);
  }

  log = atc_transaction_log_to_text (atc_session_get_log (session));
  assert_clean ("transaction log", log);
  assert_sim_log_clean (sim, "M0");
  remove_tree (dir);
}

/* Provisioning a unit reached in password mode, with a profile that sets
 * passwords: the report has neither the address's password nor any other. */
static void
test_provision (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atconf-secrets-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "report.csv", NULL);
  g_autofree char *json_path = g_build_filename (dir, "report.json", NULL);
  g_autoptr(AtcSimulator) sim = NULL;
  g_autoptr(AtcProfile) profile = atc_profile_new (model ("g781"));
  g_autoptr(AtcProvisioner) provisioner = NULL;
  g_autoptr(AtcProvisionReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(JsonNode) json = NULL;
  AtcTestWait w = { 0 };

  sim = atc_simulator_new_for_model_id ("g781", 21, &error);
  g_assert_no_error (error);
  atc_simulator_set_latency_ms (sim, 1);
  preset_g781 (sim);
  address = g_strdup_printf ("pty:%s?model=g781&password=%s", atc_simulator_open_pty (sim, &error),
                             G781_CMDPW);
  g_assert_no_error (error);

  g_assert_true (atc_profile_set_value (profile, "APN", "password", G781_NEW_APN_PW, &error));
  g_assert_true (atc_profile_set_value (profile, "APN", "apn", "corp.apn", &error));
  g_assert_true (atc_profile_set_value (profile, "UARTFT", "time", "100", &error));
  g_assert_no_error (error);

  provisioner = atc_provisioner_new (profile);
  atc_provisioner_set_timeout_scale (provisioner, 0.2);
  atc_provisioner_add_address (provisioner, address);
  /* A unit that does not answer: its errors go in the report too. */
  atc_provisioner_add_address (provisioner, "tcp:127.0.0.1:9?model=g781&password=" G781_CMDPW);
  atc_provisioner_run_async (provisioner, NULL, atc_test_wait_done, &w);
  report = atc_provisioner_run_finish (provisioner, atc_test_wait_result (&w), &error);
  g_assert_no_error (error);
  atc_test_wait_clear (&w);

  {
    AtcProvisionEntry *entry = g_ptr_array_index (atc_provision_report_get_entries (report), 0);

    g_test_message ("provisioned: %s, %u settings", atc_provision_result_to_string (entry->result),
                    entry->settings_changed);
    g_assert_cmpint (entry->result, ==, ATC_PROVISION_OK);
    assert_clean ("report address", entry->address);
    if (entry->apply_report != NULL)
      {
        g_autofree char *text = atc_apply_report_to_text (entry->apply_report);

        assert_clean ("provision apply report", text);
      }
  }

  csv = atc_provision_report_to_csv (report);
  assert_clean ("provision CSV", csv);
  json = atc_provision_report_to_json (report);
  assert_clean_json ("provision JSON", json);
  g_assert_true (atc_provision_report_save (report, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (atc_provision_report_save (report, json_path, &error));
  g_assert_no_error (error);
  assert_clean_file (csv_path);
  assert_clean_file (json_path);
  assert_sim_log_clean (sim, "provisioned G781");

  remove_tree (dir);
}

/* The console history keeps what was typed, minus anything secret. */
static void
test_console_history (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atconf-secrets-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "console-history", NULL);
  g_autoptr(AtcConsoleHistory) history = atc_console_history_new (path);
  g_autoptr(AtcConsoleHistory) again = atc_console_history_new (path);
  g_autoptr(GError) error = NULL;
  const char *passwords[] = { G781_CMDPW, G781_NEW_CMDPW, NULL };
  static const struct {
    const char *model_id;
    const char *line;
  } typed[] = {
    { "g781", "AT+CMDPW=" G781_CMDPW },
    { "g781", G781_CMDPW "AT+CSQ" },
    { "g781", G781_NEW_CMDPW "AT+APN=cmnet,user," G781_APN_PW ",1" },
    { "g781", "at+apn=cmnet,user," G781_NEW_APN_PW ",1" },
    { "g781", "AT+CLOUD=00012345678901234567," G781_CLOUD_PW },
    { "g781", "AT+CPIN=" G781_PIN },
    { "g781", "AT+CPIN?" },
    { "m0", "AT+WEBU=admin," M0_WEB_PW },
    { "m0", "AT+REGCLOUD=00098765432109876543," M0_CLOUD_PW },
    { "m0", "AT+REGCLOUD" },
    { NULL, "AT+WEBU=admin," M0_NEW_WEB_PW },
    { NULL, "AT+XYZ=" M0_NEW_WEB_PW },
    { "g781", "AT+VER" },
  };
  guint kept = 0;

  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      AtcModel *mdl = typed[i].model_id != NULL ? model (typed[i].model_id) : NULL;
      g_autofree char *line = atc_console_line_for_history (mdl, passwords, typed[i].line);

      if (line == NULL)
        continue;
      assert_clean ("history line", line);
      kept += atc_console_history_add (history, line);
    }
  g_assert_cmpuint (kept, >, 0);

  g_assert_true (atc_console_history_save (history, &error));
  g_assert_no_error (error);
  assert_clean_file (path);
  assert_private_file (path);

  g_assert_true (atc_console_history_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (atc_console_history_get_lines (again)->len, ==, kept);
  remove_tree (dir);
}

/* --- The CLI ------------------------------------------------------------ */

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static char *state_dir;
/* The control run: output expected to show passwords, not searched. */
static gboolean expect_secrets;

/* Runs atconf-cli while this process serves the simulator; GLib debug
 * messages are on, so they are searched too. */
static void
run_cli_env (Run               *run,
             const char        *input,
             const char        *password,
             const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stdin_bytes = g_bytes_new (input != NULL ? input : "", input != NULL ? strlen (input) : 0);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autofree char *label = NULL;
  AtcTestWait w = { 0 };

  g_ptr_array_add (argv, (gpointer) g_getenv ("ATC_CLI_PATH"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "ATCONF_DEVICE");
  if (password != NULL)
    g_subprocess_launcher_setenv (launcher, "ATCONF_PASSWORD", password, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "ATCONF_PASSWORD");
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (process, stdin_bytes, NULL, atc_test_wait_done, &w);
  g_assert_true (g_subprocess_communicate_finish (process, atc_test_wait_result (&w), &out, &err, &error));
  g_assert_no_error (error);
  atc_test_wait_clear (&w);
  g_subprocess_wait_async (process, NULL, atc_test_wait_done, &w);
  g_assert_true (g_subprocess_wait_finish (process, atc_test_wait_result (&w), NULL));
  atc_test_wait_clear (&w);

  run->status = g_subprocess_get_exit_status (process);
  run->out = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  run->err = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));

  label = g_strjoinv (" ", (char **) args);
  if (g_test_verbose ())
    g_printerr ("$ atconf-cli %s\n-> %d\n%s%s", label, run->status, run->out, run->err);
  if (!expect_secrets)
  {
    g_autofree char *what_out = g_strdup_printf ("stdout of “atconf-cli %s”", label);
    g_autofree char *what_err = g_strdup_printf ("stderr of “atconf-cli %s”", label);

    assert_clean_len (what_out, g_bytes_get_data (out, NULL), g_bytes_get_size (out));
    assert_clean_len (what_err, g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  }
}

#define run_cli(run, input, password, ...) \
  run_cli_env ((run), (input), (password), (const char *const[]) { __VA_ARGS__, NULL })

/* The same command plain, --verbose and --json (and all the exit statuses
 * are what a working run gives). */
static void
run_three_ways (const char        *device,
                const char        *model_id,
                const char        *password,
                const char *const *args)
{
  static const char *const modes[] = { NULL, "--verbose", "--json" };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      Run run = { 0 };

      for (guint i = 0; args[i] != NULL; i++)
        g_ptr_array_add (argv, (gpointer) args[i]);
      g_ptr_array_add (argv, (gpointer) "--device");
      g_ptr_array_add (argv, (gpointer) device);
      g_ptr_array_add (argv, (gpointer) "--model");
      g_ptr_array_add (argv, (gpointer) model_id);
      g_ptr_array_add (argv, (gpointer) "--timeout-scale");
      g_ptr_array_add (argv, (gpointer) "0.3");
      if (modes[m] != NULL)
        g_ptr_array_add (argv, (gpointer) modes[m]);
      g_ptr_array_add (argv, NULL);

      run_cli_env (&run, NULL, password, (const char *const *) argv->pdata);
      if (run.status != 0)
        g_error ("atconf-cli %s: exit %d\n%s%s", args[0], run.status, run.out, run.err);
      run_clear (&run);
    }
}

#define three_ways(device, model_id, password, ...) \
  run_three_ways ((device), (model_id), (password), (const char *const[]) { __VA_ARGS__, NULL })

static void
test_cli_g781 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atconf-secrets-XXXXXX", NULL);
  g_autofree char *profile_path = g_build_filename (dir, "site.json", NULL);
  g_autofree char *saved = g_build_filename (dir, "saved.json", NULL);
  g_autofree char *saved_secrets = g_build_filename (dir, "saved-secrets.json", NULL);
  g_autofree char *script = g_build_filename (dir, "unit.at", NULL);
  g_autofree char *script_secrets = g_build_filename (dir, "unit-secrets.at", NULL);
  g_autofree char *report_csv = g_build_filename (dir, "report.csv", NULL);
  g_autofree char *report_json = g_build_filename (dir, "report.json", NULL);
  g_autoptr(AtcSimulator) sim = NULL;
  g_autoptr(AtcProfile) profile = atc_profile_new (model ("g781"));
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  g_autofree char *password_device = NULL;
  const char *pty;
  Run run = { 0 };

  sim = atc_simulator_new_for_model_id ("g781", 23, &error);
  g_assert_no_error (error);
  atc_simulator_set_latency_ms (sim, 1);
  preset_g781 (sim);
  pty = atc_simulator_open_pty (sim, &error);
  g_assert_no_error (error);
  device = g_strdup_printf ("pty:%s?model=g781", pty);
  password_device = g_strdup_printf ("pty:%s?model=g781&password=%s", pty, G781_CMDPW);

  /* A profile with secrets, as a technician prepares for a site. */
  g_assert_true (atc_profile_set_value (profile, "APN", "password", G781_NEW_APN_PW, &error));
  g_assert_true (atc_profile_set_value (profile, "APN", "apn", "corp.apn", &error));
  g_assert_true (atc_profile_set_value (profile, "UARTFT", "time", "100", &error));
  g_assert_true (atc_profile_save_file (profile, profile_path, TRUE, &error));
  g_assert_no_error (error);
  assert_private_file (profile_path);

  /* The control: asked to, the CLI does show them, so a leak would be
   * found by the same search. */
  expect_secrets = TRUE;
  run_cli (&run, NULL, NULL, "get", "CMDPW", "APN", "CLOUD", "--show-secrets", "--device", device,
           "--model", "g781", "--timeout-scale", "0.3");
  expect_secrets = FALSE;
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, G781_CMDPW));
  g_assert_nonnull (strstr (run.out, G781_APN_PW));
  g_assert_nonnull (strstr (run.out, G781_CLOUD_PW));
  run_clear (&run);

  three_ways (device, "g781", NULL, "get", "CMDPW", "APN", "CLOUD", "CPIN");
  three_ways (device, "g781", NULL, "read");
  three_ways (device, "g781", NULL, "detect");
  three_ways (device, "g781", NULL, "diff", profile_path);
  three_ways (device, "g781", NULL, "apply", "--dry-run", profile_path);
  three_ways (device, "g781", NULL, "export-script");
  three_ways (device, "g781", NULL, "export-script", profile_path);
  three_ways (device, "g781", NULL, "save-profile", saved);
  assert_clean_file (saved);

  /* Real applies: the new password goes out, then the old one back. */
  three_ways (device, "g781", NULL, "apply", profile_path);
  three_ways (device, "g781", NULL, "set", "APN=iot.example,fieldops," G781_APN_PW ",1");
  three_ways (device, "g781", NULL, "set", "CMDPW=" G781_CMDPW);

  /* Password mode, from the environment and from the address. */
  three_ways (device, "g781", G781_CMDPW, "get", "CSQ", "APN");
  three_ways (password_device, "g781", NULL, "get", "APN");
  three_ways (device, "g781", G781_CMDPW, "monitor", "--count", "2", "--interval", "0");
  run_cli (&run, NULL, G781_CMDPW, "monitor", "--count", "2", "--interval", "0", "--csv",
           "--verbose", "--device", device, "--model", "g781", "--timeout-scale", "0.3");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  /* Provisioning: the address carries the password. */
  run_cli (&run, NULL, NULL, "provision", profile_path, "--ports", password_device,
           "--report", report_csv, "--timeout-scale", "0.3", "--verbose");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, NULL, G781_CMDPW, "provision", profile_path, "--ports", device,
           "--report", report_json, "--timeout-scale", "0.3", "--json");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  assert_clean_file (report_csv);
  assert_clean_file (report_json);

  /* The console, piped, plain and JSON. */
  run_cli (&run, "AT+CMDPW?\nAT+APN?\nAT+CLOUD\nAT+CPIN?\n.log\n", NULL, "console",
           "--device", device, "--model", "g781", "--timeout-scale", "0.3", "--verbose");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, "AT+CMDPW?\nAT+APN?\nAT+APN=x,y," G781_NEW_APN_PW ",1\n", NULL, "console",
           "--device", device, "--model", "g781", "--timeout-scale", "0.3", "--json");
  run_clear (&run);
  run_cli (&run, "AT+APN?\n" G781_CMDPW "AT+CSQ\n", G781_CMDPW, "console",
           "--device", device, "--model", "g781", "--timeout-scale", "0.3", "--verbose");
  run_clear (&run);

  /* Asked for explicitly: secrets allowed, file private. */
  run_cli (&run, NULL, NULL, "save-profile", saved_secrets, "--with-secrets", "--device", device,
           "--model", "g781", "--timeout-scale", "0.3");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  assert_private_file (saved_secrets);
  run_cli (&run, NULL, NULL, "export-script", "-o", script, "--device", device, "--model", "g781",
           "--timeout-scale", "0.3");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  assert_clean_file (script);
  /* --show-secrets writes them on purpose, to a private file; what the
   * CLI prints about it holds none. */
  run_cli (&run, NULL, NULL, "export-script", "-o", script_secrets, "--show-secrets",
           "--device", device, "--model", "g781", "--timeout-scale", "0.3");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  assert_private_file (script_secrets);
  assert_sim_log_clean (sim, "G781 behind the CLI");

  /* Whatever stayed on disk from the runs: the console history. */
  {
    g_autofree char *history = g_build_filename (state_dir, "atconf", "console-history", NULL);

    if (g_file_test (history, G_FILE_TEST_EXISTS))
      assert_clean_file (history);
  }

  remove_tree (dir);
}

static void
test_cli_m0 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atconf-secrets-XXXXXX", NULL);
  g_autofree char *saved = g_build_filename (dir, "saved.json", NULL);
  g_autofree char *profile_path = g_build_filename (dir, "site.json", NULL);
  g_autoptr(AtcSimulator) sim = NULL;
  g_autoptr(AtcProfile) profile = atc_profile_new (model ("m0"));
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  Run run = { 0 };

  sim = atc_simulator_new_for_model_id ("m0", 29, &error);
  g_assert_no_error (error);
  atc_simulator_set_latency_ms (sim, 1);
  preset_m0 (sim);
  device = g_strdup_printf ("pty:%s?model=m0", atc_simulator_open_pty (sim, &error));
  g_assert_no_error (error);

  g_assert_true (atc_profile_set_value (profile, "WEBU", "password", M0_NEW_WEB_PW, &error));
  g_assert_true (atc_profile_set_value (profile, "MID", "name", "SecretsCli", &error));
  g_assert_true (atc_profile_save_file (profile, profile_path, TRUE, &error));
  g_assert_no_error (error);

  three_ways (device, "m0", NULL, "get", "WEBU", "REGCLOUD");
  three_ways (device, "m0", NULL, "read");
  three_ways (device, "m0", NULL, "diff", profile_path);
  three_ways (device, "m0", NULL, "apply", "--dry-run", profile_path);
  three_ways (device, "m0", NULL, "apply", profile_path);
  three_ways (device, "m0", NULL, "export-script");
  three_ways (device, "m0", NULL, "save-profile", saved);
  assert_clean_file (saved);
  three_ways (device, "m0", NULL, "set", "WEBU=admin," M0_WEB_PW);

  run_cli (&run, "AT+WEBU\nAT+REGCLOUD\n.log\n", NULL, "console", "--device", device,
           "--model", "m0", "--timeout-scale", "0.3", "--verbose");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  remove_tree (dir);
}

/* Every message this process logs, debug ones included, is searched too:
 * the core's own g_debug() lines go to a technician's journal. */
static GLogWriterOutput
search_log_writer (GLogLevelFlags   log_level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].value != NULL)
      {
        gsize len = fields[i].length >= 0 ? (gsize) fields[i].length : strlen (fields[i].value);

        assert_clean_len ("a log message", fields[i].value, len);
      }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_checked (void)
{
  g_test_message ("%u outputs and files searched for %u passwords", n_checked,
                  (guint) G_N_ELEMENTS (secrets));
  g_assert_cmpuint (n_checked, >, 100);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The writer sees every message, also those the default writer then
   * drops (debug messages unless G_MESSAGES_DEBUG asks for them). */
  g_log_set_writer_func (search_log_writer, NULL, NULL);

  state_dir = g_dir_make_tmp ("atconf-secrets-state-XXXXXX", NULL);

  g_test_add_func ("/secrets/core/g781", test_core_g781);
  g_test_add_func ("/secrets/core/m0", test_core_m0);
  g_test_add_func ("/secrets/provision", test_provision);
  g_test_add_func ("/secrets/console-history", test_console_history);
  g_test_add_func ("/secrets/cli/g781", test_cli_g781);
  g_test_add_func ("/secrets/cli/m0", test_cli_m0);
  g_test_add_func ("/secrets/zz-total/checked", test_checked);

  status = g_test_run ();
  remove_tree (state_dir);
  g_free (state_dir);
  return status;
}
