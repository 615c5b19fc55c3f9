/* test-monitor.c: live status polling, history, statistics and exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "atc-catalog.h"
#include "atc-error.h"
#include "atc-history.h"
#include "atc-monitor.h"
#include "atc-monitor-event.h"
#include "atc-sample.h"
#include "atc-session.h"
#include "atc-simulator.h"
#include "atc-test-util.h"

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

  /* The same header and rows one at a time, as the CLI prints them. */
  {
    g_autofree char *header = atc_history_format_csv_header (history);
    g_autofree char *row = atc_history_format_csv_row (history, atc_history_get (history, 2));

    g_assert_cmpstr (header, ==, lines[0]);
    g_assert_cmpstr (row, ==, lines[3]);
  }
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

/* A unit on a cable that can be pulled: a transport to a simulator whose
 * open fails while "unplugged", as a vanished USB adapter's does. */

#define TEST_TYPE_PLUG (test_plug_get_type ())
G_DECLARE_FINAL_TYPE (TestPlug, test_plug, TEST, PLUG, AtcTransport)

struct _TestPlug
{
  AtcTransport  parent_instance;

  AtcSimulator *simulator;
  int           fd;
  gboolean      unplugged;
  guint         n_opens;     /* attempts, failed ones included */
};

G_DEFINE_FINAL_TYPE (TestPlug, test_plug, ATC_TYPE_TRANSPORT)

static void
test_plug_open_async (AtcTransport        *transport,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  TestPlug *self = TEST_PLUG (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];

  self->n_opens++;

  if (self->unplugged)
    {
      g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_NOT_FOUND, "the test unit is unplugged");
      return;
    }

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  g_assert_true (g_unix_set_fd_nonblocking (fds[0], TRUE, &error));
  socket = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  connection = g_socket_connection_factory_create_connection (socket);
  atc_simulator_attach_stream (self->simulator, G_IO_STREAM (connection));

  self->fd = fds[0];
  g_task_return_pointer (task, atc_transport_wrap_fd (transport, fds[0], "the test link was lost"),
                         g_object_unref);
}

static GIOStream *
test_plug_open_finish (AtcTransport  *transport,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_plug_close (AtcTransport *transport)
{
  TestPlug *self = TEST_PLUG (transport);

  if (self->simulator != NULL)
    atc_simulator_disconnect (self->simulator);
  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
}

static void
test_plug_dispose (GObject *object)
{
  TestPlug *self = TEST_PLUG (object);

  G_OBJECT_CLASS (test_plug_parent_class)->dispose (object);
  g_clear_object (&self->simulator);
}

static void
test_plug_class_init (TestPlugClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AtcTransportClass *transport_class = ATC_TRANSPORT_CLASS (klass);

  object_class->dispose = test_plug_dispose;
  transport_class->open_async = test_plug_open_async;
  transport_class->open_finish = test_plug_open_finish;
  transport_class->close = test_plug_close;
}

static void
test_plug_init (TestPlug *self)
{
  self->fd = -1;
}

static void
test_plug_set_plugged (TestPlug *self,
                       gboolean  plugged)
{
  self->unplugged = !plugged;
  /* Pulling the cable drops the link at once. */
  if (!plugged)
    atc_simulator_disconnect (self->simulator);
}

/* Monitoring a simulated unit */

typedef struct {
  AtcNetMode mode;
  int        csq;
  gboolean   links[ATC_SIM_MAX_LINKS];
} Step;

typedef struct {
  AtcSimulator  *sim;
  TestPlug      *plug;
  AtcSession    *session;
  AtcMonitor    *monitor;
  GArray        *samples;       /* AtcSample, as ::sample gave them */
  GPtrArray     *events;        /* AtcMonitorEvent, as ::event gave them */
  GArray        *states;        /* AtcMonitorState, each notify::state */
  GArray        *sim_modes;     /* AtcSimMode when each sample arrived */
  const Step    *script;        /* pinned before sample i is taken */
  guint          n_steps;
  guint          pause_after;   /* pause from ::sample after this many (0: never) */
} Fixture;

#define WAIT_MS 30000

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_MS * 1000;

  while (*slot == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("an operation did not complete within %d s", WAIT_MS / 1000);
      g_main_context_iteration (NULL, TRUE);
    }

  return g_steal_pointer (slot);
}

static void
pin_step (Fixture    *f,
          const Step *step)
{
  AtcSimStatus status = { 0 };

  status.csq = step->csq;
  status.net_mode = step->mode;
  memcpy (status.links, step->links, sizeof status.links);
  atc_simulator_set_status (f->sim, &status);
}

static void
on_sample (AtcMonitor      *monitor,
           const AtcSample *sample,
           Fixture         *f)
{
  AtcSimMode mode = atc_simulator_get_mode (f->sim);

  g_array_append_val (f->samples, *sample);
  g_array_append_val (f->sim_modes, mode);

  /* The next poll starts after this returns: what it reads is pinned now. */
  if (f->samples->len < f->n_steps)
    pin_step (f, &f->script[f->samples->len]);

  if (f->pause_after > 0 && f->samples->len == f->pause_after)
    atc_monitor_pause (monitor);
}

static void
on_event (AtcMonitor      *monitor,
          AtcMonitorEvent *event,
          Fixture         *f)
{
  g_ptr_array_add (f->events, g_object_ref (event));
}

static void
on_state (AtcMonitor *monitor,
          GParamSpec *pspec,
          Fixture    *f)
{
  AtcMonitorState state = atc_monitor_get_state (monitor);

  g_array_append_val (f->states, state);
}

