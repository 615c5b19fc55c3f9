/* test-gui-config.c: the Configure page reads, edits, checks and writes a unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "atc-config-page.h"
#include "atc-demo-transport.h"
#include "atc-gui-test-util.h"
#include "atc-param-editor.h"
#include "atc-write-dialog.h"

#define CONNECT_MS 30000
#define READ_MS    30000
#define WRITE_MS   60000

/* Helpers */

static AtcConfigPage *
config_page (AtcWindow *window)
{
  GtkWidget *page = atc_gui_test_find (GTK_WIDGET (window), ATC_TYPE_CONFIG_PAGE, NULL);

  g_assert_nonnull (page);
  return ATC_CONFIG_PAGE (page);
}

static gboolean
page_read (gpointer data)
{
  AtcConfigPage *page = data;

  return !atc_config_page_is_busy (page) && atc_config_page_get_unit_config (page) != NULL;
}

static gboolean
page_idle (gpointer data)
{
  return !atc_config_page_is_busy (ATC_CONFIG_PAGE (data));
}

static AtcConfigPage *
open_and_read (AtcWindow  *window,
               const char *address)
{
  AtcConfigPage *page;

  atc_gui_test_connect (window, address, CONNECT_MS);
  atc_window_show_page (window, "configure");
  page = config_page (window);
  g_assert_true (atc_gui_test_wait (page_read, page, READ_MS));
  atc_gui_test_settle (100);
  return page;
}

static AtcSimulator *
simulator_of (AtcWindow *window)
{
  AtcSession *session = atc_window_get_session (window);

  g_assert_nonnull (session);
  return atc_demo_transport_get_simulator (ATC_DEMO_TRANSPORT (atc_session_get_transport (session)));
}

static char *
sim_value (AtcWindow  *window,
           const char *command,
           guint       index)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = atc_simulator_dup_values (simulator_of (window), command, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (index, <, g_strv_length (values));
  return g_strdup (values[index]);
}

/* Set commands the unit received since its log was cleared (the monitor
 * may be polling status meanwhile). */
static guint
count_set_commands (AtcWindow *window)
{
  GPtrArray *log = atc_simulator_get_log (simulator_of (window));
  guint n = 0;

  for (guint i = 0; i < log->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, i);

      n += strchr (entry->line, '=') != NULL;
    }

  return n;
}

/* The row named "COMMAND.param" and, inside it, a widget of `type`. */
static GtkWidget *
param_row (AtcConfigPage *page,
           const char    *name)
{
  GtkWidget *row = atc_gui_test_find (GTK_WIDGET (page), ADW_TYPE_PREFERENCES_ROW, name);

  if (row == NULL)
    g_error ("no row named %s", name);
  return row;
}

static GtkWidget *
param_field (AtcConfigPage *page,
             const char    *name,
             GType          type)
{
  GtkWidget *row = param_row (page, name);
  GtkWidget *field = G_TYPE_CHECK_INSTANCE_TYPE (row, type) ? row : atc_gui_test_find (row, type, NULL);

  g_assert_nonnull (field);
  return field;
}

/* The hint row follows its field's row in the list. */
static const char *
param_hint (AtcConfigPage *page,
            const char    *name)
{
  GtkWidget *hint_row = gtk_widget_get_next_sibling (param_row (page, name));
  GtkWidget *label;

  g_assert_true (gtk_widget_has_css_class (hint_row, "param-hint"));
  if (!gtk_widget_get_visible (hint_row))
    return NULL;
  label = atc_gui_test_find (hint_row, GTK_TYPE_LABEL, NULL);
  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static GtkWidget *
find_icon_button (GtkWidget  *root,
                  const char *icon_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (child)), icon_name) == 0)
        return child;
      if ((found = find_icon_button (child, icon_name)) != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
undo_button (AtcConfigPage *page,
             const char    *name)
{
  GtkWidget *button = find_icon_button (param_row (page, name), "edit-undo-symbolic");

  g_assert_nonnull (button);
  return button;
}

/* Types into a spin button and presses Enter. */
static void
type_number (GtkWidget  *spin,
             const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  atc_gui_test_settle (50);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, text);
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The button of the problem card that starts with `label`. */
static GtkWidget *
problem_button (AtcConfigPage *page,
                const char    *label)
{
  GtkWidget *revealer = atc_gui_test_find (GTK_WIDGET (page), GTK_TYPE_REVEALER, NULL);
  GtkWidget *stack[128];
  guint depth = 0;

  g_assert_nonnull (revealer);
  stack[depth++] = revealer;
  while (depth > 0)
    {
      GtkWidget *widget = stack[--depth];

      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          GtkWidget *text = GTK_IS_BUTTON (child) ? gtk_button_get_child (GTK_BUTTON (child)) : NULL;

          if (GTK_IS_LABEL (text) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (text)), label))
            return child;
          if (depth < G_N_ELEMENTS (stack))
            stack[depth++] = child;
        }
    }

  g_error ("no problem listed for %s", label);
  return NULL;
}

