/* atc-applier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "atc-applier.h"
#include "atc-config-diff.h"
#include "atc-config-private.h"
#include "atc-config-reader.h"
#include "atc-error.h"
#include "atc-script.h"
#include "atc-validate.h"

struct _AtcApplier
{
  GObject         parent_instance;

  AtcSession     *session;
  AtcConfig      *current;
  AtcConfig      *target;
  AtcProfile     *profile;
  AtcConfigDiff  *diff;
  AtcApplyReport *report;
  gboolean        restart;
  gboolean        running;
};

G_DEFINE_FINAL_TYPE (AtcApplier, atc_applier, G_TYPE_OBJECT)

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  guint          index;     /* step being sent or verified */
  AtcApplyPhase  phase;
  gulong         reader_handler;
  AtcConfigReader *reader;
} ApplyData;

static void
apply_data_free (gpointer data)
{
  ApplyData *ad = data;

  if (ad->reader != NULL)
    {
      g_clear_signal_handler (&ad->reader_handler, ad->reader);
      g_clear_object (&ad->reader);
    }
  g_free (ad);
}

static void
atc_applier_dispose (GObject *object)
{
  AtcApplier *self = ATC_APPLIER (object);

  g_clear_object (&self->session);
  g_clear_object (&self->current);
  g_clear_object (&self->target);
  g_clear_object (&self->profile);
  g_clear_object (&self->diff);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (atc_applier_parent_class)->dispose (object);
}

static void
atc_applier_class_init (AtcApplierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = atc_applier_dispose;

  /**
   * AtcApplier::progress:
   * @phase: an #AtcApplyPhase
   * @command: (nullable): the command of this step
   * @done: steps of this phase completed before this one
   * @total: steps in this phase
   *
   * Emitted as each step of a phase starts, and once with
   * ATC_APPLY_PHASE_DONE at the end.
   */
  signals[PROGRESS] =
    g_signal_new ("progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4,
                  G_TYPE_INT,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_UINT, G_TYPE_UINT);
}

static void
atc_applier_init (AtcApplier *self)
{
}

static AtcApplier *
applier_new (AtcSession *session,
             AtcConfig  *current)
{
  AtcApplier *self = g_object_new (ATC_TYPE_APPLIER, NULL);

  self->session = g_object_ref (session);
  self->current = current ? g_object_ref (current) : NULL;
  return self;
}

AtcApplier *
atc_applier_new (AtcSession *session,
                 AtcConfig  *current,
                 AtcConfig  *target)
{
  AtcApplier *self;

  g_return_val_if_fail (ATC_IS_SESSION (session), NULL);
  g_return_val_if_fail (current == NULL || ATC_IS_CONFIG (current), NULL);
  g_return_val_if_fail (ATC_IS_CONFIG (target), NULL);

  self = applier_new (session, current);
  self->target = g_object_ref (target);
  return self;
}

AtcApplier *
atc_applier_new_for_profile (AtcSession *session,
                             AtcConfig  *current,
                             AtcProfile *profile)
{
  AtcApplier *self;

  g_return_val_if_fail (ATC_IS_SESSION (session), NULL);
  g_return_val_if_fail (current == NULL || ATC_IS_CONFIG (current), NULL);
  g_return_val_if_fail (ATC_IS_PROFILE (profile), NULL);

  self = applier_new (session, current);
  self->profile = g_object_ref (profile);
  return self;
}

AtcSession *
atc_applier_get_session (AtcApplier *self)
{
  g_return_val_if_fail (ATC_IS_APPLIER (self), NULL);

  return self->session;
}

void
atc_applier_set_restart (AtcApplier *self,
                         gboolean    restart)
{
  g_return_if_fail (ATC_IS_APPLIER (self));

  self->restart = !!restart;
}

gboolean
atc_applier_get_restart (AtcApplier *self)
{
  g_return_val_if_fail (ATC_IS_APPLIER (self), FALSE);

  return self->restart;
}

AtcConfig *
atc_applier_get_current (AtcApplier *self)
{
  g_return_val_if_fail (ATC_IS_APPLIER (self), NULL);

  return self->current;
}

AtcConfig *
atc_applier_get_target (AtcApplier *self)
{
  g_return_val_if_fail (ATC_IS_APPLIER (self), NULL);

  return self->target;
}

AtcConfigDiff *
atc_applier_get_diff (AtcApplier *self)
{
  g_return_val_if_fail (ATC_IS_APPLIER (self), NULL);

  return self->diff;
}

