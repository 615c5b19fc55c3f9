/* test-provision.c: one profile applied to several simulated units at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "atc-catalog.h"
#include "atc-error.h"
#include "atc-provisioner.h"
#include "atc-simulator.h"
#include "atc-test-util.h"

#define WAIT_MS 120000

static AtcModel *
model (const char *id)
{
  AtcModel *m = atc_catalog_lookup (atc_catalog_get_default (), id);

  g_assert_nonnull (m);
  return m;
}

typedef struct {
  AtcProvisionReport *report;
  gboolean            done;
  GArray             *finished;  /* guint: unit indices in finishing order */
} Run;

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  run->report = atc_provisioner_run_finish (ATC_PROVISIONER (source), result, &error);
  g_assert_no_error (error);
  run->done = TRUE;
}

static void
on_unit_finished (AtcProvisioner    *provisioner,
                  guint              index,
                  AtcProvisionEntry *entry,
                  gpointer           user_data)
{
  Run *run = user_data;

  g_assert_cmpint (entry->result, !=, ATC_PROVISION_PENDING);
  g_assert_cmpint (entry->finished, >=, entry->started);
  g_array_append_val (run->finished, index);
}

static AtcProvisionReport *
provision (AtcProvisioner *provisioner,
           GArray        **finished)
{
  Run run = { NULL, FALSE, g_array_new (FALSE, FALSE, sizeof (guint)) };

  g_signal_connect (provisioner, "unit-finished", G_CALLBACK (on_unit_finished), &run);
  atc_provisioner_run_async (provisioner, NULL, run_done, &run);
  g_assert_true (atc_test_run_until (&run.done, WAIT_MS));
  if (finished != NULL)
    *finished = run.finished;
  else
    g_array_unref (run.finished);
  return run.report;
}

static AtcProfile *
g781_profile (void)
{
  AtcProfile *profile = atc_profile_new (model ("g781"));

  g_assert_true (atc_profile_set_value (profile, "UART", "parity", "EVEN", NULL));
  g_assert_true (atc_profile_set_value (profile, "SOCKA", "port", "5020", NULL));
  g_assert_true (atc_profile_set_value (profile, "HEARTTM", "time", "60", NULL));
  g_assert_true (atc_profile_set_value (profile, "APN", "password", "fleet-s3cret", NULL));
  atc_profile_set_notes (profile, "fleet, \"north\" depot");
  return profile;
}

static char *
sim_value (AtcSimulator *sim,
           const char   *command,
           guint         index)
{
  g_auto(GStrv) values = atc_simulator_dup_values (sim, command, NULL);

  g_assert_nonnull (values);
  return g_strdup (values[index]);
}

/* Which simulator executed each command, in order. */
typedef struct {
  GArray *order;  /* guint */
  guint   index;
} Trace;

static void
on_sim_executed (AtcSimulator   *sim,
                 AtcSimLogEntry *entry,
                 gpointer        user_data)
{
  Trace *trace = user_data;

  g_array_append_val (trace->order, trace->index);
}

