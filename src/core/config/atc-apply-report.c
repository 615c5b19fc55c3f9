/* atc-apply-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "atc-apply-report.h"
#include "atc-config-private.h"
#include "atc-error.h"
#include "atc-script.h"

struct _AtcApplyReport
{
  GObject           parent_instance;

  AtcConfigDiff    *diff;
  GPtrArray        *steps;          /* AtcApplyStep* */
  GError           *error;          /* what stopped the apply */
  GError           *summary_error;  /* computed by finish when not complete */
  AtcRestartStatus  restart;
  GError           *restart_error;
  gint64            started;
  gint64            finished;
};

G_DEFINE_FINAL_TYPE (AtcApplyReport, atc_apply_report, G_TYPE_OBJECT)

static void
step_free (gpointer data)
{
  AtcApplyStep *step = data;

  g_strfreev (step->values);
  g_strfreev (step->read_back);
  g_clear_pointer (&step->changes, g_ptr_array_unref);
  g_clear_error (&step->error);
  g_free (step);
}

static void
atc_apply_report_finalize (GObject *object)
{
  AtcApplyReport *self = ATC_APPLY_REPORT (object);

  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_clear_error (&self->summary_error);
  g_clear_error (&self->restart_error);
  g_clear_object (&self->diff);

  G_OBJECT_CLASS (atc_apply_report_parent_class)->finalize (object);
}

static void
atc_apply_report_class_init (AtcApplyReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atc_apply_report_finalize;
}

static void
atc_apply_report_init (AtcApplyReport *self)
{
  self->steps = g_ptr_array_new_with_free_func (step_free);
  self->started = g_get_real_time ();
}

AtcApplyReport *
atc_apply_report_new (AtcConfigDiff *diff,
                      AtcConfig     *target)
{
  AtcApplyReport *self;
  GPtrArray *commands;

  g_return_val_if_fail (ATC_IS_CONFIG_DIFF (diff), NULL);
  g_return_val_if_fail (ATC_IS_CONFIG (target), NULL);

  self = g_object_new (ATC_TYPE_APPLY_REPORT, NULL);
  self->diff = g_object_ref (diff);

  commands = atc_config_diff_get_commands (diff);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      AtcApplyStep *step = g_new0 (AtcApplyStep, 1);

      step->command = command;
      step->values = atc_config_get_values (target, command->name);
      step->changes = atc_config_diff_get_command_changes (diff, command->name);
      step->status = ATC_APPLY_NOT_APPLIED;
      g_ptr_array_add (self->steps, step);
    }

  return self;
}

AtcModel *
atc_apply_report_get_model (AtcApplyReport *self)
{
  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), NULL);

  return atc_config_diff_get_model (self->diff);
}

AtcConfigDiff *
atc_apply_report_get_diff (AtcApplyReport *self)
{
  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), NULL);

  return self->diff;
}

GPtrArray *
atc_apply_report_get_steps (AtcApplyReport *self)
{
  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), NULL);

  return self->steps;
}

AtcApplyStep *
atc_apply_report_lookup (AtcApplyReport *self,
                         const char     *command)
{
  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), NULL);

  for (guint i = 0; i < self->steps->len; i++)
    {
      AtcApplyStep *step = g_ptr_array_index (self->steps, i);

      if (g_str_equal (step->command->name, command))
        return step;
    }

  return NULL;
}

guint
atc_apply_report_count (AtcApplyReport *self,
                        AtcApplyStatus  status)
{
  guint n = 0;

  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), 0);

  for (guint i = 0; i < self->steps->len; i++)
    n += ((AtcApplyStep *) g_ptr_array_index (self->steps, i))->status == status;

  return n;
}

guint
atc_apply_report_count_changed (AtcApplyReport *self)
{
  guint n = 0;

  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), 0);

  for (guint i = 0; i < self->steps->len; i++)
    {
      AtcApplyStep *step = g_ptr_array_index (self->steps, i);

      if (step->status == ATC_APPLY_APPLIED ||
          step->status == ATC_APPLY_VERIFIED ||
          step->status == ATC_APPLY_MISMATCH)
        n += step->changes->len;
    }

  return n;
}

gboolean
atc_apply_report_is_complete (AtcApplyReport *self)
{
  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), FALSE);

  if (self->error != NULL)
    return FALSE;
  if (atc_apply_report_count (self, ATC_APPLY_VERIFIED) != self->steps->len)
    return FALSE;

  return self->restart == ATC_RESTART_NOT_REQUESTED || self->restart == ATC_RESTART_DONE;
}

