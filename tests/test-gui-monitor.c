/* test-gui-monitor.c: the Monitor page watches a demo unit live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "atc-demo-transport.h"
#include "atc-gui-test-util.h"
#include "atc-monitor-page.h"
#include "atc-signal-bars.h"
#include "atc-signal-plot.h"
#include "atc-socket-indicator.h"

/* Fast enough that ten readings take two seconds. */
#define TEST_INTERVAL 0.2

typedef struct
{
  AtcApplication *app;
  AtcWindow      *window;
  AtcMonitorPage *page;
  AtcMonitor     *monitor;
} Fixture;

typedef struct
{
  AtcMonitor *monitor;
  guint64     n_polls;
} PollWait;

static gboolean
polls_reached (gpointer data)
{
  PollWait *wait = data;

  return atc_monitor_get_n_polls (wait->monitor) >= wait->n_polls;
}

static void
wait_for_polls (AtcMonitor *monitor,
                guint64     n_polls)
{
  PollWait wait = { monitor, n_polls };

  if (!atc_gui_test_wait (polls_reached, &wait, 20000))
    g_error ("only %" G_GUINT64_FORMAT " readings after 20 s, expected %" G_GUINT64_FORMAT,
             atc_monitor_get_n_polls (monitor), n_polls);
}

typedef struct
{
  AtcMonitor      *monitor;
  AtcMonitorState  state;
} StateWait;

static gboolean
state_reached (gpointer data)
{
  StateWait *wait = data;

  return atc_monitor_get_state (wait->monitor) == wait->state;
}

static void
wait_for_state (AtcMonitor      *monitor,
                AtcMonitorState  state,
                guint            timeout_ms)
{
  StateWait wait = { monitor, state };

  if (!atc_gui_test_wait (state_reached, &wait, timeout_ms))
    g_error ("monitor is %s, expected %s after %u ms",
             atc_monitor_state_to_string (atc_monitor_get_state (monitor)),
             atc_monitor_state_to_string (state), timeout_ms);
}

static void
fixture_open (Fixture    *fixture,
              const char *address,
              int         width,
              int         height)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_double (settings, "monitor-interval", TEST_INTERVAL);

  fixture->window = atc_gui_test_new_window_sized (&fixture->app, width, height);
  atc_gui_test_connect (fixture->window, address, 30000);
  atc_window_show_page (fixture->window, "monitor");

  fixture->page = ATC_MONITOR_PAGE (atc_gui_test_find (GTK_WIDGET (fixture->window), ATC_TYPE_MONITOR_PAGE, NULL));
  g_assert_nonnull (fixture->page);
  fixture->monitor = atc_monitor_page_get_monitor (fixture->page);
  g_assert_nonnull (fixture->monitor);
  g_assert_cmpuint (atc_monitor_get_interval (fixture->monitor), ==, TEST_INTERVAL * 1000);
}

static void
fixture_close (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->app);
}

static GtkWidget *
find_named (Fixture    *fixture,
            GType       type,
            const char *name)
{
  GtkWidget *widget = atc_gui_test_find (GTK_WIDGET (fixture->page), type, name);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
label_text (Fixture    *fixture,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (find_named (fixture, GTK_TYPE_LABEL, name)));
}

static AtcSimulator *
fixture_simulator (Fixture *fixture)
{
  AtcTransport *transport = atc_session_get_transport (atc_window_get_session (fixture->window));

  g_assert_true (ATC_IS_DEMO_TRANSPORT (transport));
  return atc_demo_transport_get_simulator (ATC_DEMO_TRANSPORT (transport));
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;

  return n;
}

