/* atc-socket-indicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-socket-indicator.h"

struct _AtcSocketIndicator
{
  AdwActionRow  parent_instance;

  char         *name;
  char         *endpoint;
  char         *status;
  AtcLinkState  state;
  gint64        since;    /* when the link was first seen in this state */
  gboolean      exact;    /* the change itself was seen */

  GtkWidget    *dot;
};

G_DEFINE_FINAL_TYPE (AtcSocketIndicator, atc_socket_indicator, ADW_TYPE_ACTION_ROW)

static char *
format_duration (gint64 span)
{
  gint64 seconds = MAX (span / G_USEC_PER_SEC, 0);

  /* TRANSLATORS: short durations: seconds, minutes, hours, days */
  if (seconds < 60)
    return g_strdup_printf (_("%d s"), (int) seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%d min"), (int) (seconds / 60));
  if (seconds < 86400)
    return g_strdup_printf (_("%d h %d min"), (int) (seconds / 3600), (int) (seconds % 3600 / 60));
  return g_strdup_printf (_("%d d %d h"), (int) (seconds / 86400), (int) (seconds % 86400 / 3600));
}

/* The clock time of `time`, with the date when it is not the day of `now`. */
static char *
format_clock (gint64 time,
              gint64 now)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (time / G_USEC_PER_SEC);
  g_autoptr(GDateTime) reference = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);

  if (g_date_time_get_year (when) == g_date_time_get_year (reference) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (reference))
    return g_date_time_format (when, "%H:%M:%S");

  return g_date_time_format (when, "%Y-%m-%d %H:%M:%S");
}

/* The state on the first line, where the socket connects to on the
 * second: subtitles wrap, so this reads at any width. */
static void
atc_socket_indicator_show_subtitle (AtcSocketIndicator *self)
{
  g_autofree char *subtitle = NULL;

  if (self->endpoint != NULL && self->endpoint[0] != '\0')
    subtitle = g_strconcat (self->status, "\n", self->endpoint, NULL);
  else
    subtitle = g_strdup (self->status);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
}

static void
atc_socket_indicator_show (AtcSocketIndicator *self,
                           gint64              now)
{
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (self->dot, "up");
  gtk_widget_remove_css_class (self->dot, "down");

  switch (self->state)
    {
    case ATC_LINK_UP:
      gtk_widget_add_css_class (self->dot, "up");
      if (now - self->since < G_USEC_PER_SEC)
        text = g_strdup (self->exact ? _("Up, just now") : _("Up"));
      else
        {
          g_autofree char *duration = format_duration (now - self->since);

          /* TRANSLATORS: %s is a duration, e.g. "3 min" */
          text = g_strdup_printf (self->exact ? _("Up for %s") : _("Up for %s or more"), duration);
        }
      break;

    case ATC_LINK_DOWN:
      {
        g_autofree char *clock = format_clock (self->since, now);

        gtk_widget_add_css_class (self->dot, "down");
        /* TRANSLATORS: %s is a clock time, e.g. "12:01:05" */
        text = g_strdup_printf (self->exact ? _("Down since %s") : _("Down since %s or earlier"), clock);
      }
      break;

    case ATC_LINK_NONE:
    default:
      text = g_strdup (_("Not read"));
      break;
    }

  g_free (self->status);
  self->status = g_steal_pointer (&text);
  atc_socket_indicator_show_subtitle (self);
}

static void
atc_socket_indicator_finalize (GObject *object)
{
  AtcSocketIndicator *self = ATC_SOCKET_INDICATOR (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (atc_socket_indicator_parent_class)->finalize (object);
}

static void
atc_socket_indicator_class_init (AtcSocketIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atc_socket_indicator_finalize;
}

static void
atc_socket_indicator_init (AtcSocketIndicator *self)
{
  /* Decoration: the status label says the same in words. */
  self->dot = g_object_new (GTK_TYPE_BOX,
                            "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                            "valign", GTK_ALIGN_CENTER,
                            NULL);
  gtk_widget_add_css_class (self->dot, "status-dot");
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), self->dot);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  self->state = ATC_LINK_NONE;
  atc_socket_indicator_show (self, 0);
}

GtkWidget *
atc_socket_indicator_new (const char *name)
{
  AtcSocketIndicator *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (ATC_TYPE_SOCKET_INDICATOR, NULL);
  self->name = g_strdup (name);

  if (name[0] != '\0')
    /* TRANSLATORS: %s is a socket letter, A to D */
    title = g_strdup_printf (_("Socket %s"), name);
  else
    title = g_strdup (_("Socket"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);

  return GTK_WIDGET (self);
}

const char *
atc_socket_indicator_get_name (AtcSocketIndicator *self)
{
  g_return_val_if_fail (ATC_IS_SOCKET_INDICATOR (self), NULL);

  return self->name;
}

void
atc_socket_indicator_set_endpoint (AtcSocketIndicator *self,
                                   const char         *endpoint)
{
  g_return_if_fail (ATC_IS_SOCKET_INDICATOR (self));

  g_free (self->endpoint);
  self->endpoint = g_strdup (endpoint);
  atc_socket_indicator_show_subtitle (self);
}

const char *
atc_socket_indicator_get_endpoint (AtcSocketIndicator *self)
{
  g_return_val_if_fail (ATC_IS_SOCKET_INDICATOR (self), NULL);

  return self->endpoint;
}

void
atc_socket_indicator_update (AtcSocketIndicator *self,
                             AtcLinkState        state,
                             gint64              time,
                             gboolean            after_gap)
{
  g_return_if_fail (ATC_IS_SOCKET_INDICATOR (self));

  if (state != self->state)
    {
      /* A change seen between two consecutive readings is exact; coming
       * from "not read" or across a gap it happened some time before. */
      self->exact = self->state != ATC_LINK_NONE && !after_gap;
      self->state = state;
      self->since = time;
    }

  atc_socket_indicator_show (self, time);
}

AtcLinkState
atc_socket_indicator_get_state (AtcSocketIndicator *self)
{
  g_return_val_if_fail (ATC_IS_SOCKET_INDICATOR (self), ATC_LINK_NONE);

  return self->state;
}

const char *
atc_socket_indicator_get_status (AtcSocketIndicator *self)
{
  g_return_val_if_fail (ATC_IS_SOCKET_INDICATOR (self), NULL);

  return self->status;
}
