/* test-address.c: the device address syntax technicians type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atc-address.h"
#include "atc-error.h"

static AtcAddress *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  AtcAddress *address = atc_address_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (address);
  return address;
}

static void
test_bare_path (void)
{
  g_autoptr (AtcAddress) a = parse_ok ("/dev/ttyUSB0");
  g_autofree char *text = NULL;

  g_assert_cmpint (a->kind, ==, ATC_ADDRESS_SERIAL);
  g_assert_cmpstr (a->path, ==, "/dev/ttyUSB0");
  g_assert_null (a->host);
  g_assert_null (a->password);
  g_assert_null (a->model);
  /* No baud given: the session uses the model default or searches. */
  g_assert_cmpuint (a->line.baud, ==, 0);
  g_assert_cmpuint (a->line.data_bits, ==, 8);
  g_assert_cmpint (a->line.parity, ==, ATC_PARITY_NONE);
  g_assert_cmpuint (a->line.stop_bits, ==, 1);
  g_assert_cmpint (a->line.flow, ==, ATC_FLOW_NONE);

  text = atc_address_to_string (a, TRUE);
  g_assert_cmpstr (text, ==, "serial:/dev/ttyUSB0");
}

static void
test_bare_pty_path (void)
{
  g_autoptr (AtcAddress) a = parse_ok ("/dev/pts/7");
  g_autofree char *text = atc_address_to_string (a, FALSE);

  g_assert_cmpint (a->kind, ==, ATC_ADDRESS_PTY);
  g_assert_cmpstr (a->path, ==, "/dev/pts/7");
  g_assert_cmpstr (text, ==, "pty:/dev/pts/7");
}

static void
test_serial_full (void)
{
  g_autoptr (AtcAddress) a =
    parse_ok ("serial:/dev/ttyUSB0?baud=115200&parity=none&data=8&stop=1&flow=none");
  g_autoptr (AtcAddress) b =
    parse_ok ("serial:/dev/serial/by-id/usb-FTDI-if00?baud=9600&parity=even&data=7&stop=2"
              "&flow=rtscts&model=m0");
  g_autofree char *ta = atc_address_to_string (a, TRUE);
  g_autofree char *tb = atc_address_to_string (b, TRUE);

  g_assert_cmpint (a->kind, ==, ATC_ADDRESS_SERIAL);
  g_assert_cmpuint (a->line.baud, ==, 115200);
  /* Defaults are left out of the canonical text. */
  g_assert_cmpstr (ta, ==, "serial:/dev/ttyUSB0?baud=115200");

  g_assert_cmpstr (b->path, ==, "/dev/serial/by-id/usb-FTDI-if00");
  g_assert_cmpuint (b->line.baud, ==, 9600);
  g_assert_cmpuint (b->line.data_bits, ==, 7);
  g_assert_cmpint (b->line.parity, ==, ATC_PARITY_EVEN);
  g_assert_cmpuint (b->line.stop_bits, ==, 2);
  g_assert_cmpint (b->line.flow, ==, ATC_FLOW_RTSCTS);
  g_assert_cmpstr (b->model, ==, "m0");
  g_assert_cmpstr (tb, ==,
                   "serial:/dev/serial/by-id/usb-FTDI-if00?baud=9600&data=7&parity=even&stop=2"
                   "&flow=rtscts&model=m0");
}

