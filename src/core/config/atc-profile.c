/* atc-profile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n-lib.h>

#include "atc-error.h"
#include "atc-config-private.h"
#include "atc-profile.h"
#include "atc-transaction-log.h"
#include "atc-validate.h"

struct _AtcProfile
{
  GObject     parent_instance;

  AtcModel   *model;
  char       *firmware;
  char       *notes;
  GHashTable *values;    /* command name -> char*[n_params], NULL = not set */
};

G_DEFINE_FINAL_TYPE (AtcProfile, atc_profile, G_TYPE_OBJECT)

typedef struct {
  char **values;
  guint  n_values;
} ValueRow;

static void
value_row_free (gpointer data)
{
  ValueRow *row = data;

  for (guint i = 0; i < row->n_values; i++)
    g_free (row->values[i]);
  g_free (row->values);
  g_free (row);
}

static void
atc_profile_finalize (GObject *object)
{
  AtcProfile *self = ATC_PROFILE (object);

  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->firmware, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (atc_profile_parent_class)->finalize (object);
}

static void
atc_profile_class_init (AtcProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atc_profile_finalize;
}

static void
atc_profile_init (AtcProfile *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, value_row_free);
}

AtcProfile *
atc_profile_new (AtcModel *model)
{
  AtcProfile *self;

  g_return_val_if_fail (ATC_IS_MODEL (model), NULL);

  self = g_object_new (ATC_TYPE_PROFILE, NULL);
  self->model = g_object_ref (model);
  self->firmware = g_strdup (atc_model_get_firmware (model));

  return self;
}

/* A profile holds settings that may go to any unit of the model: not
 * live status, not identity, not what belongs to one unit (USERMAC, CLOUD). */
static gboolean
is_profile_command (const AtcCommand *command)
{
  return atc_command_is_setting (command) && !command->per_unit;
}

static int
find_param (const AtcCommand *command,
            const char       *name)
{
  for (guint i = 0; i < command->params->len; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);

      if (g_str_equal (param->name, name))
        return i;
    }

  return -1;
}

static ValueRow *
ensure_row (AtcProfile       *self,
            const AtcCommand *command)
{
  ValueRow *row = g_hash_table_lookup (self->values, command->name);

  if (row == NULL)
    {
      row = g_new0 (ValueRow, 1);
      row->n_values = command->params->len;
      row->values = g_new0 (char *, row->n_values);
      g_hash_table_insert (self->values, command->name, row);
    }

  return row;
}

static void
store (AtcProfile       *self,
       const AtcCommand *command,
       guint             index,
       const char       *value)
{
  ValueRow *row = ensure_row (self, command);
  gboolean empty = TRUE;

  g_free (row->values[index]);
  row->values[index] = g_strdup (value);

  for (guint i = 0; i < row->n_values; i++)
    empty &= row->values[i] == NULL;
  if (empty)
    g_hash_table_remove (self->values, command->name);
}

AtcProfile *
atc_profile_new_from_config (AtcConfig *config,
                             gboolean   with_secrets)
{
  AtcProfile *self;
  GPtrArray *commands;

  g_return_val_if_fail (ATC_IS_CONFIG (config), NULL);

  self = atc_profile_new (atc_config_get_model (config));
  if (atc_config_get_fact (config, "VER") != NULL)
    atc_profile_set_firmware (self, atc_config_get_fact (config, "VER"));

  commands = atc_config_get_commands (config);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);

      /* An unread command shows catalog defaults, not the unit's values:
       * saving those as if they were the unit's would be a lie. */
      if (!is_profile_command (command) ||
          atc_config_get_read_error (config, command->name) != NULL)
        continue;

      for (guint j = 0; j < command->params->len; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);
          const char *value = atc_config_get_value (config, command->name, param->name);

          if (value == NULL || (param->secret && !with_secrets))
            continue;
          /* The factory CMDPW breaks the document's own range: a unit
           * keeps it, but it can never be sent back, so it is not saved. */
          if (param->default_outside_range && g_str_equal (value, param->default_value))
            continue;
          store (self, command, j, value);
        }
    }

  return self;
}

/* Loading */

typedef struct {
  GPtrArray *problems;  /* char*: "path: what is wrong" */
} Checker;

static void G_GNUC_PRINTF (3, 4)
add_problem (Checker    *checker,
             const char *path,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (checker->problems, g_strdup_printf ("%s: %s", path, message));
}

