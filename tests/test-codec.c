/* test-codec.c: command lines and reply values, on records built by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The commands below are copied from the two documents (G781 sections
 * 4.8-4.50, M0 sections 4.3-4.27), so these tests do not depend on the
 * shipped catalog; test-roundtrip covers that.
 */
#include "config.h"

#include <string.h>

#include "atc-codec.h"
#include "atc-error.h"

/* Everything built here lives until the end of the program. */
static GPtrArray *arena;

static gpointer
keep (gpointer       data,
      GDestroyNotify free_func)
{
  g_ptr_array_add (arena, g_steal_pointer (&data));
  g_ptr_array_add (arena, free_func);
  return g_ptr_array_index (arena, arena->len - 2);
}

static void
arena_free (void)
{
  for (guint i = 0; i < arena->len; i += 2)
    ((GDestroyNotify) g_ptr_array_index (arena, i + 1)) (g_ptr_array_index (arena, i));
  g_ptr_array_unref (arena);
}

static AtcParam *
param (const char  *name,
       AtcParamType type,
       gint64       min,
       gint64       max,
       AtcEscape    escape)
{
  AtcParam *p = keep (g_new0 (AtcParam, 1), g_free);

  p->name = (char *) name;
  p->label = (char *) name;
  p->type = type;
  p->min = min;
  p->max = max;
  p->escape = escape;
  return p;
}

static AtcParam *
choice (const char *name,
        const char *first,
        ...)
{
  AtcParam *p = param (name, ATC_PARAM_ENUM, 0, 0, ATC_ESCAPE_NONE);
  GStrvBuilder *builder = g_strv_builder_new ();
  va_list args;

  va_start (args, first);
  for (const char *word = first; word != NULL; word = va_arg (args, const char *))
    g_strv_builder_add (builder, word);
  va_end (args);

  p->choices = keep (g_strv_builder_end (builder), (GDestroyNotify) g_strfreev);
  g_strv_builder_unref (builder);
  return p;
}

static AtcParam *
text (const char *name,
      gint64      min,
      gint64      max,
      AtcEscape   escape,
      gboolean    secret)
{
  AtcParam *p = param (name, ATC_PARAM_STRING, min, max, escape);

  p->ascii_only = TRUE;
  p->secret = secret;
  return p;
}

static AtcCommand *
command (const char *name,
         AtcAccess   access,
         ...)
{
  AtcCommand *c = keep (g_new0 (AtcCommand, 1), g_free);
  va_list args;

  c->name = (char *) name;
  c->access = access;
  c->params = keep (g_ptr_array_new (), (GDestroyNotify) g_ptr_array_unref);
  c->reply_orders = keep (g_ptr_array_new (), (GDestroyNotify) g_ptr_array_unref);

  va_start (args, access);
  for (AtcParam *p = va_arg (args, AtcParam *); p != NULL; p = va_arg (args, AtcParam *))
    g_ptr_array_add (c->params, p);
  va_end (args);

  return c;
}

#define QS (ATC_ACCESS_QUERY | ATC_ACCESS_SET)

/* G781 4.21, with the return line's field order (parity second). */
static AtcCommand *
g781_uart (void)
{
  static const char *typo_order[] = {
    "baud_rate", "parity", "data_bits", "stop_bits", "flow_control", NULL,
  };
  AtcCommand *c = command ("UART", QS,
                           choice ("baud_rate", "300", "600", "1200", "2400", "4800", "9600",
                                   "19200", "38400", "57600", "115200", "230400", "460800", NULL),
                           param ("data_bits", ATC_PARAM_INT, 7, 8, ATC_ESCAPE_NONE),
                           param ("stop_bits", ATC_PARAM_INT, 1, 2, ATC_ESCAPE_NONE),
                           choice ("parity", "NONE", "EVEN", "ODD", NULL),
                           choice ("flow_control", "NFC", "485", NULL),
                           NULL);

  g_ptr_array_add (c->reply_orders, typo_order);
  return c;
}

/* M0 4.13 */
static AtcCommand *
m0_uart (void)
{
  return command ("UART", QS,
                  param ("baud_rate", ATC_PARAM_INT, 600, 460800, ATC_ESCAPE_NONE),
                  param ("data_bits", ATC_PARAM_INT, 5, 8, ATC_ESCAPE_NONE),
                  param ("stop_bits", ATC_PARAM_INT, 1, 2, ATC_ESCAPE_NONE),
                  choice ("parity", "NONE", "EVEN", "ODD", "MASK", "SPACE", NULL),
                  choice ("flow_control", "NFC", "FC", "485", NULL),
                  NULL);
}

