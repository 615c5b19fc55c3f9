/* atc-cli-output.c: command names, field syntax, text/JSON output, errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "atc-cli.h"

/* "at+uart?" / " UART " / "heart snd" -> "UART" / "HEART SND" */
static char *
normalize_command_name (const char *name)
{
  g_autofree char *text = g_strstrip (g_ascii_strup (name, -1));
  const char *start = text;
  gsize len;

  if (g_str_has_prefix (start, "AT+"))
    start += 3;
  len = strlen (start);
  while (len > 0 && (start[len - 1] == '?' || start[len - 1] == ' '))
    len--;
  return g_strndup (start, len);
}

guint
atc_cli_edit_distance (const char *a,
                       const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = g_ascii_toupper (a[i - 1]) == g_ascii_toupper (b[j - 1]) ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

typedef struct {
  const char *name;
  guint       distance;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->distance != cb->distance)
    return ca->distance < cb->distance ? -1 : 1;
  return strcmp (ca->name, cb->name);
}

const char **
atc_cli_suggest_commands (AtcModel   *model,
                          const char *name,
                          guint       max)
{
  g_autofree char *key = normalize_command_name (name);
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  GPtrArray *all = atc_model_get_commands (model);
  gsize len = strlen (key);
  /* Short names tolerate one slip, longer ones a few more. */
  guint limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
  const char **out;
  guint n = 0;

  for (guint i = 0; i < all->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (all, i);
      guint best = G_MAXUINT;

      if (command->name == NULL || *command->name == '\0')
        continue;
      best = atc_cli_edit_distance (key, command->name);
      /* A typed prefix ("SOCKA" for SOCKAEN) counts as close. */
      if (len >= 2 && g_ascii_strncasecmp (command->name, key, len) == 0)
        best = MIN (best, 1);
      for (guint a = 0; command->aliases && command->aliases[a]; a++)
        best = MIN (best, atc_cli_edit_distance (key, command->aliases[a]));
      if (best <= limit)
        {
          Candidate c = { command->name, best };
          g_array_append_val (candidates, c);
        }
    }
  g_array_sort (candidates, compare_candidates);

  out = g_new0 (const char *, MIN (candidates->len, max) + 1);
  for (guint i = 0; i < candidates->len && n < max; i++)
    out[n++] = g_array_index (candidates, Candidate, i).name;
  return out;
}

