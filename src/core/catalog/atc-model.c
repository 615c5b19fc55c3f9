/* atc-model.c: one unit model's AT command set, loaded from a catalog JSON file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The schema is documented in data/catalog/README.md. It is checked
 * strictly: unknown keys, wrong types and defaults that do not validate are
 * errors naming the file, the command and the field, because a silently
 * ignored typo in a catalog becomes a wrong command sent to a unit.
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "atc-error.h"
#include "atc-model.h"
#include "atc-model-private.h"
#include "atc-validate.h"

#define ATC_CATALOG_SCHEMA 1

/* DNS limit on a whole host name, used when a host parameter gives none. */
#define HOST_MAX_LENGTH 253

typedef struct {
  char *id;
  char *description;
} AtcQuirk;

struct _AtcModel
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  char       *firmware;
  char       *document;
  AtcDialect  dialect;
  char       *line_ending;
  char       *welcome;
  guint       default_timeout_ms;
  guint       reboot_ms;
  GArray     *baud_rates;        /* guint */
  char       *command_password;
  char       *password_command;
  char       *save_command;
  char       *restart_command;
  char       *version_command;
  GPtrArray  *version_patterns;  /* GRegex* */
  GPtrArray  *quirks;            /* AtcQuirk* */
  GPtrArray  *groups;            /* AtcGroup* */
  GPtrArray  *commands;          /* AtcCommand* */
  GHashTable *index;             /* normalized name or alias -> AtcCommand* */
};

G_DEFINE_FINAL_TYPE (AtcModel, atc_model, G_TYPE_OBJECT)

static void
atc_param_free (AtcParam *param)
{
  g_free (param->name);
  g_free (param->label);
  g_strfreev (param->choices);
  g_strfreev (param->choice_labels);
  g_free (param->unit);
  g_free (param->default_value);
  g_free (param->description);
  g_free (param);
}

static void
atc_command_free (AtcCommand *command)
{
  g_free (command->name);
  g_strfreev (command->aliases);
  g_free (command->group);
  g_clear_pointer (&command->params, g_ptr_array_unref);
  g_clear_pointer (&command->reply_orders, g_ptr_array_unref);
  g_free (command->query_command);
  g_free (command->description);
  g_free (command->note);
  g_free (command->execute_reply);
  g_free (command);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcParam, atc_param_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcCommand, atc_command_free)

static void
atc_group_free (AtcGroup *group)
{
  g_free (group->id);
  g_free (group->title);
  g_free (group);
}

static void
atc_quirk_free (AtcQuirk *quirk)
{
  g_free (quirk->id);
  g_free (quirk->description);
  g_free (quirk);
}

static void
atc_model_finalize (GObject *object)
{
  AtcModel *self = (AtcModel *) object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->firmware);
  g_free (self->document);
  g_free (self->line_ending);
  g_free (self->welcome);
  g_clear_pointer (&self->baud_rates, g_array_unref);
  g_free (self->command_password);
  g_free (self->password_command);
  g_free (self->save_command);
  g_free (self->restart_command);
  g_free (self->version_command);
  g_clear_pointer (&self->version_patterns, g_ptr_array_unref);
  g_clear_pointer (&self->quirks, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->index, g_hash_table_unref);
  g_clear_pointer (&self->commands, g_ptr_array_unref);

  G_OBJECT_CLASS (atc_model_parent_class)->finalize (object);
}

static void
atc_model_class_init (AtcModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atc_model_finalize;
}

static void
atc_model_init (AtcModel *self)
{
  self->baud_rates = g_array_new (FALSE, FALSE, sizeof (guint));
  self->version_patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_regex_unref);
  self->quirks = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_quirk_free);
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_group_free);
  self->commands = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_command_free);
  self->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Units and the documents spell names with stray spaces ("HEART SND",
 * "AT+ NETMODE") and in any case: one key for all spellings. */
static char *
normalize_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, g_ascii_toupper (*p));

  return g_string_free (out, FALSE);
}

/* --- Schema reading --------------------------------------------------- */

/* Where in the file we are, for error messages. */
typedef struct {
  const char *source;   /* "m0.json" */
  const char *command;  /* NULL at model level */
  const char *param;    /* NULL at command level */
  GError    **error;
} Ctx;

static const char *
command_display (const char *name)
{
  return name[0] == '\0' ? "AT" : name;
}

G_GNUC_PRINTF (2, 3)
static gboolean
fail (Ctx        *ctx,
      const char *format,
      ...)
{
  g_autofree char *what = NULL;
  g_autoptr(GString) where = g_string_new (ctx->source);
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* "m0.json: command UART, parameter parity: unknown type 'enumm'" */
  if (ctx->command != NULL)
    g_string_append_printf (where, _(": command %s"), command_display (ctx->command));
  if (ctx->param != NULL)
    g_string_append_printf (where, ctx->command != NULL ? _(", parameter %s")
                                                        : _(": parameter %s"),
                            ctx->param);

  g_set_error (ctx->error, ATC_ERROR, ATC_ERROR_CATALOG, "%s: %s", where->str, what);
  return FALSE;
}

