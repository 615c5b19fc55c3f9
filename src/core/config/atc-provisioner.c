/* atc-provisioner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "atc-address.h"
#include "atc-config-reader.h"
#include "atc-error.h"
#include "atc-provisioner.h"

typedef struct {
  char       *label;    /* for the report: never a password */
  char       *address;  /* NULL when a session was given */
  AtcSession *session;
} UnitSpec;

struct _AtcProvisioner
{
  GObject             parent_instance;

  AtcProfile         *profile;
  GPtrArray          *units;   /* UnitSpec* */
  gboolean            restart;
  double              timeout_scale;
  char               *password;
  AtcProvisionReport *report;
  gboolean            running;
};

G_DEFINE_FINAL_TYPE (AtcProvisioner, atc_provisioner, G_TYPE_OBJECT)

enum {
  UNIT_PROGRESS,
  UNIT_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  guint pending;
} RunData;

typedef struct {
  GTask             *task;       /* the run */
  guint              index;
  AtcProvisionEntry *entry;
  AtcSession        *session;
  gboolean           own_session;
  AtcApplier        *applier;
  gulong             progress_id;
} Job;

static void
unit_spec_free (gpointer data)
{
  UnitSpec *spec = data;

  g_free (spec->label);
  g_free (spec->address);
  g_clear_object (&spec->session);
  g_free (spec);
}

static void
atc_provisioner_dispose (GObject *object)
{
  AtcProvisioner *self = ATC_PROVISIONER (object);

  g_clear_pointer (&self->units, g_ptr_array_unref);
  g_clear_object (&self->report);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->password, g_free);

  G_OBJECT_CLASS (atc_provisioner_parent_class)->dispose (object);
}