const GError *
atc_apply_report_get_error (AtcApplyReport *self)
{
  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), NULL);

  return self->error ? self->error : self->summary_error;
}

AtcRestartStatus
atc_apply_report_get_restart_status (AtcApplyReport *self)
{
  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), ATC_RESTART_NOT_REQUESTED);

  return self->restart;
}

const GError *
atc_apply_report_get_restart_error (AtcApplyReport *self)
{
  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), NULL);

  return self->restart_error;
}

gint64
atc_apply_report_get_started (AtcApplyReport *self)
{
  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), 0);

  return self->started;
}

gint64
atc_apply_report_get_finished (AtcApplyReport *self)
{
  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), 0);

  return self->finished;
}

char *
atc_apply_step_get_line (const AtcApplyStep *step,
                         gboolean            with_secrets)
{
  g_autoptr(GError) error = NULL;
  char *line;

  g_return_val_if_fail (step != NULL, NULL);

  if (step->values == NULL)
    return g_strdup_printf ("AT+%s=?", step->command->name);

  line = atc_script_format_set (step->command, (const char *const *) step->values,
                                with_secrets, &error);
  if (line == NULL)
    {
      /* Invalid values never reach the unit; show what would be sent, but
       * never a secret. */
      g_autofree char *joined = g_strjoinv (",", step->values);
      g_autofree char *raw = g_strdup_printf ("AT+%s=%s", step->command->name, joined);

      return with_secrets ? g_steal_pointer (&raw)
                          : atc_config_redact (raw, step->command, (const char *const *) step->values);
    }

  return line;
}

/* Mutators */

void
atc_apply_report_set_step_status (AtcApplyReport *self,
                                  AtcApplyStep   *step,
                                  AtcApplyStatus  status,
                                  const GError   *error)
{
  g_return_if_fail (ATC_IS_APPLY_REPORT (self));
  g_return_if_fail (step != NULL);

  step->status = status;
  g_clear_error (&step->error);
  if (error != NULL)
    step->error = g_error_copy (error);
}

void
atc_apply_report_set_read_back (AtcApplyReport    *self,
                                AtcApplyStep      *step,
                                const char *const *values)
{
  g_return_if_fail (ATC_IS_APPLY_REPORT (self));
  g_return_if_fail (step != NULL);

  g_strfreev (step->read_back);
  step->read_back = g_strdupv ((GStrv) values);
}

void
atc_apply_report_set_error (AtcApplyReport *self,
                            const GError   *error)
{
  g_return_if_fail (ATC_IS_APPLY_REPORT (self));

  /* The first cause is the one to tell; later errors follow from it. */
  if (self->error == NULL && error != NULL)
    self->error = g_error_copy (error);
}

void
atc_apply_report_set_restart (AtcApplyReport   *self,
                              AtcRestartStatus  status,
                              const GError     *error)
{
  g_return_if_fail (ATC_IS_APPLY_REPORT (self));

  self->restart = status;
  g_clear_error (&self->restart_error);
  if (error != NULL)
    self->restart_error = g_error_copy (error);
}

void
atc_apply_report_finish (AtcApplyReport *self)
{
  guint n_mismatch;

  g_return_if_fail (ATC_IS_APPLY_REPORT (self));

  self->finished = g_get_real_time ();
  g_clear_error (&self->summary_error);

  if (self->error != NULL || atc_apply_report_is_complete (self))
    return;

  n_mismatch = atc_apply_report_count (self, ATC_APPLY_MISMATCH);
  if (n_mismatch > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < self->steps->len; i++)
        {
          AtcApplyStep *step = g_ptr_array_index (self->steps, i);

          if (step->status == ATC_APPLY_MISMATCH && step->error != NULL)
            g_string_append_printf (text, "\n%s", step->error->message);
        }
      g_set_error (&self->summary_error, ATC_ERROR, ATC_ERROR_VERIFY,
                   ngettext ("%u setting did not read back as written; apply again, and if it "
                             "persists the unit does not accept that value:%s",
                             "%u settings did not read back as written; apply again, and if it "
                             "persists the unit does not accept those values:%s", n_mismatch),
                   n_mismatch, text->str);
    }
  else if (self->restart_error != NULL)
    self->summary_error = g_error_copy (self->restart_error);
  else
    {
      for (guint i = 0; i < self->steps->len; i++)
        {
          AtcApplyStep *step = g_ptr_array_index (self->steps, i);

          if (step->status != ATC_APPLY_VERIFIED && step->error != NULL)
            {
              self->summary_error = g_error_copy (step->error);
              break;
            }
        }
      if (self->summary_error == NULL)
        g_set_error_literal (&self->summary_error, ATC_ERROR, ATC_ERROR_VERIFY,
                             _("Some settings were applied but could not be read back; read the unit to check them"));
    }
}