static void
test_parity_and_flow_words (void)
{
  struct {
    const char *text;
    AtcParity   parity;
    AtcFlowControl flow;
  } cases[] = {
    { "serial:/dev/ttyS0?parity=odd", ATC_PARITY_ODD, ATC_FLOW_NONE },
    { "serial:/dev/ttyS0?parity=MARK", ATC_PARITY_MARK, ATC_FLOW_NONE },
    { "serial:/dev/ttyS0?parity=space&flow=xonxoff", ATC_PARITY_SPACE, ATC_FLOW_XONXOFF },
    /* The letters of "8E1" notation. */
    { "serial:/dev/ttyS0?parity=E", ATC_PARITY_EVEN, ATC_FLOW_NONE },
    { "serial:/dev/ttyS0?parity=n&flow=RTSCTS", ATC_PARITY_NONE, ATC_FLOW_RTSCTS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (AtcAddress) a = parse_ok (cases[i].text);

      g_assert_cmpint (a->line.parity, ==, cases[i].parity);
      g_assert_cmpint (a->line.flow, ==, cases[i].flow);
    }

  g_assert_cmpstr (atc_parity_to_string (ATC_PARITY_EVEN), ==, "even");
  g_assert_cmpstr (atc_flow_control_to_string (ATC_FLOW_XONXOFF), ==, "xonxoff");
}

static void
test_pty (void)
{
  g_autoptr (AtcAddress) a = parse_ok ("pty:/dev/pts/3?baud=9600&model=g781");
  g_autofree char *text = atc_address_to_string (a, FALSE);

  g_assert_cmpint (a->kind, ==, ATC_ADDRESS_PTY);
  g_assert_cmpstr (a->path, ==, "/dev/pts/3");
  g_assert_cmpuint (a->line.baud, ==, 9600);
  g_assert_cmpstr (a->model, ==, "g781");
  g_assert_cmpstr (text, ==, "pty:/dev/pts/3?baud=9600&model=g781");
}

static void
test_tcp (void)
{
  g_autoptr (AtcAddress) a = parse_ok ("tcp:192.168.0.7:8234");
  g_autoptr (AtcAddress) b = parse_ok ("tcp:[::1]:2000");
  g_autoptr (AtcAddress) c = parse_ok ("TCP:unit-12.example.net:65535?model=g781");
  g_autoptr (AtcAddress) d = parse_ok ("tcp:[fe80::1]:1");
  g_autofree char *ta = atc_address_to_string (a, FALSE);
  g_autofree char *tb = atc_address_to_string (b, FALSE);
  g_autofree char *tc = atc_address_to_string (c, FALSE);
  g_autofree char *td = atc_address_to_string (d, FALSE);

  g_assert_cmpint (a->kind, ==, ATC_ADDRESS_TCP);
  g_assert_cmpstr (a->host, ==, "192.168.0.7");
  g_assert_cmpuint (a->port, ==, 8234);
  g_assert_null (a->path);
  g_assert_cmpstr (ta, ==, "tcp:192.168.0.7:8234");

  g_assert_cmpstr (b->host, ==, "::1");
  g_assert_cmpuint (b->port, ==, 2000);
  g_assert_cmpstr (tb, ==, "tcp:[::1]:2000");

  g_assert_cmpstr (c->host, ==, "unit-12.example.net");
  g_assert_cmpuint (c->port, ==, 65535);
  g_assert_cmpstr (c->model, ==, "g781");
  g_assert_cmpstr (tc, ==, "tcp:unit-12.example.net:65535?model=g781");

  g_assert_cmpuint (d->port, ==, 1);
  g_assert_cmpstr (td, ==, "tcp:[fe80::1]:1");
}

static void
test_demo (void)
{
  g_autoptr (AtcAddress) a = parse_ok ("demo:g781");
  g_autoptr (AtcAddress) b = parse_ok ("demo:M0");
  g_autofree char *ta = atc_address_to_string (a, FALSE);
  g_autofree char *tb = atc_address_to_string (b, FALSE);

  g_assert_cmpint (a->kind, ==, ATC_ADDRESS_DEMO);
  g_assert_cmpstr (a->model, ==, "g781");
  g_assert_cmpstr (ta, ==, "demo:g781");
  g_assert_cmpint (b->kind, ==, ATC_ADDRESS_DEMO);
  g_assert_cmpstr (b->model, ==, "m0");
  g_assert_cmpstr (tb, ==, "demo:m0");
}

static void
test_password_hidden (void)
{
  /* The G781 factory password, with its '#'. */
  g_autoptr (AtcAddress) a = parse_ok ("tcp:10.0.0.2:8899?password=www.usr.cn#");
  g_autoptr (AtcAddress) b = parse_ok ("serial:/dev/ttyUSB1?baud=9600&password=a%26b%3Dc%25d");
  g_autoptr (AtcAddress) copy = NULL;
  g_autofree char *hidden = atc_address_to_string (a, FALSE);
  g_autofree char *shown = atc_address_to_string (a, TRUE);
  g_autofree char *hidden_b = atc_address_to_string (b, FALSE);
  g_autofree char *shown_b = atc_address_to_string (b, TRUE);

  g_assert_cmpstr (a->password, ==, "www.usr.cn#");
  g_assert_cmpstr (hidden, ==, "tcp:10.0.0.2:8899");
  g_assert_null (strstr (hidden, "usr.cn"));
  g_assert_cmpstr (shown, ==, "tcp:10.0.0.2:8899?password=www.usr.cn#");

  /* '&', '=' and '%' in a password survive a round trip. */
  g_assert_cmpstr (b->password, ==, "a&b=c%d");
  g_assert_cmpstr (hidden_b, ==, "serial:/dev/ttyUSB1?baud=9600");
  g_assert_cmpstr (shown_b, ==, "serial:/dev/ttyUSB1?baud=9600&password=a%26b%3Dc%25d");

  copy = atc_address_copy (b);
  g_assert_cmpstr (copy->password, ==, "a&b=c%d");
  g_assert_cmpuint (copy->line.baud, ==, 9600);
}

static void
test_round_trip (void)
{
  const char *inputs[] = {
    "/dev/ttyUSB0",
    "/dev/pts/12?baud=57600",
    "serial:/dev/ttyACM0?flow=xonxoff&stop=2&data=5&parity=mark&baud=300",
    "serial:/dev/ttyS1?baud=460800&model=G781&password=www.usr.cn#",
    "pty:/tmp/ttyV0?parity=odd",
    "tcp:localhost:2000?password=p%20w",
    "tcp:[2001:db8::7]:8234?model=m0",
    "  tcp:127.0.0.1:23  ",
    "demo:m0?password=secret",
    "demo:g781?baud=9600",
    /* Found by fuzzing: the space before '?' stayed in the path, and the
     * canonical text (no query left) lost it. */
    "serial:/dev/ttyS1 ?",
    "/dev/ttyUSB0 \t?baud=9600",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (AtcAddress) a = parse_ok (inputs[i]);
      g_autofree char *canonical = atc_address_to_string (a, TRUE);
      g_autoptr (AtcAddress) b = parse_ok (canonical);
      g_autofree char *again = atc_address_to_string (b, TRUE);

      g_test_message ("%s -> %s", inputs[i], canonical);
      g_assert_cmpstr (canonical, ==, again);
      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpstr (a->path, ==, b->path);
      g_assert_cmpstr (a->host, ==, b->host);
      g_assert_cmpuint (a->port, ==, b->port);
      g_assert_cmpstr (a->model, ==, b->model);
      g_assert_cmpstr (a->password, ==, b->password);
      g_assert_true (atc_line_settings_equal (&a->line, &b->line));
    }
}

static void
test_line_settings_text (void)
{
  AtcLineSettings s = ATC_LINE_SETTINGS_DEFAULT;
  g_autofree char *auto_text = atc_line_settings_to_string (&s);
  g_autofree char *text = NULL;

  g_assert_true (g_str_has_suffix (auto_text, " 8N1"));
  s.baud = 9600;
  s.data_bits = 7;
  s.parity = ATC_PARITY_EVEN;
  s.stop_bits = 2;
  s.flow = ATC_FLOW_RTSCTS;
  text = atc_line_settings_to_string (&s);
  g_assert_cmpstr (text, ==, "9600 7E2 RTS/CTS");
}

typedef struct {
  const char *text;
  const char *must_mention; /* the message names what is wrong */
} BadCase;

static void
check_bad (const BadCase *cases,
           guint          n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AtcAddress) a = atc_address_parse (cases[i].text, &error);

      g_test_message ("%s: %s", cases[i].text, error ? error->message : "(parsed)");
      g_assert_null (a);
      g_assert_error (error, ATC_ERROR, ATC_ERROR_ADDRESS);
      g_assert_nonnull (strstr (error->message, cases[i].must_mention));
    }
}