/* G781 4.13 */
static AtcCommand *
g781_apn (void)
{
  return command ("APN", QS,
                  text ("apn", 0, 62, ATC_ESCAPE_BRACKETS, FALSE),
                  text ("username", 0, 62, ATC_ESCAPE_BRACKETS, FALSE),
                  text ("password", 0, 62, ATC_ESCAPE_BRACKETS, TRUE),
                  choice ("auth", "0", "1", "2", NULL),
                  NULL);
}

static void
assert_set (const AtcCommand  *c,
            const char *const *values,
            const char        *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = atc_codec_format_set (c, values, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, expected);
  g_assert_null (strpbrk (line, "\r\n;"));
}

static void
assert_set_fails (const AtcCommand  *c,
                  const char *const *values,
                  int                code,
                  const char        *must_not_contain)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = atc_codec_format_set (c, values, &error);

  g_assert_error (error, ATC_ERROR, code);
  g_assert_null (line);
  /* Messages name the command so the technician knows which field. */
  g_assert_nonnull (strstr (error->message, c->name));
  if (must_not_contain != NULL)
    g_assert_null (strstr (error->message, must_not_contain));
}

static void
test_query_and_execute_lines (void)
{
  AtcCommand *csq = command ("CSQ", ATC_ACCESS_QUERY, param ("rssi", ATC_PARAM_INT, 0, 99, 0),
                             NULL);
  AtcCommand *at = command ("", ATC_ACCESS_QUERY | ATC_ACCESS_EXECUTE, NULL);
  AtcCommand *z = command ("Z", ATC_ACCESS_EXECUTE, NULL);
  AtcCommand *usermac = command ("USERMAC", QS, param ("mac", ATC_PARAM_MAC, 0, 0, 0), NULL);
  g_autofree char *q_csq = NULL, *q_at = NULL, *x_at = NULL, *x_z = NULL, *q_mac = NULL;

  /* M0 4.8: USERMAC is read back with AT+MAC. */
  usermac->query_command = (char *) "MAC";

  q_csq = atc_codec_format_query (csq);
  q_at = atc_codec_format_query (at);
  x_at = atc_codec_format_execute (at);
  x_z = atc_codec_format_execute (z);
  q_mac = atc_codec_format_query (usermac);

  /* Both documents list the bare "AT+CMD" query; the M0 has no "?" form. */
  g_assert_cmpstr (q_csq, ==, "AT+CSQ");
  g_assert_cmpstr (q_at, ==, "AT");
  g_assert_cmpstr (x_at, ==, "AT");
  g_assert_cmpstr (x_z, ==, "AT+Z");
  g_assert_cmpstr (q_mac, ==, "AT+MAC");
}

static void
test_set_lines (void)
{
  AtcCommand *g_uart = g781_uart ();
  AtcCommand *m_uart = m0_uart ();
  AtcCommand *apn = g781_apn ();
  AtcCommand *wkmod = command ("WKMOD", QS, choice ("mode", "NET", "HTTPD", NULL), NULL);
  AtcCommand *uartft = command ("UARTFT", QS, param ("time", ATC_PARAM_INT, 10, 60000, 0),
                                NULL);

  /* protocol-notes.md: baud, data bits, stop bits, parity, flow on both
   * families, whatever order the G781 return line prints. */
  assert_set (g_uart, (const char *[]) { "115200", "8", "1", "NONE", "NFC", NULL },
              "AT+UART=115200,8,1,NONE,NFC");
  assert_set (m_uart, (const char *[]) { "9600", "7", "2", "EVEN", "485", NULL },
              "AT+UART=9600,7,2,EVEN,485");
  /* Canonical spelling goes on the wire. */
  assert_set (m_uart, (const char *[]) { "57600", "8", "1", "odd", "fc", NULL },
              "AT+UART=57600,8,1,ODD,FC");

  /* Empty APN fields stay empty. */
  assert_set (apn, (const char *[]) { "CMNET", "", "", "0", NULL }, "AT+APN=CMNET,,,0");
  assert_set (apn, (const char *[]) { "internet", "user", "secret", "1", NULL },
              "AT+APN=internet,user,secret,1");
  /* A comma inside a field travels escaped, never as a separator. */
  assert_set (apn, (const char *[]) { "CMNET", "a,b", "p=q?", "2", NULL },
              "AT+APN=CMNET,a[2C]b,p[3D]q[3F],2");

  assert_set (wkmod, (const char *[]) { "HTTPD", NULL }, "AT+WKMOD=HTTPD");
  assert_set (uartft, (const char *[]) { "50", NULL }, "AT+UARTFT=50");
}

