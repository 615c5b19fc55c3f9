/* test-validate.c: user values against the catalog's rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bounds come from the documents: values just inside, on and just outside
 * each one, on real commands of both models, with the exact messages a
 * technician reads.
 */
#include "config.h"

#include <string.h>

#include "atc-catalog.h"
#include "atc-error.h"
#include "atc-validate.h"

static const AtcCommand *
get_command (const char *model_id,
             const char *name)
{
  AtcModel *model = atc_catalog_lookup (atc_catalog_get_default (), model_id);
  const AtcCommand *command;

  g_assert_nonnull (model);
  command = atc_model_lookup (model, name);
  if (command == NULL)
    g_error ("%s has no command '%s'", model_id, name);
  return command;
}

static const AtcParam *
get_param (const AtcCommand *command,
           const char       *name)
{
  const AtcParam *param = atc_command_lookup_param (command, name);

  if (param == NULL)
    g_error ("%s has no parameter '%s'", command->name, name);
  return param;
}

/* The value is accepted and comes back as `canonical`. */
static void
assert_ok (const char *model_id,
           const char *command_name,
           const char *param_name,
           const char *value,
           const char *canonical)
{
  const AtcCommand *command = get_command (model_id, command_name);
  g_autoptr(GError) error = NULL;
  g_autofree char *result = atc_param_validate (command, get_param (command, param_name), value,
                                                &error);

  if (error != NULL)
    g_error ("%s %s %s: '%s' refused: %s", model_id, command_name, param_name, value,
             error->message);
  g_assert_cmpstr (result, ==, canonical);
}

static void
assert_ok_len (const char *model_id,
               const char *command_name,
               const char *param_name,
               const char *value,
               gssize      length,
               const char *canonical)
{
  const AtcCommand *command = get_command (model_id, command_name);
  g_autoptr(GError) error = NULL;
  g_autofree char *result = atc_param_validate_len (command, get_param (command, param_name),
                                                    value, length, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, canonical);
}

/* The value is refused with `code`; the message is `message` exactly, or
 * contains it when `message` starts with '~'. */
static void
assert_fails_len (const char *model_id,
                  const char *command_name,
                  const char *param_name,
                  const char *value,
                  gssize      length,
                  AtcError    code,
                  const char *message)
{
  const AtcCommand *command = get_command (model_id, command_name);
  g_autoptr(GError) error = NULL;
  g_autofree char *result = atc_param_validate_len (command, get_param (command, param_name),
                                                    value, length, &error);

  if (result != NULL)
    g_error ("%s %s %s: value accepted as '%s'", model_id, command_name, param_name, result);
  g_assert_error (error, ATC_ERROR, (int) code);
  if (message[0] == '~')
    {
      if (strstr (error->message, message + 1) == NULL)
        g_error ("expected “%s” in “%s”", message + 1, error->message);
    }
  else
    g_assert_cmpstr (error->message, ==, message);
}

static void
assert_fails (const char *model_id,
              const char *command_name,
              const char *param_name,
              const char *value,
              const char *message)
{
  assert_fails_len (model_id, command_name, param_name, value, -1, ATC_ERROR_INVALID_VALUE,
                    message);
}

static void
assert_unsafe (const char *model_id,
               const char *command_name,
               const char *param_name,
               const char *value,
               gssize      length,
               const char *message)
{
  assert_fails_len (model_id, command_name, param_name, value, length, ATC_ERROR_UNSAFE_VALUE,
                    message);
}

/* --- Integers ----------------------------------------------------------- */

