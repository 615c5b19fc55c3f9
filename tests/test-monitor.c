/* test-monitor.c: live status polling, history, statistics and exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "atc-error.h"
#include "atc-history.h"
#include "atc-monitor-event.h"
#include "atc-sample.h"

/* 2024-05-01T12:00:00Z */
#define T0 ((gint64) 1714564800 * G_USEC_PER_SEC)
#define SEC(n) ((gint64) (n) * G_USEC_PER_SEC)

static AtcSample
make_sample (gint64     time,
             int        csq,
             AtcNetMode mode)
{
  AtcSample sample;

  atc_sample_init (&sample, time);
  atc_sample_set_net_mode (&sample, mode);
  atc_sample_set_signal (&sample, csq, mode);

  return sample;
}

/* Samples: one struct per reading, read back as it was stored */

static void
test_sample_links (void)
{
  AtcSample sample;
  AtcLinkState state;

  atc_sample_init (&sample, T0);
  for (guint i = 0; i < ATC_SAMPLE_MAX_SOCKETS; i++)
    g_assert_cmpint (atc_sample_get_link (&sample, i), ==, ATC_LINK_NONE);

  /* Each socket keeps its own state whatever its neighbours do. */
  atc_sample_set_link (&sample, 0, ATC_LINK_UP);
  atc_sample_set_link (&sample, 1, ATC_LINK_DOWN);
  atc_sample_set_link (&sample, 3, ATC_LINK_UP);
  g_assert_cmpint (atc_sample_get_link (&sample, 0), ==, ATC_LINK_UP);
  g_assert_cmpint (atc_sample_get_link (&sample, 1), ==, ATC_LINK_DOWN);
  g_assert_cmpint (atc_sample_get_link (&sample, 2), ==, ATC_LINK_NONE);
  g_assert_cmpint (atc_sample_get_link (&sample, 3), ==, ATC_LINK_UP);
  atc_sample_set_link (&sample, 0, ATC_LINK_DOWN);
  g_assert_cmpint (atc_sample_get_link (&sample, 0), ==, ATC_LINK_DOWN);
  g_assert_cmpint (atc_sample_get_link (&sample, 1), ==, ATC_LINK_DOWN);
  g_assert_cmpint (atc_sample_get_link (&sample, 3), ==, ATC_LINK_UP);

  /* What the units print: G781 ON/OFF, M0 Connected/Disconnected. */
  g_assert_true (atc_link_state_from_value ("ON", &state));
  g_assert_cmpint (state, ==, ATC_LINK_UP);
  g_assert_true (atc_link_state_from_value ("off", &state));
  g_assert_cmpint (state, ==, ATC_LINK_DOWN);
  g_assert_true (atc_link_state_from_value ("Connected", &state));
  g_assert_cmpint (state, ==, ATC_LINK_UP);
  g_assert_true (atc_link_state_from_value ("Disconnected", &state));
  g_assert_cmpint (state, ==, ATC_LINK_DOWN);
  g_assert_false (atc_link_state_from_value ("MAYBE", &state));
  g_assert_false (atc_link_state_from_value (NULL, &state));
}