/* Picks a group in the sidebar, as a click does. */
static void
show_group (AtcConfigPage *page,
            const char    *group_id)
{
  GtkWidget *row = atc_gui_test_find (GTK_WIDGET (page), GTK_TYPE_LIST_BOX_ROW, group_id);

  g_assert_nonnull (row);
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (row)), GTK_LIST_BOX_ROW (row));
  gtk_widget_activate (row);
  atc_gui_test_settle (300);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
write_dialog_done (gpointer data)
{
  AtcWriteDialog *dialog = data;

  return !atc_write_dialog_is_running (dialog) && atc_write_dialog_get_report (dialog) != NULL;
}

/* Opens the write dialog with Ctrl+Return's action, checks it lists
 * `expected_line`, writes and waits for the report. */
static AtcApplyReport *
write_through_dialog (AtcWindow     *window,
                      AtcConfigPage *page,
                      const char    *expected_line,
                      const char    *shot)
{
  AtcWriteDialog *dialog;
  AtcApplyReport *report;
  g_autofree char *shot_done = g_strconcat (shot, "-done", NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "config.write", NULL));
  atc_gui_test_settle (200);
  dialog = ATC_WRITE_DIALOG (find_toplevel (ATC_TYPE_WRITE_DIALOG));
  g_assert_nonnull (dialog);

  /* The exact lines come first, before anything is sent. */
  g_assert_nonnull (strstr (atc_write_dialog_get_script (dialog), expected_line));
  g_assert_null (atc_write_dialog_get_report (dialog));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (dialog), shot));

  atc_write_dialog_start (dialog);
  g_assert_true (atc_gui_test_wait (write_dialog_done, dialog, WRITE_MS));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (dialog), shot_done));

  /* The page reads the unit again behind the dialog. */
  g_assert_true (atc_gui_test_wait (page_idle, page, READ_MS));
  report = g_object_ref (atc_write_dialog_get_report (dialog));
  gtk_window_close (GTK_WINDOW (dialog));
  atc_gui_test_settle (100);
  return report;
}

static void
set_restart_after_write (AtcApplication *app,
                         gboolean        restart)
{
  g_settings_set_boolean (atc_application_get_settings (app), "restart-after-write", restart);
}

/* Tests */

static void
screenshot_groups (AtcWindow     *window,
                   AtcConfigPage *page,
                   const char    *prefix)
{
  GPtrArray *groups = atc_model_get_groups (atc_config_get_model (atc_config_page_get_unit_config (page)));
  guint shown = 0;

  for (guint i = 0; i < groups->len; i++)
    {
      const AtcGroup *group = g_ptr_array_index (groups, i);
      g_autofree char *name = g_strdup_printf ("%s-%s", prefix, group->id);
      GtkWidget *list_row = atc_gui_test_find (GTK_WIDGET (page), GTK_TYPE_LIST_BOX_ROW, group->id);

      if (list_row == NULL)
        continue;   /* a group without settings (identity only) */

      show_group (page, group->id);
      g_free (atc_gui_test_screenshot (GTK_WIDGET (window), name));
      shown++;
    }

  g_assert_cmpuint (shown, >=, 4);
}