static void
test_int_bounds (void)
{
  assert_fails ("g781", "UARTFT", "time", "9", "UARTFT: 9 is below the minimum 10 ms");
  assert_fails ("g781", "UARTFT", "time", "5", "UARTFT: 5 is below the minimum 10 ms");
  assert_ok ("g781", "UARTFT", "time", "10", "10");
  assert_ok ("g781", "UARTFT", "time", "60000", "60000");
  assert_fails ("g781", "UARTFT", "time", "60001", "UARTFT: 60001 is above the maximum 60000 ms");

  assert_fails ("g781", "UARTFL", "length", "0", "UARTFL: 0 is below the minimum 1 bytes");
  assert_ok ("g781", "UARTFL", "length", "1", "1");
  assert_ok ("g781", "UARTFL", "length", "4096", "4096");
  assert_fails ("g781", "UARTFL", "length", "4097",
                "UARTFL: 4097 is above the maximum 4096 bytes");

  /* HEARTTM differs between the models: 1-6000 s and 1-65535 s. */
  assert_fails ("g781", "HEARTTM", "time", "0", "HEARTTM: 0 is below the minimum 1 s");
  assert_ok ("g781", "HEARTTM", "time", "1", "1");
  assert_ok ("g781", "HEARTTM", "time", "6000", "6000");
  assert_fails ("g781", "HEARTTM", "time", "6001", "HEARTTM: 6001 is above the maximum 6000 s");
  assert_fails ("m0", "HEARTTM", "time", "0", "HEARTTM: 0 is below the minimum 1 s");
  assert_ok ("m0", "HEARTTM", "time", "6001", "6001");
  assert_ok ("m0", "HEARTTM", "time", "65535", "65535");
  assert_fails ("m0", "HEARTTM", "time", "65536", "HEARTTM: 65536 is above the maximum 65535 s");

  assert_fails ("g781", "HTPTO", "time", "0", "HTPTO: 0 is below the minimum 1 s");
  assert_ok ("g781", "HTPTO", "time", "600", "600");
  assert_fails ("g781", "HTPTO", "time", "601", "HTPTO: 601 is above the maximum 600 s");

  /* Multi-field commands name the field. */
  assert_fails ("m0", "UART", "baud_rate", "599",
                "UART: baud rate 599 is below the minimum 600 bit/s");
  assert_ok ("m0", "UART", "baud_rate", "600", "600");
  assert_ok ("m0", "UART", "baud_rate", "460800", "460800");
  assert_fails ("m0", "UART", "baud_rate", "460801",
                "UART: baud rate 460801 is above the maximum 460800 bit/s");
  assert_fails ("m0", "UART", "data_bits", "4", "UART: data bits 4 is below the minimum 5");
  assert_ok ("m0", "UART", "data_bits", "5", "5");
  assert_fails ("m0", "UART", "data_bits", "9", "UART: data bits 9 is above the maximum 8");
  assert_fails ("g781", "UART", "data_bits", "6", "UART: data bits 6 is below the minimum 7");
  assert_fails ("g781", "UART", "stop_bits", "3", "UART: stop bits 3 is above the maximum 2");
}

static void
test_int_syntax (void)
{
  static const char *const bad[] = { "+50", "-1", "50ms", " 50", "50 ", "5 0", "1e3", "0x32",
                                     "５０", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autofree char *message = g_strdup_printf (
        "UARTFT: '%s' is not a whole number; type digits only, from 10 to 60000 ms", bad[i]);

      assert_fails ("g781", "UARTFT", "time", bad[i], message);
    }

  /* Leading zeros are dropped; "0" stays "0". */
  assert_ok ("g781", "UARTFT", "time", "0050", "50");
  assert_ok ("m0", "SOCKPORT", "port", "000", "0");

  assert_fails ("g781", "UARTFT", "time", "",
                "UARTFT: packing interval is empty; enter a whole number from 10 to 60000 ms");
  /* Too long for any integer type: still a clean "above" error. */
  assert_fails ("g781", "UARTFT", "time", "123456789012345678901234567890",
                "UARTFT: 123456789012345678901234567890 is above the maximum 60000 ms");
}