static void
test_sample_signal (void)
{
  AtcSample sample;
  AtcSignal signal;
  AtcNetMode mode;

  /* Nothing read: no signal, no network. */
  atc_sample_init (&sample, T0);
  g_assert_false (atc_sample_get_signal (&sample, &signal));
  g_assert_false (atc_sample_get_net_mode (&sample, &mode));
  g_assert_false (atc_sample_has_signal (&sample));

  sample = make_sample (T0, 50, ATC_NET_MODE_LTE);
  g_assert_true (atc_sample_get_signal (&sample, &signal));
  g_assert_true (signal.known);
  g_assert_cmpint (signal.csq, ==, 50);
  g_assert_cmpint (signal.dbm, ==, -90);
  g_assert_false (signal.at_floor);
  g_assert_false (signal.at_ceiling);
  g_assert_true (atc_sample_get_net_mode (&sample, &mode));
  g_assert_cmpint (mode, ==, ATC_NET_MODE_LTE);

  /* 99 is unknown on every scale: the raw value is kept, dBm is not. */
  sample = make_sample (T0, 99, ATC_NET_MODE_WCDMA);
  g_assert_true (atc_sample_get_signal (&sample, &signal));
  g_assert_false (signal.known);
  g_assert_cmpint (signal.csq, ==, 99);
  g_assert_cmpint (signal.bars, ==, 0);
  g_assert_false (atc_sample_has_signal (&sample));

  /* A value the unit should never print is unknown, not a wrapped byte. */
  sample = make_sample (T0, 300, ATC_NET_MODE_LTE);
  g_assert_true (atc_sample_get_signal (&sample, &signal));
  g_assert_false (signal.known);
  g_assert_cmpint (signal.csq, ==, 99);
}

static void
test_sample_iso8601 (void)
{
  g_autofree char *a = atc_format_iso8601 (T0);
  g_autofree char *b = atc_format_iso8601 (T0 + 1250 * 1000 + 999);

  g_assert_cmpstr (a, ==, "2024-05-01T12:00:00.000Z");
  g_assert_cmpstr (b, ==, "2024-05-01T12:00:01.250Z");
}

/* History: the ring buffer */

static gboolean
sample_in_block (const AtcSample *sample,
                 const AtcSample *lowest,
                 guint            capacity)
{
  return sample >= lowest && sample < lowest + capacity;
}

static void
test_history_wrap (void)
{
  g_autoptr(AtcHistory) history = atc_history_new (8);
  const AtcSample *block = NULL;

  g_assert_cmpuint (atc_history_get_capacity (history), ==, 8);
  g_assert_cmpuint (atc_history_get_length (history), ==, 0);
  g_assert_null (atc_history_get_last (history));

  for (guint i = 0; i < 1000; i++)
    {
      AtcSample sample = make_sample (T0 + SEC (i), i % 98, ATC_NET_MODE_LTE);

      atc_history_push (history, &sample);

      g_assert_cmpuint (atc_history_get_length (history), ==, MIN (i + 1, 8));
      g_assert_cmpint (atc_history_get_last (history)->time, ==, T0 + SEC (i));

      /* Every sample lives in the block allocated at construction: the
       * lowest address seen while filling stays the base forever. */
      if (i < 8)
        {
          for (guint k = 0; k < atc_history_get_length (history); k++)
            if (block == NULL || atc_history_get (history, k) < block)
              block = atc_history_get (history, k);
        }
      else
        {
          for (guint k = 0; k < 8; k++)
            g_assert_true (sample_in_block (atc_history_get (history, k), block, 8));
        }
    }

  g_assert_cmpuint (atc_history_get_n_pushed (history), ==, 1000);
  g_assert_cmpuint (atc_history_get_length (history), ==, 8);

  /* Oldest first, the last eight pushed, nothing else. */
  for (guint k = 0; k < 8; k++)
    {
      const AtcSample *sample = atc_history_get (history, k);

      g_assert_cmpint (sample->time, ==, T0 + SEC (992 + k));
      g_assert_cmpuint (sample->csq, ==, (992 + k) % 98);
    }

  g_assert_cmpuint (atc_history_find_time (history, T0 + SEC (995)), ==, 3);
  g_assert_cmpuint (atc_history_find_time (history, T0 + SEC (995) + 1), ==, 4);
  g_assert_cmpuint (atc_history_find_time (history, T0), ==, 0);
  g_assert_cmpuint (atc_history_find_time (history, T0 + SEC (5000)), ==, 8);

  atc_history_clear (history);
  g_assert_cmpuint (atc_history_get_length (history), ==, 0);
  g_assert_cmpuint (atc_history_get_n_pushed (history), ==, 0);
  g_assert_null (atc_history_get_last (history));
}

