/* atc-script.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "atc-codec.h"
#include "atc-config-private.h"
#include "atc-error.h"
#include "atc-script.h"
#include "atc-transaction-log.h"
#include "atc-validate.h"

char *
atc_script_format_set (const AtcCommand   *command,
                       const char *const  *values,
                       gboolean            with_secrets,
                       GError            **error)
{
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;
  const char *equals;
  gboolean masked = FALSE;

  g_return_val_if_fail (command != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  line = atc_codec_format_set (command, values, error);
  if (line == NULL)
    return NULL;

  if (with_secrets)
    return g_steal_pointer (&line);

  for (guint i = 0; i < command->params->len && values[i] != NULL; i++)
    if (((const AtcParam *) g_ptr_array_index (command->params, i))->secret && *values[i] != '\0')
      masked = TRUE;
  if (!masked)
    return g_steal_pointer (&line);

  /* Escaping keeps ',' out of the values, so the fields after '=' are the
   * parameters in order; if they are not, mask all of them rather than
   * guess which one holds the secret. */
  equals = strchr (line, '=');
  g_assert (equals != NULL);
  fields = g_strsplit (equals + 1, ",", -1);
  if (g_strv_length (fields) != command->params->len)
    return g_strdup_printf ("%.*s%s", (int) (equals - line + 1), line, ATC_SECRET_MASK);

  for (guint i = 0; fields[i] != NULL; i++)
    if (((const AtcParam *) g_ptr_array_index (command->params, i))->secret && *values[i] != '\0')
      {
        g_free (fields[i]);
        fields[i] = g_strdup (ATC_SECRET_MASK);
      }

  {
    g_autofree char *joined = g_strjoinv (",", fields);

    return g_strdup_printf ("%.*s%s", (int) (equals - line + 1), line, joined);
  }
}

static gboolean
has_secret_value (const AtcCommand  *command,
                  const char *const *values)
{
  for (guint i = 0; i < command->params->len; i++)
    if (((const AtcParam *) g_ptr_array_index (command->params, i))->secret && *values[i] != '\0')
      return TRUE;

  return FALSE;
}

/* "AT+APN=CMNET,,•••,0" for a command whose secret is not known: the
 * line a technician completes by hand. */
static char *
withheld_line (const AtcCommand  *command,
               AtcProfile        *profile)
{
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "AT+%s=", command->name);
  for (guint i = 0; i < command->params->len; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);
      const char *value = atc_profile_get_value (profile, command->name, param->name);
      g_autofree char *encoded = NULL;

      if (i > 0)
        g_string_append_c (line, ',');
      if (value == NULL || param->secret)
        g_string_append (line, ATC_SECRET_MASK);
      else if ((encoded = atc_escape_encode_param (param, value, NULL)) != NULL)
        g_string_append (line, encoded);
      else
        g_string_append (line, value);
    }

  return g_string_free (line, FALSE);
}

/* The script of `commands` with their values from `config`; the change
 * lines of `diff` as comments when given. Commands in `withheld` lack a
 * secret (a profile saved without passwords) and come out as comments
 * from `profile`. */
static char *
export_commands (AtcConfig      *config,
                 GPtrArray      *commands,
                 AtcConfigDiff  *diff,
                 GHashTable     *withheld,
                 AtcProfile     *profile,
                 const char     *firmware,
                 gboolean        with_secrets,
                 GError        **error)
{
  g_autoptr(GString) script = g_string_new (NULL);
  g_autoptr(GString) problems = g_string_new (NULL);
  AtcModel *model = atc_config_get_model (config);
  guint n_problems = 0;

  g_string_append (script, "# Atconf AT command script\n");
  g_string_append_printf (script, "# model: %s (%s)\n", atc_model_get_id (model), atc_model_get_name (model));
  if (firmware != NULL)
    g_string_append_printf (script, "# firmware: %s\n", firmware);
  g_string_append (script, _("# Send each line in command mode, one at a time, and wait for the reply;\n"
                             "# then restart the unit so the settings take effect.\n"));

  if (commands->len == 0)
    g_string_append (script, _("# Nothing to send: the unit already holds these settings.\n"));

  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      g_auto(GStrv) values = atc_config_get_values (config, command->name);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *line = NULL;
      gboolean hide;

      if (withheld != NULL && g_hash_table_contains (withheld, command->name))
        {
          g_autofree char *masked = withheld_line (command, profile);

          g_string_append_c (script, '\n');
          if (command->description != NULL && *command->description != '\0')
            g_string_append_printf (script, "# %s\n", command->description);
          g_string_append_printf (script,
                                  _("# The profile holds no password here; type it in place of %s:\n# %s\n"),
                                  ATC_SECRET_MASK, masked);
          continue;
        }

      if (values == NULL)
        {
          g_string_append_printf (problems, "\n%s: %s", command->name,
                                  _("some values are missing; read the unit first"));
          n_problems++;
          continue;
        }

      hide = !with_secrets && has_secret_value (command, (const char *const *) values);
      line = atc_script_format_set (command, (const char *const *) values, with_secrets, &local_error);
      if (line == NULL)
        {
          g_string_append_printf (problems, "\n%s", local_error->message);
          n_problems++;
          continue;
        }

      g_string_append_c (script, '\n');
      if (diff != NULL)
        {
          g_autoptr(GPtrArray) changes = atc_config_diff_get_command_changes (diff, command->name);

          for (guint j = 0; j < changes->len; j++)
            {
              g_autofree char *text = atc_config_change_to_string (g_ptr_array_index (changes, j), with_secrets);

              g_string_append_printf (script, "# %s\n", text);
            }
        }
      else if (command->description != NULL && *command->description != '\0')
        g_string_append_printf (script, "# %s\n", command->description);

      if (hide)
        g_string_append_printf (script,
                                _("# Holds a secret, left out; export with secrets to include it:\n# %s\n"),
                                line);
      else
        g_string_append_printf (script, "%s\n", line);
    }

  if (n_problems > 0)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   ngettext ("Cannot write the script, %u setting needs fixing:%s",
                             "Cannot write the script, %u settings need fixing:%s", n_problems),
                   n_problems, problems->str);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&script), FALSE);
}