static void
test_g781_form_shows_unit_values (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page = open_and_read (window, "demo:g781");
  AtcConfig *edited = atc_config_page_get_edited_config (page);
  GtkWidget *spin, *entry, *combo, *sw, *password, *header;

  /* Values equal the simulator's documented defaults. */
  g_assert_cmpstr (atc_config_get_value (edited, "UARTFT", "time"), ==, "50");
  g_assert_cmpstr (atc_config_get_value (edited, "SOCKA", "port"), ==, "2317");
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 0);

  /* The right editor for each type, showing the value read. */
  spin = param_field (page, "UARTFT.time", GTK_TYPE_SPIN_BUTTON);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 50);
  spin = param_field (page, "SOCKA.port", GTK_TYPE_SPIN_BUTTON);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 2317);
  entry = param_field (page, "SOCKA.address", ADW_TYPE_ENTRY_ROW);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "test.usr.cn");
  combo = param_field (page, "SOCKA.protocol", ADW_TYPE_COMBO_ROW);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 1);   /* TCPC */
  sw = param_field (page, "SOCKAEN.status", GTK_TYPE_SWITCH);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));
  sw = param_field (page, "SOCKBEN.status", GTK_TYPE_SWITCH);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (sw)));
  password = param_field (page, "APN.password", ADW_TYPE_PASSWORD_ENTRY_ROW);
  g_assert_nonnull (password);
  password = param_field (page, "CMDPW.password", ADW_TYPE_PASSWORD_ENTRY_ROW);
  g_assert_nonnull (password);

  /* The HTTP header's CR LF are shown as \r\n, editable on one line. */
  header = param_field (page, "HTPHD.header", ADW_TYPE_ENTRY_ROW);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (header)), ==, "Connection: close\\r\\n");
  gtk_editable_set_text (GTK_EDITABLE (header), "Connection: keep-alive\\r\\n");
  g_assert_cmpstr (atc_config_get_value (edited, "HTPHD", "header"), ==, "Connection: keep-alive\r\n");
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 1);
  click (undo_button (page, "HTPHD.header"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (header)), ==, "Connection: close\\r\\n");
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 0);

  /* Defaults and ranges are there to read. */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (param_row (page, "UARTFT.time"))),
                            "From 10 to 60000 ms"));
  g_assert_nonnull (strstr (param_hint (page, "SOCKA.address"), "test.usr.cn"));

  /* Identity facts are shown, read-only, at the top. */
  g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, "IMEI"));
  g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, "SN"));

  screenshot_groups (window, page, "config-g781");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_m0_form_shows_unit_values (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page = open_and_read (window, "demo:m0");
  AtcConfig *edited = atc_config_page_get_edited_config (page);
  GtkWidget *spin, *entry;

  g_assert_cmpstr (atc_config_get_value (edited, "UART", "baud_rate"), ==, "115200");
  g_assert_cmpstr (atc_config_get_value (edited, "SOCK", "port"), ==, "8234");
  spin = param_field (page, "UART.baud_rate", GTK_TYPE_SPIN_BUTTON);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 115200);
  entry = param_field (page, "WANN.address", ADW_TYPE_ENTRY_ROW);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "192.168.0.7");
  g_assert_nonnull (param_field (page, "WEBU.password", ADW_TYPE_PASSWORD_ENTRY_ROW));
  g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, "MAC"));

  screenshot_groups (window, page, "config-m0");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_g781_edit_write_verify (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page;
  GtkWidget *spin, *row, *undo;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autofree char *held = NULL;

  set_restart_after_write (app, TRUE);
  page = open_and_read (window, "demo:g781");
  /* The session may wait out most of the G781's documented 60 s reboot
   * time; the demo unit is back in 3 s. */
  atc_session_set_timeout_scale (atc_window_get_session (window), 0.1);

  /* Edit: the row is marked and offers the unit's value back. */
  spin = param_field (page, "UARTFT.time", GTK_TYPE_SPIN_BUTTON);
  row = param_row (page, "UARTFT.time");
  undo = undo_button (page, "UARTFT.time");
  g_assert_false (gtk_widget_has_css_class (row, "changed-row"));
  g_assert_false (gtk_widget_get_visible (undo));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 100);
  g_assert_true (gtk_widget_has_css_class (row, "changed-row"));
  g_assert_true (gtk_widget_get_visible (undo));
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 1);
  g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (page), GTK_TYPE_LABEL, "1 change"));

  /* Undo removes the mark; edit again. */
  click (undo);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 50);
  g_assert_false (gtk_widget_has_css_class (row, "changed-row"));
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 100);
  show_group (page, "uart");
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "config-g781-edited"));

  /* Write through the dialog, with the restart the setting asks for. */
  report = write_through_dialog (window, page, "AT+UARTFT=100", "config-write-dialog-g781");
  g_assert_true (atc_apply_report_is_complete (report));
  g_assert_cmpint (atc_apply_report_get_restart_status (report), ==, ATC_RESTART_DONE);
  g_assert_cmpint (atc_apply_report_lookup (report, "UARTFT")->status, ==, ATC_APPLY_VERIFIED);

  /* The unit holds it, and the page read it back: nothing left to write. */
  held = sim_value (window, "UARTFT", 0);
  g_assert_cmpstr (held, ==, "100");
  g_assert_cmpstr (atc_config_get_value (atc_config_page_get_unit_config (page), "UARTFT", "time"), ==, "100");
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 0);
  g_assert_false (gtk_widget_has_css_class (param_row (page, "UARTFT.time"), "changed-row"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_m0_entry_write (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page;
  GtkWidget *entry, *password;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autofree char *held = NULL;
  AtcWriteDialog *dialog;

  set_restart_after_write (app, FALSE);
  page = open_and_read (window, "demo:m0");

  entry = param_field (page, "SOCK.address", ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (entry), "192.168.1.50");
  g_assert_true (gtk_widget_has_css_class (entry, "changed-row"));
  password = param_field (page, "WEBU.password", ADW_TYPE_PASSWORD_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (password), "s3cr");
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 2);
  show_group (page, "uart");

  /* The preview masks the password; it fits a phone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "config.write", NULL));
  atc_gui_test_settle (200);
  dialog = ATC_WRITE_DIALOG (find_toplevel (ATC_TYPE_WRITE_DIALOG));
  g_assert_nonnull (dialog);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 640);
  atc_gui_test_settle (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, 400);
  g_free (atc_gui_test_screenshot (GTK_WIDGET (dialog), "config-write-dialog-narrow"));
  g_assert_null (strstr (atc_write_dialog_get_script (dialog), "s3cr"));
  g_assert_nonnull (strstr (atc_write_dialog_get_script (dialog), "AT+WEBU=admin,•••"));
  g_assert_null (strstr (atc_write_dialog_get_script (dialog), "AT+Z"));
  gtk_window_close (GTK_WINDOW (dialog));
  atc_gui_test_settle (100);
  g_assert_false (atc_config_page_is_busy (page));

  report = write_through_dialog (window, page, "AT+SOCK=TCPC,192.168.1.50,8234", "config-write-dialog-m0");
  g_assert_true (atc_apply_report_is_complete (report));
  g_assert_cmpint (atc_apply_report_get_restart_status (report), ==, ATC_RESTART_NOT_REQUESTED);

  held = sim_value (window, "SOCK", 1);
  g_assert_cmpstr (held, ==, "192.168.1.50");
  g_clear_pointer (&held, g_free);
  held = sim_value (window, "WEBU", 1);
  g_assert_cmpstr (held, ==, "s3cr");
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_interrupted_write_is_reported (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page;
  AtcWriteDialog *dialog;
  AtcApplyReport *report;
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;
  GtkWidget *not_applied;

  set_restart_after_write (app, TRUE);
  page = open_and_read (window, "demo:m0");
  gtk_editable_set_text (GTK_EDITABLE (param_field (page, "SOCK.address", ADW_TYPE_ENTRY_ROW)), "10.1.1.1");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (param_field (page, "HEARTTM.time", GTK_TYPE_SPIN_BUTTON)), 90);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "config.write", NULL));
  atc_gui_test_settle (200);
  dialog = ATC_WRITE_DIALOG (find_toplevel (ATC_TYPE_WRITE_DIALOG));
  g_assert_nonnull (dialog);

  /* The cable goes after the first command. */
  faults.disconnect_after = 1;
  atc_simulator_set_faults (simulator_of (window), &faults);
  atc_write_dialog_start (dialog);
  g_assert_true (atc_gui_test_wait (write_dialog_done, dialog, WRITE_MS));
  report = atc_write_dialog_get_report (dialog);

  /* The dialog says, per setting, what the unit may hold; no restart of
   * a half-written unit. */
  g_assert_false (atc_apply_report_is_complete (report));
  g_assert_cmpint (atc_apply_report_get_restart_status (report), !=, ATC_RESTART_DONE);
  not_applied = atc_gui_test_find (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "Not applied");
  if (not_applied == NULL)
    not_applied = atc_gui_test_find (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "Unknown");
  g_assert_nonnull (not_applied);
  g_assert_true (gtk_widget_get_visible (not_applied));
  g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "Skipped"));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (dialog), "config-write-dialog-interrupted"));

  g_assert_true (atc_gui_test_wait (page_idle, page, READ_MS));
  gtk_window_close (GTK_WINDOW (dialog));
  atc_gui_test_settle (100);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_invalid_blocks_writing (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page = open_and_read (window, "demo:g781");
  GtkWidget *spin, *entry, *write_button;
  const char *hint;

  atc_simulator_clear_log (simulator_of (window));

  /* A packing interval below the minimum stays as typed and says why. */
  show_group (page, "uart");
  spin = param_field (page, "UARTFT.time", GTK_TYPE_SPIN_BUTTON);
  type_number (spin, "5");
  hint = param_hint (page, "UARTFT.time");
  g_assert_nonnull (hint);
  g_assert_nonnull (strstr (hint, "5 is below the minimum 10 ms"));
  g_assert_true (gtk_widget_has_css_class (spin, "error"));
  g_assert_cmpuint (atc_config_page_get_n_invalid (page), ==, 1);

  /* A server address with a space, too. */
  entry = param_field (page, "SOCKA.address", ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (entry), "my server");
  hint = param_hint (page, "SOCKA.address");
  g_assert_nonnull (strstr (hint, "not a valid IPv4 address or host name"));
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_cmpuint (atc_config_page_get_n_invalid (page), ==, 2);

  /* Writing is refused, and the page says why. */
  write_button = atc_gui_test_find (GTK_WIDGET (page), GTK_TYPE_BUTTON, "Write…");
  g_assert_nonnull (write_button);
  g_assert_false (gtk_widget_is_sensitive (write_button));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (write_button), "Fix the 2 invalid fields"));
  g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (page), GTK_TYPE_LABEL, "2 fields need fixing before writing"));
  gtk_widget_activate_action (GTK_WIDGET (page), "config.write", NULL);
  atc_gui_test_settle (200);
  g_assert_null (find_toplevel (ATC_TYPE_WRITE_DIALOG));
  g_assert_cmpuint (count_set_commands (window), ==, 0);

  show_group (page, "uart");
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "config-g781-invalid"));

  /* Each listed problem takes the technician to its field. */
  show_group (page, "basic");
  click (problem_button (page, "Socket A · Server address"));
  atc_gui_test_settle (300);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "config-g781-invalid-field"));

  /* Undo brings back the unit's values: nothing left to fix or write. */
  click (undo_button (page, "UARTFT.time"));
  click (undo_button (page, "SOCKA.address"));
  g_assert_cmpuint (atc_config_page_get_n_invalid (page), ==, 0);
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 0);
  g_assert_false (gtk_widget_has_css_class (spin, "error"));
  g_assert_false (gtk_widget_has_css_class (param_row (page, "SOCKA.address"), "changed-row"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "test.usr.cn");

  /* Discard All takes every edit back, and its toast can undo that. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "203.0.113.7");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 75);
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "config.discard", NULL));
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "test.usr.cn");
  atc_gui_test_settle (300);
  click (atc_gui_test_find (GTK_WIDGET (window), GTK_TYPE_BUTTON, "Undo"));
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "203.0.113.7");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 75);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
page_has_form (gpointer data)
{
  return atc_config_page_get_edited_config (ATC_CONFIG_PAGE (data)) != NULL;
}

static void
test_profile_round_trip (void)
{
  g_autoptr(AtcApplication) app = NULL;
  g_autoptr(AtcApplication) app2 = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcWindow *offline_window;
  AtcConfigPage *page, *offline_page;
  g_autofree char *dir = g_dir_make_tmp ("atconf-profile-XXXXXX", NULL);
  g_autofree char *plain_path = g_build_filename (dir, "plain.json", NULL);
  g_autofree char *secret_path = g_build_filename (dir, "secret.json", NULL);
  g_autofree char *script_path = g_build_filename (dir, "changes.txt", NULL);
  g_autoptr(GFile) plain = g_file_new_for_path (plain_path);
  g_autoptr(GFile) secret = g_file_new_for_path (secret_path);
  g_autoptr(GFile) script = g_file_new_for_path (script_path);
  g_autofree char *contents = NULL;
  GStatBuf st;
  AtcConfig *edited;

  page = open_and_read (window, "demo:g781");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (param_field (page, "UARTFT.time", GTK_TYPE_SPIN_BUTTON)), 100);
  gtk_editable_set_text (GTK_EDITABLE (param_field (page, "APN.password", ADW_TYPE_PASSWORD_ENTRY_ROW)), "apnpass");

  /* Without passwords unless asked. */
  atc_config_page_save_profile_file (page, plain, FALSE);
  g_assert_true (atc_gui_test_wait (file_exists, plain_path, 5000));
  g_assert_true (g_file_get_contents (plain_path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"UARTFT\""));
  g_assert_nonnull (strstr (contents, "\"100\""));
  g_assert_null (strstr (contents, "apnpass"));
  g_clear_pointer (&contents, g_free);

  /* With passwords: only the owner may read the file. */
  atc_config_page_save_profile_file (page, secret, TRUE);
  g_assert_true (atc_gui_test_wait (file_exists, secret_path, 5000));
  g_assert_true (g_file_get_contents (secret_path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "apnpass"));
  g_assert_cmpint (g_stat (secret_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_pointer (&contents, g_free);

  /* The script of the changes, password left as a comment. */
  atc_config_page_export_script_file (page, script, TRUE, FALSE);
  g_assert_true (atc_gui_test_wait (file_exists, script_path, 5000));
  atc_gui_test_settle (300);   /* written in place: let it finish */
  g_assert_true (g_file_get_contents (script_path, &contents, NULL, NULL));
  g_test_message ("script:\n%s", contents);
  g_assert_nonnull (strstr (contents, "AT+UARTFT=100"));
  g_assert_null (strstr (contents, "apnpass"));
  g_clear_pointer (&contents, g_free);

  gtk_window_destroy (GTK_WINDOW (window));

  /* Loaded without a unit: the form for the profile's model, its values
   * marked against the defaults. */
  offline_window = atc_gui_test_new_window (&app2);
  atc_window_show_page (offline_window, "configure");
  offline_page = config_page (offline_window);
  g_assert_null (atc_config_page_get_edited_config (offline_page));
  atc_config_page_open_profile_file (offline_page, secret);
  g_assert_true (atc_gui_test_wait (page_has_form, offline_page, 5000));
  atc_gui_test_settle (200);

  edited = atc_config_page_get_edited_config (offline_page);
  g_assert_cmpstr (atc_model_get_id (atc_config_get_model (edited)), ==, "g781");
  g_assert_cmpstr (atc_config_get_value (edited, "UARTFT", "time"), ==, "100");
  g_assert_cmpstr (atc_config_get_value (edited, "APN", "password"), ==, "apnpass");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (param_field (offline_page, "UARTFT.time",
                                                                                  GTK_TYPE_SPIN_BUTTON))), ==, 100);
  g_assert_true (gtk_widget_has_css_class (param_row (offline_page, "UARTFT.time"), "changed-row"));
  g_assert_false (gtk_widget_is_sensitive (atc_gui_test_find (GTK_WIDGET (offline_page), GTK_TYPE_BUTTON, "Write…")));
  show_group (offline_page, "uart");
  g_free (atc_gui_test_screenshot (GTK_WIDGET (offline_window), "config-offline-profile"));

  /* Connecting keeps the profile's values as changes to write. */
  atc_gui_test_connect (offline_window, "demo:g781", CONNECT_MS);
  atc_window_show_page (offline_window, "configure");
  g_assert_true (atc_gui_test_wait (page_read, offline_page, READ_MS));
  g_assert_cmpstr (atc_config_get_value (atc_config_page_get_unit_config (offline_page), "UARTFT", "time"), ==, "50");
  g_assert_cmpstr (atc_config_get_value (atc_config_page_get_edited_config (offline_page), "UARTFT", "time"), ==, "100");
  g_assert_cmpuint (atc_config_page_get_n_changes (offline_page), >=, 2);

  gtk_window_destroy (GTK_WINDOW (offline_window));
  g_unlink (plain_path);
  g_unlink (secret_path);
  g_unlink (script_path);
  g_rmdir (dir);
}