/* A minimal RFC 4180 reader for the checks below. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GStrvBuilder) row = g_strv_builder_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p++;
            }
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
        }
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == ',')
        {
          g_strv_builder_add (row, field->str);
          g_string_truncate (field, 0);
        }
      else if (*p == '\r' && p[1] == '\n')
        {
          g_strv_builder_add (row, field->str);
          g_string_truncate (field, 0);
          g_ptr_array_add (rows, g_strv_builder_end (row));
          g_clear_pointer (&row, g_strv_builder_unref);
          row = g_strv_builder_new ();
          p++;
        }
      else
        g_string_append_c (field, *p);
    }

  return rows;
}

static void
test_three_units (void)
{
  AtcSimulator *sims[3];
  char *addresses[3] = { NULL };
  g_autoptr(AtcProfile) profile = g781_profile ();
  g_autoptr(AtcProvisioner) provisioner = atc_provisioner_new (profile);
  g_autoptr(AtcProvisionReport) report = NULL;
  g_autoptr(GArray) finished = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atconf-provision-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "report.csv", NULL);
  g_autofree char *json_path = g_build_filename (dir, "report.JSON", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *json_text = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;
  Trace traces[3];
  GPtrArray *entries;
  JsonArray *units;
  gboolean interleaved = FALSE;
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < 3; i++)
    {
      sims[i] = atc_simulator_new_for_model_id ("g781", 100 + i, &error);
      g_assert_no_error (error);
      atc_simulator_set_latency_ms (sims[i], 1);
      addresses[i] = g_strdup_printf ("pty:%s", atc_simulator_open_pty (sims[i], &error));
      g_assert_no_error (error);
      traces[i].order = order;
      traces[i].index = i;
      g_signal_connect (sims[i], "command-executed", G_CALLBACK (on_sim_executed), &traces[i]);
      g_assert_cmpuint (atc_provisioner_add_address (provisioner, addresses[i]), ==, i);
    }

  /* The middle unit never answers. */
  faults.silent = TRUE;
  atc_simulator_set_faults (sims[1], &faults);
  atc_provisioner_set_timeout_scale (provisioner, 0.05);

  report = provision (provisioner, &finished);
  g_assert_nonnull (report);
  g_assert_cmpuint (finished->len, ==, 3);

  entries = atc_provision_report_get_entries (report);
  g_assert_cmpuint (entries->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      AtcProvisionEntry *entry = g_ptr_array_index (entries, i);

      g_assert_cmpstr (entry->address, ==, addresses[i]);
      if (i == 1)
        {
          g_autofree char *parity = sim_value (sims[i], "UART", 3);

          g_assert_cmpint (entry->result, ==, ATC_PROVISION_FAILED);
          g_assert_cmpuint (entry->errors->len, >=, 1);
          g_assert_cmpuint (entry->settings_changed, ==, 0);
          g_assert_null (entry->sn);
          g_assert_null (entry->apply_report);
          g_assert_cmpstr (parity, ==, "NONE");
        }
      else
        {
          g_autofree char *sn = sim_value (sims[i], "SN", 0);
          g_autofree char *imei = sim_value (sims[i], "IMEI", 0);
          g_autofree char *iccid = sim_value (sims[i], "ICCID", 0);
          g_autofree char *parity = sim_value (sims[i], "UART", 3);
          g_autofree char *port = sim_value (sims[i], "SOCKA", 2);
          g_autofree char *heart = sim_value (sims[i], "HEARTTM", 0);
          g_autofree char *apn_pw = sim_value (sims[i], "APN", 2);

          g_assert_cmpint (entry->result, ==, ATC_PROVISION_OK);
          g_assert_cmpuint (entry->errors->len, ==, 0);
          g_assert_cmpuint (entry->settings_changed, ==, 4);
          g_assert_cmpstr (entry->model, ==, "g781");
          g_assert_cmpstr (entry->firmware, ==, "V1.1.05");
          g_assert_cmpstr (entry->sn, ==, sn);
          g_assert_cmpstr (entry->imei, ==, imei);
          g_assert_cmpstr (entry->iccid, ==, iccid);
          g_assert_cmpstr (parity, ==, "EVEN");
          g_assert_cmpstr (port, ==, "5020");
          g_assert_cmpstr (heart, ==, "60");
          g_assert_cmpstr (apn_pw, ==, "fleet-s3cret");
          /* Back at work: the unit carries data again. */
          g_assert_cmpint (atc_simulator_get_mode (sims[i]), ==, ATC_SIM_MODE_TRANSPARENT);
        }
    }
  /* Different units, told apart in the report. */
  g_assert_cmpstr (((AtcProvisionEntry *) g_ptr_array_index (entries, 0))->sn, !=,
                   ((AtcProvisionEntry *) g_ptr_array_index (entries, 2))->sn);
  g_assert_cmpuint (atc_provision_report_count (report, ATC_PROVISION_OK), ==, 2);
  g_assert_cmpuint (atc_provision_report_count (report, ATC_PROVISION_FAILED), ==, 1);

  /* In parallel: the two working units took turns, not one after the other. */
  for (guint i = 1; i + 1 < order->len; i++)
    if (g_array_index (order, guint, i) != g_array_index (order, guint, i - 1) &&
        g_array_index (order, guint, i + 1) != g_array_index (order, guint, i))
      interleaved = TRUE;
  g_assert_true (interleaved);

  /* CSV */
  g_assert_true (atc_provision_report_save (report, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_null (strstr (csv, "fleet-s3cret"));
  rows = parse_csv (csv);
  g_assert_cmpuint (rows->len, ==, 4);
  {
    const char *header[] = { "time", "address", "model", "firmware", "sn", "imei", "iccid", "mac",
                             "result", "settings_changed", "errors", NULL };

    g_assert_cmpstrv (g_ptr_array_index (rows, 0), header);
  }
  for (guint i = 0; i < 3; i++)
    {
      char **row = g_ptr_array_index (rows, i + 1);
      AtcProvisionEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (row[0], NULL);

      g_assert_cmpuint (g_strv_length (row), ==, 11);
      g_assert_nonnull (time);
      g_assert_cmpstr (row[1], ==, addresses[i]);
      g_assert_cmpstr (row[8], ==, i == 1 ? "failed" : "ok");
      g_assert_cmpstr (row[9], ==, i == 1 ? "0" : "4");
      if (i == 1)
        {
          g_assert_cmpstr (row[2], ==, "");
          g_assert_cmpstr (row[10], ==, g_ptr_array_index (entry->errors, 0));
        }
      else
        {
          g_assert_cmpstr (row[2], ==, "g781");
          g_assert_cmpstr (row[3], ==, "V1.1.05");
          g_assert_cmpstr (row[4], ==, entry->sn);
          g_assert_cmpstr (row[5], ==, entry->imei);
          g_assert_cmpstr (row[6], ==, entry->iccid);
          g_assert_cmpstr (row[10], ==, "");
        }
    }

  /* JSON, picked by the extension whatever its case. */
  g_assert_true (atc_provision_report_save (report, json_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (json_path, &json_text, NULL, NULL));
  g_assert_null (strstr (json_text, "fleet-s3cret"));
  g_assert_true (json_parser_load_from_data (parser, json_text, -1, &error));
  g_assert_no_error (error);
  {
    JsonObject *root = json_node_get_object (json_parser_get_root (parser));
    JsonObject *summary = json_object_get_object_member (root, "summary");
    JsonObject *first;
    JsonObject *failed;

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "profile"), "notes"),
                     ==, "fleet, \"north\" depot");
    g_assert_cmpint (json_object_get_int_member (summary, "ok"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (summary, "failed"), ==, 1);
    units = json_object_get_array_member (root, "units");
    g_assert_cmpuint (json_array_get_length (units), ==, 3);
    first = json_array_get_object_element (units, 0);
    failed = json_array_get_object_element (units, 1);
    g_assert_cmpstr (json_object_get_string_member (first, "result"), ==, "ok");
    g_assert_cmpstr (json_object_get_string_member (first, "sn"), ==,
                     ((AtcProvisionEntry *) g_ptr_array_index (entries, 0))->sn);
    g_assert_cmpint (json_object_get_int_member (first, "settings_changed"), ==, 4);
    g_assert_true (json_object_get_boolean_member (json_object_get_object_member (first, "apply"), "complete"));
    g_assert_cmpstr (json_object_get_string_member (failed, "result"), ==, "failed");
    g_assert_true (json_object_get_null_member (failed, "sn"));
    g_assert_true (json_object_get_null_member (failed, "apply"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (failed, "errors")), >=, 1);
  }

  g_unlink (csv_path);
  g_unlink (json_path);
  g_rmdir (dir);
  for (guint i = 0; i < 3; i++)
    {
      g_object_unref (sims[i]);
      g_free (addresses[i]);
    }
  g_array_unref (order);
}

