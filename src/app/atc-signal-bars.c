/* atc-signal-bars.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-signal-bars.h"

#define N_BARS 4

struct _AtcSignalBars
{
  GtkWidget parent_instance;

  int       bars;
};

G_DEFINE_FINAL_TYPE (AtcSignalBars, atc_signal_bars, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BARS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
atc_signal_bars_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  AtcSignalBars *self = ATC_SIGNAL_BARS (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float gap = MAX (2.0f, width / 16.0f);
  float bar_w = (width - gap * (N_BARS - 1)) / N_BARS;
  GdkRGBA fg, accent, empty;

  if (bar_w <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
    accent = fg;
  empty = fg;
  empty.alpha *= 0.15f;

  for (int i = 0; i < N_BARS; i++)
    {
      float bar_h = height * (i + 1) / N_BARS;
      graphene_rect_t rect = GRAPHENE_RECT_INIT (i * (bar_w + gap), height - bar_h, bar_w, bar_h);
      GskRoundedRect rounded;

      gsk_rounded_rect_init_from_rect (&rounded, &rect, MIN (bar_w / 4, 3));
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, i < self->bars ? &accent : &empty, &rect);
      gtk_snapshot_pop (snapshot);
    }
}

static void
atc_signal_bars_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = 16;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 48 : 40;
}

static void
atc_signal_bars_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (atc_signal_bars_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
atc_signal_bars_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AtcSignalBars *self = ATC_SIGNAL_BARS (object);

  switch (prop_id)
    {
    case PROP_BARS:
      g_value_set_int (value, self->bars);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_signal_bars_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AtcSignalBars *self = ATC_SIGNAL_BARS (object);

  switch (prop_id)
    {
    case PROP_BARS:
      atc_signal_bars_set_bars (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_signal_bars_class_init (AtcSignalBarsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = atc_signal_bars_get_property;
  object_class->set_property = atc_signal_bars_set_property;

  widget_class->snapshot = atc_signal_bars_snapshot;
  widget_class->measure = atc_signal_bars_measure;
  widget_class->css_changed = atc_signal_bars_css_changed;

  properties[PROP_BARS] =
    g_param_spec_int ("bars", NULL, NULL,
                      ATC_SIGNAL_BARS_UNKNOWN, N_BARS, ATC_SIGNAL_BARS_UNKNOWN,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "signalbars");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
atc_signal_bars_update_accessible (AtcSignalBars *self)
{
  g_autofree char *label = NULL;

  if (self->bars < 0)
    label = g_strdup (_("Signal strength unknown"));
  else
    /* TRANSLATORS: signal strength, e.g. "3 of 4 bars" */
    label = g_strdup_printf (ngettext ("%d of 4 bars", "%d of 4 bars", self->bars), self->bars);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
atc_signal_bars_init (AtcSignalBars *self)
{
  self->bars = ATC_SIGNAL_BARS_UNKNOWN;
  atc_signal_bars_update_accessible (self);
}

GtkWidget *
atc_signal_bars_new (void)
{
  return g_object_new (ATC_TYPE_SIGNAL_BARS, NULL);
}

int
atc_signal_bars_get_bars (AtcSignalBars *self)
{
  g_return_val_if_fail (ATC_IS_SIGNAL_BARS (self), ATC_SIGNAL_BARS_UNKNOWN);

  return self->bars;
}

void
atc_signal_bars_set_bars (AtcSignalBars *self,
                          int            bars)
{
  g_return_if_fail (ATC_IS_SIGNAL_BARS (self));

  bars = CLAMP (bars, ATC_SIGNAL_BARS_UNKNOWN, N_BARS);
  if (self->bars == bars)
    return;

  self->bars = bars;
  atc_signal_bars_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BARS]);
}