AtcApplyReport *
atc_applier_get_report (AtcApplier *self)
{
  g_return_val_if_fail (ATC_IS_APPLIER (self), NULL);

  return self->report;
}

static gboolean
same_model (AtcModel *a,
            AtcModel *b)
{
  return g_str_equal (atc_model_get_id (a), atc_model_get_id (b));
}

/* Computes target and diff once current is known. */
static gboolean
prepare (AtcApplier  *self,
         GError     **error)
{
  AtcModel *model;

  if (self->current == NULL)
    {
      g_set_error_literal (error, ATC_ERROR, ATC_ERROR_FAILED,
                           _("The unit's configuration is not known yet; read the unit first"));
      return FALSE;
    }

  if (self->diff != NULL)
    return TRUE;

  model = atc_config_get_model (self->current);

  if (self->profile != NULL)
    {
      if (!atc_profile_check_model (self->profile, model, error))
        return FALSE;
      g_clear_object (&self->target);
      self->target = atc_profile_apply_to_config (self->profile, self->current);
    }
  else if (!same_model (atc_config_get_model (self->target), model))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_PROFILE,
                   _("The settings are for the %s but the unit is a %s; use settings made for the %s"),
                   atc_model_get_name (atc_config_get_model (self->target)),
                   atc_model_get_name (model), atc_model_get_name (model));
      return FALSE;
    }

  if (atc_session_get_model (self->session) != NULL &&
      !same_model (atc_session_get_model (self->session), model))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_PROFILE,
                   _("The configuration was read from a %s but the session talks to a %s; read the unit again"),
                   atc_model_get_name (model),
                   atc_model_get_name (atc_session_get_model (self->session)));
      return FALSE;
    }

  self->diff = atc_config_diff_new (self->current, self->target);
  return TRUE;
}

static gboolean
is_explicit (AtcValueSource source)
{
  return source == ATC_VALUE_SOURCE_EDITED || source == ATC_VALUE_SOURCE_PROFILE;
}

gboolean
atc_applier_check (AtcApplier  *self,
                   GError     **error)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  GPtrArray *commands;
  guint n_problems = 0;

  g_return_val_if_fail (ATC_IS_APPLIER (self), FALSE);

  if (!prepare (self, error))
    return FALSE;

  commands = atc_config_diff_get_commands (self->diff);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      const GError *read_error = atc_config_get_read_error (self->current, command->name);
      g_auto(GStrv) values = atc_config_get_values (self->target, command->name);
      g_auto(GStrv) canonical = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean all_explicit = TRUE;

      for (guint j = 0; j < command->params->len; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);

          all_explicit &= is_explicit (atc_config_get_source (self->target, command->name, param->name));
        }

      /* A set command carries every parameter; those not changed come from
       * the unit, so an unread command would send catalog defaults in
       * their place and silently change them. */
      if (read_error != NULL && !all_explicit)
        {
          g_string_append_printf (problems,
                                  _("\n%s could not be read from the unit (%s), so the values of its "
                                    "other parameters are unknown; read the unit again, or set every "
                                    "parameter of %s"),
                                  command->name, read_error->message, command->name);
          n_problems++;
          continue;
        }

      if (values == NULL)
        {
          g_string_append_printf (problems, _("\n%s: some values are missing; read the unit first"),
                                  command->name);
          n_problems++;
          continue;
        }

      canonical = atc_command_validate (command, (const char *const *) values, &local_error);
      if (canonical == NULL)
        {
          g_autofree char *message = atc_config_redact (local_error->message, command,
                                                        (const char *const *) values);

          g_string_append_printf (problems, "\n%s", message);
          n_problems++;
        }
    }

  if (n_problems == 0)
    return TRUE;

  g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
               ngettext ("Nothing was sent: %u setting needs fixing first:%s",
                         "Nothing was sent: %u settings need fixing first:%s", n_problems),
               n_problems, problems->str);
  return FALSE;
}

static char *
restart_line (AtcModel *model)
{
  const char *name = atc_model_get_restart_command (model);
  const AtcCommand *command = name ? atc_model_lookup (model, name) : NULL;

  return command ? g_strdup_printf ("AT+%s", command->name) : NULL;
}

