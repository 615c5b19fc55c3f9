/* atc-config-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-app-util.h"
#include "atc-applier.h"
#include "atc-application.h"
#include "atc-command-group.h"
#include "atc-config-diff.h"
#include "atc-config-page.h"
#include "atc-config-reader.h"
#include "atc-profile.h"
#include "atc-script.h"
#include "atc-write-dialog.h"

/* What happens to edits when the unit is read again. */
typedef enum {
  CARRY_NONE,      /* start from what the unit holds */
  CARRY_EXPLICIT,  /* keep every value typed or loaded */
  CARRY_PENDING,   /* keep only what the unit still does not hold */
} CarryMode;

typedef enum {
  BUSY_NONE,
  BUSY_READING,
  BUSY_WRITING,
  BUSY_RESTARTING,
} BusyState;

/* One command group of the model: a sidebar row and a page. */
typedef struct
{
  const AtcGroup *group;
  GtkWidget      *page;
  GtkWidget      *row;
  GtkWidget      *badge;
  GtkWidget      *warning;
  GtkWidget      *title;
} Section;

struct _AtcConfigPage
{
  AtcPage               parent_instance;

  GCancellable         *life;        /* until dispose: file I/O */
  GCancellable         *op;          /* the unit operation under way */
  BusyState             busy;
  guint                 pulse_id;

  AtcModel             *model;       /* of the form */
  AtcConfig            *unit;
  AtcConfig            *edited;
  AtcConfig            *discarded;   /* for the Undo of Discard All */
  gboolean              offline;     /* a profile without a unit */
  gboolean              disposed;
  char                 *profile_name;
  GDateTime            *read_time;

  GPtrArray            *sections;    /* Section* */
  GHashTable           *editors;     /* "CMD/param" -> AtcParamEditor (owned by its group) */
  GHashTable           *groups;      /* command name -> AtcCommandGroup */
  guint                 n_changes;
  guint                 n_invalid;   /* invalid fields in commands that would be sent */
  guint                 n_problems;  /* any invalid field */

  AtcWriteDialog       *write_dialog;
  GtkNativeDialog      *chooser;

  /* template children */
  GtkStack             *stack;
  AdwStatusPage        *failed_status;
  GtkProgressBar       *loading_progress;
  GtkWidget            *back_button;
  GtkLabel             *status_title;
  GtkLabel             *status_subtitle;
  GtkWidget            *discard_button;
  GtkWidget            *write_button;
  GtkProgressBar       *busy_progress;
  GtkRevealer          *problems_revealer;
  GtkLabel             *problems_heading;
  GtkBox               *problems_box;
  AdwLeaflet           *leaflet;
  GtkListBox           *facts_list;
  GtkListBox           *group_list;
  GtkStack             *group_stack;
};

G_DEFINE_FINAL_TYPE (AtcConfigPage, atc_config_page, ATC_TYPE_PAGE)

static void atc_config_page_read    (AtcConfigPage *self,
                                     CarryMode      carry);
static void atc_config_page_refresh (AtcConfigPage *self);

static void
section_free (gpointer data)
{
  g_free (data);
}

static char *
editor_key (const char *command,
            const char *param)
{
  return g_strconcat (command, "/", param, NULL);
}

static GSettings *
atc_config_page_get_settings (AtcConfigPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  return ATC_IS_APPLICATION (app) ? atc_application_get_settings (ATC_APPLICATION (app)) : NULL;
}

static GtkWindow *
atc_config_page_get_window (AtcConfigPage *self)
{
  return atc_app_get_window (GTK_WIDGET (self));
}

static gboolean
same_model (AtcModel *a,
            AtcModel *b)
{
  return a != NULL && b != NULL && g_str_equal (atc_model_get_id (a), atc_model_get_id (b));
}

/* The commands that would restore settings: CLEAR is the factory reset
 * where a model has it (G781), and RELD then restores the user defaults
 * saved with CFGTF; a model without CLEAR (M0) resets to factory with
 * RELD. */
static const char *
factory_reset_command (AtcModel *model)
{
  if (model == NULL)
    return NULL;
  if (atc_model_lookup (model, "CLEAR") != NULL)
    return "CLEAR";
  if (atc_model_lookup (model, "RELD") != NULL)
    return "RELD";
  return NULL;
}

static const char *
user_defaults_command (AtcModel *model)
{
  if (model != NULL && atc_model_lookup (model, "CLEAR") != NULL &&
      atc_model_lookup (model, "RELD") != NULL)
    return "RELD";
  return NULL;
}

/* "UARTFT: 5 is below the minimum 10 ms" under the packing interval
 * field reads better as "5 is below the minimum 10 ms", and "SOCKA:
 * server address 'a b' is not …" under the server address as "'a b' is
 * not …". */
static char *
problem_text (const AtcCommand *command,
              const AtcParam   *param,
              const GError     *error)
{
  const char *message = error->message;
  gsize len = strlen (command->name);
  char *text;

  if (len > 0 && strncmp (message, command->name, len) == 0 &&
      message[len] == ':' && message[len + 1] == ' ')
    message += len + 2;

  if (command->params->len > 1 && param->label != NULL)
    {
      gsize label_len = strlen (param->label);

      if (g_ascii_strncasecmp (message, param->label, label_len) == 0 &&
          message[label_len] == ' ' && message[label_len + 1] == '\'')
        message += label_len + 1;
    }

  text = g_strdup (message);
  text[0] = g_ascii_toupper (text[0]);
  return text;
}

/* State */

static void
update_actions (AtcConfigPage *self)
{
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean idle = self->busy == BUSY_NONE;
  gboolean connected = session != NULL && !self->offline && self->unit != NULL;
  AtcModel *unit_model = session ? atc_session_get_model (session) : NULL;
  gboolean can_write;
  g_autofree char *tooltip = NULL;

  if (self->disposed)
    return;

  can_write = connected && idle && self->n_changes > 0 && self->n_invalid == 0 &&
              same_model (unit_model, self->model);

  gtk_widget_action_set_enabled (widget, "config.read", session != NULL && idle);
  gtk_widget_action_set_enabled (widget, "config.stop", self->busy == BUSY_READING);
  gtk_widget_action_set_enabled (widget, "config.write", can_write);
  gtk_widget_action_set_enabled (widget, "config.discard", idle && self->n_changes > 0);
  gtk_widget_action_set_enabled (widget, "config.restart", session != NULL && idle &&
                                 unit_model != NULL && atc_model_get_restart_command (unit_model) != NULL);
  gtk_widget_action_set_enabled (widget, "config.restore-defaults", session != NULL && idle &&
                                 user_defaults_command (unit_model) != NULL);
  gtk_widget_action_set_enabled (widget, "config.factory-reset", session != NULL && idle &&
                                 factory_reset_command (unit_model) != NULL);
  gtk_widget_action_set_enabled (widget, "config.load-profile", idle);
  gtk_widget_action_set_enabled (widget, "config.save-profile", idle && self->edited != NULL);
  gtk_widget_action_set_enabled (widget, "config.export-script", idle && self->edited != NULL);

  /* Say why Write is off: an insensitive button alone explains nothing. */
  if (session == NULL)
    tooltip = g_strdup (_("Connect a unit to write these settings to it"));
  else if (!idle)
    tooltip = g_strdup (_("Wait for the unit to finish"));
  else if (!same_model (unit_model, self->model))
    tooltip = g_strdup (_("These settings are for another model; read the unit first"));
  else if (self->n_invalid > 0)
    tooltip = g_strdup_printf (ngettext ("Fix the invalid field first",
                                         "Fix the %u invalid fields first",
                                         self->n_invalid),
                               self->n_invalid);
  else if (self->n_changes == 0)
    tooltip = g_strdup (_("No changes to write"));
  else
    tooltip = g_strdup (_("Review the commands, then write them (Ctrl+Return)"));
  gtk_widget_set_tooltip_text (self->write_button, tooltip);
}

