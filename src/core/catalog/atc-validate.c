/* atc-validate.c: check user values against the catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Messages name the command, then the parameter when the command has more
 * than one ("SOCKA: port 0 is below the minimum 1"), and say which rule
 * failed. The value of a secret parameter never appears in a message; a
 * string's value is not quoted at all, since any string may be a password
 * someone typed in the wrong field.
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "atc-error.h"
#include "atc-escape-private.h"
#include "atc-model-private.h"
#include "atc-validate.h"

/* Longest part of a value quoted back in a message. */
#define QUOTE_MAX_CHARS 40

#define MAC_DIGITS 12

gboolean
atc_escape_can_carry (AtcEscape escape,
                      guchar    c)
{
  /* ';' separates commands on every unit: nothing may carry it. */
  if (c == '\0' || c == ';')
    return FALSE;
  /* The bracket styles write these as [0D] [0A] [2C] (or <<CRLF>>). */
  if (c == '\r' || c == '\n' || c == ',')
    return escape != ATC_ESCAPE_NONE;
  /* Other control bytes can edit or cut the line in a unit's interpreter. */
  if (c < 0x20 || c == 0x7f)
    return FALSE;
  return TRUE;
}

int
atc_bracket_escape_at (const char *p)
{
  int hi, lo;

  if (p[0] != '[')
    return -1;
  if ((hi = g_ascii_xdigit_value (p[1])) < 0 || (lo = g_ascii_xdigit_value (p[2])) < 0 ||
      p[3] != ']')
    return -1;
  if (hi == 0 && lo == 0)
    return -1;
  return hi * 16 + lo;
}

gboolean
atc_crlf_token_at (const char *p)
{
  return g_ascii_strncasecmp (p, ATC_CRLF_TOKEN, ATC_CRLF_TOKEN_LEN) == 0;
}

const char *
atc_describe_char (guchar c)
{
  switch (c)
    {
    case '\0':
      return _("a NUL byte");
    case '\r':
      return _("a carriage return (CR)");
    case '\n':
      return _("a line feed (LF)");
    case ';':
      return _("a semicolon");
    case ',':
      return _("a comma");
    case '\t':
      return _("a tab");
    default:
      return NULL;
    }
}

/* "Baud rate" -> "baud rate", but "IP address" and "URL" stay. */
static char *
display_name (const AtcParam *param)
{
  char *name = g_strdup (param->label);

  if (g_ascii_isupper (name[0]) && !g_ascii_isupper (name[1]))
    name[0] = g_ascii_tolower (name[0]);
  return name;
}

static const char *
command_name (const AtcCommand *command)
{
  return command->name[0] == '\0' ? "AT" : command->name;
}

/* "UART: parity " or "UARTFT: ": what precedes a quoted value. */
static char *
value_prefix (const AtcCommand *command,
              const AtcParam   *param)
{
  g_autofree char *name = NULL;

  if (command->params->len <= 1)
    return g_strdup_printf ("%s: ", command_name (command));

  name = display_name (param);
  return g_strdup_printf ("%s: %s ", command_name (command), name);
}

/* A value fit to appear in a message: shortened, never a secret. */
static char *
quote (const char *value)
{
  if (g_utf8_strlen (value, -1) <= QUOTE_MAX_CHARS)
    return g_strdup_printf ("'%s'", value);
  else
    {
      g_autofree char *head = g_utf8_substring (value, 0, QUOTE_MAX_CHARS);

      return g_strdup_printf ("'%s…'", head);
    }
}

static char *
with_unit (gint64          number,
           const AtcParam *param)
{
  if (param->unit != NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT " %s", number, param->unit);
  return g_strdup_printf ("%" G_GINT64_FORMAT, number);
}

