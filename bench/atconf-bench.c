/* atconf-bench.c: Atconf measured against the wire's limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run without --scenario, it runs every scenario in a child process of its
 * own (so memory figures are not mixed up), collects their "key=value"
 * lines and prints one table. See bench/README.md for what each row means.
 *
 * Every unit is an AtcSimulator on its own thread behind a real pty, paced
 * at 115200 baud both ways (10 bits a byte) with a 20 ms turnaround before
 * each reply. The lower bound of an exchange is the sum of turnarounds
 * plus the line time of every byte that crossed the wire, both ways, but
 * the echo, which the unit sends while it works on the command (it only
 * counts where it is longer than the turnaround).
 *
 * Timings never fail anything: each row says OK or MISSED.
 */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gio.h>

#include "atc-applier.h"
#include "atc-bench-sim.h"
#include "atc-catalog.h"
#include "atc-codec.h"
#include "atc-config-reader.h"
#include "atc-monitor.h"
#include "atc-profile.h"
#include "atc-session.h"
#include "atc-test-util.h"

#define BAUD          115200
#define LATENCY_MS    20
#define SCRIPT_WAIT_MS 300
#define OP_TIMEOUT_MS (120 * 1000)

static gboolean opt_quick;
static gboolean opt_verbose;
static char *opt_scenario;
static char *opt_app;
static char *opt_cli;
static char *opt_baseline;
static char *opt_schema_dir;
static gboolean opt_no_gui;
static int opt_monitor_seconds;

/* --- Small helpers -------------------------------------------------------- */

static gint64
cpu_us_self (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

/* VmRSS or VmHWM of this process, kB. */
static guint64
status_kb (const char *field)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize flen = strlen (field);

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], field, flen) == 0 && lines[i][flen] == ':')
      return g_ascii_strtoull (lines[i] + flen + 1, NULL, 10);
  return 0;
}

/* Async operations of the core, run to completion on this thread. */
typedef struct {
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static gboolean
wait_run (Wait *wait)
{
  return atc_test_run_until (&wait->done, OP_TIMEOUT_MS);
}

static void
wait_clear (Wait *wait)
{
  g_clear_object (&wait->result);
  wait->done = FALSE;
}

static AtcModel *
model_for (const char *model_id)
{
  return atc_catalog_lookup (atc_catalog_get_default (), model_id);
}

static gboolean
session_connect (AtcSession  *session,
                 GError     **error)
{
  Wait wait = { 0 };
  gboolean ok;

  atc_session_connect_async (session, NULL, wait_cb, &wait);
  if (!wait_run (&wait))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "connect hung");
      return FALSE;
    }
  ok = atc_session_connect_finish (session, wait.result, error);
  wait_clear (&wait);
  return ok;
}

static AtcConfig *
session_read (AtcSession  *session,
              GError     **error)
{
  g_autoptr(AtcConfigReader) reader = atc_config_reader_new (session);
  Wait wait = { 0 };
  AtcConfig *config;

  atc_config_reader_read_async (reader, NULL, wait_cb, &wait);
  if (!wait_run (&wait))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "read hung");
      return NULL;
    }
  config = atc_config_reader_read_finish (reader, wait.result, error);
  wait_clear (&wait);
  return config;
}

static AtcSession *
open_session (const char  *address,
              const char  *model_id,
              GError     **error)
{
  g_autoptr(AtcSession) session = atc_session_new_for_address (address, error);

  if (session == NULL)
    return NULL;
  atc_session_set_model (session, model_for (model_id));
  if (!session_connect (session, error))
    return NULL;
  return g_steal_pointer (&session);
}

static void
settle_ms (guint ms)
{
  atc_test_run_for (ms);
}

static void
dump_session_log (AtcSession *session)
{
  g_autofree char *text = NULL;

  if (!opt_verbose)
    return;
  text = atc_transaction_log_to_text (atc_session_get_log (session));
  g_printerr ("%s\n", text);
}

/* prefix.key=value */
static void
put (const char *prefix,
     const char *key,
     const char *format,
     ...) G_GNUC_PRINTF (3, 4);

static void
put (const char *prefix,
     const char *key,
     const char *format,
     ...)
{
  va_list args;
  g_autofree char *value = NULL;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("%s.%s=%s\n", prefix, key, value);
}

/* One timed exchange and what crossed the wire meanwhile. */
typedef struct {
  gint64       wall_us;
  AtcBenchWire wire;
  guint        failed;   /* reads that failed, settings not verified */
} Measure;

static int
compare_measures (gconstpointer a,
                  gconstpointer b)
{
  const Measure *ma = a;
  const Measure *mb = b;

  return (ma->wall_us > mb->wall_us) - (ma->wall_us < mb->wall_us);
}

/* The run with the median time stands for all; min and max say how much
 * the machine's load moved them. */
static void
put_measures (const char *prefix,
              GArray     *runs,
              guint       baud)
{
  Measure *median;
  gint64 bound;

  g_array_sort (runs, compare_measures);
  median = &g_array_index (runs, Measure, runs->len / 2);
  bound = atc_bench_wire_bound_us (&median->wire, baud);

  put (prefix, "runs", "%u", runs->len);
  put (prefix, "wall_ms", "%.1f", median->wall_us / 1000.0);
  put (prefix, "min_wall_ms", "%.1f", g_array_index (runs, Measure, 0).wall_us / 1000.0);
  put (prefix, "max_wall_ms", "%.1f",
       g_array_index (runs, Measure, runs->len - 1).wall_us / 1000.0);
  put (prefix, "bound_ms", "%.1f", bound / 1000.0);
  put (prefix, "ratio", "%.3f", (double) median->wall_us / MAX (bound, 1));
  put (prefix, "commands", "%u", median->wire.n_commands);
  put (prefix, "bytes_to_unit", "%" G_GUINT64_FORMAT, median->wire.from_host);
  put (prefix, "bytes_from_unit", "%" G_GUINT64_FORMAT, median->wire.to_host);
  put (prefix, "bytes_echo", "%" G_GUINT64_FORMAT, median->wire.echo);
  put (prefix, "turnarounds_ms", "%.1f", median->wire.turnaround_us / 1000.0);
  put (prefix, "failed", "%u", median->failed);
}