static void
update_status (AtcConfigPage *self)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  gboolean content_only;
  GtkWidget *visible;

  /* Signals from children being torn down arrive here too. */
  if (self->disposed)
    return;

  content_only = adw_leaflet_get_folded (self->leaflet) &&
                 g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "content") == 0;
  visible = gtk_stack_get_visible_child (self->group_stack);
  if (self->n_changes == 0)
    title = g_strdup (self->offline ? _("Same as the defaults") : _("No changes"));
  else if (self->offline)
    title = g_strdup_printf (ngettext ("%u change from the defaults", "%u changes from the defaults",
                                       self->n_changes),
                             self->n_changes);
  else
    title = g_strdup_printf (ngettext ("%u change", "%u changes", self->n_changes), self->n_changes);

  if (content_only && visible != NULL)
    /* Folded, the group list is out of sight: name the group shown. */
    subtitle = g_strdup (adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (visible)));
  else if (self->busy == BUSY_READING)
    subtitle = g_strdup (_("Reading the unit…"));
  else if (self->busy == BUSY_WRITING)
    subtitle = g_strdup (_("Writing…"));
  else if (self->busy == BUSY_RESTARTING)
    {
      AtcSession *session = atc_page_get_session (ATC_PAGE (self));
      AtcModel *model = session ? atc_session_get_model (session) : NULL;
      guint seconds = model ? (atc_model_get_reboot_ms (model) + 999) / 1000 : 0;

      /* A G781 needs up to a minute: say so, or it looks stuck. */
      subtitle = g_strdup_printf (ngettext ("Waiting for the unit to restart (up to %u second)…",
                                            "Waiting for the unit to restart (up to %u seconds)…",
                                            seconds),
                                  seconds);
    }
  else if (self->offline)
    subtitle = g_strdup_printf (_("%s profile · No unit connected"),
                                self->profile_name ? self->profile_name : atc_model_get_name (self->model));
  else if (self->model != NULL && self->read_time != NULL)
    {
      g_autofree char *time = g_date_time_format (self->read_time, "%X");

      /* TRANSLATORS: "USR-G781 · Read at 14:03:12" */
      subtitle = g_strdup_printf (_("%s · Read at %s"), atc_model_get_name (self->model), time);
    }

  gtk_label_set_text (self->status_title, title);
  gtk_label_set_text (self->status_subtitle, subtitle ? subtitle : "");
  /* Folded, the status needs the room; Discard stays in the menu. */
  gtk_widget_set_visible (self->discard_button, self->n_changes > 0 &&
                                                !adw_leaflet_get_folded (self->leaflet));
  gtk_widget_set_visible (self->back_button, content_only);
}

static gboolean
pulse_cb (gpointer data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (data));
  return G_SOURCE_CONTINUE;
}

static void
set_busy (AtcConfigPage *self,
          BusyState      busy)
{
  self->busy = busy;
  if (self->disposed)
    return;

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->busy_progress), busy == BUSY_READING || busy == BUSY_RESTARTING);
  gtk_progress_bar_set_fraction (self->busy_progress, 0);
  if (busy == BUSY_RESTARTING)
    self->pulse_id = g_timeout_add (150, pulse_cb, self->busy_progress);

  /* The form shows the unit's values; editing them while they are being
   * replaced would lose the edit. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->leaflet), busy == BUSY_NONE || busy == BUSY_WRITING);

  update_actions (self);
  update_status (self);
}

/* Problems */

static gboolean
scroll_to_row_cb (GtkWidget     *row,
                  GdkFrameClock *clock,
                  gpointer       data)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = scrolled ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)) : NULL;
  GtkAdjustment *adjustment;
  double x, y;

  if (content == NULL || !gtk_widget_translate_coordinates (row, content, 0, 0, &x, &y))
    return G_SOURCE_REMOVE;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, MAX (0, y - 48));
  return G_SOURCE_REMOVE;
}

static void
problem_clicked_cb (GtkButton     *button,
                    AtcConfigPage *self)
{
  AtcParamEditor *editor = g_object_get_data (G_OBJECT (button), "editor");
  const AtcCommand *command = atc_param_editor_get_command (editor);

  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      if (g_str_equal (section->group->id, command->group))
        {
          gtk_list_box_select_row (self->group_list, GTK_LIST_BOX_ROW (section->row));
          adw_leaflet_set_visible_child_name (self->leaflet, "content");
          break;
        }
    }

  atc_param_editor_focus (editor);
  /* After the page switch is laid out, bring the field and its message
   * well into view, not just to the bottom edge. */
  gtk_widget_add_tick_callback (atc_param_editor_get_row (editor), scroll_to_row_cb, NULL, NULL);
}

