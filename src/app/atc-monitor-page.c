/* atc-monitor-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "atc-app-util.h"
#include "atc-monitor-page.h"
#include "atc-signal-bars.h"
#include "atc-signal-plot.h"
#include "atc-socket-indicator.h"

/* The list shows the newest events; the monitor keeps many more. */
#define MAX_EVENT_ROWS 200

static const guint standard_intervals[] = { 500, 1000, 2000, 5000, 10000 };

struct _AtcMonitorPage
{
  AtcPage               parent_instance;

  GSettings            *settings;
  AtcMonitor           *monitor;
  GCancellable         *cancellable;   /* the monitor's start and socket queries */
  GError               *start_error;
  char                 *lost_detail;
  GArray               *intervals;     /* guint ms, in dropdown order */
  GtkStringList        *interval_names;
  gboolean              filling_intervals;
  gboolean              has_signal;    /* the model reports CSQ */
  gboolean              user_paused;   /* paused with the button or a key */
  gboolean              hidden_paused; /* paused because the page is not shown */
  gboolean              sockets_shown;
  guint                 socket_mask;   /* enabled sockets, one bit per slot */
  AtcSocketIndicator   *indicators[ATC_SAMPLE_MAX_SOCKETS];
  guint                 n_event_rows;
  GtkFileChooserNative *chooser;

  /* template children */
  GtkStack             *stack;
  AdwPreferencesPage   *content;
  AdwPreferencesGroup  *status_group;
  GtkButton            *pause_button;
  GtkDropDown          *interval_dropdown;
  GtkRevealer          *problem_revealer;
  GtkLabel             *problem_title;
  GtkLabel             *problem_detail;
  GtkSpinner           *problem_spinner;
  GtkWidget            *retry_button;
  GtkStack             *hero_stack;
  AtcSignalBars        *bars;
  GtkLabel             *dbm_label;
  GtkLabel             *quality_label;
  GtkWidget            *net_mode_row;
  GtkLabel             *net_mode_label;
  GtkLabel             *csq_label;
  GtkImage             *link_icon;
  GtkLabel             *link_label;
  GtkLabel             *link_detail;
  AdwPreferencesGroup  *history_group;
  AtcSignalPlot        *plot;
  AdwPreferencesGroup  *sockets_group;
  GtkListBox           *socket_list;
  GtkListBox           *event_list;
};

G_DEFINE_FINAL_TYPE (AtcMonitorPage, atc_monitor_page, ATC_TYPE_PAGE)

/* Formatting */

static char *
format_interval (guint ms)
{
  if (ms == 0)
    return g_strdup (_("As Fast as Possible"));

  /* TRANSLATORS: how often the unit is read, e.g. "Every 0.5 s" */
  return g_strdup_printf (_("Every %g s"), ms / 1000.0);
}

/* The clock time, with the date when it is not today. */
static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (time / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    return g_date_time_format (when, "%H:%M:%S");

  return g_date_time_format (when, "%Y-%m-%d %H:%M:%S");
}

static const char *
quality_text (int bars)
{
  switch (bars)
    {
    case 4:
      return _("Excellent signal");
    case 3:
      return _("Good signal");
    case 2:
      return _("Fair signal");
    case 1:
      return _("Poor signal");
    default:
      return _("Very poor signal");
    }
}

/* A plot window that holds about 120 readings, within reason. */
static gint64
span_for_interval (guint ms)
{
  return CLAMP ((gint64) ms * 120 * 1000, 60 * G_USEC_PER_SEC, 30 * 60 * G_USEC_PER_SEC);
}

/* Status */

