/* atc-write-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-param-editor.h"
#include "atc-write-dialog.h"

typedef struct
{
  const AtcCommand *command;
  const AtcParam   *param;
  GtkWidget        *row;
  GtkWidget        *spinner;
  GtkWidget        *icon;
  GtkWidget        *label;
  char             *subtitle;
} ChangeRow;

struct _AtcWriteDialog
{
  AdwWindow       parent_instance;

  AtcApplier     *applier;
  GSettings      *settings;
  GCancellable   *cancellable;
  AtcApplyReport *report;
  GArray         *rows;          /* ChangeRow */
  ChangeRow       restart;
  char           *script;
  gboolean        running;
  gboolean        can_write;
  AtcApplyPhase   phase;

  /* template children */
  AdwWindowTitle *window_title;
  GtkWidget      *cancel_button;
  GtkWidget      *write_button;
  GtkWidget      *close_button;
  GtkImage       *status_icon;
  GtkLabel       *summary_label;
  GtkProgressBar *progress_bar;
  AdwPreferencesGroup *changes_group;
  AdwPreferencesGroup *commands_group;
  GtkLabel       *commands_label;
  GtkWidget      *options_group;
  AdwActionRow   *restart_row;
  GtkSwitch      *restart_switch;
};

G_DEFINE_FINAL_TYPE (AtcWriteDialog, atc_write_dialog, ADW_TYPE_WINDOW)

enum {
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
change_row_clear (gpointer data)
{
  ChangeRow *row = data;

  g_clear_pointer (&row->subtitle, g_free);
}

/* How a value reads in the list: labels for words, units for numbers,
 * masks for secrets, escapes for line breaks. */
static char *
describe_value (const AtcParam *param,
                const char     *value)
{
  if (value == NULL)
    return g_strdup (_("unknown"));
  if (param->secret)
    return g_strdup (value[0] == '\0' ? _("empty") : ATC_SECRET_MASK);
  if (value[0] == '\0')
    return g_strdup (_("empty"));

  if (param->type == ATC_PARAM_ENUM)
    {
      const char *label = atc_param_get_choice_label (param, value);

      value = label ? label : value;
    }
  if (param->unit != NULL &&
      (param->type == ATC_PARAM_INT || param->type == ATC_PARAM_PORT || param->type == ATC_PARAM_ENUM))
    return g_strdup_printf ("%s %s", value, param->unit);

  return atc_param_editor_format_line (value);
}

static void
set_row_status (ChangeRow    *row,
                const char   *icon_name,
                const char   *css_class,
                const char   *text,
                gboolean      busy,
                const char   *detail)
{
  static const char *classes[] = { "success", "warning", "error", "dim-label" };
  g_autofree char *subtitle = NULL;

  gtk_widget_set_visible (row->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (row->spinner), busy);
  gtk_widget_set_visible (row->icon, icon_name != NULL);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (row->icon), icon_name);
  gtk_label_set_text (GTK_LABEL (row->label), text ? text : "");
  gtk_widget_set_visible (row->label, text != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      gtk_widget_remove_css_class (row->icon, classes[i]);
      gtk_widget_remove_css_class (row->label, classes[i]);
    }
  if (css_class != NULL)
    {
      gtk_widget_add_css_class (row->icon, css_class);
      gtk_widget_add_css_class (row->label, css_class);
    }

  /* The unit's own words for a refusal belong next to the setting. */
  if (detail != NULL)
    subtitle = g_strdup_printf ("%s\n%s", row->subtitle, detail);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), subtitle ? subtitle : row->subtitle);
}

static ChangeRow
new_status_row (const char *title,
                const char *subtitle)
{
  ChangeRow row = { NULL, };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  row.row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row.row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row.row), title);
  row.subtitle = g_strdup (subtitle);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row.row), subtitle);

  row.spinner = gtk_spinner_new ();
  row.icon = gtk_image_new ();
  row.label = gtk_label_new (NULL);
  gtk_widget_set_visible (row.spinner, FALSE);
  gtk_widget_set_visible (row.icon, FALSE);
  gtk_widget_set_visible (row.label, FALSE);
  gtk_box_append (GTK_BOX (box), row.spinner);
  gtk_box_append (GTK_BOX (box), row.icon);
  gtk_box_append (GTK_BOX (box), row.label);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row.row), box);

  return row;
}