static void
fixture_init (Fixture    *f,
              const char *model_id,
              const char *password,
              double      timeout_scale)
{
  AtcModel *model = atc_catalog_lookup (atc_catalog_get_default (), model_id);
  g_autoptr(AtcAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (model);

  memset (f, 0, sizeof *f);
  f->samples = g_array_new (FALSE, FALSE, sizeof (AtcSample));
  f->events = g_ptr_array_new_with_free_func (g_object_unref);
  f->states = g_array_new (FALSE, FALSE, sizeof (AtcMonitorState));
  f->sim_modes = g_array_new (FALSE, FALSE, sizeof (AtcSimMode));

  /* The status is pinned by each test: the clock need not run. */
  f->sim = g_object_new (ATC_TYPE_SIMULATOR,
                         "model", model,
                         "seed", 4242,
                         "latency-ms", 0,
                         "reboot-ms", 800,
                         "auto-clock", FALSE,
                         NULL);

  address = atc_address_parse (model_id[0] == 'g' ? "demo:g781" : "demo:m0", &error);
  g_assert_no_error (error);
  f->plug = g_object_new (TEST_TYPE_PLUG, "address", address, NULL);
  f->plug->simulator = g_object_ref (f->sim);

  f->session = atc_session_new (ATC_TRANSPORT (f->plug));
  atc_session_set_model (f->session, model);
  atc_session_set_timeout_scale (f->session, timeout_scale);
  if (password != NULL)
    atc_session_set_command_password (f->session, password);
}

static void
fixture_connect (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;

  atc_session_connect_async (f->session, NULL, on_result, &slot);
  result = wait_result (&slot);
  g_assert_true (atc_session_connect_finish (f->session, result, &error));
  g_assert_no_error (error);
}

static void
fixture_new_monitor (Fixture *f,
                     guint    interval_ms)
{
  f->monitor = atc_monitor_new_with_capacity (f->session, 1000);
  atc_monitor_set_interval (f->monitor, interval_ms);
  g_signal_connect (f->monitor, "sample", G_CALLBACK (on_sample), f);
  g_signal_connect (f->monitor, "event", G_CALLBACK (on_event), f);
  g_signal_connect (f->monitor, "notify::state", G_CALLBACK (on_state), f);
}

static void
fixture_start (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;

  if (f->n_steps > 0)
    pin_step (f, &f->script[0]);

  atc_monitor_start_async (f->monitor, NULL, on_result, &slot);
  result = wait_result (&slot);
  g_assert_true (atc_monitor_start_finish (f->monitor, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->samples->len, >=, 1);
}

static void
wait_samples (Fixture *f,
              guint    n)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_MS * 1000;

  while (f->samples->len < n)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("only %u of %u samples within %d s", f->samples->len, n, WAIT_MS / 1000);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_state (Fixture         *f,
            AtcMonitorState  state)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_MS * 1000;

  while (atc_monitor_get_state (f->monitor) != state)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the monitor did not reach state %s within %d s",
                 atc_monitor_state_to_string (state), WAIT_MS / 1000);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
fixture_clear (Fixture *f)
{
  if (f->monitor != NULL)
    {
      atc_monitor_stop (f->monitor);
      g_signal_handlers_disconnect_by_data (f->monitor, f);
      g_clear_object (&f->monitor);
    }
  if (f->session != NULL)
    atc_session_close (f->session);
  /* Let cancelled operations finish before the objects go. */
  atc_test_run_for (50);
  g_clear_object (&f->session);
  g_clear_object (&f->plug);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->samples, g_array_unref);
  g_clear_pointer (&f->events, g_ptr_array_unref);
  g_clear_pointer (&f->states, g_array_unref);
  g_clear_pointer (&f->sim_modes, g_array_unref);
}

static const AtcSample *
sample_at (Fixture *f,
           guint    i)
{
  return &g_array_index (f->samples, AtcSample, i);
}

static AtcMonitorEvent *
event_at (Fixture *f,
          guint    i)
{
  return g_ptr_array_index (f->events, i);
}

/* The values the unit printed for `command` (as "+CMD:value" or
 * "+OK=value"), one per time it answered, from the simulator's log. */
static GPtrArray *
answered_values (AtcSimulator *sim,
                 const char   *command)
{
  GPtrArray *log = atc_simulator_get_log (sim);
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = g_strconcat ("AT+", command, NULL);
  g_autofree char *colon = g_strconcat ("+", command, ":", NULL);

  for (guint i = 0; i < log->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, i);
      const char *start;
      gsize len;

      if (g_ascii_strcasecmp (entry->line, line) != 0 || entry->error != ATC_SIM_ERR_NONE)
        continue;

      if ((start = strstr (entry->reply, colon)) != NULL)
        start += strlen (colon);
      else if ((start = strstr (entry->reply, "+OK=")) != NULL)
        start += 4;
      else
        g_error ("no value in the answer to %s: %s", line, entry->reply);

      len = strcspn (start, "\r\n");
      g_ptr_array_add (values, g_strndup (start, len));
    }

  return values;
}

/* How many times the unit was asked `command`. */
static guint
count_asked (AtcSimulator *sim,
             const char   *command,
             guint         from)
{
  GPtrArray *log = atc_simulator_get_log (sim);
  g_autofree char *line = g_strconcat ("AT+", command, NULL);
  guint n = 0;

  for (guint i = from; i < log->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, i);

      if (g_ascii_strcasecmp (entry->line, line) == 0)
        n++;
    }

  return n;
}