/* What the page shows agrees with the newest reading in the history. */
static void
assert_shows_last_sample (Fixture *fixture)
{
  const AtcSample *last = atc_monitor_get_last_sample (fixture->monitor);
  AtcSignalBars *bars = ATC_SIGNAL_BARS (find_named (fixture, ATC_TYPE_SIGNAL_BARS, "signal-bars"));
  g_autofree char *csq = NULL;
  AtcSignal signal;
  AtcNetMode mode;

  g_assert_nonnull (last);
  g_assert_true (atc_sample_get_signal (last, &signal));

  if (signal.known)
    {
      g_autofree char *dbm = atc_signal_format_dbm (&signal);

      g_assert_cmpstr (label_text (fixture, "dbm"), ==, dbm);
      g_assert_cmpint (atc_signal_bars_get_bars (bars), ==, signal.bars);
    }
  else
    {
      g_assert_cmpstr (label_text (fixture, "dbm"), ==, "Unknown");
      g_assert_cmpint (atc_signal_bars_get_bars (bars), ==, ATC_SIGNAL_BARS_UNKNOWN);
    }

  csq = g_strdup_printf ("%d", signal.csq);
  g_assert_cmpstr (label_text (fixture, "csq"), ==, csq);

  g_assert_true (atc_sample_get_net_mode (last, &mode));
  g_assert_cmpstr (label_text (fixture, "net-mode"), ==, atc_net_mode_to_string (mode));
}

/* The readings the plot should draw: measurable ones in its window. */
static guint
count_visible_points (AtcSignalPlot *plot,
                      AtcHistory    *history)
{
  const AtcSample *last = atc_history_get_last (history);
  AtcHistoryIter iter;
  guint n = 0;

  atc_history_iter_init (&iter, history, last->time - atc_signal_plot_get_span (plot));
  while (atc_history_iter_next (&iter, NULL, NULL, NULL))
    n++;

  return n;
}

static void
pause_and_settle (Fixture *fixture)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "monitor.toggle-pause", NULL);
  wait_for_state (fixture->monitor, ATC_MONITOR_PAUSED, 2000);
  /* A reading in flight when pausing is still recorded. */
  atc_gui_test_settle (400);
}