static void
test_bad_profile_is_explained (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page = config_page (window);
  g_autofree char *dir = g_dir_make_tmp ("atconf-profile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWindow *dialog;
  GtkWidget *body;

  g_assert_true (g_file_set_contents (path,
                                      "{\"schema\": 1, \"model\": \"g781\", \"settings\": "
                                      "{\"UARTFT\": {\"time\": \"5\"}}}", -1, NULL));
  atc_window_show_page (window, "configure");
  g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (page), GTK_TYPE_BUTTON, "Load Profile…"));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "config-empty"));
  atc_config_page_open_profile_file (page, file);
  atc_gui_test_settle (300);

  /* The error names the place in the file and the rule. */
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), "broken.json"));
  body = GTK_WIDGET (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (body)), "settings.UARTFT"));
  g_assert_null (atc_config_page_get_edited_config (page));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (dialog), "config-bad-profile"));
  gtk_window_destroy (dialog);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_factory_reset_after_confirmation (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page;
  const char *values[] = { "TCPC", "10.0.0.9", "4000", NULL };
  g_autofree char *held = NULL;
  GtkWindow *dialog;

  page = open_and_read (window, "demo:m0");
  g_assert_true (atc_simulator_set_values (simulator_of (window), "SOCK", values, NULL));

  /* Nothing happens before the technician confirms. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "config.factory-reset", NULL));
  atc_gui_test_settle (200);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reset"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_free (atc_gui_test_screenshot (GTK_WIDGET (dialog), "config-factory-reset-confirm"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  atc_gui_test_settle (200);
  held = sim_value (window, "SOCK", 1);
  g_assert_cmpstr (held, ==, "10.0.0.9");
  g_clear_pointer (&held, g_free);

  /* Confirmed: the unit resets, restarts, and the page reads it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "config.factory-reset", NULL));
  atc_gui_test_settle (200);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "reset");
  atc_gui_test_settle (100);
  g_assert_true (atc_config_page_is_busy (page));
  g_assert_true (atc_gui_test_wait (page_idle, page, WRITE_MS));
  held = sim_value (window, "SOCK", 1);
  g_assert_cmpstr (held, ==, "192.168.0.201");
  g_assert_cmpstr (atc_config_get_value (atc_config_page_get_unit_config (page), "SOCK", "address"), ==,
                   "192.168.0.201");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (param_field (page, "SOCK.address", ADW_TYPE_ENTRY_ROW))),
                   ==, "192.168.0.201");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_restart_keeps_edits (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page = open_and_read (window, "demo:m0");
  GtkWindow *dialog;

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (param_field (page, "HEARTTM.time", GTK_TYPE_SPIN_BUTTON)), 60);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "config.restart", NULL));
  atc_gui_test_settle (200);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "restart");
  atc_gui_test_settle (100);
  g_assert_true (atc_config_page_is_busy (page));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "config-restarting"));
  g_assert_true (atc_gui_test_wait (page_idle, page, WRITE_MS));

  /* Read again after the restart; the edit is still there to write. */
  g_assert_cmpstr (atc_config_get_value (atc_config_page_get_edited_config (page), "HEARTTM", "time"), ==, "60");
  g_assert_cmpuint (atc_config_page_get_n_changes (page), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unread_settings_are_marked (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page = open_and_read (window, "demo:m0");
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;
  AtcConfig *unit;
  g_auto(GStrv) failed = NULL;
  GtkWidget *group;
  const char *command;

  /* The link drops part-way through a read: what was read shows, what
   * was not is marked where the technician looks. */
  faults.disconnect_after = 12;
  atc_simulator_set_faults (simulator_of (window), &faults);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "config.read", NULL));
  g_assert_true (atc_gui_test_wait (page_idle, page, READ_MS));
  atc_gui_test_settle (200);

  unit = atc_config_page_get_unit_config (page);
  failed = atc_config_get_failed_reads (unit);
  g_assert_nonnull (failed);
  g_assert_cmpuint (g_strv_length (failed), >, 0);
  command = failed[g_strv_length (failed) - 1];
  group = atc_gui_test_find (GTK_WIDGET (page), ADW_TYPE_PREFERENCES_GROUP, command);
  g_assert_nonnull (group);
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)),
                            "Could not be read"));

  show_group (page, atc_config_lookup_command (unit, command)->group);
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "config-m0-unread"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
page_shows (gpointer data)
{
  GtkStack *stack = GTK_STACK (atc_gui_test_find (GTK_WIDGET (data), GTK_TYPE_STACK, NULL));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "failed") == 0;
}