static void
set_sim (AtcSimulator *sim,
         const char   *command,
         const char   *value)
{
  const char *values[] = { value, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (atc_simulator_set_values (sim, command, values, &error));
  g_assert_no_error (error);
}

static void
assert_event (AtcMonitorEvent     *event,
              AtcMonitorEventKind  kind,
              const AtcSample     *sample,
              int                  socket,
              int                  old_value,
              int                  new_value)
{
  g_assert_cmpstr (atc_monitor_event_kind_to_string (atc_monitor_event_get_kind (event)), ==,
                   atc_monitor_event_kind_to_string (kind));
  if (sample != NULL)
    g_assert_cmpint (atc_monitor_event_get_time (event), ==, sample->time);
  g_assert_cmpint (atc_monitor_event_get_socket (event), ==, socket);
  if (kind != ATC_MONITOR_EVENT_UNIT_LOST && kind != ATC_MONITOR_EVENT_UNIT_BACK)
    {
      g_assert_cmpint (atc_monitor_event_get_old_value (event), ==, old_value);
      g_assert_cmpint (atc_monitor_event_get_new_value (event), ==, new_value);
    }
}

/* G781: every sample is what the unit answered; every change an event. */
static void
test_g781_samples_and_events (void)
{
  static const Step script[] = {
    { ATC_NET_MODE_LTE, 50, { TRUE, FALSE } },
    { ATC_NET_MODE_LTE, 50, { TRUE, FALSE } },
    { ATC_NET_MODE_LTE, 50, { FALSE, FALSE } },
    { ATC_NET_MODE_WCDMA, 40, { FALSE, TRUE } },
    { ATC_NET_MODE_WCDMA, 99, { FALSE, TRUE } },
    { ATC_NET_MODE_WCDMA, 60, { FALSE, TRUE } },
    { ATC_NET_MODE_NONE, 99, { FALSE, FALSE } },
    { ATC_NET_MODE_LTE, 30, { TRUE, FALSE } },
  };
  static const int dbm[] = { -90, -90, -90, -75, 0, -55, 0, -110 };
  Fixture fixture, *f = &fixture;
  g_autoptr(GPtrArray) netmodes = NULL;
  g_autoptr(GPtrArray) csqs = NULL;
  g_autoptr(GPtrArray) links_a = NULL;
  g_autoptr(GPtrArray) links_b = NULL;
  const guint n = G_N_ELEMENTS (script);
  guint e = 0;

  fixture_init (f, "g781", NULL, 1.0);
  /* Sockets A and B enabled, C and D not (A is on by default). */
  set_sim (f->sim, "SOCKBEN", "ON");
  fixture_connect (f);
  fixture_new_monitor (f, 0);
  f->script = script;
  f->n_steps = n;

  g_assert_cmpint (atc_monitor_get_state (f->monitor), ==, ATC_MONITOR_STOPPED);
  fixture_start (f);
  wait_samples (f, n);
  atc_monitor_stop (f->monitor);
  g_assert_cmpint (atc_monitor_get_state (f->monitor), ==, ATC_MONITOR_STOPPED);

  g_assert_cmpuint (atc_monitor_get_n_sockets (f->monitor), ==, 4);
  g_assert_cmpstr (atc_monitor_get_socket_name (f->monitor, 0), ==, "A");
  g_assert_cmpstr (atc_monitor_get_socket_name (f->monitor, 3), ==, "D");
  g_assert_true (atc_monitor_get_socket_enabled (f->monitor, 0));
  g_assert_true (atc_monitor_get_socket_enabled (f->monitor, 1));
  g_assert_false (atc_monitor_get_socket_enabled (f->monitor, 2));
  g_assert_false (atc_monitor_get_socket_enabled (f->monitor, 3));

  /* What the unit answered, poll by poll. */
  netmodes = answered_values (f->sim, "NETMODE");
  csqs = answered_values (f->sim, "CSQ");
  links_a = answered_values (f->sim, "SOCKALK");
  links_b = answered_values (f->sim, "SOCKBLK");
  g_assert_cmpuint (netmodes->len, >=, n);
  g_assert_cmpuint (csqs->len, >=, n);
  g_assert_cmpuint (links_a->len, >=, n);
  g_assert_cmpuint (links_b->len, >=, n);
  /* Disabled sockets are not polled; the enable flags were read once. */
  g_assert_cmpuint (count_asked (f->sim, "SOCKCLK", 0), ==, 0);
  g_assert_cmpuint (count_asked (f->sim, "SOCKDLK", 0), ==, 0);
  g_assert_cmpuint (count_asked (f->sim, "SOCKCEN", 0), ==, 1);
  g_assert_cmpuint (count_asked (f->sim, "SOCKAEN", 0), ==, 1);

  for (guint i = 0; i < n; i++)
    {
      const AtcSample *sample = sample_at (f, i);
      AtcNetMode mode;
      AtcSignal signal;

      /* The sample holds what the unit said... */
      g_assert_true (atc_sample_get_net_mode (sample, &mode));
      g_assert_cmpint (mode, ==, atoi (g_ptr_array_index (netmodes, i)));
      g_assert_true (atc_sample_get_signal (sample, &signal));
      g_assert_cmpint (signal.csq, ==, atoi (g_ptr_array_index (csqs, i)));
      g_assert_cmpint (atc_sample_get_link (sample, 0), ==,
                       g_str_equal (g_ptr_array_index (links_a, i), "ON") ? ATC_LINK_UP : ATC_LINK_DOWN);
      g_assert_cmpint (atc_sample_get_link (sample, 1), ==,
                       g_str_equal (g_ptr_array_index (links_b, i), "ON") ? ATC_LINK_UP : ATC_LINK_DOWN);
      g_assert_cmpint (atc_sample_get_link (sample, 2), ==, ATC_LINK_NONE);
      g_assert_cmpint (atc_sample_get_link (sample, 3), ==, ATC_LINK_NONE);

      /* ... which is the status it was given. */
      g_assert_cmpint (mode, ==, script[i].mode);
      g_assert_cmpint (signal.csq, ==, script[i].csq);
      g_assert_cmpint (atc_sample_get_link (sample, 0), ==, script[i].links[0] ? ATC_LINK_UP : ATC_LINK_DOWN);
      g_assert_cmpint (atc_sample_get_link (sample, 1), ==, script[i].links[1] ? ATC_LINK_UP : ATC_LINK_DOWN);
      g_assert_cmpint (signal.known, ==, script[i].csq != 99);
      if (signal.known)
        g_assert_cmpint (signal.dbm, ==, dbm[i]);

      if (i > 0)
        g_assert_cmpint (sample->time, >=, sample_at (f, i - 1)->time);
    }

  /* The history holds the same samples. */
  g_assert_cmpuint (atc_history_get_length (atc_monitor_get_history (f->monitor)), ==, f->samples->len);
  g_assert_cmpmem (atc_history_get (atc_monitor_get_history (f->monitor), 3), sizeof (AtcSample),
                   sample_at (f, 3), sizeof (AtcSample));

  /* Transitions, in order, stamped with the sample that showed them. */
  g_assert_cmpuint (f->events->len, ==, 11);
  assert_event (event_at (f, e++), ATC_MONITOR_EVENT_LINK_DOWN, sample_at (f, 2), 0, ATC_LINK_UP, ATC_LINK_DOWN);
  assert_event (event_at (f, e++), ATC_MONITOR_EVENT_NET_MODE_CHANGED, sample_at (f, 3), -1,
                ATC_NET_MODE_LTE, ATC_NET_MODE_WCDMA);
  assert_event (event_at (f, e++), ATC_MONITOR_EVENT_LINK_UP, sample_at (f, 3), 1, ATC_LINK_DOWN, ATC_LINK_UP);
  assert_event (event_at (f, e++), ATC_MONITOR_EVENT_SIGNAL_LOST, sample_at (f, 4), -1, -75, 0);
  assert_event (event_at (f, e++), ATC_MONITOR_EVENT_SIGNAL_REGAINED, sample_at (f, 5), -1, 0, -55);
  assert_event (event_at (f, e++), ATC_MONITOR_EVENT_NET_MODE_CHANGED, sample_at (f, 6), -1,
                ATC_NET_MODE_WCDMA, ATC_NET_MODE_NONE);
  assert_event (event_at (f, e++), ATC_MONITOR_EVENT_SIGNAL_LOST, sample_at (f, 6), -1, -55, 0);
  assert_event (event_at (f, e++), ATC_MONITOR_EVENT_LINK_DOWN, sample_at (f, 6), 1, ATC_LINK_UP, ATC_LINK_DOWN);
  assert_event (event_at (f, e++), ATC_MONITOR_EVENT_NET_MODE_CHANGED, sample_at (f, 7), -1,
                ATC_NET_MODE_NONE, ATC_NET_MODE_LTE);
  assert_event (event_at (f, e++), ATC_MONITOR_EVENT_SIGNAL_REGAINED, sample_at (f, 7), -1, 0, -110);
  assert_event (event_at (f, e++), ATC_MONITOR_EVENT_LINK_UP, sample_at (f, 7), 0, ATC_LINK_DOWN, ATC_LINK_UP);
  g_assert_cmpstr (atc_monitor_event_get_socket_name (event_at (f, 0)), ==, "A");
  g_assert_cmpstr (atc_monitor_event_get_socket_name (event_at (f, 2)), ==, "B");

  /* The events list is the same, and says it in words. */
  g_assert_cmpuint (g_list_model_get_n_items (atc_monitor_get_events (f->monitor)), ==, 11);
  {
    g_autoptr(AtcMonitorEvent) first = g_list_model_get_item (atc_monitor_get_events (f->monitor), 0);
    g_autofree char *text = atc_monitor_event_describe (first);

    g_assert_true (first == event_at (f, 0));
    g_assert_cmpstr (text, ==, "Socket A link down");
  }

  fixture_clear (f);
}

/* dBm on each network's scale, at the ends of the scales, through the
 * samples the monitor takes. */
static void
test_g781_scales (void)
{
  static const struct {
    AtcNetMode mode;
    int        csq;
    gboolean   known;
    int        dbm;
    gboolean   floor;
    gboolean   ceiling;
  } cases[] = {
    { ATC_NET_MODE_GSM, 0, TRUE, -113, TRUE, FALSE },
    { ATC_NET_MODE_GSM, 1, TRUE, -111, FALSE, FALSE },
    { ATC_NET_MODE_GSM, 31, TRUE, -51, FALSE, TRUE },
    { ATC_NET_MODE_CDMA, 31, TRUE, -51, FALSE, TRUE },
    { ATC_NET_MODE_EVDO, 0, TRUE, -113, TRUE, FALSE },
    { ATC_NET_MODE_TDSCDMA, 0, TRUE, -115, TRUE, FALSE },
    { ATC_NET_MODE_WCDMA, 1, TRUE, -114, FALSE, FALSE },
    { ATC_NET_MODE_WCDMA, 91, TRUE, -25, FALSE, TRUE },
    { ATC_NET_MODE_LTE, 0, TRUE, -140, TRUE, FALSE },
    { ATC_NET_MODE_TDDLTE, 1, TRUE, -139, FALSE, FALSE },
    { ATC_NET_MODE_FDDLTE, 97, TRUE, -44, FALSE, TRUE },
    { ATC_NET_MODE_LTE, 99, FALSE, 0, FALSE, FALSE },
    { ATC_NET_MODE_GSM, 99, FALSE, 0, FALSE, FALSE },
  };
  Step script[G_N_ELEMENTS (cases)];
  Fixture fixture, *f = &fixture;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    script[i] = (Step) { cases[i].mode, cases[i].csq, { TRUE } };

  fixture_init (f, "g781", NULL, 1.0);
  fixture_connect (f);
  fixture_new_monitor (f, 0);
  f->script = script;
  f->n_steps = G_N_ELEMENTS (script);
  fixture_start (f);
  wait_samples (f, G_N_ELEMENTS (cases));
  atc_monitor_stop (f->monitor);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const AtcSample *sample = sample_at (f, i);
      AtcSignal signal;

      g_test_message ("case %u: mode %d CSQ %d", i, cases[i].mode, cases[i].csq);
      g_assert_true (atc_sample_get_signal (sample, &signal));
      g_assert_cmpint (signal.csq, ==, cases[i].csq);
      g_assert_cmpint (signal.known, ==, cases[i].known);
      if (!cases[i].known)
        {
          g_assert_cmpint (signal.bars, ==, 0);
          continue;
        }
      g_assert_cmpint (signal.dbm, ==, cases[i].dbm);
      g_assert_cmpint (signal.at_floor, ==, cases[i].floor);
      g_assert_cmpint (signal.at_ceiling, ==, cases[i].ceiling);
      g_assert_cmpint (signal.bars, >=, 0);
      g_assert_cmpint (signal.bars, <=, 4);
      /* Floors are the weakest signal and get no bar; ceilings all four. */
      if (cases[i].floor)
        g_assert_cmpint (signal.bars, ==, 0);
      if (cases[i].ceiling)
        g_assert_cmpint (signal.bars, ==, 4);
    }

  fixture_clear (f);
}