static void
atc_monitor_page_update_state (AtcMonitorPage *self)
{
  AtcMonitorState state = self->monitor ? atc_monitor_get_state (self->monitor) : ATC_MONITOR_STOPPED;
  guint64 n = self->monitor ? atc_history_get_length (atc_monitor_get_history (self->monitor)) : 0;
  g_autofree char *description = NULL;
  gboolean paused = state == ATC_MONITOR_PAUSED;
  gboolean problem = FALSE;

  switch (state)
    {
    case ATC_MONITOR_RUNNING:
      /* TRANSLATORS: the monitor is running; %u readings taken so far */
      description = g_strdup_printf (ngettext ("Monitoring, %u reading", "Monitoring, %u readings", (gulong) n),
                                     (guint) n);
      break;
    case ATC_MONITOR_PAUSED:
      description = g_strdup_printf (ngettext ("Paused, %u reading", "Paused, %u readings", (gulong) n),
                                     (guint) n);
      break;
    case ATC_MONITOR_STARTING:
    case ATC_MONITOR_LOST:
    case ATC_MONITOR_STOPPED:
    default:
      description = g_strdup (atc_monitor_state_to_string (state));
      break;
    }
  adw_preferences_group_set_description (self->status_group, self->monitor ? description : NULL);

  gtk_button_set_icon_name (self->pause_button, paused ? "media-playback-start-symbolic"
                                                       : "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->pause_button), paused ? _("Resume (Space)") : _("Pause (Space)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pause_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, paused ? _("Resume") : _("Pause"),
                                  -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "monitor.toggle-pause", state != ATC_MONITOR_STOPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "monitor.export", n > 0);

  if (state == ATC_MONITOR_LOST)
    {
      AtcSession *session = atc_page_get_session (ATC_PAGE (self));
      g_autofree char *detail = NULL;

      problem = TRUE;
      gtk_label_set_text (self->problem_title,
                          session && atc_session_get_state (session) == ATC_SESSION_REBOOTING
                          ? _("Unit Restarting") : _("Unit Not Answering"));
      /* Core messages end without a full stop; a second sentence follows. */
      if (self->lost_detail != NULL && self->lost_detail[0] != '\0')
        detail = g_strdup_printf ("%s%s\n%s", self->lost_detail,
                                  g_str_has_suffix (self->lost_detail, ".") ? "" : ".",
                                  _("Reconnecting by itself; the readings so far are kept."));
      else
        detail = g_strdup (_("Reconnecting by itself; the readings so far are kept."));
      gtk_label_set_text (self->problem_detail, detail);
      gtk_widget_set_visible (self->retry_button, FALSE);
      gtk_spinner_set_spinning (self->problem_spinner, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_spinner), TRUE);
    }
  else if (state == ATC_MONITOR_STOPPED && self->start_error != NULL)
    {
      problem = TRUE;
      gtk_label_set_text (self->problem_title, _("Monitoring Could Not Start"));
      gtk_label_set_text (self->problem_detail, self->start_error->message);
      gtk_widget_set_visible (self->retry_button, TRUE);
      gtk_spinner_set_spinning (self->problem_spinner, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_spinner), FALSE);
    }
  else
    gtk_spinner_set_spinning (self->problem_spinner, FALSE);

  gtk_revealer_set_reveal_child (self->problem_revealer, problem);
  /* The last readings stay visible, dimmed while the unit is not answering. */
  gtk_widget_set_opacity (GTK_WIDGET (self->hero_stack), problem ? 0.6 : 1.0);
}

static void
atc_monitor_page_show_waiting (AtcMonitorPage *self)
{
  atc_signal_bars_set_bars (self->bars, ATC_SIGNAL_BARS_UNKNOWN);
  gtk_label_set_text (self->dbm_label, "—");
  gtk_label_set_text (self->quality_label, _("Waiting for the first reading…"));
  gtk_label_set_text (self->csq_label, "—");
  gtk_label_set_text (self->net_mode_label, "—");
  gtk_label_set_text (self->link_label, "—");
  gtk_label_set_text (self->link_detail, _("Waiting for the first reading…"));
}