static void
update_problems (AtcConfigPage *self,
                 GPtrArray     *blocking)
{
  const guint shown_max = 5;
  g_autofree char *heading = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_box))) != NULL)
    gtk_box_remove (self->problems_box, child);

  gtk_revealer_set_reveal_child (self->problems_revealer, blocking->len > 0);
  if (blocking->len == 0)
    return;

  heading = g_strdup_printf (ngettext ("%u field needs fixing before writing",
                                       "%u fields need fixing before writing", blocking->len),
                             blocking->len);
  gtk_label_set_text (self->problems_heading, heading);

  for (guint i = 0; i < MIN (blocking->len, shown_max); i++)
    {
      AtcParamEditor *editor = g_ptr_array_index (blocking, i);
      const AtcCommand *command = atc_param_editor_get_command (editor);
      const AtcParam *param = atc_param_editor_get_param (editor);
      AtcCommandGroup *group = g_hash_table_lookup (self->groups, command->name);
      g_autofree char *text = NULL;

      /* "Server address" alone could be any of five: name the setting. */
      if (command->params->len > 1 && group != NULL)
        text = g_strdup_printf ("%s · %s: %s", atc_command_group_get_heading (group), param->label,
                                atc_param_editor_get_problem (editor));
      else
        text = g_strdup_printf ("%s: %s", param->label, atc_param_editor_get_problem (editor));
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *button = gtk_button_new ();

      /* Each line takes the technician to the field. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Go to the Field"));
      g_object_set_data (G_OBJECT (button), "editor", editor);
      g_signal_connect_object (button, "clicked", G_CALLBACK (problem_clicked_cb), self, 0);
      gtk_box_append (self->problems_box, button);
    }

  if (blocking->len > shown_max)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("and %u more", "and %u more",
                                                         blocking->len - shown_max),
                                               blocking->len - shown_max);
      GtkWidget *label = gtk_label_new (more);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 12);
      gtk_box_append (self->problems_box, label);
    }
}

/* Marks, counts and problems from the diff between the unit and the
 * edited copy. Values are left alone: the technician may be typing. */
static void
atc_config_page_refresh (AtcConfigPage *self)
{
  g_autoptr(AtcConfigDiff) diff = NULL;
  g_autoptr(GHashTable) changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) changed_commands = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) blocking = g_ptr_array_new ();
  GPtrArray *changes;

  self->n_changes = 0;
  self->n_invalid = 0;
  self->n_problems = 0;

  if (self->unit == NULL || self->edited == NULL)
    {
      update_problems (self, blocking);
      update_actions (self);
      update_status (self);
      return;
    }

  diff = atc_config_diff_new (self->unit, self->edited);
  changes = atc_config_diff_get_changes (diff);
  self->n_changes = changes->len;
  for (guint i = 0; i < changes->len; i++)
    {
      const AtcConfigChange *change = g_ptr_array_index (changes, i);

      g_hash_table_add (changed, editor_key (change->command->name, change->param->name));
      g_hash_table_add (changed_commands, change->command->name);
    }

  for (guint s = 0; s < self->sections->len; s++)
    {
      Section *section = g_ptr_array_index (self->sections, s);
      GPtrArray *commands = atc_model_get_commands (self->model);
      guint section_changes = 0;
      guint section_problems = 0;
      guint section_unread = 0;
      g_autofree char *badge = NULL;
      g_autofree char *accessible = NULL;

      for (guint g = 0; g < commands->len; g++)
        {
          const AtcCommand *command = g_ptr_array_index (commands, g);
          AtcCommandGroup *group;
          const GError *read_error;
          GPtrArray *editors;

          if (!g_str_equal (command->group, section->group->id) ||
              (group = g_hash_table_lookup (self->groups, command->name)) == NULL)
            continue;

          read_error = self->offline ? NULL : atc_config_get_read_error (self->unit, command->name);
          atc_command_group_set_read_error (group, read_error);
          section_unread += read_error != NULL;

          editors = atc_command_group_get_editors (group);
          for (guint e = 0; e < editors->len; e++)
            {
              AtcParamEditor *editor = g_ptr_array_index (editors, e);
              const AtcParam *param = atc_param_editor_get_param (editor);
              g_autofree char *key = editor_key (command->name, param->name);
              const GError *error = atc_config_get_value_error (self->edited, command->name, param->name);
              gboolean is_changed = g_hash_table_contains (changed, key);
              g_autofree char *problem = error ? problem_text (command, param, error) : NULL;

              atc_param_editor_set_problem (editor, problem);
              atc_param_editor_set_changed (editor, is_changed,
                                            atc_config_get_value (self->unit, command->name, param->name),
                                            !self->offline);
              section_changes += is_changed;
              if (problem != NULL)
                {
                  section_problems++;
                  self->n_problems++;
                  if (g_hash_table_contains (changed_commands, command->name))
                    g_ptr_array_add (blocking, editor);
                }
            }
        }

      badge = section_changes > 0 ? g_strdup_printf ("%u", section_changes) : NULL;
      gtk_label_set_text (GTK_LABEL (section->badge), badge ? badge : "");
      gtk_widget_set_visible (section->badge, section_changes > 0);
      /* The sidebar points at what needs a look: invalid fields first,
       * then settings the unit did not answer for. */
      gtk_widget_set_visible (section->warning, section_problems > 0 || section_unread > 0);
      if (section_problems > 0)
        {
          gtk_widget_remove_css_class (section->warning, "warning");
          gtk_widget_add_css_class (section->warning, "error");
          gtk_widget_set_tooltip_text (section->warning, _("Some Fields Are Invalid"));
        }
      else
        {
          gtk_widget_remove_css_class (section->warning, "error");
          gtk_widget_add_css_class (section->warning, "warning");
          gtk_widget_set_tooltip_text (section->warning, _("Some Settings Could Not Be Read"));
        }

      accessible = g_strdup_printf (ngettext ("%s, %u change", "%s, %u changes", section_changes),
                                    section->group->title, section_changes);
      gtk_accessible_update_property (GTK_ACCESSIBLE (section->row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
    }

  self->n_invalid = blocking->len;
  update_problems (self, blocking);
  update_actions (self);
  update_status (self);
}

/* Puts the edited values into the fields. */
static void
sync_values (AtcConfigPage *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->editors);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      AtcParamEditor *editor = value;

      atc_param_editor_set_value (editor,
                                  atc_config_get_value (self->edited,
                                                        atc_param_editor_get_command (editor)->name,
                                                        atc_param_editor_get_param (editor)->name));
    }

  atc_config_page_refresh (self);
}

/* Building the form */

static GtkWidget *
fact_row (const char *title,
          const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "fact-row");
  return row;
}

static void
fill_facts (AtcConfigPage *self)
{
  GtkWidget *child;
  GPtrArray *facts;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->facts_list))) != NULL)
    gtk_list_box_remove (self->facts_list, child);

  if (self->unit == NULL)
    return;

  if (self->offline)
    {
      gtk_list_box_append (self->facts_list, fact_row (_("Profile"), self->profile_name ? self->profile_name : ""));
      gtk_list_box_append (self->facts_list, fact_row (_("Model"), atc_model_get_name (self->model)));
      return;
    }

  gtk_list_box_append (self->facts_list, fact_row (_("Model"), atc_model_get_name (self->model)));

  /* Identity facts are read-only: they tell which unit this is. */
  facts = atc_config_get_fact_commands (self->unit);
  for (guint i = 0; i < facts->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (facts, i);
      const AtcParam *param = command->params->len > 0 ? g_ptr_array_index (command->params, 0) : NULL;
      const char *value = atc_config_get_fact (self->unit, command->name);
      GtkWidget *row = fact_row (param && param->label ? param->label : command->name,
                                 value ? value : _("Not read"));

      gtk_widget_set_name (row, command->name);
      gtk_list_box_append (self->facts_list, row);
    }
}

static void
editor_edited_cb (AtcParamEditor *editor,
                  const char     *value,
                  AtcConfigPage  *self)
{
  if (self->edited == NULL)
    return;

  /* Stored even when invalid, with its error: the field keeps what was
   * typed and says what is wrong. */
  atc_config_set_value (self->edited,
                        atc_param_editor_get_command (editor)->name,
                        atc_param_editor_get_param (editor)->name,
                        value, ATC_VALUE_SOURCE_EDITED, NULL);
  atc_config_page_refresh (self);
}