static void
test_port_bounds (void)
{
  assert_fails ("g781", "SOCKA", "port", "0", "SOCKA: server port 0 is below the minimum 1");
  assert_ok ("g781", "SOCKA", "port", "1", "1");
  assert_ok ("g781", "SOCKA", "port", "65535", "65535");
  assert_fails ("g781", "SOCKA", "port", "65536",
                "SOCKA: server port 65536 is above the maximum 65535");
  assert_fails ("g781", "HTPSV", "port", "0", "HTPSV: server port 0 is below the minimum 1");
  assert_fails ("m0", "WEBPORT", "port", "0", "WEBPORT: 0 is below the minimum 1");
  assert_fails ("m0", "SOCK", "port", "70000", "SOCK: port 70000 is above the maximum 65535");

  /* SOCKPORT 0 asks for a random local port. */
  assert_ok ("m0", "SOCKPORT", "port", "0", "0");
  assert_fails ("m0", "SOCKPORT", "port", "65536",
                "SOCKPORT: 65536 is above the maximum 65535");
  assert_fails ("g781", "SOCKA", "port", "http",
                "SOCKA: server port 'http' is not a whole number; type digits only, from 1 to "
                "65535");
}

/* --- Enums --------------------------------------------------------------- */

static void
test_enum (void)
{
  assert_fails ("g781", "UART", "parity", "XYZ", "UART: parity 'XYZ' is not one of NONE, EVEN, ODD");
  assert_fails ("m0", "UART", "parity", "MARK",
                "UART: parity 'MARK' is not one of NONE, EVEN, ODD, MASK, SPACE");
  assert_fails ("g781", "WKMOD", "mode", "HTTP", "WKMOD: 'HTTP' is not one of NET, HTTPD");
  assert_fails ("g781", "WKMOD", "mode", "", "WKMOD: work mode is empty; enter one of NET, HTTPD");
  /* Only socket A can serve. */
  assert_fails ("g781", "SOCKB", "protocol", "TCPS",
                "SOCKB: protocol 'TCPS' is not one of TCPC, UDPS, UDPC");
  assert_ok ("g781", "SOCKA", "protocol", "tcps", "TCPS");
  assert_fails ("g781", "UART", "baud_rate", "14400",
                "~UART: baud rate '14400' is not one of 300, 600, 1200,");

  /* Case-insensitive, answered in the document's spelling. */
  assert_ok ("g781", "UART", "parity", "even", "EVEN");
  assert_ok ("g781", "UART", "parity", "Odd", "ODD");
  assert_ok ("m0", "UART", "parity", "mask", "MASK");
  assert_ok ("m0", "UART", "flow_control", "fc", "FC");
  assert_ok ("m0", "TCPSE", "method", "KICK", "Kick");
  assert_ok ("m0", "TCPSE", "method", "keep", "Keep");
  assert_ok ("m0", "REGTCP", "method", "all", "ALL");
  assert_ok ("m0", "REGTCP", "method", "EVERY", "Every");
  assert_ok ("m0", "SOCKLK", "status", "connected", "Connected");
  assert_ok ("m0", "REGEN", "content", "usr", "USR");
  assert_ok ("g781", "WKMOD", "mode", "httpd", "HTTPD");
  assert_ok ("g781", "HEARTSND", "type", "com", "COM");
  assert_ok ("g781", "E", "status", "off", "OFF");
  assert_ok ("g781", "APN", "auth", "2", "2");
  assert_fails ("g781", "APN", "auth", "3", "APN: authentication '3' is not one of 0, 1, 2");
}

/* --- Strings ------------------------------------------------------------- */