static gboolean
check_keys (Ctx               *ctx,
            JsonObject        *object,
            const char *const *known)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        return fail (ctx, _("unknown field '%s'"), (const char *) l->data);
    }

  return TRUE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* A string member. Absent (or null when allow_null) leaves *out NULL. */
static gboolean
get_string (Ctx         *ctx,
            JsonObject  *object,
            const char  *key,
            gboolean     required,
            gboolean     allow_empty,
            char       **out)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = NULL;

  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && !required))
    {
      if (required)
        return fail (ctx, _("missing field '%s'"), key);
      return TRUE;
    }
  if (!node_is_string (node))
    return fail (ctx, _("field '%s' must be a string"), key);
  if (!allow_empty && json_node_get_string (node)[0] == '\0')
    return fail (ctx, _("field '%s' must not be empty"), key);

  *out = json_node_dup_string (node);
  return TRUE;
}

static gboolean
get_bool (Ctx        *ctx,
          JsonObject *object,
          const char *key,
          gboolean   *out)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (ctx, _("field '%s' must be true or false"), key);

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_int (Ctx        *ctx,
         JsonObject *object,
         const char *key,
         gboolean   *present,
         gint64      min,
         gint64      max,
         gint64     *out)
{
  JsonNode *node = json_object_get_member (object, key);

  *present = node != NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (ctx, _("field '%s' must be a whole number"), key);

  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    return fail (ctx, _("field '%s' is %" PRId64 ", outside %" PRId64
                        "..%" PRId64),
                 key, *out, min, max);
  return TRUE;
}

static gboolean
get_array (Ctx         *ctx,
           JsonObject  *object,
           const char  *key,
           gboolean     required,
           JsonArray  **out)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = NULL;
  if (node == NULL)
    {
      if (required)
        return fail (ctx, _("missing field '%s'"), key);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (ctx, _("field '%s' must be a list"), key);

  *out = json_node_get_array (node);
  return TRUE;
}

/* A list of non-empty strings. */
static gboolean
get_strv (Ctx          *ctx,
          JsonObject   *object,
          const char   *key,
          char       ***out)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  *out = NULL;
  if (!get_array (ctx, object, key, FALSE, &array))
    return FALSE;
  if (array == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!node_is_string (node) || json_node_get_string (node)[0] == '\0')
        return fail (ctx, _("field '%s': item %u must be a non-empty string"), key, i + 1);
      g_strv_builder_add (builder, json_node_get_string (node));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
get_object_at (Ctx         *ctx,
               JsonArray   *array,
               guint        i,
               const char  *key,
               JsonObject **out)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (ctx, _("field '%s': item %u must be an object"), key, i + 1);

  *out = json_node_get_object (node);
  return TRUE;
}

static const struct {
  const char  *word;
  AtcParamType type;
} param_types[] = {
  { "enum", ATC_PARAM_ENUM },
  { "int", ATC_PARAM_INT },
  { "string", ATC_PARAM_STRING },
  { "hex", ATC_PARAM_HEX },
  { "ipv4", ATC_PARAM_IPV4 },
  { "host", ATC_PARAM_HOST },
  { "port", ATC_PARAM_PORT },
  { "mac", ATC_PARAM_MAC },
};

static const struct {
  const char *word;
  AtcEscape   escape;
} escapes[] = {
  { "none", ATC_ESCAPE_NONE },
  { "brackets", ATC_ESCAPE_BRACKETS },
  { "crlf-token", ATC_ESCAPE_CRLF_TOKEN },
};

static const struct {
  const char *word;
  AtcAccess   access;
} accesses[] = {
  { "query", ATC_ACCESS_QUERY },
  { "set", ATC_ACCESS_SET },
  { "execute", ATC_ACCESS_EXECUTE },
};

static gboolean
parse_choices (Ctx        *ctx,
               JsonObject *object,
               AtcParam   *param)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!get_array (ctx, object, "choices", TRUE, &array))
    return FALSE;
  if (json_array_get_length (array) == 0)
    return fail (ctx, _("field 'choices' must not be empty"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      static const char *const keys[] = { "value", "label", NULL };
      JsonObject *choice;
      g_autofree char *value = NULL;
      g_autofree char *label = NULL;
      g_autofree char *folded = NULL;

      if (!get_object_at (ctx, array, i, "choices", &choice) ||
          !check_keys (ctx, choice, keys) ||
          !get_string (ctx, choice, "value", TRUE, FALSE, &value) ||
          !get_string (ctx, choice, "label", FALSE, FALSE, &label))
        return FALSE;

      /* A word is sent as is: it must be safe on the command line. */
      for (const char *p = value; *p != '\0'; p++)
        if ((guchar) *p <= ' ' || (guchar) *p >= 0x7f || strchr (",;=?", *p) != NULL)
          return fail (ctx, _("choice '%s' may hold only printable ASCII without spaces, "
                              "',' ';' '=' or '?'"),
                       value);

      folded = g_ascii_strup (value, -1);
      if (!g_hash_table_add (seen, g_steal_pointer (&folded)))
        return fail (ctx, _("choice '%s' is listed twice"), value);

      g_strv_builder_add (values, value);
      g_strv_builder_add (labels, label != NULL ? label : value);
    }

  param->choices = g_strv_builder_end (values);
  param->choice_labels = g_strv_builder_end (labels);
  return TRUE;
}

