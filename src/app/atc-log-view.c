/* atc-log-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-log-view.h"

/* Within this many pixels of the bottom counts as "at the newest". */
#define BOTTOM_SLACK 8.0

struct _AtcLogView
{
  AdwBin             parent_instance;

  AtcTransactionLog *log;
  gboolean           following;
  double             last_value;
  double             last_upper;
  guint              scroll_tick;

  /* template children */
  GtkScrolledWindow *scroller;
  GtkNoSelection    *selection;
  GtkWidget         *jump_button;
  GtkWidget         *empty_label;
};

G_DEFINE_FINAL_TYPE (AtcLogView, atc_log_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LOG,
  PROP_FOLLOWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
atc_log_view_markup (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      gsize token = 0;

      /* The log spells CR, LF and other control bytes as <CR>, <LF>, <XX>. */
      if (p[0] == '<' && p[1] != '\0' && p[2] != '\0' && p[3] == '>' &&
          ((p[1] == 'C' && p[2] == 'R') || (p[1] == 'L' && p[2] == 'F') ||
           (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))))
        token = 4;

      if (token > 0)
        {
          g_autofree char *escaped = g_markup_escape_text (p, token);

          g_string_append_printf (out, "<span alpha=\"45%%\">%s</span>", escaped);
          p += token;
        }
      else
        {
          const char *next = g_utf8_next_char (p);
          g_autofree char *escaped = g_markup_escape_text (p, next - p);

          g_string_append (out, escaped);
          p = next;
        }
    }

  return g_string_free (out, FALSE);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              AtcLogView               *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *time = gtk_label_new (NULL);
  GtkWidget *direction = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (NULL);

  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "numeric");
  gtk_widget_set_valign (time, GTK_ALIGN_START);
  gtk_widget_set_valign (direction, GTK_ALIGN_START);
  gtk_widget_add_css_class (direction, "log-direction");
  gtk_label_set_width_chars (GTK_LABEL (direction), 1);
  gtk_widget_set_valign (text, GTK_ALIGN_START);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  /* Long replies wrap instead of widening the window past 360 px. */
  gtk_label_set_width_chars (GTK_LABEL (text), 8);

  gtk_box_append (GTK_BOX (box), time);
  gtk_box_append (GTK_BOX (box), direction);
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             AtcLogView               *self)
{
  AtcLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *time = gtk_widget_get_first_child (box);
  GtkWidget *direction = gtk_widget_get_next_sibling (time);
  GtkWidget *text = gtk_widget_get_next_sibling (direction);
  gint64 usec = atc_log_entry_get_time (entry);
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autofree char *hms = local ? g_date_time_format (local, "%H:%M:%S") : g_strdup ("--:--:--");
  g_autofree char *stamp = g_strdup_printf ("%s.%03d", hms, (int) (usec % G_USEC_PER_SEC) / 1000);
  g_autofree char *markup = atc_log_view_markup (atc_log_entry_get_text (entry));
  const char *glyph, *description;

  /* The markers of the saved log (atc_transaction_log_to_text()), so what
   * is on screen reads like the file a technician sends on. */

  switch (atc_log_entry_get_direction (entry))
    {
    case ATC_LOG_TX:
      glyph = ">";
      description = _("Sent");
      break;
    case ATC_LOG_RX:
      glyph = "<";
      description = _("Received");
      break;
    case ATC_LOG_EVENT:
    default:
      glyph = "*";
      description = _("Event");
      break;
    }

  gtk_label_set_text (GTK_LABEL (time), stamp);
  gtk_label_set_text (GTK_LABEL (direction), glyph);
  gtk_widget_set_tooltip_text (direction, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (direction),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  gtk_label_set_markup (GTK_LABEL (text), markup);

  /* Sent lines stand out; session events stay in the background. */
  gtk_widget_remove_css_class (direction, "accent");
  gtk_widget_remove_css_class (direction, "dim-label");
  gtk_widget_remove_css_class (text, "dim-label");
  gtk_widget_remove_css_class (text, "log-event");
  gtk_widget_remove_css_class (text, "log-sent");
  switch (atc_log_entry_get_direction (entry))
    {
    case ATC_LOG_TX:
      gtk_widget_add_css_class (direction, "accent");
      gtk_widget_add_css_class (text, "log-sent");
      break;
    case ATC_LOG_EVENT:
      gtk_widget_add_css_class (direction, "dim-label");
      gtk_widget_add_css_class (text, "dim-label");
      gtk_widget_add_css_class (text, "log-event");
      break;
    case ATC_LOG_RX:
    default:
      break;
    }
}

static void
atc_log_view_set_following (AtcLogView *self,
                            gboolean    following)
{
  if (self->following == following)
    return;

  self->following = following;
  gtk_widget_set_visible (self->jump_button, !following);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  AtcLogView *self = ATC_LOG_VIEW (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scroll_tick = 0;
  /* An empty or short list has nowhere to scroll (GTK warns if asked). */
  if (self->following && self->log != NULL &&
      g_list_model_get_n_items (G_LIST_MODEL (self->log)) > 0 &&
      gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment))
    gtk_adjustment_set_value (adjustment,
                              gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));

  return G_SOURCE_REMOVE;
}