static void
atc_monitor_page_show_signal (AtcMonitorPage  *self,
                              const AtcSample *sample)
{
  AtcSignal signal;
  AtcNetMode mode;

  if (atc_sample_get_signal (sample, &signal))
    {
      g_autofree char *csq = g_strdup_printf ("%d", signal.csq);

      if (signal.known)
        {
          g_autofree char *dbm = atc_signal_format_dbm (&signal);

          gtk_label_set_text (self->dbm_label, dbm);
          gtk_label_set_text (self->quality_label, quality_text (signal.bars));
          atc_signal_bars_set_bars (self->bars, signal.bars);
        }
      else
        {
          gtk_label_set_text (self->dbm_label, _("Unknown"));
          gtk_label_set_text (self->quality_label, _("No measurable signal"));
          atc_signal_bars_set_bars (self->bars, ATC_SIGNAL_BARS_UNKNOWN);
        }
      gtk_label_set_text (self->csq_label, csq);
    }
  else
    {
      gtk_label_set_text (self->dbm_label, _("Not Read"));
      gtk_label_set_text (self->quality_label, _("The unit did not report its signal"));
      gtk_label_set_text (self->csq_label, "—");
      atc_signal_bars_set_bars (self->bars, ATC_SIGNAL_BARS_UNKNOWN);
    }

  if (atc_sample_get_net_mode (sample, &mode))
    gtk_label_set_text (self->net_mode_label, atc_net_mode_to_string (mode));
  else
    gtk_label_set_text (self->net_mode_label, _("Not read"));
}

/* Models without CSQ (M0): the link is what there is to watch. */
static void
atc_monitor_page_show_link (AtcMonitorPage *self)
{
  AtcSocketIndicator *only = NULL;
  guint n = 0, up = 0;

  for (guint i = 0; i < ATC_SAMPLE_MAX_SOCKETS; i++)
    {
      if (self->indicators[i] == NULL)
        continue;
      only = self->indicators[i];
      n++;
      if (atc_socket_indicator_get_state (only) == ATC_LINK_UP)
        up++;
    }

  if (!self->sockets_shown)
    return;

  if (n == 0)
    {
      gtk_label_set_text (self->link_label, _("No Socket Enabled"));
      gtk_label_set_text (self->link_detail, _("Enable a socket on the Configure page to watch its link."));
      gtk_image_set_from_icon_name (self->link_icon, "network-wired-disconnected-symbolic");
    }
  else if (n == 1)
    {
      AtcLinkState state = atc_socket_indicator_get_state (only);
      const char *endpoint = atc_socket_indicator_get_endpoint (only);
      g_autofree char *detail = NULL;

      gtk_label_set_text (self->link_label, state == ATC_LINK_UP ? _("Connected")
                                            : state == ATC_LINK_DOWN ? _("Disconnected")
                                            : _("Not Read"));
      detail = g_strdup_printf ("%s%s%s", atc_socket_indicator_get_status (only),
                                endpoint && endpoint[0] ? "\n" : "",
                                endpoint ? endpoint : "");
      gtk_label_set_text (self->link_detail, detail);
      gtk_image_set_from_icon_name (self->link_icon, state == ATC_LINK_UP ? "network-wired-symbolic"
                                                                          : "network-wired-disconnected-symbolic");
    }
  else
    {
      g_autofree char *title = NULL;

      /* TRANSLATORS: e.g. "2 of 4 Links Up" */
      title = g_strdup_printf (ngettext ("%u of %u Link Up", "%u of %u Links Up", n), up, n);
      gtk_label_set_text (self->link_label, title);
      gtk_label_set_text (self->link_detail, _("Each socket is listed below."));
      gtk_image_set_from_icon_name (self->link_icon, up == n ? "network-wired-symbolic"
                                                             : "network-wired-disconnected-symbolic");
    }
}

static void
atc_monitor_page_update_stats (AtcMonitorPage *self)
{
  AtcSignalStats stats;
  g_autofree char *text = NULL;
  gint64 span = atc_signal_plot_get_span (self->plot);
  guint minutes = (guint) (span / (60 * G_USEC_PER_SEC));

  if (!self->has_signal)
    return;

  if (atc_signal_plot_get_visible_stats (self->plot, &stats))
    /* TRANSLATORS: statistics of the plotted readings; the dBm values are
     * minimum, average and maximum */
    text = g_strdup_printf (ngettext ("Last %u minute: minimum %d, average %.0f, maximum %d dBm",
                                      "Last %u minutes: minimum %d, average %.0f, maximum %d dBm",
                                      minutes),
                            minutes, stats.min_dbm, stats.avg_dbm, stats.max_dbm);
  else
    text = g_strdup_printf (ngettext ("Last %u minute: no measurable signal",
                                      "Last %u minutes: no measurable signal", minutes),
                            minutes);

  adw_preferences_group_set_description (self->history_group, text);
}