static AtcParam *
parse_param (Ctx        *ctx,
             JsonObject *object)
{
  static const char *const keys[] = {
    "name", "label", "type", "choices", "min", "max", "min_length", "max_length", "unit",
    "default", "default_outside_range", "escape", "secret", "ascii_only", "description", NULL
  };
  g_autoptr(AtcParam) param = g_new0 (AtcParam, 1);
  g_autofree char *type = NULL;
  g_autofree char *escape = NULL;
  gboolean has_min, has_max, has_min_len, has_max_len, found;
  gint64 min = 0, max = 0, min_len = 0, max_len = 0;
  gboolean is_number, is_length;

  if (!get_string (ctx, object, "name", TRUE, FALSE, &param->name))
    return NULL;
  ctx->param = param->name;

  if (!check_keys (ctx, object, keys) ||
      !get_string (ctx, object, "label", TRUE, FALSE, &param->label) ||
      !get_string (ctx, object, "type", TRUE, FALSE, &type) ||
      !get_string (ctx, object, "unit", FALSE, FALSE, &param->unit) ||
      !get_string (ctx, object, "escape", FALSE, FALSE, &escape) ||
      !get_string (ctx, object, "description", FALSE, FALSE, &param->description) ||
      !get_bool (ctx, object, "secret", &param->secret) ||
      !get_bool (ctx, object, "ascii_only", &param->ascii_only) ||
      !get_bool (ctx, object, "default_outside_range", &param->default_outside_range) ||
      !get_int (ctx, object, "min", &has_min, 0, G_MAXUINT32, &min) ||
      !get_int (ctx, object, "max", &has_max, 0, G_MAXUINT32, &max) ||
      !get_int (ctx, object, "min_length", &has_min_len, 0, 4096, &min_len) ||
      !get_int (ctx, object, "max_length", &has_max_len, 0, 4096, &max_len))
    return NULL;

  found = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (param_types); i++)
    if (g_str_equal (type, param_types[i].word))
      {
        param->type = param_types[i].type;
        found = TRUE;
      }
  if (!found)
    {
      fail (ctx, _("unknown type '%s'"), type);
      return NULL;
    }

  param->escape = ATC_ESCAPE_NONE;
  if (escape != NULL)
    {
      found = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
        if (g_str_equal (escape, escapes[i].word))
          {
            param->escape = escapes[i].escape;
            found = TRUE;
          }
      if (!found)
        {
          fail (ctx, _("unknown escape '%s'"), escape);
          return NULL;
        }
      if (param->type != ATC_PARAM_STRING)
        {
          fail (ctx, _("field 'escape' applies only to string parameters"));
          return NULL;
        }
    }

  if (json_object_has_member (object, "choices") && param->type != ATC_PARAM_ENUM)
    {
      fail (ctx, _("field 'choices' applies only to enum parameters"));
      return NULL;
    }
  if (param->type == ATC_PARAM_ENUM && !parse_choices (ctx, object, param))
    return NULL;

  is_number = param->type == ATC_PARAM_INT || param->type == ATC_PARAM_PORT;
  is_length = (param->type == ATC_PARAM_STRING || param->type == ATC_PARAM_HEX ||
               param->type == ATC_PARAM_HOST);

  if ((has_min || has_max) && !is_number)
    {
      fail (ctx, _("fields 'min' and 'max' apply only to int and port parameters"));
      return NULL;
    }
  if ((has_min_len || has_max_len) && !is_length)
    {
      fail (ctx, _("fields 'min_length' and 'max_length' apply only to string, hex and host "
                   "parameters"));
      return NULL;
    }
  if ((param->secret || param->ascii_only) && param->type != ATC_PARAM_STRING)
    {
      fail (ctx, _("fields 'secret' and 'ascii_only' apply only to string parameters"));
      return NULL;
    }

  switch (param->type)
    {
    case ATC_PARAM_INT:
      if (!has_min || !has_max)
        {
          fail (ctx, _("an int parameter needs 'min' and 'max'"));
          return NULL;
        }
      break;

    case ATC_PARAM_PORT:
      if (!has_min)
        min = 1;
      if (!has_max)
        max = 65535;
      if (max > 65535)
        {
          fail (ctx, _("a port cannot go above 65535"));
          return NULL;
        }
      break;

    case ATC_PARAM_STRING:
      if (!has_max_len)
        {
          fail (ctx, _("a string parameter needs 'max_length'"));
          return NULL;
        }
      min = min_len;
      max = max_len;
      break;

    case ATC_PARAM_HEX:
      if (!has_max_len)
        {
          fail (ctx, _("a hex parameter needs 'max_length'"));
          return NULL;
        }
      min = min_len;
      max = max_len;
      break;

    case ATC_PARAM_HOST:
      min = has_min_len ? min_len : 1;
      max = has_max_len ? max_len : HOST_MAX_LENGTH;
      if (min < 1)
        {
          fail (ctx, _("a host parameter needs 'min_length' of at least 1"));
          return NULL;
        }
      break;

    case ATC_PARAM_ENUM:
    case ATC_PARAM_IPV4:
    case ATC_PARAM_MAC:
    default:
      break;
    }

  if (min > max)
    {
      fail (ctx, _("the minimum %" PRId64 " is above the maximum %" PRId64),
            min, max);
      return NULL;
    }
  param->min = min;
  param->max = max;

  /* The default is checked once all parameters are known (see
   * parse_command), through the same validation a technician's value gets. */
  if (!get_string (ctx, object, "default", FALSE, TRUE, &param->default_value))
    return NULL;

  ctx->param = NULL;
  return g_steal_pointer (&param);
}