static void
atc_write_dialog_build_rows (AtcWriteDialog *self)
{
  AtcConfigDiff *diff = atc_applier_get_diff (self->applier);
  GPtrArray *changes = diff ? atc_config_diff_get_changes (diff) : NULL;

  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      const AtcConfigChange *change = g_ptr_array_index (changes, i);
      g_autofree char *old_value = describe_value (change->param, change->old_value);
      g_autofree char *new_value = describe_value (change->param, change->new_value);
      g_autofree char *subtitle = g_strdup_printf ("AT+%s · %s → %s", change->command->name,
                                                   old_value, new_value);
      ChangeRow row = new_status_row (change->param->label, subtitle);

      row.command = change->command;
      row.param = change->param;
      gtk_widget_set_name (row.row, change->command->name);
      adw_preferences_group_add (self->changes_group, row.row);
      g_array_append_val (self->rows, row);
    }

  self->restart = new_status_row (_("Restart"), _("Saved settings take effect after a restart."));
  gtk_widget_set_name (self->restart.row, "restart");
  gtk_widget_set_visible (self->restart.row, FALSE);
  adw_preferences_group_add (self->changes_group, self->restart.row);
}

static void
atc_write_dialog_update_script (AtcWriteDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  AtcConfigDiff *diff;
  guint n_changes;
  g_autofree char *summary = NULL;
  AtcModel *model;

  atc_applier_set_restart (self->applier, gtk_switch_get_active (self->restart_switch));
  lines = atc_applier_dry_run (self->applier, FALSE, &error);

  g_clear_pointer (&self->script, g_free);
  if (lines == NULL)
    {
      /* The page checks first; this is the last line of defence. */
      self->can_write = FALSE;
      gtk_label_set_text (self->summary_label, error->message);
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->status_icon), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->commands_group), FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "write.apply", FALSE);
      return;
    }

  self->can_write = TRUE;
  self->script = g_strjoinv ("\n", lines);
  gtk_label_set_text (self->commands_label, self->script);

  diff = atc_applier_get_diff (self->applier);
  model = atc_config_diff_get_model (diff);
  n_changes = atc_config_diff_get_changes (diff)->len;
  summary = g_strdup_printf (ngettext ("%u setting of the %s changes. Check the commands, then write them.",
                                       "%u settings of the %s change. Check the commands, then write them.",
                                       n_changes),
                             n_changes, atc_model_get_name (model));
  gtk_label_set_text (self->summary_label, summary);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "write.apply", TRUE);
}

static void
restart_switch_cb (AtcWriteDialog *self)
{
  if (!self->running && self->report == NULL)
    atc_write_dialog_update_script (self);
}

/* Progress */

static void
show_step_statuses (AtcWriteDialog *self,
                    gboolean        final)
{
  AtcApplyReport *report = atc_applier_get_report (self->applier);

  if (report == NULL)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    {
      ChangeRow *row = &g_array_index (self->rows, ChangeRow, i);
      AtcApplyStep *step = atc_apply_report_lookup (report, row->command->name);
      const char *detail = step && step->error ? step->error->message : NULL;

      if (step == NULL)
        continue;

      switch (step->status)
        {
        case ATC_APPLY_VERIFIED:
          set_row_status (row, "emblem-ok-symbolic", "success", _("Verified"), FALSE, NULL);
          break;

        case ATC_APPLY_APPLIED:
          if (final)
            set_row_status (row, "dialog-warning-symbolic", "warning", _("Not verified"), FALSE, detail);
          else
            set_row_status (row, NULL, "dim-label", _("Written"), FALSE, NULL);
          break;

        case ATC_APPLY_MISMATCH:
          set_row_status (row, "dialog-warning-symbolic", "warning", _("Not verified"), FALSE, detail);
          break;

        case ATC_APPLY_REJECTED:
          set_row_status (row, "dialog-error-symbolic", "error", _("Not applied"), FALSE, detail);
          break;

        case ATC_APPLY_UNKNOWN:
          set_row_status (row, "dialog-question-symbolic", "warning", _("Unknown"), FALSE, detail);
          break;

        case ATC_APPLY_NOT_APPLIED:
        default:
          if (final)
            set_row_status (row, "dialog-error-symbolic", "error", _("Not applied"), FALSE, detail);
          else
            set_row_status (row, NULL, "dim-label", _("Waiting"), FALSE, NULL);
          break;
        }
    }
}