static guint
n_runs (void)
{
  return 3;
}

/* --- Scenario: full read --------------------------------------------------- */

/* Reads the unit's whole configuration through `address` (the simulator's
 * pty, or a bridge to it); only the read is timed. */
static gboolean
measure_read (AtcBenchSim  *sim,
              const char   *address,
              const char   *model_id,
              Measure      *measure,
              GError      **error)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcConfig) config = NULL;
  g_auto(GStrv) failed = NULL;
  AtcBenchWire before, after;
  gint64 start;

  session = open_session (address, model_id, error);
  if (session == NULL)
    return FALSE;
  settle_ms (50);

  atc_bench_sim_snapshot (sim, &before);
  start = g_get_monotonic_time ();
  config = session_read (session, error);
  measure->wall_us = g_get_monotonic_time () - start;
  if (config == NULL)
    return FALSE;
  settle_ms (30);
  atc_bench_sim_snapshot (sim, &after);
  atc_bench_wire_diff (&after, &before, &measure->wire);

  failed = atc_config_get_failed_reads (config);
  measure->failed = g_strv_length (failed);
  dump_session_log (session);
  atc_session_close (session);
  return TRUE;
}

static gboolean
scenario_read (const char  *model_id,
               GError     **error)
{
  g_autoptr(AtcBenchSim) sim = atc_bench_sim_start (model_id, LATENCY_MS, BAUD, 0, error);
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (Measure));
  g_autofree char *address = NULL;
  g_autofree char *prefix = g_strconcat ("read.", model_id, NULL);

  if (sim == NULL)
    return FALSE;
  address = g_strconcat ("pty:", atc_bench_sim_get_pty (sim), NULL);
  for (guint r = 0; r < n_runs (); r++)
    {
      Measure measure = { 0 };

      if (!measure_read (sim, address, model_id, &measure, error))
        return FALSE;
      g_array_append_val (runs, measure);
    }
  put_measures (prefix, runs, BAUD);
  return TRUE;
}

/* --- Scenario: the same read through ser2net -------------------------------- */

static gboolean
scenario_ser2net (const char  *model_id,
                  GError     **error)
{
  g_autoptr(AtcBenchSim) sim = NULL;
  g_autoptr(AtcTestSer2net) bridge = NULL;
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (Measure));
  g_autofree char *address = NULL;
  g_autofree char *prefix = g_strconcat ("ser2net.", model_id, NULL);

  if (!atc_test_ser2net_available ())
    {
      put (prefix, "skipped", "%s is not installed", ATC_TEST_SER2NET_PATH);
      return TRUE;
    }

  sim = atc_bench_sim_start (model_id, LATENCY_MS, BAUD, 0, error);
  if (sim == NULL)
    return FALSE;
  /* Debian's ser2net as it comes: chardelay on, Nagle on. */
  bridge = atc_test_ser2net_start (atc_bench_sim_get_pty (sim), "115200n81", error);
  if (bridge == NULL)
    return FALSE;
  address = atc_test_ser2net_dup_address (bridge);
  for (guint r = 0; r < n_runs (); r++)
    {
      Measure measure = { 0 };

      if (!measure_read (sim, address, model_id, &measure, error))
        return FALSE;
      g_array_append_val (runs, measure);
    }
  put_measures (prefix, runs, BAUD);
  return TRUE;
}

/* --- Scenario: apply a profile with read-back ------------------------------- */

static const struct {
  const char *command;
  const char *param;
  const char *value;
} g781_profile[] = {
  /* Five settings in four commands: SOCKA carries two of them. None is
   * secret, so the unit's log (masked) counts the echo exactly. */
  { "SOCKA",   "address", "example.com" },
  { "SOCKA",   "port",    "2318" },
  { "HEARTTM", "time",    "60" },
  { "HTPTO",   "time",    "20" },
  { "STMSG",   "message", "PUMP_7" },
};

/* On a unit fresh from the factory: read it (not timed), then apply the
 * profile over what was read, with read-back, without restart. */
static gboolean
measure_apply (Measure  *measure,
               guint    *n_settings,
               guint    *n_commands,
               GError  **error)
{
  g_autoptr(AtcBenchSim) sim = atc_bench_sim_start ("g781", LATENCY_MS, BAUD, 0, error);
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcConfigDiff) diff = NULL;
  g_autoptr(AtcProfile) profile = NULL;
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autofree char *address = NULL;
  AtcBenchWire before, after;
  Wait wait = { 0 };
  gint64 start;

  if (sim == NULL)
    return FALSE;
  address = g_strconcat ("pty:", atc_bench_sim_get_pty (sim), NULL);
  session = open_session (address, "g781", error);
  if (session == NULL)
    return FALSE;
  current = session_read (session, error);
  if (current == NULL)
    return FALSE;

  profile = atc_profile_new (model_for ("g781"));
  for (guint i = 0; i < G_N_ELEMENTS (g781_profile); i++)
    if (!atc_profile_set_value (profile, g781_profile[i].command, g781_profile[i].param,
                                g781_profile[i].value, error))
      return FALSE;

  applier = atc_applier_new_for_profile (session, current, profile);
  target = atc_profile_apply_to_config (profile, current);
  diff = atc_config_diff_new (current, target);
  *n_settings = atc_config_diff_get_changes (diff)->len;
  *n_commands = atc_config_diff_get_commands (diff)->len;
  settle_ms (50);

  atc_bench_sim_snapshot (sim, &before);
  start = g_get_monotonic_time ();
  atc_applier_apply_async (applier, NULL, wait_cb, &wait);
  if (!wait_run (&wait))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "apply hung");
      return FALSE;
    }
  measure->wall_us = g_get_monotonic_time () - start;
  report = atc_applier_apply_finish (applier, wait.result, error);
  wait_clear (&wait);
  if (report == NULL)
    return FALSE;
  settle_ms (30);
  atc_bench_sim_snapshot (sim, &after);
  atc_bench_wire_diff (&after, &before, &measure->wire);
  measure->failed = atc_apply_report_is_complete (report) ? 0 :
                    atc_apply_report_get_steps (report)->len -
                    atc_apply_report_count (report, ATC_APPLY_VERIFIED);

  if (opt_verbose)
    {
      g_autofree char *log = atc_bench_sim_dump_log (sim, measure->wire.n_commands);

      g_printerr ("unit log during the apply:\n%s", log);
    }
  dump_session_log (session);
  atc_session_close (session);
  return TRUE;
}