GStrv
atc_applier_dry_run (AtcApplier  *self,
                     gboolean     with_secrets,
                     GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GPtrArray *commands;

  g_return_val_if_fail (ATC_IS_APPLIER (self), NULL);

  if (!atc_applier_check (self, error))
    return NULL;

  commands = atc_config_diff_get_commands (self->diff);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      g_auto(GStrv) values = atc_config_get_values (self->target, command->name);
      g_autofree char *line = NULL;

      line = atc_script_format_set (command, (const char *const *) values, with_secrets, error);
      if (line == NULL)
        return NULL;
      g_strv_builder_add (builder, line);
    }

  if (self->restart)
    {
      g_autofree char *line = restart_line (atc_config_get_model (self->current));

      if (line != NULL)
        g_strv_builder_add (builder, line);
    }

  return g_strv_builder_end (builder);
}

/* The apply */

static void
emit_progress (AtcApplier    *self,
               AtcApplyPhase  phase,
               const char    *command,
               guint          done,
               guint          total)
{
  g_signal_emit (self, signals[PROGRESS], 0, (int) phase, command, done, total);
}

static AtcApplyStep *
step_at (AtcApplier *self,
         guint       index)
{
  GPtrArray *steps = atc_apply_report_get_steps (self->report);

  return index < steps->len ? g_ptr_array_index (steps, index) : NULL;
}

static void
finish (GTask *task)
{
  AtcApplier *self = g_task_get_source_object (task);

  atc_apply_report_finish (self->report);
  self->running = FALSE;
  emit_progress (self, ATC_APPLY_PHASE_DONE, NULL, 0, 0);
  g_task_return_pointer (task, g_object_ref (self->report), g_object_unref);
  g_object_unref (task);
}

static guint
count_status (AtcApplier     *self,
              AtcApplyStatus  status)
{
  return atc_apply_report_count (self->report, status);
}

static void verify_next (GTask *task);
static void send_next   (GTask *task);

/* Restart */

static void
restart_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  AtcApplier *self = g_task_get_source_object (task);
  ApplyData *ad = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!atc_session_restart_finish (ATC_SESSION (source), result, &error))
    {
      atc_apply_report_set_restart (self->report, ATC_RESTART_FAILED, error);
      finish (task);
      return;
    }

  atc_apply_report_set_restart (self->report, ATC_RESTART_DONE, NULL);

  /* What the unit saved is what counts: read it back once more. */
  ad->phase = ATC_APPLY_PHASE_VERIFY_RESTART;
  ad->index = 0;
  verify_next (task);
}

static void
maybe_restart (GTask *task)
{
  AtcApplier *self = g_task_get_source_object (task);
  GPtrArray *steps = atc_apply_report_get_steps (self->report);

  if (!self->restart)
    {
      finish (task);
      return;
    }

  /* A unit restarted with half its settings would come up in a state
   * nobody asked for; the technician decides once the report is read. */
  if (atc_apply_report_get_error (self->report) != NULL ||
      count_status (self, ATC_APPLY_VERIFIED) != steps->len)
    {
      g_autoptr(GError) error = g_error_new_literal (ATC_ERROR, ATC_ERROR_FAILED,
                                                     _("Not restarted: not every setting was applied and verified"));

      atc_apply_report_set_restart (self->report, ATC_RESTART_SKIPPED, error);
      finish (task);
      return;
    }

  /* Restart even when nothing changed: the unit uses saved settings only
   * after a restart, and a resumed apply may find them all saved already. */
  emit_progress (self, ATC_APPLY_PHASE_RESTART, NULL, 0, 1);
  atc_session_restart_async (self->session, g_task_get_cancellable (task), restart_cb, task);
}

/* Verify */