static const char *
describe_node_type (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return _("null");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("an array");

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return _("true/false");
    case G_TYPE_STRING:
      return _("a string");
    default:
      return _("a number");
    }
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static char *
join_names (GPtrArray *items,
            gboolean   params)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      const char *name = params
        ? ((const AtcParam *) g_ptr_array_index (items, i))->name
        : ((const AtcCommand *) g_ptr_array_index (items, i))->name;

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, name);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Validation messages start with the command ("UART: parity …"); the path
 * in the file already says where, so the problem keeps only the rule. */
static char *
rule_of (const AtcCommand *command,
         const GError     *error,
         const AtcParam   *param)
{
  return g_strdup (atc_config_strip_prefix (command, param, error->message));
}

static void
check_command (Checker          *checker,
               AtcProfile       *self,
               const AtcCommand *command,
               const char       *path,
               JsonNode         *node)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  char **values;
  gboolean complete = TRUE;
  gboolean all_valid = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      add_problem (checker, path, _("expected an object of parameters such as {\"%s\": \"…\"}, found %s"),
                   ((const AtcParam *) g_ptr_array_index (command->params, 0))->name,
                   describe_node_type (node));
      return;
    }

  /* One slot per parameter, with holes where the profile leaves one out,
   * so a GStrv free would stop early: `owned` frees them all. */
  g_ptr_array_set_size (owned, command->params->len + 1);
  values = (char **) owned->pdata;

  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_autofree char *param_path = g_strdup_printf ("%s.%s", path, name);
      g_autoptr(GError) error = NULL;
      g_autofree char *canonical = NULL;
      const AtcParam *param;
      const char *value;
      int index;

      index = find_param (command, name);
      if (index < 0)
        {
          g_autofree char *known = join_names (command->params, TRUE);

          add_problem (checker, param_path, _("%s has no parameter '%s'; its parameters are %s"),
                       command->name, name, known);
          all_valid = FALSE;
          continue;
        }
      param = g_ptr_array_index (command->params, index);

      if (!node_is_string (member))
        {
          add_problem (checker, param_path, _("expected a string such as \"%s\", found %s"),
                       param->default_value && !param->secret ? param->default_value : "…",
                       describe_node_type (member));
          all_valid = FALSE;
          continue;
        }
      value = json_node_get_string (member);

      canonical = atc_config_check_value (command, param, value, &error);
      if (canonical == NULL)
        {
          g_autofree char *rule = rule_of (command, error, param);

          g_ptr_array_add (checker->problems, g_strdup_printf ("%s: %s", param_path, rule));
          all_valid = FALSE;
          continue;
        }

      g_free (values[index]);
      values[index] = g_steal_pointer (&canonical);
    }

  for (guint i = 0; i < command->params->len; i++)
    complete &= values[i] != NULL;

  /* Rules that span parameters can only be checked on a whole command; a
   * partial one is completed from the unit and checked again on apply. */
  if (complete && all_valid)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) canonical = atc_command_validate (command, (const char *const *) values, &error);

      if (canonical == NULL)
        {
          g_autofree char *rule = rule_of (command, error, NULL);
          g_autofree char *redacted = atc_config_redact (rule, command, (const char *const *) values);

          add_problem (checker, path, "%s", redacted);
          return;
        }
    }

  if (!all_valid)
    return;

  for (guint i = 0; i < command->params->len; i++)
    if (values[i] != NULL)
      store (self, command, i, values[i]);
}

static void
check_settings (Checker    *checker,
                AtcProfile *self,
                JsonNode   *node)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      add_problem (checker, "settings",
                   _("expected an object of commands such as {\"UART\": {…}}, found %s"),
                   describe_node_type (node));
      return;
    }

  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_autofree char *path = g_strdup_printf ("settings.%s", name);
      const AtcCommand *command = atc_model_lookup (self->model, name);

      if (command == NULL)
        add_problem (checker, path, _("the %s has no command %s"),
                     atc_model_get_name (self->model), name);
      else if (command->identity)
        add_problem (checker, path, _("%s is a read-only fact of the unit and cannot be set; remove it"),
                     command->name);
      else if (command->live_status)
        add_problem (checker, path, _("%s is live status and cannot be set; remove it"),
                     command->name);
      else if (!atc_command_is_setting (command))
        add_problem (checker, path, _("%s is an action, not a setting; remove it"),
                     command->name);
      else if (command->per_unit)
        add_problem (checker, path,
                     _("%s belongs to one unit and is never copied by a profile; remove it and set it on the unit itself"),
                     command->name);
      else
        check_command (checker, self, command, path, member);
    }
}

