/* atc-param-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "atc-codec.h"
#include "atc-config.h"
#include "atc-param-editor.h"

typedef enum {
  EDITOR_SWITCH,
  EDITOR_COMBO,
  EDITOR_SPIN,
  EDITOR_ENTRY,
  EDITOR_PASSWORD,
} EditorKind;

struct _AtcParamEditor
{
  GObject           parent_instance;

  AtcModel         *model;
  const AtcCommand *command;
  const AtcParam   *param;
  EditorKind        kind;
  gboolean          one_line;   /* shown with \r \n escapes */
  const char       *on_word;    /* EDITOR_SWITCH: the catalog's spelling */
  const char       *off_word;

  GtkWidget        *row;
  GtkWidget        *field;      /* switch, spin button, or the row itself */
  GtkWidget        *undo_button;
  GtkWidget        *hint_row;
  GtkWidget        *hint_icon;
  GtkLabel         *hint_label;

  char             *value;      /* what the field shows, readable */
  char             *hint;       /* description, default and rules */
  char             *problem;
  gboolean          changed;
  gboolean          syncing;    /* the page is setting the value */
};

G_DEFINE_FINAL_TYPE (AtcParamEditor, atc_param_editor, G_TYPE_OBJECT)

enum {
  EDITED,
  UNDO,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One-line text */

static gboolean
starts_escape (char c)
{
  return c == 'r' || c == 'n' || c == 't' || c == 'x' || c == '\\';
}

char *
atc_param_editor_format_line (const char *value)
{
  GString *text;

  g_return_val_if_fail (value != NULL, NULL);

  text = g_string_sized_new (strlen (value));
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '\r')
        g_string_append (text, "\\r");
      else if (c == '\n')
        g_string_append (text, "\\n");
      else if (c == '\t')
        g_string_append (text, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (text, "\\x%02X", c);
      /* Only a backslash that would read as an escape needs doubling, so
       * "C:\data" stays as typed. */
      else if (c == '\\' && starts_escape (p[1]))
        g_string_append (text, "\\\\");
      else
        g_string_append_c (text, c);
    }

  return g_string_free (text, FALSE);
}

char *
atc_param_editor_parse_line (const char *text)
{
  GString *value;

  g_return_val_if_fail (text != NULL, NULL);

  value = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p != '\\')
        {
          g_string_append_c (value, *p);
          continue;
        }

      switch (p[1])
        {
        case 'r':  g_string_append_c (value, '\r'); p++; break;
        case 'n':  g_string_append_c (value, '\n'); p++; break;
        case 't':  g_string_append_c (value, '\t'); p++; break;
        case '\\': g_string_append_c (value, '\\'); p++; break;
        case 'x':
          if (g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3]) &&
              (g_ascii_xdigit_value (p[2]) | g_ascii_xdigit_value (p[3])) != 0)
            {
              g_string_append_c (value, (char) (g_ascii_xdigit_value (p[2]) * 16 +
                                                g_ascii_xdigit_value (p[3])));
              p += 3;
              break;
            }
          G_GNUC_FALLTHROUGH;
        default:
          /* Not an escape: the backslash is text. */
          g_string_append_c (value, '\\');
        }
    }

  return g_string_free (value, FALSE);
}

/* Hints */

static const char *
choice_label (const AtcParam *param,
              const char     *word)
{
  const char *label = atc_param_get_choice_label (param, word);

  return label ? label : word;
}

static gboolean
is_on_off (const AtcParam *param)
{
  return param->type == ATC_PARAM_ENUM &&
         g_strv_length (param->choices) == 2 &&
         ((g_ascii_strcasecmp (param->choices[0], "ON") == 0 &&
           g_ascii_strcasecmp (param->choices[1], "OFF") == 0) ||
          (g_ascii_strcasecmp (param->choices[0], "OFF") == 0 &&
           g_ascii_strcasecmp (param->choices[1], "ON") == 0));
}

static gboolean
is_text (const AtcParam *param)
{
  return param->type == ATC_PARAM_STRING || param->type == ATC_PARAM_HEX ||
         param->type == ATC_PARAM_HOST || param->type == ATC_PARAM_IPV4 ||
         param->type == ATC_PARAM_MAC;
}

static char *
with_unit (const AtcParam *param,
           const char     *number)
{
  return param->unit ? g_strdup_printf ("%s %s", number, param->unit) : g_strdup (number);
}