static gboolean
scenario_apply (GError **error)
{
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (Measure));
  guint n_settings = 0, n_commands = 0;

  for (guint r = 0; r < n_runs (); r++)
    {
      Measure measure = { 0 };

      if (!measure_apply (&measure, &n_settings, &n_commands, error))
        return FALSE;
      g_array_append_val (runs, measure);
    }
  put ("apply", "settings", "%u", n_settings);
  put ("apply", "distinct_commands", "%u", n_commands);
  /* One set per command whose values differ, one read-back each. */
  put ("apply", "min_commands", "%u", 2 * n_commands);
  put_measures ("apply", runs, BAUD);
  return TRUE;
}

/* --- Scenario: handshake into command mode --------------------------------- */

typedef struct {
  gint64 wall_us;
  gint64 required_us;
  guint  packing_ms;
  guint  to_unit;
  guint  from_unit;
} Handshake;

static int
compare_handshakes (gconstpointer a,
                    gconstpointer b)
{
  const Handshake *ha = a;
  const Handshake *hb = b;

  return (ha->wall_us > hb->wall_us) - (ha->wall_us < hb->wall_us);
}

/* A unit that has just booted (transparent mode, silent): from opening
 * the pty to command mode. */
static gboolean
measure_handshake (const char  *model_id,
                   Handshake   *hs,
                   GError     **error)
{
  g_autoptr(AtcBenchSim) sim = atc_bench_sim_start (model_id, LATENCY_MS, BAUD, 0, error);
  g_autoptr(AtcSession) session = NULL;
  g_autofree char *address = NULL;
  AtcBenchWire before, after, delta;
  gint64 start;

  if (sim == NULL)
    return FALSE;
  settle_ms (200);
  address = g_strconcat ("pty:", atc_bench_sim_get_pty (sim), NULL);
  session = atc_session_new_for_address (address, error);
  if (session == NULL)
    return FALSE;
  atc_session_set_model (session, model_for (model_id));

  atc_bench_sim_snapshot (sim, &before);
  start = g_get_monotonic_time ();
  if (!session_connect (session, error))
    return FALSE;
  hs->wall_us = g_get_monotonic_time () - start;
  settle_ms (30);
  atc_bench_sim_snapshot (sim, &after);
  atc_bench_wire_diff (&after, &before, &delta);

  /* The unit takes "+++" only after a silence of its packing interval,
   * and knows it was a frame of its own only after the same silence
   * after it; then "+++", 'a', 'a', "+ok" cross the wire. */
  hs->packing_ms = atc_bench_sim_get_packing_ms (sim);
  hs->required_us = (gint64) 2 * hs->packing_ms * 1000 + atc_bench_line_time_us (8, BAUD);
  hs->to_unit = delta.from_host;
  hs->from_unit = delta.to_host;
  dump_session_log (session);
  atc_session_close (session);
  return TRUE;
}

static gboolean
scenario_handshake (const char  *model_id,
                    GError     **error)
{
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (Handshake));
  g_autofree char *prefix = g_strconcat ("handshake.", model_id, NULL);
  Handshake *median;

  for (guint r = 0; r < n_runs (); r++)
    {
      Handshake hs = { 0 };

      if (!measure_handshake (model_id, &hs, error))
        return FALSE;
      g_array_append_val (runs, hs);
    }
  g_array_sort (runs, compare_handshakes);
  median = &g_array_index (runs, Handshake, runs->len / 2);
  put (prefix, "runs", "%u", runs->len);
  put (prefix, "wall_ms", "%.1f", median->wall_us / 1000.0);
  put (prefix, "min_wall_ms", "%.1f", g_array_index (runs, Handshake, 0).wall_us / 1000.0);
  put (prefix, "max_wall_ms", "%.1f",
       g_array_index (runs, Handshake, runs->len - 1).wall_us / 1000.0);
  put (prefix, "packing_ms", "%u", median->packing_ms);
  put (prefix, "required_ms", "%.1f", median->required_us / 1000.0);
  put (prefix, "excess_ms", "%.1f", (median->wall_us - median->required_us) / 1000.0);
  put (prefix, "bytes_to_unit", "%u", median->to_unit);
  put (prefix, "bytes_from_unit", "%u", median->from_unit);
  return TRUE;
}

/* --- Scenario: the read as scripts do it ------------------------------------ */

static int
open_raw_tty (const char  *path,
              GError     **error)
{
  struct termios tio;
  int fd = open (path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", path,
                   g_strerror (errno));
      return -1;
    }
  tcgetattr (fd, &tio);
  cfmakeraw (&tio);
  cfsetispeed (&tio, B115200);
  cfsetospeed (&tio, B115200);
  tcsetattr (fd, TCSANOW, &tio);
  return fd;
}

static gsize
drain_fd (int fd)
{
  char buffer[4096];
  gsize total = 0;
  gssize n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    total += n;
  return total;
}

