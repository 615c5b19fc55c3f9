/* atc-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "atc-error.h"
#include "atc-monitor.h"

/* One socket whose link the model reports (SOCKALK..SOCKDLK, SOCKLK). */
typedef struct
{
  char             *name;    /* "A".."D", "" */
  const AtcCommand *link;    /* the live-status query */
  const AtcCommand *enable;  /* SOCKxEN, NULL when the model has none */
  gboolean          enabled;
} MonitorSocket;

typedef enum {
  WAKE_NONE,
  WAKE_POLL,
  WAKE_RECONNECT,
} WakeAction;

struct _AtcMonitor
{
  GObject            parent_instance;

  AtcSession        *session;
  AtcHistory        *history;
  GListStore        *events;
  guint              capacity;

  guint              interval_ms;
  guint              reconnect_min_ms;
  guint              reconnect_max_ms;
  guint              reconnect_delay_ms;

  /* From the session's model, set up at start. */
  AtcModel          *model;
  const AtcCommand  *csq;
  const AtcCommand  *net_mode;
  MonitorSocket      sockets[ATC_SAMPLE_MAX_SOCKETS];
  guint              n_sockets;

  /* What the monitor is doing. `generation` changes on every stop, so
   * that replies to a run that was stopped are recognised and dropped. */
  guint              generation;
  gboolean           started;
  gboolean           starting;
  gboolean           paused;
  gboolean           lost;
  gboolean           busy;           /* a poll or reconnection is in flight */
  gboolean           sockets_stale;  /* read SOCKxEN before the next poll */
  gboolean           gap_pending;    /* the next sample follows a gap */
  gboolean           reenter;        /* the unit went silent on an open link */
  AtcMonitorState    state;
  GCancellable      *cancellable;    /* everything in flight for this run */
  GTask             *start_task;
  GCancellable      *start_cancellable;
  gulong             start_cancelled_id;

  /* One source serves both the poll cadence and the reconnect back-off,
   * with a ready time in µs; it is never ready while nothing is due. */
  GSource           *timer;
  WakeAction         wake;
  gint64             last_poll_start;  /* monotonic µs */
  guint64            n_polls;
  gulong             session_state_id;
};

G_DEFINE_FINAL_TYPE (AtcMonitor, atc_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_CAPACITY,
  PROP_STATE,
  PROP_INTERVAL,
  PROP_HISTORY,
  N_PROPS
};

