/* atc-signal-plot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-signal-plot.h"

#define DEFAULT_SPAN     (60 * G_USEC_PER_SEC)
#define MIN_DBM_RANGE    40   /* a flat signal still gets a readable scale */
#define DEFAULT_LOW_DBM  (-120)
#define DEFAULT_HIGH_DBM (-40)
#define MIN_TICK_GAP_PX  72

/* The visible samples of one pixel column, in data units. One column
 * holds at most one bucket: a gap narrower than a pixel breaks the line at
 * the column's edge. */
typedef struct
{
  int      column;
  int      first;
  int      last;
  int      min;
  int      max;
  guint    n;
  gboolean starts_segment;
} Bucket;

struct _AtcSignalPlot
{
  GtkWidget   parent_instance;

  AtcHistory *history;
  gint64      span;

  /* Reused between draws: never more than one bucket per pixel column. */
  GArray     *buckets;
  guint       n_points;
  guint       n_segments;
};

G_DEFINE_FINAL_TYPE (AtcSignalPlot, atc_signal_plot, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_SPAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Integer and pixel rounding without libm, which the app does not link. */
static int
floor_to (int value,
          int step)
{
  return value >= 0 ? value / step * step : -((-value + step - 1) / step) * step;
}

static double
pixel (double value)
{
  return (double) (gint64) (value + (value >= 0 ? 0.5 : -0.5));
}

/* Geometry of one draw */
typedef struct
{
  double x0, y0, w, h;   /* the data area */
  int    low, high;      /* dBm at its bottom and top */
} Frame;

static double
frame_y (const Frame *frame,
         int          dbm)
{
  return frame->y0 + (frame->high - dbm) * frame->h / (frame->high - frame->low);
}

static PangoLayout *
caption_layout (AtcSignalPlot *self,
                const char    *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  /* The size of libadwaita's .caption, with digits of equal width so
   * labels do not wobble as the plot scrolls. */
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.82));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           double       x,
           double       y,
           double       xalign,
           double       yalign)
{
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, pixel (x - width * xalign), pixel (y - height * yalign));
  pango_cairo_show_layout (cr, layout);
}

/* Walks the visible samples once into per-column buckets. */
static void
collect_buckets (AtcSignalPlot *self,
                 gint64         start,
                 double         width)
{
  AtcHistoryIter iter;
  gint64 time;
  int dbm;
  gboolean gap_before;
  Bucket *current = NULL;
  gboolean break_pending = FALSE;
  int last_column = (int) width - 1;

  g_array_set_size (self->buckets, 0);
  self->n_points = 0;
  self->n_segments = 0;

  atc_history_iter_init (&iter, self->history, start);
  while (atc_history_iter_next (&iter, &time, &dbm, &gap_before))
    {
      int column = (int) ((time - start) * width / self->span);

      column = CLAMP (column, 0, MAX (last_column, 0));
      self->n_points++;

      if (gap_before)
        break_pending = TRUE;

      if (current != NULL && current->column == column)
        {
          current->min = MIN (current->min, dbm);
          current->max = MAX (current->max, dbm);
          current->last = dbm;
          current->n++;
          continue;
        }

      g_array_set_size (self->buckets, self->buckets->len + 1);
      current = &g_array_index (self->buckets, Bucket, self->buckets->len - 1);
      current->column = column;
      current->first = current->last = current->min = current->max = dbm;
      current->n = 1;
      current->starts_segment = self->buckets->len == 1 || break_pending;
      if (current->starts_segment)
        self->n_segments++;
      break_pending = FALSE;
    }
}

static void
pick_range (AtcSignalPlot *self,
            int           *low,
            int           *high)
{
  int min = G_MAXINT, max = G_MININT;

  for (guint i = 0; i < self->buckets->len; i++)
    {
      const Bucket *bucket = &g_array_index (self->buckets, Bucket, i);

      min = MIN (min, bucket->min);
      max = MAX (max, bucket->max);
    }

  if (self->buckets->len == 0)
    {
      *low = DEFAULT_LOW_DBM;
      *high = DEFAULT_HIGH_DBM;
      return;
    }

  /* Round to 10 dB with a margin, so the scale changes rarely as the
   * signal wanders. */
  *low = floor_to (min - 5, 10);
  *high = -floor_to (-(max + 5), 10);
  while (*high - *low < MIN_DBM_RANGE)
    {
      *high += 10;
      if (*high - *low < MIN_DBM_RANGE)
        *low -= 10;
    }
}