static char *
known_models (AtcCatalog *catalog)
{
  GPtrArray *models = atc_catalog_get_models (catalog);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < models->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, atc_model_get_id (g_ptr_array_index (models, i)));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* json-glib's message names the token it stopped at, quoted: `hunter2'
 * or "hunter2". In a file cut short after a password, or with a password
 * typed without quotes, that token is a secret; inside a broken string it
 * may also hold bytes that are not UTF-8. Keep where and what was
 * expected, drop the token. */
static char *
json_error_text (const char *message)
{
  const char *quote;
  const char *expected;
  g_autoptr(GString) text = NULL;

  /* "<data>:3:5: Parse error: …": name the file instead. */
  if (g_str_has_prefix (message, "<data>:"))
    message += strlen ("<data>:");
  quote = strpbrk (message, "\"`");
  /* No token, or one character: "unexpected character `,'". */
  if (quote == NULL || (quote[1] != '\0' && (quote[2] == '\'' || quote[2] == '"')))
    return g_utf8_make_valid (message, -1);

  text = g_string_new_len (message, quote - message);
  g_string_append (text, "“…”");
  /* The last ", expected": the token itself may contain one. */
  expected = g_strrstr (quote, ", expected");
  if (expected != NULL)
    g_string_append (text, expected);

  return g_utf8_make_valid (text->str, text->len);
}

static const char * const top_level_keys[] = {
  "schema", "model", "firmware", "notes", "settings", NULL
};

AtcProfile *
atc_profile_load_data (const char  *data,
                       gssize       length,
                       const char  *name,
                       AtcCatalog  *catalog,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AtcProfile) self = NULL;
  Checker checker = { problems };
  JsonObject *root;
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;
  JsonNode *node;

  g_return_val_if_fail (data != NULL, NULL);

  if (name == NULL)
    name = _("profile");
  if (catalog == NULL)
    catalog = atc_catalog_get_default ();

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_autofree char *message = json_error_text (local_error->message);

      g_set_error (error, ATC_ERROR, ATC_ERROR_PROFILE,
                   _("%s is not valid JSON: %s:%s"), name, name, message);
      return NULL;
    }

  node = json_parser_get_root (parser);
  if (node == NULL)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_PROFILE,
                   _("%s is empty; a profile is a JSON object with schema, model and settings"),
                   name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_PROFILE,
                   _("%s must hold a JSON object {\"schema\": 1, \"model\": …, \"settings\": {…}}, not %s"),
                   name, describe_node_type (node));
      return NULL;
    }
  root = json_node_get_object (node);

  json_object_iter_init_ordered (&iter, root);
  while (json_object_iter_next_ordered (&iter, &key, &member))
    if (!g_strv_contains (top_level_keys, key))
      add_problem (&checker, key,
                   _("unknown key; a profile holds schema, model, firmware, notes and settings"));

  member = json_object_get_member (root, "schema");
  if (member == NULL)
    add_problem (&checker, "schema", _("missing; add \"schema\": %d"), ATC_PROFILE_SCHEMA);
  else if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64)
    add_problem (&checker, "schema", _("expected the number %d, found %s"),
                 ATC_PROFILE_SCHEMA, describe_node_type (member));
  else if (json_node_get_int (member) != ATC_PROFILE_SCHEMA)
    add_problem (&checker, "schema",
                 _("version %" PRId64 " is not one this Atconf reads (%d); save the profile again with a matching Atconf"),
                 json_node_get_int (member), ATC_PROFILE_SCHEMA);

  member = json_object_get_member (root, "model");
  if (member == NULL)
    {
      g_autofree char *models = known_models (catalog);

      add_problem (&checker, "model", _("missing; add \"model\" with one of %s"), models);
    }
  else if (!node_is_string (member))
    add_problem (&checker, "model", _("expected a string such as \"g781\", found %s"),
                 describe_node_type (member));
  else
    {
      AtcModel *model = atc_catalog_lookup (catalog, json_node_get_string (member));

      if (model == NULL)
        {
          g_autofree char *models = known_models (catalog);

          add_problem (&checker, "model", _("'%s' is not a model Atconf knows; use one of %s"),
                       json_node_get_string (member), models);
        }
      else
        self = atc_profile_new (model);
    }

  if (self != NULL)
    g_clear_pointer (&self->firmware, g_free);

  member = json_object_get_member (root, "firmware");
  if (member != NULL && !node_is_string (member))
    add_problem (&checker, "firmware", _("expected a string such as \"V1.1.05\", found %s"),
                 describe_node_type (member));
  else if (member != NULL && self != NULL)
    self->firmware = g_strdup (json_node_get_string (member));

  member = json_object_get_member (root, "notes");
  if (member != NULL && !node_is_string (member))
    add_problem (&checker, "notes", _("expected a string, found %s"),
                 describe_node_type (member));
  else if (member != NULL && self != NULL)
    self->notes = g_strdup (json_node_get_string (member));

  member = json_object_get_member (root, "settings");
  if (member == NULL)
    add_problem (&checker, "settings", _("missing; add \"settings\": {…} with the values to apply"));
  else if (self != NULL)
    check_settings (&checker, self, member);
  else if (!JSON_NODE_HOLDS_OBJECT (member))
    add_problem (&checker, "settings",
                 _("expected an object of commands such as {\"UART\": {…}}, found %s"),
                 describe_node_type (member));

  if (problems->len > 0)
    {
      g_autofree char *header =
        g_strdup_printf (ngettext ("%s has %u problem; fix it and load the profile again:",
                                   "%s has %u problems; fix them and load the profile again:",
                                   problems->len),
                         name, problems->len);

      atc_config_set_problems (error, header, problems);
      return NULL;
    }

  return g_steal_pointer (&self);
}