static gboolean
parse_reply_orders (Ctx        *ctx,
                    JsonObject *object,
                    AtcCommand *command)
{
  JsonArray *orders;

  if (!get_array (ctx, object, "reply_orders", FALSE, &orders))
    return FALSE;
  if (orders == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonNode *node = json_array_get_element (orders, i);
      JsonArray *order;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) names = NULL;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return fail (ctx, _("field 'reply_orders': item %u must be a list of parameter names"),
                     i + 1);
      order = json_node_get_array (node);

      /* An order is a permutation of the parameters: the parser relies on
       * it to put every field back in its place. */
      if (json_array_get_length (order) != command->params->len)
        return fail (ctx, _("field 'reply_orders': item %u must name each of the %u "
                            "parameters once"),
                     i + 1, command->params->len);

      for (guint j = 0; j < json_array_get_length (order); j++)
        {
          JsonNode *name = json_array_get_element (order, j);

          if (!node_is_string (name) ||
              atc_command_lookup_param (command, json_node_get_string (name)) == NULL)
            return fail (ctx, _("field 'reply_orders': item %u names an unknown parameter"),
                         i + 1);
          g_strv_builder_add (builder, json_node_get_string (name));
        }

      names = g_strv_builder_end (builder);
      for (guint j = 0; names[j] != NULL; j++)
        for (guint k = j + 1; names[k] != NULL; k++)
          if (g_str_equal (names[j], names[k]))
            return fail (ctx, _("field 'reply_orders': item %u names '%s' twice"),
                         i + 1, names[j]);

      g_ptr_array_add (command->reply_orders, g_steal_pointer (&names));
    }

  return TRUE;
}