static void
editor_undo_cb (AtcParamEditor *editor,
                AtcConfigPage  *self)
{
  const char *command = atc_param_editor_get_command (editor)->name;
  const char *param = atc_param_editor_get_param (editor)->name;

  if (self->edited == NULL || self->unit == NULL)
    return;

  atc_config_set_value (self->edited, command, param,
                        atc_config_get_value (self->unit, command, param),
                        atc_config_get_source (self->unit, command, param), NULL);
  atc_param_editor_set_value (editor, atc_config_get_value (self->edited, command, param));
  atc_config_page_refresh (self);
}

static void
clear_form (AtcConfigPage *self)
{
  GtkWidget *child;

  g_hash_table_remove_all (self->editors);
  g_hash_table_remove_all (self->groups);

  /* Rows point at their sections: remove them first. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->group_list))) != NULL)
    gtk_list_box_remove (self->group_list, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->group_stack))) != NULL)
    gtk_stack_remove (self->group_stack, child);
  g_ptr_array_set_size (self->sections, 0);

  g_clear_object (&self->model);
}

static GtkWidget *
section_row (Section *section)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  section->title = gtk_label_new (section->group->title);
  gtk_label_set_xalign (GTK_LABEL (section->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (section->title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (section->title, TRUE);

  section->warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (section->warning, "error");
  gtk_widget_set_tooltip_text (section->warning, _("Some Fields Are Invalid"));
  gtk_widget_set_visible (section->warning, FALSE);

  section->badge = gtk_label_new (NULL);
  gtk_widget_add_css_class (section->badge, "accent");
  gtk_widget_add_css_class (section->badge, "numeric");
  gtk_widget_set_tooltip_text (section->badge, _("Changed Settings"));
  gtk_widget_set_visible (section->badge, FALSE);

  gtk_box_append (GTK_BOX (box), section->title);
  gtk_box_append (GTK_BOX (box), section->warning);
  gtk_box_append (GTK_BOX (box), section->badge);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, section->group->id);
  g_object_set_data (G_OBJECT (row), "section", section);

  return row;
}

static void
build_form (AtcConfigPage *self,
            AtcConfig     *config)
{
  AtcModel *model = atc_config_get_model (config);
  GPtrArray *groups = atc_model_get_groups (model);
  GPtrArray *settings = atc_config_get_commands (config);

  clear_form (self);
  self->model = g_object_ref (model);

  for (guint i = 0; i < groups->len; i++)
    {
      const AtcGroup *group = g_ptr_array_index (groups, i);
      Section *section = NULL;

      for (guint c = 0; c < settings->len; c++)
        {
          const AtcCommand *command = g_ptr_array_index (settings, c);
          GtkWidget *widget;
          GPtrArray *editors;

          if (!g_str_equal (command->group, group->id))
            continue;

          if (section == NULL)
            {
              section = g_new0 (Section, 1);
              section->group = group;
              section->page = adw_preferences_page_new ();
              adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (section->page), group->title);
              adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (section->page), group->id);
              gtk_stack_add_named (self->group_stack, section->page, group->id);
              section->row = section_row (section);
              gtk_list_box_append (self->group_list, section->row);
              g_ptr_array_add (self->sections, section);
            }

          widget = atc_command_group_new (model, command);
          adw_preferences_page_add (ADW_PREFERENCES_PAGE (section->page), ADW_PREFERENCES_GROUP (widget));
          g_hash_table_insert (self->groups, (gpointer) command->name, widget);

          editors = atc_command_group_get_editors (ATC_COMMAND_GROUP (widget));
          for (guint e = 0; e < editors->len; e++)
            {
              AtcParamEditor *editor = g_ptr_array_index (editors, e);

              g_hash_table_insert (self->editors,
                                   editor_key (command->name, atc_param_editor_get_param (editor)->name),
                                   editor);
              g_signal_connect_object (editor, "edited", G_CALLBACK (editor_edited_cb), self, 0);
              g_signal_connect_object (editor, "undo", G_CALLBACK (editor_undo_cb), self, 0);
            }
        }
    }

  if (self->sections->len > 0)
    {
      Section *first = g_ptr_array_index (self->sections, 0);

      gtk_list_box_select_row (self->group_list, GTK_LIST_BOX_ROW (first->row));
    }
}

/* Replaces what the form shows. */
static void
show_configs (AtcConfigPage *self,
              AtcConfig     *unit,
              AtcConfig     *edited)
{
  if (!same_model (self->model, atc_config_get_model (unit)))
    build_form (self, unit);

  g_set_object (&self->unit, unit);
  g_set_object (&self->edited, edited);

  fill_facts (self);
  sync_values (self);
  gtk_stack_set_visible_child_name (self->stack, "content");
}

static void
clear_configs (AtcConfigPage *self)
{
  g_clear_object (&self->discarded);
  g_clear_object (&self->unit);
  g_clear_object (&self->edited);
  g_clear_pointer (&self->profile_name, g_free);
  g_clear_pointer (&self->read_time, g_date_time_unref);
  self->offline = FALSE;
  fill_facts (self);
  atc_config_page_refresh (self);
}

/* Reading */

typedef struct
{
  AtcConfigPage *self;
  GCancellable  *op;
  CarryMode      carry;
} OpData;

static OpData *
op_data_new (AtcConfigPage *self,
             CarryMode      carry)
{
  OpData *data = g_new0 (OpData, 1);

  data->self = g_object_ref (self);
  data->op = g_object_ref (self->op);
  data->carry = carry;
  return data;
}

static void
op_data_free (OpData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->op);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpData, op_data_free)

/* Whether a finished operation still matters: a newer one, or a new
 * session, replaced it. */
static gboolean
op_is_current (OpData *data)
{
  return data->self->op == data->op && !g_cancellable_is_cancelled (data->op);
}

static void
start_op (AtcConfigPage *self)
{
  g_cancellable_cancel (self->op);
  g_clear_object (&self->op);
  self->op = g_cancellable_new ();
}

static void
read_progress_cb (AtcConfigPage   *self,
                  guint            done,
                  guint            total,
                  const char      *command,
                  AtcConfigReader *reader)
{
  g_autofree char *text = NULL;
  double fraction = total > 0 ? (double) done / total : 0;

  text = g_strdup_printf (_("Read %s (%u of %u)"), command, done, total);
  gtk_progress_bar_set_text (self->loading_progress, text);
  gtk_progress_bar_set_fraction (self->loading_progress, fraction);
  gtk_progress_bar_set_fraction (self->busy_progress, fraction);
}