static void
test_history_day (void)
{
  g_autoptr(AtcHistory) history = atc_history_new (ATC_HISTORY_DEFAULT_CAPACITY);
  const guint capacity = ATC_HISTORY_DEFAULT_CAPACITY;
  const AtcSample *block;
  AtcSignalStats stats;

  /* A day of one-second samples, compactly. */
  g_assert_cmpuint (capacity, >=, 86400);
  g_assert_cmpuint (sizeof (AtcSample) * capacity, <=, 2 * 1024 * 1024);

  for (guint i = 0; i < capacity; i++)
    {
      AtcSample sample = make_sample (T0 + SEC (i), 40 + i % 20, ATC_NET_MODE_LTE);

      atc_history_push (history, &sample);
    }
  block = atc_history_get (history, 0);
  g_assert_cmpuint (atc_history_get_length (history), ==, capacity);

  /* Another day and a half: the samples keep landing in the same block
   * and the first one is the one pushed `capacity` samples ago. */
  for (guint i = capacity; i < capacity * 5 / 2; i++)
    {
      AtcSample sample = make_sample (T0 + SEC (i), 40 + i % 20, ATC_NET_MODE_LTE);

      atc_history_push (history, &sample);
    }

  g_assert_cmpuint (atc_history_get_length (history), ==, capacity);
  for (guint k = 0; k < capacity; k += 997)
    g_assert_true (sample_in_block (atc_history_get (history, k), block, capacity));
  g_assert_true (sample_in_block (atc_history_get_last (history), block, capacity));
  g_assert_cmpint (atc_history_get (history, 0)->time, ==, T0 + SEC (capacity * 3 / 2));

  g_assert_true (atc_history_get_stats (history, ATC_STATS_WINDOW_ALL, &stats));
  g_assert_cmpuint (stats.n_samples, ==, capacity);
  g_assert_cmpint (stats.min_dbm, ==, 40 - 140);
  g_assert_cmpint (stats.max_dbm, ==, 59 - 140);
}