static void
on_first_set_disconnect (AtcSimulator   *sim,
                         AtcSimLogEntry *entry,
                         gpointer        user_data)
{
  gboolean *armed = user_data;

  /* One more command after the first set, then the cable is pulled. */
  if (!*armed && strchr (entry->line, '=') != NULL)
    {
      AtcSimFaults faults = ATC_SIM_FAULTS_NONE;

      faults.disconnect_after = 1;
      atc_simulator_set_faults (sim, &faults);
      *armed = TRUE;
    }
}

static void
test_wrong_model_and_partial (void)
{
  g_autoptr(AtcSimulator) sim = NULL;
  g_autoptr(AtcProfile) profile = g781_profile ();
  g_autoptr(AtcProvisioner) provisioner = atc_provisioner_new (profile);
  g_autoptr(AtcProvisionReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *csv = NULL;
  AtcProvisionEntry *m0;
  AtcProvisionEntry *cut;
  AtcProvisionEntry *bad;
  gboolean armed = FALSE;

  sim = atc_simulator_new_for_model_id ("g781", 5, &error);
  g_assert_no_error (error);
  atc_simulator_set_latency_ms (sim, 1);
  address = g_strdup_printf ("pty:%s", atc_simulator_open_pty (sim, &error));
  g_assert_no_error (error);
  g_signal_connect (sim, "command-executed", G_CALLBACK (on_first_set_disconnect), &armed);

  atc_provisioner_add_address (provisioner, "demo:m0");
  atc_provisioner_add_address (provisioner, address);
  atc_provisioner_add_address (provisioner, "nonsense:/dev/x");
  atc_provisioner_set_timeout_scale (provisioner, 0.1);

  report = provision (provisioner, NULL);
  m0 = g_ptr_array_index (atc_provision_report_get_entries (report), 0);
  cut = g_ptr_array_index (atc_provision_report_get_entries (report), 1);
  bad = g_ptr_array_index (atc_provision_report_get_entries (report), 2);

  /* The M0 is recognised and left alone. */
  g_assert_cmpint (m0->result, ==, ATC_PROVISION_FAILED);
  g_assert_cmpstr (m0->model, ==, "m0");
  g_assert_cmpuint (m0->settings_changed, ==, 0);
  g_assert_nonnull (strstr (g_ptr_array_index (m0->errors, 0), "USR-M0"));

  /* Unplugged after the second set: some settings changed, not all. */
  g_assert_true (armed);
  g_assert_cmpint (cut->result, ==, ATC_PROVISION_PARTIAL);
  g_assert_cmpuint (cut->settings_changed, >=, 1);
  g_assert_cmpuint (cut->settings_changed, <, 4);
  g_assert_nonnull (cut->apply_report);
  g_assert_false (atc_apply_report_is_complete (cut->apply_report));
  g_assert_cmpuint (cut->errors->len, >=, 1);
  g_assert_nonnull (cut->sn);

  g_assert_cmpint (bad->result, ==, ATC_PROVISION_FAILED);
  g_assert_cmpuint (bad->errors->len, ==, 1);

  csv = atc_provision_report_to_csv (report);
  g_assert_nonnull (strstr (csv, ",partial,"));
}

static void
test_csv_quoting (void)
{
  g_autoptr(AtcProfile) profile = atc_profile_new (model ("m0"));
  g_autoptr(AtcProvisionReport) report = atc_provision_report_new (profile);
  AtcProvisionEntry *entry = atc_provision_report_add (report, "tcp:10.0.0.5:8899");
  g_autofree char *csv = NULL;
  g_autoptr(GError) error = NULL;

  entry->result = ATC_PROVISION_FAILED;
  g_ptr_array_add (entry->errors, g_strdup ("The unit said \"ERR5\", then\nstopped"));
  g_ptr_array_add (entry->errors, g_strdup ("second"));
  csv = atc_provision_report_to_csv (report);
  g_assert_cmpstr (csv, ==,
                   "time,address,model,firmware,sn,imei,iccid,mac,result,settings_changed,errors\r\n"
                   ",tcp:10.0.0.5:8899,,,,,,,failed,0,\"The unit said \"\"ERR5\"\", then\nstopped | second\"\r\n");

  g_assert_false (atc_provision_report_save (report, "/tmp/report.txt", &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, ".csv or .json"));
}

typedef struct {
  GError   *error;
  gboolean  done;
} Failure;

static void
run_failed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Failure *failure = user_data;
  g_autoptr(AtcProvisionReport) report = NULL;

  report = atc_provisioner_run_finish (ATC_PROVISIONER (source), result, &failure->error);
  g_assert_null (report);
  failure->done = TRUE;
}