enum {
  SIGNAL_SAMPLE,
  SIGNAL_EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void poll_start         (AtcMonitor   *self);
static void reconnect_attempt  (AtcMonitor   *self);
static void update_state       (AtcMonitor   *self);

GType
atc_monitor_state_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { ATC_MONITOR_STOPPED, "ATC_MONITOR_STOPPED", "stopped" },
        { ATC_MONITOR_STARTING, "ATC_MONITOR_STARTING", "starting" },
        { ATC_MONITOR_RUNNING, "ATC_MONITOR_RUNNING", "running" },
        { ATC_MONITOR_PAUSED, "ATC_MONITOR_PAUSED", "paused" },
        { ATC_MONITOR_LOST, "ATC_MONITOR_LOST", "lost" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("AtcMonitorState"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

const char *
atc_monitor_state_to_string (AtcMonitorState state)
{
  switch (state)
    {
    case ATC_MONITOR_STOPPED:
      return _("Stopped");
    case ATC_MONITOR_STARTING:
      return _("Starting");
    case ATC_MONITOR_RUNNING:
      return _("Monitoring");
    case ATC_MONITOR_PAUSED:
      return _("Paused");
    case ATC_MONITOR_LOST:
      return _("Unit lost, reconnecting");
    default:
      g_return_val_if_reached ("");
    }
}

/* The timer */

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  /* One shot: the next due time is set when it is known. */
  g_source_set_ready_time (source, -1);

  return callback (user_data);
}

static GSourceFuncs timer_funcs = {
  NULL, NULL, timer_dispatch, NULL, NULL, NULL,
};

static gboolean
timer_fired (gpointer user_data)
{
  AtcMonitor *self = user_data;
  WakeAction wake = self->wake;

  self->wake = WAKE_NONE;

  switch (wake)
    {
    case WAKE_POLL:
      poll_start (self);
      break;
    case WAKE_RECONNECT:
      reconnect_attempt (self);
      break;
    case WAKE_NONE:
    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static void
timer_arm (AtcMonitor *self,
           WakeAction  wake,
           gint64      ready_time)
{
  if (self->timer == NULL)
    {
      self->timer = g_source_new (&timer_funcs, sizeof (GSource));
      g_source_set_static_name (self->timer, "[atconf] monitor");
      /* The source holds no reference: finalize destroys it first. */
      g_source_set_callback (self->timer, timer_fired, self, NULL);
      g_source_attach (self->timer, g_main_context_get_thread_default ());
    }

  self->wake = wake;
  g_source_set_ready_time (self->timer, ready_time);
}

static void
timer_disarm (AtcMonitor *self)
{
  self->wake = WAKE_NONE;
  if (self->timer != NULL)
    g_source_set_ready_time (self->timer, -1);
}

/* Errors */

/* The unit answered, but not with what we can use: the sample lacks that
 * field. Anything else means it is not answering at all. */
static gboolean
is_answer_error (const GError *error)
{
  if (error->domain != ATC_ERROR)
    return FALSE;

  switch (error->code)
    {
    case ATC_ERROR_UNIT_ERROR:
    case ATC_ERROR_MALFORMED_REPLY:
    case ATC_ERROR_UNKNOWN_COMMAND:
    case ATC_ERROR_NOT_SUPPORTED:
    case ATC_ERROR_INVALID_VALUE:
    case ATC_ERROR_OVERFLOW:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
run_is_current (AtcMonitor *self,
                guint       generation)
{
  return self->started && self->generation == generation;
}

/* What an async step of the session needs to find its run again. */
typedef struct
{
  AtcMonitor *self;
  guint       generation;
} Op;

static Op *
op_new (AtcMonitor *self)
{
  Op *op = g_new0 (Op, 1);

  op->self = g_object_ref (self);
  op->generation = self->generation;

  return op;
}

static void
op_free (Op *op)
{
  g_clear_object (&op->self);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

/* A batch of queries queued together, completed as one */

typedef void (*BatchDone) (AtcMonitor *self,
                           GStrv      *values,
                           GError    **errors,
                           GError     *fatal,
                           gpointer    data);

typedef struct
{
  AtcMonitor *self;
  guint       generation;
  guint       n;
  guint       pending;
  GStrv       values[2 + ATC_SAMPLE_MAX_SOCKETS];
  GError     *errors[2 + ATC_SAMPLE_MAX_SOCKETS];
  BatchDone   done;
  gpointer    data;
} Batch;

typedef struct
{
  Batch *batch;
  guint  index;
} BatchItem;

static void
batch_free (Batch *batch)
{
  for (guint i = 0; i < batch->n; i++)
    {
      g_clear_pointer (&batch->values[i], g_strfreev);
      g_clear_error (&batch->errors[i]);
    }
  g_clear_object (&batch->self);
  g_free (batch);
}

static void
batch_finish (Batch *batch)
{
  AtcMonitor *self = batch->self;
  GError *fatal = NULL;

  if (!run_is_current (self, batch->generation))
    {
      batch_free (batch);
      return;
    }

  for (guint i = 0; i < batch->n && fatal == NULL; i++)
    {
      if (batch->errors[i] != NULL && !is_answer_error (batch->errors[i]))
        fatal = batch->errors[i];
    }

  batch->done (self, batch->values, batch->errors, fatal, batch->data);
  batch_free (batch);
}

static void
batch_query_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BatchItem *item = user_data;
  Batch *batch = item->batch;

  batch->values[item->index] = atc_session_query_finish (ATC_SESSION (source), result,
                                                         &batch->errors[item->index]);
  g_free (item);

  if (--batch->pending == 0)
    batch_finish (batch);
}

static gboolean
batch_finish_idle (gpointer user_data)
{
  batch_finish (user_data);

  return G_SOURCE_REMOVE;
}

/* Queues every command at once: the session runs them in order, so the
 * monitor never has more than this batch in its queue. */
static void
batch_run (AtcMonitor        *self,
           const AtcCommand **commands,
           guint              n,
           BatchDone          done,
           gpointer           data)
{
  Batch *batch = g_new0 (Batch, 1);

  g_assert (n <= G_N_ELEMENTS (batch->values));

  batch->self = g_object_ref (self);
  batch->generation = self->generation;
  batch->n = n;
  batch->pending = n;
  batch->done = done;
  batch->data = data;

  if (n == 0)
    {
      g_idle_add (batch_finish_idle, batch);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      BatchItem *item = g_new0 (BatchItem, 1);

      item->batch = batch;
      item->index = i;
      atc_session_query_async (self->session, commands[i]->name, self->cancellable,
                               batch_query_cb, item);
    }
}

/* State */

static AtcMonitorState
compute_state (AtcMonitor *self)
{
  if (!self->started)
    return ATC_MONITOR_STOPPED;
  if (self->starting)
    return ATC_MONITOR_STARTING;
  if (self->paused)
    return ATC_MONITOR_PAUSED;
  if (self->lost)
    return ATC_MONITOR_LOST;
  return ATC_MONITOR_RUNNING;
}

static void
update_state (AtcMonitor *self)
{
  AtcMonitorState state = compute_state (self);

  if (state == self->state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
add_event (AtcMonitor          *self,
           AtcMonitorEventKind  kind,
           gint64               time,
           int                  socket,
           int                  old_value,
           int                  new_value,
           const char          *detail)
{
  g_autoptr(AtcMonitorEvent) event = NULL;

  event = atc_monitor_event_new (kind, time, socket,
                                 socket >= 0 ? self->sockets[socket].name : NULL,
                                 old_value, new_value, detail);

  g_list_store_append (self->events, event);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->events)) > ATC_MONITOR_MAX_EVENTS)
    g_list_store_remove (self->events, 0);

  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
}

static void
finish_start (AtcMonitor *self,
              GError     *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  if (self->start_cancellable != NULL)
    {
      g_cancellable_disconnect (self->start_cancellable, self->start_cancelled_id);
      self->start_cancelled_id = 0;
      g_clear_object (&self->start_cancellable);
    }

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
stop_internal (AtcMonitor *self)
{
  self->generation++;
  self->started = FALSE;
  self->starting = FALSE;
  self->paused = FALSE;
  self->lost = FALSE;
  self->busy = FALSE;
  self->gap_pending = TRUE;
  timer_disarm (self);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

static void
start_fail (AtcMonitor *self,
            GError     *error)
{
  finish_start (self, error);
  stop_internal (self);
  update_state (self);
}

/* Loss and reconnection */

static void
schedule_reconnect (AtcMonitor *self)
{
  gint64 ready;

  if (!self->started || self->paused || self->busy)
    return;

  ready = g_get_monotonic_time () + (gint64) self->reconnect_delay_ms * 1000;
  timer_arm (self, WAKE_RECONNECT, ready);

  /* Exponential back-off: a unit that stays away costs a few attempts a
   * minute, never a busy loop. */
  self->reconnect_delay_ms = MIN (self->reconnect_delay_ms * 2, self->reconnect_max_ms);
}

static void
enter_lost (AtcMonitor   *self,
            const GError *error)
{
  self->busy = FALSE;
  self->gap_pending = TRUE;
  self->reenter = !g_error_matches (error, ATC_ERROR, ATC_ERROR_DISCONNECTED);

  if (!self->lost)
    {
      self->lost = TRUE;
      self->reconnect_delay_ms = self->reconnect_min_ms;
      g_debug ("Monitor lost the unit: %s", error->message);
      add_event (self, ATC_MONITOR_EVENT_UNIT_LOST, g_get_real_time (), -1, 0, 0, error->message);
    }

  update_state (self);
  schedule_reconnect (self);
}

/* Stopped by the caller: a start still in progress is answered first. */
static void
stop_run (AtcMonitor *self)
{
  if (self->start_task != NULL)
    finish_start (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     _("Monitoring was stopped before it started")));
  stop_internal (self);
}

/* The session could not run a batch at all: a start fails, a running
 * monitor waits for the unit to come back. */
static void
batch_failed (AtcMonitor   *self,
              const GError *fatal)
{
  if (self->starting)
    start_fail (self, g_error_copy (fatal));
  else
    enter_lost (self, fatal);
}

static void
session_state_changed (AtcSession *session,
                       GParamSpec *pspec,
                       AtcMonitor *self)
{
  AtcSessionState state = atc_session_get_state (session);

  /* Someone else (a configuration restart, the session following a
   * reboot) brought the unit back: no need to wait for the back-off. */
  if (self->lost && !self->paused && !self->busy &&
      (state == ATC_SESSION_COMMAND_MODE || state == ATC_SESSION_PASSWORD_MODE))
    {
      /* Just (re)entered: the session's word on the mode is fresh. */
      self->reenter = FALSE;
      timer_disarm (self);
      reconnect_attempt (self);
    }
}

/* Sockets */

static void
sockets_read_done (AtcMonitor *self,
                   GStrv      *values,
                   GError    **errors,
                   GError     *fatal,
                   gpointer    data)
{
  guint k = 0;

  self->busy = FALSE;

  if (fatal != NULL)
    {
      batch_failed (self, fatal);
      return;
    }

  for (guint i = 0; i < self->n_sockets; i++)
    {
      MonitorSocket *socket = &self->sockets[i];

      if (socket->enable == NULL)
        continue;

      /* A socket whose enable flag cannot be read is polled anyway:
       * better a link shown needlessly than one hidden. */
      if (values[k] != NULL && values[k][0] != NULL)
        socket->enabled = g_ascii_strcasecmp (g_strstrip (values[k][0]), "OFF") != 0;
      else
        socket->enabled = TRUE;
      k++;
    }

  self->sockets_stale = FALSE;
  poll_start (self);
}

static void
sockets_read (AtcMonitor *self)
{
  const AtcCommand *commands[ATC_SAMPLE_MAX_SOCKETS];
  guint n = 0;

  for (guint i = 0; i < self->n_sockets; i++)
    if (self->sockets[i].enable != NULL)
      commands[n++] = self->sockets[i].enable;

  self->busy = TRUE;
  batch_run (self, commands, n, sockets_read_done, NULL);
}

/* Polls */

typedef enum {
  SLOT_NET_MODE,
  SLOT_CSQ,
  SLOT_LINK,
} SlotKind;

typedef struct
{
  gint64   wall_time;
  guint    n;
  SlotKind kinds[2 + ATC_SAMPLE_MAX_SOCKETS];
  guint    socket[2 + ATC_SAMPLE_MAX_SOCKETS];
} PollPlan;

static void
schedule_poll (AtcMonitor *self)
{
  gint64 ready;

  if (!self->started || self->paused || self->lost || self->busy)
    return;

  /* As fast as the unit answers: each poll waits for the unit, so this is
   * no busy loop. At default priority, so that a stream of configuration
   * commands cannot starve it. */
  if (self->interval_ms == 0)
    {
      timer_arm (self, WAKE_POLL, 0);
      return;
    }

  /* Keep the cadence: start `interval` after the previous start, or now
   * when the previous poll took longer than that. */
  ready = self->last_poll_start + (gint64) self->interval_ms * 1000;
  ready = MAX (ready, g_get_monotonic_time ());
  timer_arm (self, WAKE_POLL, ready);
}

static void
emit_transitions (AtcMonitor      *self,
                  const AtcSample *previous,
                  const AtcSample *sample)
{
  AtcNetMode old_mode, new_mode;

  if (previous == NULL)
    return;

  if (atc_sample_get_net_mode (previous, &old_mode) &&
      atc_sample_get_net_mode (sample, &new_mode) &&
      old_mode != new_mode)
    add_event (self, ATC_MONITOR_EVENT_NET_MODE_CHANGED, sample->time, -1, old_mode, new_mode, NULL);

  if ((previous->flags & ATC_SAMPLE_HAS_CSQ) && (sample->flags & ATC_SAMPLE_HAS_CSQ))
    {
      gboolean was_known = atc_sample_has_signal (previous);
      gboolean is_known = atc_sample_has_signal (sample);

      if (was_known && !is_known)
        add_event (self, ATC_MONITOR_EVENT_SIGNAL_LOST, sample->time, -1, previous->dbm, 0, NULL);
      else if (!was_known && is_known)
        add_event (self, ATC_MONITOR_EVENT_SIGNAL_REGAINED, sample->time, -1, 0, sample->dbm, NULL);
    }

  for (guint i = 0; i < self->n_sockets; i++)
    {
      AtcLinkState old_link = atc_sample_get_link (previous, i);
      AtcLinkState new_link = atc_sample_get_link (sample, i);

      /* A socket not read on either side (disabled, or the read failed)
       * has no transition to report. */
      if (old_link == ATC_LINK_NONE || new_link == ATC_LINK_NONE || old_link == new_link)
        continue;

      add_event (self,
                 new_link == ATC_LINK_UP ? ATC_MONITOR_EVENT_LINK_UP : ATC_MONITOR_EVENT_LINK_DOWN,
                 sample->time, (int) i, old_link, new_link, NULL);
    }
}

static void
poll_done (AtcMonitor *self,
           GStrv      *values,
           GError    **errors,
           GError     *fatal,
           gpointer    data)
{
  g_autofree PollPlan *plan = data;
  const AtcSample *previous;
  AtcSample sample;
  gboolean have_mode = FALSE;
  AtcNetMode mode = ATC_NET_MODE_NONE;
  int csq = -1;

  self->busy = FALSE;

  if (fatal != NULL)
    {
      batch_failed (self, fatal);
      return;
    }

  previous = atc_history_get_last (self->history);
  atc_sample_init (&sample, plan->wall_time);

  for (guint i = 0; i < plan->n; i++)
    {
      const char *value;

      if (values[i] == NULL || values[i][0] == NULL)
        {
          g_debug ("Monitor: %s not read: %s",
                   plan->kinds[i] == SLOT_LINK ? self->sockets[plan->socket[i]].link->name
                                               : plan->kinds[i] == SLOT_CSQ ? "CSQ" : "NETMODE",
                   errors[i] != NULL ? errors[i]->message : "no value");
          continue;
        }

      value = values[i][0];

      switch (plan->kinds[i])
        {
        case SLOT_NET_MODE:
          if (atc_net_mode_from_string (value, &mode))
            {
              have_mode = TRUE;
              atc_sample_set_net_mode (&sample, mode);
            }
          break;

        case SLOT_CSQ:
          {
            gint64 number;

            if (g_ascii_string_to_signed (value, 10, 0, G_MAXINT, &number, NULL))
              csq = (int) number;
          }
          break;

        case SLOT_LINK:
          {
            AtcLinkState link;

            if (atc_link_state_from_value (value, &link))
              atc_sample_set_link (&sample, plan->socket[i], link);
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (csq >= 0)
    {
      /* The CSQ scale is the network's: when this poll could not read the
       * mode, the last one read is the best guess. */
      if (!have_mode && previous != NULL && atc_sample_get_net_mode (previous, &mode))
        have_mode = TRUE;
      atc_sample_set_signal (&sample, csq, have_mode ? mode : ATC_NET_MODE_NONE);
    }

  if (self->gap_pending && previous != NULL)
    sample.flags |= ATC_SAMPLE_AFTER_GAP;
  self->gap_pending = FALSE;

  if (self->lost)
    {
      self->lost = FALSE;
      self->reconnect_delay_ms = self->reconnect_min_ms;
      add_event (self, ATC_MONITOR_EVENT_UNIT_BACK, sample.time, -1, 0, 0, NULL);
    }

  emit_transitions (self, previous, &sample);
  atc_history_push (self->history, &sample);
  self->n_polls++;

  if (self->starting)
    self->starting = FALSE;
  update_state (self);

  /* The start completes before ::sample, so that a handler may stop
   * monitoring after this very sample without failing the start. */
  if (self->start_task != NULL)
    finish_start (self, NULL);
  g_signal_emit (self, signals[SIGNAL_SAMPLE], 0, atc_history_get_last (self->history));
  schedule_poll (self);
}

static void
poll_start (AtcMonitor *self)
{
  const AtcCommand *commands[2 + ATC_SAMPLE_MAX_SOCKETS];
  PollPlan *plan;

  if (!self->started || self->busy)
    return;

  if (self->sockets_stale)
    {
      sockets_read (self);
      return;
    }

  plan = g_new0 (PollPlan, 1);

  /* NETMODE first: it says on which scale the CSQ read right after is. */
  if (self->net_mode != NULL)
    {
      plan->kinds[plan->n] = SLOT_NET_MODE;
      commands[plan->n++] = self->net_mode;
    }
  if (self->csq != NULL)
    {
      plan->kinds[plan->n] = SLOT_CSQ;
      commands[plan->n++] = self->csq;
    }
  for (guint i = 0; i < self->n_sockets; i++)
    {
      if (!self->sockets[i].enabled)
        continue;
      plan->kinds[plan->n] = SLOT_LINK;
      plan->socket[plan->n] = i;
      commands[plan->n++] = self->sockets[i].link;
    }

  self->busy = TRUE;
  self->last_poll_start = g_get_monotonic_time ();
  plan->wall_time = g_get_real_time ();
  batch_run (self, commands, plan->n, poll_done, plan);
}

/* Reconnection */

static void
reconnect_connect_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  AtcMonitor *self = op->self;
  g_autoptr(GError) error = NULL;

  atc_session_connect_finish (ATC_SESSION (source), result, &error);

  if (!run_is_current (self, op->generation))
    return;

  self->busy = FALSE;

  if (error != NULL)
    {
      g_debug ("Monitor: reconnection failed: %s", error->message);
      schedule_reconnect (self);
      return;
    }

  /* Paused meanwhile: resuming polls. */
  if (self->paused)
    return;

  /* The unit may have been reconfigured while it was away. */
  self->sockets_stale = TRUE;
  poll_start (self);
}

static void
reconnect_attempt (AtcMonitor *self)
{
  AtcSessionState state;

  if (!self->started || !self->lost || self->paused || self->busy)
    return;

  state = atc_session_get_state (self->session);

  switch (state)
    {
    case ATC_SESSION_COMMAND_MODE:
      if (self->reenter)
        {
          /* The link is open but the unit stopped answering: it probably
           * restarted and is back in transparent mode, deaf to commands
           * until the handshake is made again. The session believes it is
           * still in command mode, so start over. */
          self->reenter = FALSE;
          self->busy = TRUE;
          atc_session_close (self->session);
          atc_session_connect_async (self->session, self->cancellable, reconnect_connect_cb,
                                     op_new (self));
          break;
        }
      G_GNUC_FALLTHROUGH;

    case ATC_SESSION_PASSWORD_MODE:
      /* The link is up as far as the session knows and commands need no
       * handshake: a poll says whether the unit answers. */
      self->sockets_stale = TRUE;
      poll_start (self);
      break;

    case ATC_SESSION_OPENING:
    case ATC_SESSION_ENTERING:
    case ATC_SESSION_REBOOTING:
      /* The session is already bringing the unit back. */
      schedule_reconnect (self);
      break;

    case ATC_SESSION_CLOSED:
    case ATC_SESSION_DATA_MODE:
    case ATC_SESSION_DISCONNECTED:
    default:
      self->busy = TRUE;
      atc_session_connect_async (self->session, self->cancellable, reconnect_connect_cb,
                                 op_new (self));
      break;
    }
}

/* Start */

static void
clear_model (AtcMonitor *self)
{
  for (guint i = 0; i < self->n_sockets; i++)
    g_clear_pointer (&self->sockets[i].name, g_free);
  self->n_sockets = 0;
  self->csq = NULL;
  self->net_mode = NULL;
  g_clear_object (&self->model);
}

static char *
socket_name_for (const char *link_name)
{
  gsize len = strlen (link_name);

  /* SOCKALK -> "A", SOCKLK -> "". */
  if (g_str_has_prefix (link_name, "SOCK") && g_str_has_suffix (link_name, "LK") && len >= 6)
    return g_strndup (link_name + 4, len - 6);

  return g_strdup (link_name);
}

static gboolean
setup_model (AtcMonitor  *self,
             GError     **error)
{
  AtcModel *model = atc_session_get_model (self->session);
  GPtrArray *commands;
  const char *names[ATC_SAMPLE_MAX_SOCKETS + 1] = { NULL, };

  g_assert (model != NULL);

  if (model == self->model)
    return TRUE;

  /* Another model means other sockets: a history mixing them would not
   * read. */
  if (self->model != NULL)
    {
      atc_history_clear (self->history);
      g_list_store_remove_all (self->events);
    }

  clear_model (self);
  self->model = g_object_ref (model);

  commands = atc_model_get_commands (model);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);

      if (!command->live_status || !(command->access & ATC_ACCESS_QUERY))
        continue;

      if (g_str_equal (command->name, "CSQ"))
        self->csq = command;
      else if (g_str_equal (command->name, "NETMODE"))
        self->net_mode = command;
      else if (g_str_has_suffix (command->name, "LK") && self->n_sockets < ATC_SAMPLE_MAX_SOCKETS)
        {
          MonitorSocket *socket = &self->sockets[self->n_sockets++];
          g_autofree char *enable_name = NULL;

          /* The enable flag of SOCKxLK is SOCKxEN, where the model has one. */
          enable_name = g_strdup_printf ("%.*sEN", (int) strlen (command->name) - 2, command->name);
          socket->name = socket_name_for (command->name);
          socket->link = command;
          socket->enable = atc_model_lookup (model, enable_name);
          socket->enabled = TRUE;
        }
      else
        g_debug ("Monitor: live-status command %s is not monitored", command->name);
    }

  if (self->csq == NULL && self->net_mode == NULL && self->n_sockets == 0)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                   /* TRANSLATORS: %s is a model name, e.g. USR-M0 */
                   _("The %s reports no live status to monitor"), atc_model_get_name (model));
      clear_model (self);
      return FALSE;
    }

  for (guint i = 0; i < self->n_sockets; i++)
    names[i] = self->sockets[i].name;
  atc_history_set_sockets (self->history, names);

  return TRUE;
}

/* A session call of the start ended (taking error): FALSE when the start
 * went no further, because it was stopped meanwhile or the call failed. */
static gboolean
start_step_done (AtcMonitor *self,
                 Op         *op,
                 GError     *error)
{
  if (!run_is_current (self, op->generation))
    {
      g_clear_error (&error);
      return FALSE;
    }

  self->busy = FALSE;

  if (error != NULL)
    {
      start_fail (self, error);
      return FALSE;
    }
  return TRUE;
}

static void
start_prepare (AtcMonitor *self)
{
  GError *error = NULL;

  if (!setup_model (self, &error))
    {
      start_fail (self, error);
      return;
    }

  self->sockets_stale = TRUE;
  poll_start (self);
}

static void
start_detect_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  AtcMonitor *self = op->self;
  g_autoptr(AtcDetection) detection = NULL;
  GError *error = NULL;

  detection = atc_session_detect_finish (ATC_SESSION (source), result, &error);

  if (!start_step_done (self, op, error))
    return;

  if (atc_session_get_model (self->session) == NULL)
    atc_session_set_model (self->session, detection->model);

  start_prepare (self);
}

static void
start_connect_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  AtcMonitor *self = op->self;
  GError *error = NULL;

  atc_session_connect_finish (ATC_SESSION (source), result, &error);

  if (!start_step_done (self, op, error))
    return;

  start_prepare (self);
}

static void
start_cancelled (GCancellable *cancellable,
                 GCancellable *run_cancellable)
{
  g_cancellable_cancel (run_cancellable);
}

void
atc_monitor_start_async (AtcMonitor          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AtcSessionState state;

  g_return_if_fail (ATC_IS_MONITOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atc_monitor_start_async);

  if (self->starting)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Monitoring is already starting"));
      return;
    }

  if (self->started)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->started = TRUE;
  self->starting = TRUE;
  self->paused = FALSE;
  self->lost = FALSE;
  self->busy = FALSE;
  self->gap_pending = TRUE;
  self->cancellable = g_cancellable_new ();
  self->start_task = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      self->start_cancellable = g_object_ref (cancellable);
      self->start_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (start_cancelled),
                                                        g_object_ref (self->cancellable),
                                                        g_object_unref);
    }

  update_state (self);

  state = atc_session_get_state (self->session);

  if (atc_session_get_model (self->session) == NULL)
    {
      self->busy = TRUE;
      atc_session_detect_async (self->session, self->cancellable, start_detect_cb,
                                op_new (self));
    }
  else if (state != ATC_SESSION_COMMAND_MODE && state != ATC_SESSION_PASSWORD_MODE)
    {
      self->busy = TRUE;
      atc_session_connect_async (self->session, self->cancellable, start_connect_cb,
                                 op_new (self));
    }
  else
    start_prepare (self);
}