static void
show_busy_command (AtcWriteDialog *self,
                   const char     *command,
                   const char     *text)
{
  for (guint i = 0; command != NULL && i < self->rows->len; i++)
    {
      ChangeRow *row = &g_array_index (self->rows, ChangeRow, i);

      if (g_str_equal (row->command->name, command))
        set_row_status (row, NULL, "dim-label", text, TRUE, NULL);
    }
}

static void
applier_progress_cb (AtcWriteDialog *self,
                     int             phase,
                     const char     *command,
                     guint           done,
                     guint           total,
                     AtcApplier     *applier)
{
  g_autofree char *text = NULL;
  gboolean restart = atc_applier_get_restart (applier);
  /* Share of the bar for each phase, so it only ever moves forward. */
  double start = 0, span = 1;
  double step = total > 0 ? (double) done / total : 0;

  self->phase = phase;
  show_step_statuses (self, FALSE);

  switch (phase)
    {
    case ATC_APPLY_PHASE_READ:
      text = g_strdup (_("Reading the unit…"));
      start = 0, span = 0.1;
      break;

    case ATC_APPLY_PHASE_SET:
      text = g_strdup_printf (_("Sending AT+%s (%u of %u)…"), command, done + 1, total);
      start = 0.1, span = restart ? 0.4 : 0.6;
      show_busy_command (self, command, _("Sending"));
      break;

    case ATC_APPLY_PHASE_VERIFY:
      text = g_strdup_printf (_("Reading back %s (%u of %u)…"), command, done + 1, total);
      start = restart ? 0.5 : 0.7, span = restart ? 0.15 : 0.3;
      show_busy_command (self, command, _("Checking"));
      break;

    case ATC_APPLY_PHASE_RESTART:
      {
        AtcModel *model = atc_config_diff_get_model (atc_applier_get_diff (applier));
        guint seconds = (atc_model_get_reboot_ms (model) + 999) / 1000;

        /* A G781 needs up to a minute: say so, or it looks stuck. */
        text = g_strdup_printf (ngettext ("Restarting the unit; this takes up to %u second…",
                                          "Restarting the unit; this takes up to %u seconds…", seconds),
                                seconds);
      }
      start = 0.65, span = 0.2;
      gtk_widget_set_visible (self->restart.row, TRUE);
      set_row_status (&self->restart, NULL, "dim-label", _("Restarting"), TRUE, NULL);
      break;

    case ATC_APPLY_PHASE_VERIFY_RESTART:
      text = g_strdup_printf (_("Checking %s after the restart (%u of %u)…"), command, done + 1, total);
      start = 0.85, span = 0.15;
      set_row_status (&self->restart, "emblem-ok-symbolic", "success", _("Restarted"), FALSE, NULL);
      show_busy_command (self, command, _("Checking"));
      break;

    case ATC_APPLY_PHASE_DONE:
    default:
      text = g_strdup (_("Done"));
      start = 1, span = 0;
      break;
    }

  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, start + span * step);
}

static guint
count_rows (AtcApplyReport *report,
            GArray         *rows,
            AtcApplyStatus  status)
{
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      ChangeRow *row = &g_array_index (rows, ChangeRow, i);
      AtcApplyStep *step = atc_apply_report_lookup (report, row->command->name);

      if (step != NULL && step->status == status)
        n++;
    }

  return n;
}

static void
show_restart_status (AtcWriteDialog *self)
{
  const GError *error = atc_apply_report_get_restart_error (self->report);

  switch (atc_apply_report_get_restart_status (self->report))
    {
    case ATC_RESTART_DONE:
      gtk_widget_set_visible (self->restart.row, TRUE);
      set_row_status (&self->restart, "emblem-ok-symbolic", "success", _("Restarted"), FALSE, NULL);
      break;

    case ATC_RESTART_SKIPPED:
      gtk_widget_set_visible (self->restart.row, TRUE);
      set_row_status (&self->restart, "dialog-warning-symbolic", "warning", _("Skipped"), FALSE,
                      error ? error->message : NULL);
      break;

    case ATC_RESTART_FAILED:
      gtk_widget_set_visible (self->restart.row, TRUE);
      set_row_status (&self->restart, "dialog-error-symbolic", "error", _("Failed"), FALSE,
                      error ? error->message : NULL);
      break;

    case ATC_RESTART_NOT_REQUESTED:
    default:
      gtk_widget_set_visible (self->restart.row, FALSE);
      break;
    }
}

