/* test-gui-provision.c: the provision page with demo units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "atc-gui-test-util.h"
#include "atc-provision-page.h"
#include "atc-provision-row.h"

static char *tmp_dir;

static const char g781_profile[] =
  "{\n"
  "  \"schema\": 1,\n"
  "  \"model\": \"g781\",\n"
  "  \"firmware\": \"V1.1.05\",\n"
  "  \"notes\": \"Pump station uplink\",\n"
  "  \"settings\": {\n"
  "    \"UARTFT\": { \"time\": \"100\" },\n"
  "    \"APN\": { \"apn\": \"internet.pump\", \"auth\": \"0\" }\n"
  "  }\n"
  "}\n";

typedef struct
{
  AtcApplication *app;
  AtcWindow      *window;
  GtkWidget      *page;
} Provision;

static GFile *
write_file (const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static void
provision_open (Provision *provision,
                int        width,
                int        height)
{
  GtkSwitch *restart;

  /* No unit connected: the page opens its own connections. */
  provision->window = atc_gui_test_new_window_sized (&provision->app, width, height);
  atc_window_show_page (provision->window, "provision");
  provision->page = atc_gui_test_find (GTK_WIDGET (provision->window), ATC_TYPE_PROVISION_PAGE, NULL);
  g_assert_nonnull (provision->page);
  atc_gui_test_settle (100);

  /* A demo unit takes its documented minute to restart: not here. */
  restart = GTK_SWITCH (atc_gui_test_find (provision->page, GTK_TYPE_SWITCH, NULL));
  g_assert_nonnull (restart);
  gtk_switch_set_active (restart, FALSE);
}

static void
provision_close (Provision *provision)
{
  gtk_window_destroy (GTK_WINDOW (provision->window));
  atc_gui_test_settle (50);
  g_clear_object (&provision->app);
}

static gboolean
profile_loaded (gpointer data)
{
  Provision *provision = data;

  return atc_provision_page_get_profile (ATC_PROVISION_PAGE (provision->page)) != NULL;
}

static void
load_profile (Provision  *provision,
              const char *name,
              const char *contents)
{
  g_autoptr(GFile) file = write_file (name, contents);

  atc_provision_page_load_profile (ATC_PROVISION_PAGE (provision->page), file);
  atc_gui_test_settle (300);
}

static void
add_address (Provision  *provision,
             const char *address)
{
  GtkWidget *row = atc_gui_test_find (provision->page, ADW_TYPE_ENTRY_ROW, "Add Address");

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), address);
  g_signal_emit_by_name (row, "apply");
  atc_gui_test_settle (50);
}

static gboolean
run_over (gpointer data)
{
  Provision *provision = data;

  return !atc_provision_page_get_running (ATC_PROVISION_PAGE (provision->page)) &&
         atc_provision_page_get_report (ATC_PROVISION_PAGE (provision->page)) != NULL;
}

static void
start_and_wait (Provision *provision)
{
  g_assert_true (gtk_widget_activate_action (provision->page, "provision.start", NULL));
  g_assert_true (atc_provision_page_get_running (ATC_PROVISION_PAGE (provision->page)));
  g_assert_true (atc_gui_test_wait (run_over, provision, 120000));
  atc_gui_test_settle (200);
  /* The toasts would hide the buttons in screenshots. */
  atc_gui_test_dismiss_toasts (GTK_WIDGET (provision->window));
  atc_gui_test_settle (300);
}

static GPtrArray *
unit_rows (Provision *provision)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *w = atc_gui_test_find (provision->page, ATC_TYPE_PROVISION_ROW, NULL);
       w != NULL; w = gtk_widget_get_next_sibling (w))
    if (ATC_IS_PROVISION_ROW (w))
      g_ptr_array_add (rows, w);

  return rows;
}

/* A shown label styled as an error, or NULL. */
static GtkLabel *
find_error_label (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "error") &&
          gtk_widget_is_drawable (child))
        return GTK_LABEL (child);
      if ((found = find_error_label (child)) != NULL)
        return found;
    }

  return NULL;
}

static guint
count_data_lines (const char *csv)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  guint n = 0;

  /* The first line names the columns. */
  for (guint i = 1; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      n++;
  return n;
}

