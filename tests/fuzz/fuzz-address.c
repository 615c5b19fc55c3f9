/* fuzz-address.c: device addresses as a technician types them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the address text, up to the first NUL.
 *
 * What must hold, beyond not crashing:
 * - an address that parses prints a canonical text that parses to the
 *   same address and prints the same text again;
 * - without secrets, the text carries no password and still parses;
 * - a refusal is an ATC_ERROR_ADDRESS in valid UTF-8 when the input was,
 *   and never quotes the password (HACKING.md: secrets never reach an
 *   error text).
 */
#include "config.h"

#include <string.h>

#include "atc-address.h"
#include "atc-error.h"
#include "fuzz-common.h"

static void
check_equal (const AtcAddress *a,
             const AtcAddress *b)
{
  FUZZ_CHECK (a->kind == b->kind);
  FUZZ_CHECK_STREQ (a->path, b->path);
  FUZZ_CHECK_STREQ (a->host, b->host);
  FUZZ_CHECK (a->port == b->port);
  FUZZ_CHECK_STREQ (a->model, b->model);
  FUZZ_CHECK_STREQ (a->password, b->password);
  FUZZ_CHECK (atc_line_settings_equal (&a->line, &b->line));
}

static void
check_valid (const AtcAddress *address)
{
  g_autofree char *text = atc_address_to_string (address, TRUE);
  g_autofree char *public = atc_address_to_string (address, FALSE);
  g_autofree char *again = NULL;
  g_autofree char *line = NULL;
  g_autoptr(AtcAddress) reparsed = NULL;
  g_autoptr(AtcAddress) copy = NULL;
  g_autoptr(AtcAddress) without = NULL;
  g_autoptr(GError) error = NULL;

  switch (address->kind)
    {
    case ATC_ADDRESS_SERIAL:
    case ATC_ADDRESS_PTY:
      FUZZ_CHECK (address->path != NULL && address->path[0] == '/');
      FUZZ_CHECK (address->host == NULL);
      break;
    case ATC_ADDRESS_TCP:
      FUZZ_CHECK (address->host != NULL && address->host[0] != '\0');
      FUZZ_CHECK (address->port > 0);
      FUZZ_CHECK (address->path == NULL);
      break;
    case ATC_ADDRESS_DEMO:
      FUZZ_CHECK (address->model != NULL);
      break;
    default:
      FUZZ_CHECK (!"an address kind that does not exist");
    }
  FUZZ_CHECK (address->line.baud == 0 ||
              (address->line.baud >= ATC_BAUD_MIN && address->line.baud <= ATC_BAUD_MAX));
  FUZZ_CHECK (address->line.data_bits >= 5 && address->line.data_bits <= 8);
  FUZZ_CHECK (address->line.stop_bits >= 1 && address->line.stop_bits <= 2);

  reparsed = atc_address_parse (text, &error);
  if (reparsed == NULL)
    {
      fprintf (stderr, "canonical \"%s\" does not parse: %s\n", text, error->message);
      FUZZ_CHECK (reparsed != NULL);
    }
  check_equal (address, reparsed);
  again = atc_address_to_string (reparsed, TRUE);
  FUZZ_CHECK_STREQ (again, text);

  copy = atc_address_copy (address);
  check_equal (address, copy);

  /* The path may hold "password=", the query may not. */
  if (strchr (public, '?') != NULL)
    {
      g_autofree char *query = g_strconcat ("&", strchr (public, '?') + 1, NULL);

      FUZZ_CHECK (strstr (query, "&password=") == NULL);
    }
  without = atc_address_parse (public, &error);
  if (without == NULL)
    {
      fprintf (stderr, "public \"%s\" does not parse: %s\n", public, error->message);
      FUZZ_CHECK (without != NULL);
    }
  FUZZ_CHECK (without->password == NULL);

  line = atc_line_settings_to_string (&address->line);
  FUZZ_CHECK (line != NULL);
}

/* Whether the refusal of text quotes its password: the same address with
 * the password's characters replaced must not show the replacement. */
static gboolean
quotes_password (const char *text)
{
  const char *query = strchr (text, '?');
  const char *p;
  gsize len;
  g_autofree char *other = NULL;
  g_autoptr(AtcAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  if (query == NULL || strstr (text, "QQ") != NULL)
    return FALSE;
  for (p = query; (p = strstr (p, "password=")) != NULL; p++)
    if (p[-1] == '?' || p[-1] == '&')
      break;
  if (p == NULL)
    return FALSE;
  p += strlen ("password=");
  len = strcspn (p, "&");
  if (len < 4)
    return FALSE;

  other = g_strdup (text);
  memset (other + (p - text), 'Q', len);
  address = atc_address_parse (other, &error);
  if (address != NULL)
    return FALSE;
  if (strstr (error->message, "QQQQ") == NULL)
    return FALSE;
  fprintf (stderr, "message quotes the password: %s\n", error->message);
  return TRUE;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  atc_fuzz_setup ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(AtcAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  atc_fuzz_setup ();

  address = atc_address_parse (text, &error);
  FUZZ_CHECK ((address == NULL) == (error != NULL));

  if (address != NULL)
    {
      check_valid (address);
      return 0;
    }

  FUZZ_CHECK (g_error_matches (error, ATC_ERROR, ATC_ERROR_ADDRESS));
  if (g_utf8_validate (text, -1, NULL))
    FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));

  FUZZ_CHECK (!quotes_password (text));

  return 0;
}