static void
test_set_escapes_free_text (void)
{
  AtcCommand *stmsg = command ("STMSG", QS, text ("message", 0, 20, ATC_ESCAPE_BRACKETS, FALSE),
                               NULL);
  AtcCommand *htpurl = command ("HTPURL", QS, text ("url", 1, 100, ATC_ESCAPE_BRACKETS, FALSE),
                                NULL);
  AtcCommand *htphd = command ("HTPHD", QS, text ("header", 0, 180, ATC_ESCAPE_BRACKETS, FALSE),
                               NULL);
  AtcCommand *htphead = command ("HTPHEAD", QS,
                                 text ("header", 0, 180, ATC_ESCAPE_CRLF_TOKEN, FALSE), NULL);
  AtcCommand *m0_url = command ("HTPURL", QS, text ("url", 1, 100, ATC_ESCAPE_NONE, FALSE),
                                NULL);

  assert_set (htpurl, (const char *[]) { "/1.php?", NULL }, "AT+HTPURL=/1.php[3F]");
  assert_set (htphd, (const char *[]) { "Connection: close\r\n", NULL },
              "AT+HTPHD=Connection: close[0D][0A]");
  assert_set (htphead, (const char *[]) { "User_Agent: Mozilla/4.0\r\nAccept: */*", NULL },
              "AT+HTPHEAD=User_Agent: Mozilla/4.0<<CRLF>>Accept: */*");
  /* The M0 document writes its URL default "/1.php?" unescaped. */
  assert_set (m0_url, (const char *[]) { "/1.php?", NULL }, "AT+HTPURL=/1.php?");

  /* A line break in a welcome message cannot start a second command. */
  assert_set (stmsg, (const char *[]) { "hi\r\nAT+CLEAR", NULL },
              "AT+STMSG=hi[0D][0A]AT+CLEAR");
  assert_set (stmsg, (const char *[]) { "a=b,c", NULL }, "AT+STMSG=a[3D]b[2C]c");
}

static void
test_set_refuses (void)
{
  AtcCommand *stmsg = command ("STMSG", QS, text ("message", 0, 20, ATC_ESCAPE_BRACKETS, FALSE),
                               NULL);
  AtcCommand *cmdpw = command ("CMDPW", QS, text ("password", 1, 10, ATC_ESCAPE_NONE, TRUE),
                               NULL);
  AtcCommand *apn = g781_apn ();
  AtcCommand *csq = command ("CSQ", ATC_ACCESS_QUERY, param ("rssi", ATC_PARAM_INT, 0, 99, 0),
                             NULL);
  AtcCommand *uartft = command ("UARTFT", QS, param ("time", ATC_PARAM_INT, 10, 60000, 0),
                                NULL);
  AtcCommand *z = command ("Z", ATC_ACCESS_EXECUTE, NULL);

  assert_set_fails (stmsg, (const char *[]) { "x;AT+CLEAR", NULL }, ATC_ERROR_UNSAFE_VALUE,
                    NULL);
  /* Validation or the escape refuses non-ASCII where the unit wants
   * ASCII; either way nothing is formatted. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *line = atc_codec_format_set (stmsg, (const char *[]) { "caf\xc3\xa9", NULL },
                                                  &error);

    g_assert_null (line);
    g_assert_nonnull (error);
    g_assert_true (g_error_matches (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE) ||
                   g_error_matches (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE));
    g_assert_nonnull (strstr (error->message, "STMSG"));
  }

  /* The command password travels as typed: no escape can carry a comma
   * or a line break, and the message never repeats the password. */
  assert_set_fails (cmdpw, (const char *[]) { "Zq7,pw", NULL }, ATC_ERROR_UNSAFE_VALUE,
                    "Zq7");
  assert_set_fails (cmdpw, (const char *[]) { "Zq7\r\nAT+Z", NULL }, ATC_ERROR_UNSAFE_VALUE,
                    "Zq7");
  assert_set_fails (cmdpw, (const char *[]) { "Zq7;", NULL }, ATC_ERROR_UNSAFE_VALUE, "Zq7");
  assert_set_fails (apn, (const char *[]) { "CMNET", "", "Zq7;AT+CLEAR", "0", NULL },
                    ATC_ERROR_UNSAFE_VALUE, "Zq7");

  /* Validation runs before anything is formatted. */
  assert_set_fails (uartft, (const char *[]) { "5", NULL }, ATC_ERROR_INVALID_VALUE, NULL);
  assert_set_fails (uartft, (const char *[]) { "50", "60", NULL }, ATC_ERROR_INVALID_VALUE,
                    NULL);

  /* Read-only and execute-only commands have no set line. */
  assert_set_fails (csq, (const char *[]) { "20", NULL }, ATC_ERROR_NOT_SUPPORTED, NULL);
  assert_set_fails (z, (const char *[]) { NULL }, ATC_ERROR_NOT_SUPPORTED, NULL);
}