static AtcConfig *
carry_edits (AtcConfigPage *self,
             AtcConfig     *unit,
             CarryMode      carry)
{
  AtcConfig *edited = atc_config_copy (unit);
  GPtrArray *commands;

  if (carry == CARRY_NONE || self->edited == NULL)
    return edited;

  if (!same_model (atc_config_get_model (self->edited), atc_config_get_model (unit)))
    {
      if (self->offline)
        atc_page_toast (ATC_PAGE (self), _("The profile is for the %s, not for this %s: its values were left out"),
                        atc_model_get_name (atc_config_get_model (self->edited)),
                        atc_model_get_name (atc_config_get_model (unit)));
      return edited;
    }

  commands = atc_config_get_commands (unit);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);

      for (guint j = 0; j < command->params->len; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);
          AtcValueSource source = atc_config_get_source (self->edited, command->name, param->name);
          const char *value = atc_config_get_value (self->edited, command->name, param->name);

          if (source != ATC_VALUE_SOURCE_EDITED && source != ATC_VALUE_SOURCE_PROFILE)
            continue;
          if (carry == CARRY_PENDING &&
              g_strcmp0 (value, atc_config_get_value (unit, command->name, param->name)) == 0)
            continue;

          atc_config_set_value (edited, command->name, param->name, value, source, NULL);
        }
    }

  return edited;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OpData) data = user_data;
  AtcConfigPage *self = data->self;
  g_autoptr(AtcConfig) config = NULL;
  g_autoptr(AtcConfig) edited = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) failed = NULL;
  gboolean had_form = self->unit != NULL && !self->offline;

  config = atc_config_reader_read_finish (ATC_CONFIG_READER (object), result, &error);

  /* Replaced by a newer operation or a new session; a cancelled current
   * one is the technician's Stop. */
  if (self->op != data->op)
    return;

  set_busy (self, BUSY_NONE);

  if (config == NULL)
    {
      g_autofree char *description = NULL;

      /* Status page descriptions are markup. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        description = g_markup_escape_text (_("Reading was stopped. The form shows nothing until the unit has been read."), -1);
      else
        description = g_markup_printf_escaped (_("%s\n\nCheck that the unit is powered and connected, then try again."),
                                               error->message);

      if (had_form)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            atc_page_show_error (ATC_PAGE (self), _("Could Not Read the Unit"), error);
          return;
        }

      adw_status_page_set_description (self->failed_status, description);
      gtk_stack_set_visible_child_name (self->stack, "failed");
      return;
    }

  edited = carry_edits (self, config, data->carry);
  g_clear_object (&self->discarded);
  self->offline = FALSE;
  g_clear_pointer (&self->profile_name, g_free);
  g_clear_pointer (&self->read_time, g_date_time_unref);
  self->read_time = g_date_time_new_now_local ();
  show_configs (self, config, edited);

  failed = atc_config_get_failed_reads (config);
  if (failed != NULL && failed[0] != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", failed);
      guint n = g_strv_length (failed);

      if (n == 1)
        atc_page_toast (ATC_PAGE (self), _("Could not read %s; it is marked in the form"), names);
      else
        atc_page_toast (ATC_PAGE (self),
                        ngettext ("Could not read %u setting (%s); it is marked in the form",
                                  "Could not read %u settings (%s); they are marked in the form", n),
                        n, names);
    }
}

static void
atc_config_page_read (AtcConfigPage *self,
                      CarryMode      carry)
{
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  g_autoptr(AtcConfigReader) reader = NULL;

  if (session == NULL)
    return;

  start_op (self);
  set_busy (self, BUSY_READING);

  gtk_progress_bar_set_fraction (self->loading_progress, 0);
  gtk_progress_bar_set_text (self->loading_progress, _("Connecting…"));
  if (self->unit == NULL || self->offline)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  reader = atc_config_reader_new (session);
  g_signal_connect_object (reader, "progress", G_CALLBACK (read_progress_cb), self, G_CONNECT_SWAPPED);
  atc_config_reader_read_async (reader, self->op, read_cb, op_data_new (self, carry));
}

/* Writing */

static void
write_applied_cb (AtcWriteDialog *dialog,
                  AtcApplyReport *report,
                  AtcConfigPage  *self)
{
  if (self->busy != BUSY_WRITING)
    return;

  set_busy (self, BUSY_NONE);

  /* The form must show what the unit holds now; what it refused stays
   * marked as a change. */
  if (report != NULL)
    atc_config_page_read (self, CARRY_PENDING);
}

static void
write_dialog_destroy_cb (AtcWriteDialog *dialog,
                         AtcConfigPage  *self)
{
  if (self->write_dialog == dialog)
    self->write_dialog = NULL;
  if (self->busy == BUSY_WRITING)
    set_busy (self, BUSY_NONE);
}

static void
atc_config_page_write (AtcConfigPage *self)
{
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(GError) error = NULL;

  if (session == NULL || self->unit == NULL || self->busy != BUSY_NONE)
    return;

  if (self->n_invalid > 0)
    {
      atc_page_toast (ATC_PAGE (self), ngettext ("Nothing written: fix the invalid field first",
                                                 "Nothing written: fix the %u invalid fields first",
                                                 self->n_invalid),
                      self->n_invalid);
      return;
    }

  /* The dialog works on a snapshot: the form may change behind it. */
  target = atc_config_copy (self->edited);
  applier = atc_applier_new (session, self->unit, target);
  if (!atc_applier_check (applier, &error))
    {
      atc_page_show_error (ATC_PAGE (self), _("These Changes Cannot Be Written"), error);
      return;
    }

  self->write_dialog = atc_write_dialog_new (atc_config_page_get_window (self), applier,
                                             atc_config_page_get_settings (self));
  g_signal_connect_object (self->write_dialog, "applied", G_CALLBACK (write_applied_cb), self, 0);
  g_signal_connect_object (self->write_dialog, "destroy", G_CALLBACK (write_dialog_destroy_cb), self, 0);
  set_busy (self, BUSY_WRITING);
  gtk_window_present (GTK_WINDOW (self->write_dialog));
}

/* Restart and resets */

typedef enum {
  UNIT_RESTART,
  UNIT_RESTORE_DEFAULTS,
  UNIT_FACTORY_RESET,
} UnitOperation;

static void
unit_operation_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OpData) data = user_data;
  AtcConfigPage *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcReply) reply = NULL;
  UnitOperation operation = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (data->op), "operation"));
  gboolean ok;

  if (operation == UNIT_RESTART)
    ok = atc_session_restart_finish (ATC_SESSION (object), result, &error);
  else
    ok = (reply = atc_session_execute_finish (ATC_SESSION (object), result, &error)) != NULL;

  if (!op_is_current (data))
    return;

  set_busy (self, BUSY_NONE);

  if (!ok)
    {
      atc_page_show_error (ATC_PAGE (self),
                           operation == UNIT_RESTART ? _("The Unit Did Not Restart")
                                                     : _("The Unit Was Not Reset"),
                           error);
      return;
    }

  switch (operation)
    {
    case UNIT_RESTART:
      atc_page_toast (ATC_PAGE (self), _("The unit restarted"));
      break;
    case UNIT_RESTORE_DEFAULTS:
      atc_page_toast (ATC_PAGE (self), _("The unit restored its user defaults"));
      break;
    case UNIT_FACTORY_RESET:
    default:
      atc_page_toast (ATC_PAGE (self), _("The unit is back to its factory settings"));
      break;
    }

  /* After a reset the old edits describe a unit that is gone. */
  atc_config_page_read (self, operation == UNIT_RESTART ? CARRY_EXPLICIT : CARRY_NONE);
}