/* "www.usr.cn" for hex that is printable text, else NULL. */
static char *
hex_as_text (const char *hex)
{
  g_autoptr(GBytes) bytes = NULL;
  const guchar *data;
  gsize len;

  if (hex == NULL || hex[0] == '\0' || (bytes = atc_hex_decode (hex, NULL)) == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &len);
  for (gsize i = 0; i < len; i++)
    if (data[i] < 0x20 || data[i] >= 0x7f)
      return NULL;

  return g_strndup ((const char *) data, len);
}

static char *
describe_default (const AtcParam *param)
{
  const char *value = param->default_value;

  /* A factory password is still a password. */
  if (value == NULL || param->secret)
    return NULL;

  switch (param->type)
    {
    case ATC_PARAM_ENUM:
      {
        g_autofree char *label = with_unit (param, choice_label (param, value));

        return g_strdup_printf (_("Default: %s."), label);
      }

    case ATC_PARAM_INT:
    case ATC_PARAM_PORT:
      {
        g_autofree char *number = with_unit (param, value);

        return g_strdup_printf (_("Default: %s."), number);
      }

    case ATC_PARAM_HEX:
      {
        g_autofree char *text = hex_as_text (value);

        if (text != NULL)
          return g_strdup_printf (_("Default: %s (“%s”)."), value, text);
        return g_strdup_printf (_("Default: %s."), value);
      }

    case ATC_PARAM_STRING:
    case ATC_PARAM_HOST:
    case ATC_PARAM_IPV4:
    case ATC_PARAM_MAC:
    default:
      {
        g_autofree char *line = NULL;

        if (value[0] == '\0')
          return g_strdup (_("Empty by default."));
        line = atc_param_editor_format_line (value);
        return g_strdup_printf (_("Default: “%s”."), line);
      }
    }
}

static char *
describe_rules (const AtcParam *param)
{
  switch (param->type)
    {
    case ATC_PARAM_INT:
    case ATC_PARAM_PORT:
      {
        g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, param->min);
        g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, param->max);
        g_autofree char *max = with_unit (param, number);

        return g_strdup_printf (_("From %s to %s."), min, max);
      }

    case ATC_PARAM_STRING:
      {
        const char *unit = param->ascii_only ? _("characters") : _("bytes");

        if (param->min == 0)
          return g_strdup_printf (_("Up to %" PRId64 " %s."), param->max, unit);
        if (param->min == param->max)
          return g_strdup_printf (_("Exactly %" PRId64 " %s."), param->max, unit);
        return g_strdup_printf (_("%" PRId64 " to %" PRId64 " %s."),
                                param->min, param->max, unit);
      }

    case ATC_PARAM_HEX:
      return g_strdup_printf (_("%" PRId64 " to %" PRId64
                                " hex digits, two per byte."),
                              param->min, param->max);

    case ATC_PARAM_MAC:
      /* The catalog's description often says it already. */
      if (param->description != NULL && strstr (param->description, "hex digits") != NULL)
        return NULL;
      return g_strdup (_("12 hex digits; the first byte must be even."));

    case ATC_PARAM_IPV4:
      return g_strdup (_("Four numbers from 0 to 255, such as 192.168.0.7."));

    case ATC_PARAM_HOST:
    case ATC_PARAM_ENUM:
    default:
      return NULL;
    }
}

static char *
build_hint (AtcParamEditor *self)
{
  const AtcParam *param = self->param;
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  g_autofree char *default_text = describe_default (param);
  g_autofree char *rules = describe_rules (param);

  if (param->description != NULL)
    g_strv_builder_add (parts, param->description);
  if (default_text != NULL)
    g_strv_builder_add (parts, default_text);
  if (rules != NULL)
    g_strv_builder_add (parts, rules);
  if (self->one_line)
    g_strv_builder_add (parts, _("Write \\r\\n for a line break."));

  strv = g_strv_builder_end (parts);
  return g_strjoinv (" ", strv);
}

/* Showing state */

static void
update_hint (AtcParamEditor *self)
{
  gboolean invalid = self->problem != NULL;
  /* Text fields have no subtitle: their hint row is always there. The
   * others show it only to say what is wrong. */
  gboolean always = self->kind == EDITOR_ENTRY || self->kind == EDITOR_PASSWORD;

  gtk_label_set_text (self->hint_label, invalid ? self->problem : self->hint);
  gtk_widget_set_visible (self->hint_icon, invalid);
  gtk_widget_set_visible (self->hint_row, invalid || always);

  if (invalid)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "error");
      gtk_widget_add_css_class (self->field, "error");
      gtk_widget_set_tooltip_text (self->field, self->problem);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->field),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->field),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->problem,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "dim-label");
      gtk_widget_remove_css_class (self->field, "error");
      gtk_widget_set_tooltip_text (self->field, NULL);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->field), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->field),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->hint,
                                      -1);
    }
}

