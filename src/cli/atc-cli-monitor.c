/* atc-cli-monitor.c: monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One line per sample for a terminal or a log file, events as lines of
 * their own, a summary at the end (also after Ctrl-C).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "atc-cli.h"
#include "atc-monitor.h"

static double   opt_interval = 1.0;
static int      opt_count = 0;
static gboolean opt_csv = FALSE;

static const GOptionEntry monitor_entries[] = {
  { "interval", 'i', 0, G_OPTION_ARG_DOUBLE, &opt_interval,
    N_("Seconds between samples (default 1; 0: as fast as the unit answers)"), N_("S") },
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count,
    N_("Stop after N samples (default: until Ctrl-C)"), N_("N") },
  { "csv", 0, 0, G_OPTION_ARG_NONE, &opt_csv,
    N_("Print samples as CSV rows; events and the summary go to stderr"), NULL },
  { NULL }
};

typedef struct {
  AtcCli     *cli;
  AtcMonitor *monitor;
  guint       n_samples;
  guint       n_events;
  gint64      first_time;
  gint64      last_time;
} MonitorRun;

static char *
local_time (gint64 time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (time / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("-");
}

static void
print_json_line (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  /* JSON Lines: one object per line, readable while it runs. */
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
  fflush (stdout);
}

/* Pads UTF-8 text ("≤ -113 dBm") to a width in characters. */
static void
append_padded (GString    *out,
               const char *text,
               guint       width)
{
  glong len = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (glong i = len; i < (glong) width; i++)
    g_string_append_c (out, ' ');
}

static void
print_sample_text (MonitorRun      *run,
                   const AtcSample *sample)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *time = local_time (sample->time);
  AtcSignal signal;
  AtcNetMode mode;
  guint n_sockets = atc_monitor_get_n_sockets (run->monitor);

  g_string_append (line, time);

  if (atc_sample_get_signal (sample, &signal))
    {
      g_autofree char *csq = g_strdup_printf ("CSQ %d", signal.csq);
      g_autofree char *dbm = atc_signal_format_dbm (&signal);
      g_autofree char *bars = signal.known ? g_strdup_printf ("%d/4", signal.bars)
                                           : g_strdup ("-/4");

      g_string_append (line, "  ");
      append_padded (line, csq, 6);
      g_string_append (line, "  ");
      append_padded (line, dbm, 11);
      g_string_append (line, "  ");
      append_padded (line, bars, 3);
    }

  if (atc_sample_get_net_mode (sample, &mode))
    {
      g_string_append (line, "  ");
      append_padded (line, atc_net_mode_to_string (mode), 10);
    }

  for (guint i = 0; i < n_sockets; i++)
    {
      const char *name = atc_monitor_get_socket_name (run->monitor, i);
      AtcLinkState state = atc_sample_get_link (sample, i);

      if (state == ATC_LINK_NONE)
        continue;

      g_string_append_printf (line, "  %s %s", name[0] != '\0' ? name : _("link"),
                              state == ATC_LINK_UP ? _("up") : _("down"));
    }

  g_print ("%s\n", line->str);
  fflush (stdout);
}

static void
print_sample_json (MonitorRun      *run,
                   const AtcSample *sample)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *time = atc_format_iso8601 (sample->time);
  guint n_sockets = atc_monitor_get_n_sockets (run->monitor);
  AtcSignal signal;
  AtcNetMode mode;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "sample");
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);

  if (atc_sample_get_signal (sample, &signal))
    {
      json_builder_set_member_name (builder, "csq");
      json_builder_add_int_value (builder, signal.csq);
      json_builder_set_member_name (builder, "dbm");
      if (signal.known)
        json_builder_add_int_value (builder, signal.dbm);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "bars");
      if (signal.known)
        json_builder_add_int_value (builder, signal.bars);
      else
        json_builder_add_null_value (builder);
    }

  if (atc_sample_get_net_mode (sample, &mode))
    {
      json_builder_set_member_name (builder, "network_mode");
      json_builder_add_int_value (builder, mode);
      json_builder_set_member_name (builder, "network");
      json_builder_add_string_value (builder, atc_net_mode_to_string (mode));
    }

  json_builder_set_member_name (builder, "links");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n_sockets; i++)
    {
      AtcLinkState state = atc_sample_get_link (sample, i);

      json_builder_set_member_name (builder,
                                    atc_socket_key (atc_monitor_get_socket_name (run->monitor, i)));
      if (state == ATC_LINK_NONE)
        json_builder_add_null_value (builder);
      else
        json_builder_add_string_value (builder, atc_link_state_to_string (state));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  print_json_line (builder);
}

