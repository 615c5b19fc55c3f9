/* atc-bench-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* RUSAGE_THREAD */
#define _GNU_SOURCE

#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "atc-bench-sim.h"

#define CLOCK_TICK_MS 100

struct _AtcBenchSim
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  AtcSimulator *sim;
  char         *model_id;
  char         *pty;
  guint         latency_ms;
  guint         baud;
  guint         accel;
  guint         packing_ms;

  /* touched on the simulator's thread only */
  guint64       echo;
  gint64        turnaround_us;
  guint         n_commands;   /* the simulator's count is reset with its log */

  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
  GError       *error;
};

gint64
atc_bench_line_time_us (guint64 n_bytes,
                        guint   baud)
{
  return (gint64) (n_bytes * 10 * G_USEC_PER_SEC / MAX (baud, 1));
}

static void
on_command_executed (AtcSimulator   *sim,
                     AtcSimLogEntry *entry,
                     gpointer        user_data)
{
  AtcBenchSim *self = user_data;
  guint64 echo = 0;

  /* What send_echo() wrote: the line and CR LF. Secrets are masked in
   * the log; the benchmarks send none. */
  if (!entry->transparent && atc_sim_unit_get_echo (atc_simulator_get_unit (sim)))
    echo = strlen (entry->line) + 2;

  self->n_commands++;
  self->echo += echo;
  self->turnaround_us += MAX ((gint64) self->latency_ms * 1000,
                              atc_bench_line_time_us (echo, self->baud));
}

static gboolean
on_clock_tick (gpointer user_data)
{
  AtcBenchSim *self = user_data;

  atc_simulator_advance (self->sim, CLOCK_TICK_MS * self->accel);
  /* The unit's own log (10000 entries) would grow in this process for
   * hours; it is the unit's memory, not the host's. */
  atc_simulator_clear_log (self->sim);
  return G_SOURCE_CONTINUE;
}

static gpointer
sim_thread (gpointer user_data)
{
  AtcBenchSim *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) tick = NULL;

  g_main_context_push_thread_default (self->context);

  self->sim = atc_simulator_new_for_model_id (self->model_id, 1, &error);
  if (self->sim != NULL)
    {
      g_object_set (self->sim,
                    "latency-ms", self->latency_ms,
                    "auto-clock", self->accel == 0,
                    NULL);
      if (atc_simulator_set_baud (self->sim, self->baud, &error))
        {
          const char *pty;

          g_object_set (self->sim, "pace", TRUE, NULL);
          pty = atc_simulator_open_pty (self->sim, &error);
          self->pty = g_strdup (pty);
        }
      self->packing_ms = atc_sim_unit_get_packing_ms (atc_simulator_get_unit (self->sim));
      g_signal_connect (self->sim, "command-executed", G_CALLBACK (on_command_executed), self);
    }

  if (self->accel > 0)
    {
      tick = g_timeout_source_new (CLOCK_TICK_MS);
      g_source_set_callback (tick, on_clock_tick, self, NULL);
      g_source_attach (tick, self->context);
    }

  g_mutex_lock (&self->mutex);
  self->ready = TRUE;
  self->error = g_steal_pointer (&error);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (self->error == NULL)
    g_main_loop_run (self->loop);

  if (tick != NULL)
    g_source_destroy (tick);
  g_clear_object (&self->sim);
  /* Let the link's last callbacks run and close the pty. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* Runs func on the simulator's thread and waits for it. */
typedef struct {
  AtcBenchSim *self;
  GSourceFunc  func;
  gpointer     data;
  gboolean     done;
} Call;

static gboolean
call_cb (gpointer user_data)
{
  Call *call = user_data;

  call->func (call->data);
  g_mutex_lock (&call->self->mutex);
  call->done = TRUE;
  g_cond_broadcast (&call->self->cond);
  g_mutex_unlock (&call->self->mutex);
  return G_SOURCE_REMOVE;
}

static void
sim_call (AtcBenchSim *self,
          GSourceFunc  func,
          gpointer     data)
{
  Call call = { self, func, data, FALSE };

  /* Low priority: whatever the simulator has ready to dispatch (the end
   * of a write, a reply due now) runs first. */
  g_main_context_invoke_full (self->context, G_PRIORITY_LOW, call_cb, &call, NULL);
  g_mutex_lock (&self->mutex);
  while (!call.done)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
}

