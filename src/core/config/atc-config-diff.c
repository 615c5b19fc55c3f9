/* atc-config-diff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "atc-config-diff.h"
#include "atc-config-private.h"

struct _AtcConfigDiff
{
  GObject    parent_instance;

  AtcModel  *model;
  GPtrArray *changes;   /* AtcConfigChange* */
  GPtrArray *commands;  /* const AtcCommand* */
};

G_DEFINE_FINAL_TYPE (AtcConfigDiff, atc_config_diff, G_TYPE_OBJECT)

static void
change_free (gpointer data)
{
  AtcConfigChange *change = data;

  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

static void
atc_config_diff_finalize (GObject *object)
{
  AtcConfigDiff *self = ATC_CONFIG_DIFF (object);

  g_clear_pointer (&self->changes, g_ptr_array_unref);
  g_clear_pointer (&self->commands, g_ptr_array_unref);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (atc_config_diff_parent_class)->finalize (object);
}

static void
atc_config_diff_class_init (AtcConfigDiffClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atc_config_diff_finalize;
}

static void
atc_config_diff_init (AtcConfigDiff *self)
{
  self->changes = g_ptr_array_new_with_free_func (change_free);
  self->commands = g_ptr_array_new ();
}

int
atc_config_command_apply_rank (const AtcCommand *command)
{
  gsize len = strlen (command->name);

  /* The document's workflow: the work mode decides which of the other
   * settings take effect, so it goes last. */
  if (g_str_equal (command->name, "WKMOD"))
    return 2;

  /* SOCKAEN, REGEN, HEARTEN, RFCEN: switch a feature on only once the
   * settings it uses are in place, so a half-applied profile never leaves
   * a feature running on stale settings. */
  if (len > 2 && g_str_has_suffix (command->name, "EN") &&
      command->params->len == 1 &&
      ((const AtcParam *) g_ptr_array_index (command->params, 0))->type == ATC_PARAM_ENUM)
    return 1;

  return 0;
}

static gboolean
is_explicit (AtcValueSource source)
{
  return source == ATC_VALUE_SOURCE_EDITED || source == ATC_VALUE_SOURCE_PROFILE;
}

AtcConfigDiff *
atc_config_diff_new (AtcConfig *from,
                     AtcConfig *to)
{
  AtcConfigDiff *self;
  GPtrArray *commands;

  g_return_val_if_fail (ATC_IS_CONFIG (from), NULL);
  g_return_val_if_fail (ATC_IS_CONFIG (to), NULL);
  g_return_val_if_fail (atc_config_get_model (from) == atc_config_get_model (to), NULL);

  self = g_object_new (ATC_TYPE_CONFIG_DIFF, NULL);
  self->model = g_object_ref (atc_config_get_model (to));

  commands = atc_config_get_commands (to);
  for (int rank = 0; rank <= 2; rank++)
    {
      for (guint i = 0; i < commands->len; i++)
        {
          const AtcCommand *command = g_ptr_array_index (commands, i);
          gboolean unread = atc_config_get_read_error (from, command->name) != NULL;
          gboolean any = FALSE;

          if (atc_config_command_apply_rank (command) != rank)
            continue;

          for (guint j = 0; j < command->params->len; j++)
            {
              const AtcParam *param = g_ptr_array_index (command->params, j);
              const char *old_value = atc_config_get_value (from, command->name, param->name);
              const char *new_value = atc_config_get_value (to, command->name, param->name);
              AtcValueSource source = atc_config_get_source (to, command->name, param->name);
              AtcConfigChange *change;

              if (new_value == NULL)
                continue;

              /* What `from` shows for an unread command is the catalog
               * default, not the unit's value: only what the user asked
               * for counts, and the old value is unknown. */
              if (unread ? !is_explicit (source) : g_strcmp0 (old_value, new_value) == 0)
                continue;

              change = g_new0 (AtcConfigChange, 1);
              change->command = command;
              change->param = param;
              change->old_value = unread ? NULL : g_strdup (old_value);
              change->new_value = g_strdup (new_value);
              g_ptr_array_add (self->changes, change);
              any = TRUE;
            }

          if (any)
            g_ptr_array_add (self->commands, (gpointer) command);
        }
    }

  return self;
}

AtcModel *
atc_config_diff_get_model (AtcConfigDiff *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG_DIFF (self), NULL);

  return self->model;
}