static void
test_string_lengths (void)
{
  assert_ok ("g781", "STMSG", "message", "12345678901234567890", "12345678901234567890");
  assert_fails ("g781", "STMSG", "message", "123456789012345678901",
                "STMSG: message is longer than 20 bytes");
  assert_ok ("g781", "STMSG", "message", "", "");

  assert_ok ("g781", "CMDPW", "password", "abcdefghij", "abcdefghij");
  assert_fails ("g781", "CMDPW", "password", "abcdefghijk",
                "CMDPW: password is longer than 10 bytes");
  assert_fails ("g781", "CMDPW", "password", "", "CMDPW: password must not be empty");
  /* The factory password is one byte longer than the document's range:
   * that exact value is accepted (a unit reports it, and a technician may
   * restore it), any other 11 bytes are not. */
  assert_ok ("g781", "CMDPW", "password", "www.usr.cn#", "www.usr.cn#");
  assert_fails ("g781", "CMDPW", "password", "www.usr.cn$",
                "CMDPW: password is longer than 10 bytes");
  assert_fails ("g781", "CMDPW", "password", "WWW.USR.CN#",
                "CMDPW: password is longer than 10 bytes");

  assert_ok ("m0", "MID", "name", "123456789012345", "123456789012345");
  assert_fails ("m0", "MID", "name", "1234567890123456", "MID: module name is longer than 15 bytes");
  assert_fails ("m0", "MID", "name", "", "MID: module name must not be empty");
  assert_fails ("m0", "WEBU", "username", "admins", "WEBU: user name is longer than 5 bytes");
  assert_fails ("m0", "HEARTDT", "data", "", "HEARTDT: heartbeat data must not be empty");

  /* Lengths count bytes, not characters: "é" is two. */
  assert_ok ("m0", "REGUSR", "data", "café", "café");
  assert_fails ("m0", "HEARTDT", "data", "ééééééééééééééééééééé",
                "HEARTDT: heartbeat data is longer than 40 bytes");

  /* The readable length: CR LF count as two bytes, not as "[0D][0A]". */
  {
    g_autoptr(GString) header = g_string_new (NULL);

    while (header->len < 178)
      g_string_append_c (header, 'x');
    g_string_append (header, "\r\n");
    assert_ok ("m0", "HTPHEAD", "header", header->str, header->str);
    assert_ok ("g781", "HTPHD", "header", header->str, header->str);
    g_string_append_c (header, 'x');
    assert_fails ("m0", "HTPHEAD", "header", header->str,
                  "HTPHEAD: header is longer than 180 bytes");
  }
  assert_ok ("m0", "HTPHEAD", "header", "", "");
  assert_fails ("g781", "HTPURL", "url", "", "HTPURL: URL must not be empty");
}

static void
test_string_ascii (void)
{
  assert_fails ("g781", "STMSG", "message", "Café",
                "STMSG: message contains a non-ASCII character; the unit takes only plain "
                "ASCII here, so replace accented letters and symbols");
  assert_fails ("g781", "CMDPW", "password", "pässword", "~CMDPW: password contains a non-ASCII");
  assert_fails ("m0", "WEBU", "password", "pä", "~WEBU: password contains a non-ASCII");
  /* Where the document does not say ASCII, text is text, but UTF-8. */
  assert_ok ("m0", "REGUSR", "data", "Zürich", "Zürich");
  assert_fails ("m0", "REGUSR", "data", "ab\xff", "REGUSR: custom data is not valid UTF-8 text; retype it");
}

static void
test_string_escapes (void)
{
  /* Bracket style carries = , ? CR LF. */
  assert_ok ("g781", "HTPURL", "url", "/a.php?x=1,2", "/a.php?x=1,2");
  assert_ok ("g781", "HTPHD", "header", "Connection: close\r\n", "Connection: close\r\n");
  assert_ok ("g781", "APN", "password", "p,w=?", "p,w=?");
  /* No escape on the M0: '?' and '=' are sent as is, a comma would split. */
  assert_ok ("m0", "HTPURL", "url", "/1.php?a=b", "/1.php?a=b");
  assert_unsafe ("m0", "HTPURL", "url", "/a,b", -1,
                 "HTPURL: URL contains a comma, which would split it into two fields; remove it");
  assert_unsafe ("m0", "WEBU", "username", "a,b", -1,
                 "WEBU: user name contains a comma, which would split it into two fields; "
                 "remove it");
  /* Text that the unit would read back as an escape. */
  assert_unsafe ("g781", "STMSG", "message", "a[3F]b", -1,
                 "~STMSG: message contains a hex code in square brackets");
  assert_ok ("g781", "STMSG", "message", "[x]", "[x]");
  assert_unsafe ("m0", "HTPHEAD", "header", "A: b<<CRLF>>", -1,
                 "~HTPHEAD: header contains the text “<<CRLF>>”");
  assert_ok ("m0", "HTPHEAD", "header", "A: b\r\nC: d", "A: b\r\nC: d");
}

/* --- Hex ----------------------------------------------------------------- */