gboolean
atc_monitor_start_finish (AtcMonitor    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (ATC_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
atc_monitor_stop (AtcMonitor *self)
{
  g_return_if_fail (ATC_IS_MONITOR (self));

  if (!self->started)
    return;

  stop_run (self);
  update_state (self);
}

void
atc_monitor_pause (AtcMonitor *self)
{
  g_return_if_fail (ATC_IS_MONITOR (self));

  if (!self->started || self->paused)
    return;

  self->paused = TRUE;
  timer_disarm (self);
  update_state (self);
}

void
atc_monitor_resume (AtcMonitor *self)
{
  g_return_if_fail (ATC_IS_MONITOR (self));

  if (!self->started || !self->paused)
    return;

  self->paused = FALSE;
  self->gap_pending = TRUE;
  update_state (self);

  if (self->starting || self->busy)
    return;

  if (self->lost)
    reconnect_attempt (self);
  else
    timer_arm (self, WAKE_POLL, 0);
}

void
atc_monitor_refresh_sockets (AtcMonitor *self)
{
  g_return_if_fail (ATC_IS_MONITOR (self));

  self->sockets_stale = TRUE;
}

void
atc_monitor_clear (AtcMonitor *self)
{
  g_return_if_fail (ATC_IS_MONITOR (self));

  atc_history_clear (self->history);
  g_list_store_remove_all (self->events);
}

/* Accessors */

AtcSession *
atc_monitor_get_session (AtcMonitor *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR (self), NULL);

  return self->session;
}

AtcMonitorState
atc_monitor_get_state (AtcMonitor *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR (self), ATC_MONITOR_STOPPED);

  return self->state;
}