gboolean
atc_config_diff_is_empty (AtcConfigDiff *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG_DIFF (self), TRUE);

  return self->changes->len == 0;
}

GPtrArray *
atc_config_diff_get_changes (AtcConfigDiff *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG_DIFF (self), NULL);

  return self->changes;
}

GPtrArray *
atc_config_diff_get_commands (AtcConfigDiff *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG_DIFF (self), NULL);

  return self->commands;
}

GPtrArray *
atc_config_diff_get_command_changes (AtcConfigDiff *self,
                                     const char    *command)
{
  GPtrArray *result;

  g_return_val_if_fail (ATC_IS_CONFIG_DIFF (self), NULL);

  result = g_ptr_array_new ();
  for (guint i = 0; i < self->changes->len; i++)
    {
      AtcConfigChange *change = g_ptr_array_index (self->changes, i);

      if (g_str_equal (change->command->name, command))
        g_ptr_array_add (result, change);
    }

  return result;
}

static char *
shown_value (const AtcParam *param,
             const char     *value,
             gboolean        with_secrets)
{
  if (value == NULL)
    return g_strdup (_("(unknown)"));
  /* An empty password hides nothing, and "none set" is worth knowing. */
  if (*value == '\0')
    return g_strdup (_("(empty)"));
  if (param->secret && !with_secrets)
    return g_strdup (ATC_SECRET_MASK);
  return atc_config_display_value (value);
}

char *
atc_config_change_to_string (const AtcConfigChange *change,
                             gboolean               with_secrets)
{
  g_autofree char *what = atc_config_describe_param (change->command, change->param);
  g_autofree char *old_value = shown_value (change->param, change->old_value, with_secrets);
  g_autofree char *new_value = shown_value (change->param, change->new_value, with_secrets);

  return g_strdup_printf ("%s: %s -> %s", what, old_value, new_value);
}

GStrv
atc_config_diff_to_lines (AtcConfigDiff *self,
                          gboolean       with_secrets)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (ATC_IS_CONFIG_DIFF (self), NULL);

  for (guint i = 0; i < self->changes->len; i++)
    {
      AtcConfigChange *change = g_ptr_array_index (self->changes, i);
      g_autofree char *line = atc_config_change_to_string (change, with_secrets);

      g_strv_builder_add (builder, line);
    }

  return g_strv_builder_end (builder);
}

static void
add_value (JsonBuilder    *builder,
           const AtcParam *param,
           const char     *value,
           gboolean        with_secrets)
{
  if (value == NULL)
    json_builder_add_null_value (builder);
  else if (param->secret && !with_secrets && *value != '\0')
    json_builder_add_string_value (builder, ATC_SECRET_MASK);
  else
    json_builder_add_string_value (builder, value);
}

JsonNode *
atc_config_diff_to_json (AtcConfigDiff *self,
                         gboolean       with_secrets)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ATC_IS_CONFIG_DIFF (self), NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->changes->len; i++)
    {
      AtcConfigChange *change = g_ptr_array_index (self->changes, i);
      g_autofree char *label = atc_config_describe_param (change->command, change->param);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "command");
      json_builder_add_string_value (builder, change->command->name);
      json_builder_set_member_name (builder, "param");
      json_builder_add_string_value (builder, change->param->name);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, label);
      json_builder_set_member_name (builder, "old");
      add_value (builder, change->param, change->old_value, with_secrets);
      json_builder_set_member_name (builder, "new");
      add_value (builder, change->param, change->new_value, with_secrets);
      json_builder_set_member_name (builder, "secret");
      json_builder_add_boolean_value (builder, change->param->secret);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}