/* Sockets */

typedef struct
{
  AtcMonitorPage   *self;
  guint             socket;
  const AtcCommand *command;
} EndpointQuery;

static int
param_index (const AtcCommand *command,
             const char       *name)
{
  for (guint i = 0; i < command->params->len; i++)
    if (g_str_equal (((const AtcParam *) g_ptr_array_index (command->params, i))->name, name))
      return (int) i;

  return -1;
}

/* "TCP client · test.usr.cn:2317", "TCP server · port 8899". */
static char *
format_endpoint (const AtcCommand   *command,
                 const char *const  *values)
{
  guint n_values = g_strv_length ((GStrv) values);
  int protocol_at = param_index (command, "protocol");
  int address_at = param_index (command, "address");
  int port_at = param_index (command, "port");
  const char *protocol = protocol_at >= 0 && (guint) protocol_at < n_values ? values[protocol_at] : NULL;
  const char *address = address_at >= 0 && (guint) address_at < n_values ? values[address_at] : NULL;
  const char *port = port_at >= 0 && (guint) port_at < n_values ? values[port_at] : NULL;
  const char *label = NULL;

  if (protocol == NULL)
    return g_strjoinv (", ", (GStrv) values);

  label = atc_param_get_choice_label (g_ptr_array_index (command->params, protocol_at), protocol);
  if (label == NULL)
    label = protocol;

  /* A server listens: only its port matters. */
  if (g_str_has_suffix (protocol, "S") && port != NULL)
    /* TRANSLATORS: a socket's mode and local port, e.g. "TCP server · port 8899" */
    return g_strdup_printf (_("%s · port %s"), label, port);
  if (address != NULL && port != NULL)
    return g_strdup_printf ("%s · %s:%s", label, address, port);

  return g_strdup (label);
}

static void
endpoint_query_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree EndpointQuery *query = user_data;
  g_autoptr(AtcMonitorPage) self = query->self;
  g_auto(GStrv) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;

  values = atc_session_query_finish (ATC_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (self->indicators[query->socket] == NULL)
    return;

  if (values == NULL)
    {
      /* The link is still watched; only its settings are missing. */
      g_debug ("Could not read %s: %s", query->command->name, error->message);
      return;
    }

  endpoint = format_endpoint (query->command, (const char *const *) values);
  atc_socket_indicator_set_endpoint (self->indicators[query->socket], endpoint);
  if (!self->has_signal)
    atc_monitor_page_show_link (self);
}

static void
atc_monitor_page_query_endpoint (AtcMonitorPage *self,
                                 guint           socket)
{
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  AtcModel *model = session ? atc_session_get_model (session) : NULL;
  g_autofree char *name = NULL;
  const AtcCommand *command;
  EndpointQuery *query;

  if (model == NULL)
    return;

  /* SOCKALK is watched, SOCKA holds where it connects to (SOCK on the M0). */
  name = g_strconcat ("SOCK", atc_monitor_get_socket_name (self->monitor, socket), NULL);
  command = atc_model_lookup (model, name);
  if (command == NULL || !atc_command_can (command, ATC_ACCESS_QUERY))
    return;

  query = g_new0 (EndpointQuery, 1);
  query->self = g_object_ref (self);
  query->socket = socket;
  query->command = command;
  atc_session_query_async (session, command->name, self->cancellable, endpoint_query_cb, query);
}

static void
atc_monitor_page_clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  /* Rows only: the placeholder is a child too. */
  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
atc_monitor_page_clear_sockets (AtcMonitorPage *self)
{
  atc_monitor_page_clear_list (self->socket_list);
  memset (self->indicators, 0, sizeof self->indicators);
  self->sockets_shown = FALSE;
  self->socket_mask = 0;
}