static void
trace_segment (cairo_t     *cr,
               const Frame *frame,
               guint        from,
               guint        to,
               GArray      *buckets)
{
  for (guint i = from; i < to; i++)
    {
      const Bucket *bucket = &g_array_index (buckets, Bucket, i);
      double x = frame->x0 + bucket->column + 0.5;

      if (i == from)
        cairo_move_to (cr, x, frame_y (frame, bucket->first));
      else
        cairo_line_to (cr, x, frame_y (frame, bucket->first));

      /* Many samples in one column: a vertical stroke over their spread. */
      if (bucket->min != bucket->max)
        {
          cairo_line_to (cr, x, frame_y (frame, bucket->min));
          cairo_line_to (cr, x, frame_y (frame, bucket->max));
        }
      cairo_line_to (cr, x, frame_y (frame, bucket->last));
    }
}

static void
draw_line (AtcSignalPlot *self,
           cairo_t       *cr,
           const Frame   *frame,
           const GdkRGBA *accent)
{
  GArray *buckets = self->buckets;
  guint from = 0;

  for (guint i = 1; i <= buckets->len; i++)
    {
      guint to;
      const Bucket *first;
      const Bucket *last;

      if (i < buckets->len && !g_array_index (buckets, Bucket, i).starts_segment)
        continue;

      to = i;
      first = &g_array_index (buckets, Bucket, from);
      last = &g_array_index (buckets, Bucket, to - 1);

      if (to - from == 1 && first->n == 1)
        {
          /* A lone reading between gaps: a dot, or it would not show. */
          gdk_cairo_set_source_rgba (cr, accent);
          cairo_arc (cr, frame->x0 + first->column + 0.5, frame_y (frame, first->first),
                     2.5, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      else
        {
          /* A faint area under the line, then the line. */
          trace_segment (cr, frame, from, to, buckets);
          cairo_line_to (cr, frame->x0 + last->column + 0.5, frame->y0 + frame->h);
          cairo_line_to (cr, frame->x0 + first->column + 0.5, frame->y0 + frame->h);
          cairo_close_path (cr);
          cairo_set_source_rgba (cr, accent->red, accent->green, accent->blue, accent->alpha * 0.15);
          cairo_fill (cr);

          trace_segment (cr, frame, from, to, buckets);
          gdk_cairo_set_source_rgba (cr, accent);
          cairo_stroke (cr);
        }

      from = to;
    }
}

static guint
pick_time_step (gint64 span,
                double width)
{
  static const guint steps[] = { 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * (double) G_USEC_PER_SEC * width / span >= MIN_TICK_GAP_PX)
      return steps[i];

  return steps[G_N_ELEMENTS (steps) - 1];
}

static char *
format_offset (guint seconds)
{
  /* TRANSLATORS: time axis labels, before the newest sample; "−" is a minus sign */
  /* Whole minutes or hours only: −90 s must not read as a second "−1 min". */
  if (seconds < 60 || seconds % 60 != 0)
    return g_strdup_printf (_("−%u s"), seconds);
  if (seconds < 3600 || seconds % 3600 != 0)
    return g_strdup_printf (_("−%u min"), seconds / 60);
  return g_strdup_printf (_("−%u h"), seconds / 3600);
}

static void
atc_signal_plot_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  AtcSignalPlot *self = ATC_SIGNAL_PLOT (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  const AtcSample *newest = NULL;
  g_autoptr(PangoLayout) probe = NULL;
  g_autoptr(PangoLayout) unit = NULL;
  cairo_t *cr;
  GdkRGBA fg, accent;
  Frame frame;
  int label_w, label_h, probe_w;
  int step_db;
  gint64 start = 0;

  if (width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
    accent = (GdkRGBA) { 0.21, 0.52, 0.89, 1.0 };

  if (self->history != NULL)
    newest = atc_history_get_last (self->history);

  /* Room for the widest y label and one line of text above and below. */
  probe = caption_layout (self, "−120");
  pango_layout_get_pixel_size (probe, &probe_w, &label_h);
  unit = caption_layout (self, _("dBm"));
  pango_layout_get_pixel_size (unit, &label_w, NULL);
  label_w = MAX (label_w, probe_w);

  frame.x0 = label_w + 8;
  frame.y0 = label_h + 4;
  frame.w = MAX (width - frame.x0 - 4, 1);
  frame.h = MAX (height - frame.y0 - label_h - 8, 1);

  if (newest != NULL)
    {
      start = newest->time - self->span;
      collect_buckets (self, start, frame.w);
    }
  else
    {
      g_array_set_size (self->buckets, 0);
      self->n_points = self->n_segments = 0;
    }
  pick_range (self, &frame.low, &frame.high);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 1);

  /* Horizontal grid and dBm labels. */
  step_db = 10;
  while (step_db * frame.h / (frame.high - frame.low) < label_h * 1.6 && step_db < 80)
    step_db *= 2;

  for (int dbm = frame.high; dbm >= frame.low; dbm -= step_db)
    {
      double y = pixel (frame_y (&frame, dbm)) + 0.5;
      g_autofree char *text = g_strdup_printf ("%d", dbm);
      g_autoptr(PangoLayout) layout = NULL;
      g_autoptr(GString) minus = g_string_new (text);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * (dbm == frame.low ? 0.35 : 0.1));
      cairo_move_to (cr, frame.x0, y);
      cairo_line_to (cr, frame.x0 + frame.w, y);
      cairo_stroke (cr);

      g_string_replace (minus, "-", "−", 0);
      layout = caption_layout (self, minus->str);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.6);
      show_text (cr, layout, frame.x0 - 6, y, 1.0, 0.5);
    }

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.6);
  show_text (cr, unit, frame.x0 - 6, 0, 1.0, 0.0);

  /* Vertical grid and time labels: relative ticks, and the newest
   * sample's clock time at the right edge. */
  if (newest != NULL)
    {
      guint step = pick_time_step (self->span, frame.w);
      g_autoptr(GDateTime) clock = g_date_time_new_from_unix_local (newest->time / G_USEC_PER_SEC);
      g_autofree char *now_text = g_date_time_format (clock, "%H:%M:%S");
      g_autoptr(PangoLayout) now_layout = caption_layout (self, now_text);
      double label_y = frame.y0 + frame.h + 4;
      int now_w;

      pango_layout_get_pixel_size (now_layout, &now_w, NULL);
      show_text (cr, now_layout, frame.x0 + frame.w, label_y, 1.0, 0.0);

      for (guint k = 1; (gint64) k * step * G_USEC_PER_SEC <= self->span; k++)
        {
          double x = pixel (frame.x0 + frame.w - (double) k * step * G_USEC_PER_SEC * frame.w / self->span) + 0.5;
          g_autofree char *text = format_offset (k * step);
          g_autoptr(PangoLayout) layout = caption_layout (self, text);
          int text_w;

          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.1);
          cairo_move_to (cr, x, frame.y0);
          cairo_line_to (cr, x, frame.y0 + frame.h);
          cairo_stroke (cr);

          pango_layout_get_pixel_size (layout, &text_w, NULL);
          if (x + text_w / 2.0 > frame.x0 + frame.w - now_w - 8 || x - text_w / 2.0 < 0)
            continue;
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.6);
          show_text (cr, layout, x, label_y, 0.5, 0.0);
        }
    }

  /* The line, clipped to the data area. */
  cairo_save (cr);
  cairo_rectangle (cr, frame.x0, frame.y0 - 2, frame.w + 2, frame.h + 4);
  cairo_clip (cr);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  draw_line (self, cr, &frame, &accent);
  cairo_restore (cr);

  if (self->n_points == 0)
    {
      g_autoptr(PangoLayout) layout = NULL;

      layout = gtk_widget_create_pango_layout (widget, newest == NULL ? _("Waiting for the first reading")
                                                                      : _("No measurable signal"));
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.55);
      show_text (cr, layout, frame.x0 + frame.w / 2, frame.y0 + frame.h / 2, 0.5, 0.5);
    }

  cairo_destroy (cr);
}

