/* atc-provision-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-address.h"
#include "atc-app-util.h"
#include "atc-catalog.h"
#include "atc-port-list.h"
#include "atc-provision-page.h"
#include "atc-provision-row.h"
#include "atc-provisioner.h"

struct _AtcProvisionPage
{
  AtcPage               parent_instance;

  GSettings            *settings;
  AtcPortList          *ports;
  GHashTable           *checked;       /* port names ticked */
  GPtrArray            *addresses;     /* char*, as typed */
  GPtrArray            *address_rows;  /* AdwActionRow*, parallel to addresses */

  AtcProfile           *profile;
  GCancellable         *loading;

  AtcProvisioner       *provisioner;
  GCancellable         *running;
  GPtrArray            *unit_rows;     /* AtcProvisionRow*, by provisioner index */
  guint                 finished;
  AtcProvisionReport   *report;
  GFile                *report_file;

  GCancellable         *io;            /* saving and opening the report */
  GtkFileChooserNative *chooser;

  /* template children */
  GtkStack             *stack;
  AdwActionRow         *profile_row;
  AdwActionRow         *model_row;
  AdwActionRow         *settings_row;
  GtkLabel             *settings_label;
  AdwActionRow         *notes_row;
  GtkWidget            *profile_error;
  GtkLabel             *profile_error_heading;
  GtkLabel             *profile_error_message;
  GtkListBox           *port_list;
  AdwPreferencesGroup  *address_group;
  AdwEntryRow          *address_row;
  GtkLabel             *address_error;
  GtkSwitch            *restart_switch;
  GtkLabel             *start_hint;
  AdwPreferencesGroup  *run_group;
  GtkListBox           *unit_list;
  GtkWidget            *cancel_button;
  GtkWidget            *save_button;
  GtkWidget            *open_button;
  GtkWidget            *done_button;
};

G_DEFINE_FINAL_TYPE (AtcProvisionPage, atc_provision_page, ATC_TYPE_PAGE)

/* ------------------------------------------------------------ units */

/* Ticked ports that are still there, in list order, then typed addresses. */
static GPtrArray *
atc_provision_page_collect_units (AtcProvisionPage *self)
{
  GPtrArray *units = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *ports = self->ports ? atc_port_list_get_ports (self->ports) : NULL;

  for (guint i = 0; ports != NULL && i < ports->len; i++)
    {
      const AtcPortInfo *info = g_ptr_array_index (ports, i);

      if (g_hash_table_contains (self->checked, info->name))
        g_ptr_array_add (units, g_strdup (info->name));
    }
  for (guint i = 0; i < self->addresses->len; i++)
    g_ptr_array_add (units, g_strdup (g_ptr_array_index (self->addresses, i)));

  return units;
}

static void
atc_provision_page_update_start (AtcProvisionPage *self)
{
  g_autoptr(GPtrArray) units = atc_provision_page_collect_units (self);
  gboolean running = self->provisioner != NULL;
  g_autofree char *hint = NULL;

  if (self->profile == NULL && gtk_widget_get_visible (self->profile_error))
    hint = g_strdup (_("Fix the profile’s problems, or choose another."));
  else if (self->profile == NULL)
    hint = g_strdup (_("Choose a profile first."));
  else if (units->len == 0)
    hint = g_strdup (_("Tick a serial port or add an address."));
  else
    hint = g_strdup_printf (ngettext ("%u unit will get this profile.",
                                      "%u units will get this profile, all at once.",
                                      units->len),
                            units->len);

  gtk_label_set_text (self->start_hint, hint);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "provision.start",
                                 self->profile != NULL && units->len > 0 && !running);
}

static void
port_toggled_cb (GtkCheckButton   *check,
                 AtcProvisionPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (check), "port-name");

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->checked, g_strdup (name));
  else
    g_hash_table_remove (self->checked, name);

  atc_provision_page_update_start (self);
}