/* Once started, and whenever the monitor reads SOCKxEN anew. */
static void
atc_monitor_page_sync_sockets (AtcMonitorPage *self)
{
  guint n = atc_monitor_get_n_sockets (self->monitor);
  guint mask = 0;

  for (guint i = 0; i < n; i++)
    if (atc_monitor_get_socket_enabled (self->monitor, i))
      mask |= 1u << i;

  if (self->sockets_shown && mask == self->socket_mask)
    return;

  atc_monitor_page_clear_sockets (self);
  self->sockets_shown = TRUE;
  self->socket_mask = mask;

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *indicator;

      if (!(mask & (1u << i)))
        continue;

      indicator = atc_socket_indicator_new (atc_monitor_get_socket_name (self->monitor, i));
      gtk_list_box_append (self->socket_list, indicator);
      self->indicators[i] = ATC_SOCKET_INDICATOR (indicator);
      atc_monitor_page_query_endpoint (self, i);
    }

  /* A model with one socket and no signal shows it at the top already. */
  gtk_widget_set_visible (GTK_WIDGET (self->sockets_group), self->has_signal || n > 1);
}

/* Monitor signals */

static void
monitor_sample_cb (AtcMonitorPage  *self,
                   const AtcSample *sample,
                   AtcMonitor      *monitor)
{
  atc_monitor_page_sync_sockets (self);

  for (guint i = 0; i < ATC_SAMPLE_MAX_SOCKETS; i++)
    if (self->indicators[i] != NULL)
      atc_socket_indicator_update (self->indicators[i], atc_sample_get_link (sample, i),
                                   sample->time, (sample->flags & ATC_SAMPLE_AFTER_GAP) != 0);

  if (self->has_signal)
    {
      atc_monitor_page_show_signal (self, sample);
      atc_signal_plot_update (self->plot);
      atc_monitor_page_update_stats (self);
    }
  else
    atc_monitor_page_show_link (self);

  atc_monitor_page_update_state (self);
}

static const char *
event_icon_name (AtcMonitorEventKind kind)
{
  switch (kind)
    {
    case ATC_MONITOR_EVENT_LINK_UP:
      return "network-transmit-receive-symbolic";
    case ATC_MONITOR_EVENT_LINK_DOWN:
      return "network-offline-symbolic";
    case ATC_MONITOR_EVENT_NET_MODE_CHANGED:
      return "network-cellular-symbolic";
    case ATC_MONITOR_EVENT_SIGNAL_LOST:
      return "network-cellular-signal-none-symbolic";
    case ATC_MONITOR_EVENT_SIGNAL_REGAINED:
      return "network-cellular-signal-good-symbolic";
    case ATC_MONITOR_EVENT_UNIT_LOST:
      return "dialog-warning-symbolic";
    case ATC_MONITOR_EVENT_UNIT_BACK:
    default:
      return "emblem-ok-symbolic";
    }
}

static GtkWidget *
event_row_new (AtcMonitorEvent *event)
{
  GtkWidget *row = adw_action_row_new ();
  /* Decoration: the title says what happened. */
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE,
                                  "icon-name", event_icon_name (atc_monitor_event_get_kind (event)),
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  NULL);
  g_autofree char *title = atc_monitor_event_describe (event);
  g_autofree char *time = format_time (atc_monitor_event_get_time (event));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), time);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  return row;
}

static void
monitor_event_cb (AtcMonitorPage  *self,
                  AtcMonitorEvent *event,
                  AtcMonitor      *monitor)
{
  switch (atc_monitor_event_get_kind (event))
    {
    case ATC_MONITOR_EVENT_UNIT_LOST:
      g_free (self->lost_detail);
      self->lost_detail = g_strdup (atc_monitor_event_get_detail (event));
      break;
    case ATC_MONITOR_EVENT_UNIT_BACK:
      /* It may have been reconfigured while away: read the sockets again. */
      self->sockets_shown = FALSE;
      break;
    default:
      break;
    }

  gtk_list_box_prepend (self->event_list, event_row_new (event));
  if (++self->n_event_rows > MAX_EVENT_ROWS)
    {
      gtk_list_box_remove (self->event_list,
                           GTK_WIDGET (gtk_list_box_get_row_at_index (self->event_list, MAX_EVENT_ROWS)));
      self->n_event_rows--;
    }
}

static void
monitor_state_cb (AtcMonitorPage *self,
                  GParamSpec     *pspec,
                  AtcMonitor     *monitor)
{
  atc_monitor_page_update_state (self);
}