/* Statistics windows end at the newest sample and include both ends. */
static void
test_history_stats (void)
{
  g_autoptr(AtcHistory) history = atc_history_new (10000);
  AtcSignalStats stats;
  const guint n = 2 * 3600;

  g_assert_false (atc_history_get_stats (history, ATC_STATS_WINDOW_ALL, &stats));
  g_assert_cmpuint (stats.n_samples, ==, 0);

  /* Two hours at 1 s on LTE. The newest hour sits at -100 dBm (CSQ 40)
   * except the last ten minutes at -80 (CSQ 60), whose last minute dips
   * to -110 (CSQ 30) once and reads 99 (unknown) once. The first hour
   * runs -120..-61 (CSQ 20..79) cyclically. */
  for (guint i = 0; i < n; i++)
    {
      guint age = n - 1 - i; /* seconds before the newest sample */
      int csq;
      AtcSample sample;

      if (age > 3600)
        csq = 20 + (int) (i % 60);
      else if (age > 600)
        csq = 40;
      else if (age == 30)
        csq = 30;
      else if (age == 10)
        csq = 99;
      else
        csq = 60;

      sample = make_sample (T0 + SEC (i), csq, ATC_NET_MODE_LTE);
      atc_history_push (history, &sample);
    }

  g_assert_true (atc_history_get_stats (history, ATC_STATS_WINDOW_1_MIN, &stats));
  g_assert_cmpuint (stats.n_samples, ==, 60); /* 61 samples, one unknown */
  g_assert_cmpuint (stats.n_unknown, ==, 1);
  g_assert_cmpint (stats.min_dbm, ==, -110);
  g_assert_cmpint (stats.max_dbm, ==, -80);
  g_assert_cmpfloat_with_epsilon (stats.avg_dbm, (59 * -80.0 - 110) / 60, 1e-9);
  g_assert_cmpint (stats.first_time, ==, T0 + SEC (n - 61));
  g_assert_cmpint (stats.last_time, ==, T0 + SEC (n - 1));

  g_assert_true (atc_history_get_stats (history, ATC_STATS_WINDOW_10_MIN, &stats));
  g_assert_cmpuint (stats.n_samples, ==, 600);
  g_assert_cmpint (stats.min_dbm, ==, -110);
  g_assert_cmpint (stats.max_dbm, ==, -80);
  g_assert_cmpfloat_with_epsilon (stats.avg_dbm, (599 * -80.0 - 110) / 600, 1e-9);

  /* The hour: 3001 samples at -100 (age 601..3600) and the ten minutes. */
  g_assert_true (atc_history_get_stats (history, ATC_STATS_WINDOW_1_HOUR, &stats));
  g_assert_cmpuint (stats.n_samples, ==, 3600);
  g_assert_cmpint (stats.min_dbm, ==, -110);
  g_assert_cmpint (stats.max_dbm, ==, -80);
  g_assert_cmpfloat_with_epsilon (stats.avg_dbm,
                                  (3000 * -100.0 + 599 * -80.0 - 110) / 3600, 1e-9);

  g_assert_true (atc_history_get_stats (history, ATC_STATS_WINDOW_ALL, &stats));
  g_assert_cmpuint (stats.n_samples, ==, n - 1);
  g_assert_cmpint (stats.min_dbm, ==, -120);
  g_assert_cmpint (stats.max_dbm, ==, -61);
  g_assert_cmpint (stats.first_time, ==, T0);

  /* An explicit span. */
  g_assert_true (atc_history_get_stats_between (history, T0, T0 + SEC (59), &stats));
  g_assert_cmpuint (stats.n_samples, ==, 60);
  g_assert_cmpint (stats.min_dbm, ==, -120);
  g_assert_cmpint (stats.max_dbm, ==, -61);
  g_assert_cmpfloat_with_epsilon (stats.avg_dbm, -90.5, 1e-9);
}

static void
test_history_stats_no_signal (void)
{
  g_autoptr(AtcHistory) history = atc_history_new (16);
  AtcSignalStats stats;

  /* An M0 has no CSQ: samples carry only the link. No statistics. */
  for (guint i = 0; i < 5; i++)
    {
      AtcSample sample;

      atc_sample_init (&sample, T0 + SEC (i));
      atc_sample_set_link (&sample, 0, ATC_LINK_UP);
      atc_history_push (history, &sample);
    }

  g_assert_false (atc_history_get_stats (history, ATC_STATS_WINDOW_ALL, &stats));
  g_assert_cmpuint (stats.n_samples, ==, 0);
  g_assert_cmpuint (stats.n_unknown, ==, 0);
}

static void
test_history_link_time (void)
{
  g_autoptr(AtcHistory) history = atc_history_new (4);
  /* Socket A: up 0..10 s, down 10..15, up 15..20. Socket B disabled. A
   * pause from 20 s to 100 s is not counted. Capacity 4 wraps on purpose:
   * the totals cover everything since the start. */
  static const struct {
    int          t;
    AtcLinkState a;
    gboolean     after_gap;
  } steps[] = {
    { 0, ATC_LINK_UP }, { 5, ATC_LINK_UP }, { 10, ATC_LINK_DOWN }, { 15, ATC_LINK_UP },
    { 20, ATC_LINK_UP }, { 100, ATC_LINK_DOWN, TRUE }, { 104, ATC_LINK_UP },
  };
  gint64 observed = 0;
  gint64 up;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      AtcSample sample;

      atc_sample_init (&sample, T0 + SEC (steps[i].t));
      atc_sample_set_link (&sample, 0, steps[i].a);
      if (steps[i].after_gap)
        sample.flags |= ATC_SAMPLE_AFTER_GAP;
      atc_history_push (history, &sample);
    }

  up = atc_history_get_link_up_time (history, 0, &observed);
  g_assert_cmpint (up, ==, SEC (15));
  g_assert_cmpint (observed, ==, SEC (24));

  up = atc_history_get_link_up_time (history, 1, &observed);
  g_assert_cmpint (up, ==, 0);
  g_assert_cmpint (observed, ==, 0);
}