static char *
describe_mismatch (const AtcCommand  *command,
                   const char *const *expected,
                   const char *const *actual,
                   gboolean           after_restart)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_actual = g_strv_length ((GStrv) actual);

  if (n_actual != command->params->len)
    {
      g_string_append_printf (text, _("%s: the unit answered %u values instead of %u"),
                              command->name, n_actual, command->params->len);
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  for (guint i = 0; i < command->params->len; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);
      g_autofree char *canonical = atc_config_check_value (command, param, actual[i], NULL);
      g_autofree char *what = NULL;

      if (g_strcmp0 (canonical ? canonical : actual[i], expected[i]) == 0)
        continue;

      what = atc_config_describe_param (command, param);
      if (text->len > 0)
        g_string_append (text, "; ");
      if (param->secret)
        g_string_append_printf (text, after_restart
                                  ? _("%s: after the restart the unit reports a different value (not shown: it is secret)")
                                  : _("%s: the unit reports a different value than was written (not shown: it is secret)"),
                                what);
      else
        g_string_append_printf (text, after_restart
                                  ? _("%s: wrote %s, after the restart the unit reports %s")
                                  : _("%s: wrote %s, the unit reports %s"),
                                what, expected[i], actual[i]);
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static gboolean
link_lost (const GError *error)
{
  return g_error_matches (error, ATC_ERROR, ATC_ERROR_DISCONNECTED) ||
         g_error_matches (error, ATC_ERROR, ATC_ERROR_TIMEOUT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
verify_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  AtcApplier *self = g_task_get_source_object (task);
  ApplyData *ad = g_task_get_task_data (task);
  AtcApplyStep *step = step_at (self, ad->index);
  gboolean after_restart = ad->phase == ATC_APPLY_PHASE_VERIFY_RESTART;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;
  g_autofree char *mismatch = NULL;

  values = atc_session_query_finish (ATC_SESSION (source), result, &error);
  if (values == NULL)
    {
      g_autoptr(GError) why = g_error_new (error->domain, error->code,
                                           _("Applied, but reading it back failed: %s"),
                                           error->message);

      atc_apply_report_set_step_status (self->report, step, ATC_APPLY_APPLIED, why);
      if (link_lost (error))
        {
          atc_apply_report_set_error (self->report, error);
          if (after_restart)
            finish (task);
          else
            maybe_restart (task);
          return;
        }
    }
  else
    {
      atc_apply_report_set_read_back (self->report, step, (const char *const *) values);
      mismatch = describe_mismatch (step->command, (const char *const *) step->values,
                                    (const char *const *) values, after_restart);
      if (mismatch != NULL)
        {
          g_autoptr(GError) verify_error = g_error_new_literal (ATC_ERROR, ATC_ERROR_VERIFY, mismatch);

          atc_apply_report_set_step_status (self->report, step, ATC_APPLY_MISMATCH, verify_error);
        }
      else
        atc_apply_report_set_step_status (self->report, step, ATC_APPLY_VERIFIED, NULL);
    }

  ad->index++;
  verify_next (task);
}

static void
verify_next (GTask *task)
{
  AtcApplier *self = g_task_get_source_object (task);
  ApplyData *ad = g_task_get_task_data (task);
  GPtrArray *steps = atc_apply_report_get_steps (self->report);
  AtcApplyStatus wanted = ad->phase == ATC_APPLY_PHASE_VERIFY_RESTART
                          ? ATC_APPLY_VERIFIED : ATC_APPLY_APPLIED;
  AtcApplyStep *step;

  while ((step = step_at (self, ad->index)) != NULL && step->status != wanted)
    ad->index++;

  if (step == NULL)
    {
      if (ad->phase == ATC_APPLY_PHASE_VERIFY)
        maybe_restart (task);
      else
        finish (task);
      return;
    }

  emit_progress (self, ad->phase, step->command->name, ad->index, steps->len);
  atc_session_query_async (self->session, step->command->name,
                           g_task_get_cancellable (task), verify_cb, task);
}

static void
start_verify (GTask *task)
{
  ApplyData *ad = g_task_get_task_data (task);

  ad->phase = ATC_APPLY_PHASE_VERIFY;
  ad->index = 0;
  verify_next (task);
}

/* Send */

/* Whether the unit may have received the line. The session checks values
 * before sending; errors of that kind mean nothing left the host. */
static gboolean
refused_before_sending (const GError *error)
{
  return g_error_matches (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE) ||
         g_error_matches (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE) ||
         g_error_matches (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED) ||
         g_error_matches (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND);
}

static void
set_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  AtcApplier *self = g_task_get_source_object (task);
  ApplyData *ad = g_task_get_task_data (task);
  AtcApplyStep *step = step_at (self, ad->index);
  g_autoptr(GError) error = NULL;

  if (atc_session_set_finish (ATC_SESSION (source), result, &error))
    {
      const char *password_command = atc_model_get_password_command (atc_session_get_model (self->session));

      atc_apply_report_set_step_status (self->report, step, ATC_APPLY_APPLIED, NULL);

      /* Over the data channel every later line needs the new password. */
      if (password_command != NULL && g_str_equal (step->command->name, password_command) &&
          atc_session_get_password_mode (self->session))
        atc_session_set_command_password (self->session, step->values[0]);

      ad->index++;
      send_next (task);
      return;
    }

  atc_apply_report_set_error (self->report, error);

  if (g_error_matches (error, ATC_ERROR, ATC_ERROR_UNIT_ERROR))
    {
      /* The unit refused this one and is still talking: stop here, so no
       * enable flag or work mode goes out without the settings it needs,
       * and read back what was applied. */
      atc_apply_report_set_step_status (self->report, step, ATC_APPLY_REJECTED, error);
      start_verify (task);
      return;
    }

  if (refused_before_sending (error))
    atc_apply_report_set_step_status (self->report, step, ATC_APPLY_NOT_APPLIED, error);
  else
    atc_apply_report_set_step_status (self->report, step, ATC_APPLY_UNKNOWN, error);

  /* After a timeout, an unplug or a cancel, read-backs would only wait for
   * a unit that does not answer: the report tells what is known. */
  maybe_restart (task);
}

static gboolean
session_gone (AtcSession *session)
{
  AtcSessionState state = atc_session_get_state (session);

  return state == ATC_SESSION_DISCONNECTED || state == ATC_SESSION_CLOSED;
}

static void
send_next (GTask *task)
{
  AtcApplier *self = g_task_get_source_object (task);
  ApplyData *ad = g_task_get_task_data (task);
  GPtrArray *steps = atc_apply_report_get_steps (self->report);
  GCancellable *cancellable = g_task_get_cancellable (task);
  AtcApplyStep *step = step_at (self, ad->index);
  g_autoptr(GError) error = NULL;

  if (step == NULL)
    {
      start_verify (task);
      return;
    }

  /* Announced before the checks, so a Stop pressed on this very step
   * still finds the line unsent. */
  emit_progress (self, ATC_APPLY_PHASE_SET, step->command->name, ad->index, steps->len);

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      atc_apply_report_set_error (self->report, error);
      maybe_restart (task);
      return;
    }

  if (session_gone (self->session))
    {
      g_set_error (&error, ATC_ERROR, ATC_ERROR_DISCONNECTED,
                   _("The link to the unit went away before AT+%s was sent; reconnect and apply again"),
                   step->command->name);
      atc_apply_report_set_error (self->report, error);
      maybe_restart (task);
      return;
    }

  atc_session_set_async (self->session, step->command->name,
                         (const char *const *) step->values,
                         cancellable, set_cb, task);
}