AtcHistory *
atc_monitor_get_history (AtcMonitor *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR (self), NULL);

  return self->history;
}

GListModel *
atc_monitor_get_events (AtcMonitor *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR (self), NULL);

  return G_LIST_MODEL (self->events);
}

const AtcSample *
atc_monitor_get_last_sample (AtcMonitor *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR (self), NULL);

  return atc_history_get_last (self->history);
}

guint
atc_monitor_get_interval (AtcMonitor *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR (self), 0);

  return self->interval_ms;
}

void
atc_monitor_set_interval (AtcMonitor *self,
                          guint       interval_ms)
{
  g_return_if_fail (ATC_IS_MONITOR (self));

  if (self->interval_ms == interval_ms)
    return;

  self->interval_ms = interval_ms;

  /* A poll already due is rescheduled on the new cadence. */
  if (self->wake == WAKE_POLL)
    {
      timer_disarm (self);
      schedule_poll (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

void
atc_monitor_set_reconnect_delays (AtcMonitor *self,
                                  guint       first_ms,
                                  guint       max_ms)
{
  g_return_if_fail (ATC_IS_MONITOR (self));
  g_return_if_fail (first_ms > 0);
  g_return_if_fail (max_ms >= first_ms);

  self->reconnect_min_ms = first_ms;
  self->reconnect_max_ms = max_ms;
  self->reconnect_delay_ms = CLAMP (self->reconnect_delay_ms, first_ms, max_ms);
}

guint
atc_monitor_get_n_sockets (AtcMonitor *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR (self), 0);

  return self->n_sockets;
}

const char *
atc_monitor_get_socket_name (AtcMonitor *self,
                             guint       socket)
{
  g_return_val_if_fail (ATC_IS_MONITOR (self), NULL);
  g_return_val_if_fail (socket < self->n_sockets, NULL);

  return self->sockets[socket].name;
}

gboolean
atc_monitor_get_socket_enabled (AtcMonitor *self,
                                guint       socket)
{
  g_return_val_if_fail (ATC_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (socket < self->n_sockets, FALSE);

  return self->sockets[socket].enabled;
}

guint64
atc_monitor_get_n_polls (AtcMonitor *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR (self), 0);

  return self->n_polls;
}

/* GObject */

AtcMonitor *
atc_monitor_new (AtcSession *session)
{
  return atc_monitor_new_with_capacity (session, ATC_HISTORY_DEFAULT_CAPACITY);
}

AtcMonitor *
atc_monitor_new_with_capacity (AtcSession *session,
                               guint       capacity)
{
  g_return_val_if_fail (ATC_IS_SESSION (session), NULL);
  g_return_val_if_fail (capacity > 0, NULL);

  return g_object_new (ATC_TYPE_MONITOR,
                       "session", session,
                       "capacity", capacity,
                       NULL);
}

static void
atc_monitor_constructed (GObject *object)
{
  AtcMonitor *self = ATC_MONITOR (object);

  G_OBJECT_CLASS (atc_monitor_parent_class)->constructed (object);

  g_assert (self->session != NULL);

  self->history = atc_history_new (self->capacity);
  self->session_state_id = g_signal_connect (self->session, "notify::state",
                                             G_CALLBACK (session_state_changed), self);
}

static void
atc_monitor_dispose (GObject *object)
{
  AtcMonitor *self = ATC_MONITOR (object);

  stop_run (self);

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }

  if (self->session != NULL)
    g_clear_signal_handler (&self->session_state_id, self->session);

  G_OBJECT_CLASS (atc_monitor_parent_class)->dispose (object);
}

static void
atc_monitor_finalize (GObject *object)
{
  AtcMonitor *self = ATC_MONITOR (object);

  clear_model (self);
  g_clear_object (&self->history);
  g_clear_object (&self->events);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atc_monitor_parent_class)->finalize (object);
}