/* Every query the reader sends, sent the way a shell or Python script
 * commonly does: write the line, sleep a fixed 300 ms, read what came. */
static gboolean
scenario_script (const char  *model_id,
                 GError     **error)
{
  g_autoptr(AtcBenchSim) sim = atc_bench_sim_start (model_id, LATENCY_MS, BAUD, 0, error);
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcConfig) config = NULL;
  g_autoptr(GPtrArray) commands = g_ptr_array_new ();
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (Measure));
  g_autofree char *address = NULL;
  g_autofree char *prefix = g_strconcat ("script.", model_id, NULL);
  AtcBenchWire before, after;
  Measure measure = { 0 };
  gint64 start;
  guint answered = 0;
  int fd;

  if (sim == NULL)
    return FALSE;
  /* Into command mode with the session, then the script takes the line. */
  address = g_strconcat ("pty:", atc_bench_sim_get_pty (sim), NULL);
  session = open_session (address, model_id, error);
  if (session == NULL)
    return FALSE;
  atc_session_close (session);

  config = atc_config_new (model_for (model_id));
  g_ptr_array_extend (commands, atc_config_get_fact_commands (config), NULL, NULL);
  g_ptr_array_extend (commands, atc_config_get_commands (config), NULL, NULL);

  fd = open_raw_tty (atc_bench_sim_get_pty (sim), error);
  if (fd < 0)
    return FALSE;
  drain_fd (fd);

  atc_bench_sim_snapshot (sim, &before);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < commands->len; i++)
    {
      g_autofree char *query = atc_codec_format_query (g_ptr_array_index (commands, i));
      g_autofree char *line = g_strconcat (query, "\r\n", NULL);

      if (write (fd, line, strlen (line)) < 0)
        break;
      g_usleep (SCRIPT_WAIT_MS * 1000);
      if (drain_fd (fd) > 0)
        answered++;
    }
  measure.wall_us = g_get_monotonic_time () - start;
  close (fd);
  g_usleep (30 * 1000);
  atc_bench_sim_snapshot (sim, &after);
  atc_bench_wire_diff (&after, &before, &measure.wire);
  measure.failed = commands->len - answered;
  g_array_append_val (runs, measure);
  put_measures (prefix, runs, BAUD);
  return TRUE;
}

/* --- Scenario: monitor ------------------------------------------------------ */

static gboolean
scenario_monitor (GError **error)
{
  guint seconds = opt_monitor_seconds > 0 ? (guint) opt_monitor_seconds : (opt_quick ? 20 : 60);
  /* Ten minutes of the unit's life (live status wandering) in `seconds`. */
  guint accel = MAX (600 / seconds, 1);
  g_autoptr(AtcBenchSim) sim = atc_bench_sim_start ("g781", LATENCY_MS, BAUD, accel, error);
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcMonitor) monitor = NULL;
  g_autofree char *address = NULL;
  AtcBenchWire before, after, delta;
  Wait wait = { 0 };
  gint64 start, wall, cpu_before, cpu_after, cpu;
  guint64 rss_start, rss_end;
  size_t heap_start, heap_end;

  if (sim == NULL)
    return FALSE;
  address = g_strconcat ("pty:", atc_bench_sim_get_pty (sim), NULL);
  session = open_session (address, "g781", error);
  if (session == NULL)
    return FALSE;

  monitor = atc_monitor_new (session);
  atc_monitor_set_interval (monitor, 1000);
  atc_monitor_start_async (monitor, NULL, wait_cb, &wait);
  if (!wait_run (&wait))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "monitor start hung");
      return FALSE;
    }
  if (!atc_monitor_start_finish (monitor, wait.result, error))
    return FALSE;
  wait_clear (&wait);

  /* The session's transaction log keeps its newest 5000 entries, which
   * 1 s polling fills in about seven minutes; fill it first, as after
   * those minutes, so that what follows shows growth beyond it. */
  for (guint i = 0; i < 5000; i++)
    atc_transaction_log_event (atc_session_get_log (session), "warm-up %04u: AT+SOCKALK", i);
  settle_ms (1000);

  /* From here: the steady state an hour of monitoring is made of. */
  rss_start = status_kb ("VmRSS");
  heap_start = mallinfo2 ().uordblks;
  atc_bench_sim_snapshot (sim, &before);
  cpu_before = cpu_us_self ();
  start = g_get_monotonic_time ();
  for (guint i = 0; i < seconds; i += 5)
    {
      atc_test_run_for (MIN (5, seconds - i) * 1000);
      if (opt_verbose)
        g_printerr ("monitor: %3u s: VmRSS %" G_GUINT64_FORMAT " kB, heap in use %zu kB, "
                    "%" G_GUINT64_FORMAT " polls\n",
                    MIN (i + 5, seconds), status_kb ("VmRSS"), mallinfo2 ().uordblks / 1024,
                    atc_monitor_get_n_polls (monitor));
    }
  wall = g_get_monotonic_time () - start;
  cpu_after = cpu_us_self ();
  atc_bench_sim_snapshot (sim, &after);
  rss_end = status_kb ("VmRSS");
  heap_end = mallinfo2 ().uordblks;
  atc_bench_wire_diff (&after, &before, &delta);

  /* The process's CPU but the simulator thread's: what the host spends. */
  cpu = (cpu_after - cpu_before) - delta.cpu_us;
  put ("monitor", "seconds", "%.1f", wall / (double) G_USEC_PER_SEC);
  put ("monitor", "accel", "%u", accel);
  put ("monitor", "sim_minutes", "%.1f", wall / (double) G_USEC_PER_SEC * accel / 60.0);
  put ("monitor", "polls", "%" G_GUINT64_FORMAT, atc_monitor_get_n_polls (monitor));
  put ("monitor", "commands", "%u", delta.n_commands);
  put ("monitor", "cpu_s", "%.3f", cpu / (double) G_USEC_PER_SEC);
  put ("monitor", "sim_cpu_s", "%.3f", delta.cpu_us / (double) G_USEC_PER_SEC);
  put ("monitor", "cpu_s_per_hour", "%.2f", cpu * 3600.0 / wall);
  put ("monitor", "rss_start_kb", "%" G_GUINT64_FORMAT, rss_start);
  put ("monitor", "rss_end_kb", "%" G_GUINT64_FORMAT, rss_end);
  put ("monitor", "heap_start_kb", "%zu", heap_start / 1024);
  put ("monitor", "heap_end_kb", "%zu", heap_end / 1024);
  put ("monitor", "state", "%s", atc_monitor_state_to_string (atc_monitor_get_state (monitor)));

  atc_monitor_stop (monitor);
  atc_session_close (session);
  return TRUE;
}

