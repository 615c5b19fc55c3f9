/* atc-sim-faults.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "atc-error.h"
#include "atc-sim-faults.h"

static gboolean
parse_probability (const char *key,
                   const char *value,
                   double     *out,
                   GError    **error)
{
  char *end = NULL;
  double d;

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("Fault “%s” needs a probability, for example %s=0.01"), key, key);
      return FALSE;
    }

  d = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !(d >= 0.0 && d <= 1.0))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("Fault “%s”: “%s” is not a probability; give a number from 0 to 1"),
                   key, value);
      return FALSE;
    }

  *out = d;
  return TRUE;
}

static gboolean
parse_flag (const char *key,
            const char *value,
            gboolean   *out,
            GError    **error)
{
  if (value == NULL || g_ascii_strcasecmp (value, "on") == 0 ||
      g_ascii_strcasecmp (value, "true") == 0 || strcmp (value, "1") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (value, "off") == 0 ||
           g_ascii_strcasecmp (value, "false") == 0 || strcmp (value, "0") == 0)
    *out = FALSE;
  else
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("Fault “%s”: “%s” is not on or off; write %s or %s=off"),
                   key, value, key, key);
      return FALSE;
    }
  return TRUE;
}

gboolean
atc_sim_faults_parse (const char   *spec,
                      AtcSimFaults *faults,
                      GError      **error)
{
  g_auto(GStrv) items = NULL;
  AtcSimFaults result;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (faults != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Work on a copy so a bad item leaves the caller's faults untouched. */
  result = *faults;
  items = g_strsplit (spec, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      const char *value = NULL;
      char *eq;

      key = g_strstrip (g_strdup (items[i]));
      if (*key == '\0')
        continue;
      if ((eq = strchr (key, '=')) != NULL)
        {
          *eq = '\0';
          value = eq + 1;
        }

      if (strcmp (key, "drop") == 0)
        {
          if (!parse_probability (key, value, &result.drop, error))
            return FALSE;
        }
      else if (strcmp (key, "corrupt") == 0)
        {
          if (!parse_probability (key, value, &result.corrupt, error))
            return FALSE;
        }
      else if (strcmp (key, "garbage") == 0)
        {
          if (!parse_probability (key, value, &result.garbage, error))
            return FALSE;
        }
      else if (strcmp (key, "silent") == 0)
        {
          if (!parse_flag (key, value, &result.silent, error))
            return FALSE;
        }
      else if (strcmp (key, "upper-echo") == 0)
        {
          if (!parse_flag (key, value, &result.upper_echo, error))
            return FALSE;
        }
      else if (strcmp (key, "disconnect") == 0)
        {
          guint64 n = 0;

          if (value == NULL ||
              !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &n, NULL))
            {
              g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                           _("Fault “disconnect” needs a number of commands, for "
                             "example disconnect=5 (0 turns it off)"));
              return FALSE;
            }
          result.disconnect_after = (guint) n;
        }
      else
        {
          g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                       _("Unknown fault “%s”; use drop, corrupt, garbage, silent, "
                         "upper-echo or disconnect"),
                       key);
          return FALSE;
        }
    }

  *faults = result;
  return TRUE;
}

char *
atc_sim_faults_to_string (const AtcSimFaults *faults)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (faults != NULL, NULL);

  if (faults->drop > 0)
    g_ptr_array_add (items, g_strconcat ("drop=", g_ascii_dtostr (buf, sizeof buf, faults->drop), NULL));
  if (faults->corrupt > 0)
    g_ptr_array_add (items, g_strconcat ("corrupt=", g_ascii_dtostr (buf, sizeof buf, faults->corrupt), NULL));
  if (faults->garbage > 0)
    g_ptr_array_add (items, g_strconcat ("garbage=", g_ascii_dtostr (buf, sizeof buf, faults->garbage), NULL));
  if (faults->silent)
    g_ptr_array_add (items, g_strdup ("silent"));
  if (faults->upper_echo)
    g_ptr_array_add (items, g_strdup ("upper-echo"));
  if (faults->disconnect_after > 0)
    g_ptr_array_add (items, g_strdup_printf ("disconnect=%u", faults->disconnect_after));
  g_ptr_array_add (items, NULL);

  return g_strjoinv (",", (char **) items->pdata);
}

gboolean
atc_sim_faults_any (const AtcSimFaults *faults)
{
  g_return_val_if_fail (faults != NULL, FALSE);

  return faults->drop > 0 || faults->corrupt > 0 || faults->garbage > 0 ||
         faults->silent || faults->upper_echo || faults->disconnect_after > 0;
}

void
atc_sim_faults_mangle (const AtcSimFaults *faults,
                       GRand              *rand,
                       GByteArray         *bytes)
{
  guint out = 0;

  g_return_if_fail (faults != NULL);
  g_return_if_fail (rand != NULL);
  g_return_if_fail (bytes != NULL);

  if (faults->drop <= 0 && faults->corrupt <= 0)
    return;

  for (guint i = 0; i < bytes->len; i++)
    {
      guint8 b = bytes->data[i];

      if (faults->drop > 0 && g_rand_double (rand) < faults->drop)
        continue;
      if (faults->corrupt > 0 && g_rand_double (rand) < faults->corrupt)
        {
          /* Flip at least one bit so the byte really changes. */
          b ^= (guint8) g_rand_int_range (rand, 1, 256);
        }
      bytes->data[out++] = b;
    }
  g_byte_array_set_size (bytes, out);
}

void
atc_sim_faults_append_noise (GRand      *rand,
                             GByteArray *bytes,
                             guint       len)
{
  g_return_if_fail (rand != NULL);
  g_return_if_fail (bytes != NULL);

  for (guint i = 0; i < len; i++)
    {
      guint8 b = (guint8) g_rand_int_range (rand, 0x80, 0x100);

      g_byte_array_append (bytes, &b, 1);
    }
}