static void
test_g781_live_signal (void)
{
  Fixture fixture = { 0, };
  AtcSignalPlot *plot;
  GtkButton *pause_button;
  GtkListBox *sockets;
  AtcSocketIndicator *socket_a;
  AtcHistory *history;
  AdwStyleManager *style = adw_style_manager_get_default ();
  guint64 paused_polls;

  fixture_open (&fixture, "demo:g781", 1000, 900);
  wait_for_polls (fixture.monitor, 10);

  /* Each reading updates the labels at once. */
  assert_shows_last_sample (&fixture);

  pause_and_settle (&fixture);
  assert_shows_last_sample (&fixture);

  /* The plot went through every measurable reading it shows. */
  plot = ATC_SIGNAL_PLOT (find_named (&fixture, ATC_TYPE_SIGNAL_PLOT, "plot"));
  history = atc_monitor_get_history (fixture.monitor);
  g_assert_true (atc_signal_plot_get_history (plot) == history);
  g_assert_cmpuint (atc_history_get_length (history), >=, 10);
  g_assert_cmpuint (atc_signal_plot_get_n_points (plot), >, 0);
  g_assert_cmpuint (atc_signal_plot_get_n_points (plot), ==, count_visible_points (plot, history));

  /* The default unit has socket A enabled: one indicator, with where it
   * connects to and the link state of the last reading. */
  sockets = GTK_LIST_BOX (gtk_widget_get_parent (find_named (&fixture, ATC_TYPE_SOCKET_INDICATOR, NULL)));
  g_assert_cmpuint (count_rows (sockets), ==, 1);
  socket_a = ATC_SOCKET_INDICATOR (gtk_list_box_get_row_at_index (sockets, 0));
  g_assert_cmpstr (atc_socket_indicator_get_name (socket_a), ==, "A");
  g_assert_cmpstr (atc_socket_indicator_get_endpoint (socket_a), ==, "TCP client · test.usr.cn:2317");
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (socket_a)), "test.usr.cn:2317"));
  g_assert_cmpint (atc_socket_indicator_get_state (socket_a), ==,
                   atc_sample_get_link (atc_monitor_get_last_sample (fixture.monitor), 0));
  g_assert_true (g_str_has_prefix (atc_socket_indicator_get_status (socket_a),
                                   atc_socket_indicator_get_state (socket_a) == ATC_LINK_UP ? "Up" : "Down"));

  g_free (atc_gui_test_screenshot (GTK_WIDGET (fixture.window), "monitor-g781"));

  /* The plot takes its colours from the style: dark works too. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  g_free (atc_gui_test_screenshot (GTK_WIDGET (fixture.window), "monitor-g781-dark"));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* Paused: no reading is taken, and the button offers to resume. */
  paused_polls = atc_monitor_get_n_polls (fixture.monitor);
  atc_gui_test_settle (1000);
  g_assert_cmpuint (atc_monitor_get_n_polls (fixture.monitor), ==, paused_polls);
  pause_button = GTK_BUTTON (find_named (&fixture, GTK_TYPE_BUTTON, "pause"));
  g_assert_cmpstr (gtk_button_get_icon_name (pause_button), ==, "media-playback-start-symbolic");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (pause_button)), ==, "monitor.toggle-pause");

  /* Resumed: readings come again. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.page), "monitor.toggle-pause", NULL);
  wait_for_polls (fixture.monitor, paused_polls + 3);
  g_assert_cmpint (atc_monitor_get_state (fixture.monitor), ==, ATC_MONITOR_RUNNING);
  g_assert_cmpstr (gtk_button_get_icon_name (pause_button), ==, "media-playback-pause-symbolic");
  assert_shows_last_sample (&fixture);

  fixture_close (&fixture);
}

static gboolean
sample_is_unknown (gpointer data)
{
  const AtcSample *last = atc_monitor_get_last_sample (data);
  AtcSignal signal;

  return last != NULL && atc_sample_get_signal (last, &signal) && !signal.known;
}

static gboolean
sample_is_known (gpointer data)
{
  return !sample_is_unknown (data) && atc_monitor_get_last_sample (data) != NULL;
}

static void
test_g781_unknown_signal_and_events (void)
{
  Fixture fixture = { 0, };
  AtcSimulator *simulator;
  AtcSimStatus status;
  AtcSignalPlot *plot;
  GtkListBox *events;
  GtkListBoxRow *newest;
  AtcSocketIndicator *socket_a;
  GListModel *model;
  g_autoptr(AtcMonitorEvent) last_event = NULL;
  g_autofree char *described = NULL;

  fixture_open (&fixture, "demo:g781", 1000, 900);
  wait_for_polls (fixture.monitor, 5);

  /* A known start: LTE, a fair signal, socket A up. */
  simulator = fixture_simulator (&fixture);
  atc_simulator_get_status (simulator, &status);
  status.net_mode = ATC_NET_MODE_FDDLTE;
  status.csq = 40;
  status.links[0] = TRUE;
  atc_simulator_set_status (simulator, &status);
  wait_for_polls (fixture.monitor, atc_monitor_get_n_polls (fixture.monitor) + 3);
  g_assert_cmpint (atc_sample_get_link (atc_monitor_get_last_sample (fixture.monitor), 0), ==, ATC_LINK_UP);

  /* CSQ 99: the page says Unknown, not a made-up dBm value. */
  status.csq = ATC_CSQ_UNKNOWN;
  status.links[0] = FALSE;
  atc_simulator_set_status (simulator, &status);
  g_assert_true (atc_gui_test_wait (sample_is_unknown, fixture.monitor, 5000));
  assert_shows_last_sample (&fixture);
  g_assert_cmpstr (label_text (&fixture, "dbm"), ==, "Unknown");

  /* Measurable again: the plot breaks the line over the unknown stretch. */
  wait_for_polls (fixture.monitor, atc_monitor_get_n_polls (fixture.monitor) + 3);
  status.csq = 40;
  status.links[0] = TRUE;
  atc_simulator_set_status (simulator, &status);
  g_assert_true (atc_gui_test_wait (sample_is_known, fixture.monitor, 5000));
  wait_for_polls (fixture.monitor, atc_monitor_get_n_polls (fixture.monitor) + 3);
  pause_and_settle (&fixture);
  assert_shows_last_sample (&fixture);

  plot = ATC_SIGNAL_PLOT (find_named (&fixture, ATC_TYPE_SIGNAL_PLOT, "plot"));
  g_assert_cmpuint (atc_signal_plot_get_n_segments (plot), >=, 2);
  g_assert_cmpuint (atc_signal_plot_get_n_points (plot), ==,
                    count_visible_points (plot, atc_monitor_get_history (fixture.monitor)));

  /* Events, newest first, as the monitor described them: signal lost and
   * regained, link A down and up at least. */
  model = atc_monitor_get_events (fixture.monitor);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 4);
  last_event = g_list_model_get_item (model, g_list_model_get_n_items (model) - 1);
  described = atc_monitor_event_describe (last_event);

  events = GTK_LIST_BOX (gtk_widget_get_parent (atc_gui_test_find (GTK_WIDGET (fixture.page), ADW_TYPE_ACTION_ROW, described)));
  g_assert_nonnull (events);
  g_assert_cmpuint (count_rows (events), ==, g_list_model_get_n_items (model));
  newest = gtk_list_box_get_row_at_index (events, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (newest)), ==, described);
  g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (events), ADW_TYPE_ACTION_ROW, "Signal lost (CSQ unknown)"));
  g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (events), ADW_TYPE_ACTION_ROW, "Socket A link down"));

  /* The socket came up while watched: it says since when, no guess. */
  socket_a = ATC_SOCKET_INDICATOR (find_named (&fixture, ATC_TYPE_SOCKET_INDICATOR, NULL));
  g_assert_cmpint (atc_socket_indicator_get_state (socket_a), ==, ATC_LINK_UP);
  g_assert_true (g_str_has_prefix (atc_socket_indicator_get_status (socket_a), "Up"));
  g_assert_null (strstr (atc_socket_indicator_get_status (socket_a), "or more"));

  g_free (atc_gui_test_screenshot (GTK_WIDGET (fixture.window), "monitor-g781-gap"));
  fixture_close (&fixture);
}