/* The plot walks (time, dBm) and breaks its line at gaps. */
static void
test_history_iter (void)
{
  g_autoptr(AtcHistory) history = atc_history_new (6);
  AtcHistoryIter iter;
  gint64 time;
  int dbm;
  gboolean gap;
  /* CSQ per second; 99 is a hole; -1 marks the first sample after a pause. */
  static const int csqs[] = { 10, 11, 12, 99, 14, 15, -1, 17, 18 };

  for (guint i = 0; i < G_N_ELEMENTS (csqs); i++)
    {
      AtcSample sample = make_sample (T0 + SEC (i), csqs[i] < 0 ? 16 : csqs[i], ATC_NET_MODE_LTE);

      if (csqs[i] < 0)
        sample.flags |= ATC_SAMPLE_AFTER_GAP;
      atc_history_push (history, &sample);
    }

  /* Capacity 6: seconds 3..8 remain; 3 is the hole. */
  atc_history_iter_init (&iter, history, G_MININT64);

  g_assert_true (atc_history_iter_next (&iter, &time, &dbm, &gap));
  g_assert_cmpint (time, ==, T0 + SEC (4));
  g_assert_cmpint (dbm, ==, 14 - 140);
  g_assert_false (gap);

  g_assert_true (atc_history_iter_next (&iter, &time, &dbm, &gap));
  g_assert_cmpint (time, ==, T0 + SEC (5));
  g_assert_false (gap);

  g_assert_true (atc_history_iter_next (&iter, &time, &dbm, &gap));
  g_assert_cmpint (time, ==, T0 + SEC (6));
  g_assert_cmpint (dbm, ==, 16 - 140);
  g_assert_true (gap);

  g_assert_true (atc_history_iter_next (&iter, &time, &dbm, &gap));
  g_assert_cmpint (time, ==, T0 + SEC (7));
  g_assert_false (gap);

  /* A sample pushed meanwhile is beyond the walk's end; one that
   * overwrites the oldest does not disturb it. */
  {
    AtcSample late = make_sample (T0 + SEC (9), 19, ATC_NET_MODE_LTE);
    atc_history_push (history, &late);
  }

  g_assert_true (atc_history_iter_next (&iter, &time, &dbm, &gap));
  g_assert_cmpint (time, ==, T0 + SEC (8));
  g_assert_false (atc_history_iter_next (&iter, &time, &dbm, &gap));

  /* From a time on; a hole right before the first point is no gap. */
  atc_history_iter_init (&iter, history, T0 + SEC (8));
  g_assert_true (atc_history_iter_next (&iter, &time, &dbm, &gap));
  g_assert_cmpint (time, ==, T0 + SEC (8));
  g_assert_false (gap);
  g_assert_true (atc_history_iter_next (&iter, &time, &dbm, &gap));
  g_assert_cmpint (time, ==, T0 + SEC (9));
  g_assert_cmpint (dbm, ==, 19 - 140);
  g_assert_false (atc_history_iter_next (&iter, &time, &dbm, &gap));

  /* A clear ends a walk. */
  atc_history_iter_init (&iter, history, G_MININT64);
  atc_history_clear (history);
  g_assert_false (atc_history_iter_next (&iter, &time, &dbm, &gap));
}

/* Exports */

