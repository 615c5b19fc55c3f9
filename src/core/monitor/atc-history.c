/* atc-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "atc-error.h"
#include "atc-history.h"
#include "atc-monitor-event.h"

struct _AtcHistory
{
  GObject     parent_instance;

  /* Sample number `seq` (counted from the last clear) lives in slot
   * seq % capacity, so no head index has to be kept separately. */
  AtcSample  *samples;
  guint       capacity;
  guint       length;
  guint64     n_pushed;
  guint       generation;

  GPtrArray  *socket_names;
  gint64      link_up[ATC_SAMPLE_MAX_SOCKETS];
  gint64      link_observed[ATC_SAMPLE_MAX_SOCKETS];
};

G_DEFINE_FINAL_TYPE (AtcHistory, atc_history, G_TYPE_OBJECT)

static void
atc_history_finalize (GObject *object)
{
  AtcHistory *self = ATC_HISTORY (object);

  g_clear_pointer (&self->samples, g_free);
  g_clear_pointer (&self->socket_names, g_ptr_array_unref);

  G_OBJECT_CLASS (atc_history_parent_class)->finalize (object);
}

static void
atc_history_class_init (AtcHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atc_history_finalize;
}

static void
atc_history_init (AtcHistory *self)
{
  self->socket_names = g_ptr_array_new_with_free_func (g_free);
}

AtcHistory *
atc_history_new (guint capacity)
{
  AtcHistory *self;

  g_return_val_if_fail (capacity > 0, NULL);

  self = g_object_new (ATC_TYPE_HISTORY, NULL);
  self->capacity = capacity;
  /* Allocated once, here: pushing never allocates. */
  self->samples = g_new0 (AtcSample, capacity);

  return self;
}

guint
atc_history_get_capacity (AtcHistory *self)
{
  g_return_val_if_fail (ATC_IS_HISTORY (self), 0);

  return self->capacity;
}

guint
atc_history_get_length (AtcHistory *self)
{
  g_return_val_if_fail (ATC_IS_HISTORY (self), 0);

  return self->length;
}

guint64
atc_history_get_n_pushed (AtcHistory *self)
{
  g_return_val_if_fail (ATC_IS_HISTORY (self), 0);

  return self->n_pushed;
}

static inline guint64
first_seq (AtcHistory *self)
{
  return self->n_pushed - self->length;
}

static inline const AtcSample *
sample_at_seq (AtcHistory *self,
               guint64     seq)
{
  return &self->samples[seq % self->capacity];
}

const AtcSample *
atc_history_get (AtcHistory *self,
                 guint       index)
{
  g_return_val_if_fail (ATC_IS_HISTORY (self), NULL);
  g_return_val_if_fail (index < self->length, NULL);

  return sample_at_seq (self, first_seq (self) + index);
}

const AtcSample *
atc_history_get_last (AtcHistory *self)
{
  g_return_val_if_fail (ATC_IS_HISTORY (self), NULL);

  if (self->length == 0)
    return NULL;

  return sample_at_seq (self, self->n_pushed - 1);
}

static void
account_links (AtcHistory      *self,
               const AtcSample *previous,
               const AtcSample *sample)
{
  gint64 dt;

  /* Time across a pause or a lost unit is not observed time. */
  if (previous == NULL || (sample->flags & ATC_SAMPLE_AFTER_GAP) != 0)
    return;

  dt = sample->time - previous->time;
  if (dt <= 0)
    return;

  for (guint i = 0; i < ATC_SAMPLE_MAX_SOCKETS; i++)
    {
      AtcLinkState state = atc_sample_get_link (previous, i);

      if (state == ATC_LINK_NONE)
        continue;

      self->link_observed[i] += dt;
      if (state == ATC_LINK_UP)
        self->link_up[i] += dt;
    }
}