static gboolean
is_file_done (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_g781_export_csv (void)
{
  Fixture fixture = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atconf-monitor-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines = 0;
  guint length;

  g_assert_no_error (error);
  fixture_open (&fixture, "demo:g781", 1000, 720);
  wait_for_polls (fixture.monitor, 6);
  pause_and_settle (&fixture);
  length = atc_history_get_length (atc_monitor_get_history (fixture.monitor));

  path = g_build_filename (dir, "signal.csv", NULL);
  file = g_file_new_for_path (path);
  atc_monitor_page_export_async (fixture.page, file, NULL, export_cb, &result);
  g_assert_true (atc_gui_test_wait (is_file_done, &result, 10000));
  g_assert_true (atc_monitor_page_export_finish (fixture.page, result, &error));
  g_assert_no_error (error);

  /* A header with units, then one line per reading. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_strstrip (lines[i])[0] != '\0')
      n_lines++;
  g_assert_cmpuint (n_lines, ==, 1 + length);
  g_assert_nonnull (strstr (lines[0], "dBm"));
  g_assert_nonnull (strstr (lines[0], "CSQ"));
  g_assert_true (g_ascii_isdigit (lines[1][0]));

  g_unlink (path);
  g_rmdir (dir);
  fixture_close (&fixture);
}

static gboolean
has_shortcut (GtkWidget  *widget,
              const char *trigger,
              const char *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *named = gtk_shortcut_get_action (shortcut);
          g_autofree char *text = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (GTK_IS_NAMED_ACTION (named) &&
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (named)), action) == 0 &&
              g_strcmp0 (text, trigger) == 0)
            return TRUE;
        }
    }

  return FALSE;
}

static void
test_interval_and_shortcuts (void)
{
  Fixture fixture = { 0, };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkDropDown *dropdown;
  GListModel *choices;
  guint half_second = G_MAXUINT;

  fixture_open (&fixture, "demo:g781", 1000, 720);

  /* Space and Ctrl+P pause and resume. */
  g_assert_true (has_shortcut (GTK_WIDGET (fixture.page), "space", "monitor.toggle-pause"));
  g_assert_true (has_shortcut (GTK_WIDGET (fixture.page), "<Control>p", "monitor.toggle-pause"));

  /* The interval set elsewhere is offered along with the usual ones. */
  dropdown = GTK_DROP_DOWN (find_named (&fixture, GTK_TYPE_DROP_DOWN, "interval"));
  choices = gtk_drop_down_get_model (dropdown);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), gtk_drop_down_get_selected (dropdown)),
                   ==, "Every 0.2 s");
  for (guint i = 0; i < g_list_model_get_n_items (choices); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (choices), i), "Every 0.5 s"))
      half_second = i;
  g_assert_cmpuint (half_second, !=, G_MAXUINT);

  /* Choosing one saves it and the monitor follows. */
  gtk_drop_down_set_selected (dropdown, half_second);
  g_assert_cmpfloat (g_settings_get_double (settings, "monitor-interval"), ==, 0.5);
  g_assert_cmpuint (atc_monitor_get_interval (fixture.monitor), ==, 500);

  g_settings_set_double (settings, "monitor-interval", TEST_INTERVAL);
  g_assert_cmpuint (atc_monitor_get_interval (fixture.monitor), ==, 200);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), gtk_drop_down_get_selected (dropdown)),
                   ==, "Every 0.2 s");

  /* Disconnecting stops the monitor and empties the page. */
  g_object_ref (fixture.monitor);
  atc_window_disconnect (fixture.window);
  g_assert_cmpint (atc_monitor_get_state (fixture.monitor), ==, ATC_MONITOR_STOPPED);
  g_assert_null (atc_monitor_page_get_monitor (fixture.page));
  g_object_unref (fixture.monitor);

  fixture_close (&fixture);
}

