/* test-escape.c: escapes inside values and hex payloads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cases come from protocol-notes.md ("Escaping inside values") and the two
 * documents' defaults: G781 HTPURL "/1.php[3F]", HTPHD
 * "Connection: close[0D][0A]", REGDT/HEARTDT "7777772E7573722E636E", M0
 * HTPHEAD "<<CRLF>>".
 */
#include "config.h"

#include <string.h>

#include "atc-codec.h"
#include "atc-error.h"

static void
assert_encodes (const char *text,
                AtcEscape   escape,
                const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wire = atc_escape_encode (text, escape, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (wire, ==, expected);
}

static void
assert_decodes (const char *wire,
                AtcEscape   escape,
                const char *expected)
{
  g_autofree char *text = atc_escape_decode (wire, escape);

  g_assert_cmpstr (text, ==, expected);
}

/* What the unit's command interpreter would split a line on. */
static void
assert_one_command_line (const char *wire)
{
  g_assert_null (strchr (wire, '\r'));
  g_assert_null (strchr (wire, '\n'));
  g_assert_null (strchr (wire, ';'));
}

static void
assert_refused (const char *text,
                AtcEscape   escape)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wire = atc_escape_encode (text, escape, &error);

  g_assert_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE);
  g_assert_null (wire);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_bracket_each_character (void)
{
  static const struct {
    const char *text;
    const char *wire;
  } cases[] = {
    { "=", "[3D]" },
    { ",", "[2C]" },
    { "?", "[3F]" },
    { "\r", "[0D]" },
    { "\n", "[0A]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      assert_encodes (cases[i].text, ATC_ESCAPE_BRACKETS, cases[i].wire);
      assert_decodes (cases[i].wire, ATC_ESCAPE_BRACKETS, cases[i].text);
      /* The M0 header style writes single characters as brackets too. */
      assert_encodes (cases[i].text, ATC_ESCAPE_CRLF_TOKEN, cases[i].wire);
      assert_decodes (cases[i].wire, ATC_ESCAPE_CRLF_TOKEN, cases[i].text);
    }

  assert_encodes ("a=b,c?d", ATC_ESCAPE_BRACKETS, "a[3D]b[2C]c[3F]d");
  assert_encodes ("plain text 123", ATC_ESCAPE_BRACKETS, "plain text 123");
  assert_encodes ("", ATC_ESCAPE_BRACKETS, "");
}

static void
test_bracket_decode_any_pair (void)
{
  /* Lower-case hex and codes beyond the five the firmware writes. */
  assert_decodes ("[0d][0a]", ATC_ESCAPE_BRACKETS, "\r\n");
  assert_decodes ("[3f]", ATC_ESCAPE_BRACKETS, "?");
  assert_decodes ("[41][42]C", ATC_ESCAPE_BRACKETS, "ABC");
  assert_decodes ("[5B]3F]", ATC_ESCAPE_BRACKETS, "[3F]");
}

static void
test_document_defaults (void)
{
  /* G781 4.48 and 4.50 */
  assert_decodes ("/1.php[3F]", ATC_ESCAPE_BRACKETS, "/1.php?");
  assert_encodes ("/1.php?", ATC_ESCAPE_BRACKETS, "/1.php[3F]");
  assert_decodes ("Connection: close[0D][0A]", ATC_ESCAPE_BRACKETS, "Connection: close\r\n");
  assert_encodes ("Connection: close\r\n", ATC_ESCAPE_BRACKETS, "Connection: close[0D][0A]");

  /* M0 4.27: <<CRLF>> is carriage return and line feed. */
  assert_decodes ("User_Agent: Mozilla/4.0<<CRLF>>Accept: */*<<CRLF>>", ATC_ESCAPE_CRLF_TOKEN,
                  "User_Agent: Mozilla/4.0\r\nAccept: */*\r\n");
  assert_encodes ("User_Agent: Mozilla/4.0\r\nAccept: */*\r\n", ATC_ESCAPE_CRLF_TOKEN,
                  "User_Agent: Mozilla/4.0<<CRLF>>Accept: */*<<CRLF>>");
  assert_encodes ("User_Agent: Mozilla/4.0", ATC_ESCAPE_CRLF_TOKEN, "User_Agent: Mozilla/4.0");
  /* A lone CR or LF has no token: brackets carry it. */
  assert_encodes ("a\rb\nc\n\r", ATC_ESCAPE_CRLF_TOKEN, "a[0D]b[0A]c[0A][0D]");

  /* M0 4.26 writes "/1.php?" with no escape: a plain field keeps it. */
  assert_encodes ("/1.php?", ATC_ESCAPE_NONE, "/1.php?");
}

static void
test_malformed_brackets (void)
{
  static const char *literal[] = {
    "[3", "[3F", "[3G]", "[G3]", "[]", "[ 3F]", "[3F ]", "]3F[", "[[", "[x]", "a[", "[0D",
    /* NUL would cut the value short: kept literal. */
    "[00]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (literal); i++)
    assert_decodes (literal[i], ATC_ESCAPE_BRACKETS, literal[i]);

  assert_decodes ("[[3F]", ATC_ESCAPE_BRACKETS, "[?");
  assert_decodes ("[3F]]", ATC_ESCAPE_BRACKETS, "?]");
  assert_decodes ("x[3F", ATC_ESCAPE_BRACKETS, "x[3F");
  assert_decodes ("<<CRLF>", ATC_ESCAPE_CRLF_TOKEN, "<<CRLF>");
  assert_decodes ("<<crlf>>", ATC_ESCAPE_CRLF_TOKEN, "\r\n");

  /* Brackets that are not an escape survive the trip unchanged. */
  assert_encodes ("[abc] [3] [", ATC_ESCAPE_BRACKETS, "[abc] [3] [");
}

static void
test_none_is_verbatim (void)
{
  /* A plain field is not decoded: "[3F]" there is four characters. */
  assert_decodes ("/1.php[3F]", ATC_ESCAPE_NONE, "/1.php[3F]");
  assert_decodes ("a<<CRLF>>b", ATC_ESCAPE_NONE, "a<<CRLF>>b");
  assert_decodes ("a<<CRLF>>b", ATC_ESCAPE_BRACKETS, "a<<CRLF>>b");
  assert_encodes ("www.usr.cn#", ATC_ESCAPE_NONE, "www.usr.cn#");
  assert_encodes ("a=b", ATC_ESCAPE_NONE, "a=b");

  /* What no plain field can carry. */
  assert_refused ("a,b", ATC_ESCAPE_NONE);
  assert_refused ("a\rb", ATC_ESCAPE_NONE);
  assert_refused ("a\nb", ATC_ESCAPE_NONE);
  assert_refused ("a\r\nb", ATC_ESCAPE_NONE);
}

static void
test_injection_refused (void)
{
  static const AtcEscape styles[] = {
    ATC_ESCAPE_NONE, ATC_ESCAPE_BRACKETS, ATC_ESCAPE_CRLF_TOKEN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      /* ';' starts a second command on every unit. */
      assert_refused ("x;AT+CLEAR", styles[i]);
      assert_refused (";", styles[i]);
      assert_refused ("ok;", styles[i]);
      /* Line-editing and control bytes. */
      assert_refused ("abc\bAT+CLEAR", styles[i]);
      assert_refused ("\x1b[2J", styles[i]);
      assert_refused ("a\tb", styles[i]);
      assert_refused ("a\x7f", styles[i]);
      assert_refused ("\x03", styles[i]);
    }

  /* A line break in a bracket field is carried, never sent raw: no
   * second command line can form. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *wire = atc_escape_encode ("x\r\nAT+CLEAR\r\nAT+Z", ATC_ESCAPE_BRACKETS,
                                               &error);

    g_assert_no_error (error);
    assert_one_command_line (wire);
    g_assert_cmpstr (wire, ==, "x[0D][0A]AT+CLEAR[0D][0A]AT+Z");
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *wire = atc_escape_encode ("x\r\nAT+CLEAR\rAT+Z", ATC_ESCAPE_CRLF_TOKEN,
                                               &error);

    g_assert_no_error (error);
    assert_one_command_line (wire);
    g_assert_cmpstr (wire, ==, "x<<CRLF>>AT+CLEAR[0D]AT+Z");
  }

  /* A NUL ends a C string: whatever follows it is never sent. */
  {
    static const char with_nul[] = "x\0;AT+CLEAR";
    g_autoptr(GError) error = NULL;
    g_autofree char *wire = atc_escape_encode (with_nul, ATC_ESCAPE_BRACKETS, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (wire, ==, "x");
  }

  /* In a plain field a line break cannot be carried at all. */
  assert_refused ("x\r\nAT+CLEAR", ATC_ESCAPE_NONE);
  assert_refused ("x\nAT+CLEAR", ATC_ESCAPE_NONE);
}

static void
test_escape_lookalikes_refused (void)
{
  /* Typed "[3F]" would come back from the unit as "?": refused rather
   * than silently changed. */
  assert_refused ("/1.php[3F]", ATC_ESCAPE_BRACKETS);
  assert_refused ("[0D][0A]", ATC_ESCAPE_BRACKETS);
  assert_refused ("[0d]", ATC_ESCAPE_CRLF_TOKEN);
  assert_refused ("a<<CRLF>>b", ATC_ESCAPE_CRLF_TOKEN);
}

static void
test_non_ascii (void)
{
  AtcParam ascii = { 0 };
  AtcParam any = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *wire = NULL;

  ascii.name = (char *) "message";
  ascii.type = ATC_PARAM_STRING;
  ascii.escape = ATC_ESCAPE_BRACKETS;
  ascii.ascii_only = TRUE;

  any = ascii;
  any.ascii_only = FALSE;

  wire = atc_escape_encode_param (&ascii, "caf\xc3\xa9", &error);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE);
  g_assert_null (wire);
  g_clear_error (&error);

  wire = atc_escape_encode_param (&ascii, "hello, world", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wire, ==, "hello[2C] world");
  g_clear_pointer (&wire, g_free);

  /* Where the unit takes any byte, UTF-8 passes through. */
  wire = atc_escape_encode_param (&any, "caf\xc3\xa9", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wire, ==, "caf\xc3\xa9");
}

static void
test_messages_do_not_quote_the_value (void)
{
  /* The value may be a password: errors name the character only. */
  static const char *secrets[] = {
    "Sup3rSecret;x", "Sup3rSecret\bx", "Sup3rSecret[3F]", "Sup3rSecret,x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *wire = NULL;
      AtcEscape escape = i == 3 ? ATC_ESCAPE_NONE : ATC_ESCAPE_BRACKETS;

      wire = atc_escape_encode (secrets[i], escape, &error);
      g_assert_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE);
      g_assert_null (strstr (error->message, "Sup3r"));
    }
}

static void
test_round_trip_random (void)
{
  /* Readable text made of the characters that matter, both styles: the
   * wire form never carries a separator and decodes back exactly. */
  static const char alphabet[] = "aZ09 =,?\r\n[]<>/:.#-_*";
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x6781);

  for (guint round = 0; round < 2000; round++)
    {
      AtcEscape escape = round % 2 == 0 ? ATC_ESCAPE_BRACKETS : ATC_ESCAPE_CRLF_TOKEN;
      guint len = g_rand_int_range (rand, 0, 24);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_malloc0 (len + 1);
      g_autofree char *wire = NULL;
      g_autofree char *back = NULL;

      for (guint i = 0; i < len; i++)
        text[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      wire = atc_escape_encode (text, escape, &error);
      if (wire == NULL)
        {
          /* Only text that looks like an escape itself is refused. */
          g_assert_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE);
          continue;
        }

      assert_one_command_line (wire);
      g_assert_null (strchr (wire, ','));
      g_assert_null (strchr (wire, '='));
      g_assert_null (strchr (wire, '?'));
      back = atc_escape_decode (wire, escape);
      g_assert_cmpstr (back, ==, text);
    }
}