static void
show_report (AtcWriteDialog *self)
{
  g_autoptr(GString) summary = g_string_new (NULL);
  guint n_rows = self->rows->len;
  guint verified = count_rows (self->report, self->rows, ATC_APPLY_VERIFIED);
  gboolean complete = atc_apply_report_is_complete (self->report);
  const GError *error = atc_apply_report_get_error (self->report);

  show_step_statuses (self, TRUE);
  show_restart_status (self);

  if (complete)
    {
      g_string_append_printf (summary,
                              ngettext ("The unit holds the new setting: it was written and read back.",
                                        "The unit holds all %u new settings: each was written and read back.",
                                        n_rows),
                              n_rows);
      if (atc_apply_report_get_restart_status (self->report) == ATC_RESTART_DONE)
        g_string_append_printf (summary, " %s", _("It restarted and still holds them."));
      gtk_image_set_from_icon_name (self->status_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "success");
    }
  else
    {
      g_string_append_printf (summary,
                              ngettext ("%u of %u setting verified.",
                                        "%u of %u settings verified.", n_rows),
                              verified, n_rows);
      if (error != NULL)
        g_string_append_printf (summary, " %s", error->message);
      g_string_append_printf (summary, " %s",
                              _("Read the unit again, then write to send what is left."));
      gtk_image_set_from_icon_name (self->status_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "warning");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), TRUE);
  gtk_label_set_text (self->summary_label, summary->str);
  adw_window_title_set_title (self->window_title, complete ? _("Changes Written") : _("Not Everything Was Written"));
  /* Not every line went out when the apply stopped early. */
  adw_preferences_group_set_title (self->commands_group, complete ? _("Commands Sent") : _("Commands"));
  adw_preferences_group_set_description (self->commands_group, NULL);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AtcWriteDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcApplyReport) report = NULL;

  report = atc_applier_apply_finish (ATC_APPLIER (object), result, &error);

  self->running = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->close_button, TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->close_button);
  gtk_widget_grab_focus (self->close_button);

  if (report == NULL)
    {
      /* Nothing was sent: the plan did not check out or the unit could
       * not be read. */
      gtk_label_set_text (self->summary_label, error->message);
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->status_icon), TRUE);
      adw_window_title_set_title (self->window_title, _("Nothing Was Written"));
      self->report = NULL;
      g_signal_emit (self, signals[APPLIED], 0, NULL);
      return;
    }

  self->report = g_steal_pointer (&report);
  show_report (self);
  g_signal_emit (self, signals[APPLIED], 0, self->report);
}

void
atc_write_dialog_start (AtcWriteDialog *self)
{
  g_return_if_fail (ATC_IS_WRITE_DIALOG (self));

  if (self->running || self->report != NULL || !self->can_write)
    return;

  self->running = TRUE;
  self->cancellable = g_cancellable_new ();

  gtk_widget_set_visible (self->write_button, FALSE);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button), _("_Stop"));
  gtk_widget_set_tooltip_text (self->cancel_button, _("Stop After the Current Command"));
  gtk_widget_set_visible (self->options_group, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  gtk_label_set_text (self->summary_label, _("Writing. Keep the unit powered and connected."));
  adw_window_title_set_title (self->window_title, _("Writing Changes"));
  adw_preferences_group_set_title (self->commands_group, _("Commands"));

  g_signal_connect_object (self->applier, "progress", G_CALLBACK (applier_progress_cb), self, G_CONNECT_SWAPPED);
  atc_applier_apply_async (self->applier, self->cancellable, apply_cb, g_object_ref (self));
}

void
atc_write_dialog_stop (AtcWriteDialog *self)
{
  g_return_if_fail (ATC_IS_WRITE_DIALOG (self));

  g_cancellable_cancel (self->cancellable);
}

gboolean
atc_write_dialog_is_running (AtcWriteDialog *self)
{
  g_return_val_if_fail (ATC_IS_WRITE_DIALOG (self), FALSE);

  return self->running;
}

AtcApplyReport *
atc_write_dialog_get_report (AtcWriteDialog *self)
{
  g_return_val_if_fail (ATC_IS_WRITE_DIALOG (self), NULL);

  return self->report;
}