static AtcCommand *
parse_command (Ctx        *ctx,
               AtcModel   *self,
               JsonObject *object)
{
  static const char *const keys[] = {
    "name", "aliases", "group", "access", "params", "reply_orders", "query_command",
    "live_status", "identity", "reboots", "leaves_command_mode", "multiline", "timeout_ms",
    "description", "note", "execute_reply", "per_unit", NULL
  };
  g_autoptr(AtcCommand) command = g_new0 (AtcCommand, 1);
  JsonArray *access;
  JsonArray *params;
  gboolean has_timeout;
  gint64 timeout = 0;

  command->params = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_param_free);
  command->reply_orders = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  if (!get_string (ctx, object, "name", TRUE, TRUE, &command->name))
    return NULL;
  ctx->command = command->name;

  for (const char *p = command->name; *p != '\0'; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p))
      {
        fail (ctx, _("a command name holds only upper-case letters and digits"));
        return NULL;
      }

  if (!check_keys (ctx, object, keys) ||
      !get_strv (ctx, object, "aliases", &command->aliases) ||
      !get_string (ctx, object, "group", TRUE, FALSE, &command->group) ||
      !get_string (ctx, object, "query_command", FALSE, FALSE, &command->query_command) ||
      !get_string (ctx, object, "description", TRUE, FALSE, &command->description) ||
      !get_string (ctx, object, "note", FALSE, FALSE, &command->note) ||
      !get_string (ctx, object, "execute_reply", FALSE, FALSE, &command->execute_reply) ||
      !get_bool (ctx, object, "live_status", &command->live_status) ||
      !get_bool (ctx, object, "identity", &command->identity) ||
      !get_bool (ctx, object, "reboots", &command->reboots) ||
      !get_bool (ctx, object, "leaves_command_mode", &command->leaves_command_mode) ||
      !get_bool (ctx, object, "multiline", &command->multiline) ||
      !get_bool (ctx, object, "per_unit", &command->per_unit) ||
      !get_int (ctx, object, "timeout_ms", &has_timeout, 1, 600000, &timeout) ||
      !get_array (ctx, object, "access", TRUE, &access) ||
      !get_array (ctx, object, "params", FALSE, &params))
    return NULL;

  if (command->aliases == NULL)
    command->aliases = g_new0 (char *, 1);

  if (atc_model_lookup_group (self, command->group) == NULL)
    {
      fail (ctx, _("unknown group '%s'"), command->group);
      return NULL;
    }

  command->timeout_ms = has_timeout ? (guint) timeout : self->default_timeout_ms;

  if (json_array_get_length (access) == 0)
    {
      fail (ctx, _("field 'access' must not be empty"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (access); i++)
    {
      JsonNode *node = json_array_get_element (access, i);
      gboolean found = FALSE;

      for (guint j = 0; node_is_string (node) && j < G_N_ELEMENTS (accesses); j++)
        if (g_str_equal (json_node_get_string (node), accesses[j].word))
          {
            command->access |= accesses[j].access;
            found = TRUE;
          }
      if (!found)
        {
          fail (ctx, _("field 'access': item %u is not one of query, set, execute"), i + 1);
          return NULL;
        }
    }

  for (guint i = 0; params != NULL && i < json_array_get_length (params); i++)
    {
      JsonObject *param_object;
      AtcParam *param;

      if (!get_object_at (ctx, params, i, "params", &param_object))
        return NULL;
      if ((param = parse_param (ctx, param_object)) == NULL)
        return NULL;
      if (atc_command_lookup_param (command, param->name) != NULL)
        {
          ctx->param = NULL;
          fail (ctx, _("parameter '%s' is listed twice"), param->name);
          atc_param_free (param);
          return NULL;
        }
      g_ptr_array_add (command->params, param);
    }

  if ((command->access & ATC_ACCESS_SET) && command->params->len == 0)
    {
      fail (ctx, _("a command that can be set needs 'params'"));
      return NULL;
    }
  if (command->multiline && command->params->len > 0)
    {
      fail (ctx, _("a multiline command has no parameters"));
      return NULL;
    }
  if (command->query_command != NULL && !(command->access & ATC_ACCESS_QUERY))
    {
      fail (ctx, _("field 'query_command' needs 'query' in 'access'"));
      return NULL;
    }
  if (command->execute_reply != NULL && !(command->access & ATC_ACCESS_EXECUTE))
    {
      fail (ctx, _("field 'execute_reply' needs 'execute' in 'access'"));
      return NULL;
    }

  if (!parse_reply_orders (ctx, object, command))
    return NULL;

  /* Defaults go through the validation a technician's value gets, and
   * must come back unchanged: a default is written in canonical form. */
  for (guint i = 0; i < command->params->len; i++)
    {
      AtcParam *param = g_ptr_array_index (command->params, i);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *canonical = NULL;

      ctx->param = param->name;
      if (param->default_value == NULL)
        {
          if (param->default_outside_range)
            {
              fail (ctx, _("field 'default_outside_range' needs a 'default'"));
              return NULL;
            }
          continue;
        }

      canonical = atc_param_validate_range (command, param, param->default_value,
                                            &local_error);
      /* Flagged, so that the conflict in the document is a decision written
       * down in the catalog and not an accident; the flag must be needed. */
      if (param->default_outside_range)
        {
          if (canonical != NULL)
            {
              fail (ctx, _("field 'default_outside_range' is set but the default is "
                           "within range"));
              return NULL;
            }
          continue;
        }
      if (canonical == NULL)
        {
          fail (ctx, _("the default does not validate: %s"), local_error->message);
          return NULL;
        }
      if (!g_str_equal (canonical, param->default_value))
        {
          /* Not quoted: the default may be a secret. */
          fail (ctx, _("the default is not in canonical form"));
          return NULL;
        }
    }
  ctx->param = NULL;

  ctx->command = NULL;
  return g_steal_pointer (&command);
}

static gboolean
index_command (Ctx        *ctx,
               AtcModel   *self,
               AtcCommand *command,
               const char *spelling)
{
  g_autofree char *key = normalize_name (spelling);
  AtcCommand *other = g_hash_table_lookup (self->index, key);

  if (other == command)
    return TRUE;
  if (other != NULL)
    {
      ctx->command = command->name;
      return fail (ctx, _("the name '%s' is already used by command %s"),
                   spelling, command_display (other->name));
    }

  g_hash_table_insert (self->index, g_steal_pointer (&key), command);
  return TRUE;
}

static gboolean
parse_groups (Ctx        *ctx,
              AtcModel   *self,
              JsonObject *root)
{
  JsonArray *groups;

  if (!get_array (ctx, root, "groups", TRUE, &groups))
    return FALSE;
  if (json_array_get_length (groups) == 0)
    return fail (ctx, _("field 'groups' must not be empty"));

  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      static const char *const keys[] = { "id", "title", NULL };
      JsonObject *object;
      AtcGroup *group;
      g_autofree char *id = NULL;
      g_autofree char *title = NULL;

      if (!get_object_at (ctx, groups, i, "groups", &object) ||
          !check_keys (ctx, object, keys) ||
          !get_string (ctx, object, "id", TRUE, FALSE, &id) ||
          !get_string (ctx, object, "title", TRUE, FALSE, &title))
        return FALSE;
      if (atc_model_lookup_group (self, id) != NULL)
        return fail (ctx, _("group '%s' is listed twice"), id);

      group = g_new0 (AtcGroup, 1);
      group->id = g_steal_pointer (&id);
      group->title = g_steal_pointer (&title);
      g_ptr_array_add (self->groups, group);
    }

  return TRUE;
}

static gboolean
parse_quirks (Ctx        *ctx,
              AtcModel   *self,
              JsonObject *root)
{
  JsonArray *quirks;

  if (!get_array (ctx, root, "quirks", FALSE, &quirks))
    return FALSE;

  for (guint i = 0; quirks != NULL && i < json_array_get_length (quirks); i++)
    {
      static const char *const keys[] = { "id", "description", NULL };
      JsonObject *object;
      AtcQuirk *quirk;
      g_autofree char *id = NULL;
      g_autofree char *description = NULL;

      if (!get_object_at (ctx, quirks, i, "quirks", &object) ||
          !check_keys (ctx, object, keys) ||
          !get_string (ctx, object, "id", TRUE, FALSE, &id) ||
          !get_string (ctx, object, "description", TRUE, FALSE, &description))
        return FALSE;

      quirk = g_new0 (AtcQuirk, 1);
      quirk->id = g_steal_pointer (&id);
      quirk->description = g_steal_pointer (&description);
      g_ptr_array_add (self->quirks, quirk);
    }

  return TRUE;
}