static void
test_error_unknown_scheme (void)
{
  const BadCase cases[] = {
    { "usb:/dev/ttyUSB0", "usb" },
    { "ttyUSB0", "ttyUSB0" },
    { "http://192.168.0.7", "http" },
    { "", "empty" },
    { "   ", "empty" },
    { "demo:g999", "g999" },
    { "serial:ttyUSB0", "serial:/dev/ttyUSB0" },
    /* Found by fuzzing: "/" parsed, but its canonical "serial:/" did not. */
    { "/", "/dev/ttyUSB0" },
    { "/?baud=9600", "/dev/ttyUSB0" },
  };

  check_bad (cases, G_N_ELEMENTS (cases));
}

static void
test_error_port (void)
{
  const BadCase cases[] = {
    { "tcp:192.168.0.7", "no port" },
    { "tcp:192.168.0.7:", "no port" },
    { "tcp:[::1]", "no port" },
    { "tcp:[::1]:", "no port" },
    { "tcp:192.168.0.7:0", "out of range" },
    { "tcp:192.168.0.7:65536", "out of range" },
    { "tcp:192.168.0.7:99999999999", "out of range" },
    { "tcp:192.168.0.7:http", "not a number" },
    { "tcp::2000", "no host" },
    { "tcp:::1:2000", "brackets" },
    { "tcp:[::1:2000", "]" },
    { "tcp:[not-v6]:2000", "IPv6" },
    { "tcp:bad host:2000", "bad host" },
  };

  check_bad (cases, G_N_ELEMENTS (cases));
}