/* The M0 reports one socket's link, as Connected/Disconnected. */
static void
test_m0 (void)
{
  static const Step script[] = {
    { ATC_NET_MODE_NONE, 99, { TRUE } },
    { ATC_NET_MODE_NONE, 99, { FALSE } },
    { ATC_NET_MODE_NONE, 99, { FALSE } },
    { ATC_NET_MODE_NONE, 99, { TRUE } },
  };
  Fixture fixture, *f = &fixture;
  g_autoptr(GPtrArray) links = NULL;
  AtcSignalStats stats;

  fixture_init (f, "m0", NULL, 1.0);
  fixture_connect (f);
  fixture_new_monitor (f, 0);
  f->script = script;
  f->n_steps = G_N_ELEMENTS (script);
  fixture_start (f);
  wait_samples (f, G_N_ELEMENTS (script));
  atc_monitor_stop (f->monitor);

  g_assert_cmpuint (atc_monitor_get_n_sockets (f->monitor), ==, 1);
  g_assert_cmpstr (atc_monitor_get_socket_name (f->monitor, 0), ==, "");

  links = answered_values (f->sim, "SOCKLK");
  g_assert_cmpuint (links->len, >=, G_N_ELEMENTS (script));
  for (guint i = 0; i < G_N_ELEMENTS (script); i++)
    {
      const AtcSample *sample = sample_at (f, i);
      AtcSignal signal;

      g_assert_cmpstr (g_ptr_array_index (links, i), ==, script[i].links[0] ? "Connected" : "Disconnected");
      g_assert_cmpint (atc_sample_get_link (sample, 0), ==, script[i].links[0] ? ATC_LINK_UP : ATC_LINK_DOWN);
      /* No CSQ, no network on this model: nothing is made up. */
      g_assert_false (atc_sample_get_signal (sample, &signal));
      g_assert_false (atc_sample_get_net_mode (sample, NULL));
    }

  g_assert_cmpuint (f->events->len, ==, 2);
  assert_event (event_at (f, 0), ATC_MONITOR_EVENT_LINK_DOWN, sample_at (f, 1), 0, ATC_LINK_UP, ATC_LINK_DOWN);
  assert_event (event_at (f, 1), ATC_MONITOR_EVENT_LINK_UP, sample_at (f, 3), 0, ATC_LINK_DOWN, ATC_LINK_UP);
  {
    g_autofree char *text = atc_monitor_event_describe (event_at (f, 0));
    g_assert_cmpstr (text, ==, "Socket link down");
  }

  g_assert_false (atc_history_get_stats (atc_monitor_get_history (f->monitor), ATC_STATS_WINDOW_ALL, &stats));

  /* Its export names the unnamed socket "socket" and has no signal. */
  {
    g_autoptr(GBytes) bytes = atc_history_export (atc_monitor_get_history (f->monitor),
                                                  ATC_EXPORT_JSON, atc_monitor_get_events (f->monitor));
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonObject *root, *first, *event;

    json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                &error);
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (parser));
    first = json_array_get_object_element (json_object_get_array_member (root, "samples"), 1);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "links"),
                                                    "socket"), ==, "down");
    g_assert_false (json_object_has_member (first, "csq"));
    g_assert_false (json_object_has_member (first, "network"));
    event = json_array_get_object_element (json_object_get_array_member (root, "events"), 0);
    g_assert_cmpstr (json_object_get_string_member (event, "socket"), ==, "socket");
    g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "link-down");
  }

  fixture_clear (f);
}