static void
test_hex (void)
{
  g_autofree char *hex80 = g_strnfill (80, 'A');
  g_autofree char *hex82 = g_strnfill (82, 'A');
  g_autofree char *hex254 = g_strnfill (254, 'b');
  g_autofree char *hex254_up = g_strnfill (254, 'B');
  g_autofree char *hex256 = g_strnfill (256, 'B');

  assert_fails ("g781", "HEARTDT", "data", "ABC",
                "HEARTDT: heartbeat data has an odd number of hex digits (3); each byte takes "
                "two, so add or remove one");
  assert_ok ("g781", "HEARTDT", "data", "41", "41");
  assert_ok ("g781", "HEARTDT", "data", hex80, hex80);
  assert_fails ("g781", "HEARTDT", "data", hex82,
                "HEARTDT: heartbeat data is longer than 80 hex digits (40 bytes)");
  assert_fails ("g781", "HEARTDT", "data", "", "HEARTDT: heartbeat data must not be empty");
  assert_ok ("g781", "HEARTDT", "data", "7a7B", "7A7B");

  assert_fails ("g781", "REGDT", "data", "12G4",
                "REGDT: custom data contains 'G' at position 3, which is not a hex digit; use "
                "only 0-9 and A-F");
  assert_fails ("g781", "REGDT", "data", "12 34", "~REGDT: custom data contains ' ' at position 3");
  assert_fails ("g781", "REGDT", "data", "0x1234", "~'x' at position 2");
  assert_ok ("g781", "REGDT", "data", hex254, hex254_up);
  assert_fails ("g781", "REGDT", "data", hex256,
                "REGDT: custom data is longer than 254 hex digits (127 bytes)");
}

/* --- Addresses ----------------------------------------------------------- */

static void
test_ipv4 (void)
{
  static const char *const bad[] = { "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "a.b.c.d",
                                     "1.2.3.4 ", "1.2.3.-4", "1.2.3.4.", "1234.1.1.1", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autofree char *message = g_strdup_printf (
        "WANN: IP address '%s' is not a valid IPv4 address; write four numbers from 0 to 255 "
        "separated by dots, e.g. 192.168.0.7", bad[i]);

      assert_fails ("m0", "WANN", "address", bad[i], message);
    }

  assert_ok ("m0", "WANN", "address", "192.168.0.7", "192.168.0.7");
  assert_ok ("m0", "WANN", "mask", "255.255.255.255", "255.255.255.255");
  assert_ok ("m0", "WANN", "gateway", "0.0.0.0", "0.0.0.0");
  assert_ok ("m0", "WANN", "gateway", "192.168.000.010", "192.168.0.10");
  assert_fails ("m0", "DNS", "address", "8.8.8.256", "~DNS: '8.8.8.256' is not a valid IPv4");
  assert_fails ("m0", "WANN", "address", "", "~WANN: IP address is empty; enter an IPv4 address");
  /* The M0 socket takes an address, not a name. */
  assert_fails ("m0", "SOCK", "address", "test.usr.cn",
                "~SOCK: server address 'test.usr.cn' is not a valid IPv4 address");
}