static gboolean
report_saved (gpointer data)
{
  Provision *provision = data;

  return atc_provision_page_get_report_file (ATC_PROVISION_PAGE (provision->page)) != NULL;
}

static void
test_two_demo_units (void)
{
  Provision provision = { 0 };
  g_autofree char *report_path = g_build_filename (tmp_dir, "units.csv", NULL);
  g_autoptr(GFile) report_file = g_file_new_for_path (report_path);
  g_autofree char *csv = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *label;
  GtkWidget *open;

  provision_open (&provision, 1000, 720);

  /* Nothing to start without a profile and units. */
  g_assert_nonnull (atc_gui_test_find (provision.page, GTK_TYPE_LABEL, "Choose a profile first."));

  load_profile (&provision, "pump.json", g781_profile);
  g_assert_true (atc_gui_test_wait (profile_loaded, &provision, 5000));

  /* What the profile is: model, notes, how many values. */
  label = atc_gui_test_find (provision.page, GTK_TYPE_LABEL, "USR-G781, saved from firmware V1.1.05");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_is_drawable (label));
  g_assert_nonnull (atc_gui_test_find (provision.page, GTK_TYPE_LABEL, "3 values"));
  g_assert_nonnull (atc_gui_test_find (provision.page, GTK_TYPE_LABEL, "Pump station uplink"));
  g_assert_nonnull (atc_gui_test_find (provision.page, GTK_TYPE_LABEL, "Tick a serial port or add an address."));

  add_address (&provision, "demo:g781");
  add_address (&provision, "demo:g781");
  g_assert_nonnull (atc_gui_test_find (provision.page, GTK_TYPE_LABEL, "2 units will get this profile, all at once."));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (provision.window), "provision-setup"));

  start_and_wait (&provision);

  /* One row per unit, each provisioned, with what it is. */
  rows = unit_rows (&provision);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      AtcProvisionRow *row = g_ptr_array_index (rows, i);

      g_assert_cmpint (atc_provision_row_get_result (row), ==, ATC_PROVISION_OK);
      g_assert_cmpstr (atc_provision_row_get_detail (row), ==, "2 settings changed");
      g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (row), GTK_TYPE_LABEL,
                                           "USR-G781 · V1.1.05 · SN 49832655857640463828 · IMEI 866703047683661"));
    }
  g_assert_nonnull (atc_gui_test_find (provision.page, ADW_TYPE_PREFERENCES_GROUP, "Provisioning Done"));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (provision.window), "provision-done"));

  /* The report: saved without blocking, then it can be opened. */
  open = atc_gui_test_find (provision.page, GTK_TYPE_BUTTON, "Open Report");
  g_assert_false (gtk_widget_get_visible (open));
  atc_provision_page_save_report (ATC_PROVISION_PAGE (provision.page), report_file);
  g_assert_true (atc_gui_test_wait (report_saved, &provision, 5000));
  g_assert_true (gtk_widget_get_visible (open));
  g_assert_true (g_file_get_contents (report_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "time,address,model,"));
  g_assert_cmpuint (count_data_lines (csv), ==, 2);
  g_assert_nonnull (strstr (csv, ",ok,2,"));
  g_unlink (report_path);

  /* Back to the setup for another batch: choices are kept. */
  g_assert_true (gtk_widget_activate_action (provision.page, "provision.new-run", NULL));
  atc_gui_test_settle (100);
  g_assert_true (gtk_widget_is_drawable (atc_gui_test_find (provision.page, GTK_TYPE_LABEL,
                                                            "2 units will get this profile, all at once.")));

  provision_close (&provision);
}