static void
test_password_prefix (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  static const char *bad[] = { "pw\r", "pw\n", "pw;", "p\r\nw" };

  /* protocol-notes.md: "www.usr.cn#AT+CSQ<CR>" */
  line = atc_codec_format_with_password ("www.usr.cn#", "AT+CSQ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "www.usr.cn#AT+CSQ");
  g_clear_pointer (&line, g_free);

  line = atc_codec_format_with_password ("www.usr.cn#", "AT+UART=115200,8,1,NONE,NFC", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "www.usr.cn#AT+UART=115200,8,1,NONE,NFC");
  g_clear_pointer (&line, g_free);

  line = atc_codec_format_with_password ("", "AT+CSQ", &error);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_assert_null (line);
  g_clear_error (&error);

  line = atc_codec_format_with_password (NULL, "AT+CSQ", &error);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      line = atc_codec_format_with_password (bad[i], "AT+CSQ", &error);
      g_assert_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE);
      g_assert_null (line);
      g_assert_null (strstr (error->message, "pw"));
      g_clear_error (&error);
    }
}

static char **
parse_ok (const AtcCommand *c,
          const char       *value)
{
  g_autoptr(GError) error = NULL;
  char **values = atc_codec_parse_value (c, value, &error);

  g_assert_no_error (error);
  g_assert_nonnull (values);
  g_assert_cmpuint (g_strv_length (values), ==, c->params->len);
  return values;
}

static void
parse_fails (const AtcCommand *c,
             const char       *value,
             const char       *must_not_contain)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = atc_codec_parse_value (c, value, &error);

  g_assert_error (error, ATC_ERROR, ATC_ERROR_MALFORMED_REPLY);
  g_assert_null (values);
  g_assert_nonnull (strstr (error->message, c->name));
  if (must_not_contain != NULL)
    g_assert_null (strstr (error->message, must_not_contain));
}

static void
assert_values (char       **values,
               const char  *first,
               ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *want = first; want != NULL; want = va_arg (args, const char *), i++)
    g_assert_cmpstr (values[i], ==, want);
  va_end (args);
  g_assert_null (values[i]);
  g_strfreev (values);
}