AtcProfile *
atc_profile_load_file (const char  *path,
                       AtcCatalog  *catalog,
                       GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, ATC_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? ATC_ERROR_NOT_FOUND : ATC_ERROR_PROFILE,
                   _("Cannot read profile %s: %s"), path, local_error->message);
      return NULL;
    }

  return atc_profile_load_data (contents, length, path, catalog, error);
}

/* Saving */

char *
atc_profile_to_data (AtcProfile *self,
                     gboolean    with_secrets)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GPtrArray *commands;
  g_autofree char *text = NULL;

  g_return_val_if_fail (ATC_IS_PROFILE (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, ATC_PROFILE_SCHEMA);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, atc_model_get_id (self->model));
  if (self->firmware != NULL)
    {
      json_builder_set_member_name (builder, "firmware");
      json_builder_add_string_value (builder, self->firmware);
    }
  if (self->notes != NULL)
    {
      json_builder_set_member_name (builder, "notes");
      json_builder_add_string_value (builder, self->notes);
    }

  json_builder_set_member_name (builder, "settings");
  json_builder_begin_object (builder);
  commands = atc_model_get_commands (self->model);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      ValueRow *row = g_hash_table_lookup (self->values, command->name);
      gboolean any = FALSE;

      if (row == NULL)
        continue;

      for (guint j = 0; j < row->n_values; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);

          if (row->values[j] == NULL || (param->secret && !with_secrets))
            continue;
          if (!any)
            {
              json_builder_set_member_name (builder, command->name);
              json_builder_begin_object (builder);
              any = TRUE;
            }
          json_builder_set_member_name (builder, param->name);
          json_builder_add_string_value (builder, row->values[j]);
        }

      if (any)
        json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);

  return g_strconcat (text, "\n", NULL);
}

gboolean
atc_profile_save_file (AtcProfile  *self,
                       const char  *path,
                       gboolean     with_secrets,
                       GError     **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (ATC_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = atc_profile_to_data (self, with_secrets);
  return atc_config_write_file (path, data, with_secrets, error);
}

/* Accessors */

AtcModel *
atc_profile_get_model (AtcProfile *self)
{
  g_return_val_if_fail (ATC_IS_PROFILE (self), NULL);

  return self->model;
}

const char *
atc_profile_get_firmware (AtcProfile *self)
{
  g_return_val_if_fail (ATC_IS_PROFILE (self), NULL);

  return self->firmware;
}

void
atc_profile_set_firmware (AtcProfile *self,
                          const char *firmware)
{
  g_return_if_fail (ATC_IS_PROFILE (self));

  g_free (self->firmware);
  self->firmware = g_strdup (firmware);
}

const char *
atc_profile_get_notes (AtcProfile *self)
{
  g_return_val_if_fail (ATC_IS_PROFILE (self), NULL);

  return self->notes;
}

void
atc_profile_set_notes (AtcProfile *self,
                       const char *notes)
{
  g_return_if_fail (ATC_IS_PROFILE (self));

  g_free (self->notes);
  self->notes = g_strdup (notes);
}

GPtrArray *
atc_profile_get_commands (AtcProfile *self)
{
  GPtrArray *result;
  GPtrArray *commands;

  g_return_val_if_fail (ATC_IS_PROFILE (self), NULL);

  result = g_ptr_array_new ();
  commands = atc_model_get_commands (self->model);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);

      if (g_hash_table_contains (self->values, command->name))
        g_ptr_array_add (result, (gpointer) command);
    }

  return result;
}

