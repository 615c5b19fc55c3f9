/* atc-console-line.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atc-console-line.h"

/* Shorter strings would match ordinary text: only passwords at least this
 * long make a kept line suspicious. */
#define PASSWORD_MIN_LEN 4

static GPtrArray *
known_passwords (AtcModel          *model,
                 const char *const *passwords)
{
  GPtrArray *list = g_ptr_array_new ();
  const char *factory = model ? atc_model_get_command_password (model) : NULL;

  for (guint i = 0; passwords != NULL && passwords[i] != NULL; i++)
    if (*passwords[i] != '\0')
      g_ptr_array_add (list, (gpointer) passwords[i]);
  if (factory != NULL && *factory != '\0')
    g_ptr_array_add (list, (gpointer) factory);

  return list;
}

gssize
atc_console_line_command_start (AtcModel          *model,
                                const char *const *passwords,
                                const char        *line)
{
  g_autoptr(GPtrArray) known = NULL;

  g_return_val_if_fail (line != NULL, -1);

  if (g_ascii_strncasecmp (line, "AT", 2) == 0)
    return 0;

  known = known_passwords (model, passwords);
  for (guint i = 0; i < known->len; i++)
    {
      const char *password = g_ptr_array_index (known, i);
      gsize len = strlen (password);

      if (strncmp (line, password, len) == 0 && g_ascii_strncasecmp (line + len, "AT", 2) == 0)
        return len;
    }

  /* An unknown password (or a typo before the command) is never kept:
   * start at the command itself. */
  for (const char *p = line; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, "AT+", 3) == 0)
      return p - line;

  return -1;
}

const AtcCommand *
atc_console_line_lookup (AtcModel   *model,
                         const char *at_line,
                         gboolean   *is_set)
{
  g_autofree char *name = NULL;
  gsize len;

  g_return_val_if_fail (at_line != NULL, NULL);

  if (is_set != NULL)
    *is_set = FALSE;
  if (g_ascii_strncasecmp (at_line, "AT+", 3) != 0)
    return NULL;

  len = strcspn (at_line + 3, "=?");
  if (is_set != NULL)
    *is_set = at_line[3 + len] == '=';
  if (model == NULL)
    return NULL;

  name = g_ascii_strup (at_line + 3, len);
  return atc_model_lookup (model, g_strstrip (name));
}

char *
atc_console_line_for_history (AtcModel          *model,
                              const char *const *passwords,
                              const char        *line)
{
  g_autoptr(GPtrArray) known = NULL;
  const AtcCommand *command;
  g_autofree char *kept = NULL;
  gboolean is_set;
  gssize start;

  g_return_val_if_fail (line != NULL, NULL);

  start = atc_console_line_command_start (model, passwords, line);
  if (start < 0)
    return NULL;  /* maybe a mistyped password: keep nothing */

  command = atc_console_line_lookup (model, line + start, &is_set);
  if (is_set && (model == NULL || command == NULL || atc_command_has_secret (command)))
    {
      /* Without the catalog's word that no field is secret, keep the name
       * only. An unknown command keeps it too: it may be an alias. */
      gsize len = strcspn (line + start, "=");

      if (model == NULL || command == NULL)
        kept = g_strndup (line + start, len + 1);
      else
        kept = g_strdup_printf ("AT+%s=", command->name);
    }
  else
    kept = g_strdup (line + start);

  /* A password typed as an ordinary value is still a password. */
  known = known_passwords (model, passwords);
  for (guint i = 0; i < known->len; i++)
    {
      const char *password = g_ptr_array_index (known, i);

      if (strlen (password) >= PASSWORD_MIN_LEN && strstr (kept, password) != NULL)
        return NULL;
    }

  return g_steal_pointer (&kept);
}

GStrv
atc_console_line_complete (AtcModel          *model,
                           const char *const *passwords,
                           const char        *before_cursor)
{
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();
  GPtrArray *commands;
  const char *typed;
  gssize start;
  gsize typed_len;

  g_return_val_if_fail (before_cursor != NULL, NULL);

  /* Only the command name is completed: nothing after '=', '?' or ','. */
  if (strpbrk (before_cursor, "=?,") != NULL)
    return g_strv_builder_end (out);
  if (strlen (before_cursor) < 3 &&
      g_ascii_strncasecmp ("AT+", before_cursor, strlen (before_cursor)) == 0)
    {
      g_strv_builder_add (out, "AT+");
      return g_strv_builder_end (out);
    }

  start = atc_console_line_command_start (model, passwords, before_cursor);
  if (model == NULL || start < 0 || g_ascii_strncasecmp (before_cursor + start, "AT+", 3) != 0)
    return g_strv_builder_end (out);

  typed = before_cursor + start + 3;
  typed_len = strlen (typed);
  commands = atc_model_get_commands (model);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      g_autofree char *candidate = NULL;

      if (command->name == NULL || *command->name == '\0' ||
          g_ascii_strncasecmp (command->name, typed, typed_len) != 0)
        continue;

      candidate = g_strdup_printf ("%.*sAT+%s", (int) start, before_cursor, command->name);
      g_strv_builder_add (out, candidate);
    }

  return g_strv_builder_end (out);
}