static void
atc_provisioner_class_init (AtcProvisionerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = atc_provisioner_dispose;

  /**
   * AtcProvisioner::unit-progress:
   * @index: the unit, as returned when it was added
   * @phase: an #AtcApplyPhase
   * @command: (nullable): the command of this step
   * @done: steps of the phase done
   * @total: steps in the phase
   */
  signals[UNIT_PROGRESS] =
    g_signal_new ("unit-progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5,
                  G_TYPE_UINT, G_TYPE_INT,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_UINT, G_TYPE_UINT);

  /**
   * AtcProvisioner::unit-finished:
   * @index: the unit
   * @entry: its AtcProvisionEntry, owned by the report
   */
  signals[UNIT_FINISHED] =
    g_signal_new ("unit-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_UINT, G_TYPE_POINTER);
}

static void
atc_provisioner_init (AtcProvisioner *self)
{
  self->units = g_ptr_array_new_with_free_func (unit_spec_free);
  self->timeout_scale = 1.0;
}

AtcProvisioner *
atc_provisioner_new (AtcProfile *profile)
{
  AtcProvisioner *self;

  g_return_val_if_fail (ATC_IS_PROFILE (profile), NULL);

  self = g_object_new (ATC_TYPE_PROVISIONER, NULL);
  self->profile = g_object_ref (profile);

  return self;
}

AtcProfile *
atc_provisioner_get_profile (AtcProvisioner *self)
{
  g_return_val_if_fail (ATC_IS_PROVISIONER (self), NULL);

  return self->profile;
}

/* The address as the report shows it: canonical, without a password. */
static char *
address_label (const char *address)
{
  g_autoptr(AtcAddress) parsed = atc_address_parse (address, NULL);

  if (parsed == NULL)
    return g_strdup (address);
  return atc_address_to_string (parsed, FALSE);
}

guint
atc_provisioner_add_address (AtcProvisioner *self,
                             const char     *address)
{
  UnitSpec *spec;

  g_return_val_if_fail (ATC_IS_PROVISIONER (self), 0);
  g_return_val_if_fail (address != NULL, 0);
  g_return_val_if_fail (!self->running, 0);

  spec = g_new0 (UnitSpec, 1);
  spec->label = address_label (address);
  spec->address = g_strdup (address);
  g_ptr_array_add (self->units, spec);

  return self->units->len - 1;
}

guint
atc_provisioner_add_session (AtcProvisioner *self,
                             AtcSession     *session,
                             const char     *label)
{
  UnitSpec *spec;

  g_return_val_if_fail (ATC_IS_PROVISIONER (self), 0);
  g_return_val_if_fail (ATC_IS_SESSION (session), 0);
  g_return_val_if_fail (!self->running, 0);

  spec = g_new0 (UnitSpec, 1);
  if (label != NULL)
    spec->label = g_strdup (label);
  else
    {
      const AtcAddress *address = atc_transport_get_address (atc_session_get_transport (session));

      spec->label = address ? atc_address_to_string (address, FALSE) : g_strdup ("?");
    }
  spec->session = g_object_ref (session);
  g_ptr_array_add (self->units, spec);

  return self->units->len - 1;
}

guint
atc_provisioner_get_n_units (AtcProvisioner *self)
{
  g_return_val_if_fail (ATC_IS_PROVISIONER (self), 0);

  return self->units->len;
}

void
atc_provisioner_set_restart (AtcProvisioner *self,
                             gboolean        restart)
{
  g_return_if_fail (ATC_IS_PROVISIONER (self));

  self->restart = !!restart;
}

void
atc_provisioner_set_command_password (AtcProvisioner *self,
                                      const char     *password)
{
  g_return_if_fail (ATC_IS_PROVISIONER (self));

  g_free (self->password);
  self->password = g_strdup (password);
}

void
atc_provisioner_set_timeout_scale (AtcProvisioner *self,
                                   double          scale)
{
  g_return_if_fail (ATC_IS_PROVISIONER (self));
  g_return_if_fail (scale > 0.0);

  self->timeout_scale = scale;
}

AtcProvisionReport *
atc_provisioner_get_report (AtcProvisioner *self)
{
  g_return_val_if_fail (ATC_IS_PROVISIONER (self), NULL);

  return self->report;
}

/* One unit */

static void
job_free (Job *job)
{
  if (job->applier != NULL && job->progress_id != 0)
    g_clear_signal_handler (&job->progress_id, job->applier);
  g_clear_object (&job->applier);
  g_clear_object (&job->session);
  g_clear_object (&job->task);
  g_free (job);
}

static void
job_add_error (Job          *job,
               const GError *error)
{
  g_ptr_array_add (job->entry->errors, g_strdup (error->message));
}

static void
job_done (Job *job)
{
  AtcProvisioner *self = g_task_get_source_object (job->task);
  RunData *run = g_task_get_task_data (job->task);
  GTask *task = g_object_ref (job->task);

  if (job->own_session)
    atc_session_close (job->session);

  job->entry->finished = g_get_real_time ();
  g_signal_emit (self, signals[UNIT_FINISHED], 0, job->index, job->entry);
  job_free (job);

  if (--run->pending == 0)
    {
      self->running = FALSE;
      g_task_return_pointer (task, g_object_ref (self->report), g_object_unref);
    }
  g_object_unref (task);
}

static void
leave_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;

  if (!atc_session_leave_finish (ATC_SESSION (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The unit may still be in command mode: %s"),
                                                  error->message);

      g_ptr_array_add (job->entry->errors, g_steal_pointer (&message));
    }

  job_done (job);
}

/* A unit left in command mode carries no data: send it back to work. */
static void
job_leave (Job *job)
{
  if (atc_session_get_state (job->session) != ATC_SESSION_COMMAND_MODE)
    {
      job_done (job);
      return;
    }

  atc_session_leave_async (job->session, NULL, leave_cb, job);
}

static void
job_fail (Job          *job,
          const GError *error)
{
  job->entry->result = ATC_PROVISION_FAILED;
  job_add_error (job, error);
  job_leave (job);
}

static void
on_apply_progress (AtcApplier *applier,
                   int         phase,
                   const char *command,
                   guint       done,
                   guint       total,
                   gpointer    user_data)
{
  Job *job = user_data;

  g_signal_emit (g_task_get_source_object (job->task), signals[UNIT_PROGRESS], 0,
                 job->index, phase, command, done, total);
}

static void
apply_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const GError *stop;

  report = atc_applier_apply_finish (ATC_APPLIER (source), result, &error);
  if (report == NULL)
    {
      job_fail (job, error);
      return;
    }

  job->entry->apply_report = g_object_ref (report);
  job->entry->settings_changed = atc_apply_report_count_changed (report);

  if (atc_apply_report_is_complete (report))
    job->entry->result = ATC_PROVISION_OK;
  else if (job->entry->settings_changed > 0)
    job->entry->result = ATC_PROVISION_PARTIAL;
  else
    job->entry->result = ATC_PROVISION_FAILED;

  stop = atc_apply_report_get_error (report);
  if (stop != NULL)
    job_add_error (job, stop);
  if (atc_apply_report_get_restart_error (report) != NULL &&
      atc_apply_report_get_restart_error (report) != stop)
    job_add_error (job, atc_apply_report_get_restart_error (report));

  job_leave (job);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Job *job = user_data;
  AtcProvisioner *self = g_task_get_source_object (job->task);
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(GError) error = NULL;
  const char *mac;

  current = atc_config_reader_read_finish (ATC_CONFIG_READER (source), result, &error);
  g_object_unref (source);
  if (current == NULL)
    {
      job_fail (job, error);
      return;
    }

  job->entry->sn = g_strdup (atc_config_get_fact (current, "SN"));
  job->entry->imei = g_strdup (atc_config_get_fact (current, "IMEI"));
  job->entry->iccid = g_strdup (atc_config_get_fact (current, "ICCID"));
  mac = atc_config_get_fact (current, "MAC");
  job->entry->mac = g_strdup (mac);
  if (job->entry->firmware == NULL)
    job->entry->firmware = g_strdup (atc_config_get_fact (current, "VER"));

  job->applier = atc_applier_new_for_profile (job->session, current, self->profile);
  atc_applier_set_restart (job->applier, self->restart);
  job->progress_id = g_signal_connect (job->applier, "progress", G_CALLBACK (on_apply_progress), job);
  atc_applier_apply_async (job->applier, g_task_get_cancellable (job->task), apply_cb, job);
}