static void
test_host (void)
{
  g_autofree char *label63 = g_strnfill (63, 'a');
  g_autofree char *label64 = g_strnfill (64, 'a');
  g_autofree char *name63 = g_strconcat (label63, ".cn", NULL);
  g_autofree char *name64 = g_strconcat (label64, ".cn", NULL);
  g_autofree char *too_long = g_strjoin (".", label63, label63, label63, label63, NULL);
  static const char *const bad[] = { "bad_host", "-a.com", "a-.com", "a..b", ".a.com", "a b",
                                     "http://a.com", "a.com:80", NULL };

  assert_ok ("g781", "SOCKA", "address", "test.usr.cn", "test.usr.cn");
  assert_ok ("g781", "SOCKA", "address", "192.168.0.201", "192.168.0.201");
  assert_ok ("g781", "SOCKA", "address", "localhost", "localhost");
  assert_ok ("g781", "HTPSV", "address", "my-server.example.com", "my-server.example.com");
  assert_ok ("g781", "SOCKA", "address", name63, name63);

  /* Digits and dots are read as an address and judged as one. */
  assert_fails ("g781", "SOCKA", "address", "256.1.1.1",
                "SOCKA: server address '256.1.1.1' is not a valid IPv4 address; write four "
                "numbers from 0 to 255 separated by dots, e.g. 192.168.0.7");

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autofree char *message = g_strdup_printf (
        "SOCKA: server address '%s' is not a valid IPv4 address or host name; use letters, "
        "digits, '-' and dots, e.g. test.usr.cn or 192.168.0.201", bad[i]);

      assert_fails ("g781", "SOCKA", "address", bad[i], message);
    }
  assert_fails ("g781", "SOCKA", "address", name64, "~is not a valid IPv4 address or host name");
  assert_fails ("g781", "SOCKA", "address", too_long,
                "SOCKA: server address is longer than 253 characters");
  assert_fails ("g781", "SOCKA", "address", "", "~SOCKA: server address is empty; enter");
}

static void
test_mac (void)
{
  assert_ok ("m0", "USERMAC", "mac", "D8B04C123456", "D8B04C123456");
  assert_ok ("m0", "USERMAC", "mac", "d8b04c12abcd", "D8B04C12ABCD");
  assert_ok ("m0", "USERMAC", "mac", "d8:b0:4c:12:34:56", "D8B04C123456");
  assert_ok ("m0", "USERMAC", "mac", "02-00-00-00-00-01", "020000000001");

  /* "The first byte must be a double": even, i.e. not multicast. */
  assert_fails ("m0", "USERMAC", "mac", "D9B04C123456",
                "USERMAC: 'D9B04C123456' has an odd first byte (D9); a device MAC address needs "
                "an even first byte, e.g. D8");
  assert_fails ("m0", "USERMAC", "mac", "01:00:5e:00:00:01", "~has an odd first byte (01)");
  assert_fails ("m0", "USERMAC", "mac", "FFFFFFFFFFFF", "~has an odd first byte (FF)");

  assert_fails ("m0", "USERMAC", "mac", "D8B04C12345",
                "USERMAC: 'D8B04C12345' is not a MAC address; write 12 hex digits, e.g. "
                "D8B04C000001");
  assert_fails ("m0", "USERMAC", "mac", "D8B04C1234567", "~is not a MAC address");
  assert_fails ("m0", "USERMAC", "mac", "D8B04C12345G", "~is not a MAC address");
  assert_fails ("m0", "USERMAC", "mac", "D8:B0-4C:12:34:56", "~is not a MAC address");
  assert_fails ("m0", "USERMAC", "mac", "", "~USERMAC: MAC address is empty; enter");
}

/* --- Whole commands ------------------------------------------------------ */