static GtkWidget *
atc_provision_page_port_row (AtcProvisionPage  *self,
                             const AtcPortInfo *info)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autoptr(GString) subtitle = g_string_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (info->description != NULL)
    g_string_append (subtitle, info->description);
  if (info->serial != NULL)
    g_string_append_printf (subtitle, "%s%s %s", subtitle->len ? " · " : "",
                            _("serial number"), info->serial);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (self->checked, info->name));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, info->name, -1);
  g_object_set_data_full (G_OBJECT (check), "port-name", g_strdup (info->name), g_free);
  g_signal_connect_object (check, "toggled", G_CALLBACK (port_toggled_cb), self, 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  return row;
}

static void
atc_provision_page_fill_ports (AtcProvisionPage *self)
{
  GPtrArray *ports = atc_port_list_get_ports (self->ports);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->port_list))) != NULL)
    gtk_list_box_remove (self->port_list, child);

  for (guint i = 0; ports != NULL && i < ports->len; i++)
    gtk_list_box_append (self->port_list, atc_provision_page_port_row (self, g_ptr_array_index (ports, i)));

  atc_provision_page_update_start (self);
}

static void
ports_changed_cb (AtcProvisionPage *self,
                  GPtrArray        *added,
                  GPtrArray        *removed,
                  AtcPortList      *ports)
{
  atc_provision_page_fill_ports (self);
}

static void
remove_address_cb (GtkButton        *button,
                   AtcProvisionPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  guint index;

  if (row == NULL || !g_ptr_array_find (self->address_rows, row, &index))
    return;

  adw_preferences_group_remove (self->address_group, row);
  g_ptr_array_remove_index (self->address_rows, index);
  g_ptr_array_remove_index (self->addresses, index);
  atc_provision_page_update_start (self);
}

static void
atc_provision_page_show_address_error (AtcProvisionPage *self,
                                       const char       *message)
{
  gtk_label_set_text (self->address_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->address_error), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->address_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
}

gboolean
atc_provision_page_add_address (AtcProvisionPage *self,
                                const char       *address)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(AtcAddress) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *remove_label = NULL;
  GtkWidget *row, *remove;

  g_return_val_if_fail (ATC_IS_PROVISION_PAGE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (address));
  if (trimmed[0] == '\0')
    return FALSE;

  /* Checked now, not when an hour of provisioning has started. */
  parsed = atc_address_parse (trimmed, &error);
  if (parsed == NULL)
    {
      atc_provision_page_show_address_error (self, error->message);
      return FALSE;
    }
  atc_provision_page_show_address_error (self, NULL);

  /* The same demo or bridge twice is allowed: that is two units. */
  shown = atc_address_to_string (parsed, FALSE);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  /* Translators: accessible name of the button that drops a unit from the list */
  remove_label = g_strdup_printf (_("Remove %s"), shown);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_widget_add_css_class (remove, "flat");
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_address_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  adw_preferences_group_add (self->address_group, row);
  g_ptr_array_add (self->address_rows, row);
  g_ptr_array_add (self->addresses, g_steal_pointer (&trimmed));
  atc_provision_page_update_start (self);

  return TRUE;
}

static void
address_apply_cb (AtcProvisionPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));

  if (atc_provision_page_add_address (self, text))
    gtk_editable_set_text (GTK_EDITABLE (self->address_row), "");
}

static void
address_changed_cb (AtcProvisionPage *self)
{
  atc_provision_page_show_address_error (self, NULL);
}

static void
refresh_ports_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  AtcProvisionPage *self = ATC_PROVISION_PAGE (widget);

  if (self->ports != NULL)
    atc_port_list_refresh (self->ports);
}

/* ------------------------------------------------------------ profile */

static void
atc_provision_page_show_profile (AtcProvisionPage *self,
                                 AtcProfile       *profile)
{
  AtcModel *model = atc_profile_get_model (profile);
  g_autoptr(GPtrArray) commands = atc_profile_get_commands (profile);
  const char *firmware = atc_profile_get_firmware (profile);
  const char *notes = atc_profile_get_notes (profile);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *model_text = NULL;
  g_autofree char *count = NULL;
  guint n_values = atc_profile_get_n_values (profile);

  if (firmware != NULL)
    /* Translators: "USR-G781, saved from firmware V1.1.05" */
    model_text = g_strdup_printf (_("%s, saved from firmware %s"), atc_model_get_name (model), firmware);
  else
    model_text = g_strdup (atc_model_get_name (model));
  adw_action_row_set_subtitle (self->model_row, model_text);

  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);

      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", command->name);
    }
  count = g_strdup_printf (ngettext ("%u value", "%u values", n_values), n_values);
  gtk_label_set_text (self->settings_label, count);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->settings_row), names->str);

  if (notes != NULL && notes[0] != '\0')
    {
      g_autofree char *escaped = g_markup_escape_text (notes, -1);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->notes_row), escaped);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->model_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->settings_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_row), notes != NULL && notes[0] != '\0');
  gtk_widget_set_visible (self->profile_error, FALSE);
}