/* User edits */

static void
emit_edited (AtcParamEditor *self,
             const char     *value)
{
  /* A spin button formats its text again when it is first shown: that
   * is no edit. */
  if (self->syncing || g_strcmp0 (self->value, value) == 0)
    return;

  g_free (self->value);
  self->value = g_strdup (value);
  g_signal_emit (self, signals[EDITED], 0, value);
}

static void
switch_active_cb (AtcParamEditor *self)
{
  emit_edited (self, gtk_switch_get_active (GTK_SWITCH (self->field)) ? self->on_word : self->off_word);
}

static void
combo_selected_cb (AtcParamEditor *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->row));

  if (selected < g_strv_length (self->param->choices))
    emit_edited (self, self->param->choices[selected]);
}

static void
text_changed_cb (AtcParamEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->field));

  if (self->one_line)
    {
      g_autofree char *value = atc_param_editor_parse_line (text);

      emit_edited (self, value);
    }
  else
    emit_edited (self, text);
}

static void
undo_clicked_cb (AtcParamEditor *self)
{
  g_signal_emit (self, signals[UNDO], 0);
}

/* Building */

static GtkWidget *
new_undo_button (AtcParamEditor *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-undo-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_visible (button, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Undo Change"),
                                  -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (undo_clicked_cb), self, G_CONNECT_SWAPPED);

  return button;
}

static void
build_switch (AtcParamEditor *self)
{
  self->row = adw_action_row_new ();
  self->field = gtk_switch_new ();
  gtk_widget_set_valign (self->field, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->field),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->param->label,
                                  -1);

  for (guint i = 0; self->param->choices[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->param->choices[i], "ON") == 0)
        self->on_word = self->param->choices[i];
      else
        self->off_word = self->param->choices[i];
    }

  adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->undo_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->field);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self->row), self->field);
  g_signal_connect_object (self->field, "notify::active", G_CALLBACK (switch_active_cb), self, G_CONNECT_SWAPPED);
}

static void
build_combo (AtcParamEditor *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; self->param->choices[i] != NULL; i++)
    {
      g_autofree char *label = with_unit (self->param, choice_label (self->param, self->param->choices[i]));

      gtk_string_list_append (labels, label);
    }

  self->row = adw_combo_row_new ();
  self->field = self->row;
  adw_combo_row_set_model (ADW_COMBO_ROW (self->row), G_LIST_MODEL (labels));
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->undo_button);
  g_signal_connect_object (self->row, "notify::selected", G_CALLBACK (combo_selected_cb), self, G_CONNECT_SWAPPED);
}

static void
build_spin (AtcParamEditor *self)
{
  GtkAdjustment *adjustment;
  guint digits = 1;

  for (gint64 n = MAX (ABS (self->param->max), 1); n >= 10; n /= 10)
    digits++;

  /* The range is wider than the catalog's on purpose: a number typed out
   * of range stays as typed and says why, instead of being silently
   * clamped to something the technician did not choose. */
  adjustment = gtk_adjustment_new (self->param->min,
                                   MIN (self->param->min, 0), G_MAXINT32,
                                   1, 10, 0);
  self->row = adw_action_row_new ();
  self->field = gtk_spin_button_new (adjustment, 1, 0);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->field), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->field), MAX (digits, 3));
  gtk_widget_set_valign (self->field, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->field),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->param->label,
                                  -1);

  adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->undo_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->field);
  if (self->param->unit != NULL)
    {
      GtkWidget *unit = gtk_label_new (self->param->unit);

      gtk_widget_add_css_class (unit, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), unit);
    }
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self->row), self->field);
  g_signal_connect_object (self->field, "changed", G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
build_entry (AtcParamEditor *self)
{
  if (self->param->secret)
    {
      self->kind = EDITOR_PASSWORD;
      self->row = adw_password_entry_row_new ();
    }
  else
    {
      self->row = adw_entry_row_new ();
      if (self->param->type == ATC_PARAM_HOST)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (self->row), GTK_INPUT_PURPOSE_URL);
      /* Host names, hex and addresses are not words to correct. */
      if (self->param->type != ATC_PARAM_STRING)
        adw_entry_row_set_input_hints (ADW_ENTRY_ROW (self->row),
                                       GTK_INPUT_HINT_NO_SPELLCHECK | GTK_INPUT_HINT_NO_EMOJI);
    }

  self->field = self->row;
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->row), self->undo_button);
  g_signal_connect_object (self->row, "changed", G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
build_hint_row (AtcParamEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->hint_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (self->hint_icon, "error");
  gtk_widget_set_valign (self->hint_icon, GTK_ALIGN_START);

  self->hint_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->hint_label, TRUE);
  gtk_label_set_wrap_mode (self->hint_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (self->hint_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->hint_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "caption");

  gtk_box_append (GTK_BOX (box), self->hint_icon);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->hint_label));
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 8);

  self->hint_row = adw_preferences_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->hint_row), self->param->label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self->hint_row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->hint_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self->hint_row), FALSE);
  gtk_widget_set_focusable (self->hint_row, FALSE);
  gtk_widget_add_css_class (self->hint_row, "param-hint");
}