static void
test_hex (void)
{
  static const guint8 usr[] = "www.usr.cn";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *hex = NULL;
  static const guint8 all[] = { 0x00, 0x0f, 0x7f, 0x80, 0xab, 0xff };
  gsize len;

  /* G781 4.40 / 4.44 default */
  hex = atc_hex_encode (usr, 10);
  g_assert_cmpstr (hex, ==, "7777772E7573722E636E");
  g_clear_pointer (&hex, g_free);

  bytes = atc_hex_decode ("7777772E7573722E636E", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, &len), g_bytes_get_size (bytes), usr, 10);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Lower case reads too. */
  bytes = atc_hex_decode ("7777772e7573722e636e", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, &len), g_bytes_get_size (bytes), usr, 10);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Binary bytes, NUL included, both ways. */
  hex = atc_hex_encode (all, sizeof all);
  g_assert_cmpstr (hex, ==, "000F7F80ABFF");
  bytes = atc_hex_decode (hex, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, &len), g_bytes_get_size (bytes), all, sizeof all);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&hex, g_free);

  hex = atc_hex_encode (NULL, 0);
  g_assert_cmpstr (hex, ==, "");
  bytes = atc_hex_decode ("", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 0);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* The document's own typo (a space inside the default) and other bad
   * input get specific errors. */
  bytes = atc_hex_decode ("7777772E75737 22E636E", &error);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "14"));
  g_assert_null (bytes);
  g_clear_error (&error);

  bytes = atc_hex_decode ("777", &error);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "odd"));
  g_clear_error (&error);

  bytes = atc_hex_decode ("7G", &error);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "G"));
  g_clear_error (&error);

  bytes = atc_hex_decode ("0x77", &error);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/escape/bracket-each-character", test_bracket_each_character);
  g_test_add_func ("/escape/bracket-decode-any-pair", test_bracket_decode_any_pair);
  g_test_add_func ("/escape/document-defaults", test_document_defaults);
  g_test_add_func ("/escape/malformed-brackets", test_malformed_brackets);
  g_test_add_func ("/escape/none-is-verbatim", test_none_is_verbatim);
  g_test_add_func ("/escape/injection-refused", test_injection_refused);
  g_test_add_func ("/escape/escape-lookalikes-refused", test_escape_lookalikes_refused);
  g_test_add_func ("/escape/non-ascii", test_non_ascii);
  g_test_add_func ("/escape/messages-do-not-quote-the-value",
                   test_messages_do_not_quote_the_value);
  g_test_add_func ("/escape/round-trip-random", test_round_trip_random);
  g_test_add_func ("/escape/hex", test_hex);

  return g_test_run ();
}
