/* atc-console-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "atc-console-history.h"

struct _AtcConsoleHistory
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *lines;

  /* Saves run in worker threads and may finish out of order: each carries
   * the generation it snapshot, and an older one never overwrites a newer. */
  GMutex     write_lock;
  guint64    generation;
  guint64    written;
};

G_DEFINE_FINAL_TYPE (AtcConsoleHistory, atc_console_history, G_TYPE_OBJECT)

static void
atc_console_history_finalize (GObject *object)
{
  AtcConsoleHistory *self = ATC_CONSOLE_HISTORY (object);

  g_free (self->path);
  g_ptr_array_unref (self->lines);
  g_mutex_clear (&self->write_lock);

  G_OBJECT_CLASS (atc_console_history_parent_class)->finalize (object);
}

static void
atc_console_history_class_init (AtcConsoleHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atc_console_history_finalize;
}

static void
atc_console_history_init (AtcConsoleHistory *self)
{
  self->lines = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&self->write_lock);
}

char *
atc_console_history_get_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "atconf", "console-history", NULL);
}

AtcConsoleHistory *
atc_console_history_new (const char *path)
{
  AtcConsoleHistory *self = g_object_new (ATC_TYPE_CONSOLE_HISTORY, NULL);

  self->path = g_strdup (path);

  return self;
}

const char *
atc_console_history_get_path (AtcConsoleHistory *self)
{
  g_return_val_if_fail (ATC_IS_CONSOLE_HISTORY (self), NULL);

  return self->path;
}

GPtrArray *
atc_console_history_get_lines (AtcConsoleHistory *self)
{
  g_return_val_if_fail (ATC_IS_CONSOLE_HISTORY (self), NULL);

  return self->lines;
}

static void
trim (AtcConsoleHistory *self)
{
  if (self->lines->len > ATC_CONSOLE_HISTORY_MAX)
    g_ptr_array_remove_range (self->lines, 0, self->lines->len - ATC_CONSOLE_HISTORY_MAX);
}

gboolean
atc_console_history_add (AtcConsoleHistory *self,
                         const char        *line)
{
  g_return_val_if_fail (ATC_IS_CONSOLE_HISTORY (self), FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  if (*line == '\0' || strpbrk (line, "\r\n") != NULL)
    return FALSE;
  if (self->lines->len > 0 &&
      g_str_equal (g_ptr_array_index (self->lines, self->lines->len - 1), line))
    return FALSE;

  g_ptr_array_add (self->lines, g_strdup (line));
  trim (self);

  return TRUE;
}

void
atc_console_history_clear (AtcConsoleHistory *self)
{
  g_return_if_fail (ATC_IS_CONSOLE_HISTORY (self));

  g_ptr_array_set_size (self->lines, 0);
}

/* ------------------------------------------------------------ load */

static GPtrArray *
read_lines (const char  *path,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) split = NULL;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return lines;
      g_ptr_array_unref (lines);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot read the console history %s: %s"), path, local_error->message);
      return NULL;
    }

  split = g_strsplit (contents, "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    if (*split[i] != '\0' && g_utf8_validate (split[i], -1, NULL))
      g_ptr_array_add (lines, g_strdup (split[i]));

  return lines;
}

static void
merge_loaded (AtcConsoleHistory *self,
              GPtrArray         *loaded)
{
  /* Lines typed while the file was read come after the stored ones. The
   * array stays the same object: a line editor may hold it. */
  for (guint i = 0; i < self->lines->len; i++)
    g_ptr_array_add (loaded, g_strdup (g_ptr_array_index (self->lines, i)));

  g_ptr_array_set_size (self->lines, 0);
  for (guint i = 0; i < loaded->len; i++)
    g_ptr_array_add (self->lines, g_strdup (g_ptr_array_index (loaded, i)));
  trim (self);
}

gboolean
atc_console_history_load (AtcConsoleHistory  *self,
                          GError            **error)
{
  g_autoptr(GPtrArray) loaded = NULL;

  g_return_val_if_fail (ATC_IS_CONSOLE_HISTORY (self), FALSE);

  if (self->path == NULL)
    return TRUE;

  loaded = read_lines (self->path, error);
  if (loaded == NULL)
    return FALSE;

  merge_loaded (self, loaded);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *loaded = read_lines (task_data, &error);

  if (loaded == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, loaded, (GDestroyNotify) g_ptr_array_unref);
}

void
atc_console_history_load_async (AtcConsoleHistory   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATC_IS_CONSOLE_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atc_console_history_load_async);

  if (self->path == NULL)
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_free),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
atc_console_history_load_finish (AtcConsoleHistory  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_autoptr(GPtrArray) loaded = NULL;

  g_return_val_if_fail (ATC_IS_CONSOLE_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return FALSE;

  merge_loaded (self, loaded);
  return TRUE;
}

/* ------------------------------------------------------------ save */

typedef struct
{
  char    *path;
  char    *contents;
  guint64  generation;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->path);
  g_free (job->contents);
  g_free (job);
}

static SaveJob *
save_job_new (AtcConsoleHistory *self)
{
  SaveJob *job = g_new0 (SaveJob, 1);
  GString *contents = g_string_new (NULL);

  for (guint i = 0; i < self->lines->len; i++)
    g_string_append_printf (contents, "%s\n", (const char *) g_ptr_array_index (self->lines, i));

  job->path = g_strdup (self->path);
  job->contents = g_string_free (contents, FALSE);
  job->generation = ++self->generation;

  return job;
}

static gboolean
write_job (AtcConsoleHistory  *self,
           SaveJob            *job,
           GError            **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->write_lock);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;

  if (job->generation <= self->written)
    return TRUE;  /* a newer snapshot is already on disk */

  dir = g_path_get_dirname (job->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot save the console history in %s: %s"), job->path, g_strerror (errsv));
      return FALSE;
    }

  if (!g_file_set_contents_full (job->path, job->contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot save the console history in %s: %s"), job->path,
                   local_error->message);
      return FALSE;
    }

  self->written = job->generation;
  return TRUE;
}

gboolean
atc_console_history_save (AtcConsoleHistory  *self,
                          GError            **error)
{
  SaveJob *job;
  gboolean ok;

  g_return_val_if_fail (ATC_IS_CONSOLE_HISTORY (self), FALSE);

  if (self->path == NULL)
    return TRUE;

  job = save_job_new (self);
  ok = write_job (self, job, error);
  save_job_free (job);

  return ok;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_job (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
atc_console_history_save_async (AtcConsoleHistory   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATC_IS_CONSOLE_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atc_console_history_save_async);

  if (self->path == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_task_set_task_data (task, save_job_new (self), (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
atc_console_history_save_finish (AtcConsoleHistory  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (ATC_IS_CONSOLE_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