static void
test_stop_reading (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page = config_page (window);

  atc_window_show_page (window, "configure");
  atc_gui_test_connect (window, "demo:g781", CONNECT_MS);
  g_assert_true (atc_config_page_is_busy (page));
  /* A slow unit, so the progress holds still for the screenshot. */
  atc_simulator_set_latency_ms (simulator_of (window), 600);
  atc_gui_test_settle (700);
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "config-reading"));

  /* Stopped: the page says so and offers to read again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "config.stop", NULL));
  g_assert_true (atc_gui_test_wait (page_shows, page, 5000));
  g_assert_false (atc_config_page_is_busy (page));
  g_assert_null (atc_config_page_get_unit_config (page));
  g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (page), GTK_TYPE_BUTTON, "Try Again"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "config.read", NULL));
  g_assert_true (atc_gui_test_wait (page_read, page, READ_MS));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_one_line_text (void)
{
  static const char *values[] = {
    "Connection: close\r\n",
    "a\tb\x01c",
    "C:\\data\\new",          /* a backslash before n stays a backslash */
    "ends with \\",
    "\\r is not a CR",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *line = atc_param_editor_format_line (values[i]);
      g_autofree char *back = atc_param_editor_parse_line (line);

      g_assert_null (strpbrk (line, "\r\n\t"));
      g_assert_cmpstr (back, ==, values[i]);
    }

  {
    g_autofree char *line = atc_param_editor_format_line ("Connection: close\r\n");
    g_autofree char *typed = atc_param_editor_parse_line ("C:\\path\\x");

    g_assert_cmpstr (line, ==, "Connection: close\\r\\n");
    /* What a technician types without escapes in mind stays as typed. */
    g_assert_cmpstr (typed, ==, "C:\\path\\x");
  }
}