/* --- Children: the CLI and the GUI ---------------------------------------- */

/* Runs argv; with kill_after_ms > 0 ends it with SIGTERM then. With
 * `out`, collects its standard output. Returns the wait status, or -1. */
static int
run_child (char          **argv,
           char          **envp,
           guint           kill_after_ms,
           GString        *out,
           struct rusage  *usage,
           gint64         *start_us,
           gint64         *wall_us,
           GError        **error)
{
  GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD |
                      (opt_verbose ? 0 : G_SPAWN_STDERR_TO_DEV_NULL) |
                      (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0);
  int out_fd = -1;
  int status = 0;
  GPid pid;

  *start_us = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, argv, envp, flags, NULL, NULL, &pid, NULL,
                                 out != NULL ? &out_fd : NULL, NULL, error))
    return -1;

  if (kill_after_ms > 0)
    {
      g_usleep ((gulong) kill_after_ms * 1000);
      kill (pid, SIGTERM);
    }
  if (out_fd >= 0)
    {
      char buffer[512];
      gssize n;

      while ((n = read (out_fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
          g_string_append_len (out, buffer, n);
      close (out_fd);
    }
  while (wait4 (pid, &status, 0, usage) < 0 && errno == EINTR)
    ;
  *wall_us = g_get_monotonic_time () - *start_us;
  return status;
}

static gboolean
scenario_cli (GError **error)
{
  g_autoptr(AtcBenchSim) sim = atc_bench_sim_start ("g781", LATENCY_MS, BAUD, 0, error);
  g_autofree char *address = NULL;
  struct rusage usage = { 0 };
  gint64 start, wall;
  int status;

  if (sim == NULL)
    return FALSE;
  if (opt_cli == NULL)
    {
      put ("cli", "skipped", "no --cli given");
      return TRUE;
    }
  address = g_strconcat ("pty:", atc_bench_sim_get_pty (sim), NULL);
  {
    /* As a technician types it: detection, the whole read, AT+ENTM. */
    char *argv[] = { opt_cli, "read", "--device", address, NULL };

    status = run_child (argv, NULL, 0, NULL, &usage, &start, &wall, error);
  }
  if (status < 0)
    return FALSE;
  put ("cli", "status", "%d", WIFEXITED (status) ? WEXITSTATUS (status) : -1);
  put ("cli", "wall_ms", "%.1f", wall / 1000.0);
  put ("cli", "peak_rss_kb", "%ld", usage.ru_maxrss);
  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return (da > db) - (da < db);
}

/* Launch to first frame (median of three), then peak memory over a
 * longer run with the demo unit connected and read. `prefix`: gui.gl,
 * gui.nogl, base.gl, base.nogl. */
static gboolean
measure_gui (const char  *program,
             gboolean     with_device,
             gboolean     gl,
             const char  *prefix,
             GError     **error)
{
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));
  char *argv[] = { (char *) program, with_device ? "--device" : NULL, "demo:g781", NULL };
  long first_runs_rss = 0;
  guint seconds = opt_quick ? 4 : 8;

  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  if (opt_schema_dir != NULL)
    env = g_environ_setenv (env, "GSETTINGS_SCHEMA_DIR", opt_schema_dir, TRUE);
  if (!gl)
    env = g_environ_setenv (env, "GDK_DEBUG", "gl-disable", TRUE);

  for (guint r = 0; r < 3; r++)
    {
      g_auto(GStrv) env1 = g_environ_setenv (g_strdupv (env), "ATCONF_EXIT_AFTER_FIRST_FRAME",
                                             "1", TRUE);
      g_autoptr(GString) out = g_string_new (NULL);
      struct rusage usage = { 0 };
      gint64 start, wall, frame = 0;
      const char *line;
      double ms;
      int status;

      status = run_child (argv, env1, 0, out, &usage, &start, &wall, error);
      if (status < 0)
        return FALSE;
      line = strstr (out->str, "first-frame-monotonic-us=");
      if (line != NULL)
        frame = g_ascii_strtoll (line + strlen ("first-frame-monotonic-us="), NULL, 10);
      if (frame == 0)
        {
          put (prefix, "error", "no first frame printed (status %d)", status);
          return TRUE;
        }
      ms = (frame - start) / 1000.0;
      g_array_append_val (frames, ms);
      first_runs_rss = MAX (first_runs_rss, usage.ru_maxrss);
    }
  g_array_sort (frames, compare_doubles);
  put (prefix, "first_frame_ms", "%.1f", g_array_index (frames, double, 1));
  put (prefix, "min_first_frame_ms", "%.1f", g_array_index (frames, double, 0));
  put (prefix, "max_first_frame_ms", "%.1f", g_array_index (frames, double, 2));
  put (prefix, "first_frame_peak_rss_kb", "%ld", first_runs_rss);

  if (with_device)
    {
      struct rusage usage = { 0 };
      gint64 start, wall;

      if (run_child (argv, env, seconds * 1000, NULL, &usage, &start, &wall, error) < 0)
        return FALSE;
      put (prefix, "run_seconds", "%u", seconds);
      put (prefix, "peak_rss_kb", "%ld", usage.ru_maxrss);
    }
  else
    put (prefix, "peak_rss_kb", "%ld", first_runs_rss);
  return TRUE;
}