char *
atc_script_export (AtcConfig      *config,
                   AtcConfigDiff  *diff,
                   gboolean        with_secrets,
                   GError        **error)
{
  g_autoptr(GPtrArray) commands = NULL;
  const char *firmware;

  g_return_val_if_fail (ATC_IS_CONFIG (config), NULL);
  g_return_val_if_fail (diff == NULL || ATC_IS_CONFIG_DIFF (diff), NULL);

  firmware = atc_config_get_fact (config, "VER");
  if (firmware == NULL)
    firmware = atc_model_get_firmware (atc_config_get_model (config));

  if (diff != NULL)
    commands = g_ptr_array_ref (atc_config_diff_get_commands (diff));
  else
    {
      GPtrArray *all = atc_config_get_commands (config);

      commands = g_ptr_array_new ();
      for (guint i = 0; i < all->len; i++)
        {
          const AtcCommand *command = g_ptr_array_index (all, i);

          /* A failed read shows catalog defaults, not the unit's values;
           * what belongs to one unit (USERMAC, CLOUD) is not for others. */
          if (!command->per_unit &&
              atc_config_has_values (config, command->name) &&
              atc_config_get_read_error (config, command->name) == NULL)
            g_ptr_array_add (commands, (gpointer) command);
        }
    }

  return export_commands (config, commands, diff, NULL, NULL, firmware, with_secrets, error);
}

static int
compare_rank (gconstpointer a,
              gconstpointer b)
{
  const AtcCommand *x = *(const AtcCommand **) a;
  const AtcCommand *y = *(const AtcCommand **) b;

  return atc_config_command_apply_rank (x) - atc_config_command_apply_rank (y);
}

char *
atc_script_export_profile (AtcProfile  *profile,
                           gboolean     with_secrets,
                           GError     **error)
{
  g_autoptr(AtcConfig) base = NULL;
  g_autoptr(AtcConfig) config = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(GHashTable) withheld = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) partial = g_string_new (NULL);

  g_return_val_if_fail (ATC_IS_PROFILE (profile), NULL);

  base = atc_config_new (atc_profile_get_model (profile));
  config = atc_profile_apply_to_config (profile, base);
  commands = atc_profile_get_commands (profile);

  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      gboolean missing = FALSE;
      gboolean missing_plain = FALSE;

      for (guint j = 0; j < command->params->len; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);

          if (atc_profile_get_value (profile, command->name, param->name) == NULL)
            {
              missing = TRUE;
              missing_plain |= !param->secret;
            }
        }

      /* Only its password left out (saved without secrets): written as a
       * comment to complete by hand, as with any secret. */
      if (missing && !missing_plain)
        g_hash_table_add (withheld, command->name);
      else if (missing)
        g_string_append_printf (partial, "%s%s", partial->len ? ", " : "", command->name);
    }

  /* A set command carries every parameter: the missing ones would be
   * guesses without a unit to take them from. */
  if (partial->len > 0)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_PROFILE,
                   _("The profile gives only some parameters of %s; connect the unit so the "
                     "others are taken from it, or give them all in the profile"),
                   partial->str);
      return NULL;
    }

  /* Stable: catalog order within each rank. */
  g_ptr_array_sort (commands, compare_rank);

  return export_commands (config, commands, NULL, withheld, profile,
                          atc_profile_get_firmware (profile), with_secrets, error);
}

gboolean
atc_script_save_file (const char  *text,
                      const char  *path,
                      gboolean     with_secrets,
                      GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return atc_config_write_file (path, text, with_secrets, error);
}

/* Import */

static void G_GNUC_PRINTF (3, 4)
add_problem (GPtrArray  *problems,
             guint       line_number,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (problems, g_strdup_printf (_("line %u: %s"), line_number, message));
}