AtcBenchSim *
atc_bench_sim_start (const char  *model_id,
                     guint        latency_ms,
                     guint        baud,
                     guint        accel,
                     GError     **error)
{
  AtcBenchSim *self = g_new0 (AtcBenchSim, 1);

  self->model_id = g_strdup (model_id);
  self->latency_ms = latency_ms;
  self->baud = baud;
  self->accel = accel;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  self->thread = g_thread_new ("simulator", sim_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      atc_bench_sim_stop (self);
      return NULL;
    }

  return self;
}

const char *
atc_bench_sim_get_pty (AtcBenchSim *self)
{
  return self->pty;
}

guint
atc_bench_sim_get_baud (AtcBenchSim *self)
{
  return self->baud;
}

guint
atc_bench_sim_get_latency (AtcBenchSim *self)
{
  return self->latency_ms;
}

guint
atc_bench_sim_get_packing_ms (AtcBenchSim *self)
{
  return self->packing_ms;
}

typedef struct {
  AtcBenchSim  *self;
  AtcBenchWire *wire;
} Snapshot;

static gboolean
snapshot_cb (gpointer user_data)
{
  Snapshot *snap = user_data;
  AtcBenchSim *self = snap->self;
  struct rusage usage;

  atc_simulator_get_byte_counts (self->sim, &snap->wire->from_host, &snap->wire->to_host);
  snap->wire->echo = self->echo;
  snap->wire->n_commands = self->n_commands;
  snap->wire->turnaround_us = self->turnaround_us;
  if (getrusage (RUSAGE_THREAD, &usage) == 0)
    snap->wire->cpu_us = (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
                         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
  return G_SOURCE_REMOVE;
}

void
atc_bench_sim_snapshot (AtcBenchSim  *self,
                        AtcBenchWire *wire)
{
  Snapshot snap = { self, wire };

  memset (wire, 0, sizeof *wire);
  sim_call (self, snapshot_cb, &snap);
}

void
atc_bench_wire_diff (const AtcBenchWire *after,
                     const AtcBenchWire *before,
                     AtcBenchWire       *delta)
{
  delta->from_host = after->from_host - before->from_host;
  delta->to_host = after->to_host - before->to_host;
  delta->echo = after->echo - before->echo;
  delta->n_commands = after->n_commands - before->n_commands;
  delta->turnaround_us = after->turnaround_us - before->turnaround_us;
  delta->cpu_us = after->cpu_us - before->cpu_us;
}

gint64
atc_bench_wire_bound_us (const AtcBenchWire *delta,
                         guint               baud)
{
  return delta->turnaround_us +
         atc_bench_line_time_us (delta->from_host + delta->to_host - delta->echo, baud);
}

typedef struct {
  AtcBenchSim *self;
  guint        last_n;
  GString     *out;
} Dump;

static gboolean
dump_cb (gpointer user_data)
{
  Dump *dump = user_data;
  GPtrArray *log = atc_simulator_get_log (dump->self->sim);
  guint first = log->len > dump->last_n ? log->len - dump->last_n : 0;
  gint64 start = 0;

  for (guint i = first; i < log->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, i);

      if (start == 0)
        start = entry->time_us;
      g_string_append_printf (dump->out, "  +%8.1f ms  %s\n",
                              (entry->time_us - start) / 1000.0, entry->line);
    }
  return G_SOURCE_REMOVE;
}

char *
atc_bench_sim_dump_log (AtcBenchSim *self,
                        guint        last_n)
{
  Dump dump = { self, last_n, g_string_new (NULL) };

  sim_call (self, dump_cb, &dump);
  return g_string_free (dump.out, FALSE);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
atc_bench_sim_stop (AtcBenchSim *self)
{
  if (self == NULL)
    return;

  if (self->thread != NULL)
    {
      g_main_context_invoke (self->context, quit_cb, self->loop);
      g_thread_join (self->thread);
    }
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_clear_error (&self->error);
  g_free (self->model_id);
  g_free (self->pty);
  g_free (self);
}