static void
monitor_start_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AtcMonitorPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (atc_monitor_start_finish (ATC_MONITOR (object), result, &error))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->monitor != ATC_MONITOR (object))
    return;

  g_clear_error (&self->start_error);
  self->start_error = g_steal_pointer (&error);
  atc_monitor_page_update_state (self);
}

static void
atc_monitor_page_start (AtcMonitorPage *self)
{
  g_clear_error (&self->start_error);
  self->user_paused = FALSE;
  self->hidden_paused = FALSE;
  atc_monitor_start_async (self->monitor, self->cancellable, monitor_start_cb, g_object_ref (self));
  atc_monitor_page_update_state (self);
}

/* Session */

static void
atc_monitor_page_stop (AtcMonitorPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      atc_monitor_stop (self->monitor);
      g_clear_object (&self->monitor);
    }

  g_clear_error (&self->start_error);
  g_clear_pointer (&self->lost_detail, g_free);
}

static void
atc_monitor_page_session_changed (AtcPage    *page,
                                  AtcSession *session)
{
  AtcMonitorPage *self = ATC_MONITOR_PAGE (page);
  AtcModel *model = session ? atc_session_get_model (session) : NULL;
  const AtcCommand *csq = model ? atc_model_lookup (model, "CSQ") : NULL;
  const AtcCommand *net_mode = model ? atc_model_lookup (model, "NETMODE") : NULL;
  double seconds;

  atc_monitor_page_stop (self);
  atc_monitor_page_clear_sockets (self);
  atc_monitor_page_clear_list (self->event_list);
  self->n_event_rows = 0;
  atc_signal_plot_set_history (self->plot, NULL);

  gtk_stack_set_visible_child_name (self->stack, session ? "content" : "empty");
  if (session == NULL)
    {
      atc_monitor_page_update_state (self);
      return;
    }

  /* The page follows what the model reports, not which model it is. */
  self->has_signal = csq != NULL && csq->live_status;
  gtk_stack_set_visible_child_name (self->hero_stack, self->has_signal ? "signal" : "link");
  gtk_widget_set_visible (GTK_WIDGET (self->history_group), self->has_signal);
  gtk_widget_set_visible (self->net_mode_row, net_mode != NULL && net_mode->live_status);
  gtk_widget_set_visible (GTK_WIDGET (self->sockets_group), self->has_signal);
  adw_preferences_group_set_description (self->history_group, NULL);
  atc_monitor_page_show_waiting (self);

  seconds = g_settings_get_double (self->settings, "monitor-interval");
  self->monitor = atc_monitor_new (session);
  atc_monitor_set_interval (self->monitor, (guint) (seconds * 1000 + 0.5));
  g_signal_connect_object (self->monitor, "sample", G_CALLBACK (monitor_sample_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "event", G_CALLBACK (monitor_event_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "notify::state", G_CALLBACK (monitor_state_cb), self, G_CONNECT_SWAPPED);
  atc_signal_plot_set_history (self->plot, atc_monitor_get_history (self->monitor));

  self->cancellable = g_cancellable_new ();
  /* Polls start when the page is shown (see map). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    atc_monitor_page_start (self);
  else
    atc_monitor_page_update_state (self);
}

/* Polls only while the page is shown: in the background they would fill
 * the console's log with status queries and slow configuration work on
 * the shared session. The history keeps what was read, with a gap. */
static void
atc_monitor_page_map (GtkWidget *widget)
{
  AtcMonitorPage *self = ATC_MONITOR_PAGE (widget);

  GTK_WIDGET_CLASS (atc_monitor_page_parent_class)->map (widget);

  if (self->monitor == NULL)
    return;

  if (atc_monitor_get_state (self->monitor) == ATC_MONITOR_STOPPED)
    {
      /* Not started yet; after a failed start, Try Again is the way. */
      if (self->start_error == NULL)
        atc_monitor_page_start (self);
      return;
    }

  if (self->hidden_paused)
    {
      self->hidden_paused = FALSE;
      /* The sockets may have been reconfigured meanwhile. */
      atc_monitor_refresh_sockets (self->monitor);
      self->sockets_shown = FALSE;
      if (!self->user_paused)
        atc_monitor_resume (self->monitor);
    }
}

static void
atc_monitor_page_unmap (GtkWidget *widget)
{
  AtcMonitorPage *self = ATC_MONITOR_PAGE (widget);

  if (self->monitor != NULL && atc_monitor_get_state (self->monitor) != ATC_MONITOR_STOPPED)
    {
      self->hidden_paused = TRUE;
      atc_monitor_pause (self->monitor);
    }

  GTK_WIDGET_CLASS (atc_monitor_page_parent_class)->unmap (widget);
}

/* Interval */

static void
atc_monitor_page_fill_intervals (AtcMonitorPage *self,
                                 guint           current)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint selected = 0;

  /* The standard choices, plus the current value when it is another one
   * (set elsewhere, e.g. with gsettings). */
  g_array_set_size (self->intervals, 0);
  for (guint i = 0; i < G_N_ELEMENTS (standard_intervals); i++)
    {
      if (current < standard_intervals[i] &&
          (i == 0 || current > standard_intervals[i - 1]))
        g_array_append_val (self->intervals, current);
      g_array_append_val (self->intervals, standard_intervals[i]);
    }
  if (current > standard_intervals[G_N_ELEMENTS (standard_intervals) - 1])
    g_array_append_val (self->intervals, current);

  for (guint i = 0; i < self->intervals->len; i++)
    {
      guint ms = g_array_index (self->intervals, guint, i);

      if (ms == current)
        selected = i;
      g_ptr_array_add (names, format_interval (ms));
    }
  g_ptr_array_add (names, NULL);

  self->filling_intervals = TRUE;
  gtk_string_list_splice (self->interval_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->interval_names)),
                          (const char *const *) names->pdata);
  gtk_drop_down_set_selected (self->interval_dropdown, selected);
  self->filling_intervals = FALSE;
}