static gboolean
parse_detect (Ctx        *ctx,
              AtcModel   *self,
              JsonObject *root)
{
  static const char *const keys[] = { "version_command", "version_patterns", NULL };
  JsonNode *node = json_object_get_member (root, "detect");
  JsonObject *detect;
  g_auto(GStrv) patterns = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (ctx, _("field 'detect' must be an object"));
  detect = json_node_get_object (node);

  if (!check_keys (ctx, detect, keys) ||
      !get_string (ctx, detect, "version_command", TRUE, FALSE, &self->version_command) ||
      !get_strv (ctx, detect, "version_patterns", &patterns))
    return FALSE;

  for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      GRegex *regex = g_regex_new (patterns[i], G_REGEX_OPTIMIZE, 0, &local_error);

      if (regex == NULL)
        return fail (ctx, _("version pattern '%s' is not a valid regular expression: %s"),
                     patterns[i], local_error->message);
      g_ptr_array_add (self->version_patterns, regex);
    }

  return TRUE;
}

/* A model-level field that names a command must name one that exists. */
static gboolean
check_command_ref (Ctx        *ctx,
                   AtcModel   *self,
                   const char *key,
                   const char *name,
                   AtcAccess   access)
{
  const AtcCommand *command;

  if (name == NULL)
    return TRUE;
  command = atc_model_lookup (self, name);
  if (command == NULL)
    return fail (ctx, _("field '%s' names unknown command '%s'"), key, name);
  if (!(command->access & access))
    return fail (ctx, _("field '%s' names command %s, which does not have that form"),
                 key, command_display (command->name));
  return TRUE;
}