static void
atc_provision_page_show_profile_error (AtcProvisionPage *self,
                                       const char       *name,
                                       const GError     *error)
{
  g_autofree char *heading = g_strdup_printf (_("“%s” cannot be used"), name);

  gtk_label_set_text (self->profile_error_heading, heading);
  gtk_label_set_text (self->profile_error_message, error->message);
  gtk_widget_set_visible (self->profile_error, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->model_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->settings_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_row), FALSE);
}

static void
profile_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AtcProvisionPage) self = user_data;
  GFile *file = G_FILE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcProfile) profile = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_basename (file);
  gsize length;

  if (!g_file_load_contents_finish (file, result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
    }
  else
    /* Parsing a profile is quick; only the reading could block. */
    profile = atc_profile_load_data (contents, length, name, NULL, &error);

  g_clear_object (&self->loading);
  adw_action_row_set_subtitle (self->profile_row, name);

  /* A profile that cannot be used is no profile: Start waits for a good one. */
  g_clear_object (&self->profile);
  if (profile == NULL)
    atc_provision_page_show_profile_error (self, name, error);
  else
    {
      self->profile = g_steal_pointer (&profile);
      atc_provision_page_show_profile (self, self->profile);
    }

  atc_provision_page_update_start (self);
}

void
atc_provision_page_load_profile (AtcProvisionPage *self,
                                 GFile            *file)
{
  g_return_if_fail (ATC_IS_PROVISION_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();

  g_file_load_contents_async (file, self->loading, profile_loaded_cb, g_object_ref (self));
}

AtcProfile *
atc_provision_page_get_profile (AtcProvisionPage *self)
{
  g_return_val_if_fail (ATC_IS_PROVISION_PAGE (self), NULL);

  return self->profile;
}

static void
profile_chosen_cb (GtkNativeDialog  *dialog,
                   int               response,
                   AtcProvisionPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      atc_provision_page_load_profile (self, file);
    }

  g_clear_object (&self->chooser);
}

