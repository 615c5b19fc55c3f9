/* atc-command-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-command-group.h"

struct _AtcCommandGroup
{
  AdwPreferencesGroup  parent_instance;

  AtcModel            *model;
  const AtcCommand    *command;
  GPtrArray           *editors;
  GtkWidget           *warning;
  char                *heading;
  char                *at_name;
};

G_DEFINE_FINAL_TYPE (AtcCommandGroup, atc_command_group, ADW_TYPE_PREFERENCES_GROUP)

static void
atc_command_group_dispose (GObject *object)
{
  AtcCommandGroup *self = ATC_COMMAND_GROUP (object);

  g_clear_pointer (&self->editors, g_ptr_array_unref);

  G_OBJECT_CLASS (atc_command_group_parent_class)->dispose (object);
}

static void
atc_command_group_finalize (GObject *object)
{
  AtcCommandGroup *self = ATC_COMMAND_GROUP (object);

  g_clear_pointer (&self->heading, g_free);
  g_clear_pointer (&self->at_name, g_free);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (atc_command_group_parent_class)->finalize (object);
}

static void
atc_command_group_class_init (AtcCommandGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atc_command_group_dispose;
  object_class->finalize = atc_command_group_finalize;
}

static void
atc_command_group_init (AtcCommandGroup *self)
{
  self->editors = g_ptr_array_new_with_free_func (g_object_unref);
}

/* "Serial packing interval: silence that ends a packet." becomes the
 * heading "Serial packing interval" and the detail "silence that ends a
 * packet": headings stay short enough to read at a glance. */
static void
split_description (const char  *description,
                   char       **heading,
                   char       **detail)
{
  g_autofree char *text = g_strdup (description);
  gsize len = strlen (text);
  char *split;

  if (len > 0 && text[len - 1] == '.')
    text[len - 1] = '\0';

  split = strstr (text, ": ");
  if (split == NULL)
    split = strstr (text, "; ");

  if (split == NULL)
    {
      *heading = g_steal_pointer (&text);
      *detail = NULL;
      return;
    }

  *split = '\0';
  *heading = g_strdup (text);
  *detail = g_strdup (split + 2);
}

/* The group's heading label ellipsizes in libadwaita 1.2; a description
 * cut in the middle helps nobody, so let it wrap. */
static gboolean
wrap_label_with_text (GtkWidget  *widget,
                      const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), text) == 0)
        {
          gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_NONE);
          gtk_label_set_wrap (GTK_LABEL (child), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (child), PANGO_WRAP_WORD_CHAR);
          return TRUE;
        }
      if (wrap_label_with_text (child, text))
        return TRUE;
    }

  return FALSE;
}

GtkWidget *
atc_command_group_new (AtcModel         *model,
                       const AtcCommand *command)
{
  AtcCommandGroup *self;
  g_autofree char *title = NULL;
  g_autofree char *title_markup = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (ATC_IS_MODEL (model), NULL);
  g_return_val_if_fail (command != NULL, NULL);

  self = g_object_new (ATC_TYPE_COMMAND_GROUP, NULL);
  self->model = g_object_ref (model);
  self->command = command;

  /* The description says what it is for; the AT name is what the
   * technician meets in scripts and in the console. */
  split_description (command->description ? command->description : command->name, &title, &detail);
  /* Both are markup in libadwaita 1.2; catalog text is plain. */
  self->at_name = detail ? g_markup_printf_escaped ("AT+%s · %s", command->name, detail)
                         : g_markup_printf_escaped ("AT+%s", command->name);
  title_markup = g_markup_escape_text (title, -1);
  self->heading = g_strdup (title);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), title_markup);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), self->at_name);
  wrap_label_with_text (GTK_WIDGET (self), title_markup);
  gtk_widget_set_name (GTK_WIDGET (self), command->name);

  self->warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (self->warning, "warning");
  gtk_widget_set_valign (self->warning, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->warning, FALSE);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self), self->warning);

  for (guint i = 0; i < command->params->len; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);
      AtcParamEditor *editor = atc_param_editor_new (model, command, param);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), atc_param_editor_get_row (editor));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), atc_param_editor_get_hint_row (editor));
      g_ptr_array_add (self->editors, editor);
    }

  return GTK_WIDGET (self);
}

const AtcCommand *
atc_command_group_get_command (AtcCommandGroup *self)
{
  g_return_val_if_fail (ATC_IS_COMMAND_GROUP (self), NULL);

  return self->command;
}

const char *
atc_command_group_get_heading (AtcCommandGroup *self)
{
  g_return_val_if_fail (ATC_IS_COMMAND_GROUP (self), NULL);

  return self->heading;
}

GPtrArray *
atc_command_group_get_editors (AtcCommandGroup *self)
{
  g_return_val_if_fail (ATC_IS_COMMAND_GROUP (self), NULL);

  return self->editors;
}

AtcParamEditor *
atc_command_group_get_editor (AtcCommandGroup *self,
                              const char      *param)
{
  g_return_val_if_fail (ATC_IS_COMMAND_GROUP (self), NULL);

  for (guint i = 0; i < self->editors->len; i++)
    {
      AtcParamEditor *editor = g_ptr_array_index (self->editors, i);

      if (g_str_equal (atc_param_editor_get_param (editor)->name, param))
        return editor;
    }

  return NULL;
}

void
atc_command_group_set_read_error (AtcCommandGroup *self,
                                  const GError    *error)
{
  g_autofree char *message = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *description = NULL;
  gsize len;

  g_return_if_fail (ATC_IS_COMMAND_GROUP (self));

  gtk_widget_set_visible (self->warning, error != NULL);

  if (error == NULL)
    {
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), self->at_name);
      gtk_widget_set_tooltip_text (self->warning, NULL);
      return;
    }

  /* The values shown are catalog defaults, not the unit's: say so where
   * the technician looks at them. */
  /* Messages end with a full stop; this one goes on. */
  message = g_strdup (error->message);
  len = strlen (message);
  if (len > 0 && message[len - 1] == '.')
    message[len - 1] = '\0';
  problem = g_markup_printf_escaped (_("Could not be read: %s. The values shown are "
                                       "defaults; read the unit again before writing."),
                                     message);
  description = g_strconcat (self->at_name, " · ", problem, NULL);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), description);
  gtk_widget_set_tooltip_text (self->warning, error->message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->warning),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not Read"),
                                  -1);
}