static void
import_line (AtcProfile *profile,
             AtcModel   *model,
             GPtrArray  *problems,
             guint       n,
             const char *line)
{
  g_autofree char *name = NULL;
  g_auto(GStrv) fields = NULL;
  g_auto(GStrv) values = NULL;
  g_autoptr(GError) error = NULL;
  const AtcCommand *command;
  const char *equals;
  const char *end;

  if (g_ascii_strncasecmp (line, "AT+", 3) != 0)
    {
      add_problem (problems, n, _("expected a command such as AT+UART=…, a comment starting with # or a blank line"));
      return;
    }

  if (strchr (line, ';') != NULL)
    {
      add_problem (problems, n, _("';' cannot appear in a command line: the unit starts a new command there"));
      return;
    }

  equals = strchr (line, '=');
  end = equals ? equals : line + strlen (line);
  if (end > line + 3 && end[-1] == '?')
    end--;
  name = g_ascii_strup (line + 3, end - line - 3);
  g_strstrip (name);

  command = atc_model_lookup (model, name);
  if (command == NULL)
    {
      add_problem (problems, n, _("the %s has no command %s"), atc_model_get_name (model), name);
      return;
    }

  if (!atc_command_is_setting (command) || command->identity || command->live_status)
    {
      add_problem (problems, n, _("AT+%s is not a setting; a script holds only set commands (AT+CMD=…)"),
                   command->name);
      return;
    }

  if (command->per_unit)
    {
      add_problem (problems, n, _("AT+%s belongs to one unit and is never copied by a profile; set it on the unit itself"),
                   command->name);
      return;
    }

  if (equals == NULL)
    {
      add_problem (problems, n, _("AT+%s is a query; write AT+%s=… with the values to set"),
                   command->name, command->name);
      return;
    }

  /* Split and decode here rather than with atc_codec_parse_value(): that
   * one reads replies, accepts the documents' misprinted field orders and
   * words its errors for a unit's answer; a script line is typed by a
   * person, in the documented order. Escapes keep ',' out of values. */
  if (equals[1] == '\0')
    {
      fields = g_new0 (char *, 2);
      fields[0] = g_strdup ("");
    }
  else
    fields = g_strsplit (equals + 1, ",", -1);

  if (g_strv_length (fields) != command->params->len)
    {
      add_problem (problems, n,
                   ngettext ("AT+%s takes %u value, this line has %u",
                             "AT+%s takes %u values, this line has %u", command->params->len),
                   command->name, command->params->len, g_strv_length (fields));
      return;
    }

  values = g_new0 (char *, command->params->len + 1);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);

      if (strstr (fields[i], ATC_SECRET_MASK) != NULL)
        {
          add_problem (problems, n,
                       _("the %s was masked when the script was exported; type the real value or export with secrets"),
                       param->name);
          return;
        }
      values[i] = atc_escape_decode (fields[i], param->escape);
    }

  {
    g_auto(GStrv) canonical = atc_command_validate (command, (const char *const *) values, &error);

    if (canonical == NULL)
      {
        g_autofree char *message =
          atc_config_redact (atc_config_strip_prefix (command, NULL, error->message),
                             command, (const char *const *) values);

        add_problem (problems, n, "%s", message);
        return;
      }

    for (guint i = 0; canonical[i] != NULL; i++)
      {
        const AtcParam *param = g_ptr_array_index (command->params, i);

        atc_profile_set_value (profile, command->name, param->name, canonical[i], NULL);
      }
  }
}

AtcProfile *
atc_script_import (const char  *text,
                   const char  *name,
                   AtcModel    *model,
                   GError     **error)
{
  g_autoptr(AtcProfile) profile = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (ATC_IS_MODEL (model), NULL);

  if (name == NULL)
    name = _("script");

  profile = atc_profile_new (model);
  atc_profile_set_firmware (profile, NULL);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      guint n = i + 1;

      if (*line == '\0')
        continue;

      if (*line == '#')
        {
          const char *rest = line + 1;

          while (g_ascii_isspace (*rest))
            rest++;

          /* Our own header says which model the script was written for. */
          if (g_str_has_prefix (rest, "model:"))
            {
              g_autofree char *id = NULL;
              const char *start = rest + strlen ("model:");
              const char *stop;

              while (g_ascii_isspace (*start))
                start++;
              for (stop = start; *stop && !g_ascii_isspace (*stop); stop++)
                ;
              id = g_strndup (start, stop - start);
              if (*id && g_ascii_strcasecmp (id, atc_model_get_id (model)) != 0)
                add_problem (problems, n, _("the script is for the model %s, not the %s (%s)"),
                             id, atc_model_get_name (model), atc_model_get_id (model));
            }
          else if (g_str_has_prefix (rest, "firmware:"))
            {
              g_autofree char *firmware = g_strstrip (g_strdup (rest + strlen ("firmware:")));

              if (*firmware)
                atc_profile_set_firmware (profile, firmware);
            }
          continue;
        }

      import_line (profile, model, problems, n, line);
    }

  if (problems->len > 0)
    {
      g_autofree char *header =
        g_strdup_printf (ngettext ("%s has %u problem; fix it and import the script again:",
                                   "%s has %u problems; fix them and import the script again:",
                                   problems->len),
                         name, problems->len);

      atc_config_set_problems (error, header, problems);
      return NULL;
    }

  return g_steal_pointer (&profile);
}