static AtcHistory *
make_export_history (GListStore **events_out)
{
  AtcHistory *history = atc_history_new (16);
  GListStore *events = g_list_store_new (ATC_TYPE_MONITOR_EVENT);
  const char *const sockets[] = { "A", "B", NULL };
  g_autoptr(AtcMonitorEvent) event = NULL;
  AtcSample sample;

  atc_history_set_sockets (history, sockets);

  /* LTE -93 dBm, A up, B down. */
  sample = make_sample (T0, 47, ATC_NET_MODE_LTE);
  atc_sample_set_link (&sample, 0, ATC_LINK_UP);
  atc_sample_set_link (&sample, 1, ATC_LINK_DOWN);
  atc_history_push (history, &sample);

  /* Unknown signal on WCDMA, A down, B not read. */
  sample = make_sample (T0 + 1500 * 1000, 99, ATC_NET_MODE_WCDMA);
  atc_sample_set_link (&sample, 0, ATC_LINK_DOWN);
  atc_history_push (history, &sample);

  /* GSM floor after a gap. */
  sample = make_sample (T0 + SEC (60), 0, ATC_NET_MODE_GSM);
  sample.flags |= ATC_SAMPLE_AFTER_GAP;
  atc_sample_set_link (&sample, 0, ATC_LINK_UP);
  atc_sample_set_link (&sample, 1, ATC_LINK_UP);
  atc_history_push (history, &sample);

  event = atc_monitor_event_new (ATC_MONITOR_EVENT_LINK_DOWN, T0 + 1500 * 1000,
                                 0, "A", ATC_LINK_UP, ATC_LINK_DOWN, NULL);
  g_list_store_append (events, event);
  *events_out = events;

  return history;
}

static void
test_export_csv (void)
{
  g_autoptr(GListStore) events = NULL;
  g_autoptr(AtcHistory) history = make_export_history (&events);
  g_autoptr(GBytes) bytes = atc_history_export (history, ATC_EXPORT_CSV, NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 5); /* header, 3 rows, "" after the last CRLF */
  g_assert_cmpstr (lines[0], ==,
                   "time (ISO 8601 UTC),CSQ (raw),signal (dBm),signal bound,bars (0-4),network,"
                   "socket A link,socket B link");
  g_assert_cmpstr (lines[1], ==, "2024-05-01T12:00:00.000Z,47,-93,,3,LTE,up,down");
  g_assert_cmpstr (lines[2], ==, "2024-05-01T12:00:01.500Z,99,,,,WCDMA,down,");
  g_assert_cmpstr (lines[3], ==, "2024-05-01T12:01:00.000Z,0,-113,at-most,0,GSM,up,up");
  g_assert_cmpstr (lines[4], ==, "");
}

