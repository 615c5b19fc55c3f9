/* atc-escape.c: readable text <-> wire text inside AT values, and hex payloads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * protocol-notes.md: '=' ',' '?' CR and LF cannot appear literally in a
 * parameter; the firmware writes them as [3D] [2C] [3F] [0D] [0A]. The M0
 * HTTP header writes a CR LF pair as <<CRLF>>. Units also split a command
 * line on ';', so nothing we send may carry one.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "atc-codec.h"
#include "atc-error.h"
#include "atc-escape-private.h"
#include "atc-validate.h"

/* A short, human name for a character a value may not carry. */
static const char *
describe_char (guchar c)
{
  const char *described = atc_describe_char (c);

  if (described != NULL)
    return described;
  if (c == 0x7f)
    return _("a delete character");
  if (c < 0x20)
    return _("a control character");
  return _("a non-ASCII character");
}

/* Which characters a style writes as brackets. */
static gboolean
needs_bracket (guchar c)
{
  return c == '=' || c == ',' || c == '?' || c == '\r' || c == '\n';
}

static char *encode (const char *text,
                     AtcEscape   escape,
                     gboolean    ascii_only,
                     GError    **error);

char *
atc_escape_encode (const char *text,
                   AtcEscape   escape,
                   GError    **error)
{
  return encode (text, escape, FALSE, error);
}

char *
atc_escape_encode_param (const AtcParam *param,
                         const char     *text,
                         GError        **error)
{
  g_return_val_if_fail (param != NULL, NULL);

  return encode (text, param->escape, param->ascii_only, error);
}

static char *
encode (const char *text,
        AtcEscape   escape,
        gboolean    ascii_only,
        GError    **error)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = g_string_sized_new (strlen (text) + 8);

  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      /* The catalog's rule for which bytes a style may carry, shared with
       * validation: ';' ends a command on every unit (";AT+CLEAR" would
       * run), CR LF and ',' need an escape, other control bytes can edit
       * or cut the line in a unit's interpreter. */
      if (!atc_escape_can_carry (escape, c))
        {
          if (c == ';')
            g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                         _("The value contains %s, which the unit reads as the end of a "
                           "command; remove it"),
                         describe_char (c));
          else if (c == ',')
            g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                         _("The value contains %s, which would split it into two fields; "
                           "remove it"),
                         describe_char (c));
          else if (c == '\r' || c == '\n')
            g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                         _("The value contains %s, which would end the command line early; "
                           "remove it"),
                         describe_char (c));
          else
            g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                         _("The value contains %s (byte 0x%02X), which the unit cannot take "
                           "in a command; remove it"),
                         describe_char (c), c);
          return NULL;
        }

      if (escape == ATC_ESCAPE_CRLF_TOKEN && c == '\r' && p[1] == '\n')
        {
          g_string_append (out, ATC_CRLF_TOKEN);
          p++;
          continue;
        }

      if (escape != ATC_ESCAPE_NONE && needs_bracket (c))
        {
          g_string_append_printf (out, "[%02X]", c);
          continue;
        }

      if (ascii_only && c >= 0x80)
        {
          g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                       _("The value contains %s; the unit takes only plain ASCII here, "
                         "so replace accented letters and symbols"),
                       describe_char (c));
          return NULL;
        }

      /* Text that already looks like an escape would come back from the
       * unit as a different character: refuse it instead of guessing
       * whether the technician meant the escape or the literal text. */
      if (escape != ATC_ESCAPE_NONE && atc_bracket_escape_at (p) >= 0)
        {
          /* The value itself is not quoted: it may be a password. */
          g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                       _("The value contains a hex code in square brackets (like “[3F]”), "
                         "which the unit reads as an escaped character; type the "
                         "character itself instead"));
          return NULL;
        }
      if (escape == ATC_ESCAPE_CRLF_TOKEN && atc_crlf_token_at (p))
        {
          g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                       _("The value contains the text “<<CRLF>>”, which the unit reads "
                         "as a line break; type the line break itself instead"));
          return NULL;
        }

      g_string_append_c (out, (char) c);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
atc_escape_decode (const char *wire,
                   AtcEscape   escape)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (wire != NULL, NULL);

  if (escape == ATC_ESCAPE_NONE)
    return g_strdup (wire);

  out = g_string_sized_new (strlen (wire));

  for (const char *p = wire; *p != '\0';)
    {
      int byte;

      if (escape == ATC_ESCAPE_CRLF_TOKEN && atc_crlf_token_at (p))
        {
          g_string_append (out, "\r\n");
          p += ATC_CRLF_TOKEN_LEN;
        }
      else if ((byte = atc_bracket_escape_at (p)) >= 0)
        {
          /* Any hex pair, not only the five the firmware is known to
           * write: a unit that escapes more still reads back right. */
          g_string_append_c (out, (char) byte);
          p += 4;
        }
      else
        {
          /* Malformed brackets ("[3", "[GG]") are kept as typed. */
          g_string_append_c (out, *p);
          p++;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
atc_hex_encode (const guint8 *data,
                gsize         len)
{
  static const char digits[] = "0123456789ABCDEF";
  char *out;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  out = g_malloc (len * 2 + 1);
  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 0x0f];
    }
  out[len * 2] = '\0';

  return out;
}

GBytes *
atc_hex_decode (const char *hex,
                GError    **error)
{
  gsize len;
  guint8 *data;

  g_return_val_if_fail (hex != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = strlen (hex);

  for (gsize i = 0; i < len; i++)
    {
      if (g_ascii_xdigit_value (hex[i]) < 0)
        {
          if ((guchar) hex[i] >= 0x20 && (guchar) hex[i] < 0x7f)
            g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                         _("“%c” at position %zu is not a hex digit; use "
                           "only 0-9 and A-F"),
                         hex[i], i + 1);
          else
            g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                         _("Position %zu holds a character that is not a "
                           "hex digit; use only 0-9 and A-F"),
                         i + 1);
          return NULL;
        }
    }

  if (len % 2 != 0)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("The hex data has an odd number of digits (%zu); each "
                     "byte takes two digits, so add or remove one"),
                   len);
      return NULL;
    }

  data = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len / 2; i++)
    data[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) * 16 +
                        g_ascii_xdigit_value (hex[2 * i + 1]));

  return g_bytes_new_take (data, len / 2);
}