static gboolean
parse_model (AtcModel   *self,
             const char *source,
             JsonNode   *root_node,
             GError    **error)
{
  static const char *const keys[] = {
    "schema", "id", "name", "firmware", "document", "dialect", "line_ending", "welcome",
    "default_timeout_ms", "reboot_ms", "baud_rates", "command_password", "password_command",
    "save_command", "restart_command", "detect", "quirks", "groups", "commands", NULL
  };
  Ctx ctx = { source, NULL, NULL, error };
  JsonObject *root;
  JsonArray *bauds;
  JsonArray *commands;
  g_autofree char *dialect = NULL;
  gboolean present;
  gint64 number = 0;

  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    return fail (&ctx, _("the file must hold one JSON object"));
  root = json_node_get_object (root_node);

  if (!check_keys (&ctx, root, keys) ||
      !get_int (&ctx, root, "schema", &present, 0, G_MAXINT, &number))
    return FALSE;
  if (!present)
    return fail (&ctx, _("missing field '%s'"), "schema");
  if (number != ATC_CATALOG_SCHEMA)
    return fail (&ctx, _("schema %" PRId64 " is not supported; this version of "
                         "Atconf reads schema %d"),
                 number, ATC_CATALOG_SCHEMA);

  if (!get_string (&ctx, root, "id", TRUE, FALSE, &self->id) ||
      !get_string (&ctx, root, "name", TRUE, FALSE, &self->name) ||
      !get_string (&ctx, root, "firmware", TRUE, FALSE, &self->firmware) ||
      !get_string (&ctx, root, "document", FALSE, FALSE, &self->document) ||
      !get_string (&ctx, root, "dialect", TRUE, FALSE, &dialect) ||
      !get_string (&ctx, root, "line_ending", TRUE, FALSE, &self->line_ending) ||
      !get_string (&ctx, root, "welcome", FALSE, TRUE, &self->welcome) ||
      !get_string (&ctx, root, "command_password", FALSE, FALSE, &self->command_password) ||
      !get_string (&ctx, root, "password_command", FALSE, FALSE, &self->password_command) ||
      !get_string (&ctx, root, "save_command", TRUE, FALSE, &self->save_command) ||
      !get_string (&ctx, root, "restart_command", TRUE, FALSE, &self->restart_command))
    return FALSE;

  for (const char *p = self->id; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return fail (&ctx, _("field 'id' holds only lower-case letters, digits and '-'"));

  if (g_str_equal (dialect, "colon"))
    self->dialect = ATC_DIALECT_COLON;
  else if (g_str_equal (dialect, "plus-ok"))
    self->dialect = ATC_DIALECT_PLUS_OK;
  else
    return fail (&ctx, _("unknown dialect '%s'; use colon or plus-ok"), dialect);

  for (const char *p = self->line_ending; *p != '\0'; p++)
    if (*p != '\r' && *p != '\n')
      return fail (&ctx, _("field 'line_ending' holds only CR and LF"));

  if ((self->command_password == NULL) != (self->password_command == NULL))
    return fail (&ctx, _("fields 'command_password' and 'password_command' go together"));

  if (!get_int (&ctx, root, "default_timeout_ms", &present, 1, 600000, &number))
    return FALSE;
  if (!present)
    return fail (&ctx, _("missing field '%s'"), "default_timeout_ms");
  self->default_timeout_ms = (guint) number;

  if (!get_int (&ctx, root, "reboot_ms", &present, 1, 600000, &number))
    return FALSE;
  if (!present)
    return fail (&ctx, _("missing field '%s'"), "reboot_ms");
  self->reboot_ms = (guint) number;

  if (!get_array (&ctx, root, "baud_rates", TRUE, &bauds))
    return FALSE;
  if (json_array_get_length (bauds) == 0)
    return fail (&ctx, _("field 'baud_rates' must not be empty"));
  for (guint i = 0; i < json_array_get_length (bauds); i++)
    {
      JsonNode *node = json_array_get_element (bauds, i);
      guint rate;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 50 || json_node_get_int (node) > 10000000)
        return fail (&ctx, _("field 'baud_rates': item %u is not a baud rate"), i + 1);
      rate = (guint) json_node_get_int (node);
      g_array_append_val (self->baud_rates, rate);
    }

  if (!parse_detect (&ctx, self, root) ||
      !parse_quirks (&ctx, self, root) ||
      !parse_groups (&ctx, self, root))
    return FALSE;

  if (!get_array (&ctx, root, "commands", TRUE, &commands))
    return FALSE;
  if (json_array_get_length (commands) == 0)
    return fail (&ctx, _("field 'commands' must not be empty"));

  for (guint i = 0; i < json_array_get_length (commands); i++)
    {
      JsonObject *object;
      AtcCommand *command;

      if (!get_object_at (&ctx, commands, i, "commands", &object))
        return FALSE;
      if ((command = parse_command (&ctx, self, object)) == NULL)
        return FALSE;
      g_ptr_array_add (self->commands, command);

      if (!index_command (&ctx, self, command, command->name))
        return FALSE;
      for (guint j = 0; command->aliases[j] != NULL; j++)
        if (!index_command (&ctx, self, command, command->aliases[j]))
          return FALSE;
      ctx.command = NULL;
    }

  /* References between commands, now that all are known. */
  for (guint i = 0; i < self->commands->len; i++)
    {
      AtcCommand *command = g_ptr_array_index (self->commands, i);

      ctx.command = command->name;
      if (!check_command_ref (&ctx, self, "query_command", command->query_command,
                              ATC_ACCESS_QUERY))
        return FALSE;
    }
  ctx.command = NULL;

  if (!check_command_ref (&ctx, self, "save_command", self->save_command,
                          ATC_ACCESS_EXECUTE) ||
      !check_command_ref (&ctx, self, "restart_command", self->restart_command,
                          ATC_ACCESS_EXECUTE) ||
      !check_command_ref (&ctx, self, "password_command", self->password_command,
                          ATC_ACCESS_SET) ||
      !check_command_ref (&ctx, self, "detect.version_command", self->version_command,
                          ATC_ACCESS_QUERY))
    return FALSE;

  if (self->password_command != NULL)
    {
      const AtcCommand *command = atc_model_lookup (self, self->password_command);
      const AtcParam *param;

      /* The password is a secret wherever it travels. */
      if (command->params->len != 1 ||
          !(param = g_ptr_array_index (command->params, 0))->secret)
        return fail (&ctx, _("field 'password_command' names command %s, which does not take "
                             "one secret parameter"),
                     command->name);

      /* The factory password is the default of that parameter. */
      if (g_strcmp0 (param->default_value, self->command_password) != 0)
        return fail (&ctx, _("field 'command_password' differs from the default of %s"),
                     command->name);
    }

  return TRUE;
}

/* The catalog's words in the user's language. xgettext cannot read JSON:
 * build-aux/catalog-strings.py lists these texts for translation in
 * data/catalog/translatable-strings.c. Wire words (enum values, command
 * names) are never translated. */
static void
localize (char **text)
{
  const char *translated;

  if (*text == NULL || **text == '\0')
    return;

  translated = g_dgettext (GETTEXT_PACKAGE, *text);
  if (translated != *text)
    {
      g_free (*text);
      *text = g_strdup (translated);
    }
}

static void
localize_model (AtcModel *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    localize (&((AtcGroup *) g_ptr_array_index (self->groups, i))->title);

  for (guint i = 0; i < self->commands->len; i++)
    {
      AtcCommand *command = g_ptr_array_index (self->commands, i);

      localize (&command->description);
      for (guint j = 0; command->params != NULL && j < command->params->len; j++)
        {
          AtcParam *param = g_ptr_array_index (command->params, j);

          localize (&param->label);
          localize (&param->description);
          for (guint k = 0; param->choice_labels != NULL && param->choice_labels[k] != NULL; k++)
            localize (&param->choice_labels[k]);
        }
    }
}

static AtcModel *
model_new_from_data (const char  *data,
                     gsize        length,
                     const char  *source,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(AtcModel) self = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_CATALOG, _("%s: not valid JSON: %s"),
                   source, local_error->message);
      return NULL;
    }

  self = g_object_new (ATC_TYPE_MODEL, NULL);
  if (!parse_model (self, source, json_parser_get_root (parser), error))
    return NULL;

  localize_model (self);

  return g_steal_pointer (&self);
}