static void
on_sample (AtcMonitor      *monitor,
           const AtcSample *sample,
           MonitorRun      *run)
{
  if (run->n_samples == 0)
    {
      run->first_time = sample->time;
      if (opt_csv)
        {
          g_autofree char *header = atc_history_format_csv_header (atc_monitor_get_history (monitor));

          g_print ("%s\n", header);
        }
    }
  run->n_samples++;
  run->last_time = sample->time;

  if (run->cli->json)
    print_sample_json (run, sample);
  else if (opt_csv)
    {
      g_autofree char *row = atc_history_format_csv_row (atc_monitor_get_history (monitor), sample);

      g_print ("%s\n", row);
      fflush (stdout);
    }
  else
    print_sample_text (run, sample);

  /* Stop right after the last sample: no poll is left half-way. */
  if (opt_count > 0 && run->n_samples >= (guint) opt_count)
    atc_monitor_stop (monitor);
}

static void
on_event (AtcMonitor      *monitor,
          AtcMonitorEvent *event,
          MonitorRun      *run)
{
  g_autofree char *text = atc_monitor_event_describe (event);

  run->n_events++;

  if (run->cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *time = atc_format_iso8601 (atc_monitor_event_get_time (event));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "event");
      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, time);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder,
                                     atc_monitor_event_kind_to_string (atc_monitor_event_get_kind (event)));
      if (atc_monitor_event_get_socket (event) >= 0)
        {
          json_builder_set_member_name (builder, "socket");
          json_builder_add_string_value (builder,
                                         atc_socket_key (atc_monitor_event_get_socket_name (event)));
        }
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);
      print_json_line (builder);
    }
  else
    {
      g_autofree char *time = local_time (atc_monitor_event_get_time (event));

      /* With --csv the CSV stays clean on stdout. */
      if (opt_csv)
        g_printerr ("%s  ** %s\n", time, text);
      else
        {
          g_print ("%s  ** %s\n", time, text);
          fflush (stdout);
        }
    }
}

static char *
format_duration (gint64 usec)
{
  gint64 s = usec / G_USEC_PER_SEC;

  if (s >= 3600)
    return g_strdup_printf (_("%d h %02d min %02d s"), (int) (s / 3600), (int) (s % 3600 / 60),
                            (int) (s % 60));
  if (s >= 60)
    return g_strdup_printf (_("%d min %02d s"), (int) (s / 60), (int) (s % 60));
  return g_strdup_printf (_("%.1f s"), usec / (double) G_USEC_PER_SEC);
}

static void
print_summary (MonitorRun *run)
{
  AtcHistory *history = atc_monitor_get_history (run->monitor);
  guint n_sockets = atc_monitor_get_n_sockets (run->monitor);
  gint64 span = run->n_samples > 0 ? run->last_time - run->first_time : 0;
  gboolean have_stats;
  AtcSignalStats stats;

  /* The history is this run's alone: "all" is the whole run. */
  have_stats = atc_history_get_stats (history, ATC_STATS_WINDOW_ALL, &stats);

  if (run->cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "summary");
      json_builder_set_member_name (builder, "samples");
      json_builder_add_int_value (builder, run->n_samples);
      json_builder_set_member_name (builder, "events");
      json_builder_add_int_value (builder, run->n_events);
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_double_value (builder, span / (double) G_USEC_PER_SEC);
      json_builder_set_member_name (builder, "dbm");
      if (have_stats)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "min");
          json_builder_add_int_value (builder, stats.min_dbm);
          json_builder_set_member_name (builder, "avg");
          json_builder_add_double_value (builder, stats.avg_dbm);
          json_builder_set_member_name (builder, "max");
          json_builder_add_int_value (builder, stats.max_dbm);
          json_builder_set_member_name (builder, "samples");
          json_builder_add_int_value (builder, stats.n_samples);
          json_builder_set_member_name (builder, "unknown");
          json_builder_add_int_value (builder, stats.n_unknown);
          json_builder_end_object (builder);
        }
      else
        json_builder_add_null_value (builder);

      json_builder_set_member_name (builder, "link_up_seconds");
      json_builder_begin_object (builder);
      for (guint i = 0; i < n_sockets; i++)
        {
          gint64 observed = 0;
          gint64 up = atc_history_get_link_up_time (history, i, &observed);

          json_builder_set_member_name (builder,
                                    atc_socket_key (atc_monitor_get_socket_name (run->monitor, i)));
          if (observed > 0)
            json_builder_add_double_value (builder, up / (double) G_USEC_PER_SEC);
          else
            json_builder_add_null_value (builder);
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      print_json_line (builder);
      return;
    }

  {
    g_autoptr(GString) text = g_string_new (NULL);
    g_autofree char *duration = format_duration (span);

    g_string_append_printf (text, _("Samples: %u over %s, %u events\n"),
                            run->n_samples, duration, run->n_events);

    if (have_stats)
      {
        g_string_append_printf (text, _("Signal: min %d dBm, avg %.1f dBm, max %d dBm"),
                                stats.min_dbm, stats.avg_dbm, stats.max_dbm);
        if (stats.n_unknown > 0)
          g_string_append_printf (text, _(" (%u samples unknown)"), stats.n_unknown);
        g_string_append_c (text, '\n');
      }
    else if (atc_history_get_length (history) > 0 &&
             (atc_history_get_last (history)->flags & ATC_SAMPLE_HAS_CSQ))
      g_string_append (text, _("Signal: unknown in every sample\n"));

    for (guint i = 0; i < n_sockets; i++)
      {
        const char *name = atc_monitor_get_socket_name (run->monitor, i);
        g_autofree char *label = name[0] != '\0' ? g_strdup_printf (_("Socket %s"), name)
                                                 : g_strdup (_("Socket"));
        gint64 observed = 0;
        gint64 up = atc_history_get_link_up_time (history, i, &observed);
        g_autofree char *up_text = NULL;
        g_autofree char *observed_text = NULL;

        if (observed <= 0)
          continue;

        up_text = format_duration (up);
        observed_text = format_duration (observed);
        /* TRANSLATORS: "Socket A: link up 58.0 s of 60.0 s (97 %)" */
        g_string_append_printf (text, _("%s: link up %s of %s (%.0f %%)\n"),
                                label, up_text, observed_text, 100.0 * up / observed);
      }

    if (opt_csv)
      g_printerr ("%s", text->str);
    else
      g_print ("--\n%s", text->str);
  }
}