static void
run_unit_operation (AtcConfigPage *self,
                    UnitOperation  operation)
{
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  AtcModel *model = session ? atc_session_get_model (session) : NULL;

  if (session == NULL || self->busy != BUSY_NONE)
    return;

  start_op (self);
  g_object_set_data (G_OBJECT (self->op), "operation", GUINT_TO_POINTER (operation));
  set_busy (self, BUSY_RESTARTING);

  if (operation == UNIT_RESTART)
    atc_session_restart_async (session, self->op, unit_operation_cb, op_data_new (self, CARRY_NONE));
  else
    atc_session_execute_async (session,
                               operation == UNIT_RESTORE_DEFAULTS ? user_defaults_command (model)
                                                                  : factory_reset_command (model),
                               self->op, unit_operation_cb, op_data_new (self, CARRY_NONE));
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     AtcConfigPage    *self)
{
  if (g_str_equal (response, "cancel"))
    return;

  run_unit_operation (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "operation")));
}

static void
confirm_unit_operation (AtcConfigPage *self,
                        UnitOperation  operation)
{
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  AtcModel *model = session ? atc_session_get_model (session) : NULL;
  const char *name = model ? atc_model_get_name (model) : _("unit");
  g_autofree char *body = NULL;
  const char *heading;
  const char *response_id;
  const char *response_label;
  GtkWidget *dialog;

  if (session == NULL)
    return;

  switch (operation)
    {
    case UNIT_RESTART:
      heading = _("Restart the Unit?");
      body = g_strdup_printf (_("The %s restarts and is unreachable for a few seconds; its saved "
                                "settings take effect. Edits not yet written stay in the form."),
                              name);
      response_id = "restart";
      response_label = _("_Restart");
      break;

    case UNIT_RESTORE_DEFAULTS:
      heading = _("Restore User Defaults?");
      body = g_strdup_printf (_("The %s returns to the settings last saved as its user defaults "
                                "and restarts. Every change since then is lost, and so are the "
                                "edits in the form."),
                              name);
      response_id = "restore";
      response_label = _("_Restore");
      break;

    case UNIT_FACTORY_RESET:
    default:
      heading = _("Reset to Factory Settings?");
      body = g_strdup_printf (_("Every setting of the %s returns to its factory value, including "
                                "server addresses and passwords, and the unit restarts. Save a "
                                "profile first to keep the current settings."),
                              name);
      response_id = "reset";
      response_label = _("_Reset");
      break;
    }

  dialog = adw_message_dialog_new (atc_config_page_get_window (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response_id, response_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response_id,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "operation", GUINT_TO_POINTER (operation));
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Profiles */

static void
apply_profile (AtcConfigPage *self,
               AtcProfile    *profile,
               const char    *name)
{
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcConfig) edited = NULL;
  g_autofree char *heading = g_strdup_printf (_("Could Not Load “%s”"), name);

  g_clear_object (&self->discarded);
  if (session != NULL)
    {
      if (self->unit == NULL || self->offline)
        {
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The unit has not been read yet. Wait until its settings show, "
                                 "then load the profile again."));
          atc_page_show_error (ATC_PAGE (self), heading, error);
          return;
        }

      if (!atc_profile_check_model (profile, self->model, &error))
        {
          atc_page_show_error (ATC_PAGE (self), heading, error);
          return;
        }

      /* Laid over the current edits: the profile's values win, fields it
       * leaves alone keep what the technician typed. */
      edited = atc_profile_apply_to_config (profile, self->edited);
      show_configs (self, self->unit, edited);
      atc_page_toast (ATC_PAGE (self),
                      ngettext ("Loaded “%s”: %u change to write", "Loaded “%s”: %u changes to write",
                                self->n_changes),
                      name, self->n_changes);
      return;
    }

  /* No unit: edit the profile against the catalog defaults. */
  {
    g_autoptr(AtcConfig) defaults = atc_config_new (atc_profile_get_model (profile));

    edited = atc_profile_apply_to_config (profile, defaults);
    self->offline = TRUE;
    g_free (self->profile_name);
    self->profile_name = g_strdup (name);
    g_clear_pointer (&self->read_time, g_date_time_unref);
    show_configs (self, defaults, edited);
    atc_page_toast (ATC_PAGE (self), _("Loaded “%s”: connect a %s to write it"),
                    name, atc_model_get_name (self->model));
  }
}

typedef struct
{
  AtcConfigPage *self;
  char          *name;
} FileData;

static void
file_data_free (FileData *data)
{
  g_object_unref (data->self);
  g_free (data->name);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileData, file_data_free)

static FileData *
file_data_new (AtcConfigPage *self,
               GFile         *file)
{
  FileData *data = g_new0 (FileData, 1);

  data->self = g_object_ref (self);
  data->name = g_file_get_basename (file);
  return data;
}

static void
profile_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FileData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcProfile) profile = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *heading = g_strdup_printf (_("Could Not Load “%s”"), data->name);
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        atc_page_show_error (ATC_PAGE (data->self), heading, error);
      return;
    }

  /* The message lists every problem with its place in the file. */
  profile = atc_profile_load_data (contents, length, data->name, NULL, &error);
  if (profile == NULL)
    {
      atc_page_show_error (ATC_PAGE (data->self), heading, error);
      return;
    }

  apply_profile (data->self, profile, data->name);
}

void
atc_config_page_open_profile_file (AtcConfigPage *self,
                                   GFile         *file)
{
  g_return_if_fail (ATC_IS_CONFIG_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  g_file_load_contents_async (file, self->life, profile_loaded_cb, file_data_new (self, file));
}

static void
save_profile_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  AtcProfile *profile = g_object_get_data (G_OBJECT (task), "profile");
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  gboolean with_secrets = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "secrets"));
  GError *error = NULL;

  if (atc_profile_save_file (profile, path, with_secrets, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
profile_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FileData) data = user_data;
  g_autoptr(GError) error = NULL;
  gboolean with_secrets = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "secrets"));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), data->name);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        atc_page_show_error (ATC_PAGE (data->self), heading, error);
      return;
    }

  if (with_secrets)
    atc_page_toast (ATC_PAGE (data->self), _("Saved “%s” with passwords; only you can read it"), data->name);
  else
    atc_page_toast (ATC_PAGE (data->self), _("Saved “%s” without passwords"), data->name);
}

static gboolean
refuse_invalid (AtcConfigPage *self,
                const char    *heading)
{
  g_autoptr(GError) error = NULL;

  if (self->n_problems == 0)
    return FALSE;

  g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               ngettext ("A field is invalid; fix it first, so the file holds only values a unit takes.",
                         "%u fields are invalid; fix them first, so the file holds only values a unit takes.",
                         self->n_problems),
               self->n_problems);
  atc_page_show_error (ATC_PAGE (self), heading, error);
  return TRUE;
}

void
atc_config_page_save_profile_file (AtcConfigPage *self,
                                   GFile         *file,
                                   gboolean       with_secrets)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(AtcProfile) profile = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;

  g_return_if_fail (ATC_IS_CONFIG_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  heading = g_strdup_printf (_("Could Not Save “%s”"), name);

  if (self->edited == NULL || refuse_invalid (self, heading))
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                                     _("Choose a folder on this computer."));

      atc_page_show_error (ATC_PAGE (self), heading, error);
      return;
    }

  /* Writing goes to a worker thread: AtcProfile writes atomically and
   * with mode 0600 from the start when it holds passwords. */
  profile = atc_profile_new_from_config (self->edited, with_secrets);
  task = g_task_new (self, self->life, profile_saved_cb, file_data_new (self, file));
  g_object_set_data_full (G_OBJECT (task), "profile", g_object_ref (profile), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "path", g_steal_pointer (&path), g_free);
  g_object_set_data (G_OBJECT (task), "secrets", GINT_TO_POINTER (with_secrets));
  g_task_run_in_thread (task, save_profile_thread);
}