static void
test_command_values (void)
{
  const AtcCommand *uart = get_command ("g781", "UART");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;

  values = atc_command_validate (uart,
                                 (const char *const[]) { "9600", "8", "01", "even", "485", NULL },
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (values, ((const char *const[]) { "9600", "8", "1", "EVEN", "485", NULL }));
  g_clear_pointer (&values, g_strfreev);

  values = atc_command_validate (uart, (const char *const[]) { "9600", "8", "1", "NONE", NULL },
                                 &error);
  g_assert_null (values);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "UART: expects 5 values (baud rate, data bits, stop bits, parity, flow "
                   "control), got 4");
  g_clear_error (&error);

  values = atc_command_validate (uart, (const char *const[]) { "9600", "8", "1", "NONE", "NFC",
                                                               "x", NULL },
                                 &error);
  g_assert_null (values);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "got 6"));
  g_clear_error (&error);

  /* The first bad field stops it, with that field's message. */
  values = atc_command_validate (uart, (const char *const[]) { "9600", "8", "1", "XYZ", "NFC",
                                                               NULL },
                                 &error);
  g_assert_null (values);
  g_assert_cmpstr (error->message, ==, "UART: parity 'XYZ' is not one of NONE, EVEN, ODD");
  g_clear_error (&error);

  values = atc_command_validate (get_command ("g781", "UARTFT"), NULL, &error);
  g_assert_null (values);
  g_assert_cmpstr (error->message, ==, "UARTFT: expects 1 value (packing interval), got 0");
  g_clear_error (&error);

  values = atc_command_validate (get_command ("m0", "WANN"),
                                 (const char *const[]) { "dhcp", "192.168.1.20", "255.255.255.0",
                                                         "192.168.1.1", NULL },
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (values, ((const char *const[]) { "DHCP", "192.168.1.20", "255.255.255.0",
                                                      "192.168.1.1", NULL }));
  g_clear_pointer (&values, g_strfreev);

  /* APN fields may be empty but are still counted. */
  values = atc_command_validate (get_command ("g781", "APN"),
                                 (const char *const[]) { "CMNET", "", "", "0", NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (values), ==, 4);
  g_clear_pointer (&values, g_strfreev);

  /* Read-only and execute-only commands cannot be set. */
  values = atc_command_validate (get_command ("g781", "CSQ"),
                                 (const char *const[]) { "20", NULL }, &error);
  g_assert_null (values);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "CSQ only reports a value; it cannot be set");
  g_clear_error (&error);

  values = atc_command_validate (get_command ("g781", "Z"), (const char *const[]) { NULL },
                                 &error);
  g_assert_null (values);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "Z takes no value; send it on its own");
  g_clear_error (&error);
}

/* --- Injection ------------------------------------------------------------ */

static void
test_injection (void)
{
  static const struct {
    const char *model, *command, *param;
    gboolean    carries_crlf;  /* the escape style writes CR LF safely */
  } targets[] = {
    { "g781", "STMSG", "message", TRUE },
    { "g781", "HTPHD", "header", TRUE },
    { "m0", "HTPHEAD", "header", TRUE },
    { "g781", "CMDPW", "password", FALSE },
    { "m0", "REGUSR", "data", FALSE },
    { "m0", "HTPURL", "url", FALSE },
    { "g781", "WKMOD", "mode", FALSE },
    { "g781", "UARTFT", "time", FALSE },
    { "g781", "SOCKA", "address", FALSE },
    { "m0", "WANN", "address", FALSE },
    { "m0", "USERMAC", "mac", FALSE },
    { "g781", "REGDT", "data", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      const char *m = targets[i].model, *c = targets[i].command, *p = targets[i].param;

      g_test_message ("%s %s %s", m, c, p);
      assert_unsafe (m, c, p, "ab;AT+CLEAR", -1, "~which the unit reads as the start of another command");
      assert_unsafe (m, c, p, ";", -1, "~a semicolon");
      assert_unsafe (m, c, p, "ab\0;AT+CLEAR", 12, "~contains a NUL byte");
      assert_unsafe (m, c, p, "ab\0", 3, "~contains a NUL byte");
      assert_unsafe (m, c, p, "ab\x1b", -1, "~contains a control character");
      assert_unsafe (m, c, p, "ab\x7f", -1, "~contains a control character");

      if (targets[i].carries_crlf)
        {
          const AtcCommand *command = get_command (m, c);
          g_autoptr(GError) error = NULL;
          g_autofree char *value = atc_param_validate (command, get_param (command, p),
                                                       "ab\r\nAT+CLEAR", &error);

          /* Written as [0D][0A] or <<CRLF>> on the wire: harmless. */
          g_assert_no_error (error);
          g_assert_cmpstr (value, ==, "ab\r\nAT+CLEAR");
        }
      else
        {
          assert_unsafe (m, c, p, "ab\rAT+CLEAR", -1, "~a carriage return (CR), which would end");
          assert_unsafe (m, c, p, "ab\nAT+CLEAR", -1, "~a line feed (LF), which would end");
          assert_unsafe (m, c, p, "ab\r\n", -1, "~a carriage return (CR)");
          assert_unsafe (m, c, p, "a,b", -1, "~a comma, which would split it");
        }
    }

  /* An explicit length is the whole value, whatever follows it. */
  assert_ok_len ("g781", "UARTFT", "time", "5000", 2, "50");
  assert_ok_len ("g781", "WKMOD", "mode", "NETX", 3, "NET");
  assert_ok_len ("g781", "STMSG", "message", "ab;cd", 2, "ab");

  /* The message names the command and field exactly. */
  assert_unsafe ("g781", "CMDPW", "password", "pw\r\nAT+CLEAR", -1,
                 "CMDPW: password contains a carriage return (CR), which would end or corrupt "
                 "the command line; remove it");
  assert_unsafe ("g781", "STMSG", "message", "hi;AT+CLEAR", -1,
                 "STMSG: message contains a semicolon, which the unit reads as the start of "
                 "another command; remove it");
}

/* No secret value ever shows in a message, whatever the rule it breaks. */
static void
test_secret_not_echoed (void)
{
  static const struct {
    const char *model, *command, *param;
  } secrets[] = {
    { "g781", "CMDPW", "password" },
    { "g781", "APN", "password" },
    { "g781", "CLOUD", "password" },
    { "m0", "REGCLOUD", "password" },
    { "m0", "WEBU", "password" },
  };
  static const char *const values[] = {
    "Sesame1234567890Sesame1234567890Sesame1234567890Sesame1234567890Sesame",
    "Sesame;x", "Sesame\rx", "Sesameü", "Sesame\x01", NULL
  };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      const AtcCommand *command = get_command (secrets[i].model, secrets[i].command);
      const AtcParam *param = get_param (command, secrets[i].param);

      g_assert_true (param->secret);
      for (guint v = 0; values[v] != NULL; v++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *result = atc_param_validate (command, param, values[v], &error);

          /* \r is carried by the bracket style, the rest must fail. */
          if (result != NULL)
            {
              g_assert_true (param->escape != ATC_ESCAPE_NONE && strchr (values[v], '\r'));
              continue;
            }
          g_assert_nonnull (error);
          g_assert_true (g_str_has_prefix (error->message, command->name));
          g_assert_null (strstr (error->message, "Sesame"));
        }
    }
}