static gboolean
scenario_gui (GError **error)
{
  if (opt_app == NULL)
    {
      put ("gui", "skipped", "no --app given");
      return TRUE;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      put ("gui", "skipped", "no display (bench/run starts Xvfb)");
      return TRUE;
    }

  /* GTK's own choice under Xvfb: GL through Mesa's llvmpipe. */
  if (!measure_gui (opt_app, TRUE, TRUE, "gui.gl", error))
    return FALSE;
  /* Without GL (GDK_DEBUG=gl-disable): cairo, no Mesa in the process. */
  if (!measure_gui (opt_app, TRUE, FALSE, "gui.nogl", error))
    return FALSE;
  /* The toolkit's floor: an empty libadwaita window, measured the same way. */
  if (opt_baseline != NULL)
    {
      if (!measure_gui (opt_baseline, FALSE, TRUE, "base.gl", error) ||
          !measure_gui (opt_baseline, FALSE, FALSE, "base.nogl", error))
        return FALSE;
    }
  return TRUE;
}

/* --- Running a scenario ------------------------------------------------------ */

static gboolean
run_scenario (const char  *name,
              GError     **error)
{
  if (g_str_equal (name, "read-g781"))
    return scenario_read ("g781", error);
  if (g_str_equal (name, "read-m0"))
    return scenario_read ("m0", error);
  if (g_str_equal (name, "apply"))
    return scenario_apply (error);
  if (g_str_equal (name, "handshake-g781"))
    return scenario_handshake ("g781", error);
  if (g_str_equal (name, "handshake-m0"))
    return scenario_handshake ("m0", error);
  if (g_str_equal (name, "ser2net-g781"))
    return scenario_ser2net ("g781", error);
  if (g_str_equal (name, "ser2net-m0"))
    return scenario_ser2net ("m0", error);
  if (g_str_equal (name, "monitor"))
    return scenario_monitor (error);
  if (g_str_equal (name, "cli"))
    return scenario_cli (error);
  if (g_str_equal (name, "gui"))
    return scenario_gui (error);
  if (g_str_equal (name, "script-g781"))
    return scenario_script ("g781", error);
  if (g_str_equal (name, "script-m0"))
    return scenario_script ("m0", error);

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "no scenario “%s”", name);
  return FALSE;
}

static const char *all_scenarios[] = {
  "read-g781", "read-m0", "apply", "handshake-g781", "handshake-m0",
  "ser2net-g781", "ser2net-m0", "monitor", "gui", "cli", "script-g781", "script-m0",
};

/* Runs one scenario in a child and adds its key=value lines to results. */
static void
collect (const char *self_path,
         const char *name,
         GHashTable *results)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *monitor = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) self_path);
  g_ptr_array_add (argv, (gpointer) "--scenario");
  g_ptr_array_add (argv, (gpointer) name);
  if (opt_quick)
    g_ptr_array_add (argv, (gpointer) "--quick");
  if (opt_verbose)
    g_ptr_array_add (argv, (gpointer) "--verbose");
  if (opt_app != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--app");
      g_ptr_array_add (argv, opt_app);
    }
  if (opt_cli != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--cli");
      g_ptr_array_add (argv, opt_cli);
    }
  if (opt_baseline != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--baseline");
      g_ptr_array_add (argv, opt_baseline);
    }
  if (opt_schema_dir != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--schema-dir");
      g_ptr_array_add (argv, opt_schema_dir);
    }
  if (opt_monitor_seconds > 0)
    {
      monitor = g_strdup_printf ("--monitor-seconds=%d", opt_monitor_seconds);
      g_ptr_array_add (argv, monitor);
    }
  g_ptr_array_add (argv, NULL);

  g_printerr ("bench: %s...\n", name);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, opt_verbose ? NULL : &err, &status, &error))
    {
      g_hash_table_insert (results, g_strdup_printf ("%s.error", name),
                           g_strdup (error->message));
      return;
    }
  if (!g_spawn_check_wait_status (status, &error))
    g_hash_table_insert (results, g_strdup_printf ("%s.error", name),
                         g_strdup_printf ("%s%s%s", error->message, err ? ": " : "",
                                          err ? g_strstrip (err) : ""));

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq == NULL)
        continue;
      g_hash_table_insert (results, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }
}

/* --- The table --------------------------------------------------------------- */

static GHashTable *results;

static const char *
get (const char *prefix,
     const char *key)
{
  g_autofree char *full = g_strconcat (prefix, ".", key, NULL);

  return g_hash_table_lookup (results, full);
}

static double
num (const char *prefix,
     const char *key)
{
  const char *v = get (prefix, key);

  return v != NULL ? g_ascii_strtod (v, NULL) : -1;
}

static gboolean
has (const char *prefix,
     const char *key)
{
  return get (prefix, key) != NULL;
}

static void
row (const char *figure,
     const char *measured,
     const char *reference,
     const char *target,
     const char *verdict)
{
  g_print ("| %-44s | %-27s | %-32s | %-10s | %-6s |\n", figure, measured, reference, target,
           verdict);
}

static const char *
ok (gboolean met)
{
  return met ? "OK" : "MISSED";
}

/* A scenario that printed nothing usable: say why on stderr. */
static void
row_missing (const char *figure,
             const char *scenario,
             const char *prefix)
{
  const char *why = g_hash_table_lookup (results, g_strconcat (scenario, ".error", NULL));

  if (why == NULL)
    why = get (prefix, "error");
  if (why == NULL)
    why = get (prefix, "skipped");
  row (figure, "not measured", why != NULL ? why : "", "", "MISSED");
}

