/* atc-provision-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-catalog.h"
#include "atc-provision-row.h"

struct _AtcProvisionRow
{
  GtkListBoxRow       parent_instance;

  AtcProvisionResult  result;
  guint               pulse;       /* tick callback id */
  gint64              last_pulse;

  /* template children */
  GtkStack           *state_stack;
  GtkSpinner         *spinner;
  GtkLabel           *address_label;
  GtkLabel           *identity_label;
  GtkLabel           *detail_label;
  GtkProgressBar     *progress;
};

G_DEFINE_FINAL_TYPE (AtcProvisionRow, atc_provision_row, GTK_TYPE_LIST_BOX_ROW)

static void
atc_provision_row_stop_pulse (AtcProvisionRow *self)
{
  if (self->pulse != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->progress), self->pulse);
  self->pulse = 0;
}

static gboolean
pulse_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  AtcProvisionRow *self = user_data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  /* On the frame clock, so the bar moves with each frame drawn and stops
   * when nobody sees it. */
  if (now - self->last_pulse >= 150 * G_TIME_SPAN_MILLISECOND)
    {
      gtk_progress_bar_pulse (GTK_PROGRESS_BAR (widget));
      self->last_pulse = now;
    }

  return G_SOURCE_CONTINUE;
}

/* Steps without a count (connecting, restarting) still show life. */
static void
atc_provision_row_start_pulse (AtcProvisionRow *self)
{
  if (self->pulse == 0)
    self->pulse = gtk_widget_add_tick_callback (GTK_WIDGET (self->progress), pulse_tick_cb, self, NULL);
}

static void
atc_provision_row_set_detail (AtcProvisionRow *self,
                              const char      *text)
{
  gtk_label_set_text (self->detail_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

GtkWidget *
atc_provision_row_new (const char *address)
{
  AtcProvisionRow *self = g_object_new (ATC_TYPE_PROVISION_ROW, NULL);

  gtk_label_set_text (self->address_label, address);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, address, -1);
  atc_provision_row_set_detail (self, _("Waiting"));

  return GTK_WIDGET (self);
}

void
atc_provision_row_set_started (AtcProvisionRow *self)
{
  g_return_if_fail (ATC_IS_PROVISION_ROW (self));

  gtk_stack_set_visible_child_name (self->state_stack, "running");
  gtk_spinner_start (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
  atc_provision_row_start_pulse (self);
  atc_provision_row_set_detail (self, _("Connecting and identifying the unit…"));
}

void
atc_provision_row_set_progress (AtcProvisionRow *self,
                                AtcApplyPhase    phase,
                                const char      *command,
                                guint            done,
                                guint            total)
{
  g_autofree char *text = NULL;
  gboolean counted = total > 0 && phase != ATC_APPLY_PHASE_RESTART;

  g_return_if_fail (ATC_IS_PROVISION_ROW (self));

  switch (phase)
    {
    case ATC_APPLY_PHASE_READ:
      text = g_strdup (_("Reading the unit’s settings…"));
      break;
    case ATC_APPLY_PHASE_SET:
      /* Translators: "Writing UART (2 of 5)…" */
      text = command ? g_strdup_printf (_("Writing %s (%u of %u)…"), command, MIN (done + 1, total), total)
                     : g_strdup (_("Writing the settings…"));
      break;
    case ATC_APPLY_PHASE_VERIFY:
      text = command ? g_strdup_printf (_("Checking %s (%u of %u)…"), command, MIN (done + 1, total), total)
                     : g_strdup (_("Checking the settings…"));
      break;
    case ATC_APPLY_PHASE_RESTART:
      text = g_strdup (_("Restarting the unit…"));
      break;
    case ATC_APPLY_PHASE_VERIFY_RESTART:
      text = g_strdup (_("Checking the settings after the restart…"));
      break;
    case ATC_APPLY_PHASE_DONE:
    default:
      text = g_strdup (_("Finishing…"));
      break;
    }
  atc_provision_row_set_detail (self, text);

  if (counted)
    {
      atc_provision_row_stop_pulse (self);
      gtk_progress_bar_set_fraction (self->progress, (double) MIN (done, total) / total);
    }
  else
    atc_provision_row_start_pulse (self);
}

static char *
identity_text (const AtcProvisionEntry *entry)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  AtcModel *model = entry->model ? atc_catalog_lookup (atc_catalog_get_default (), entry->model) : NULL;
  char *text;

  if (model != NULL)
    g_ptr_array_add (parts, g_strdup (atc_model_get_name (model)));
  else if (entry->model != NULL)
    g_ptr_array_add (parts, g_strdup (entry->model));
  if (entry->firmware != NULL)
    g_ptr_array_add (parts, g_strdup (entry->firmware));
  if (entry->sn != NULL)
    /* Translators: serial number, as printed on the unit's label */
    g_ptr_array_add (parts, g_strdup_printf (_("SN %s"), entry->sn));
  if (entry->imei != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("IMEI %s"), entry->imei));
  if (entry->mac != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("MAC %s"), entry->mac));
  g_ptr_array_add (parts, NULL);

  text = g_strjoinv (" · ", (char **) parts->pdata);
  g_ptr_array_unref (parts);

  return text;
}