static void
atc_param_editor_build (AtcParamEditor *self)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", self->command->name, self->param->name);

  self->one_line = is_text (self->param) && self->param->escape != ATC_ESCAPE_NONE &&
                   (self->param->escape == ATC_ESCAPE_CRLF_TOKEN ||
                    (self->param->default_value != NULL &&
                     strpbrk (self->param->default_value, "\r\n") != NULL));
  self->hint = build_hint (self);
  self->undo_button = new_undo_button (self);

  if (is_on_off (self->param))
    {
      self->kind = EDITOR_SWITCH;
      build_switch (self);
    }
  else if (self->param->type == ATC_PARAM_ENUM)
    {
      self->kind = EDITOR_COMBO;
      build_combo (self);
    }
  else if (self->param->type == ATC_PARAM_INT || self->param->type == ATC_PARAM_PORT)
    {
      self->kind = EDITOR_SPIN;
      build_spin (self);
    }
  else
    {
      self->kind = EDITOR_ENTRY;
      build_entry (self);
    }

  /* Catalog text is plain text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), self->param->label);
  if (ADW_IS_ACTION_ROW (self->row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->row), self->hint);
  gtk_widget_set_name (self->row, name);

  g_object_ref_sink (self->row);
  build_hint_row (self);
  g_object_ref_sink (self->hint_row);
  update_hint (self);
}

/* GObject */

static void
atc_param_editor_dispose (GObject *object)
{
  AtcParamEditor *self = ATC_PARAM_EDITOR (object);

  g_clear_object (&self->row);
  g_clear_object (&self->hint_row);

  G_OBJECT_CLASS (atc_param_editor_parent_class)->dispose (object);
}

static void
atc_param_editor_finalize (GObject *object)
{
  AtcParamEditor *self = ATC_PARAM_EDITOR (object);

  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->hint, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (atc_param_editor_parent_class)->finalize (object);
}