/* Polls never overlap and keep their cadence. */
static void
test_cadence (void)
{
  Fixture fixture, *f = &fixture;
  GPtrArray *log;
  guint first = 0;
  guint k = 0;
  const char *cycle[] = { "AT+NETMODE", "AT+CSQ", "AT+SOCKALK" };
  const guint interval = 150;

  fixture_init (f, "g781", NULL, 1.0);
  fixture_connect (f);
  fixture_new_monitor (f, interval);
  g_assert_cmpuint (atc_monitor_get_interval (f->monitor), ==, interval);
  fixture_start (f);
  wait_samples (f, 5);
  atc_monitor_stop (f->monitor);

  /* A poll starts no sooner than `interval` after the previous one
   * (wall clock and monotonic clock may differ by a hair). */
  for (guint i = 1; i < f->samples->len; i++)
    g_assert_cmpint (sample_at (f, i)->time - sample_at (f, i - 1)->time, >=,
                     (gint64) interval * 1000 - 2000);

  /* The unit saw whole polls one after the other, never interleaved. */
  log = atc_simulator_get_log (f->sim);
  while (first < log->len &&
         g_ascii_strcasecmp (((AtcSimLogEntry *) g_ptr_array_index (log, first))->line, cycle[0]) != 0)
    first++;
  for (guint i = first; i < log->len; i++, k++)
    g_assert_cmpstr (((AtcSimLogEntry *) g_ptr_array_index (log, i))->line, ==, cycle[k % 3]);
  g_assert_cmpuint (k, >=, 5 * 3);

  fixture_clear (f);
}

static void
test_pause_resume (void)
{
  Fixture fixture, *f = &fixture;
  guint commands;
  const AtcSample *resumed;

  fixture_init (f, "g781", NULL, 1.0);
  fixture_connect (f);
  fixture_new_monitor (f, 20);
  /* Paused from ::sample, when no poll is in flight. */
  f->pause_after = 3;
  fixture_start (f);
  wait_samples (f, 3);
  g_assert_cmpint (atc_monitor_get_state (f->monitor), ==, ATC_MONITOR_PAUSED);

  commands = atc_simulator_get_command_count (f->sim);
  atc_test_run_for (300);
  g_assert_cmpuint (f->samples->len, ==, 3);
  g_assert_cmpuint (atc_simulator_get_command_count (f->sim), ==, commands);

  atc_monitor_resume (f->monitor);
  g_assert_cmpint (atc_monitor_get_state (f->monitor), ==, ATC_MONITOR_RUNNING);
  wait_samples (f, 5);

  /* The plot breaks its line across the pause, and only there. */
  resumed = sample_at (f, 3);
  g_assert_true (resumed->flags & ATC_SAMPLE_AFTER_GAP);
  g_assert_false (sample_at (f, 4)->flags & ATC_SAMPLE_AFTER_GAP);
  g_assert_false (sample_at (f, 2)->flags & ATC_SAMPLE_AFTER_GAP);

  g_assert_cmpuint (f->states->len, >=, 4);
  g_assert_cmpint (g_array_index (f->states, AtcMonitorState, 0), ==, ATC_MONITOR_STARTING);
  g_assert_cmpint (g_array_index (f->states, AtcMonitorState, 1), ==, ATC_MONITOR_RUNNING);
  g_assert_cmpint (g_array_index (f->states, AtcMonitorState, 2), ==, ATC_MONITOR_PAUSED);
  g_assert_cmpint (g_array_index (f->states, AtcMonitorState, 3), ==, ATC_MONITOR_RUNNING);

  /* Stopped: nothing more is asked; started again, the same history goes on. */
  atc_monitor_stop (f->monitor);
  atc_test_run_for (50);
  commands = atc_simulator_get_command_count (f->sim);
  atc_test_run_for (200);
  g_assert_cmpuint (atc_simulator_get_command_count (f->sim), ==, commands);

  f->pause_after = 0;
  {
    guint before = f->samples->len;

    fixture_start (f);
    g_assert_cmpuint (atc_history_get_length (atc_monitor_get_history (f->monitor)), ==, before + 1);
    g_assert_true (sample_at (f, before)->flags & ATC_SAMPLE_AFTER_GAP);
  }

  fixture_clear (f);
}