void
atc_history_push (AtcHistory      *self,
                  const AtcSample *sample)
{
  g_return_if_fail (ATC_IS_HISTORY (self));
  g_return_if_fail (sample != NULL);

  account_links (self, atc_history_get_last (self), sample);

  self->samples[self->n_pushed % self->capacity] = *sample;
  self->n_pushed++;
  if (self->length < self->capacity)
    self->length++;
}

guint
atc_history_find_time (AtcHistory *self,
                       gint64      time)
{
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (ATC_IS_HISTORY (self), 0);

  hi = self->length;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (atc_history_get (self, mid)->time < time)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

void
atc_history_clear (AtcHistory *self)
{
  g_return_if_fail (ATC_IS_HISTORY (self));

  self->length = 0;
  self->n_pushed = 0;
  self->generation++;
  memset (self->link_up, 0, sizeof self->link_up);
  memset (self->link_observed, 0, sizeof self->link_observed);
}

void
atc_history_set_sockets (AtcHistory        *self,
                         const char *const *names)
{
  g_return_if_fail (ATC_IS_HISTORY (self));

  g_ptr_array_set_size (self->socket_names, 0);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_return_if_fail (i < ATC_SAMPLE_MAX_SOCKETS);
      g_ptr_array_add (self->socket_names, g_strdup (names[i]));
    }
}

guint
atc_history_get_n_sockets (AtcHistory *self)
{
  g_return_val_if_fail (ATC_IS_HISTORY (self), 0);

  return self->socket_names->len;
}

const char *
atc_history_get_socket_name (AtcHistory *self,
                             guint       socket)
{
  g_return_val_if_fail (ATC_IS_HISTORY (self), NULL);
  g_return_val_if_fail (socket < self->socket_names->len, NULL);

  return g_ptr_array_index (self->socket_names, socket);
}

gint64
atc_history_window_span (AtcStatsWindow window)
{
  switch (window)
    {
    case ATC_STATS_WINDOW_1_MIN:
      return (gint64) 60 * G_USEC_PER_SEC;
    case ATC_STATS_WINDOW_10_MIN:
      return (gint64) 10 * 60 * G_USEC_PER_SEC;
    case ATC_STATS_WINDOW_1_HOUR:
      return (gint64) 60 * 60 * G_USEC_PER_SEC;
    case ATC_STATS_WINDOW_ALL:
    default:
      return G_MAXINT64;
    }
}