/* Ctrl+R and Ctrl+Return reach the page while it is shown, also with
 * focus in the header: its shortcuts run at window scope. */
static void
test_shortcuts (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcConfigPage *page = config_page (window);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (page));
  const char *wanted[][2] = { { "<Control>r", "config.read" }, { "<Control>Return", "config.write" } };
  guint found = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      g_assert_cmpint (gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)), ==,
                       GTK_SHORTCUT_SCOPE_MANAGED);

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          for (guint k = 0; k < G_N_ELEMENTS (wanted); k++)
            if (g_str_equal (trigger, wanted[k][0]) && GTK_IS_NAMED_ACTION (action) &&
                g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), wanted[k][1]))
              found++;
        }
    }

  g_assert_cmpuint (found, ==, G_N_ELEMENTS (wanted));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
leaflet_folded (gpointer data)
{
  return adw_leaflet_get_folded (ADW_LEAFLET (data));
}

static void
test_narrow_window (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window_sized (&app, 360, 720);
  AtcConfigPage *page = open_and_read (window, "demo:g781");
  GtkWidget *leaflet = atc_gui_test_find (GTK_WIDGET (page), ADW_TYPE_LEAFLET, NULL);

  /* Folded: the group list first, then one group at a time. */
  g_assert_true (atc_gui_test_wait (leaflet_folded, leaflet, 2000));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);
  adw_leaflet_set_visible_child_name (ADW_LEAFLET (leaflet), "sidebar");
  atc_gui_test_settle (300);
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "config-narrow-groups"));

  show_group (page, "uart");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (ADW_LEAFLET (leaflet)), ==, "content");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (page)), <=, 400);
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "config-narrow-uart"));

  gtk_editable_set_text (GTK_EDITABLE (param_field (page, "SOCKA.address", ADW_TYPE_ENTRY_ROW)), "my server");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (param_field (page, "UARTFT.time", GTK_TYPE_SPIN_BUTTON)), 200);
  atc_gui_test_settle (300);
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "config-narrow-invalid"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  atc_gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/config/g781-form-shows-unit-values", test_g781_form_shows_unit_values);
  g_test_add_func ("/gui/config/m0-form-shows-unit-values", test_m0_form_shows_unit_values);
  g_test_add_func ("/gui/config/g781-edit-write-verify", test_g781_edit_write_verify);
  g_test_add_func ("/gui/config/m0-entry-write", test_m0_entry_write);
  g_test_add_func ("/gui/config/invalid-blocks-writing", test_invalid_blocks_writing);
  g_test_add_func ("/gui/config/interrupted-write-is-reported", test_interrupted_write_is_reported);
  g_test_add_func ("/gui/config/profile-round-trip", test_profile_round_trip);
  g_test_add_func ("/gui/config/bad-profile-is-explained", test_bad_profile_is_explained);
  g_test_add_func ("/gui/config/factory-reset-after-confirmation", test_factory_reset_after_confirmation);
  g_test_add_func ("/gui/config/restart-keeps-edits", test_restart_keeps_edits);
  g_test_add_func ("/gui/config/narrow-window", test_narrow_window);
  g_test_add_func ("/gui/config/unread-settings-are-marked", test_unread_settings_are_marked);
  g_test_add_func ("/gui/config/stop-reading", test_stop_reading);
  g_test_add_func ("/gui/config/one-line-text", test_one_line_text);
  g_test_add_func ("/gui/config/shortcuts", test_shortcuts);

  return g_test_run ();
}