static void
test_polls_only_while_shown (void)
{
  Fixture fixture = { 0, };
  guint64 n_polls;

  fixture_open (&fixture, "demo:g781", 1000, 720);
  wait_for_polls (fixture.monitor, 3);

  /* On another page the unit is left to the console and configuration. */
  atc_window_show_page (fixture.window, "console");
  wait_for_state (fixture.monitor, ATC_MONITOR_PAUSED, 2000);
  atc_gui_test_settle (300);
  n_polls = atc_monitor_get_n_polls (fixture.monitor);
  atc_gui_test_settle (800);
  g_assert_cmpuint (atc_monitor_get_n_polls (fixture.monitor), ==, n_polls);

  /* Back on the Monitor page, readings go on after a gap. */
  atc_window_show_page (fixture.window, "monitor");
  wait_for_polls (fixture.monitor, n_polls + 2);
  g_assert_cmpint (atc_monitor_get_state (fixture.monitor), ==, ATC_MONITOR_RUNNING);
  g_assert_true (atc_history_get (atc_monitor_get_history (fixture.monitor), n_polls)->flags & ATC_SAMPLE_AFTER_GAP);

  /* A pause the technician asked for outlasts a visit to another page. */
  pause_and_settle (&fixture);
  atc_window_show_page (fixture.window, "console");
  atc_gui_test_settle (100);
  atc_window_show_page (fixture.window, "monitor");
  atc_gui_test_settle (600);
  g_assert_cmpint (atc_monitor_get_state (fixture.monitor), ==, ATC_MONITOR_PAUSED);

  fixture_close (&fixture);
}

static void
test_g781_narrow (void)
{
  Fixture fixture = { 0, };
  GtkWidget *plot;
  GtkWidget *dbm;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adjustment;
  int min_width;

  fixture_open (&fixture, "demo:g781", 360, 720);
  wait_for_polls (fixture.monitor, 10);
  /* Still, so the screenshots catch no half-done layout. */
  pause_and_settle (&fixture);

  /* The page asks for less than a phone's width. (The window as a whole
   * is as wide as its header bar needs, a little more than 360 px.) */
  gtk_widget_measure (GTK_WIDGET (fixture.page), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture.window)), <=, 400);
  plot = find_named (&fixture, ATC_TYPE_SIGNAL_PLOT, "plot");
  dbm = find_named (&fixture, GTK_TYPE_LABEL, "dbm");
  g_assert_true (gtk_widget_is_drawable (dbm));
  g_assert_cmpint (gtk_widget_get_width (plot), >, 200);
  g_assert_cmpint (gtk_widget_get_width (plot), <, gtk_widget_get_width (GTK_WIDGET (fixture.window)));
  assert_shows_last_sample (&fixture);

  g_free (atc_gui_test_screenshot (GTK_WIDGET (fixture.window), "monitor-g781-narrow"));

  /* The lower half of the page: the plot, sockets and events. */
  scrolled = GTK_SCROLLED_WINDOW (atc_gui_test_find (find_named (&fixture, ADW_TYPE_PREFERENCES_PAGE, NULL),
                                                    GTK_TYPE_SCROLLED_WINDOW, NULL));
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (fixture.window), "monitor-g781-narrow-scrolled"));

  fixture_close (&fixture);
}