static void
script_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FileData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), data->name);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        atc_page_show_error (ATC_PAGE (data->self), heading, error);
      return;
    }

  atc_page_toast (ATC_PAGE (data->self), _("Exported “%s”"), data->name);
}

void
atc_config_page_export_script_file (AtcConfigPage *self,
                                    GFile         *file,
                                    gboolean       only_changes,
                                    gboolean       with_secrets)
{
  g_autoptr(AtcConfigDiff) diff = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  char *script;

  g_return_if_fail (ATC_IS_CONFIG_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  heading = g_strdup_printf (_("Could Not Export “%s”"), name);

  if (self->edited == NULL || refuse_invalid (self, heading))
    return;

  if (only_changes)
    diff = atc_config_diff_new (self->unit, self->edited);
  script = atc_script_export (self->edited, diff, with_secrets, &error);
  if (script == NULL)
    {
      atc_page_show_error (ATC_PAGE (self), heading, error);
      return;
    }

  bytes = g_bytes_new_take (script, strlen (script));
  /* A script with passwords is readable by its owner only. */
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       with_secrets ? G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION
                                                    : G_FILE_CREATE_NONE,
                                       self->life, script_saved_cb, file_data_new (self, file));
}

/* File choosers */

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     AtcConfigPage   *self)
{
  g_autoptr(GFile) file = NULL;
  const char *kind = g_object_get_data (G_OBJECT (chooser), "kind");

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (file != NULL)
    {
      const char *secrets = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "secrets");
      gboolean with_secrets = g_strcmp0 (secrets, "true") == 0;

      if (g_str_equal (kind, "load"))
        atc_config_page_open_profile_file (self, file);
      else if (g_str_equal (kind, "save"))
        atc_config_page_save_profile_file (self, file, with_secrets);
      else
        atc_config_page_export_script_file (self, file,
                                            g_strcmp0 (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "contents"),
                                                       "changes") == 0,
                                            with_secrets);
    }

  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

static GtkFileChooser *
new_chooser (AtcConfigPage        *self,
             const char           *kind,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept)
{
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }

  chooser = atc_app_file_chooser_new (GTK_WIDGET (self), title, action, accept);
  g_object_set_data (G_OBJECT (chooser), "kind", (gpointer) kind);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);

  return GTK_FILE_CHOOSER (chooser);
}

static char *
suggested_name (AtcConfigPage *self,
                const char    *suffix)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  const char *serial = self->unit && !self->offline ? atc_config_get_fact (self->unit, "SN") : NULL;

  if (serial != NULL)
    return g_strdup_printf ("%s-%s-%s%s", atc_model_get_id (self->model), serial, date, suffix);
  return g_strdup_printf ("%s-%s%s", atc_model_get_id (self->model), date, suffix);
}