static void
test_wrong_model_unit_says_why (void)
{
  Provision provision = { 0 };
  g_autofree char *report_path = g_build_filename (tmp_dir, "units.json", NULL);
  g_autoptr(GFile) report_file = g_file_new_for_path (report_path);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  AtcProvisionRow *g781, *m0;
  JsonObject *root;

  provision_open (&provision, 360, 720);

  load_profile (&provision, "pump.json", g781_profile);
  g_assert_true (atc_gui_test_wait (profile_loaded, &provision, 5000));
  add_address (&provision, "demo:g781");
  add_address (&provision, "demo:m0");
  g_free (atc_gui_test_screenshot (GTK_WIDGET (provision.window), "provision-setup-narrow"));

  start_and_wait (&provision);

  rows = unit_rows (&provision);
  g_assert_cmpuint (rows->len, ==, 2);
  g781 = g_ptr_array_index (rows, 0);
  m0 = g_ptr_array_index (rows, 1);

  /* The other units go on; the M0 says exactly what is wrong. */
  g_assert_cmpint (atc_provision_row_get_result (g781), ==, ATC_PROVISION_OK);
  g_assert_cmpint (atc_provision_row_get_result (m0), ==, ATC_PROVISION_FAILED);
  g_assert_nonnull (strstr (atc_provision_row_get_detail (m0),
                            "This profile is for the USR-G781 (g781) but the unit is a USR-M0 (m0)"));
  g_assert_nonnull (atc_gui_test_find (provision.page, ADW_TYPE_PREFERENCES_GROUP,
                                       "Provisioning Finished With Problems"));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (provision.window)), <=, 400);
  g_free (atc_gui_test_screenshot (GTK_WIDGET (provision.window), "provision-done-narrow"));

  /* The JSON report says the same. */
  atc_provision_page_save_report (ATC_PROVISION_PAGE (provision.page), report_file);
  g_assert_true (atc_gui_test_wait (report_saved, &provision, 5000));
  g_assert_true (json_parser_load_from_file (parser, report_path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "units")), ==, 2);
  g_unlink (report_path);

  provision_close (&provision);
}

static void
test_profile_problems_shown_with_paths (void)
{
  Provision provision = { 0 };
  GtkWidget *heading;
  GtkWidget *message = NULL;

  provision_open (&provision, 360, 720);

  load_profile (&provision, "broken.json",
                "{ \"schema\": 1, \"model\": \"g781\", \"settings\": {"
                " \"UARTFT\": { \"time\": \"5\" }, \"NOSUCH\": { \"x\": \"1\" } } }");
  atc_gui_test_settle (200);

  g_assert_null (atc_provision_page_get_profile (ATC_PROVISION_PAGE (provision.page)));
  heading = atc_gui_test_find (provision.page, GTK_TYPE_LABEL, "“broken.json” cannot be used");
  g_assert_nonnull (heading);
  g_assert_true (gtk_widget_is_drawable (heading));

  /* Every problem, each with where it is in the file. */
  for (GtkWidget *w = gtk_widget_get_next_sibling (heading); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LABEL (w))
      message = w;
  g_assert_nonnull (message);
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (message)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "settings.UARTFT"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "NOSUCH"));

  /* Start waits for a profile that can be used. */
  add_address (&provision, "demo:g781");
  g_assert_nonnull (atc_gui_test_find (provision.page, GTK_TYPE_LABEL,
                                       "Fix the profile’s problems, or choose another."));
  gtk_widget_activate_action (provision.page, "provision.start", NULL);
  g_assert_false (atc_provision_page_get_running (ATC_PROVISION_PAGE (provision.page)));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (provision.window), "provision-profile-error-narrow"));

  provision_close (&provision);
}

