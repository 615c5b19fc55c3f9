/* atc-monitor-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "atc-monitor-event.h"

struct _AtcMonitorEvent
{
  GObject              parent_instance;

  AtcMonitorEventKind  kind;
  gint64               time;
  int                  socket;
  char                *socket_name;
  int                  old_value;
  int                  new_value;
  char                *detail;
};

G_DEFINE_FINAL_TYPE (AtcMonitorEvent, atc_monitor_event, G_TYPE_OBJECT)

static void
atc_monitor_event_finalize (GObject *object)
{
  AtcMonitorEvent *self = ATC_MONITOR_EVENT (object);

  g_clear_pointer (&self->socket_name, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (atc_monitor_event_parent_class)->finalize (object);
}

static void
atc_monitor_event_class_init (AtcMonitorEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atc_monitor_event_finalize;
}

static void
atc_monitor_event_init (AtcMonitorEvent *self)
{
  self->socket = -1;
}

AtcMonitorEvent *
atc_monitor_event_new (AtcMonitorEventKind  kind,
                       gint64               time,
                       int                  socket,
                       const char          *socket_name,
                       int                  old_value,
                       int                  new_value,
                       const char          *detail)
{
  AtcMonitorEvent *self = g_object_new (ATC_TYPE_MONITOR_EVENT, NULL);

  self->kind = kind;
  self->time = time;
  self->socket = socket;
  self->socket_name = g_strdup (socket_name != NULL ? socket_name : "");
  self->old_value = old_value;
  self->new_value = new_value;
  self->detail = g_strdup (detail);

  return self;
}

AtcMonitorEventKind
atc_monitor_event_get_kind (AtcMonitorEvent *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR_EVENT (self), 0);

  return self->kind;
}

gint64
atc_monitor_event_get_time (AtcMonitorEvent *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR_EVENT (self), 0);

  return self->time;
}

int
atc_monitor_event_get_socket (AtcMonitorEvent *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR_EVENT (self), -1);

  return self->socket;
}

const char *
atc_monitor_event_get_socket_name (AtcMonitorEvent *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR_EVENT (self), NULL);

  return self->socket_name;
}

int
atc_monitor_event_get_old_value (AtcMonitorEvent *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR_EVENT (self), 0);

  return self->old_value;
}

int
atc_monitor_event_get_new_value (AtcMonitorEvent *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR_EVENT (self), 0);

  return self->new_value;
}

const char *
atc_monitor_event_get_detail (AtcMonitorEvent *self)
{
  g_return_val_if_fail (ATC_IS_MONITOR_EVENT (self), NULL);

  return self->detail;
}

static char *
socket_label (AtcMonitorEvent *self)
{
  if (self->socket_name[0] == '\0')
    return g_strdup (_("Socket"));

  /* TRANSLATORS: %s is a socket letter, A to D */
  return g_strdup_printf (_("Socket %s"), self->socket_name);
}

char *
atc_monitor_event_describe (AtcMonitorEvent *self)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (ATC_IS_MONITOR_EVENT (self), NULL);

  switch (self->kind)
    {
    case ATC_MONITOR_EVENT_LINK_UP:
      label = socket_label (self);
      /* TRANSLATORS: %s is "Socket A" or "Socket" */
      return g_strdup_printf (_("%s link up"), label);

    case ATC_MONITOR_EVENT_LINK_DOWN:
      label = socket_label (self);
      /* TRANSLATORS: %s is "Socket A" or "Socket" */
      return g_strdup_printf (_("%s link down"), label);

    case ATC_MONITOR_EVENT_NET_MODE_CHANGED:
      /* TRANSLATORS: network names, e.g. "Network changed from WCDMA to LTE" */
      return g_strdup_printf (_("Network changed from %s to %s"),
                              atc_net_mode_to_string ((AtcNetMode) self->old_value),
                              atc_net_mode_to_string ((AtcNetMode) self->new_value));

    case ATC_MONITOR_EVENT_SIGNAL_LOST:
      return g_strdup (_("Signal lost (CSQ unknown)"));

    case ATC_MONITOR_EVENT_SIGNAL_REGAINED:
      return g_strdup_printf (_("Signal regained (%d dBm)"), self->new_value);

    case ATC_MONITOR_EVENT_UNIT_LOST:
      if (self->detail != NULL && self->detail[0] != '\0')
        /* TRANSLATORS: %s is an error message */
        return g_strdup_printf (_("Unit lost: %s. Reconnecting…"), self->detail);
      return g_strdup (_("Unit lost. Reconnecting…"));

    case ATC_MONITOR_EVENT_UNIT_BACK:
      return g_strdup (_("Unit back, monitoring resumed"));

    default:
      g_return_val_if_reached (g_strdup (""));
    }
}

const char *
atc_monitor_event_kind_to_string (AtcMonitorEventKind kind)
{
  switch (kind)
    {
    case ATC_MONITOR_EVENT_LINK_UP:
      return "link-up";
    case ATC_MONITOR_EVENT_LINK_DOWN:
      return "link-down";
    case ATC_MONITOR_EVENT_NET_MODE_CHANGED:
      return "net-mode-changed";
    case ATC_MONITOR_EVENT_SIGNAL_LOST:
      return "signal-lost";
    case ATC_MONITOR_EVENT_SIGNAL_REGAINED:
      return "signal-regained";
    case ATC_MONITOR_EVENT_UNIT_LOST:
      return "unit-lost";
    case ATC_MONITOR_EVENT_UNIT_BACK:
      return "unit-back";
    default:
      g_return_val_if_reached ("");
    }
}