static void
choose_profile_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  AtcProvisionPage *self = ATC_PROVISION_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = atc_app_file_chooser_new (widget, _("Choose a Profile"),
                                            GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"));
  gtk_file_filter_set_name (filter, _("Profiles (JSON)"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (profile_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ------------------------------------------------------------ running */

static void
atc_provision_page_update_run_title (AtcProvisionPage *self)
{
  guint total = self->unit_rows->len;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  if (self->provisioner != NULL)
    {
      title = g_strdup (_("Provisioning…"));
      description = g_strdup_printf (ngettext ("%u of %u unit done", "%u of %u units done", total),
                                     self->finished, total);
    }
  else
    {
      guint ok = 0;

      for (guint i = 0; i < total; i++)
        if (atc_provision_row_get_result (g_ptr_array_index (self->unit_rows, i)) == ATC_PROVISION_OK)
          ok++;

      title = g_strdup (ok == total ? _("Provisioning Done") : _("Provisioning Finished With Problems"));
      if (ok == total)
        description = g_strdup_printf (ngettext ("The unit has the profile. Save the report to keep a record of it.",
                                                 "All %u units have the profile. Save the report to keep a record of them.",
                                                 total),
                                       total);
      else
        description = g_strdup_printf (ngettext ("%u of %u unit provisioned; its row says what went wrong.",
                                                 "%u of %u units provisioned; the rows below say what went wrong.",
                                                 total),
                                       ok, total);
    }

  adw_preferences_group_set_title (self->run_group, title);
  adw_preferences_group_set_description (self->run_group, description);
}

static void
atc_provision_page_set_running (AtcProvisionPage *self,
                                gboolean          running)
{
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_visible (self->save_button, !running);
  gtk_widget_set_visible (self->done_button, !running);
  gtk_widget_set_visible (self->open_button, !running && self->report_file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "provision.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "provision.save-report", !running && self->report != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "provision.open-report", self->report_file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "provision.new-run", !running);
  atc_provision_page_update_start (self);
}

static void
unit_progress_cb (AtcProvisioner   *provisioner,
                  guint             index,
                  int               phase,
                  const char       *command,
                  guint             done,
                  guint             total,
                  AtcProvisionPage *self)
{
  if (index < self->unit_rows->len)
    atc_provision_row_set_progress (g_ptr_array_index (self->unit_rows, index), phase, command, done, total);
}

static void
unit_finished_cb (AtcProvisioner   *provisioner,
                  guint             index,
                  gpointer          entry,
                  AtcProvisionPage *self)
{
  if (index >= self->unit_rows->len)
    return;

  atc_provision_row_set_finished (g_ptr_array_index (self->unit_rows, index), entry);
  self->finished++;
  atc_provision_page_update_run_title (self);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(AtcProvisionPage) self = user_data;
  AtcProvisioner *provisioner = ATC_PROVISIONER (object);
  g_autoptr(AtcProvisionReport) report = NULL;
  g_autoptr(GError) error = NULL;
  guint ok;

  report = atc_provisioner_run_finish (provisioner, result, &error);
  if (self->provisioner != provisioner)
    return;  /* the page went away meanwhile */

  g_signal_handlers_disconnect_by_data (provisioner, self);
  g_clear_object (&self->provisioner);
  g_clear_object (&self->running);

  if (report == NULL)
    {
      atc_provision_page_set_running (self, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "setup");
      atc_page_show_error (ATC_PAGE (self), _("Could Not Start Provisioning"), error);
      return;
    }

  g_set_object (&self->report, report);
  atc_provision_page_update_run_title (self);
  atc_provision_page_set_running (self, FALSE);

  ok = atc_provision_report_count (report, ATC_PROVISION_OK);
  atc_page_toast (ATC_PAGE (self),
                  ngettext ("%u of %u unit provisioned", "%u of %u units provisioned",
                            atc_provision_report_get_entries (report)->len),
                  ok, atc_provision_report_get_entries (report)->len);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AtcProvisionPage *self = ATC_PROVISION_PAGE (widget);
  g_autoptr(GPtrArray) units = atc_provision_page_collect_units (self);
  GtkWidget *child;

  if (self->profile == NULL || units->len == 0 || self->provisioner != NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->unit_list))) != NULL)
    gtk_list_box_remove (self->unit_list, child);
  g_ptr_array_set_size (self->unit_rows, 0);
  self->finished = 0;
  g_clear_object (&self->report);
  g_clear_object (&self->report_file);

  self->provisioner = atc_provisioner_new (self->profile);
  for (guint i = 0; i < units->len; i++)
    {
      const char *address = g_ptr_array_index (units, i);
      g_autoptr(AtcAddress) parsed = atc_address_parse (address, NULL);
      g_autofree char *shown = parsed ? atc_address_to_string (parsed, FALSE) : g_strdup (address);
      GtkWidget *row = atc_provision_row_new (shown);

      atc_provisioner_add_address (self->provisioner, address);
      gtk_list_box_append (self->unit_list, row);
      g_ptr_array_add (self->unit_rows, row);
      /* Every unit starts at once, each on its own connection. */
      atc_provision_row_set_started (ATC_PROVISION_ROW (row));
    }
  atc_provisioner_set_restart (self->provisioner, gtk_switch_get_active (self->restart_switch));

  g_signal_connect_object (self->provisioner, "unit-progress", G_CALLBACK (unit_progress_cb), self, 0);
  g_signal_connect_object (self->provisioner, "unit-finished", G_CALLBACK (unit_finished_cb), self, 0);

  self->running = g_cancellable_new ();
  atc_provision_page_update_run_title (self);
  atc_provision_page_set_running (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "run");

  atc_provisioner_run_async (self->provisioner, self->running, run_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AtcProvisionPage *self = ATC_PROVISION_PAGE (widget);

  /* Each unit stops where it is; the report says how far it got. */
  g_cancellable_cancel (self->running);
}

static void
new_run_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AtcProvisionPage *self = ATC_PROVISION_PAGE (widget);

  if (self->provisioner != NULL)
    return;

  gtk_stack_set_visible_child_name (self->stack, "setup");
}

gboolean
atc_provision_page_get_running (AtcProvisionPage *self)
{
  g_return_val_if_fail (ATC_IS_PROVISION_PAGE (self), FALSE);

  return self->provisioner != NULL;
}

AtcProvisionReport *
atc_provision_page_get_report (AtcProvisionPage *self)
{
  g_return_val_if_fail (ATC_IS_PROVISION_PAGE (self), NULL);

  return self->report;
}

GFile *
atc_provision_page_get_report_file (AtcProvisionPage *self)
{
  g_return_val_if_fail (ATC_IS_PROVISION_PAGE (self), NULL);

  return self->report_file;
}

/* ------------------------------------------------------------ report */

static void
save_report_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;

  /* The run is over: nothing changes the report while it is written. */
  if (atc_provision_report_save (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

typedef struct
{
  AtcProvisionPage *self;
  GFile            *file;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->file);
  g_free (data);
}

static void
report_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SaveData *data = user_data;
  AtcProvisionPage *self = data->self;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        atc_page_show_error (ATC_PAGE (self), _("Could Not Save the Report"), error);
    }
  else
    {
      g_autofree char *name = g_file_get_parse_name (data->file);

      g_set_object (&self->report_file, data->file);
      atc_provision_page_set_running (self, self->provisioner != NULL);
      atc_page_toast (ATC_PAGE (self), _("Report saved to %s"), name);
    }

  save_data_free (data);
}

void
atc_provision_page_save_report (AtcProvisionPage *self,
                                GFile            *file)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (ATC_IS_PROVISION_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->report == NULL)
    return;

  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->file = g_object_ref (file);

  task = g_task_new (self->report, self->io, report_saved_cb, data);
  g_task_set_source_tag (task, atc_provision_page_save_report);
  g_task_set_task_data (task, g_file_get_path (file), g_free);
  g_task_run_in_thread (task, save_report_thread);
}