static void
atc_param_editor_class_init (AtcParamEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atc_param_editor_dispose;
  object_class->finalize = atc_param_editor_finalize;

  /**
   * AtcParamEditor::edited:
   * @value: the readable value the technician entered
   */
  signals[EDITED] =
    g_signal_new ("edited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * AtcParamEditor::undo:
   *
   * The technician asked for the unit's value back.
   */
  signals[UNDO] =
    g_signal_new ("undo", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atc_param_editor_init (AtcParamEditor *self)
{
}

AtcParamEditor *
atc_param_editor_new (AtcModel         *model,
                      const AtcCommand *command,
                      const AtcParam   *param)
{
  AtcParamEditor *self;

  g_return_val_if_fail (ATC_IS_MODEL (model), NULL);
  g_return_val_if_fail (command != NULL, NULL);
  g_return_val_if_fail (param != NULL, NULL);

  self = g_object_new (ATC_TYPE_PARAM_EDITOR, NULL);
  self->model = g_object_ref (model);
  self->command = command;
  self->param = param;
  atc_param_editor_build (self);

  return self;
}

const AtcCommand *
atc_param_editor_get_command (AtcParamEditor *self)
{
  g_return_val_if_fail (ATC_IS_PARAM_EDITOR (self), NULL);

  return self->command;
}

const AtcParam *
atc_param_editor_get_param (AtcParamEditor *self)
{
  g_return_val_if_fail (ATC_IS_PARAM_EDITOR (self), NULL);

  return self->param;
}

GtkWidget *
atc_param_editor_get_row (AtcParamEditor *self)
{
  g_return_val_if_fail (ATC_IS_PARAM_EDITOR (self), NULL);

  return self->row;
}

GtkWidget *
atc_param_editor_get_hint_row (AtcParamEditor *self)
{
  g_return_val_if_fail (ATC_IS_PARAM_EDITOR (self), NULL);

  return self->hint_row;
}

static void
set_text_keeping_cursor (GtkEditable *editable,
                         const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (editable), text) == 0)
    return;

  gtk_editable_set_text (editable, text);
  gtk_editable_set_position (editable, -1);
}

void
atc_param_editor_set_value (AtcParamEditor *self,
                            const char     *value)
{
  g_return_if_fail (ATC_IS_PARAM_EDITOR (self));

  g_free (self->value);
  self->value = g_strdup (value);
  self->syncing = TRUE;

  switch (self->kind)
    {
    case EDITOR_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (self->field),
                             value != NULL && g_ascii_strcasecmp (value, self->on_word) == 0);
      break;

    case EDITOR_COMBO:
      {
        guint selected = GTK_INVALID_LIST_POSITION;

        for (guint i = 0; value != NULL && self->param->choices[i] != NULL; i++)
          if (g_ascii_strcasecmp (self->param->choices[i], value) == 0)
            selected = i;
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->row), selected);
      }
      break;

    case EDITOR_SPIN:
      /* Set as text, so a value that is not a number shows as it is. */
      if (value != NULL && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->field)), value) != 0)
        {
          char *end = NULL;
          double number = g_ascii_strtod (value, &end);

          if (end != value && *end == '\0')
            gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->field), number);
          gtk_editable_set_text (GTK_EDITABLE (self->field), value);
        }
      break;

    case EDITOR_ENTRY:
    case EDITOR_PASSWORD:
    default:
      if (value == NULL)
        set_text_keeping_cursor (GTK_EDITABLE (self->field), "");
      else if (self->one_line)
        {
          g_autofree char *line = atc_param_editor_format_line (value);

          /* Typing "\" before "r" passes through text that parses to the
           * same value; leave it alone. */
          g_autofree char *current = atc_param_editor_parse_line (gtk_editable_get_text (GTK_EDITABLE (self->field)));

          if (g_strcmp0 (current, value) != 0)
            set_text_keeping_cursor (GTK_EDITABLE (self->field), line);
        }
      else
        set_text_keeping_cursor (GTK_EDITABLE (self->field), value);
      break;
    }

  self->syncing = FALSE;
}

void
atc_param_editor_set_problem (AtcParamEditor *self,
                              const char     *problem)
{
  g_return_if_fail (ATC_IS_PARAM_EDITOR (self));

  if (g_strcmp0 (self->problem, problem) == 0)
    return;

  g_free (self->problem);
  self->problem = g_strdup (problem);
  update_hint (self);
}

const char *
atc_param_editor_get_problem (AtcParamEditor *self)
{
  g_return_val_if_fail (ATC_IS_PARAM_EDITOR (self), NULL);

  return self->problem;
}

void
atc_param_editor_set_changed (AtcParamEditor *self,
                              gboolean        changed,
                              const char     *baseline,
                              gboolean        baseline_is_unit)
{
  g_autofree char *tooltip = NULL;

  g_return_if_fail (ATC_IS_PARAM_EDITOR (self));

  self->changed = changed;
  gtk_widget_set_visible (self->undo_button, changed);

  if (changed)
    {
      gtk_widget_add_css_class (self->row, "changed-row");
      gtk_widget_add_css_class (self->hint_row, "changed-row");
    }
  else
    {
      gtk_widget_remove_css_class (self->row, "changed-row");
      gtk_widget_remove_css_class (self->hint_row, "changed-row");
    }

  if (!changed)
    return;

  if (baseline == NULL || self->param->secret)
    tooltip = g_strdup (baseline_is_unit ? _("Restore the Unit’s Value") : _("Restore the Default"));
  else
    {
      g_autofree char *shown = NULL;

      if (self->param->type == ATC_PARAM_ENUM)
        shown = with_unit (self->param, choice_label (self->param, baseline));
      else if (self->param->type == ATC_PARAM_INT || self->param->type == ATC_PARAM_PORT)
        shown = with_unit (self->param, baseline);
      else
        shown = atc_param_editor_format_line (baseline);

      tooltip = baseline_is_unit
                  ? g_strdup_printf (_("Restore the Unit’s Value (%s)"), shown)
                  : g_strdup_printf (_("Restore the Default (%s)"), shown);
    }
  gtk_widget_set_tooltip_text (self->undo_button, tooltip);
}

gboolean
atc_param_editor_get_changed (AtcParamEditor *self)
{
  g_return_val_if_fail (ATC_IS_PARAM_EDITOR (self), FALSE);

  return self->changed;
}

void
atc_param_editor_focus (AtcParamEditor *self)
{
  g_return_if_fail (ATC_IS_PARAM_EDITOR (self));

  gtk_widget_grab_focus (self->field);
}