/* Output */

const char *
atc_apply_status_to_string (AtcApplyStatus status)
{
  switch (status)
    {
    case ATC_APPLY_NOT_APPLIED:
      return "not-applied";
    case ATC_APPLY_REJECTED:
      return "rejected";
    case ATC_APPLY_UNKNOWN:
      return "unknown";
    case ATC_APPLY_APPLIED:
      return "applied";
    case ATC_APPLY_VERIFIED:
      return "verified";
    case ATC_APPLY_MISMATCH:
      return "mismatch";
    default:
      g_return_val_if_reached ("unknown");
    }
}

const char *
atc_apply_status_describe (AtcApplyStatus status)
{
  switch (status)
    {
    case ATC_APPLY_NOT_APPLIED:
      return _("not applied");
    case ATC_APPLY_REJECTED:
      return _("not applied, the unit refused it");
    case ATC_APPLY_UNKNOWN:
      return _("unknown, sent but no reply came");
    case ATC_APPLY_APPLIED:
      return _("applied, not verified");
    case ATC_APPLY_VERIFIED:
      return _("applied and verified");
    case ATC_APPLY_MISMATCH:
      return _("applied, not verified: the unit reads back a different value");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
atc_restart_status_to_string (AtcRestartStatus status)
{
  switch (status)
    {
    case ATC_RESTART_NOT_REQUESTED:
      return "not-requested";
    case ATC_RESTART_SKIPPED:
      return "skipped";
    case ATC_RESTART_FAILED:
      return "failed";
    case ATC_RESTART_DONE:
      return "done";
    default:
      g_return_val_if_reached ("not-requested");
    }
}

static guint
count_settings (AtcApplyReport *self,
                AtcApplyStatus  status)
{
  guint n = 0;

  for (guint i = 0; i < self->steps->len; i++)
    {
      AtcApplyStep *step = g_ptr_array_index (self->steps, i);

      if (step->status == status)
        n += step->changes->len;
    }

  return n;
}

char *
atc_apply_report_to_text (AtcApplyReport *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const GError *error;
  guint total = 0;

  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), NULL);

  for (guint i = 0; i < self->steps->len; i++)
    total += ((AtcApplyStep *) g_ptr_array_index (self->steps, i))->changes->len;

  if (total == 0)
    g_string_append_printf (text, _("Apply to %s: nothing to change, the unit already holds these settings.\n"),
                            atc_model_get_name (atc_apply_report_get_model (self)));
  else
    {
      static const AtcApplyStatus order[] = {
        ATC_APPLY_VERIFIED, ATC_APPLY_APPLIED, ATC_APPLY_MISMATCH,
        ATC_APPLY_UNKNOWN, ATC_APPLY_REJECTED, ATC_APPLY_NOT_APPLIED,
      };
      gboolean first = TRUE;

      g_string_append_printf (text, ngettext ("Apply to %s, %u setting: ", "Apply to %s, %u settings: ", total),
                              atc_model_get_name (atc_apply_report_get_model (self)), total);
      for (guint i = 0; i < G_N_ELEMENTS (order); i++)
        {
          guint n = count_settings (self, order[i]);

          if (n == 0)
            continue;
          g_string_append_printf (text, "%s%u %s", first ? "" : "; ", n, atc_apply_status_describe (order[i]));
          first = FALSE;
        }
      g_string_append (text, ".\n");
    }

  for (guint i = 0; i < self->steps->len; i++)
    {
      AtcApplyStep *step = g_ptr_array_index (self->steps, i);

      for (guint j = 0; j < step->changes->len; j++)
        {
          g_autofree char *change = atc_config_change_to_string (g_ptr_array_index (step->changes, j), FALSE);

          g_string_append_printf (text, "  %s — %s\n", change, atc_apply_status_describe (step->status));
        }
      if (step->error != NULL && step->status != ATC_APPLY_VERIFIED)
        g_string_append_printf (text, "    %s\n", step->error->message);
    }

  switch (self->restart)
    {
    case ATC_RESTART_NOT_REQUESTED:
      if (atc_apply_report_count_changed (self) > 0)
        g_string_append (text, _("Not restarted: the unit uses the new settings after its next restart.\n"));
      break;
    case ATC_RESTART_SKIPPED:
      g_string_append (text, _("Restart skipped: not every setting was applied and verified.\n"));
      break;
    case ATC_RESTART_FAILED:
      g_string_append_printf (text, _("Restart failed: %s\n"),
                              self->restart_error ? self->restart_error->message : "");
      break;
    case ATC_RESTART_DONE:
      g_string_append (text, _("Restarted; the unit is back in command mode.\n"));
      break;
    default:
      break;
    }

  error = atc_apply_report_get_error (self);
  if (self->error != NULL)
    g_string_append_printf (text, _("Stopped: %s\nRead the unit and apply again to finish the job.\n"),
                            error->message);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       time_us)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *text = NULL;

  json_builder_set_member_name (builder, name);
  if (time_us == 0)
    {
      json_builder_add_null_value (builder);
      return;
    }
  time = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  text = g_date_time_format_iso8601 (time);
  json_builder_add_string_value (builder, text);
}