static void
report_chosen_cb (GtkNativeDialog  *dialog,
                  int               response,
                  AtcProvisionPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *lower = path ? g_ascii_strdown (path, -1) : NULL;

      /* The format follows the name: add the one of the chosen filter. */
      if (lower != NULL && !g_str_has_suffix (lower, ".csv") && !g_str_has_suffix (lower, ".json"))
        {
          GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
          const char *suffix = filter && g_strcmp0 (g_object_get_data (G_OBJECT (filter), "suffix"), ".json") == 0
                               ? ".json" : ".csv";
          g_autofree char *with_suffix = g_strconcat (path, suffix, NULL);

          g_object_unref (file);
          file = g_file_new_for_path (with_suffix);
        }

      if (path != NULL)
        atc_provision_page_save_report (self, file);
    }

  g_clear_object (&self->chooser);
}

static void
save_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AtcProvisionPage *self = ATC_PROVISION_PAGE (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M");
  g_autofree char *name = NULL;
  AtcModel *model = self->report ? atc_profile_get_model (atc_provision_report_get_profile (self->report)) : NULL;

  if (self->chooser != NULL || self->report == NULL)
    return;

  self->chooser = atc_app_file_chooser_new (widget, _("Save Report"),
                                            GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));

  gtk_file_filter_set_name (csv, _("Spreadsheet (CSV)"));
  gtk_file_filter_add_suffix (csv, "csv");
  g_object_set_data (G_OBJECT (csv), "suffix", (gpointer) ".csv");
  gtk_file_filter_set_name (json, _("JSON"));
  gtk_file_filter_add_suffix (json, "json");
  g_object_set_data (G_OBJECT (json), "suffix", (gpointer) ".json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), json);

  name = g_strdup_printf ("provision-%s-%s.csv", model ? atc_model_get_id (model) : "units", stamp);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (report_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
report_opened_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AtcProvisionPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    atc_page_show_error (ATC_PAGE (self), _("Could Not Open the Report"), error);
}

static void
open_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AtcProvisionPage *self = ATC_PROVISION_PAGE (widget);
  g_autoptr(GAppLaunchContext) context = NULL;
  g_autofree char *uri = NULL;

  if (self->report_file == NULL)
    return;

  uri = g_file_get_uri (self->report_file);
  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (widget)));
  g_app_info_launch_default_for_uri_async (uri, context, self->io, report_opened_cb, g_object_ref (self));
}

