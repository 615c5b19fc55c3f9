/* atc-config-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "atc-config-reader.h"
#include "atc-error.h"

struct _AtcConfigReader
{
  GObject     parent_instance;

  AtcSession *session;
};

G_DEFINE_FINAL_TYPE (AtcConfigReader, atc_config_reader, G_TYPE_OBJECT)

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  AtcConfig *config;
  guint      total;
  guint      done;
  guint      n_ok;
  GError    *first_error;
} ReadData;

typedef struct {
  GTask            *task;
  const AtcCommand *command;
} QueryData;

static void
read_data_free (gpointer data)
{
  ReadData *rd = data;

  g_clear_object (&rd->config);
  g_clear_error (&rd->first_error);
  g_free (rd);
}

static void
atc_config_reader_dispose (GObject *object)
{
  AtcConfigReader *self = ATC_CONFIG_READER (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (atc_config_reader_parent_class)->dispose (object);
}

static void
atc_config_reader_class_init (AtcConfigReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = atc_config_reader_dispose;

  /**
   * AtcConfigReader::progress:
   * @done: queries completed so far
   * @total: queries in this read
   * @command: the command that just completed
   */
  signals[PROGRESS] =
    g_signal_new ("progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_UINT, G_TYPE_UINT,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
atc_config_reader_init (AtcConfigReader *self)
{
}

AtcConfigReader *
atc_config_reader_new (AtcSession *session)
{
  AtcConfigReader *self;

  g_return_val_if_fail (ATC_IS_SESSION (session), NULL);

  self = g_object_new (ATC_TYPE_CONFIG_READER, NULL);
  self->session = g_object_ref (session);

  return self;
}

AtcSession *
atc_config_reader_get_session (AtcConfigReader *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG_READER (self), NULL);

  return self->session;
}

static void
read_complete (GTask *task)
{
  ReadData *rd = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    g_task_return_error (task, error);
  else if (rd->n_ok == 0 && rd->first_error != NULL)
    g_task_return_new_error (task, rd->first_error->domain, rd->first_error->code,
                             _("Could not read the unit: %s"), rd->first_error->message);
  else
    g_task_return_pointer (task, g_object_ref (rd->config), g_object_unref);
}

static void
query_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree QueryData *qd = user_data;
  g_autoptr(GTask) task = qd->task;
  AtcConfigReader *self = g_task_get_source_object (task);
  ReadData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;

  values = atc_session_query_finish (ATC_SESSION (source), result, &error);

  if (values != NULL && qd->command->identity)
    {
      g_autofree char *joined = g_strjoinv (",", values);

      atc_config_set_fact (rd->config, qd->command->name, joined);
      rd->n_ok++;
    }
  else if (values != NULL)
    {
      g_autoptr(GError) store_error = NULL;

      /* A value the catalog finds invalid is still the unit's value: it is
       * stored, marked invalid, for the technician to see and fix. */
      if (!atc_config_set_values (rd->config, qd->command->name, (const char *const *) values,
                                  ATC_VALUE_SOURCE_UNIT, &store_error) &&
          !g_error_matches (store_error, ATC_ERROR, ATC_ERROR_INVALID_VALUE) &&
          !g_error_matches (store_error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE))
        atc_config_set_read_error (rd->config, qd->command->name, store_error);
      else
        {
          atc_config_set_read_error (rd->config, qd->command->name, NULL);
          rd->n_ok++;
        }
    }
  else
    {
      if (!qd->command->identity)
        atc_config_set_read_error (rd->config, qd->command->name, error);
      if (rd->first_error == NULL)
        rd->first_error = g_error_copy (error);
    }

  rd->done++;
  g_signal_emit (self, signals[PROGRESS], 0, rd->done, rd->total, qd->command->name);

  if (rd->done == rd->total)
    read_complete (task);
}

static void
start_queries (GTask *task)
{
  AtcConfigReader *self = g_task_get_source_object (task);
  ReadData *rd = g_task_get_task_data (task);
  AtcModel *model = atc_session_get_model (self->session);
  g_autoptr(GPtrArray) commands = g_ptr_array_new ();
  GPtrArray *settings;
  GPtrArray *facts;

  rd->config = atc_config_new (model);
  facts = atc_config_get_fact_commands (rd->config);
  settings = atc_config_get_commands (rd->config);

  /* Identity first: a technician checks which unit this is before
   * looking at its settings. */
  g_ptr_array_extend (commands, facts, NULL, NULL);
  g_ptr_array_extend (commands, settings, NULL, NULL);
  rd->total = commands->len;

  if (rd->total == 0)
    {
      read_complete (task);
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < commands->len; i++)
    {
      QueryData *qd = g_new0 (QueryData, 1);

      qd->task = g_object_ref (task);
      qd->command = g_ptr_array_index (commands, i);
      atc_session_query_async (self->session, qd->command->name,
                               g_task_get_cancellable (task), query_cb, qd);
    }

  g_object_unref (task);
}

static void
detect_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(AtcDetection) detection = NULL;
  GError *error = NULL;

  detection = atc_session_detect_finish (ATC_SESSION (source), result, &error);
  if (detection == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  start_queries (task);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!atc_session_connect_finish (ATC_SESSION (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  start_queries (task);
}

static gboolean
session_is_ready (AtcSession *session)
{
  AtcSessionState state = atc_session_get_state (session);

  return state == ATC_SESSION_COMMAND_MODE || state == ATC_SESSION_PASSWORD_MODE;
}

void
atc_config_reader_read_async (AtcConfigReader     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ATC_IS_CONFIG_READER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atc_config_reader_read_async);
  g_task_set_task_data (task, g_new0 (ReadData, 1), read_data_free);

  if (atc_session_get_model (self->session) == NULL)
    atc_session_detect_async (self->session, cancellable, detect_cb, task);
  else if (!session_is_ready (self->session))
    atc_session_connect_async (self->session, cancellable, connect_cb, task);
  else
    start_queries (task);
}

AtcConfig *
atc_config_reader_read_finish (AtcConfigReader  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (ATC_IS_CONFIG_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