void
atc_config_page_load_profile (AtcConfigPage *self)
{
  GtkFileChooser *chooser;

  g_return_if_fail (ATC_IS_CONFIG_PAGE (self));

  if (self->busy != BUSY_NONE)
    return;

  chooser = new_chooser (self, "load", _("Load Profile"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Load"));
  atc_app_file_chooser_add_filter (chooser, _("Profiles"), "*.json", "application/json");
  gtk_native_dialog_show (self->chooser);
}

static gboolean
check_has_config (AtcConfigPage *self)
{
  if (self->edited != NULL)
    return TRUE;

  atc_page_toast (ATC_PAGE (self), _("Nothing to save yet: connect a unit or load a profile"));
  return FALSE;
}

void
atc_config_page_save_profile (AtcConfigPage *self)
{
  GtkFileChooser *chooser;
  g_autofree char *name = NULL;

  g_return_if_fail (ATC_IS_CONFIG_PAGE (self));

  if (self->busy != BUSY_NONE || !check_has_config (self))
    return;

  chooser = new_chooser (self, "save", _("Save Profile"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  atc_app_file_chooser_add_filter (chooser, _("Profiles"), "*.json", "application/json");
  name = suggested_name (self, ".json");
  gtk_file_chooser_set_current_name (chooser, name);
  /* Passwords leave the unit only when asked for. */
  gtk_file_chooser_add_choice (chooser, "secrets", _("Include passwords"), NULL, NULL);
  gtk_file_chooser_set_choice (chooser, "secrets", "false");
  gtk_native_dialog_show (self->chooser);
}

void
atc_config_page_export_script (AtcConfigPage *self)
{
  static const char *contents_ids[] = { "all", "changes", NULL };
  const char *contents_labels[] = { _("Whole configuration"), _("Only the changes"), NULL };
  GtkFileChooser *chooser;
  g_autofree char *name = NULL;

  g_return_if_fail (ATC_IS_CONFIG_PAGE (self));

  if (self->busy != BUSY_NONE || !check_has_config (self))
    return;

  chooser = new_chooser (self, "export", _("Export AT Script"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  atc_app_file_chooser_add_filter (chooser, _("AT scripts"), "*.txt", "text/plain");
  name = suggested_name (self, ".txt");
  gtk_file_chooser_set_current_name (chooser, name);
  gtk_file_chooser_add_choice (chooser, "contents", _("Contents"), contents_ids, contents_labels);
  gtk_file_chooser_set_choice (chooser, "contents", self->n_changes > 0 ? "changes" : "all");
  gtk_file_chooser_add_choice (chooser, "secrets", _("Include passwords"), NULL, NULL);
  gtk_file_chooser_set_choice (chooser, "secrets", "false");
  gtk_native_dialog_show (self->chooser);
}

/* Navigation */

static void
group_row_selected_cb (AtcConfigPage *self,
                       GtkListBoxRow *row)
{
  Section *section = row ? g_object_get_data (G_OBJECT (row), "section") : NULL;

  if (self->disposed)
    return;

  if (section != NULL)
    gtk_stack_set_visible_child (self->group_stack, section->page);
  update_status (self);
}

static void
group_row_activated_cb (AtcConfigPage *self,
                        GtkListBoxRow *row)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

static void
back_clicked_cb (AtcConfigPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
leaflet_changed_cb (AtcConfigPage *self)
{
  update_status (self);
}

/* Actions */

static void
read_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  atc_config_page_read (ATC_CONFIG_PAGE (widget), CARRY_EXPLICIT);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_cancellable_cancel (ATC_CONFIG_PAGE (widget)->op);
}

static void
write_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  atc_config_page_write (ATC_CONFIG_PAGE (widget));
}

static void
undo_discard_cb (AtcConfigPage *self)
{
  g_autoptr(AtcConfig) discarded = g_steal_pointer (&self->discarded);

  /* Only onto the same reading of the unit, and only when idle. */
  if (discarded == NULL || self->unit == NULL || self->busy != BUSY_NONE ||
      !same_model (atc_config_get_model (discarded), self->model))
    return;

  show_configs (self, self->unit, discarded);
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AtcConfigPage *self = ATC_CONFIG_PAGE (widget);
  g_autoptr(AtcConfig) edited = NULL;
  g_autofree char *title = NULL;
  GtkWidget *overlay;
  AdwToast *toast;
  guint n = self->n_changes;

  if (self->unit == NULL || self->edited == NULL)
    return;

  /* Kept for Undo: discarding a dozen typed values by one click must be
   * reversible. */
  g_set_object (&self->discarded, self->edited);
  edited = atc_config_copy (self->unit);
  show_configs (self, self->unit, edited);

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;
  title = g_strdup_printf (ngettext ("Discarded %u change", "Discarded %u changes", n), n);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  /* The answer to a click: shown at once, not after older news. */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_discard_cb), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
unit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AtcConfigPage *self = ATC_CONFIG_PAGE (widget);

  if (g_str_equal (action_name, "config.restart"))
    confirm_unit_operation (self, UNIT_RESTART);
  else if (g_str_equal (action_name, "config.restore-defaults"))
    confirm_unit_operation (self, UNIT_RESTORE_DEFAULTS);
  else
    confirm_unit_operation (self, UNIT_FACTORY_RESET);
}

static void
profile_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AtcConfigPage *self = ATC_CONFIG_PAGE (widget);

  if (g_str_equal (action_name, "config.load-profile"))
    atc_config_page_load_profile (self);
  else if (g_str_equal (action_name, "config.save-profile"))
    atc_config_page_save_profile (self);
  else
    atc_config_page_export_script (self);
}

/* Session */

static void
atc_config_page_session_changed (AtcPage    *page,
                                 AtcSession *session)
{
  AtcConfigPage *self = ATC_CONFIG_PAGE (page);
  gboolean offline = self->offline;

  g_cancellable_cancel (self->op);
  g_clear_object (&self->op);
  if (self->write_dialog != NULL)
    atc_write_dialog_stop (self->write_dialog);
  set_busy (self, BUSY_NONE);

  /* A profile edited offline is kept for the unit that comes; anything
   * read from a unit belongs to that unit only. */
  if (!offline)
    clear_configs (self);

  if (session != NULL)
    atc_config_page_read (self, offline ? CARRY_EXPLICIT : CARRY_NONE);
  else if (!offline)
    gtk_stack_set_visible_child_name (self->stack, "empty");

  update_actions (self);
}

/* GObject */

static void
atc_config_page_dispose (GObject *object)
{
  AtcConfigPage *self = ATC_CONFIG_PAGE (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->life);
  /* Cleared too, so late callbacks see they are stale. */
  g_cancellable_cancel (self->op);
  g_clear_object (&self->op);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (self->write_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->write_dialog, self);
      atc_write_dialog_stop (self->write_dialog);
      self->write_dialog = NULL;
    }
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }

  if (self->editors != NULL)
    g_hash_table_remove_all (self->editors);
  if (self->groups != NULL)
    g_hash_table_remove_all (self->groups);
  if (self->sections != NULL)
    g_ptr_array_set_size (self->sections, 0);

  /* The stack is both a template child and the bin's child: detach it
   * from the bin first so it is unparented once. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ATC_TYPE_CONFIG_PAGE);

  G_OBJECT_CLASS (atc_config_page_parent_class)->dispose (object);
}

static void
atc_config_page_finalize (GObject *object)
{
  AtcConfigPage *self = ATC_CONFIG_PAGE (object);

  g_clear_object (&self->life);
  g_clear_object (&self->op);
  g_clear_object (&self->model);
  g_clear_object (&self->unit);
  g_clear_object (&self->edited);
  g_clear_object (&self->discarded);
  g_clear_pointer (&self->profile_name, g_free);
  g_clear_pointer (&self->read_time, g_date_time_unref);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_clear_pointer (&self->editors, g_hash_table_unref);
  g_clear_pointer (&self->groups, g_hash_table_unref);

  G_OBJECT_CLASS (atc_config_page_parent_class)->finalize (object);
}

static void
atc_config_page_class_init (AtcConfigPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AtcPageClass *page_class = ATC_PAGE_CLASS (klass);

  object_class->dispose = atc_config_page_dispose;
  object_class->finalize = atc_config_page_finalize;
  page_class->session_changed = atc_config_page_session_changed;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-config-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, failed_status);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, loading_progress);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, status_title);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, status_subtitle);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, discard_button);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, write_button);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, busy_progress);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, problems_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, problems_heading);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, problems_box);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, facts_list);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, group_list);
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, group_stack);
  gtk_widget_class_bind_template_callback (widget_class, group_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, group_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_changed_cb);

  gtk_widget_class_install_action (widget_class, "config.read", NULL, read_action);
  gtk_widget_class_install_action (widget_class, "config.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "config.write", NULL, write_action);
  gtk_widget_class_install_action (widget_class, "config.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "config.restart", NULL, unit_action);
  gtk_widget_class_install_action (widget_class, "config.restore-defaults", NULL, unit_action);
  gtk_widget_class_install_action (widget_class, "config.factory-reset", NULL, unit_action);
  gtk_widget_class_install_action (widget_class, "config.load-profile", NULL, profile_action);
  gtk_widget_class_install_action (widget_class, "config.save-profile", NULL, profile_action);
  gtk_widget_class_install_action (widget_class, "config.export-script", NULL, profile_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "config.read", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "config.write", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "config.write", NULL);
}

static void
atc_config_page_init (AtcConfigPage *self)
{
  g_autoptr(GListModel) controllers = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->life = g_cancellable_new ();
  self->sections = g_ptr_array_new_with_free_func (section_free);
  self->editors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->groups = g_hash_table_new (g_str_hash, g_str_equal);

  /* The class shortcuts (Ctrl+R, Ctrl+Return) should work while the page
   * is shown, also when focus sits in the header's view switcher: let the
   * window run them. They stay off while the page is hidden (unmapped). */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (self));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_SHORTCUT_CONTROLLER (controller) &&
          g_strcmp0 (gtk_event_controller_get_name (controller), "gtk-widget-class-shortcuts") == 0)
        gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_MANAGED);
    }

  set_busy (self, BUSY_NONE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

AtcConfig *
atc_config_page_get_unit_config (AtcConfigPage *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG_PAGE (self), NULL);

  return self->unit;
}

AtcConfig *
atc_config_page_get_edited_config (AtcConfigPage *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG_PAGE (self), NULL);

  return self->edited;
}

guint
atc_config_page_get_n_changes (AtcConfigPage *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG_PAGE (self), 0);

  return self->n_changes;
}

guint
atc_config_page_get_n_invalid (AtcConfigPage *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG_PAGE (self), 0);

  return self->n_invalid;
}

gboolean
atc_config_page_is_busy (AtcConfigPage *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG_PAGE (self), FALSE);

  return self->busy != BUSY_NONE;
}