void
atc_provision_row_set_finished (AtcProvisionRow         *self,
                                const AtcProvisionEntry *entry)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *identity = NULL;

  g_return_if_fail (ATC_IS_PROVISION_ROW (self));
  g_return_if_fail (entry != NULL);

  self->result = entry->result;
  atc_provision_row_stop_pulse (self);
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);

  identity = identity_text (entry);
  gtk_label_set_text (self->identity_label, identity);
  gtk_widget_set_visible (GTK_WIDGET (self->identity_label), identity[0] != '\0');

  switch (entry->result)
    {
    case ATC_PROVISION_OK:
      gtk_stack_set_visible_child_name (self->state_stack, "ok");
      if (entry->settings_changed == 0)
        g_string_append (detail, _("Already as the profile says; nothing written"));
      else
        g_string_append_printf (detail,
                                ngettext ("%u setting changed", "%u settings changed",
                                          entry->settings_changed),
                                entry->settings_changed);
      break;

    case ATC_PROVISION_PARTIAL:
      gtk_stack_set_visible_child_name (self->state_stack, "partial");
      g_string_append_printf (detail,
                              ngettext ("Only partly provisioned: %u setting changed, not all. "
                                        "Provision it again.",
                                        "Only partly provisioned: %u settings changed, not all. "
                                        "Provision it again.",
                                        entry->settings_changed),
                              entry->settings_changed);
      break;

    case ATC_PROVISION_FAILED:
    case ATC_PROVISION_PENDING:
    default:
      gtk_stack_set_visible_child_name (self->state_stack, "failed");
      if (entry->errors->len == 0)
        g_string_append (detail, _("Not provisioned"));
      break;
    }

  /* Every error, in the order it happened: the first is usually the cause. */
  for (guint i = 0; i < entry->errors->len; i++)
    {
      if (detail->len > 0)
        g_string_append_c (detail, '\n');
      g_string_append (detail, g_ptr_array_index (entry->errors, i));
    }

  atc_provision_row_set_detail (self, detail->str);
  if (entry->result == ATC_PROVISION_OK)
    gtk_widget_remove_css_class (GTK_WIDGET (self->detail_label), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->detail_label), "error");
}

AtcProvisionResult
atc_provision_row_get_result (AtcProvisionRow *self)
{
  g_return_val_if_fail (ATC_IS_PROVISION_ROW (self), ATC_PROVISION_PENDING);

  return self->result;
}

const char *
atc_provision_row_get_detail (AtcProvisionRow *self)
{
  g_return_val_if_fail (ATC_IS_PROVISION_ROW (self), NULL);

  return gtk_label_get_text (self->detail_label);
}

static void
atc_provision_row_dispose (GObject *object)
{
  AtcProvisionRow *self = ATC_PROVISION_ROW (object);

  atc_provision_row_stop_pulse (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), ATC_TYPE_PROVISION_ROW);

  G_OBJECT_CLASS (atc_provision_row_parent_class)->dispose (object);
}

static void
atc_provision_row_class_init (AtcProvisionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atc_provision_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-provision-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionRow, address_label);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionRow, identity_label);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, AtcProvisionRow, progress);
}

static void
atc_provision_row_init (AtcProvisionRow *self)
{
  self->result = ATC_PROVISION_PENDING;
  gtk_widget_init_template (GTK_WIDGET (self));
}