static void
test_no_units (void)
{
  g_autoptr(AtcProfile) profile = atc_profile_new (model ("m0"));
  g_autoptr(AtcProvisioner) provisioner = atc_provisioner_new (profile);
  Failure failure = { 0 };

  atc_provisioner_run_async (provisioner, NULL, run_failed, &failure);
  g_assert_true (atc_test_run_until (&failure.done, WAIT_MS));
  g_assert_error (failure.error, ATC_ERROR, ATC_ERROR_FAILED);
  g_assert_nonnull (strstr (failure.error->message, "No units to provision"));
  g_clear_error (&failure.error);
}

/* --- The CLI front end of these workflows ------------------------------ */

static char *cli_path;

typedef struct {
  int   status;
  char *out;
  char *err;
} CliRun;

static void
cli_run_clear (CliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

static void
run_cli (CliRun     *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_environ_unsetenv (g_get_environ (), "ATCONF_DEVICE");
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int wait_status;

  cli_run_clear (run);
  g_ptr_array_add (argv, cli_path);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  env = g_environ_unsetenv (env, "ATCONF_PASSWORD");
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static void
test_cli_profiles (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atconf-cli-config-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.json", NULL);
  g_autofree char *secret = g_build_filename (dir, "secret.json", NULL);
  g_autofree char *edited = g_build_filename (dir, "edited.json", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *script = g_build_filename (dir, "edited.at", NULL);
  g_autofree char *contents = NULL;
  g_auto(CliRun) run = { 0 };
  GStatBuf st;

  /* save-profile: passwords only on request, and then mode 0600. */
  run_cli (&run, "save-profile", plain, "-d", "demo:g781", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (plain, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "\"password\""));
  g_assert_nonnull (strstr (contents, "\"model\" : \"g781\""));
  g_clear_pointer (&contents, g_free);

  run_cli (&run, "save-profile", secret, "--with-secrets", "-d", "demo:g781", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (g_stat (secret, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (secret, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"password\""));
  g_clear_pointer (&contents, g_free);

  /* A profile equal to the unit: nothing to send. */
  run_cli (&run, "apply", plain, "--dry-run", "-d", "demo:g781", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "nothing to send"));

  g_assert_true (g_file_set_contents (edited,
                                      "{\"schema\": 1, \"model\": \"g781\", \"settings\": {"
                                      "\"UART\": {\"parity\": \"EVEN\"}, \"WKMOD\": {\"mode\": \"HTTPD\"}}}",
                                      -1, NULL));
  run_cli (&run, "diff", edited, "-d", "demo:g781", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "UART parity: NONE -> EVEN\nWKMOD work mode: NET -> HTTPD\n");

  run_cli (&run, "apply", edited, "--dry-run", "-d", "demo:g781", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "AT+UART=115200,8,1,EVEN,NFC\nAT+WKMOD=HTTPD\n");

  run_cli (&run, "apply", edited, "-d", "demo:g781", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "UART parity: NONE -> EVEN — applied and verified"));
  g_assert_nonnull (strstr (run.out, "WKMOD work mode: NET -> HTTPD — applied and verified"));

  /* A bad profile is refused before the unit is touched, every problem
   * named with its path. */
  g_assert_true (g_file_set_contents (bad,
                                      "{\"schema\": 1, \"model\": \"g781\", \"settings\": {"
                                      "\"UART\": {\"parity\": \"XYZ\"}, \"FOO\": {}}}", -1, NULL));
  run_cli (&run, "apply", bad, "-d", "demo:g781", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "settings.UART.parity: 'XYZ' is not one of NONE, EVEN, ODD"));
  g_assert_nonnull (strstr (run.err, "settings.FOO: the USR-G781 has no command FOO"));

  run_cli (&run, "apply", edited, "-d", "demo:m0", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "USR-M0"));

  /* export-script without a unit: the profile's own commands. */
  run_cli (&run, "export-script", plain, "-o", script, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (script, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\nAT+UART=115200,8,1,NONE,NFC\n"));
  g_assert_nonnull (strstr (contents, "# model: g781"));

  g_unlink (plain);
  g_unlink (secret);
  g_unlink (edited);
  g_unlink (bad);
  g_unlink (script);
  g_rmdir (dir);
}

static void
test_cli_provision (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atconf-cli-provision-XXXXXX", NULL);
  g_autofree char *profile = g_build_filename (dir, "site.json", NULL);
  g_autofree char *report = g_build_filename (dir, "units.csv", NULL);
  g_autofree char *wrong = g_build_filename (dir, "units.txt", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_auto(CliRun) run = { 0 };

  g_assert_true (g_file_set_contents (profile,
                                      "{\"schema\": 1, \"model\": \"g781\", \"settings\": {"
                                      "\"HEARTTM\": {\"time\": \"90\"}}}", -1, NULL));

  /* The report's name is checked before any unit is touched. */
  run_cli (&run, "provision", profile, "--ports", "demo:g781", "--report", wrong, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_false (g_file_test (wrong, G_FILE_TEST_EXISTS));

  run_cli (&run, "provision", profile, "--ports", "demo:g781,demo:m0", "--report", report, NULL);
  /* One unit of the wrong model: the report is written, the status says so. */
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "1 of 2 units provisioned"));
  g_assert_true (g_file_get_contents (report, &csv, NULL, NULL));
  rows = parse_csv (csv);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 1))[1], ==, "demo:g781");
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 1))[8], ==, "ok");
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 1))[9], ==, "1");
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 2))[2], ==, "m0");
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 2))[8], ==, "failed");

  g_unlink (profile);
  g_unlink (report);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  const char *build_root = g_getenv ("ATC_BUILD_ROOT");

  g_test_init (&argc, &argv, NULL);

  cli_path = g_strdup (g_getenv ("ATC_CLI_PATH"));
  if (cli_path == NULL && build_root != NULL)
    cli_path = g_build_filename (build_root, "src", "cli", "atconf-cli", NULL);

  g_test_add_func ("/provision/three-units", test_three_units);
  g_test_add_func ("/provision/wrong-model-and-partial", test_wrong_model_and_partial);
  g_test_add_func ("/provision/csv-quoting", test_csv_quoting);
  g_test_add_func ("/provision/no-units", test_no_units);
  if (cli_path != NULL && g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_add_func ("/cli/profiles", test_cli_profiles);
      g_test_add_func ("/cli/provision", test_cli_provision);
    }

  return g_test_run ();
}