static void
test_error_baud (void)
{
  const BadCase cases[] = {
    { "serial:/dev/ttyUSB0?baud=fast", "fast" },
    { "serial:/dev/ttyUSB0?baud=-9600", "-9600" },
    { "serial:/dev/ttyUSB0?baud=0", "out of range" },
    { "serial:/dev/ttyUSB0?baud=12", "out of range" },
    { "serial:/dev/ttyUSB0?baud=99000000", "out of range" },
    { "serial:/dev/ttyUSB0?baud=", "needs a value" },
    { "serial:/dev/ttyUSB0?baud", "needs a value" },
    { "serial:/dev/ttyUSB0?baud=9600&baud=115200", "twice" },
  };

  check_bad (cases, G_N_ELEMENTS (cases));
}

static void
test_error_parity (void)
{
  const BadCase cases[] = {
    { "serial:/dev/ttyUSB0?parity=weird", "weird" },
    { "serial:/dev/ttyUSB0?parity=x", "Unknown parity" },
    { "serial:/dev/ttyUSB0?flow=hardware", "hardware" },
    { "serial:/dev/ttyUSB0?data=9", "out of range" },
    { "serial:/dev/ttyUSB0?stop=3", "out of range" },
    { "serial:/dev/ttyUSB0?model=g782", "g782" },
  };

  check_bad (cases, G_N_ELEMENTS (cases));
}

/* Found by fuzzing: "%DA" in a value put a byte that is not UTF-8 into
 * the message, which the GUI shows as text. */
static void
test_error_message_is_text (void)
{
  const char *const texts[] = {
    "serial:/dev/ttyUSB0?baud=115200&parity=none%dat#=8",
    "serial:/dev/ttyUSB0?flow=%FF",
    "serial:/dev/ttyUSB0?model=g%E9",
    "serial:/dev/ttyUSB0?data=%C3",
    "demo:m0?baud=9%E96",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AtcAddress) a = atc_address_parse (texts[i], &error);

      g_assert_null (a);
      g_assert_error (error, ATC_ERROR, ATC_ERROR_ADDRESS);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_error_unknown_key (void)
{
  const BadCase cases[] = {
    { "serial:/dev/ttyUSB0?speed=9600", "speed" },
    { "tcp:10.0.0.1:23?timeout=5", "timeout" },
    /* Known keys where they mean nothing. */
    { "tcp:10.0.0.1:23?baud=9600", "TCP" },
    { "demo:g781?model=m0", "demo" },
  };

  check_bad (cases, G_N_ELEMENTS (cases));
}

static void
test_error_keeps_password_secret (void)
{
  const char *bad[] = {
    "tcp:10.0.0.2:8899?password=s3cr%ZZet",
    "tcp:10.0.0.2:8899?password=s3cr%0Aet",
    "tcp:10.0.0.2:8899?password=s3cret&password=s3cret",
    "tcp:10.0.0.2:8899?password=s3cret&bogus=1",
    /* Found by fuzzing: a separator mistyped for '&' put the password
     * into another option's value, which the message quoted. */
    "serial:/dev/ttyUSB0?baud=9600?password=s3cret",
    "demo:m0?baud=57600 password=s3cret",
    "serial:/dev/ttyUSB0?parity=even,password=s3cret",
    "tcp:10.0.0.2:8899?model=g781;Password%3Ds3cret",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AtcAddress) a = atc_address_parse (bad[i], &error);

      g_assert_null (a);
      g_assert_error (error, ATC_ERROR, ATC_ERROR_ADDRESS);
      g_assert_null (strstr (error->message, "s3cr"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address/bare-path", test_bare_path);
  g_test_add_func ("/address/bare-pty-path", test_bare_pty_path);
  g_test_add_func ("/address/serial-full", test_serial_full);
  g_test_add_func ("/address/parity-flow-words", test_parity_and_flow_words);
  g_test_add_func ("/address/pty", test_pty);
  g_test_add_func ("/address/tcp", test_tcp);
  g_test_add_func ("/address/demo", test_demo);
  g_test_add_func ("/address/password-hidden", test_password_hidden);
  g_test_add_func ("/address/round-trip", test_round_trip);
  g_test_add_func ("/address/line-settings-text", test_line_settings_text);
  g_test_add_func ("/address/error/unknown-scheme", test_error_unknown_scheme);
  g_test_add_func ("/address/error/port", test_error_port);
  g_test_add_func ("/address/error/baud", test_error_baud);
  g_test_add_func ("/address/error/parity-data-stop", test_error_parity);
  g_test_add_func ("/address/error/unknown-key", test_error_unknown_key);
  g_test_add_func ("/address/error/message-is-text", test_error_message_is_text);
  g_test_add_func ("/address/error/password-secret", test_error_keeps_password_secret);

  return g_test_run ();
}
