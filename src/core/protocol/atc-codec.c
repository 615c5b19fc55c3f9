/* atc-codec.c: AT command lines and reply values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "atc-codec.h"
#include "atc-error.h"
#include "atc-validate.h"

/* "AT" for the empty name (the test command), "AT+NAME" otherwise. A
 * catalog may also spell a whole command ("AT+MAC"). */
static char *
format_bare (const char *name)
{
  if (name == NULL || name[0] == '\0')
    return g_strdup ("AT");
  if (g_ascii_strncasecmp (name, "AT+", 3) == 0)
    return g_strdup (name);
  return g_strconcat ("AT+", name, NULL);
}

char *
atc_codec_format_query (const AtcCommand *command)
{
  g_return_val_if_fail (command != NULL, NULL);

  /* Both documents list the bare form ("AT+CSQ"); the G781 also takes
   * "AT+CSQ?" but the M0 does not, so the bare form is always sent. */
  if (command->query_command != NULL && command->query_command[0] != '\0')
    return format_bare (command->query_command);
  return format_bare (command->name);
}

char *
atc_codec_format_execute (const AtcCommand *command)
{
  g_return_val_if_fail (command != NULL, NULL);

  return format_bare (command->name);
}

static const char *
param_label (const AtcParam *param)
{
  if (param->label != NULL && param->label[0] != '\0')
    return param->label;
  return param->name;
}

char *
atc_codec_format_set (const AtcCommand *command,
                      const char *const *values,
                      GError           **error)
{
  g_auto(GStrv) canonical = NULL;
  g_autoptr(GString) line = NULL;
  guint n_params;

  g_return_val_if_fail (command != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n_params = command->params != NULL ? command->params->len : 0;

  if ((command->access & ATC_ACCESS_SET) == 0 || n_params == 0)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                   _("%s cannot be set: the unit only reports it"),
                   command->name[0] != '\0' ? command->name : "AT");
      return NULL;
    }

  canonical = atc_command_validate (command, values, error);
  if (canonical == NULL)
    return NULL;

  /* The validator returns one value per parameter; anything else is a
   * bug there, and joining a short list would send a wrong line. */
  g_return_val_if_fail (g_strv_length (canonical) == n_params, NULL);

  line = g_string_new (NULL);
  g_string_append_printf (line, "AT+%s=", command->name);

  for (guint i = 0; i < n_params; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *wire = NULL;

      wire = atc_escape_encode_param (param, canonical[i], &local_error);
      if (wire == NULL)
        {
          /* The escape messages never quote the value, so secrets stay out. */
          g_set_error (error, local_error->domain, local_error->code, "%s, %s: %s",
                       command->name, param_label (param), local_error->message);
          return NULL;
        }

      if (i > 0)
        g_string_append_c (line, ',');
      g_string_append (line, wire);
    }

  return g_string_free (g_steal_pointer (&line), FALSE);
}

char *
atc_codec_format_with_password (const char *password,
                                const char *line,
                                GError    **error)
{
  g_return_val_if_fail (line != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (password == NULL || password[0] == '\0')
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("The command password is empty; enter the unit's password "
                     "(AT+CMDPW, “www.usr.cn#” by default) to send commands over the data "
                     "channel"));
      return NULL;
    }

  /* The password itself is never quoted in these messages. */
  if (strpbrk (password, "\r\n;") != NULL)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                   _("The command password contains a line break or a semicolon, which "
                     "would split the command line; check the password set with AT+CMDPW"));
      return NULL;
    }

  return g_strconcat (password, line, NULL);
}

/* One reading of the fields: field i of the reply is parameter order[i]
 * (or parameter i when order is NULL). Fills the result in parameter
 * order. */