const char *
atc_write_dialog_get_script (AtcWriteDialog *self)
{
  g_return_val_if_fail (ATC_IS_WRITE_DIALOG (self), NULL);

  return self->script;
}

/* Actions */

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  atc_write_dialog_start (ATC_WRITE_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AtcWriteDialog *self = ATC_WRITE_DIALOG (widget);

  if (self->running)
    {
      atc_write_dialog_stop (self);
      gtk_widget_set_sensitive (self->cancel_button, FALSE);
      gtk_progress_bar_set_text (self->progress_bar, _("Stopping…"));
    }
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
atc_write_dialog_close_request (GtkWindow *window)
{
  AtcWriteDialog *self = ATC_WRITE_DIALOG (window);

  /* Closing mid-apply would hide what the unit holds; Stop says it. */
  if (self->running)
    return TRUE;

  return GTK_WINDOW_CLASS (atc_write_dialog_parent_class)->close_request (window);
}

static void
atc_write_dialog_dispose (GObject *object)
{
  AtcWriteDialog *self = ATC_WRITE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->applier != NULL)
    g_signal_handlers_disconnect_by_data (self->applier, self);

  gtk_widget_dispose_template (GTK_WIDGET (object), ATC_TYPE_WRITE_DIALOG);

  G_OBJECT_CLASS (atc_write_dialog_parent_class)->dispose (object);
}

static void
atc_write_dialog_finalize (GObject *object)
{
  AtcWriteDialog *self = ATC_WRITE_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->applier);
  g_clear_object (&self->settings);
  g_clear_object (&self->report);
  g_clear_pointer (&self->rows, g_array_unref);
  change_row_clear (&self->restart);
  g_clear_pointer (&self->script, g_free);

  G_OBJECT_CLASS (atc_write_dialog_parent_class)->finalize (object);
}

static void
atc_write_dialog_class_init (AtcWriteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = atc_write_dialog_dispose;
  object_class->finalize = atc_write_dialog_finalize;
  window_class->close_request = atc_write_dialog_close_request;

  /**
   * AtcWriteDialog::applied:
   * @report: (nullable): what the apply did; NULL when nothing was sent
   */
  signals[APPLIED] =
    g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ATC_TYPE_APPLY_REPORT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-write-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, write_button);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, status_icon);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, changes_group);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, commands_group);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, commands_label);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, options_group);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, restart_row);
  gtk_widget_class_bind_template_child (widget_class, AtcWriteDialog, restart_switch);

  gtk_widget_class_install_action (widget_class, "write.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "write.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "write.close", NULL, close_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "write.close", NULL);
}

static void
atc_write_dialog_init (AtcWriteDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_array_new (FALSE, TRUE, sizeof (ChangeRow));
  g_array_set_clear_func (self->rows, change_row_clear);
}

AtcWriteDialog *
atc_write_dialog_new (GtkWindow  *parent,
                      AtcApplier *applier,
                      GSettings  *settings)
{
  AtcWriteDialog *self;
  AtcConfigDiff *diff;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ATC_IS_APPLIER (applier), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (ATC_TYPE_WRITE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->applier = g_object_ref (applier);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_settings_bind (settings, "restart-after-write", self->restart_switch, "active", G_SETTINGS_BIND_DEFAULT);
    }
  else
    gtk_switch_set_active (self->restart_switch, TRUE);
  g_signal_connect_object (self->restart_switch, "notify::active", G_CALLBACK (restart_switch_cb), self, G_CONNECT_SWAPPED);

  /* The dry run computes the diff the rows are built from. */
  atc_write_dialog_update_script (self);
  diff = atc_applier_get_diff (self->applier);
  if (diff != NULL)
    {
      AtcModel *model = atc_config_diff_get_model (diff);
      guint seconds = (atc_model_get_reboot_ms (model) + 999) / 1000;
      g_autofree char *restart = NULL;

      adw_window_title_set_subtitle (self->window_title, atc_model_get_name (model));
      restart = g_strdup_printf (ngettext ("So the settings take effect. The unit is offline for up to %u "
                                           "second, then the settings are checked again.",
                                           "So the settings take effect. The unit is offline for up to %u "
                                           "seconds, then the settings are checked again.", seconds),
                                 seconds);
      adw_action_row_set_subtitle (self->restart_row, restart);
    }
  atc_write_dialog_build_rows (self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->write_button);

  return self;
}