/* What a valid value looks like, to end "... is empty; enter ...". */
static char *
describe_expected (const AtcParam *param)
{
  switch (param->type)
    {
    case ATC_PARAM_ENUM:
      {
        g_autofree char *words = g_strjoinv (", ", param->choices);

        return g_strdup_printf (_("one of %s"), words);
      }

    case ATC_PARAM_INT:
    case ATC_PARAM_PORT:
      {
        g_autofree char *max = with_unit (param->max, param);

        return g_strdup_printf (_("a whole number from %" PRId64 " to %s"),
                                param->min, max);
      }

    case ATC_PARAM_STRING:
      return g_strdup_printf (_("%" PRId64 " to %" PRId64 " bytes of text"),
                              param->min, param->max);

    case ATC_PARAM_HEX:
      return g_strdup_printf (_("%" PRId64 " to %" PRId64 " hex digits"),
                              param->min, param->max);

    case ATC_PARAM_IPV4:
      return g_strdup (_("an IPv4 address such as 192.168.0.7"));

    case ATC_PARAM_HOST:
      return g_strdup (_("an IPv4 address or host name such as test.usr.cn"));

    case ATC_PARAM_MAC:
      return g_strdup (_("a MAC address of 12 hex digits such as D8B04C000001"));

    default:
      g_assert_not_reached ();
    }
}

static const char *
describe_char (guchar c)
{
  const char *described = atc_describe_char (c);

  return described != NULL ? described : _("a control character");
}

/* CR, LF, ';', NUL and the like: checked before anything else, for every
 * type, because such a value must never reach the command line. */
static gboolean
check_safe (const AtcCommand *command,
            const AtcParam   *param,
            const char       *value,
            gsize             length,
            GError          **error)
{
  g_autofree char *name = display_name (param);

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) value[i];

      if (!atc_escape_can_carry (param->escape, c))
        {
          if (c == ',' || c == ';')
            g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                         c == ','
                           ? _("%s: %s contains %s, which would split it into two fields; "
                               "remove it")
                           : _("%s: %s contains %s, which the unit reads as the start of "
                               "another command; remove it"),
                         command_name (command), name, describe_char (c));
          else
            g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                         _("%s: %s contains %s, which would end or corrupt the command "
                           "line; remove it"),
                         command_name (command), name, describe_char (c));
          return FALSE;
        }

      /* Mirrors the codec: literal escape text would come back from the
       * unit as a different character. */
      if (param->escape != ATC_ESCAPE_NONE && atc_bracket_escape_at (value + i) >= 0)
        {
          g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                       _("%s: %s contains a hex code in square brackets (like “[3F]”), "
                         "which the unit reads as an escaped character; type the character "
                         "itself instead"),
                       command_name (command), name);
          return FALSE;
        }
      if (param->escape == ATC_ESCAPE_CRLF_TOKEN && atc_crlf_token_at (value + i))
        {
          g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                       _("%s: %s contains the text “<<CRLF>>”, which the unit reads as a "
                         "line break; type the line break itself instead"),
                       command_name (command), name);
          return FALSE;
        }
    }

  return TRUE;
}

static char *
validate_enum (const AtcCommand *command,
               const AtcParam   *param,
               const char       *value,
               GError          **error)
{
  g_autofree char *prefix = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *words = NULL;

  for (guint i = 0; param->choices[i] != NULL; i++)
    if (g_ascii_strcasecmp (param->choices[i], value) == 0)
      return g_strdup (param->choices[i]);

  prefix = value_prefix (command, param);
  quoted = quote (value);
  words = g_strjoinv (", ", param->choices);
  g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE, _("%s%s is not one of %s"),
               prefix, quoted, words);
  return NULL;
}

static char *
validate_int (const AtcCommand *command,
              const AtcParam   *param,
              const char       *value,
              GError          **error)
{
  g_autofree char *prefix = value_prefix (command, param);
  const char *digits = value;
  guint64 number = 0;
  gboolean overflow = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      {
        g_autofree char *quoted = quote (value);
        g_autofree char *max = with_unit (param->max, param);

        /* No sign, no unit, no spaces: the unit would misread them. */
        g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                     _("%s%s is not a whole number; type digits only, from %" PRId64
                       " to %s"),
                     prefix, quoted, param->min, max);
        return NULL;
      }

  /* Leading zeros carry nothing; "0" stays. */
  while (digits[0] == '0' && digits[1] != '\0')
    digits++;

  for (const char *p = digits; *p != '\0'; p++)
    {
      if (number > (G_MAXUINT64 - 9) / 10)
        {
          overflow = TRUE;
          break;
        }
      number = number * 10 + (guint64) (*p - '0');
    }

  if (!overflow && number < (guint64) param->min)
    {
      g_autofree char *min = with_unit (param->min, param);

      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s%s is below the minimum %s"), prefix, digits, min);
      return NULL;
    }
  if (overflow || number > (guint64) param->max)
    {
      g_autofree char *max = with_unit (param->max, param);
      g_autofree char *shown = strlen (digits) > QUOTE_MAX_CHARS
                                 ? g_strdup_printf ("%.*s…", QUOTE_MAX_CHARS, digits)
                                 : g_strdup (digits);

      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s%s is above the maximum %s"), prefix, shown, max);
      return NULL;
    }

  return g_strdup (digits);
}