static void
atc_monitor_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AtcMonitor *self = ATC_MONITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval_ms);
      break;
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_monitor_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  AtcMonitor *self = ATC_MONITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_CAPACITY:
      self->capacity = g_value_get_uint (value);
      break;
    case PROP_INTERVAL:
      atc_monitor_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_monitor_class_init (AtcMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = atc_monitor_constructed;
  object_class->dispose = atc_monitor_dispose;
  object_class->finalize = atc_monitor_finalize;
  object_class->get_property = atc_monitor_get_property;
  object_class->set_property = atc_monitor_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         ATC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL,
                       1, G_MAXUINT, ATC_HISTORY_DEFAULT_CAPACITY,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       ATC_TYPE_MONITOR_STATE, ATC_MONITOR_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL,
                       0, G_MAXUINT, ATC_MONITOR_DEFAULT_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         ATC_TYPE_HISTORY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AtcMonitor::sample:
   * @sample: (type gpointer): the new `const AtcSample *`, valid during emission
   */
  signals[SIGNAL_SAMPLE] =
    g_signal_new ("sample",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  signals[SIGNAL_EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ATC_TYPE_MONITOR_EVENT);
}

static void
atc_monitor_init (AtcMonitor *self)
{
  self->capacity = ATC_HISTORY_DEFAULT_CAPACITY;
  self->interval_ms = ATC_MONITOR_DEFAULT_INTERVAL_MS;
  self->reconnect_min_ms = ATC_MONITOR_DEFAULT_RECONNECT_MIN_MS;
  self->reconnect_max_ms = ATC_MONITOR_DEFAULT_RECONNECT_MAX_MS;
  self->reconnect_delay_ms = self->reconnect_min_ms;
  self->events = g_list_store_new (ATC_TYPE_MONITOR_EVENT);
  self->gap_pending = TRUE;
}