gboolean
atc_history_get_stats_between (AtcHistory     *self,
                               gint64          since,
                               gint64          until,
                               AtcSignalStats *stats)
{
  gint64 sum = 0;

  g_return_val_if_fail (ATC_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  memset (stats, 0, sizeof *stats);

  /* Walk back from the newest sample: a short window touches only its own
   * samples, whatever the size of the history. */
  for (guint64 seq = self->n_pushed; seq > first_seq (self); seq--)
    {
      const AtcSample *sample = sample_at_seq (self, seq - 1);

      if (sample->time < since)
        break;
      if (sample->time > until || !(sample->flags & ATC_SAMPLE_HAS_CSQ))
        continue;

      if (!(sample->flags & ATC_SAMPLE_SIGNAL_KNOWN))
        {
          stats->n_unknown++;
          continue;
        }

      if (stats->n_samples == 0)
        {
          stats->min_dbm = stats->max_dbm = sample->dbm;
          stats->last_time = sample->time;
        }
      stats->min_dbm = MIN (stats->min_dbm, sample->dbm);
      stats->max_dbm = MAX (stats->max_dbm, sample->dbm);
      stats->first_time = sample->time;
      sum += sample->dbm;
      stats->n_samples++;
    }

  if (stats->n_samples > 0)
    stats->avg_dbm = (double) sum / stats->n_samples;

  return stats->n_samples > 0;
}

gboolean
atc_history_get_stats (AtcHistory     *self,
                       AtcStatsWindow  window,
                       AtcSignalStats *stats)
{
  const AtcSample *last;
  gint64 span;
  gint64 since;

  g_return_val_if_fail (ATC_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  last = atc_history_get_last (self);
  if (last == NULL)
    {
      memset (stats, 0, sizeof *stats);
      return FALSE;
    }

  span = atc_history_window_span (window);
  /* The window is closed at both ends: a minute of one-second samples
   * taken on the second counts 61 of them. */
  since = (span == G_MAXINT64 || last->time < G_MININT64 + span) ? G_MININT64 : last->time - span;

  return atc_history_get_stats_between (self, since, G_MAXINT64, stats);
}

gint64
atc_history_get_link_up_time (AtcHistory *self,
                              guint       socket,
                              gint64     *observed)
{
  g_return_val_if_fail (ATC_IS_HISTORY (self), 0);
  g_return_val_if_fail (socket < ATC_SAMPLE_MAX_SOCKETS, 0);

  if (observed != NULL)
    *observed = self->link_observed[socket];

  return self->link_up[socket];
}

void
atc_history_iter_init (AtcHistoryIter *iter,
                       AtcHistory     *self,
                       gint64          since)
{
  g_return_if_fail (iter != NULL);
  g_return_if_fail (ATC_IS_HISTORY (self));

  memset (iter, 0, sizeof *iter);
  iter->priv_history = self;
  iter->priv_next = first_seq (self) + atc_history_find_time (self, since);
  iter->priv_end = self->n_pushed;
  iter->priv_generation = self->generation;
}

gboolean
atc_history_iter_next (AtcHistoryIter *iter,
                       gint64         *time,
                       int            *dbm,
                       gboolean       *gap_before)
{
  AtcHistory *self;

  g_return_val_if_fail (iter != NULL, FALSE);

  self = iter->priv_history;
  g_return_val_if_fail (ATC_IS_HISTORY (self), FALSE);

  if (iter->priv_generation != self->generation)
    return FALSE;

  /* Samples overwritten since init are gone: continue at the oldest. */
  if (iter->priv_next < first_seq (self))
    iter->priv_next = first_seq (self);

  while (iter->priv_next < iter->priv_end)
    {
      guint64 seq = iter->priv_next++;
      const AtcSample *sample = sample_at_seq (self, seq);

      if (!(sample->flags & ATC_SAMPLE_SIGNAL_KNOWN))
        continue;

      if (time != NULL)
        *time = sample->time;
      if (dbm != NULL)
        *dbm = sample->dbm;
      if (gap_before != NULL)
        *gap_before = iter->priv_started &&
                      (seq != iter->priv_last + 1 || (sample->flags & ATC_SAMPLE_AFTER_GAP) != 0);

      iter->priv_started = TRUE;
      iter->priv_last = seq;

      return TRUE;
    }

  return FALSE;
}

/* Export */

typedef struct
{
  AtcSample *samples;
  guint      n_samples;
  GStrv      sockets;
  GPtrArray *events;
  AtcExportFormat format;
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->samples, g_free);
  g_clear_pointer (&snapshot->sockets, g_strfreev);
  g_clear_pointer (&snapshot->events, g_ptr_array_unref);
  g_free (snapshot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static Snapshot *
snapshot_new (AtcHistory      *self,
              AtcExportFormat  format,
              GListModel      *events)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  g_autoptr(GStrvBuilder) sockets = g_strv_builder_new ();

  snapshot->format = format;
  snapshot->n_samples = self->length;
  snapshot->samples = g_new (AtcSample, MAX (self->length, 1));
  for (guint i = 0; i < self->length; i++)
    snapshot->samples[i] = *atc_history_get (self, i);

  for (guint i = 0; i < self->socket_names->len; i++)
    g_strv_builder_add (sockets, g_ptr_array_index (self->socket_names, i));
  snapshot->sockets = g_strv_builder_end (sockets);

  snapshot->events = g_ptr_array_new_with_free_func (g_object_unref);
  if (events != NULL)
    {
      guint n = g_list_model_get_n_items (events);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (events, i);

          if (ATC_IS_MONITOR_EVENT (item))
            g_ptr_array_add (snapshot->events, g_steal_pointer (&item));
        }
    }

  return snapshot;
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_csv_field (GString    *out,
                  const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
socket_column (const char *name)
{
  if (name[0] == '\0')
    return g_strdup (_("socket link"));

  /* TRANSLATORS: a CSV column title, %s is a socket letter */
  return g_strdup_printf (_("socket %s link"), name);
}

static const char *
bound_word (const AtcSample *sample)
{
  if (sample->flags & ATC_SAMPLE_AT_FLOOR)
    return "at-most";
  if (sample->flags & ATC_SAMPLE_AT_CEILING)
    return "at-least";
  return NULL;
}

static void
append_csv_header (GString           *out,
                   const char *const *sockets)
{
  /* Units go in the column titles so that one header row stays readable
   * by spreadsheets. */
  append_csv_field (out, _("time (ISO 8601 UTC)"));
  g_string_append_c (out, ',');
  append_csv_field (out, _("CSQ (raw)"));
  g_string_append_c (out, ',');
  append_csv_field (out, _("signal (dBm)"));
  g_string_append_c (out, ',');
  append_csv_field (out, _("signal bound"));
  g_string_append_c (out, ',');
  append_csv_field (out, _("bars (0-4)"));
  g_string_append_c (out, ',');
  append_csv_field (out, _("network"));
  for (guint s = 0; sockets[s] != NULL; s++)
    {
      g_autofree char *title = socket_column (sockets[s]);

      g_string_append_c (out, ',');
      append_csv_field (out, title);
    }
}

static void
append_csv_row (GString         *out,
                guint            n_sockets,
                const AtcSample *sample)
{
  g_autofree char *time = atc_format_iso8601 (sample->time);
  AtcNetMode mode;

  g_string_append (out, time);
  g_string_append_c (out, ',');
  if (sample->flags & ATC_SAMPLE_HAS_CSQ)
    g_string_append_printf (out, "%u", sample->csq);
  g_string_append_c (out, ',');
  if (sample->flags & ATC_SAMPLE_SIGNAL_KNOWN)
    g_string_append_printf (out, "%d", sample->dbm);
  g_string_append_c (out, ',');
  if (bound_word (sample) != NULL)
    g_string_append (out, bound_word (sample));
  g_string_append_c (out, ',');
  if (sample->flags & ATC_SAMPLE_SIGNAL_KNOWN)
    g_string_append_printf (out, "%u", sample->bars);
  g_string_append_c (out, ',');
  if (atc_sample_get_net_mode (sample, &mode))
    append_csv_field (out, atc_net_mode_to_string (mode));
  for (guint s = 0; s < n_sockets; s++)
    {
      g_string_append_c (out, ',');
      g_string_append (out, atc_link_state_to_string (atc_sample_get_link (sample, s)));
    }
}

static GBytes *
format_csv (Snapshot *snapshot)
{
  GString *out = g_string_sized_new (64 + (gsize) snapshot->n_samples * 64);
  guint n_sockets = g_strv_length (snapshot->sockets);

  append_csv_header (out, (const char *const *) snapshot->sockets);
  g_string_append (out, "\r\n");

  for (guint i = 0; i < snapshot->n_samples; i++)
    {
      append_csv_row (out, n_sockets, &snapshot->samples[i]);
      g_string_append (out, "\r\n");
    }

  return g_string_free_to_bytes (out);
}

char *
atc_history_format_csv_header (AtcHistory *self)
{
  const char *names[ATC_SAMPLE_MAX_SOCKETS + 1] = { NULL, };
  GString *out;

  g_return_val_if_fail (ATC_IS_HISTORY (self), NULL);

  for (guint i = 0; i < self->socket_names->len; i++)
    names[i] = g_ptr_array_index (self->socket_names, i);

  out = g_string_new (NULL);
  append_csv_header (out, names);

  return g_string_free (out, FALSE);
}

char *
atc_history_format_csv_row (AtcHistory      *self,
                            const AtcSample *sample)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (ATC_IS_HISTORY (self), NULL);
  g_return_val_if_fail (sample != NULL, NULL);

  append_csv_row (out, self->socket_names->len, sample);

  return g_string_free (out, FALSE);
}

static void
append_json_event (GString         *out,
                   AtcMonitorEvent *event)
{
  AtcMonitorEventKind kind = atc_monitor_event_get_kind (event);
  g_autofree char *time = atc_format_iso8601 (atc_monitor_event_get_time (event));
  g_autofree char *text = atc_monitor_event_describe (event);

  g_string_append (out, "    {\"time\": ");
  append_json_string (out, time);
  g_string_append (out, ", \"kind\": ");
  append_json_string (out, atc_monitor_event_kind_to_string (kind));

  switch (kind)
    {
    case ATC_MONITOR_EVENT_LINK_UP:
    case ATC_MONITOR_EVENT_LINK_DOWN:
      g_string_append (out, ", \"socket\": ");
      append_json_string (out, atc_socket_key (atc_monitor_event_get_socket_name (event)));
      break;

    case ATC_MONITOR_EVENT_NET_MODE_CHANGED:
      g_string_append (out, ", \"from\": ");
      append_json_string (out,
                          atc_net_mode_to_string ((AtcNetMode) atc_monitor_event_get_old_value (event)));
      g_string_append (out, ", \"to\": ");
      append_json_string (out,
                          atc_net_mode_to_string ((AtcNetMode) atc_monitor_event_get_new_value (event)));
      break;

    case ATC_MONITOR_EVENT_SIGNAL_LOST:
      g_string_append_printf (out, ", \"last_dbm\": %d", atc_monitor_event_get_old_value (event));
      break;

    case ATC_MONITOR_EVENT_SIGNAL_REGAINED:
      g_string_append_printf (out, ", \"dbm\": %d", atc_monitor_event_get_new_value (event));
      break;

    case ATC_MONITOR_EVENT_UNIT_LOST:
      g_string_append (out, ", \"detail\": ");
      append_json_string (out, atc_monitor_event_get_detail (event));
      break;

    case ATC_MONITOR_EVENT_UNIT_BACK:
    default:
      break;
    }

  g_string_append (out, ", \"text\": ");
  append_json_string (out, text);
  g_string_append_c (out, '}');
}

static GBytes *
format_json (Snapshot *snapshot)
{
  GString *out = g_string_sized_new (256 + (gsize) snapshot->n_samples * 128);
  guint n_sockets = g_strv_length (snapshot->sockets);

  /* Written by hand rather than through a JsonNode tree: a day of samples
   * would otherwise cost hundreds of thousands of nodes. */
  g_string_append (out, "{\n  \"generator\": \"Atconf " PACKAGE_VERSION "\",\n");
  g_string_append (out, "  \"units\": {\"time\": \"ISO 8601, UTC\", \"csq\": \"raw\", "
                        "\"dbm\": \"dBm\", \"bars\": \"0-4\"},\n");
  g_string_append (out, "  \"sockets\": [");
  for (guint s = 0; s < n_sockets; s++)
    {
      if (s > 0)
        g_string_append (out, ", ");
      append_json_string (out, atc_socket_key (snapshot->sockets[s]));
    }
  g_string_append (out, "],\n  \"samples\": [");

  for (guint i = 0; i < snapshot->n_samples; i++)
    {
      const AtcSample *sample = &snapshot->samples[i];
      g_autofree char *time = atc_format_iso8601 (sample->time);
      AtcNetMode mode;

      g_string_append (out, i == 0 ? "\n    {\"time\": " : ",\n    {\"time\": ");
      append_json_string (out, time);

      if (sample->flags & ATC_SAMPLE_HAS_CSQ)
        {
          g_string_append_printf (out, ", \"csq\": %u", sample->csq);
          if (sample->flags & ATC_SAMPLE_SIGNAL_KNOWN)
            {
              g_string_append_printf (out, ", \"dbm\": %d, \"bars\": %u", sample->dbm, sample->bars);
              g_string_append (out, ", \"bound\": ");
              append_json_string (out, bound_word (sample));
            }
          else
            g_string_append (out, ", \"dbm\": null, \"bars\": null, \"bound\": null");
        }

      if (atc_sample_get_net_mode (sample, &mode))
        {
          g_string_append_printf (out, ", \"network_mode\": %u, \"network\": ", sample->net_mode);
          append_json_string (out, atc_net_mode_to_string (mode));
        }

      if (n_sockets > 0)
        {
          g_string_append (out, ", \"links\": {");
          for (guint s = 0; s < n_sockets; s++)
            {
              AtcLinkState state = atc_sample_get_link (sample, s);

              if (s > 0)
                g_string_append (out, ", ");
              append_json_string (out, atc_socket_key (snapshot->sockets[s]));
              g_string_append (out, ": ");
              append_json_string (out, state == ATC_LINK_NONE ? NULL : atc_link_state_to_string (state));
            }
          g_string_append_c (out, '}');
        }

      if (sample->flags & ATC_SAMPLE_AFTER_GAP)
        g_string_append (out, ", \"after_gap\": true");

      g_string_append_c (out, '}');
    }

  g_string_append (out, snapshot->n_samples > 0 ? "\n  ],\n  \"events\": [" : "],\n  \"events\": [");

  for (guint i = 0; i < snapshot->events->len; i++)
    {
      g_string_append (out, i == 0 ? "\n" : ",\n");
      append_json_event (out, g_ptr_array_index (snapshot->events, i));
    }

  g_string_append (out, snapshot->events->len > 0 ? "\n  ]\n}\n" : "]\n}\n");

  return g_string_free_to_bytes (out);
}

static GBytes *
snapshot_format (Snapshot *snapshot)
{
  switch (snapshot->format)
    {
    case ATC_EXPORT_JSON:
      return format_json (snapshot);
    case ATC_EXPORT_CSV:
    default:
      return format_csv (snapshot);
    }
}

GBytes *
atc_history_export (AtcHistory      *self,
                    AtcExportFormat  format,
                    GListModel      *events)
{
  g_autoptr(Snapshot) snapshot = NULL;

  g_return_val_if_fail (ATC_IS_HISTORY (self), NULL);
  g_return_val_if_fail (events == NULL || G_IS_LIST_MODEL (events), NULL);

  snapshot = snapshot_new (self, format, events);

  return snapshot_format (snapshot);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Snapshot *snapshot = task_data;
  GFile *file = g_object_get_data (G_OBJECT (task), "atc-export-file");
  g_autoptr(GBytes) bytes = snapshot_format (snapshot);
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  if (!g_file_replace_contents (file, data, len, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, &error))
    {
      g_autofree char *name = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      name = g_file_get_parse_name (file);
      g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_FAILED,
                               /* TRANSLATORS: first %s is a file name, second an error */
                               _("Could not write the monitor history to “%s”: %s"),
                               name, error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
atc_history_export_to_file_async (AtcHistory          *self,
                                  AtcExportFormat      format,
                                  GListModel          *events,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATC_IS_HISTORY (self));
  g_return_if_fail (events == NULL || G_IS_LIST_MODEL (events));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atc_history_export_to_file_async);
  /* The snapshot is taken here, on the caller's thread: the worker never
   * touches the live ring buffer. */
  g_task_set_task_data (task, snapshot_new (self, format, events), (GDestroyNotify) snapshot_free);
  g_object_set_data_full (G_OBJECT (task), "atc-export-file", g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, export_thread);
}

gboolean
atc_history_export_to_file_finish (AtcHistory    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (ATC_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