static char *
fmt (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

static char *
fmt (const char *format,
     ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return text;
}

static void
print_exchange (const char *figure,
                const char *prefix,
                const char *scenario)
{
  g_autofree char *measured = NULL;
  g_autofree char *bound = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *bytes = NULL;

  if (!has (prefix, "wall_ms"))
    {
      row_missing (figure, scenario, prefix);
      return;
    }
  measured = fmt ("%.0f ms (%.0f-%.0f)", num (prefix, "wall_ms"), num (prefix, "min_wall_ms"),
                  num (prefix, "max_wall_ms"));
  bound = fmt ("%.0f ms: ratio %.3f", num (prefix, "bound_ms"), num (prefix, "ratio"));
  row (figure, measured, bound, "<= 1.10",
       ok (num (prefix, "ratio") <= 1.10 && num (prefix, "failed") == 0));
  detail = fmt ("%.0f commands", num (prefix, "commands"));
  bytes = fmt ("%.0f B out, %.0f B in (%.0f echo)", num (prefix, "bytes_to_unit"),
               num (prefix, "bytes_from_unit"), num (prefix, "bytes_echo"));
  row ("", detail, bytes, "", "");
}

static void
print_table (void)
{
  static const struct { const char *id, *name; } models[] = { { "g781", "G781" }, { "m0", "M0" } };

  g_print ("\nAtconf against the wire's limit: simulated units on a pty, %d baud both ways "
           "(10 bits a byte),\n%d ms turnaround before each reply. Times are the median of "
           "%u runs (fastest-slowest).\n\n", BAUD, LATENCY_MS, n_runs ());
  row ("figure", "measured", "bound / reference", "target", "result");
  g_print ("|%s|%s|%s|%s|%s|\n", "----------------------------------------------",
           "-----------------------------", "----------------------------------",
           "------------", "--------");

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      g_autofree char *figure = fmt ("Full configuration read, %s", models[m].name);
      g_autofree char *prefix = fmt ("read.%s", models[m].id);
      g_autofree char *scenario = fmt ("read-%s", models[m].id);

      print_exchange (figure, prefix, scenario);
    }

  if (has ("apply", "commands"))
    {
      g_autofree char *figure = fmt ("Apply %.0f settings (%.0f commands): commands",
                                     num ("apply", "settings"), num ("apply", "distinct_commands"));
      g_autofree char *measured = fmt ("%.0f sent", num ("apply", "commands"));
      g_autofree char *minimum = fmt ("minimum %.0f (set + read-back)",
                                      num ("apply", "min_commands"));

      row (figure, measured, minimum, "= minimum",
           ok (num ("apply", "commands") == num ("apply", "min_commands") &&
               num ("apply", "failed") == 0));
      print_exchange ("Apply with read-back: time", "apply", "apply");
    }
  else
    row_missing ("Apply 5 settings with read-back", "apply", "apply");

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      g_autofree char *figure = fmt ("Handshake into command mode, %s", models[m].name);
      g_autofree char *prefix = fmt ("handshake.%s", models[m].id);
      g_autofree char *scenario = fmt ("handshake-%s", models[m].id);
      g_autofree char *measured = NULL;
      g_autofree char *reference = NULL;

      if (!has (prefix, "excess_ms"))
        {
          row_missing (figure, scenario, prefix);
          continue;
        }
      measured = fmt ("+%.0f ms (total %.0f ms)", num (prefix, "excess_ms"),
                      num (prefix, "wall_ms"));
      reference = fmt ("2 x %.0f ms silence + 8 B: %.0f ms", num (prefix, "packing_ms"),
                       num (prefix, "required_ms"));
      row (figure, measured, reference, "<= +50 ms", ok (num (prefix, "excess_ms") <= 50));
    }

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      g_autofree char *figure = fmt ("Same read through ser2net (TCP), %s", models[m].name);
      g_autofree char *prefix = fmt ("ser2net.%s", models[m].id);
      g_autofree char *serial = fmt ("read.%s", models[m].id);
      g_autofree char *scenario = fmt ("ser2net-%s", models[m].id);
      g_autofree char *measured = NULL;
      g_autofree char *reference = NULL;

      if (!has (prefix, "wall_ms") || !has (serial, "wall_ms"))
        {
          row_missing (figure, scenario, prefix);
          continue;
        }
      measured = fmt ("%.0f ms: x%.3f serial", num (prefix, "wall_ms"),
                      num (prefix, "wall_ms") / num (serial, "wall_ms"));
      reference = fmt ("bound %.0f ms: ratio %.3f", num (prefix, "bound_ms"),
                       num (prefix, "ratio"));
      row (figure, measured, reference, "(none)", num (prefix, "failed") == 0 ? "info" : "FAILED");
    }

  if (has ("monitor", "cpu_s_per_hour"))
    {
      g_autofree char *cpu = fmt ("%.1f s per hour", num ("monitor", "cpu_s_per_hour"));
      g_autofree char *how = fmt ("%.3f s in %.0f s, %.0f polls", num ("monitor", "cpu_s"),
                                  num ("monitor", "seconds"), num ("monitor", "polls"));
      g_autofree char *rss = fmt ("%.0f -> %.0f kB", num ("monitor", "rss_start_kb"),
                                  num ("monitor", "rss_end_kb"));
      g_autofree char *heap = fmt ("heap in use %.0f -> %.0f kB", num ("monitor", "heap_start_kb"),
                                   num ("monitor", "heap_end_kb"));
      gboolean flat = num ("monitor", "heap_end_kb") - num ("monitor", "heap_start_kb") < 64 &&
                      num ("monitor", "rss_end_kb") - num ("monitor", "rss_start_kb") < 256;

      row ("Monitor at 1 s: CPU (host side)", cpu, how, "< 36 s/h",
           ok (num ("monitor", "cpu_s_per_hour") < 36));
      row ("Monitor: resident memory start -> end", rss, heap, "flat", ok (flat));
    }
  else
    row_missing ("Monitor at 1 s", "monitor", "monitor");

  {
    static const struct { const char *prefix, *base, *label; } guis[] = {
      { "gui.gl", "base.gl", "GL (llvmpipe)" },
      { "gui.nogl", "base.nogl", "GL off" },
    };

    for (guint g = 0; g < G_N_ELEMENTS (guis); g++)
      {
        const char *p = guis[g].prefix;
        const char *b = guis[g].base;
        g_autofree char *figure = fmt ("GUI launch to first frame, %s", guis[g].label);
        g_autofree char *figure2 = fmt ("GUI peak memory, %s", guis[g].label);
        g_autofree char *measured = NULL;
        g_autofree char *reference = NULL;

        if (!has (p, "first_frame_ms"))
          {
            row_missing (figure, "gui", p);
            continue;
          }
        measured = fmt ("%.0f ms (%.0f-%.0f)", num (p, "first_frame_ms"),
                        num (p, "min_first_frame_ms"), num (p, "max_first_frame_ms"));
        reference = has (b, "first_frame_ms")
                    ? fmt ("empty window: %.0f ms", num (b, "first_frame_ms"))
                    : g_strdup ("");
        row (figure, measured, reference, "< 500 ms", ok (num (p, "first_frame_ms") < 500));
        g_free (measured);
        g_free (reference);
        measured = fmt ("%.1f MB (%.0f s, read)", num (p, "peak_rss_kb") / 1024,
                        num (p, "run_seconds"));
        reference = has (b, "peak_rss_kb")
                    ? fmt ("empty window: %.1f MB", num (b, "peak_rss_kb") / 1024)
                    : g_strdup ("");
        row (figure2, measured, reference, "< 80 MB",
             ok (num (p, "peak_rss_kb") > 0 && num (p, "peak_rss_kb") < 80 * 1024));
      }
  }

  if (has ("cli", "peak_rss_kb"))
    {
      g_autofree char *measured = fmt ("%.1f MB", num ("cli", "peak_rss_kb") / 1024);
      g_autofree char *reference = fmt ("exit %.0f after %.0f ms", num ("cli", "status"),
                                        num ("cli", "wall_ms"));

      row ("CLI read (G781, pty): peak memory", measured, reference, "< 10 MB",
           ok (num ("cli", "peak_rss_kb") < 10 * 1024 && num ("cli", "status") == 0));
    }
  else
    row_missing ("CLI read: peak memory", "cli", "cli");

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      g_autofree char *figure = fmt ("Comparison: script read, 300 ms waits, %s",
                                     models[m].name);
      g_autofree char *prefix = fmt ("script.%s", models[m].id);
      g_autofree char *serial = fmt ("read.%s", models[m].id);
      g_autofree char *scenario = fmt ("script-%s", models[m].id);
      g_autofree char *measured = NULL;
      g_autofree char *reference = NULL;

      if (!has (prefix, "wall_ms"))
        {
          row_missing (figure, scenario, prefix);
          continue;
        }
      measured = fmt ("%.0f ms: x%.1f Atconf", num (prefix, "wall_ms"),
                      has (serial, "wall_ms") ? num (prefix, "wall_ms") / num (serial, "wall_ms")
                                              : 0);
      reference = fmt ("bound %.0f ms: ratio %.2f", num (prefix, "bound_ms"),
                       num (prefix, "ratio"));
      row (figure, measured, reference, "(none)", "info");
    }

  g_print ("\nBound: every turnaround plus bytes x 10 / %d for every byte on the wire both ways "
           "but the\nunit's echo, which crosses while the unit works on the command "
           "(counted where longer than\nthe turnaround). Monitor: real 1 s polling for "
           "%.0f s with the unit's clock %.0fx faster (%.0f min of\nunit time), CPU scaled to "
           "an hour, the simulator thread's own CPU left out, the 5000-entry\ntransaction log "
           "filled first. GUI: from spawning to the first painted frame, under Xvfb; the empty\n"
           "window is a bare libadwaita window measured the same way (the toolkit's floor).\n",
           BAUD, num ("monitor", "seconds"), num ("monitor", "accel"),
           num ("monitor", "sim_minutes"));
}

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &opt_quick, "Shorter monitor and GUI runs", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose,
      "Transaction logs and children's messages on stderr", NULL },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &opt_scenario,
      "Run one scenario and print its key=value results", "NAME" },
    { "app", 0, 0, G_OPTION_ARG_FILENAME, &opt_app, "The atconf program", "PATH" },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &opt_cli, "The atconf-cli program", "PATH" },
    { "baseline", 0, 0, G_OPTION_ARG_FILENAME, &opt_baseline,
      "An empty libadwaita window, for the toolkit's own figures", "PATH" },
    { "schema-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_schema_dir,
      "Where the compiled GSettings schema is", "DIR" },
    { "no-gui", 0, 0, G_OPTION_ARG_NONE, &opt_no_gui, "Leave the GUI out", NULL },
    { "monitor-seconds", 0, 0, G_OPTION_ARG_INT, &opt_monitor_seconds,
      "Real time the monitor runs (default 60, 20 with --quick)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— Atconf against the wire's limit");
  g_autoptr(GError) error = NULL;
  g_autofree char *self_path = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("atconf-bench: %s\n", error->message);
      return 2;
    }

  signal (SIGPIPE, SIG_IGN);

  if (opt_scenario != NULL)
    {
      if (!run_scenario (opt_scenario, &error))
        {
          g_printerr ("atconf-bench: %s: %s\n", opt_scenario, error->message);
          return 1;
        }
      return 0;
    }

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path == NULL)
    self_path = g_strdup (argv[0]);
  results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (all_scenarios); i++)
    {
      if (opt_no_gui && g_str_equal (all_scenarios[i], "gui"))
        continue;
      collect (self_path, all_scenarios[i], results);
    }

  print_table ();
  return 0;
}