static void
add_error (JsonBuilder  *builder,
           const char   *name,
           const GError *error)
{
  json_builder_set_member_name (builder, name);
  if (error != NULL)
    json_builder_add_string_value (builder, error->message);
  else
    json_builder_add_null_value (builder);
}

static void
add_values (JsonBuilder       *builder,
            const AtcCommand  *command,
            const char *const *values)
{
  if (values == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  for (guint i = 0; i < command->params->len && values[i] != NULL; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);

      json_builder_set_member_name (builder, param->name);
      json_builder_add_string_value (builder, param->secret ? ATC_SECRET_MASK : values[i]);
    }
  json_builder_end_object (builder);
}

JsonNode *
atc_apply_report_to_json (AtcApplyReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ATC_IS_APPLY_REPORT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, atc_model_get_id (atc_apply_report_get_model (self)));
  add_time (builder, "started", self->started);
  add_time (builder, "finished", self->finished);
  json_builder_set_member_name (builder, "complete");
  json_builder_add_boolean_value (builder, atc_apply_report_is_complete (self));
  json_builder_set_member_name (builder, "interrupted");
  json_builder_add_boolean_value (builder, self->error != NULL);
  add_error (builder, "error", atc_apply_report_get_error (self));
  json_builder_set_member_name (builder, "settings_changed");
  json_builder_add_int_value (builder, atc_apply_report_count_changed (self));
  json_builder_set_member_name (builder, "restart");
  json_builder_add_string_value (builder, atc_restart_status_to_string (self->restart));
  add_error (builder, "restart_error", self->restart_error);

  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->steps->len; i++)
    {
      AtcApplyStep *step = g_ptr_array_index (self->steps, i);
      g_autofree char *line = atc_apply_step_get_line (step, FALSE);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "command");
      json_builder_add_string_value (builder, step->command->name);
      json_builder_set_member_name (builder, "line");
      json_builder_add_string_value (builder, line);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, atc_apply_status_to_string (step->status));
      json_builder_set_member_name (builder, "outcome");
      json_builder_add_string_value (builder, atc_apply_status_describe (step->status));
      add_error (builder, "error", step->error);
      json_builder_set_member_name (builder, "read_back");
      add_values (builder, step->command, (const char *const *) step->read_back);

      json_builder_set_member_name (builder, "changes");
      json_builder_begin_array (builder);
      for (guint j = 0; j < step->changes->len; j++)
        {
          const AtcConfigChange *change = g_ptr_array_index (step->changes, j);
          g_autofree char *label = atc_config_describe_param (change->command, change->param);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "param");
          json_builder_add_string_value (builder, change->param->name);
          json_builder_set_member_name (builder, "label");
          json_builder_add_string_value (builder, label);
          json_builder_set_member_name (builder, "old");
          if (change->old_value == NULL)
            json_builder_add_null_value (builder);
          else
            json_builder_add_string_value (builder, change->param->secret ? ATC_SECRET_MASK : change->old_value);
          json_builder_set_member_name (builder, "new");
          json_builder_add_string_value (builder, change->param->secret ? ATC_SECRET_MASK : change->new_value);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