static gboolean
monitor_run (AtcCli  *cli,
             int      argc,
             char   **argv,
             GError **error)
{
  g_autoptr(AtcMonitor) monitor = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) start_error = NULL;
  MonitorRun run = { 0 };

  if (argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("monitor takes no arguments, got “%s”"), argv[1]);
      return FALSE;
    }
  if (!(opt_interval >= 0.0 && opt_interval <= 86400.0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--interval must be between 0 and 86400 seconds, not %g"), opt_interval);
      return FALSE;
    }
  if (opt_count < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--count must be 0 (no limit) or more, not %d"), opt_count);
      return FALSE;
    }
  if (opt_csv && cli->json)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Choose one of --csv and --json"));
      return FALSE;
    }

  if (!atc_cli_open_session (cli, error))
    return FALSE;

  monitor = atc_monitor_new (cli->session);
  atc_monitor_set_interval (monitor, (guint) (opt_interval * 1000.0 + 0.5));
  run.cli = cli;
  run.monitor = monitor;
  g_signal_connect (monitor, "sample", G_CALLBACK (on_sample), &run);
  g_signal_connect (monitor, "event", G_CALLBACK (on_event), &run);

  atc_monitor_start_async (monitor, cli->cancellable, ATC_CLI_AWAIT (cli));
  result = atc_cli_await (cli);
  if (!atc_monitor_start_finish (monitor, result, &start_error))
    {
      g_signal_handlers_disconnect_by_data (monitor, &run);
      g_propagate_error (error, g_steal_pointer (&start_error));
      return FALSE;
    }

  /* The unit going away is an event, not the end: the monitor reconnects
   * by itself. Only --count or Ctrl-C ends the run. */
  while (atc_monitor_get_state (monitor) != ATC_MONITOR_STOPPED &&
         !g_cancellable_is_cancelled (cli->cancellable))
    g_main_context_iteration (NULL, TRUE);

  atc_monitor_stop (monitor);
  g_signal_handlers_disconnect_by_data (monitor, &run);
  print_summary (&run);

  /* Ctrl-C is how a monitor run normally ends: it is no failure, and the
   * unit must go back to carrying data. A fresh cancellable lets the
   * session leave command mode; a second Ctrl-C still cancels that. */
  if (cli->interrupted)
    {
      cli->interrupted = FALSE;
      g_clear_object (&cli->cancellable);
      cli->cancellable = g_cancellable_new ();
    }

  return TRUE;
}

const AtcCliCommand atc_cli_command_monitor = {
  .name = "monitor",
  .arguments = NULL,
  .summary = N_("Watch signal, network and socket links live, with a summary at the end"),
  .description = N_("Polls the unit's live status (USR-G781: CSQ, NETMODE and the link of each "
                    "enabled socket; USR-M0: SOCKLK) and prints one line per sample: time, CSQ, "
                    "dBm on the scale of the current network, 0-4 bars, network and links. "
                    "Changes (link up or down, network change, signal lost or regained, unit "
                    "lost or back) are printed as lines starting with “**”. If the unit is "
                    "unplugged or restarts, monitoring goes on once it is back.\n"
                    "With --password the status is read over the data channel while the unit "
                    "keeps carrying data.\n"
                    "Ctrl-C or --count ends the run with a summary: samples, min/avg/max dBm "
                    "and how long each link was up; the unit is returned to data mode.\n"
                    "--csv prints CSV rows (ISO 8601 UTC times). With --json: one JSON object "
                    "per line, {\"type\": \"sample\" | \"event\" | \"summary\", …}."),
  .entries = monitor_entries,
  .needs_device = TRUE,
  .run = monitor_run,
};