static void
interval_changed_cb (AtcMonitorPage *self,
                     const char     *key,
                     GSettings      *settings)
{
  guint ms = (guint) (g_settings_get_double (settings, "monitor-interval") * 1000 + 0.5);

  atc_monitor_page_fill_intervals (self, ms);
  atc_signal_plot_set_span (self->plot, span_for_interval (ms));

  if (self->monitor != NULL)
    {
      atc_monitor_set_interval (self->monitor, ms);
      atc_monitor_page_update_stats (self);
    }
}

static void
interval_selected_cb (AtcMonitorPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->interval_dropdown);

  if (self->filling_intervals || selected >= self->intervals->len)
    return;

  g_settings_set_double (self->settings, "monitor-interval",
                         g_array_index (self->intervals, guint, selected) / 1000.0);
}

/* Export */

static void
history_export_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (atc_history_export_to_file_finish (ATC_HISTORY (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
atc_monitor_page_export_async (AtcMonitorPage      *self,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATC_IS_MONITOR_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atc_monitor_page_export_async);

  if (self->monitor == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("No unit is connected, so there is no history to export"));
      return;
    }

  atc_history_export_to_file_async (atc_monitor_get_history (self->monitor), ATC_EXPORT_CSV, NULL,
                                    file, cancellable, history_export_cb, g_steal_pointer (&task));
}

gboolean
atc_monitor_page_export_finish (AtcMonitorPage  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (ATC_IS_MONITOR_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AtcMonitorPage *self = ATC_MONITOR_PAGE (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!atc_monitor_page_export_finish (self, result, &error))
    {
      atc_page_show_error (ATC_PAGE (self), _("Could Not Export the History"), error);
      return;
    }

  name = g_file_get_basename (file);
  atc_page_toast (ATC_PAGE (self), _("History exported to %s"), name);
}

static void
chooser_response_cb (AtcMonitorPage       *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);

  if (file != NULL)
    atc_monitor_page_export_async (self, file, NULL, export_done_cb, g_object_ref (file));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AtcMonitorPage *self = ATC_MONITOR_PAGE (widget);
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  AtcModel *model = session ? atc_session_get_model (session) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL;

  if (self->monitor == NULL || self->chooser != NULL)
    return;

  name = g_strdup_printf ("%s-signal-%s.csv", model ? atc_model_get_id (model) : "unit", stamp);

  self->chooser = atc_app_file_chooser_new (widget, _("Export History"),
                                            GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  atc_app_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), _("CSV files"), "*.csv",
                                   "text/csv");

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Actions */

static void
toggle_pause_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AtcMonitorPage *self = ATC_MONITOR_PAGE (widget);

  if (self->monitor == NULL)
    return;

  switch (atc_monitor_get_state (self->monitor))
    {
    case ATC_MONITOR_PAUSED:
      self->user_paused = FALSE;
      atc_monitor_resume (self->monitor);
      break;
    case ATC_MONITOR_STARTING:
    case ATC_MONITOR_RUNNING:
    case ATC_MONITOR_LOST:
      self->user_paused = TRUE;
      atc_monitor_pause (self->monitor);
      break;
    case ATC_MONITOR_STOPPED:
    default:
      break;
    }

  atc_monitor_page_update_state (self);
}