static char *
validate_string (const AtcCommand *command,
                 const AtcParam   *param,
                 const char       *value,
                 gsize             length,
                 GError          **error)
{
  g_autofree char *name = display_name (param);

  if (param->ascii_only)
    {
      for (gsize i = 0; i < length; i++)
        if ((guchar) value[i] >= 0x80)
          {
            g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                         _("%s: %s contains a non-ASCII character; the unit takes only plain "
                           "ASCII here, so replace accented letters and symbols"),
                         command_name (command), name);
            return NULL;
          }
    }

  /* Lengths are bytes of the readable text, as the documents count them. */
  if ((gint64) length > param->max)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s: %s is longer than %" PRId64 " bytes"),
                   command_name (command), name, param->max);
      return NULL;
    }
  if ((gint64) length < param->min)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s: %s is shorter than %" PRId64 " bytes"),
                   command_name (command), name, param->min);
      return NULL;
    }

  return g_strndup (value, length);
}

static char *
validate_hex (const AtcCommand *command,
              const AtcParam   *param,
              const char       *value,
              gsize             length,
              GError          **error)
{
  g_autofree char *name = display_name (param);

  for (gsize i = 0; i < length; i++)
    if (g_ascii_xdigit_value (value[i]) < 0)
      {
        if ((guchar) value[i] >= ' ' && (guchar) value[i] < 0x7f)
          g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                       _("%s: %s contains '%c' at position %zu, which is not "
                         "a hex digit; use only 0-9 and A-F"),
                       command_name (command), name, value[i], i + 1);
        else
          g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                       _("%s: %s has a character at position %zu that is not "
                         "a hex digit; use only 0-9 and A-F"),
                       command_name (command), name, i + 1);
        return NULL;
      }

  if (length % 2 != 0)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s: %s has an odd number of hex digits (%zu); each byte "
                     "takes two, so add or remove one"),
                   command_name (command), name, length);
      return NULL;
    }
  if ((gint64) length > param->max)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s: %s is longer than %" PRId64 " hex digits (%" PRId64
                     " bytes)"),
                   command_name (command), name, param->max, param->max / 2);
      return NULL;
    }
  if ((gint64) length < param->min)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s: %s is shorter than %" PRId64 " hex digits"),
                   command_name (command), name, param->min);
      return NULL;
    }

  return g_ascii_strup (value, (gssize) length);
}

/* Four decimal parts 0-255; returns the canonical form or NULL. */
static char *
parse_ipv4 (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ".", -1);
  guint octets[4];

  if (g_strv_length (parts) != 4)
    return NULL;

  for (guint i = 0; i < 4; i++)
    {
      gsize len = strlen (parts[i]);

      if (len == 0 || len > 3)
        return NULL;
      octets[i] = 0;
      for (gsize j = 0; j < len; j++)
        {
          if (!g_ascii_isdigit (parts[i][j]))
            return NULL;
          octets[i] = octets[i] * 10 + (guint) (parts[i][j] - '0');
        }
      if (octets[i] > 255)
        return NULL;
    }

  return g_strdup_printf ("%u.%u.%u.%u", octets[0], octets[1], octets[2], octets[3]);
}

static char *
validate_ipv4 (const AtcCommand *command,
               const AtcParam   *param,
               const char       *value,
               GError          **error)
{
  char *canonical = parse_ipv4 (value);

  if (canonical == NULL)
    {
      g_autofree char *prefix = value_prefix (command, param);
      g_autofree char *quoted = quote (value);

      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s%s is not a valid IPv4 address; write four numbers from 0 to 255 "
                     "separated by dots, e.g. 192.168.0.7"),
                   prefix, quoted);
    }

  return canonical;
}