const char *
atc_profile_get_value (AtcProfile *self,
                       const char *command,
                       const char *param)
{
  const AtcCommand *cmd;
  ValueRow *row;
  int index;

  g_return_val_if_fail (ATC_IS_PROFILE (self), NULL);

  cmd = atc_model_lookup (self->model, command);
  if (cmd == NULL)
    return NULL;
  row = g_hash_table_lookup (self->values, cmd->name);
  index = find_param (cmd, param);
  if (row == NULL || index < 0)
    return NULL;

  return row->values[index];
}

gboolean
atc_profile_set_value (AtcProfile  *self,
                       const char  *command,
                       const char  *param,
                       const char  *value,
                       GError     **error)
{
  const AtcCommand *cmd;
  g_autofree char *canonical = NULL;
  int index;

  g_return_val_if_fail (ATC_IS_PROFILE (self), FALSE);

  cmd = atc_model_lookup (self->model, command);
  if (cmd == NULL || !is_profile_command (cmd))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND,
                   _("The %s has no setting “%s”; pick one of the settings the catalog lists for it"),
                   atc_model_get_name (self->model), command);
      return FALSE;
    }

  index = find_param (cmd, param);
  if (index < 0)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND,
                   _("%s has no parameter “%s”"), cmd->name, param);
      return FALSE;
    }

  if (value != NULL)
    {
      const AtcParam *p = g_ptr_array_index (cmd->params, index);
      canonical = atc_param_validate (cmd, p, value, error);
      if (canonical == NULL)
        return FALSE;
    }

  store (self, cmd, index, canonical);
  return TRUE;
}

guint
atc_profile_get_n_values (AtcProfile *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (ATC_IS_PROFILE (self), 0);

  g_hash_table_iter_init (&iter, self->values);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ValueRow *row = value;

      for (guint i = 0; i < row->n_values; i++)
        n += row->values[i] != NULL;
    }

  return n;
}

gboolean
atc_profile_has_secrets (AtcProfile *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (ATC_IS_PROFILE (self), FALSE);

  g_hash_table_iter_init (&iter, self->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const AtcCommand *command = atc_model_lookup (self->model, key);
      ValueRow *row = value;

      for (guint i = 0; i < row->n_values; i++)
        if (row->values[i] != NULL &&
            ((const AtcParam *) g_ptr_array_index (command->params, i))->secret)
          return TRUE;
    }

  return FALSE;
}

gboolean
atc_profile_check_model (AtcProfile  *self,
                         AtcModel    *model,
                         GError     **error)
{
  g_return_val_if_fail (ATC_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (ATC_IS_MODEL (model), FALSE);

  if (g_str_equal (atc_model_get_id (self->model), atc_model_get_id (model)))
    return TRUE;

  g_set_error (error, ATC_ERROR, ATC_ERROR_PROFILE,
               _("This profile is for the %s (%s) but the unit is a %s (%s); use a profile made for the %s"),
               atc_model_get_name (self->model), atc_model_get_id (self->model),
               atc_model_get_name (model), atc_model_get_id (model),
               atc_model_get_name (model));
  return FALSE;
}

AtcConfig *
atc_profile_apply_to_config (AtcProfile *self,
                             AtcConfig  *base)
{
  AtcConfig *config;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (ATC_IS_PROFILE (self), NULL);
  g_return_val_if_fail (ATC_IS_CONFIG (base), NULL);
  g_return_val_if_fail (g_str_equal (atc_model_get_id (self->model),
                                     atc_model_get_id (atc_config_get_model (base))), NULL);

  config = atc_config_copy (base);

  g_hash_table_iter_init (&iter, self->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const AtcCommand *command = atc_model_lookup (self->model, key);
      ValueRow *row = value;

      for (guint i = 0; i < row->n_values; i++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, i);

          if (row->values[i] != NULL)
            atc_config_set_value (config, command->name, param->name, row->values[i],
                                  ATC_VALUE_SOURCE_PROFILE, NULL);
        }
    }

  return config;
}
