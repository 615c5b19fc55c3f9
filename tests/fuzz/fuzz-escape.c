/* fuzz-escape.c: value escapes, hex payloads and reply values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input layout:
 *   byte 0   bit 0: parse_value gets NULL instead of the text
 *   byte 1   which catalog command parse_value reads the text for
 *            (every command of every model, in catalog order, modulo)
 *   ...      the text, up to the first NUL (values are C strings)
 *
 * What must hold, beyond not crashing:
 * - decoding never grows the text, and ATC_ESCAPE_NONE is the identity;
 * - what encoding accepts, decoding gives back exactly, and the wire
 *   text never carries what would break a command line (';', ',', CR,
 *   LF, control bytes);
 * - hex: decode then encode is the upper-cased input; encode then decode
 *   is the input;
 * - a reply value that parses gives one canonical value per parameter;
 *   when those make a valid set line, that line's value parses back to
 *   the same values (what we read is what we would write).
 */
#include "config.h"

#include <string.h>

#include "atc-catalog.h"
#include "atc-codec.h"
#include "atc-error.h"
#include "fuzz-common.h"

static GPtrArray *commands; /* const AtcCommand*, every model's */

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  AtcCatalog *catalog;
  GPtrArray *models;

  atc_fuzz_setup ();
  if (commands != NULL)
    return 0;

  catalog = atc_catalog_get_default ();
  models = atc_catalog_get_models (catalog);
  commands = g_ptr_array_new ();
  for (guint i = 0; i < models->len; i++)
    {
      GPtrArray *model_commands = atc_model_get_commands (g_ptr_array_index (models, i));

      for (guint j = 0; j < model_commands->len; j++)
        g_ptr_array_add (commands, g_ptr_array_index (model_commands, j));
    }
  return 0;
}

static gboolean
wire_is_safe (const char *wire)
{
  for (const char *p = wire; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == ';' || c == ',' || c < 0x20 || c == 0x7f)
        return FALSE;
    }
  return TRUE;
}

static void
check_escapes (const char *text)
{
  static const AtcEscape styles[] = {
    ATC_ESCAPE_NONE, ATC_ESCAPE_BRACKETS, ATC_ESCAPE_CRLF_TOKEN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      g_autofree char *decoded = atc_escape_decode (text, styles[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *wire = NULL;

      FUZZ_CHECK (decoded != NULL);
      FUZZ_CHECK (strlen (decoded) <= strlen (text));
      if (styles[i] == ATC_ESCAPE_NONE)
        FUZZ_CHECK_STREQ (decoded, text);

      wire = atc_escape_encode (text, styles[i], &error);
      FUZZ_CHECK ((wire == NULL) == (error != NULL));
      if (wire != NULL)
        {
          g_autofree char *back = atc_escape_decode (wire, styles[i]);

          FUZZ_CHECK (wire_is_safe (wire));
          FUZZ_CHECK_STREQ (back, text);
        }
      else
        {
          FUZZ_CHECK (g_error_matches (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE));
        }
    }
}

static void
check_hex (const char   *text,
           const guint8 *data,
           gsize         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = atc_hex_decode (text, &error);
  g_autofree char *encoded = atc_hex_encode (data, size);
  g_autoptr(GBytes) back = NULL;

  FUZZ_CHECK ((bytes == NULL) == (error != NULL));
  if (bytes != NULL)
    {
      gsize n;
      const guint8 *raw = g_bytes_get_data (bytes, &n);
      g_autofree char *again = atc_hex_encode (raw, n);
      g_autofree char *upper = g_ascii_strup (text, -1);

      FUZZ_CHECK_STREQ (again, upper);
    }
  else
    {
      FUZZ_CHECK (g_error_matches (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE));
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
    }

  back = atc_hex_decode (encoded, NULL);
  FUZZ_CHECK (back != NULL);
  FUZZ_CHECK (g_bytes_get_size (back) == size);
  FUZZ_CHECK (size == 0 || memcmp (g_bytes_get_data (back, NULL), data, size) == 0);
}

static void
check_parse_value (const AtcCommand *command,
                   const char       *value)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;
  g_auto(GStrv) again = NULL;
  g_autofree char *line = NULL;
  g_autofree char *head = NULL;
  guint n_params = command->params != NULL ? command->params->len : 0;

  values = atc_codec_parse_value (command, value, &error);
  FUZZ_CHECK ((values == NULL) == (error != NULL));
  if (values == NULL)
    {
      FUZZ_CHECK (error->domain == ATC_ERROR);
      return;
    }
  FUZZ_CHECK (g_strv_length (values) == n_params);

  if (!atc_command_can (command, ATC_ACCESS_SET) || n_params == 0)
    return;

  line = atc_codec_format_set (command, (const char *const *) values, &error);
  FUZZ_CHECK ((line == NULL) == (error != NULL));
  if (line == NULL)
    return;

  /* What we would send must fit on one command line... */
  head = g_strdup_printf ("AT+%s=", command->name);
  FUZZ_CHECK (g_str_has_prefix (line, head));
  FUZZ_CHECK (strpbrk (line, "\r\n;") == NULL);

  /* ...and read back as the same values. */
  again = atc_codec_parse_value (command, line + strlen (head), &error);
  if (again == NULL)
    {
      fprintf (stderr, "%s: %s\n", line, error->message);
      FUZZ_CHECK (again != NULL);
    }
  for (guint i = 0; i < n_params; i++)
    FUZZ_CHECK_STREQ (again[i], values[i]);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = NULL;
  const AtcCommand *command;

  LLVMFuzzerInitialize (NULL, NULL);

  if (size < 2)
    return 0;

  text = g_strndup ((const char *) data + 2, size - 2);

  check_escapes (text);
  check_hex (text, data + 2, size - 2);

  command = g_ptr_array_index (commands, data[1] % commands->len);
  check_parse_value (command, (data[0] & 1) ? NULL : text);

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *line = atc_codec_format_with_password (text, "AT+CSQ", &error);

    FUZZ_CHECK ((line == NULL) == (error != NULL));
    if (line != NULL)
      {
        FUZZ_CHECK (g_str_has_prefix (line, text));
        FUZZ_CHECK (g_str_has_suffix (line, "AT+CSQ"));
        FUZZ_CHECK (strpbrk (line, "\r\n;") == NULL);
      }
  }

  return 0;
}