static void
test_parse_value (void)
{
  AtcCommand *g_uart = g781_uart ();
  AtcCommand *m_uart = m0_uart ();
  AtcCommand *apn = g781_apn ();
  AtcCommand *stmsg = command ("STMSG", QS, text ("message", 0, 20, ATC_ESCAPE_BRACKETS, FALSE),
                               NULL);
  AtcCommand *htphd = command ("HTPHD", QS, text ("header", 0, 180, ATC_ESCAPE_BRACKETS, FALSE),
                               NULL);
  AtcCommand *htphead = command ("HTPHEAD", QS,
                                 text ("header", 0, 180, ATC_ESCAPE_CRLF_TOKEN, FALSE), NULL);
  AtcCommand *m0_url = command ("HTPURL", QS, text ("url", 1, 100, ATC_ESCAPE_NONE, FALSE),
                                NULL);
  AtcCommand *csq = command ("CSQ", ATC_ACCESS_QUERY, param ("rssi", ATC_PARAM_INT, 0, 99, 0),
                             NULL);
  AtcCommand *sock = command ("SOCKA", QS, choice ("protocol", "TCPS", "TCPC", "UDPS", "UDPC",
                                                   NULL),
                              param ("address", ATC_PARAM_HOST, 1, 255, 0),
                              param ("port", ATC_PARAM_PORT, 1, 65535, 0), NULL);

  assert_values (parse_ok (g_uart, "115200,8,1,NONE,NFC"), "115200", "8", "1", "NONE", "NFC",
                 NULL);
  /* The G781 return line's order (parity second) comes back in
   * parameter order. */
  assert_values (parse_ok (g_uart, "9600,EVEN,7,2,485"), "9600", "7", "2", "EVEN", "485", NULL);
  /* The M0 lists no such typo: a misordered reply does not fit. */
  assert_values (parse_ok (m_uart, "115200,8,1,NONE,NFC"), "115200", "8", "1", "NONE", "NFC",
                 NULL);
  parse_fails (m_uart, "115200,NONE,8,1,NFC", NULL);
  /* Found by fuzzing: the typo order fills parity (slot 4) before data
   * bits (slot 2) fails; the sanitizer and valgrind runs saw that value
   * leak. */
  parse_fails (g_uart, "115200,NONE,8,[3F]1,NFC", NULL);
  parse_fails (g_uart, "115200,EVEN,9,1,NFC", NULL);
  /* Padding after commas is not part of a number. */
  assert_values (parse_ok (m_uart, "115200, 8, 1, NONE, NFC"), "115200", "8", "1", "NONE",
                 "NFC", NULL);

  assert_values (parse_ok (apn, "CMNET,,,0"), "CMNET", "", "", "0", NULL);
  assert_values (parse_ok (apn, "internet,us[2C]er,p[3D]w,1"), "internet", "us,er", "p=w", "1",
                 NULL);
  assert_values (parse_ok (sock, "TCPC,test.usr.cn,2317"), "TCPC", "test.usr.cn", "2317", NULL);
  assert_values (parse_ok (csq, "99"), "99", NULL);
  assert_values (parse_ok (csq, "20 "), "20", NULL);

  /* Free text keeps its spaces and decodes its escapes. */
  assert_values (parse_ok (stmsg, " USR_G781 "), " USR_G781 ", NULL);
  assert_values (parse_ok (stmsg, "a[2C]b[3F]"), "a,b?", NULL);
  assert_values (parse_ok (stmsg, ""), "", NULL);
  assert_values (parse_ok (htphd, "Connection: close[0D][0A]"), "Connection: close\r\n", NULL);
  assert_values (parse_ok (htphead, "User_Agent: Mozilla/4.0<<CRLF>>X: y"),
                 "User_Agent: Mozilla/4.0\r\nX: y", NULL);
  assert_values (parse_ok (m0_url, "/1.php?"), "/1.php?", NULL);
  /* A field that carries no escapes is not decoded. */
  assert_values (parse_ok (m0_url, "/a[3F]"), "/a[3F]", NULL);

  /* Field counts that do not match: a literal comma in free text is a
   * stray separator, not part of the value. */
  parse_fails (stmsg, "a,b", NULL);
  parse_fails (apn, "CMNET,,0", NULL);
  parse_fails (g_uart, "115200,8,1,NONE,NFC,X", NULL);
  parse_fails (csq, NULL, NULL);

  /* Values that do not fit the parameter. */
  parse_fails (csq, "100", NULL);
  parse_fails (csq, "abc", NULL);
  parse_fails (g_uart, "115201,8,1,NONE,NFC", NULL);
  parse_fails (stmsg, "123456789012345678901", NULL);
}

static void
test_parse_value_keeps_secrets_out (void)
{
  AtcCommand *apn = g781_apn ();
  AtcCommand *cmdpw = command ("CMDPW", QS, text ("password", 1, 10, ATC_ESCAPE_NONE, TRUE),
                               NULL);

  parse_fails (apn, "CMNET,user,Zq7,Secret,0", "Zq7");
  parse_fails (cmdpw, "Zq7TooLongSecret", "Zq7");
  parse_fails (apn, "CMNET,user,Zq7TooLongSecretZq7TooLongSecretZq7TooLongSecretZq7TooLongSecret,0",
               "Zq7");
}

static void
test_parse_value_no_params (void)
{
  AtcCommand *reld = command ("RELD", ATC_ACCESS_EXECUTE, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;

  /* M0 4.3: "+OK=rebooting..." carries no parameter. */
  values = atc_codec_parse_value (reld, "rebooting...", &error);
  g_assert_no_error (error);
  g_assert_nonnull (values);
  g_assert_cmpuint (g_strv_length (values), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  arena = g_ptr_array_new ();

  g_test_add_func ("/codec/query-and-execute-lines", test_query_and_execute_lines);
  g_test_add_func ("/codec/set-lines", test_set_lines);
  g_test_add_func ("/codec/set-escapes-free-text", test_set_escapes_free_text);
  g_test_add_func ("/codec/set-refuses", test_set_refuses);
  g_test_add_func ("/codec/password-prefix", test_password_prefix);
  g_test_add_func ("/codec/parse-value", test_parse_value);
  g_test_add_func ("/codec/parse-value-keeps-secrets-out", test_parse_value_keeps_secrets_out);
  g_test_add_func ("/codec/parse-value-no-params", test_parse_value_no_params);

  status = g_test_run ();
  arena_free ();
  return status;
}