static void
restart_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AtcMonitorPage *self = ATC_MONITOR_PAGE (widget);

  if (self->monitor != NULL && atc_monitor_get_state (self->monitor) == ATC_MONITOR_STOPPED)
    atc_monitor_page_start (self);
}

/* GObject */

static void
atc_monitor_page_dispose (GObject *object)
{
  AtcMonitorPage *self = ATC_MONITOR_PAGE (object);

  atc_monitor_page_stop (self);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  /* The stack is both a template child and the bin's child: detach it
   * from the bin first so it is unparented once. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ATC_TYPE_MONITOR_PAGE);

  G_OBJECT_CLASS (atc_monitor_page_parent_class)->dispose (object);
}

static void
atc_monitor_page_finalize (GObject *object)
{
  AtcMonitorPage *self = ATC_MONITOR_PAGE (object);

  g_clear_pointer (&self->intervals, g_array_unref);
  g_clear_object (&self->interval_names);

  G_OBJECT_CLASS (atc_monitor_page_parent_class)->finalize (object);
}

static void
atc_monitor_page_class_init (AtcMonitorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AtcPageClass *page_class = ATC_PAGE_CLASS (klass);

  object_class->dispose = atc_monitor_page_dispose;
  object_class->finalize = atc_monitor_page_finalize;
  widget_class->map = atc_monitor_page_map;
  widget_class->unmap = atc_monitor_page_unmap;
  page_class->session_changed = atc_monitor_page_session_changed;

  g_type_ensure (ATC_TYPE_SIGNAL_BARS);
  g_type_ensure (ATC_TYPE_SIGNAL_PLOT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-monitor-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, content);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, status_group);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, interval_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, problem_title);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, problem_detail);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, problem_spinner);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, hero_stack);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, bars);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, dbm_label);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, quality_label);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, net_mode_row);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, net_mode_label);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, csq_label);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, link_icon);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, link_label);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, link_detail);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, history_group);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, plot);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, sockets_group);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, socket_list);
  gtk_widget_class_bind_template_child (widget_class, AtcMonitorPage, event_list);
  gtk_widget_class_bind_template_callback (widget_class, interval_selected_cb);

  gtk_widget_class_install_action (widget_class, "monitor.toggle-pause", NULL, toggle_pause_action);
  gtk_widget_class_install_action (widget_class, "monitor.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "monitor.restart", NULL, restart_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "monitor.toggle-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "monitor.toggle-pause", NULL);
}

static void
atc_monitor_page_init (AtcMonitorPage *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->intervals = g_array_new (FALSE, FALSE, sizeof (guint));
  self->interval_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->interval_dropdown, G_LIST_MODEL (self->interval_names));

  placeholder = gtk_label_new (_("No socket is enabled"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->socket_list, placeholder);

  placeholder = gtk_label_new (_("No events yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->event_list, placeholder);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::monitor-interval",
                           G_CALLBACK (interval_changed_cb), self, G_CONNECT_SWAPPED);
  interval_changed_cb (self, "monitor-interval", self->settings);

  atc_monitor_page_update_state (self);
}

AtcMonitor *
atc_monitor_page_get_monitor (AtcMonitorPage *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR_PAGE (self), NULL);

  return self->monitor;
}