const AtcCommand *
atc_cli_lookup_command (AtcModel   *model,
                        const char *name,
                        GError    **error)
{
  g_autofree char *key = normalize_command_name (name);
  g_autofree const char **close = NULL;
  g_autoptr(GString) message = NULL;
  const AtcCommand *command = NULL;
  GPtrArray *models;

  if (*key != '\0')
    command = atc_model_lookup (model, key);
  if (command != NULL && command->name != NULL && *command->name != '\0')
    return command;

  message = g_string_new (NULL);
  if (*key == '\0')
    {
      g_string_append (message, _("Empty command name"));
      g_set_error_literal (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND, message->str);
      return NULL;
    }
  /* A command of the other model is a common slip in the field: say so
   * rather than offer look-alikes. */
  models = atc_catalog_get_models (atc_catalog_get_default ());
  for (guint i = 0; i < models->len; i++)
    {
      AtcModel *other = g_ptr_array_index (models, i);
      const AtcCommand *there = other != model ? atc_model_lookup (other, key) : NULL;

      if (there != NULL && there->name && *there->name)
        {
          g_string_append_printf (message, _("%s is a command of the %s; this unit is a %s."),
                                  there->name, atc_model_get_name (other),
                                  atc_model_get_name (model));
          g_set_error_literal (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND, message->str);
          return NULL;
        }
    }

  g_string_append_printf (message, _("Unknown command “%s” for the %s."),
                          key, atc_model_get_name (model));
  close = atc_cli_suggest_commands (model, key, 5);
  if (close[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", (char **) close);

      g_string_append_printf (message, _(" Did you mean: %s?"), list);
    }

  g_set_error_literal (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND, message->str);
  return NULL;
}

static gboolean
field_needs_quotes (const char *value)
{
  gsize len = strlen (value);

  if (len == 0 || value[0] == ' ' || value[len - 1] == ' ')
    return TRUE;
  for (const char *p = value; *p; p++)
    if (*p == ',' || *p == '"' || *p == '\\' || (guchar) *p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

char *
atc_cli_quote_field (const char *value)
{
  GString *out;

  if (!field_needs_quotes (value))
    return g_strdup (value);

  out = g_string_new ("\"");
  for (const char *p = value; *p; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if ((guchar) *p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\x%02X", (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* Reads the escape after a backslash at *p; advances *p past it. */
static gboolean
read_escape (const char **p,
             GString     *field,
             const char  *text,
             GError     **error)
{
  const char *s = *p;

  switch (*s)
    {
    case '\0':
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("“%s” ends with a lone backslash; write \\\\ for a backslash"), text);
      return FALSE;
    case 'n': g_string_append_c (field, '\n'); break;
    case 'r': g_string_append_c (field, '\r'); break;
    case 't': g_string_append_c (field, '\t'); break;
    case 'x':
      if (g_ascii_isxdigit (s[1]) && g_ascii_isxdigit (s[2]))
        {
          g_string_append_c (field, (char) (g_ascii_xdigit_value (s[1]) * 16 +
                                            g_ascii_xdigit_value (s[2])));
          s += 2;
          break;
        }
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("“%s”: \\x must be followed by two hex digits"), text);
      return FALSE;
    default:
      /* Any other escaped character stands for itself: \, \" \\ */
      g_string_append_c (field, *s);
    }
  *p = s + 1;
  return TRUE;
}

GStrv
atc_cli_split_fields (const char *text,
                      GError    **error)
{
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = text;

  for (;;)
    {
      g_string_truncate (field, 0);
      if (*p == '"')
        {
          p++;
          while (*p != '"')
            {
              if (*p == '\0')
                {
                  g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                               _("“%s” has a quote that is never closed"), text);
                  return NULL;
                }
              if (*p == '\\')
                {
                  p++;
                  if (!read_escape (&p, field, text, error))
                    return NULL;
                }
              else
                g_string_append_c (field, *p++);
            }
          p++;
          if (*p != ',' && *p != '\0')
            {
              g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                           _("“%s”: a quoted field must be followed by a comma or the end"),
                           text);
              return NULL;
            }
        }
      else
        {
          while (*p != ',' && *p != '\0')
            {
              if (*p == '\\')
                {
                  p++;
                  if (!read_escape (&p, field, text, error))
                    return NULL;
                }
              else
                g_string_append_c (field, *p++);
            }
        }
      g_strv_builder_add (fields, field->str);
      if (*p == '\0')
        break;
      p++; /* the comma */
    }
  return g_strv_builder_end (fields);
}

gboolean
atc_cli_param_hidden (AtcCli         *cli,
                      const AtcParam *param)
{
  return param->secret && !cli->show_secrets;
}

char *
atc_cli_format_values (AtcCli            *cli,
                       const AtcCommand  *command,
                       const char *const *values)
{
  GString *out = g_string_new (NULL);
  guint n = values ? g_strv_length ((char **) values) : 0;

  for (guint i = 0; i < n; i++)
    {
      const AtcParam *param = i < command->params->len ? g_ptr_array_index (command->params, i)
                                                         : NULL;
      g_autofree char *shown = NULL;

      if (param && atc_cli_param_hidden (cli, param))
        shown = g_strdup (ATC_CLI_SECRET_MASK);
      else
        shown = atc_cli_quote_field (values[i]);
      if (i > 0)
        g_string_append (out, ", ");
      if (param)
        g_string_append_printf (out, "%s=%s", param->name, shown);
      else
        g_string_append (out, shown);
    }
  return g_string_free (out, FALSE);
}

void
atc_cli_build_values (AtcCli            *cli,
                      JsonBuilder       *builder,
                      const AtcCommand  *command,
                      const char *const *values)
{
  guint n = values ? g_strv_length ((char **) values) : 0;

  json_builder_begin_object (builder);
  for (guint i = 0; i < n && i < command->params->len; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);
      gint64 number;

      json_builder_set_member_name (builder, param->name);
      if (atc_cli_param_hidden (cli, param))
        json_builder_add_null_value (builder);
      else if ((param->type == ATC_PARAM_INT || param->type == ATC_PARAM_PORT) &&
               g_ascii_string_to_signed (values[i], 10, G_MININT64, G_MAXINT64, &number, NULL))
        json_builder_add_int_value (builder, number);
      else
        json_builder_add_string_value (builder, values[i]);
    }
  json_builder_end_object (builder);
}

void
atc_cli_print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
atc_cli_print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  atc_cli_print_json (root);
}

void
atc_cli_add_string_or_null (JsonBuilder *builder,
                            const char  *name,
                            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
atc_cli_add_string_array (JsonBuilder       *builder,
                          const char        *name,
                          const char *const *strv)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

int
atc_cli_exit_status (const GError *error)
{
  if (error == NULL)
    return ATC_CLI_EXIT_OK;
  if (error->domain == G_OPTION_ERROR)
    return ATC_CLI_EXIT_USAGE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return ATC_CLI_EXIT_INTERRUPTED;
  if (error->domain == ATC_ERROR)
    {
      switch ((AtcError) error->code)
        {
        case ATC_ERROR_ADDRESS:
          return ATC_CLI_EXIT_USAGE;
        case ATC_ERROR_INVALID_VALUE:
        case ATC_ERROR_UNSAFE_VALUE:
        case ATC_ERROR_UNKNOWN_COMMAND:
        case ATC_ERROR_NOT_SUPPORTED:
          return ATC_CLI_EXIT_REFUSED;
        case ATC_ERROR_UNIT_ERROR:
        case ATC_ERROR_VERIFY:
          return ATC_CLI_EXIT_UNIT;
        default:
          return ATC_CLI_EXIT_DEVICE;
        }
    }
  return ATC_CLI_EXIT_DEVICE;
}

void
atc_cli_print_error (AtcCli       *cli,
                     const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr (_("%s: interrupted\n"), g_get_prgname ());
      return;
    }

  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  if (atc_cli_exit_status (error) == ATC_CLI_EXIT_USAGE && cli->command != NULL)
    g_printerr (_("Try “%s --help”.\n"), g_get_prgname ());
  if (cli->list_ports_on_error)
    atc_cli_print_ports_hint ();
}