static void
atc_log_view_queue_scroll (AtcLogView *self)
{
  /* Rows are measured during layout: scroll on the next frame, when the
   * list knows its new height. */
  if (self->scroll_tick == 0 && self->following)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, NULL, NULL);
}

static void
adjustment_value_changed_cb (GtkAdjustment *adjustment,
                             AtcLogView    *self)
{
  double value = gtk_adjustment_get_value (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);

  /* Reaching the bottom follows again; moving up while the log did not
   * shrink is the technician reading back. */
  if (value + page >= upper - BOTTOM_SLACK)
    atc_log_view_set_following (self, TRUE);
  else if (value < self->last_value && upper >= self->last_upper)
    atc_log_view_set_following (self, FALSE);

  self->last_value = value;
  self->last_upper = upper;
}

static void
adjustment_changed_cb (GtkAdjustment *adjustment,
                       GParamSpec    *pspec,
                       AtcLogView    *self)
{
  self->last_upper = gtk_adjustment_get_upper (adjustment);
  atc_log_view_queue_scroll (self);
}

static void
log_items_changed_cb (GListModel *model,
                      guint       position,
                      guint       removed,
                      guint       added,
                      AtcLogView *self)
{
  gtk_widget_set_visible (self->empty_label, g_list_model_get_n_items (model) == 0);
  atc_log_view_queue_scroll (self);
}

static void
jump_clicked_cb (AtcLogView *self)
{
  atc_log_view_scroll_to_end (self);
}

GtkWidget *
atc_log_view_new (void)
{
  return g_object_new (ATC_TYPE_LOG_VIEW, NULL);
}

AtcTransactionLog *
atc_log_view_get_log (AtcLogView *self)
{
  g_return_val_if_fail (ATC_IS_LOG_VIEW (self), NULL);

  return self->log;
}

void
atc_log_view_set_log (AtcLogView        *self,
                      AtcTransactionLog *log)
{
  g_return_if_fail (ATC_IS_LOG_VIEW (self));
  g_return_if_fail (!log || ATC_IS_TRANSACTION_LOG (log));

  if (self->log == log)
    return;

  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_set_object (&self->log, log);

  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (log));
  if (log != NULL)
    g_signal_connect_object (log, "items-changed", G_CALLBACK (log_items_changed_cb), self, 0);
  gtk_widget_set_visible (self->empty_label, log == NULL || g_list_model_get_n_items (G_LIST_MODEL (log)) == 0);

  atc_log_view_scroll_to_end (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG]);
}

void
atc_log_view_scroll_to_end (AtcLogView *self)
{
  g_return_if_fail (ATC_IS_LOG_VIEW (self));

  atc_log_view_set_following (self, TRUE);
  atc_log_view_queue_scroll (self);
}

gboolean
atc_log_view_get_following (AtcLogView *self)
{
  g_return_val_if_fail (ATC_IS_LOG_VIEW (self), FALSE);

  return self->following;
}

static void
atc_log_view_dispose (GObject *object)
{
  AtcLogView *self = ATC_LOG_VIEW (object);

  if (self->scroll_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
      self->scroll_tick = 0;
    }
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_clear_object (&self->log);

  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ATC_TYPE_LOG_VIEW);

  G_OBJECT_CLASS (atc_log_view_parent_class)->dispose (object);
}

static void
atc_log_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AtcLogView *self = ATC_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;

    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_log_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AtcLogView *self = ATC_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOG:
      atc_log_view_set_log (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_log_view_class_init (AtcLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atc_log_view_dispose;
  object_class->get_property = atc_log_view_get_property;
  object_class->set_property = atc_log_view_set_property;

  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL,
                         ATC_TYPE_TRANSACTION_LOG,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AtcLogView, scroller);
  gtk_widget_class_bind_template_child (widget_class, AtcLogView, selection);
  gtk_widget_class_bind_template_child (widget_class, AtcLogView, jump_button);
  gtk_widget_class_bind_template_child (widget_class, AtcLogView, empty_label);
  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, jump_clicked_cb);
}

static void
atc_log_view_init (AtcLogView *self)
{
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->following = TRUE;
  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self, 0);
  g_signal_connect_object (adjustment, "notify::upper", G_CALLBACK (adjustment_changed_cb), self, 0);
  g_signal_connect_object (adjustment, "notify::page-size", G_CALLBACK (adjustment_changed_cb), self, 0);
}