static void
atc_signal_plot_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 480;
    }
  else
    {
      /* A fixed height: in a scrolled page, children get their minimum. */
      *minimum = 180;
      *natural = 180;
    }
}

static void
atc_signal_plot_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (atc_signal_plot_parent_class)->css_changed (widget, change);

  /* Colours come from the theme: dark style, high contrast. */
  gtk_widget_queue_draw (widget);
}

static char *
format_span (gint64 span)
{
  guint seconds = (guint) (span / G_USEC_PER_SEC);

  if (seconds < 60 || seconds % 60 != 0)
    return g_strdup_printf (ngettext ("%u second", "%u seconds", seconds), seconds);
  if (seconds < 3600 || seconds % 3600 != 0)
    return g_strdup_printf (ngettext ("%u minute", "%u minutes", seconds / 60), seconds / 60);
  return g_strdup_printf (ngettext ("%u hour", "%u hours", seconds / 3600), seconds / 3600);
}

static void
atc_signal_plot_update_accessible (AtcSignalPlot *self)
{
  const AtcSample *newest = self->history ? atc_history_get_last (self->history) : NULL;
  g_autofree char *span = format_span (self->span);
  g_autofree char *label = NULL;
  AtcSignalStats stats;

  if (newest == NULL)
    label = g_strdup (_("Signal history: no readings yet"));
  else if (!atc_signal_plot_get_visible_stats (self, &stats))
    /* TRANSLATORS: %s is a duration, e.g. "2 minutes" */
    label = g_strdup_printf (_("Signal history over the last %s: no measurable signal"), span);
  else
    {
      g_autofree char *now = NULL;
      AtcSignal signal;

      if (atc_sample_get_signal (newest, &signal) && signal.known)
        now = atc_signal_format_dbm (&signal);
      else
        now = g_strdup (_("unknown"));

      /* TRANSLATORS: %s is a duration, then the newest reading ("-87 dBm"),
       * then minimum, average and maximum in dBm */
      label = g_strdup_printf (_("Signal history over the last %s: now %s; minimum %d, average %.0f, maximum %d dBm"),
                               span, now, stats.min_dbm, stats.avg_dbm, stats.max_dbm);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
atc_signal_plot_dispose (GObject *object)
{
  AtcSignalPlot *self = ATC_SIGNAL_PLOT (object);

  g_clear_object (&self->history);

  G_OBJECT_CLASS (atc_signal_plot_parent_class)->dispose (object);
}

static void
atc_signal_plot_finalize (GObject *object)
{
  AtcSignalPlot *self = ATC_SIGNAL_PLOT (object);

  g_clear_pointer (&self->buckets, g_array_unref);

  G_OBJECT_CLASS (atc_signal_plot_parent_class)->finalize (object);
}

static void
atc_signal_plot_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AtcSignalPlot *self = ATC_SIGNAL_PLOT (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    case PROP_SPAN:
      g_value_set_int64 (value, self->span);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_signal_plot_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AtcSignalPlot *self = ATC_SIGNAL_PLOT (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      atc_signal_plot_set_history (self, g_value_get_object (value));
      break;

    case PROP_SPAN:
      atc_signal_plot_set_span (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_signal_plot_class_init (AtcSignalPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atc_signal_plot_dispose;
  object_class->finalize = atc_signal_plot_finalize;
  object_class->get_property = atc_signal_plot_get_property;
  object_class->set_property = atc_signal_plot_set_property;

  widget_class->snapshot = atc_signal_plot_snapshot;
  widget_class->measure = atc_signal_plot_measure;
  widget_class->css_changed = atc_signal_plot_css_changed;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         ATC_TYPE_HISTORY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SPAN] =
    g_param_spec_int64 ("span", NULL, NULL,
                        G_USEC_PER_SEC, G_MAXINT64, DEFAULT_SPAN,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "signalplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
atc_signal_plot_init (AtcSignalPlot *self)
{
  self->span = DEFAULT_SPAN;
  self->buckets = g_array_new (FALSE, FALSE, sizeof (Bucket));
  atc_signal_plot_update_accessible (self);
}

GtkWidget *
atc_signal_plot_new (void)
{
  return g_object_new (ATC_TYPE_SIGNAL_PLOT, NULL);
}

AtcHistory *
atc_signal_plot_get_history (AtcSignalPlot *self)
{
  g_return_val_if_fail (ATC_IS_SIGNAL_PLOT (self), NULL);

  return self->history;
}

void
atc_signal_plot_set_history (AtcSignalPlot *self,
                             AtcHistory    *history)
{
  g_return_if_fail (ATC_IS_SIGNAL_PLOT (self));
  g_return_if_fail (history == NULL || ATC_IS_HISTORY (history));

  if (!g_set_object (&self->history, history))
    return;

  atc_signal_plot_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

gint64
atc_signal_plot_get_span (AtcSignalPlot *self)
{
  g_return_val_if_fail (ATC_IS_SIGNAL_PLOT (self), DEFAULT_SPAN);

  return self->span;
}

void
atc_signal_plot_set_span (AtcSignalPlot *self,
                          gint64         span)
{
  g_return_if_fail (ATC_IS_SIGNAL_PLOT (self));
  g_return_if_fail (span >= G_USEC_PER_SEC);

  if (self->span == span)
    return;

  self->span = span;
  atc_signal_plot_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPAN]);
}

void
atc_signal_plot_update (AtcSignalPlot *self)
{
  g_return_if_fail (ATC_IS_SIGNAL_PLOT (self));

  atc_signal_plot_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
atc_signal_plot_get_visible_stats (AtcSignalPlot  *self,
                                   AtcSignalStats *stats)
{
  const AtcSample *newest;

  g_return_val_if_fail (ATC_IS_SIGNAL_PLOT (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  newest = self->history != NULL ? atc_history_get_last (self->history) : NULL;
  if (newest == NULL)
    {
      *stats = (AtcSignalStats) { 0, };
      return FALSE;
    }

  return atc_history_get_stats_between (self->history, newest->time - self->span, newest->time, stats);
}

guint
atc_signal_plot_get_n_points (AtcSignalPlot *self)
{
  g_return_val_if_fail (ATC_IS_SIGNAL_PLOT (self), 0);

  return self->n_points;
}

guint
atc_signal_plot_get_n_segments (AtcSignalPlot *self)
{
  g_return_val_if_fail (ATC_IS_SIGNAL_PLOT (self), 0);

  return self->n_segments;
}