/* RFC 1123 labels: letters, digits and inner hyphens, 1-63 each. */
static gboolean
is_host_name (const char *value)
{
  g_auto(GStrv) labels = g_strsplit (value, ".", -1);

  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize len = strlen (labels[i]);

      if (len == 0 || len > 63 || labels[i][0] == '-' || labels[i][len - 1] == '-')
        return FALSE;
      for (gsize j = 0; j < len; j++)
        if (!g_ascii_isalnum (labels[i][j]) && labels[i][j] != '-')
          return FALSE;
    }

  return TRUE;
}

static char *
validate_host (const AtcCommand *command,
               const AtcParam   *param,
               const char       *value,
               gsize             length,
               GError          **error)
{
  g_autofree char *prefix = value_prefix (command, param);
  g_autofree char *quoted = NULL;

  /* Digits and dots only: it was meant as an address, so say what is
   * wrong with it as an address ("256.1.1.1"), not as a name. */
  if (strspn (value, "0123456789.") == length)
    return validate_ipv4 (command, param, value, error);

  if ((gint64) length > param->max)
    {
      g_autofree char *name = display_name (param);

      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s: %s is longer than %" PRId64 " characters"),
                   command_name (command), name, param->max);
      return NULL;
    }

  if ((gint64) length >= param->min && is_host_name (value))
    return g_strdup (value);

  quoted = quote (value);
  g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
               _("%s%s is not a valid IPv4 address or host name; use letters, digits, '-' "
                 "and dots, e.g. test.usr.cn or 192.168.0.201"),
               prefix, quoted);
  return NULL;
}

static char *
validate_mac (const AtcCommand *command,
              const AtcParam   *param,
              const char       *value,
              gsize             length,
              GError          **error)
{
  g_autofree char *prefix = value_prefix (command, param);
  g_autofree char *quoted = quote (value);
  char digits[MAC_DIGITS + 1];
  guint n = 0;
  gboolean ok = TRUE;

  /* Twelve digits, or six pairs separated by ':' or '-' as other tools
   * print them; the unit takes the twelve digits. */
  if (length == MAC_DIGITS)
    {
      for (gsize i = 0; i < length && ok; i++)
        ok = g_ascii_xdigit_value (value[i]) >= 0;
      if (ok)
        memcpy (digits, value, MAC_DIGITS);
      n = MAC_DIGITS;
    }
  else if (length == 17 && (value[2] == ':' || value[2] == '-'))
    {
      for (gsize i = 0; i < length && ok; i++)
        {
          if (i % 3 == 2)
            ok = value[i] == value[2];
          else if ((ok = g_ascii_xdigit_value (value[i]) >= 0))
            digits[n++] = value[i];
        }
    }
  else
    ok = FALSE;

  if (!ok || n != MAC_DIGITS)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s%s is not a MAC address; write 12 hex digits, e.g. D8B04C000001"),
                   prefix, quoted);
      return NULL;
    }
  digits[MAC_DIGITS] = '\0';

  /* The M0 document: "the first byte must be a double", i.e. even: an odd
   * first byte marks a multicast address, which no interface may own. */
  if (g_ascii_xdigit_value (digits[1]) % 2 != 0)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s%s has an odd first byte (%c%c); a device MAC address needs an even "
                     "first byte, e.g. D8"),
                   prefix, quoted, g_ascii_toupper (digits[0]), g_ascii_toupper (digits[1]));
      return NULL;
    }

  return g_ascii_strup (digits, MAC_DIGITS);
}