static void
detect_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Job *job = user_data;
  AtcProvisioner *self = g_task_get_source_object (job->task);
  g_autoptr(AtcDetection) detection = NULL;
  g_autoptr(GError) error = NULL;
  AtcConfigReader *reader;

  detection = atc_session_detect_finish (ATC_SESSION (source), result, &error);
  if (detection == NULL)
    {
      job_fail (job, error);
      return;
    }

  job->entry->model = g_strdup (atc_model_get_id (detection->model));
  job->entry->firmware = g_strdup (detection->firmware);

  /* Checked before anything is read or sent: a G781 profile on an M0
   * would fail setting by setting, and say less. */
  if (!atc_profile_check_model (self->profile, detection->model, &error))
    {
      job_fail (job, error);
      return;
    }

  reader = atc_config_reader_new (job->session);
  atc_config_reader_read_async (reader, g_task_get_cancellable (job->task), read_cb, job);
}

static void
job_start (GTask *task,
           guint  index)
{
  AtcProvisioner *self = g_task_get_source_object (task);
  UnitSpec *spec = g_ptr_array_index (self->units, index);
  AtcProvisionEntry *entry = g_ptr_array_index (atc_provision_report_get_entries (self->report), index);
  g_autoptr(GError) error = NULL;
  Job *job;

  job = g_new0 (Job, 1);
  job->task = g_object_ref (task);
  job->index = index;
  job->entry = entry;
  entry->started = g_get_real_time ();

  if (spec->session != NULL)
    job->session = g_object_ref (spec->session);
  else
    {
      g_autoptr(AtcAddress) parsed = atc_address_parse (spec->address, NULL);

      job->session = atc_session_new_for_address (spec->address, &error);
      job->own_session = TRUE;
      if (job->session == NULL)
        {
          job->own_session = FALSE;
          job->entry->result = ATC_PROVISION_FAILED;
          job_add_error (job, error);
          /* Finish from the main loop, like every other unit. */
          g_idle_add_once ((GSourceOnceFunc) job_done, job);
          return;
        }
      if (self->password != NULL && parsed != NULL && parsed->password == NULL)
        atc_session_set_command_password (job->session, self->password);
    }

  atc_session_set_timeout_scale (job->session, self->timeout_scale);
  atc_session_detect_async (job->session, g_task_get_cancellable (task), detect_cb, job);
}

void
atc_provisioner_run_async (AtcProvisioner      *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_return_if_fail (ATC_IS_PROVISIONER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atc_provisioner_run_async);
  /* The report is the answer, cancelled or not. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->running)
    {
      g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_FAILED,
                               _("Provisioning is already running; wait for it to finish"));
      return;
    }
  if (self->units->len == 0)
    {
      g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_FAILED,
                               _("No units to provision; give at least one port or address"));
      return;
    }

  self->running = TRUE;
  g_clear_object (&self->report);
  self->report = atc_provision_report_new (self->profile);
  for (guint i = 0; i < self->units->len; i++)
    atc_provision_report_add (self->report, ((UnitSpec *) g_ptr_array_index (self->units, i))->label);

  run = g_new0 (RunData, 1);
  run->pending = self->units->len;
  g_task_set_task_data (task, run, g_free);

  for (guint i = 0; i < self->units->len; i++)
    job_start (task, i);
}

AtcProvisionReport *
atc_provisioner_run_finish (AtcProvisioner  *self,
                            GAsyncResult    *result,
                            GError         **error)
{
  g_return_val_if_fail (ATC_IS_PROVISIONER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