static char **
parse_in_order (const AtcCommand *command,
                const char *const *order,
                char             **fields,
                GError           **error)
{
  guint n_params = command->params->len;
  /* Filled out of order when order is given: a NULL may come before a
   * value, so a failure frees every slot (g_strfreev() would stop at the
   * first NULL and leak the rest). */
  g_autoptr(GPtrArray) result = g_ptr_array_new_full (n_params + 1, g_free);

  g_ptr_array_set_size (result, n_params);

  for (guint i = 0; i < n_params; i++)
    {
      const AtcParam *param;
      g_autofree char *decoded = NULL;
      g_autoptr(GError) local_error = NULL;
      char *canonical;
      guint slot = i;

      if (order != NULL)
        {
          param = atc_command_lookup_param (command, order[i]);
          if (param == NULL || !g_ptr_array_find (command->params, param, &slot))
            {
              g_set_error (error, ATC_ERROR, ATC_ERROR_CATALOG,
                           "%s: reply order names an unknown parameter “%s”",
                           command->name, order[i]);
              return NULL;
            }
        }
      else
        {
          param = g_ptr_array_index (command->params, i);
        }

      if (g_ptr_array_index (result, slot) != NULL)
        {
          g_set_error (error, ATC_ERROR, ATC_ERROR_CATALOG,
                       "%s: reply order names parameter “%s” twice",
                       command->name, param->name);
          return NULL;
        }

      decoded = atc_escape_decode (fields[i], param->escape);
      /* Numbers, words and addresses never carry spaces, and some
       * firmwares pad after a comma; free text keeps its spaces. */
      if (param->type != ATC_PARAM_STRING)
        g_strstrip (decoded);

      canonical = atc_param_validate (command, param, decoded, &local_error);
      if (canonical == NULL)
        {
          if (param->secret)
            g_set_error (error, ATC_ERROR, ATC_ERROR_MALFORMED_REPLY,
                         _("The unit's reply to AT+%s has a %s that does not fit the "
                           "catalog; its firmware may differ from the one Atconf knows"),
                         command->name, param_label (param));
          else
            g_set_error (error, ATC_ERROR, ATC_ERROR_MALFORMED_REPLY,
                         _("The unit's reply to AT+%s does not fit the catalog (%s); its "
                           "firmware may differ from the one Atconf knows"),
                         command->name, local_error->message);
          return NULL;
        }
      g_ptr_array_index (result, slot) = canonical;
    }

  g_ptr_array_add (result, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&result), FALSE);
}

char **
atc_codec_parse_value (const AtcCommand *command,
                       const char       *value,
                       GError          **error)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) first_error = NULL;
  guint n_params;
  guint n_fields;
  char **result;

  g_return_val_if_fail (command != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n_params = command->params != NULL ? command->params->len : 0;

  /* Commands without parameters have nothing to read; the M0 still
   * says "+OK=rebooting..." after AT+RELD. */
  if (n_params == 0)
    return g_new0 (char *, 1);

  if (value == NULL)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_MALFORMED_REPLY,
                   _("The unit answered AT+%s without a value; try again, and check that "
                     "the device is the model selected"),
                   command->name);
      return NULL;
    }

  /* Literal commas separate fields; a comma inside free text travels as
   * [2C], so splitting on every comma is exact. */
  if (value[0] == '\0')
    {
      fields = g_new0 (char *, 2);
      fields[0] = g_strdup ("");
    }
  else
    {
      fields = g_strsplit (value, ",", -1);
    }
  n_fields = g_strv_length (fields);

  if (n_fields != n_params)
    {
      /* The value is not quoted: it may hold a password. */
      g_set_error (error, ATC_ERROR, ATC_ERROR_MALFORMED_REPLY,
                   _("The unit's reply to AT+%s has %u fields where %u were expected; its "
                     "firmware may differ from the one Atconf knows"),
                   command->name, n_fields, n_params);
      return NULL;
    }

  result = parse_in_order (command, NULL, fields, &first_error);
  if (result != NULL)
    return result;

  /* Field orders the documents print by mistake (G781 AT+UART's return
   * line puts parity second): the order that validates is the one the
   * unit used. The documented order is tried first, so it wins a tie. */
  for (guint i = 0; command->reply_orders != NULL && i < command->reply_orders->len; i++)
    {
      const char *const *order = g_ptr_array_index (command->reply_orders, i);

      if (order == NULL || g_strv_length ((char **) order) != n_params)
        continue;

      result = parse_in_order (command, order, fields, NULL);
      if (result != NULL)
        return result;
    }

  g_propagate_error (error, g_steal_pointer (&first_error));
  return NULL;
}