static void
test_unplug (void)
{
  Fixture fixture, *f = &fixture;
  guint before, opens;
  AtcMonitorEvent *lost;

  fixture_init (f, "g781", NULL, 1.0);
  fixture_connect (f);
  fixture_new_monitor (f, 50);
  atc_monitor_set_reconnect_delays (f->monitor, 50, 400);
  fixture_start (f);
  wait_samples (f, 3);

  test_plug_set_plugged (f->plug, FALSE);
  wait_state (f, ATC_MONITOR_LOST);
  before = f->samples->len;

  g_assert_cmpuint (f->events->len, ==, 1);
  lost = event_at (f, 0);
  g_assert_cmpint (atc_monitor_event_get_kind (lost), ==, ATC_MONITOR_EVENT_UNIT_LOST);
  g_assert_nonnull (atc_monitor_event_get_detail (lost));

  /* Reconnection is attempted with growing pauses, not in a loop:
   * 50, 100, 200, 400, 400 ms... at most a handful in 1.5 s. */
  opens = f->plug->n_opens;
  atc_test_run_for (1500);
  g_assert_cmpuint (f->plug->n_opens - opens, >=, 1);
  g_assert_cmpuint (f->plug->n_opens - opens, <=, 7);
  g_assert_cmpint (atc_monitor_get_state (f->monitor), ==, ATC_MONITOR_LOST);

  /* The history stays through it. */
  g_assert_cmpuint (f->samples->len, ==, before);
  g_assert_cmpuint (atc_history_get_length (atc_monitor_get_history (f->monitor)), ==, before);

  test_plug_set_plugged (f->plug, TRUE);
  wait_state (f, ATC_MONITOR_RUNNING);
  wait_samples (f, before + 2);

  g_assert_cmpuint (atc_history_get_length (atc_monitor_get_history (f->monitor)), >=, before + 2);
  g_assert_true (sample_at (f, before)->flags & ATC_SAMPLE_AFTER_GAP);
  g_assert_false (sample_at (f, before + 1)->flags & ATC_SAMPLE_AFTER_GAP);
  g_assert_cmpuint (f->events->len, >=, 2);
  assert_event (event_at (f, 1), ATC_MONITOR_EVENT_UNIT_BACK, sample_at (f, before), -1, 0, 0);
  g_assert_cmpint (atc_monitor_event_get_time (event_at (f, 1)), >=, atc_monitor_event_get_time (lost));
  /* The unit may have been reconfigured while away: enables are read again. */
  g_assert_cmpuint (count_asked (f->sim, "SOCKAEN", 0), ==, 2);

  fixture_clear (f);
}

/* A unit that restarts on its own goes silent, then comes back in
 * transparent mode on the same open link: the monitor makes the
 * handshake again and carries on. */
static void
test_reboot (void)
{
  Fixture fixture, *f = &fixture;
  guint before, log_before;

  fixture_init (f, "g781", NULL, 0.25);
  fixture_connect (f);
  fixture_new_monitor (f, 50);
  atc_monitor_set_reconnect_delays (f->monitor, 50, 400);
  fixture_start (f);
  wait_samples (f, 2);

  log_before = atc_simulator_get_log (f->sim)->len;
  atc_simulator_power_cycle (f->sim);
  wait_state (f, ATC_MONITOR_LOST);
  before = f->samples->len;

  wait_state (f, ATC_MONITOR_RUNNING);
  wait_samples (f, before + 2);

  g_assert_cmpint (atc_simulator_get_mode (f->sim), ==, ATC_SIM_MODE_COMMAND);
  g_assert_cmpint (atc_session_get_state (f->session), ==, ATC_SESSION_COMMAND_MODE);
  g_assert_true (sample_at (f, before)->flags & ATC_SAMPLE_AFTER_GAP);
  g_assert_cmpuint (count_asked (f->sim, "SOCKAEN", log_before), ==, 1);
  g_assert_cmpuint (f->events->len, ==, 2);
  g_assert_cmpint (atc_monitor_event_get_kind (event_at (f, 0)), ==, ATC_MONITOR_EVENT_UNIT_LOST);
  g_assert_cmpint (atc_monitor_event_get_kind (event_at (f, 1)), ==, ATC_MONITOR_EVENT_UNIT_BACK);
  g_assert_cmpuint (atc_history_get_length (atc_monitor_get_history (f->monitor)), >=, before + 2);

  fixture_clear (f);
}

/* A configuration read through the same session while the monitor polls
 * as fast as it can: every answer is right, and the monitor goes on. */