static void
test_escape_can_carry (void)
{
  for (int e = ATC_ESCAPE_NONE; e <= ATC_ESCAPE_CRLF_TOKEN; e++)
    {
      g_assert_false (atc_escape_can_carry (e, '\0'));
      g_assert_false (atc_escape_can_carry (e, ';'));
      g_assert_false (atc_escape_can_carry (e, 0x1b));
      g_assert_true (atc_escape_can_carry (e, 'A'));
      g_assert_true (atc_escape_can_carry (e, '?'));
      g_assert_true (atc_escape_can_carry (e, '='));
      g_assert_true (atc_escape_can_carry (e, 0xc3));
      g_assert_cmpint (atc_escape_can_carry (e, '\r'), ==, e != ATC_ESCAPE_NONE);
      g_assert_cmpint (atc_escape_can_carry (e, '\n'), ==, e != ATC_ESCAPE_NONE);
      g_assert_cmpint (atc_escape_can_carry (e, ','), ==, e != ATC_ESCAPE_NONE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/int-bounds", test_int_bounds);
  g_test_add_func ("/validate/int-syntax", test_int_syntax);
  g_test_add_func ("/validate/port-bounds", test_port_bounds);
  g_test_add_func ("/validate/enum", test_enum);
  g_test_add_func ("/validate/string-lengths", test_string_lengths);
  g_test_add_func ("/validate/string-ascii", test_string_ascii);
  g_test_add_func ("/validate/string-escapes", test_string_escapes);
  g_test_add_func ("/validate/hex", test_hex);
  g_test_add_func ("/validate/ipv4", test_ipv4);
  g_test_add_func ("/validate/host", test_host);
  g_test_add_func ("/validate/mac", test_mac);
  g_test_add_func ("/validate/command-values", test_command_values);
  g_test_add_func ("/validate/injection", test_injection);
  g_test_add_func ("/validate/secret-not-echoed", test_secret_not_echoed);
  g_test_add_func ("/validate/escape-can-carry", test_escape_can_carry);

  return g_test_run ();
}