static void
test_m0_shows_link (void)
{
  Fixture fixture = { 0, };
  const AtcSample *last;
  GtkWidget *history_group;
  const char *expected;

  fixture_open (&fixture, "demo:m0", 1000, 720);
  wait_for_polls (fixture.monitor, 5);
  pause_and_settle (&fixture);

  /* No CSQ on the M0: no signal, no plot; the link instead. */
  last = atc_monitor_get_last_sample (fixture.monitor);
  g_assert_false (atc_sample_has_signal (last));
  history_group = gtk_widget_get_ancestor (find_named (&fixture, ATC_TYPE_SIGNAL_PLOT, "plot"),
                                           ADW_TYPE_PREFERENCES_GROUP);
  g_assert_false (gtk_widget_get_visible (history_group));
  g_assert_false (gtk_widget_is_drawable (find_named (&fixture, GTK_TYPE_LABEL, "dbm")));
  g_assert_true (gtk_widget_is_drawable (find_named (&fixture, GTK_TYPE_LABEL, "link")));

  expected = atc_sample_get_link (last, 0) == ATC_LINK_UP ? "Connected" : "Disconnected";
  g_assert_cmpstr (label_text (&fixture, "link"), ==, expected);
  g_assert_nonnull (strstr (label_text (&fixture, "link-detail"), "TCP client · 192.168.0.201:8234"));

  g_free (atc_gui_test_screenshot (GTK_WIDGET (fixture.window), "monitor-m0"));
  fixture_close (&fixture);
}

static void
test_unit_restart_is_shown (void)
{
  Fixture fixture = { 0, };
  AtcSimulator *simulator;
  GtkRevealer *revealer;
  const char *title;

  fixture_open (&fixture, "demo:g781", 1000, 720);
  atc_session_set_timeout_scale (atc_window_get_session (fixture.window), 0.25);
  wait_for_polls (fixture.monitor, 3);

  /* Power cut: the page says the unit is gone while the monitor waits. */
  simulator = fixture_simulator (&fixture);
  atc_simulator_set_reboot_ms (simulator, 1500);
  atc_simulator_power_cycle (simulator);
  wait_for_state (fixture.monitor, ATC_MONITOR_LOST, 15000);
  atc_gui_test_settle (300);

  revealer = GTK_REVEALER (gtk_widget_get_ancestor (find_named (&fixture, GTK_TYPE_LABEL, "problem-title"),
                                                    GTK_TYPE_REVEALER));
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  title = label_text (&fixture, "problem-title");
  g_assert_true (g_str_equal (title, "Unit Not Answering") || g_str_equal (title, "Unit Restarting"));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (fixture.window), "monitor-g781-lost"));

  /* Back by itself, and the page with it. */
  wait_for_state (fixture.monitor, ATC_MONITOR_RUNNING, 30000);
  wait_for_polls (fixture.monitor, atc_monitor_get_n_polls (fixture.monitor) + 2);
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  g_assert_nonnull (atc_gui_test_find (GTK_WIDGET (fixture.page), ADW_TYPE_ACTION_ROW,
                                       "Unit back, monitoring resumed"));
  assert_shows_last_sample (&fixture);

  fixture_close (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  atc_gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/monitor/g781-live-signal", test_g781_live_signal);
  g_test_add_func ("/gui/monitor/g781-unknown-signal-and-events", test_g781_unknown_signal_and_events);
  g_test_add_func ("/gui/monitor/g781-export-csv", test_g781_export_csv);
  g_test_add_func ("/gui/monitor/interval-and-shortcuts", test_interval_and_shortcuts);
  g_test_add_func ("/gui/monitor/polls-only-while-shown", test_polls_only_while_shown);
  g_test_add_func ("/gui/monitor/g781-narrow", test_g781_narrow);
  g_test_add_func ("/gui/monitor/m0-shows-link", test_m0_shows_link);
  g_test_add_func ("/gui/monitor/unit-restart-is-shown", test_unit_restart_is_shown);

  return g_test_run ();
}