static void
test_shared_session (void)
{
  Fixture fixture, *f = &fixture;
  GPtrArray *commands = NULL;
  GPtrArray *log;
  guint64 polls_before;
  guint n_read = 0;
  guint max_waited = 0;
  AtcModel *model;

  fixture_init (f, "g781", NULL, 1.0);
  fixture_connect (f);
  fixture_new_monitor (f, 0);
  fixture_start (f);
  wait_samples (f, 2);

  model = atc_session_get_model (f->session);
  commands = atc_model_get_commands (model);
  log = atc_simulator_get_log (f->sim);
  polls_before = atc_monitor_get_n_polls (f->monitor);

  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      g_autoptr(GAsyncResult) result = NULL;
      GAsyncResult *slot = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) values = NULL;
      g_auto(GStrv) expected = NULL;
      g_autofree char *line = NULL;
      guint queued_at = log->len;
      guint waited = 0;
      guint k;

      if (!(command->access & ATC_ACCESS_QUERY) || command->live_status || command->multiline ||
          command->name[0] == '\0')
        continue;

      atc_session_query_async (f->session, command->name, NULL, on_result, &slot);
      result = wait_result (&slot);
      values = atc_session_query_finish (f->session, result, &error);
      g_assert_no_error (error);

      expected = atc_simulator_dup_values (f->sim, command->name, &error);
      g_assert_no_error (error);
      g_assert_cmpstrv (values, expected);
      n_read++;

      /* What the unit ran between queueing this query and running it: at
       * most one poll of the monitor (three commands here). */
      line = g_strconcat ("AT+", command->name, NULL);
      for (k = queued_at; k < log->len; k++)
        {
          AtcSimLogEntry *entry = g_ptr_array_index (log, k);

          if (g_ascii_strcasecmp (entry->line, line) == 0)
            break;
          waited++;
        }
      g_assert_cmpuint (k, <, log->len);
      max_waited = MAX (max_waited, waited);
    }

  g_assert_cmpuint (n_read, >=, 30);
  g_assert_cmpuint (max_waited, <=, 3);
  /* ... and the monitor went on polling meanwhile. */
  g_assert_cmpuint (atc_monitor_get_n_polls (f->monitor), >, polls_before + 2);
  g_assert_cmpint (atc_monitor_get_state (f->monitor), ==, ATC_MONITOR_RUNNING);
  g_assert_cmpuint (f->events->len, ==, 0);

  /* A socket enabled by configuration is monitored once asked to look. */
  {
    const char *on[] = { "ON", NULL };
    g_autoptr(GAsyncResult) result = NULL;
    GAsyncResult *slot = NULL;
    g_autoptr(GError) error = NULL;
    guint from;

    atc_session_set_async (f->session, "SOCKCEN", on, NULL, on_result, &slot);
    result = wait_result (&slot);
    g_assert_true (atc_session_set_finish (f->session, result, &error));
    g_assert_no_error (error);

    atc_monitor_refresh_sockets (f->monitor);
    from = f->samples->len + 1;
    wait_samples (f, from + 2);
    g_assert_true (atc_monitor_get_socket_enabled (f->monitor, 2));
    g_assert_cmpint (atc_sample_get_link (sample_at (f, from + 1), 2), !=, ATC_LINK_NONE);
    g_assert_cmpuint (count_asked (f->sim, "SOCKCLK", 0), >=, 1);
  }

  fixture_clear (f);
}

/* Command-password mode: status read over the data channel while the unit
 * stays in transparent mode. */
static void
test_password_mode (void)
{
  static const Step script[] = {
    { ATC_NET_MODE_LTE, 60, { TRUE } },
    { ATC_NET_MODE_LTE, 61, { FALSE } },
    { ATC_NET_MODE_GSM, 20, { FALSE } },
  };
  Fixture fixture, *f = &fixture;
  GPtrArray *log;
  guint n_transparent = 0;

  fixture_init (f, "g781", "www.usr.cn#", 1.0);
  fixture_connect (f);
  g_assert_cmpint (atc_session_get_state (f->session), ==, ATC_SESSION_PASSWORD_MODE);
  fixture_new_monitor (f, 0);
  f->script = script;
  f->n_steps = G_N_ELEMENTS (script);
  fixture_start (f);
  wait_samples (f, G_N_ELEMENTS (script));
  atc_monitor_stop (f->monitor);

  for (guint i = 0; i < G_N_ELEMENTS (script); i++)
    {
      AtcSignal signal;

      g_assert_cmpint (g_array_index (f->sim_modes, AtcSimMode, i), ==, ATC_SIM_MODE_TRANSPARENT);
      g_assert_true (atc_sample_get_signal (sample_at (f, i), &signal));
      g_assert_cmpint (signal.csq, ==, script[i].csq);
      g_assert_cmpint (atc_sample_get_link (sample_at (f, i), 0), ==,
                       script[i].links[0] ? ATC_LINK_UP : ATC_LINK_DOWN);
    }
  g_assert_cmpint (sample_at (f, 2)->dbm, ==, -73);
  g_assert_cmpuint (f->events->len, ==, 2);
  assert_event (event_at (f, 0), ATC_MONITOR_EVENT_LINK_DOWN, sample_at (f, 1), 0, ATC_LINK_UP, ATC_LINK_DOWN);
  assert_event (event_at (f, 1), ATC_MONITOR_EVENT_NET_MODE_CHANGED, sample_at (f, 2), -1,
                ATC_NET_MODE_LTE, ATC_NET_MODE_GSM);

  /* Every command came over the data channel; command mode was never entered. */
  log = atc_simulator_get_log (f->sim);
  for (guint i = 0; i < log->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, i);

      g_assert_true (entry->transparent);
      n_transparent++;
    }
  g_assert_cmpuint (n_transparent, >=, 3 * G_N_ELEMENTS (script));
  g_assert_cmpint (atc_simulator_get_mode (f->sim), ==, ATC_SIM_MODE_TRANSPARENT);

  fixture_clear (f);
}