static void
test_export_json (void)
{
  g_autoptr(GListStore) events = NULL;
  g_autoptr(AtcHistory) history = make_export_history (&events);
  g_autoptr(GBytes) bytes = atc_history_export (history, ATC_EXPORT_JSON, G_LIST_MODEL (events));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *units, *sample, *links, *event;
  JsonArray *samples, *sockets, *list;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              &error);
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  units = json_object_get_object_member (root, "units");
  g_assert_cmpstr (json_object_get_string_member (units, "dbm"), ==, "dBm");
  g_assert_cmpstr (json_object_get_string_member (units, "time"), ==, "ISO 8601, UTC");

  sockets = json_object_get_array_member (root, "sockets");
  g_assert_cmpuint (json_array_get_length (sockets), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (sockets, 1), ==, "B");

  samples = json_object_get_array_member (root, "samples");
  g_assert_cmpuint (json_array_get_length (samples), ==, 3);

  sample = json_array_get_object_element (samples, 0);
  g_assert_cmpstr (json_object_get_string_member (sample, "time"), ==, "2024-05-01T12:00:00.000Z");
  g_assert_cmpint (json_object_get_int_member (sample, "csq"), ==, 47);
  g_assert_cmpint (json_object_get_int_member (sample, "dbm"), ==, -93);
  g_assert_cmpint (json_object_get_int_member (sample, "bars"), ==, 3);
  g_assert_true (json_object_get_null_member (sample, "bound"));
  g_assert_cmpint (json_object_get_int_member (sample, "network_mode"), ==, ATC_NET_MODE_LTE);
  g_assert_cmpstr (json_object_get_string_member (sample, "network"), ==, "LTE");
  links = json_object_get_object_member (sample, "links");
  g_assert_cmpstr (json_object_get_string_member (links, "A"), ==, "up");
  g_assert_cmpstr (json_object_get_string_member (links, "B"), ==, "down");
  g_assert_false (json_object_has_member (sample, "after_gap"));

  sample = json_array_get_object_element (samples, 1);
  g_assert_cmpint (json_object_get_int_member (sample, "csq"), ==, 99);
  g_assert_true (json_object_get_null_member (sample, "dbm"));
  links = json_object_get_object_member (sample, "links");
  g_assert_true (json_object_get_null_member (links, "B"));

  sample = json_array_get_object_element (samples, 2);
  g_assert_cmpint (json_object_get_int_member (sample, "dbm"), ==, -113);
  g_assert_cmpstr (json_object_get_string_member (sample, "bound"), ==, "at-most");
  g_assert_true (json_object_get_boolean_member (sample, "after_gap"));

  list = json_object_get_array_member (root, "events");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  event = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (event, "time"), ==, "2024-05-01T12:00:01.500Z");
  g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "link-down");
  g_assert_cmpstr (json_object_get_string_member (event, "socket"), ==, "A");
  g_assert_nonnull (json_object_get_string_member (event, "text"));
}

static void
test_export_json_empty (void)
{
  g_autoptr(AtcHistory) history = atc_history_new (4);
  g_autoptr(GBytes) bytes = atc_history_export (history, ATC_EXPORT_JSON, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "samples")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "events")), ==, 0);
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_export_file (void)
{
  g_autoptr(GListStore) events = NULL;
  g_autoptr(AtcHistory) history = make_export_history (&events);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atc-monitor-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GFile) bad = NULL;
  gsize len;

  g_assert_no_error (error);
  path = g_build_filename (dir, "history.csv", NULL);
  file = g_file_new_for_path (path);

  expected = atc_history_export (history, ATC_EXPORT_CSV, NULL);
  atc_history_export_to_file_async (history, ATC_EXPORT_CSV, NULL, file, NULL, export_done, &result);

  /* The snapshot is taken at the call: a sample pushed now is not in it. */
  {
    AtcSample sample = make_sample (T0 + SEC (61), 60, ATC_NET_MODE_LTE);
    atc_history_push (history, &sample);
  }

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (atc_history_export_to_file_finish (history, result, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_clear_object (&result);

  /* A place that cannot be written is an error that names it. */
  bad = g_file_new_for_path ("/nonexistent-dir/history.json");
  atc_history_export_to_file_async (history, ATC_EXPORT_JSON, NULL, bad, NULL, export_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (atc_history_export_to_file_finish (history, result, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/history.json"));

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/monitor/sample/links", test_sample_links);
  g_test_add_func ("/monitor/sample/signal", test_sample_signal);
  g_test_add_func ("/monitor/sample/iso8601", test_sample_iso8601);
  g_test_add_func ("/monitor/history/wrap", test_history_wrap);
  g_test_add_func ("/monitor/history/day", test_history_day);
  g_test_add_func ("/monitor/history/stats", test_history_stats);
  g_test_add_func ("/monitor/history/stats-no-signal", test_history_stats_no_signal);
  g_test_add_func ("/monitor/history/link-time", test_history_link_time);
  g_test_add_func ("/monitor/history/iter", test_history_iter);
  g_test_add_func ("/monitor/export/csv", test_export_csv);
  g_test_add_func ("/monitor/export/json", test_export_json);
  g_test_add_func ("/monitor/export/json-empty", test_export_json_empty);
  g_test_add_func ("/monitor/export/file", test_export_file);

  return g_test_run ();
}