AtcModel *
atc_model_new_from_bytes_named (GBytes      *json,
                                const char  *source,
                                GError     **error)
{
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (json, &length);
  return model_new_from_data (data != NULL ? data : "", length, source, error);
}

AtcModel *
atc_model_new_from_bytes (GBytes  *json,
                          GError **error)
{
  return atc_model_new_from_bytes_named (json, _("catalog"), error);
}

AtcModel *
atc_model_new_from_file (const char  *path,
                         GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *basename = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;

  basename = g_path_get_basename (path);
  return model_new_from_data (data, length, basename, error);
}

/* --- Accessors -------------------------------------------------------- */

const char *
atc_model_get_id (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->id;
}

const char *
atc_model_get_name (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->name;
}

const char *
atc_model_get_firmware (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->firmware;
}

const char *
atc_model_get_document (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->document;
}

AtcDialect
atc_model_get_dialect (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), ATC_DIALECT_COLON);
  return self->dialect;
}

const char *
atc_model_get_line_ending (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->line_ending;
}

const char *
atc_model_get_welcome (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->welcome;
}

guint
atc_model_get_default_timeout_ms (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), 0);
  return self->default_timeout_ms;
}

guint
atc_model_get_reboot_ms (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), 0);
  return self->reboot_ms;
}

const guint *
atc_model_get_baud_rates (AtcModel *self,
                          guint    *n_rates)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);

  if (n_rates != NULL)
    *n_rates = self->baud_rates->len;
  return (const guint *) (gpointer) self->baud_rates->data;
}

const char *
atc_model_get_command_password (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->command_password;
}

const char *
atc_model_get_password_command (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->password_command;
}

const char *
atc_model_get_save_command (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->save_command;
}

const char *
atc_model_get_restart_command (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->restart_command;
}

GPtrArray *
atc_model_get_groups (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->groups;
}

GPtrArray *
atc_model_get_commands (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->commands;
}

const AtcCommand *
atc_model_lookup (AtcModel   *self,
                  const char *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* "AT+UART" and "UART" are the same command; plain "AT" is "". */
  if (g_ascii_strncasecmp (name, "AT", 2) == 0 &&
      (name[2] == '\0' || name[2] == '+'))
    name += name[2] == '+' ? 3 : 2;

  key = normalize_name (name);
  return g_hash_table_lookup (self->index, key);
}

const AtcGroup *
atc_model_lookup_group (AtcModel   *self,
                        const char *group_id)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  g_return_val_if_fail (group_id != NULL, NULL);

  for (guint i = 0; i < self->groups->len; i++)
    {
      const AtcGroup *group = g_ptr_array_index (self->groups, i);

      if (g_str_equal (group->id, group_id))
        return group;
    }

  return NULL;
}

gboolean
atc_model_has_quirk (AtcModel   *self,
                     const char *quirk)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), FALSE);
  g_return_val_if_fail (quirk != NULL, FALSE);

  for (guint i = 0; i < self->quirks->len; i++)
    if (g_str_equal (((AtcQuirk *) g_ptr_array_index (self->quirks, i))->id, quirk))
      return TRUE;

  return FALSE;
}

const char *
atc_model_get_version_command (AtcModel *self)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), NULL);
  return self->version_command;
}

gboolean
atc_model_matches_version (AtcModel   *self,
                           const char *version)
{
  g_return_val_if_fail (ATC_IS_MODEL (self), FALSE);

  if (version == NULL)
    return FALSE;

  for (guint i = 0; i < self->version_patterns->len; i++)
    if (g_regex_match (g_ptr_array_index (self->version_patterns, i), version, 0, NULL))
      return TRUE;

  return FALSE;
}

const AtcParam *
atc_command_lookup_param (const AtcCommand *command,
                          const char       *name)
{
  g_return_val_if_fail (command != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < command->params->len; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);

      if (g_str_equal (param->name, name))
        return param;
    }

  return NULL;
}

const char *
atc_param_get_choice_label (const AtcParam *param,
                            const char     *value)
{
  g_return_val_if_fail (param != NULL, NULL);

  if (param->type != ATC_PARAM_ENUM || value == NULL)
    return NULL;

  for (guint i = 0; param->choices[i] != NULL; i++)
    if (g_ascii_strcasecmp (param->choices[i], value) == 0)
      return param->choice_labels[i];

  return NULL;
}

gboolean
atc_command_has_secret (const AtcCommand *command)
{
  g_return_val_if_fail (command != NULL, FALSE);

  for (guint i = 0; i < command->params->len; i++)
    if (((const AtcParam *) g_ptr_array_index (command->params, i))->secret)
      return TRUE;

  return FALSE;
}

gboolean
atc_command_can (const AtcCommand *command,
                 AtcAccess         access)
{
  g_return_val_if_fail (command != NULL, FALSE);
  return (command->access & access) == access;
}

gboolean
atc_command_is_setting (const AtcCommand *command)
{
  g_return_val_if_fail (command != NULL, FALSE);

  return atc_command_can (command, ATC_ACCESS_QUERY | ATC_ACCESS_SET) &&
         command->params->len > 0 &&
         !command->live_status &&
         !command->identity;
}