/* A unit that cannot be reached fails the start, and says why. */
static void
test_start_unreachable (void)
{
  Fixture fixture, *f = &fixture;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;

  fixture_init (f, "g781", NULL, 1.0);
  f->plug->unplugged = TRUE;
  fixture_new_monitor (f, 0);

  atc_monitor_start_async (f->monitor, NULL, on_result, &slot);
  result = wait_result (&slot);
  g_assert_false (atc_monitor_start_finish (f->monitor, result, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_NOT_FOUND);
  g_assert_cmpint (atc_monitor_get_state (f->monitor), ==, ATC_MONITOR_STOPPED);
  g_assert_cmpuint (f->samples->len, ==, 0);
  g_assert_cmpuint (f->plug->n_opens, ==, 1);

  fixture_clear (f);
}

/* A start that is cancelled ends stopped, with the cancellation. */
static void
test_start_cancelled (void)
{
  Fixture fixture, *f = &fixture;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;
  guint commands;

  fixture_init (f, "g781", NULL, 1.0);
  fixture_connect (f);
  fixture_new_monitor (f, 0);

  atc_monitor_start_async (f->monitor, cancellable, on_result, &slot);
  g_cancellable_cancel (cancellable);
  result = wait_result (&slot);
  g_assert_false (atc_monitor_start_finish (f->monitor, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (atc_monitor_get_state (f->monitor), ==, ATC_MONITOR_STOPPED);

  atc_test_run_for (50);
  commands = atc_simulator_get_command_count (f->sim);
  atc_test_run_for (200);
  g_assert_cmpuint (atc_simulator_get_command_count (f->sim), ==, commands);

  fixture_clear (f);
}

/* atconf-cli monitor, run as a technician runs it */

static char *
cli_path (void)
{
  const char *root = g_getenv ("ATC_BUILD_ROOT");
  char *path;

  g_assert_nonnull (root);
  path = g_build_filename (root, "src", "cli", "atconf-cli", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));

  return path;
}

static GSubprocess *
spawn_cli (const char *const *args,
           GError           **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (NULL);
  g_autofree char *path = cli_path ();

  g_ptr_array_add (argv, path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "ATCONF_DEVICE");
  g_subprocess_launcher_unsetenv (launcher, "ATCONF_PASSWORD");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);

  return g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
}

static void
test_cli_json (void)
{
  const char *args[] = { "monitor", "--device", "demo:g781", "--count", "3", "--interval", "0.05",
                         "--json", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_samples = 0;

  process = spawn_cli (args, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("atconf-cli monitor failed:\n%s%s", out, err);

  lines = g_strsplit (g_strchomp (out), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;
      const char *type;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      type = json_object_get_string_member (object, "type");

      if (g_str_equal (type, "sample"))
        {
          int csq = json_object_get_int_member (object, "csq");
          AtcNetMode mode = json_object_get_int_member (object, "network_mode");
          AtcSignal signal = atc_signal_from_csq (csq, mode);

          n_samples++;
          g_assert_true (json_object_has_member (object, "time"));
          /* dBm on the scale of the network the same line names. */
          if (signal.known)
            g_assert_cmpint (json_object_get_int_member (object, "dbm"), ==, signal.dbm);
          g_assert_true (json_object_has_member (json_object_get_object_member (object, "links"), "A"));
        }
      else if (g_str_equal (type, "summary"))
        {
          g_assert_null (lines[i + 1]);
          g_assert_cmpint (json_object_get_int_member (object, "samples"), ==, 3);
          g_assert_cmpuint (n_samples, ==, 3);
        }
      else
        g_assert_cmpstr (type, ==, "event");
    }
  g_assert_cmpuint (n_samples, ==, 3);
}

static void
test_cli_interrupt (void)
{
  const char *args[] = { "monitor", "--device", "demo:m0", "--interval", "0.05", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) rest = g_string_new (NULL);
  char *line;

  process = spawn_cli (args, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  /* Two sample lines, then Ctrl-C. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *sample = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (sample);
      g_assert_nonnull (strstr (sample, "link up") != NULL ? sample : strstr (sample, "link down"));
    }
  g_subprocess_send_signal (process, SIGINT);

  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (rest, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  /* Ctrl-C is the normal end of a run: a summary and success. */
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (rest->str, "Samples: "));
  g_assert_nonnull (strstr (rest->str, "Socket: link up "));
}

static void
test_cli_csv (void)
{
  const char *args[] = { "monitor", "--device", "demo:g781", "--count", "2", "--interval", "0",
                         "--csv", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  process = spawn_cli (args, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("atconf-cli monitor --csv failed:\n%s%s", out, err);

  /* stdout is nothing but the CSV: the export's header and one row per
   * sample; the summary goes to stderr. */
  lines = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[0], ==,
                   "time (ISO 8601 UTC),CSQ (raw),signal (dBm),signal bound,bars (0-4),network,"
                   "socket A link,socket B link,socket C link,socket D link");
  for (guint i = 1; i < 3; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 10);
      g_assert_true (g_str_has_suffix (fields[0], "Z"));
      g_assert_cmpstr (fields[8], ==, ""); /* sockets C and D are off by default */
      g_assert_cmpstr (fields[9], ==, "");
    }
  g_assert_nonnull (strstr (err, "Samples: 2 "));
}

static void
test_cli_usage (void)
{
  const char *args[] = { "monitor", "--device", "demo:g781", "--interval", "-1", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = spawn_cli (args, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_nonnull (strstr (err, "--interval"));
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
  g_test_add_func ("/monitor/g781/samples-and-events", test_g781_samples_and_events);
  g_test_add_func ("/monitor/g781/scales", test_g781_scales);
  g_test_add_func ("/monitor/m0/link", test_m0);
  g_test_add_func ("/monitor/cadence", test_cadence);
  g_test_add_func ("/monitor/pause-resume", test_pause_resume);
  g_test_add_func ("/monitor/unplug", test_unplug);
  g_test_add_func ("/monitor/reboot", test_reboot);
  g_test_add_func ("/monitor/shared-session", test_shared_session);
  g_test_add_func ("/monitor/password-mode", test_password_mode);
  g_test_add_func ("/monitor/start/unreachable", test_start_unreachable);
  g_test_add_func ("/monitor/start/cancelled", test_start_cancelled);
  g_test_add_func ("/monitor/cli/json", test_cli_json);
  g_test_add_func ("/monitor/cli/interrupt", test_cli_interrupt);
  g_test_add_func ("/monitor/cli/csv", test_cli_csv);
  g_test_add_func ("/monitor/cli/usage", test_cli_usage);

  return g_test_run ();
}