static void
test_bad_address_refused (void)
{
  Provision provision = { 0 };
  GtkWidget *entry;
  GtkWidget *error;

  provision_open (&provision, 1000, 720);

  add_address (&provision, "tcp:localhost");
  entry = atc_gui_test_find (provision.page, ADW_TYPE_ENTRY_ROW, "Add Address");
  /* Kept to fix, with the reason under it; no unit added. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "tcp:localhost");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  error = GTK_WIDGET (find_error_label (provision.page));
  g_assert_nonnull (error);
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (error)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "has no port"));
  g_assert_null (atc_gui_test_find (provision.page, ADW_TYPE_ACTION_ROW, "tcp:localhost"));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (provision.window), "provision-bad-address"));

  add_address (&provision, "tcp:localhost:2001");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_false (gtk_widget_get_visible (error));
  g_assert_nonnull (atc_gui_test_find (provision.page, ADW_TYPE_ACTION_ROW, "tcp:localhost:2001"));

  provision_close (&provision);
}

static gboolean
ports_listed (gpointer data)
{
  Provision *provision = data;

  return atc_gui_test_find (provision->page, GTK_TYPE_CHECK_BUTTON, NULL) != NULL;
}

static void
test_ticked_ports_are_units (void)
{
  Provision provision = { 0 };
  GtkCheckButton *check;

  provision_open (&provision, 1000, 720);
  load_profile (&provision, "pump.json", g781_profile);
  g_assert_true (atc_gui_test_wait (profile_loaded, &provision, 5000));

  /* The ports come from the machine: a test host may have none. */
  if (!atc_gui_test_wait (ports_listed, &provision, 5000))
    {
      provision_close (&provision);
      g_test_skip ("no serial port on this machine");
      return;
    }

  check = GTK_CHECK_BUTTON (atc_gui_test_find (provision.page, GTK_TYPE_CHECK_BUTTON, NULL));
  gtk_check_button_set_active (check, TRUE);
  g_assert_nonnull (atc_gui_test_find (provision.page, GTK_TYPE_LABEL, "1 unit will get this profile."));
  add_address (&provision, "demo:g781");
  g_assert_nonnull (atc_gui_test_find (provision.page, GTK_TYPE_LABEL, "2 units will get this profile, all at once."));
  gtk_check_button_set_active (check, FALSE);
  g_assert_nonnull (atc_gui_test_find (provision.page, GTK_TYPE_LABEL, "1 unit will get this profile."));

  provision_close (&provision);
}

static gboolean
unit_restarting (gpointer data)
{
  Provision *provision = data;
  g_autoptr(GPtrArray) rows = unit_rows (provision);

  return rows->len > 0 &&
         g_str_has_prefix (atc_provision_row_get_detail (g_ptr_array_index (rows, 0)), "Restarting");
}

static void
test_cancel_stops_each_unit (void)
{
  Provision provision = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *cancel;
  gint64 cancelled_at;

  provision_open (&provision, 1000, 720);
  /* With a restart, the unit is away long enough to cancel. */
  gtk_switch_set_active (GTK_SWITCH (atc_gui_test_find (provision.page, GTK_TYPE_SWITCH, NULL)), TRUE);

  load_profile (&provision, "pump.json", g781_profile);
  g_assert_true (atc_gui_test_wait (profile_loaded, &provision, 5000));
  add_address (&provision, "demo:g781");

  g_assert_true (gtk_widget_activate_action (provision.page, "provision.start", NULL));
  g_assert_true (atc_gui_test_wait (unit_restarting, &provision, 30000));
  cancel = atc_gui_test_find (provision.page, GTK_TYPE_BUTTON, "Cancel");
  g_assert_true (gtk_widget_is_drawable (cancel));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (provision.window), "provision-running"));

  cancelled_at = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (provision.page, "provision.cancel", NULL));
  g_assert_true (atc_gui_test_wait (run_over, &provision, 20000));
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 20 * G_USEC_PER_SEC);

  /* The unit says how far it got; the report can still be saved. */
  rows = unit_rows (&provision);
  g_assert_cmpint (atc_provision_row_get_result (g_ptr_array_index (rows, 0)), !=, ATC_PROVISION_OK);
  g_assert_true (gtk_widget_get_visible (atc_gui_test_find (provision.page, GTK_TYPE_BUTTON, "Save Report…")));
  g_assert_false (gtk_widget_get_visible (cancel));

  provision_close (&provision);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  tmp_dir = g_dir_make_tmp ("atconf-gui-provision-XXXXXX", &error);
  g_assert_no_error (error);

  atc_gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/provision/two-demo-units", test_two_demo_units);
  g_test_add_func ("/gui/provision/wrong-model-unit-says-why", test_wrong_model_unit_says_why);
  g_test_add_func ("/gui/provision/profile-problems-shown-with-paths", test_profile_problems_shown_with_paths);
  g_test_add_func ("/gui/provision/bad-address-refused", test_bad_address_refused);
  g_test_add_func ("/gui/provision/ticked-ports-are-units", test_ticked_ports_are_units);
  g_test_add_func ("/gui/provision/cancel-stops-each-unit", test_cancel_stops_each_unit);

  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);

  return status;
}