/* ------------------------------------------------------------ widget */

static void
atc_provision_page_map (GtkWidget *widget)
{
  AtcProvisionPage *self = ATC_PROVISION_PAGE (widget);

  GTK_WIDGET_CLASS (atc_provision_page_parent_class)->map (widget);

  /* Ports are listed (every few seconds) only once the page is seen. */
  if (self->ports == NULL)
    {
      self->ports = atc_port_list_new ();
      g_signal_connect_object (self->ports, "changed", G_CALLBACK (ports_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

static void
atc_provision_page_dispose (GObject *object)
{
  AtcProvisionPage *self = ATC_PROVISION_PAGE (object);

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_cancellable_cancel (self->running);
  g_clear_object (&self->running);
  g_cancellable_cancel (self->io);
  g_clear_object (&self->io);
  if (self->provisioner != NULL)
    g_signal_handlers_disconnect_by_data (self->provisioner, self);
  g_clear_object (&self->provisioner);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->ports != NULL)
    g_signal_handlers_disconnect_by_data (self->ports, self);
  g_clear_object (&self->ports);
  g_clear_object (&self->settings);

  /* The stack is both a template child and the bin's child: detach it
   * from the bin first so it is unparented once. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ATC_TYPE_PROVISION_PAGE);

  G_OBJECT_CLASS (atc_provision_page_parent_class)->dispose (object);
}

static void
atc_provision_page_finalize (GObject *object)
{
  AtcProvisionPage *self = ATC_PROVISION_PAGE (object);

  g_clear_pointer (&self->checked, g_hash_table_unref);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_clear_pointer (&self->address_rows, g_ptr_array_unref);
  g_clear_pointer (&self->unit_rows, g_ptr_array_unref);
  g_clear_object (&self->profile);
  g_clear_object (&self->report);
  g_clear_object (&self->report_file);

  G_OBJECT_CLASS (atc_provision_page_parent_class)->finalize (object);
}

static void
atc_provision_page_class_init (AtcProvisionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atc_provision_page_dispose;
  object_class->finalize = atc_provision_page_finalize;
  widget_class->map = atc_provision_page_map;

  g_type_ensure (ATC_TYPE_PROVISION_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-provision-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, profile_row);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, model_row);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, settings_row);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, settings_label);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, notes_row);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, profile_error);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, profile_error_heading);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, profile_error_message);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, port_list);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, address_group);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, address_error);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, restart_switch);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, start_hint);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, run_group);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, unit_list);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionPage, done_button);
  gtk_widget_class_bind_template_callback (widget_class, address_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, address_changed_cb);

  gtk_widget_class_install_action (widget_class, "provision.choose-profile", NULL, choose_profile_action);
  gtk_widget_class_install_action (widget_class, "provision.refresh-ports", NULL, refresh_ports_action);
  gtk_widget_class_install_action (widget_class, "provision.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "provision.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "provision.save-report", NULL, save_report_action);
  gtk_widget_class_install_action (widget_class, "provision.open-report", NULL, open_report_action);
  gtk_widget_class_install_action (widget_class, "provision.new-run", NULL, new_run_action);
}

static void
atc_provision_page_init (AtcProvisionPage *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->addresses = g_ptr_array_new_with_free_func (g_free);
  self->address_rows = g_ptr_array_new ();
  self->unit_rows = g_ptr_array_new ();
  self->io = g_cancellable_new ();

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "restart-after-write", self->restart_switch, "active", G_SETTINGS_BIND_DEFAULT);

  placeholder = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (placeholder), _("No serial ports found"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (placeholder),
                               _("Plug in a USB serial adapter; the list updates by itself."));
  gtk_list_box_set_placeholder (self->port_list, placeholder);

  atc_provision_page_set_running (self, FALSE);
}
