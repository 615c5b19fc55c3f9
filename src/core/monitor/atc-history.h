/* atc-history.h: a bounded record of samples, statistics and exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AtcHistory is a ring buffer of AtcSample allocated once at construction:
 * when it is full the oldest sample is overwritten, so memory stays flat
 * however long the monitor runs. The default capacity holds 24 hours of
 * one-second samples.
 *
 * Indices run from 0 (oldest) to length - 1 (newest). Sample times are
 * wall-clock times; lookups by time assume they grow, which holds unless
 * the system clock is stepped back.
 */
#pragma once

#include <gio/gio.h>

#include "atc-sample.h"

G_BEGIN_DECLS

#define ATC_HISTORY_DEFAULT_CAPACITY (24 * 60 * 60)

typedef enum {
  ATC_STATS_WINDOW_1_MIN,
  ATC_STATS_WINDOW_10_MIN,
  ATC_STATS_WINDOW_1_HOUR,
  ATC_STATS_WINDOW_ALL,
} AtcStatsWindow;

typedef struct {
  guint  n_samples;   /* samples in the window with a measurable signal */
  guint  n_unknown;   /* samples whose CSQ read 99 (unknown) */
  int    min_dbm;     /* valid when n_samples > 0 */
  int    max_dbm;
  double avg_dbm;     /* arithmetic mean of the dBm values */
  gint64 first_time;  /* time of the oldest and newest sample in the window */
  gint64 last_time;
} AtcSignalStats;

typedef enum {
  ATC_EXPORT_CSV,
  ATC_EXPORT_JSON,
} AtcExportFormat;

/* Walks (time, dBm) points of measurable samples; see
 * atc_history_iter_init(). Fields are private. */
typedef struct {
  gpointer priv_history;
  guint64  priv_next;
  guint64  priv_end;
  guint64  priv_last;
  guint    priv_generation;
  gboolean priv_started;
} AtcHistoryIter;

#define ATC_TYPE_HISTORY (atc_history_get_type ())
G_DECLARE_FINAL_TYPE (AtcHistory, atc_history, ATC, HISTORY, GObject)

AtcHistory       *atc_history_new                    (guint              capacity);

guint             atc_history_get_capacity           (AtcHistory        *self);
guint             atc_history_get_length             (AtcHistory        *self);
/* Samples pushed since creation or the last clear, overwritten ones included. */
guint64           atc_history_get_n_pushed           (AtcHistory        *self);
void              atc_history_push                   (AtcHistory        *self,
                                                      const AtcSample   *sample);
/* O(1). The pointer is valid until the next push or clear. */
const AtcSample  *atc_history_get                    (AtcHistory        *self,
                                                      guint              index);
/* NULL when empty. */
const AtcSample  *atc_history_get_last               (AtcHistory        *self);
/* Index of the first sample at or after `time` (length when none). */
guint             atc_history_find_time              (AtcHistory        *self,
                                                      gint64             time);
void              atc_history_clear                  (AtcHistory        *self);

/* The socket slots of the samples: short names ("A".."D", "" for a model
 * with a single unnamed socket). Used by exports and link statistics. */
void              atc_history_set_sockets            (AtcHistory        *self,
                                                      const char *const *names);
guint             atc_history_get_n_sockets          (AtcHistory        *self);
const char       *atc_history_get_socket_name        (AtcHistory        *self,
                                                      guint              socket);

/* Signal statistics over the window ending at the newest sample. FALSE
 * (and n_samples = 0) when no sample in the window had a measurable
 * signal. */
gboolean          atc_history_get_stats              (AtcHistory        *self,
                                                      AtcStatsWindow     window,
                                                      AtcSignalStats    *stats);
/* The same over samples with since <= time <= until. */
gboolean          atc_history_get_stats_between      (AtcHistory        *self,
                                                      gint64             since,
                                                      gint64             until,
                                                      AtcSignalStats    *stats);
gint64            atc_history_window_span            (AtcStatsWindow     window);

/* Time (µs) the socket's link was seen up, and observed at all (up or
 * down), since creation or the last clear, counting the time from each
 * sample to the next one; gaps (pauses, lost unit) are not counted.
 * Unaffected by the ring overwriting old samples. */
gint64            atc_history_get_link_up_time       (AtcHistory        *self,
                                                      guint              socket,
                                                      gint64            *observed);

/* Plot access: every sample with a measurable signal from `since` on, in
 * order. *gap_before is TRUE when the line should break before this point
 * (samples without signal, a pause or a lost unit in between). The walk
 * ends at the newest sample present at init; samples overwritten meanwhile
 * are skipped and a clear ends it. */
void              atc_history_iter_init              (AtcHistoryIter    *iter,
                                                      AtcHistory        *self,
                                                      gint64             since);
gboolean          atc_history_iter_next              (AtcHistoryIter    *iter,
                                                      gint64            *time,
                                                      int               *dbm,
                                                      gboolean          *gap_before);

/* CSV: a header row with units, one row per sample.
 * JSON: units, sockets, samples and (when `events` is given, a list of
 * AtcMonitorEvent) events. Times are ISO 8601 UTC with milliseconds. */
GBytes           *atc_history_export                 (AtcHistory        *self,
                                                      AtcExportFormat    format,
                                                      GListModel        *events);
/* The CSV export's header and one of its rows, without line ending: for
 * printing samples as they come. */
char             *atc_history_format_csv_header      (AtcHistory        *self);
char             *atc_history_format_csv_row         (AtcHistory        *self,
                                                      const AtcSample   *sample);
/* Snapshots the history now, formats and writes it in a worker thread. */
void              atc_history_export_to_file_async   (AtcHistory        *self,
                                                      AtcExportFormat    format,
                                                      GListModel        *events,
                                                      GFile             *file,
                                                      GCancellable      *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer           user_data);
gboolean          atc_history_export_to_file_finish  (AtcHistory        *self,
                                                      GAsyncResult      *result,
                                                      GError           **error);

G_END_DECLS