static char *
validate_len (const AtcCommand  *command,
              const AtcParam    *param,
              const char        *value,
              gssize             length,
              gboolean           allow_factory_default,
              GError           **error)
{
  g_autofree char *name = NULL;
  g_autofree char *owned = NULL;
  gsize len;

  g_return_val_if_fail (command != NULL, NULL);
  g_return_val_if_fail (param != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = display_name (param);

  if (value == NULL)
    {
      g_autofree char *expected = describe_expected (param);

      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE, _("%s: %s is missing; enter %s"),
                   command_name (command), name, expected);
      return NULL;
    }

  len = length < 0 ? strlen (value) : (gsize) length;

  if (memchr (value, '\0', len) != NULL)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                   _("%s: %s contains %s, which would end or corrupt the command line; "
                     "remove it"),
                   command_name (command), name, describe_char ('\0'));
      return NULL;
    }

  /* From here on the value is exactly `len` bytes and a C string, so
   * every check below sees the same bytes. */
  owned = g_strndup (value, len);
  value = owned;

  if (!check_safe (command, param, value, len, error))
    return NULL;

  if (!g_utf8_validate (value, (gssize) len, NULL))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s: %s is not valid UTF-8 text; retype it"),
                   command_name (command), name);
      return NULL;
    }

  /* The unit ships with this value and takes it back, even though the
   * document's range for new values leaves it out (G781 CMDPW). */
  if (allow_factory_default && param->default_outside_range &&
      g_str_equal (value, param->default_value))
    return g_strdup (value);

  if (len == 0 && !(param->type == ATC_PARAM_STRING || param->type == ATC_PARAM_HEX))
    {
      g_autofree char *expected = describe_expected (param);

      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE, _("%s: %s is empty; enter %s"),
                   command_name (command), name, expected);
      return NULL;
    }
  if (len == 0 && param->min > 0)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s: %s must not be empty"), command_name (command), name);
      return NULL;
    }

  switch (param->type)
    {
    case ATC_PARAM_ENUM:
      return validate_enum (command, param, value, error);
    case ATC_PARAM_INT:
    case ATC_PARAM_PORT:
      return validate_int (command, param, value, error);
    case ATC_PARAM_STRING:
      return validate_string (command, param, value, len, error);
    case ATC_PARAM_HEX:
      return validate_hex (command, param, value, len, error);
    case ATC_PARAM_IPV4:
      return validate_ipv4 (command, param, value, error);
    case ATC_PARAM_HOST:
      return validate_host (command, param, value, len, error);
    case ATC_PARAM_MAC:
      return validate_mac (command, param, value, len, error);
    default:
      g_assert_not_reached ();
    }
}

char *
atc_param_validate_len (const AtcCommand  *command,
                        const AtcParam    *param,
                        const char        *value,
                        gssize             length,
                        GError           **error)
{
  return validate_len (command, param, value, length, TRUE, error);
}

char *
atc_param_validate_range (const AtcCommand  *command,
                          const AtcParam    *param,
                          const char        *value,
                          GError           **error)
{
  return validate_len (command, param, value, -1, FALSE, error);
}

char *
atc_param_validate (const AtcCommand  *command,
                    const AtcParam    *param,
                    const char        *value,
                    GError           **error)
{
  return atc_param_validate_len (command, param, value, -1, error);
}

char **
atc_command_validate (const AtcCommand  *command,
                      const char *const *values,
                      GError           **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  guint n_values;

  g_return_val_if_fail (command != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(command->access & ATC_ACCESS_SET))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                   command->params->len > 0
                     ? _("%s only reports a value; it cannot be set")
                     : _("%s takes no value; send it on its own"),
                   command_name (command));
      return NULL;
    }

  n_values = values != NULL ? g_strv_length ((char **) values) : 0;
  if (n_values != command->params->len)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < command->params->len; i++)
        {
          g_autofree char *name = display_name (g_ptr_array_index (command->params, i));

          if (i > 0)
            g_string_append (names, ", ");
          g_string_append (names, name);
        }

      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   g_dngettext (GETTEXT_PACKAGE, "%s: expects %u value (%s), got %u",
                                "%s: expects %u values (%s), got %u", command->params->len),
                   command_name (command), command->params->len, names->str, n_values);
      return NULL;
    }

  builder = g_strv_builder_new ();
  for (guint i = 0; i < n_values; i++)
    {
      g_autofree char *canonical = NULL;

      canonical = atc_param_validate (command, g_ptr_array_index (command->params, i),
                                      values[i], error);
      if (canonical == NULL)
        return NULL;
      g_strv_builder_add (builder, canonical);
    }

  return g_strv_builder_end (builder);
}