static void
start_sending (GTask *task)
{
  AtcApplier *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!atc_applier_check (self, &error))
    {
      self->running = FALSE;
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_clear_object (&self->report);
  self->report = atc_apply_report_new (self->diff, self->target);
  if (self->restart)
    atc_apply_report_set_restart (self->report, ATC_RESTART_SKIPPED, NULL);

  send_next (task);
}

static void
reader_progress_cb (AtcConfigReader *reader,
                    guint            done,
                    guint            total,
                    const char      *command,
                    gpointer         user_data)
{
  emit_progress (user_data, ATC_APPLY_PHASE_READ, command, done, total);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  AtcApplier *self = g_task_get_source_object (task);
  GError *error = NULL;
  AtcConfig *current;

  current = atc_config_reader_read_finish (ATC_CONFIG_READER (source), result, &error);
  if (current == NULL)
    {
      self->running = FALSE;
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  self->current = current;
  start_sending (task);
}

void
atc_applier_apply_async (AtcApplier          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  ApplyData *ad;

  g_return_if_fail (ATC_IS_APPLIER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atc_applier_apply_async);
  /* A cancelled apply still answers with its report: what was sent
   * before the cancel must not be lost. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->running)
    {
      g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_FAILED,
                               _("An apply is already running on this unit; wait for it to finish"));
      g_object_unref (task);
      return;
    }
  self->running = TRUE;

  ad = g_new0 (ApplyData, 1);
  g_task_set_task_data (task, ad, apply_data_free);

  if (self->current != NULL)
    {
      start_sending (task);
      return;
    }

  ad->phase = ATC_APPLY_PHASE_READ;
  ad->reader = atc_config_reader_new (self->session);
  ad->reader_handler = g_signal_connect (ad->reader, "progress",
                                         G_CALLBACK (reader_progress_cb), self);
  atc_config_reader_read_async (ad->reader, cancellable, read_cb, task);
}

AtcApplyReport *
atc_applier_apply_finish (AtcApplier    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (ATC_IS_APPLIER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
