/* test-simulator.c: the simulated G781 and M0, byte for byte
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case plays the host on the other end of a socket pair (or a pty, or
 * a TCP connection) and writes and reads raw bytes. The expected bytes are
 * written from the documents in the spec folder: the G781 "+CMD:value" and
 * "OK" framing, the M0 "+OK=value", the handshake of protocol-notes.md.
 * Timing is only ever checked as a lower bound (a reply cannot come before
 * its latency), which a loaded machine cannot break.
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "atc-catalog.h"
#include "atc-demo-transport.h"
#include "atc-device.h"
#include "atc-error.h"
#include "atc-simulator.h"

/* Quiet time before "+++": well over the 50 ms packing interval. */
#define GUARD_MS 200
/* How long to wait for bytes that must come. */
#define WAIT_MS 5000
/* How long to listen for bytes that must not come. */
#define QUIET_MS 300
#define TEST_REBOOT_MS 300

typedef struct {
  AtcSimulator *sim;
  int           fd;      /* the host's end, or -1 when it is a stream */
  guint         watch;
  GIOStream    *stream;  /* the host's end as a transport gives it */
  GCancellable *cancel;
  gboolean      reading;
  guint8        buf[4096];
  GByteArray   *rx;      /* what the host received and has not checked yet */
  gboolean      eof;
} Host;

/* --- Host side ------------------------------------------------------------ */

static gboolean
on_host_readable (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  Host *host = user_data;
  guint8 buf[4096];
  gssize n;

  do
    n = read (fd, buf, sizeof buf);
  while (n < 0 && errno == EINTR);

  if (n > 0)
    {
      g_byte_array_append (host->rx, buf, (guint) n);
      return G_SOURCE_CONTINUE;
    }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return G_SOURCE_CONTINUE;

  host->eof = TRUE;
  host->watch = 0;
  return G_SOURCE_REMOVE;
}

static void
host_watch (Host *host,
            int   fd)
{
  host->fd = fd;
  host->rx = g_byte_array_new ();
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  host->watch = g_unix_fd_add (fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_host_readable, host);
}

static AtcSimulator *
new_sim (const char *model_id,
         guint32     seed)
{
  g_autoptr(GError) error = NULL;
  AtcSimulator *sim = atc_simulator_new_for_model_id (model_id, seed, &error);

  g_assert_no_error (error);
  g_object_set (sim, "auto-clock", FALSE, "reboot-ms", TEST_REBOOT_MS, NULL);
  return sim;
}

/* A simulator on one end of a socket pair, the host on the other. */
static void
host_init (Host       *host,
           const char *model_id)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];

  memset (host, 0, sizeof *host);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);

  host->sim = new_sim (model_id, 1234);
  socket = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  connection = g_socket_connection_factory_create_connection (socket);
  atc_simulator_attach_stream (host->sim, G_IO_STREAM (connection));

  host_watch (host, fds[0]);
}

static void
on_stream_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Host *host = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  host->reading = FALSE;
  if (n <= 0)
    {
      host->eof = TRUE;
      return;
    }
  g_byte_array_append (host->rx, host->buf, (guint) n);
  host->reading = TRUE;
  g_input_stream_read_async (G_INPUT_STREAM (source), host->buf, sizeof host->buf,
                             G_PRIORITY_DEFAULT, host->cancel, on_stream_read, host);
}

static void
host_watch_stream (Host      *host,
                   GIOStream *stream)
{
  host->fd = -1;
  host->stream = g_object_ref (stream);
  host->cancel = g_cancellable_new ();
  host->rx = g_byte_array_new ();
  host->reading = TRUE;
  g_input_stream_read_async (g_io_stream_get_input_stream (stream), host->buf, sizeof host->buf,
                             G_PRIORITY_DEFAULT, host->cancel, on_stream_read, host);
}

static void
host_clear (Host *host)
{
  if (host->watch != 0)
    g_source_remove (host->watch);
  if (host->fd >= 0)
    close (host->fd);
  if (host->cancel != NULL)
    g_cancellable_cancel (host->cancel);
  while (host->reading)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&host->cancel);
  g_clear_object (&host->stream);
  g_clear_object (&host->sim);
  g_clear_pointer (&host->rx, g_byte_array_unref);
  /* Let cancelled operations finish. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop for ms milliseconds (or until done() says so). */
static void
run_for (guint     ms,
         gboolean (*done) (Host *host, gconstpointer data),
         Host     *host,
         gconstpointer data)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  guint tick = g_timeout_add (10, wake_up, NULL);

  while (g_get_monotonic_time () < deadline)
    {
      if (done != NULL && done (host, data))
        break;
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (tick);
}

static void
settle (guint ms)
{
  run_for (ms, NULL, NULL, NULL);
}

static void
host_write (Host       *host,
            const void *data,
            gsize       len)
{
  const guint8 *p = data;

  if (host->stream != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_output_stream_write_all (g_io_stream_get_output_stream (host->stream), data, len,
                                 NULL, NULL, &error);
      g_assert_no_error (error);
      return;
    }

  while (len > 0)
    {
      gssize n = write (host->fd, p, len);

      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        {
          g_main_context_iteration (NULL, FALSE);
          continue;
        }
      g_assert_cmpint (n, >, 0);
      p += n;
      len -= (gsize) n;
    }
}

static void
host_send (Host       *host,
           const char *text)
{
  host_write (host, text, strlen (text));
}

static gboolean
has_bytes (Host         *host,
           gconstpointer data)
{
  return host->rx->len >= GPOINTER_TO_UINT (data) || host->eof;
}

static gboolean
has_eof (Host         *host,
         gconstpointer data)
{
  return host->eof;
}

static void
consume (Host *host,
         gsize len)
{
  g_byte_array_remove_range (host->rx, 0, (guint) MIN (len, host->rx->len));
}

static char *
escaped (const guint8 *data,
         gsize         len)
{
  g_autofree char *text = g_strndup ((const char *) data, len);

  return g_strescape (text, NULL);
}

/* The next bytes the host receives are exactly `expected`. */
static void
expect_bytes (Host       *host,
              const char *expected,
              gsize       len)
{
  run_for (WAIT_MS, has_bytes, host, GUINT_TO_POINTER ((guint) len));

  if (host->rx->len < len || memcmp (host->rx->data, expected, len) != 0)
    {
      g_autofree char *want = escaped ((const guint8 *) expected, len);
      g_autofree char *got = escaped (host->rx->data, host->rx->len);

      g_error ("expected \"%s\", received \"%s\"", want, got);
    }
  consume (host, len);
}

static void
expect (Host       *host,
        const char *expected)
{
  expect_bytes (host, expected, strlen (expected));
}

/* Nothing more arrives for a while. */
static void
expect_quiet (Host *host)
{
  settle (QUIET_MS);
  if (host->rx->len > 0)
    {
      g_autofree char *got = escaped (host->rx->data, host->rx->len);
      g_error ("expected silence, received \"%s\"", got);
    }
}

static void
expect_mode (Host       *host,
             AtcSimMode  mode)
{
  /* A simulator in another process (atconf-sim) shows only its bytes. */
  if (host->sim != NULL)
    g_assert_cmpint (atc_simulator_get_mode (host->sim), ==, mode);
}

static void
expect_data (Host       *host,
             const char *expected)
{
  g_autoptr(GBytes) data = atc_simulator_dup_data (host->sim);
  g_autoptr(GBytes) want = g_bytes_new (expected, strlen (expected));

  if (!g_bytes_equal (data, want))
    {
      gsize len;
      const guint8 *p = g_bytes_get_data (data, &len);
      g_autofree char *got = escaped (p, len);

      g_error ("expected network-side data \"%s\", found \"%s\"", expected, got);
    }
}

/* The documented way in: silence, "+++", 'a', 'a', "+ok". */
static void
enter_command_mode (Host *host)
{
  settle (GUARD_MS);
  host_send (host, "+++");
  expect (host, "a");
  host_send (host, "a");
  expect (host, "+ok");
  expect_mode (host, ATC_SIM_MODE_COMMAND);
}

/* Sends a line ending in CR LF and checks the echo and the reply. */
static void
command (Host       *host,
         const char *line,
         const char *reply)
{
  g_autofree char *sent = g_strconcat (line, "\r\n", NULL);

  host_send (host, sent);
  expect (host, sent);
  expect (host, reply);
}

static AtcSimLogEntry *
last_log (Host *host)
{
  GPtrArray *log = atc_simulator_get_log (host->sim);

  g_assert_cmpuint (log->len, >, 0);
  return g_ptr_array_index (log, log->len - 1);
}

/* --- Handshake ------------------------------------------------------------ */

static void
test_handshake_success (void)
{
  Host host;

  host_init (&host, "g781");
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  enter_command_mode (&host);
  command (&host, "AT", "\r\nOK\r\n");
  expect_quiet (&host);
  expect_data (&host, "");
  host_clear (&host);
}

static void
test_handshake_m0 (void)
{
  Host host;

  host_init (&host, "m0");
  enter_command_mode (&host);
  command (&host, "AT", "\r\n+OK\r\n");
  host_clear (&host);
}

static void
test_handshake_needs_silence (void)
{
  Host host;

  host_init (&host, "g781");
  settle (GUARD_MS);

  /* Data then "+++" with no quiet spell between: one packet of data. */
  host_send (&host, "hello");
  host_send (&host, "+++");
  expect_quiet (&host);
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  expect_data (&host, "hello+++");

  /* "+++" with more bytes right after it is not framed by silence either. */
  atc_simulator_clear_data (host.sim);
  settle (GUARD_MS);
  host_send (&host, "+++");
  host_send (&host, "x");
  expect_quiet (&host);
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  expect_data (&host, "+++x");

  /* Framed properly, it works. */
  enter_command_mode (&host);
  host_clear (&host);
}

static void
test_handshake_stray_byte (void)
{
  Host host;

  host_init (&host, "g781");
  settle (GUARD_MS);
  host_send (&host, "+++");
  expect (&host, "a");
  expect_mode (&host, ATC_SIM_MODE_HANDSHAKE);

  /* Anything but a lone 'a' aborts: no "+ok", and it was all data. */
  host_send (&host, "b");
  expect_quiet (&host);
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  expect_data (&host, "+++b");

  /* "ab" in one write is not a lone 'a' either. */
  atc_simulator_clear_data (host.sim);
  settle (GUARD_MS);
  host_send (&host, "+++");
  expect (&host, "a");
  host_send (&host, "ab");
  expect_quiet (&host);
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  expect_data (&host, "+++ab");

  /* A command line in transparent mode is data, not a command. */
  atc_simulator_clear_data (host.sim);
  host_send (&host, "AT+VER\r\n");
  expect_quiet (&host);
  expect_data (&host, "AT+VER\r\n");
  g_assert_cmpuint (atc_simulator_get_command_count (host.sim), ==, 0);
  host_clear (&host);
}

static void
test_handshake_late_a (void)
{
  Host host;

  host_init (&host, "g781");
  /* The units wait 3 s; a short window keeps the test quick. */
  atc_simulator_set_handshake_window_ms (host.sim, 100);

  settle (GUARD_MS);
  host_send (&host, "+++");
  expect (&host, "a");
  settle (400);
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  host_send (&host, "a");
  expect_quiet (&host);
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  expect_data (&host, "+++a");
  host_clear (&host);
}

/* --- Echo ------------------------------------------------------------------ */

static void
test_echo (void)
{
  Host host;

  host_init (&host, "g781");
  enter_command_mode (&host);

  /* Default ON: the line comes back before the reply. */
  command (&host, "AT+E", "\r\n+E:ON\r\n\r\nOK\r\n");
  command (&host, "AT+E=OFF", "\r\nOK\r\n");

  host_send (&host, "AT+E?\r\n");
  expect (&host, "\r\n+E:OFF\r\n\r\nOK\r\n");

  host_send (&host, "AT+E=ON\r\n");
  expect (&host, "\r\nOK\r\n");
  command (&host, "AT+E", "\r\n+E:ON\r\n\r\nOK\r\n");

  /* A unit takes lower case and echoes it as typed... */
  command (&host, "at+ver", "\r\n+VER:V1.1.05\r\n\r\nOK\r\n");

  /* ...unless its firmware upper-cases the AT+CMD part of the echo. */
  {
    AtcSimFaults faults = ATC_SIM_FAULTS_NONE;

    faults.upper_echo = TRUE;
    atc_simulator_set_faults (host.sim, &faults);
  }
  host_send (&host, "at+stmsg=Hello\r\n");
  expect (&host, "AT+STMSG=Hello\r\n");
  expect (&host, "\r\nOK\r\n");
  host_send (&host, "at+stmsg\r\n");
  expect (&host, "AT+STMSG\r\n\r\n+STMSG:Hello\r\n\r\nOK\r\n");

  expect_quiet (&host);
  host_clear (&host);
}

/* --- Dialects -------------------------------------------------------------- */

static void
test_g781_replies (void)
{
  Host host;
  g_auto(GStrv) values = NULL;

  host_init (&host, "g781");
  enter_command_mode (&host);

  /* Queries, bare and with '?', as the document frames them. */
  command (&host, "AT+VER", "\r\n+VER:V1.1.05\r\n\r\nOK\r\n");
  command (&host, "AT+WKMOD?", "\r\n+WKMOD:NET\r\n\r\nOK\r\n");
  /* Field order of the parameter table (protocol-notes.md). */
  command (&host, "AT+UART", "\r\n+UART:115200,8,1,NONE,NFC\r\n\r\nOK\r\n");
  command (&host, "AT+UARTFT", "\r\n+UARTFT:50\r\n\r\nOK\r\n");
  command (&host, "AT+SOCKA?", "\r\n+SOCKA:TCPC,test.usr.cn,2317\r\n\r\nOK\r\n");
  command (&host, "AT+APN", "\r\n+APN:CMNET,,,0\r\n\r\nOK\r\n");
  command (&host, "AT+REGDT", "\r\n+REGDT:7777772E7573722E636E\r\n\r\nOK\r\n");
  /* Defaults that travel escaped, as the document prints them. */
  command (&host, "AT+HTPURL", "\r\n+HTPURL:/1.php[3F]\r\n\r\nOK\r\n");
  command (&host, "AT+HTPHD", "\r\n+HTPHD:Connection: close[0D][0A]\r\n\r\nOK\r\n");
  /* The document's spellings with a space are accepted; the reply uses the plain name. */
  command (&host, "AT+HEART SND", "\r\n+HEARTSND:NET\r\n\r\nOK\r\n");
  command (&host, "AT+ NETMODE?", "\r\n+NETMODE:");
  consume (&host, host.rx->len);

  /* Sets answer OK and change what the next query says. */
  command (&host, "AT+UART=9600,8,1,EVEN,NFC", "\r\nOK\r\n");
  command (&host, "AT+UART", "\r\n+UART:9600,8,1,EVEN,NFC\r\n\r\nOK\r\n");
  command (&host, "AT+HTPURL=/data.php[3F]id[3D]7", "\r\nOK\r\n");
  values = atc_simulator_dup_values (host.sim, "HTPURL", NULL);
  g_assert_cmpstr (values[0], ==, "/data.php?id=7");
  command (&host, "AT+HTPURL", "\r\n+HTPURL:/data.php[3F]id[3D]7\r\n\r\nOK\r\n");
  command (&host, "AT+APN=internet,user,,1", "\r\nOK\r\n");
  command (&host, "AT+APN?", "\r\n+APN:internet,user,,1\r\n\r\nOK\r\n");
  /* Executes. */
  command (&host, "AT+CFGTF", "\r\nOK\r\n");

  /* AT+H: many lines listing the commands, then OK. */
  host_send (&host, "AT+H\r\n");
  expect (&host, "AT+H\r\n\r\nAT ");
  run_for (WAIT_MS, has_bytes, &host, GUINT_TO_POINTER (2000));
  settle (100);
  {
    g_autofree char *text = g_strndup ((const char *) host.rx->data, host.rx->len);

    g_assert_nonnull (strstr (text, "\r\nAT+UART "));
    g_assert_nonnull (strstr (text, "\r\nAT+HTPFLT "));
    g_assert_true (g_str_has_suffix (text, "\r\n\r\nOK\r\n"));
    consume (&host, host.rx->len);
  }

  expect_quiet (&host);
  host_clear (&host);
}

static void
test_m0_replies (void)
{
  Host host;
  g_auto(GStrv) mac = NULL;

  host_init (&host, "m0");
  enter_command_mode (&host);

  command (&host, "AT+VER", "\r\n+OK=4016\r\n");
  command (&host, "AT+E", "\r\n+OK=ON\r\n");
  command (&host, "AT+WANN", "\r\n+OK=STATIC,192.168.0.7,255.255.255.0,192.168.0.1\r\n");
  command (&host, "AT+UART", "\r\n+OK=115200,8,1,NONE,NFC\r\n");
  command (&host, "AT+SOCK", "\r\n+OK=TCPC,192.168.0.201,8234\r\n");
  command (&host, "AT+TCPSE", "\r\n+OK=Keep\r\n");
  /* No documented default, but a unit always has a name. */
  command (&host, "AT+MID", "\r\n+OK=USR-M0\r\n");
  /* No bracket escapes on the M0: its default URL travels as is. */
  command (&host, "AT+HTPURL", "\r\n+OK=/1.php?\r\n");
  command (&host, "AT+HTPHEAD", "\r\n+OK=User_Agent: Mozilla/4.0\r\n");

  command (&host, "AT+WANN=DHCP,10.1.2.3,255.255.0.0,10.1.0.1", "\r\n+OK\r\n");
  command (&host, "AT+WANN", "\r\n+OK=DHCP,10.1.2.3,255.255.0.0,10.1.0.1\r\n");
  command (&host, "AT+HTPHEAD=Accept: */*<<CRLF>>Host: x", "\r\n+OK\r\n");
  command (&host, "AT+HTPHEAD", "\r\n+OK=Accept: */*<<CRLF>>Host: x\r\n");

  /* The document's typo spellings (AT+HEARTTM1, AT+HEARTTM11=, HTPTP1). */
  command (&host, "AT+HEARTTM1", "\r\n+OK=30\r\n");
  command (&host, "AT+HEARTTM11=90", "\r\n+OK\r\n");
  command (&host, "AT+HEARTTM", "\r\n+OK=90\r\n");
  command (&host, "AT+HTPTP1=POST", "\r\n+OK\r\n");
  command (&host, "AT+HTPTP1", "\r\n+OK=POST\r\n");
  command (&host, "AT+HTPTP", "\r\n+OK=POST\r\n");
  /* The M0 has no AT+H: the document's "AT+H=HTPTP1=" names nothing. */
  command (&host, "AT+H=HTPTP1=GET", "\r\n+ERR=-2\r\n");

  /* MAC starts with D8B04C; USERMAC changes what AT+MAC reports. */
  mac = atc_simulator_dup_values (host.sim, "MAC", NULL);
  g_assert_true (g_str_has_prefix (mac[0], "D8B04C"));
  g_assert_cmpuint (strlen (mac[0]), ==, 12);
  {
    g_autofree char *reply = g_strdup_printf ("\r\n+OK=%s\r\n", mac[0]);
    command (&host, "AT+MAC", reply);
  }
  command (&host, "AT+USERMAC=D8B04C00AB12", "\r\n+OK\r\n");
  command (&host, "AT+MAC", "\r\n+OK=D8B04C00AB12\r\n");
  {
    g_auto(GStrv) usermac = atc_simulator_dup_values (host.sim, "USERMAC", NULL);
    g_assert_cmpstr (usermac[0], ==, "D8B04C00AB12");
  }

  /* ENTM: +OK, then transparent mode where lines are data. */
  command (&host, "AT+ENTM", "\r\n+OK\r\n");
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  host_send (&host, "AT+VER\r\n");
  expect_quiet (&host);
  expect_data (&host, "AT+VER\r\n");
  host_clear (&host);
}

static void
test_m0_reld_reply (void)
{
  Host host;

  host_init (&host, "m0");
  enter_command_mode (&host);
  command (&host, "AT+RELD", "\r\n+OK=rebooting...\r\n");
  expect_mode (&host, ATC_SIM_MODE_REBOOTING);
  host_clear (&host);
}

/* --- Errors ---------------------------------------------------------------- */

static void
test_g781_errors (void)
{
  Host host;
  guint before;

  host_init (&host, "g781");
  enter_command_mode (&host);

  command (&host, "HELLO", "\r\nERR1\r\n");
  command (&host, "AT+NOSUCH", "\r\nERR2\r\n");
  command (&host, "AT+", "\r\nERR2\r\n");
  command (&host, "AT+VER=V2", "\r\nERR3\r\n");
  command (&host, "AT+Z?", "\r\nERR3\r\n");
  command (&host, "AT+UART=?", "\r\nERR3\r\n");
  command (&host, "AT+UART=9601,8,1,NONE,NFC", "\r\nERR4\r\n");
  command (&host, "AT+UART=9600,8,1,NONE", "\r\nERR4\r\n");
  command (&host, "AT+UARTFT=5", "\r\nERR4\r\n");
  command (&host, "AT+SOCKB=TCPS,test.usr.cn,2317", "\r\nERR4\r\n");
  /* '?' travels as [3F] in an escaped value; a literal one is refused. */
  command (&host, "AT+HTPURL=/a?b", "\r\nERR4\r\n");
  command (&host, "AT+STMSG=ThisMessageIsTooLongForIt", "\r\nERR4\r\n");

  /* Refused values changed nothing. */
  command (&host, "AT+UART", "\r\n+UART:115200,8,1,NONE,NFC\r\n\r\nOK\r\n");
  command (&host, "AT+UARTFT", "\r\n+UARTFT:50\r\n\r\nOK\r\n");

  /* Each is logged with its error. */
  before = atc_simulator_get_command_count (host.sim);
  command (&host, "AT+NOSUCH", "\r\nERR2\r\n");
  g_assert_cmpuint (atc_simulator_get_command_count (host.sim), ==, before + 1);
  g_assert_cmpint (last_log (&host)->error, ==, ATC_SIM_ERR_COMMAND);

  /* The wording variants of G7xx firmwares. */
  atc_simulator_set_error_style (host.sim, ATC_SIM_ERROR_STYLE_PLUS_ERR_COLON);
  command (&host, "AT+UARTFT=5", "\r\n+ERR:4\r\n");
  atc_simulator_set_error_style (host.sim, ATC_SIM_ERROR_STYLE_ERROR);
  command (&host, "AT+UARTFT=5", "\r\nERROR\r\n");
  command (&host, "AT+NOSUCH", "\r\nERROR\r\n");

  expect_quiet (&host);
  host_clear (&host);
}

static void
test_m0_errors (void)
{
  Host host;

  host_init (&host, "m0");
  enter_command_mode (&host);

  command (&host, "HELLO", "\r\n+ERR=-1\r\n");
  command (&host, "AT+NOSUCH", "\r\n+ERR=-2\r\n");
  /* The M0 knows only the bare query form. */
  command (&host, "AT+VER?", "\r\n+ERR=-3\r\n");
  command (&host, "AT+MAC=D8B04C000001", "\r\n+ERR=-3\r\n");
  /* USERMAC is read through AT+MAC, it has no query of its own. */
  command (&host, "AT+USERMAC", "\r\n+ERR=-3\r\n");
  command (&host, "AT+WEBPORT=0", "\r\n+ERR=-4\r\n");
  command (&host, "AT+WANN=STATIC,192.168.0.300,255.255.255.0,192.168.0.1", "\r\n+ERR=-4\r\n");
  /* First byte odd: a multicast address is no unit's MAC. */
  command (&host, "AT+USERMAC=D9B04C000001", "\r\n+ERR=-4\r\n");
  command (&host, "AT+WEBPORT", "\r\n+OK=80\r\n");
  expect_quiet (&host);
  host_clear (&host);
}

/* --- Command splitting and the log ---------------------------------------- */

static void
test_semicolon_splits (void)
{
  Host host;
  GPtrArray *log;

  host_init (&host, "g781");
  enter_command_mode (&host);
  atc_simulator_clear_log (host.sim);

  /* A ';' in a value ends the command: what follows is a second one. */
  host_send (&host, "AT+STMSG=hi;AT+E=OFF\r\n");
  expect (&host, "AT+STMSG=hi\r\n\r\nOK\r\n");
  expect (&host, "AT+E=OFF\r\n\r\nOK\r\n");
  expect_quiet (&host);

  log = atc_simulator_get_log (host.sim);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpuint (atc_simulator_get_command_count (host.sim), ==, 2);
  g_assert_cmpstr (((AtcSimLogEntry *) log->pdata[0])->line, ==, "AT+STMSG=hi");
  g_assert_cmpstr (((AtcSimLogEntry *) log->pdata[0])->reply, ==, "\r\nOK\r\n");
  g_assert_cmpstr (((AtcSimLogEntry *) log->pdata[1])->line, ==, "AT+E=OFF");
  g_assert_false (((AtcSimLogEntry *) log->pdata[1])->transparent);
  g_assert_cmpint (((AtcSimLogEntry *) log->pdata[0])->time_us, <=,
                   ((AtcSimLogEntry *) log->pdata[1])->time_us);

  /* CR, LF and CR LF all end a line; blank lines are not commands. */
  host_send (&host, "AT+E=ON\rAT+VER\nAT\r\n\r\n");
  expect (&host, "\r\nOK\r\n");
  expect (&host, "AT+VER\r\n\r\n+VER:V1.1.05\r\n\r\nOK\r\n");
  expect (&host, "AT\r\n\r\nOK\r\n");
  expect_quiet (&host);
  g_assert_cmpuint (atc_simulator_get_command_count (host.sim), ==, 5);
  host_clear (&host);
}

static void
test_log_redacts_secrets (void)
{
  Host host;
  GPtrArray *log;
  g_auto(GStrv) apn = NULL;

  host_init (&host, "g781");
  enter_command_mode (&host);
  atc_simulator_clear_log (host.sim);

  command (&host, "AT+APN=CMNET,john,s3cret,1", "\r\nOK\r\n");
  command (&host, "AT+APN", "\r\n+APN:CMNET,john,s3cret,1\r\n\r\nOK\r\n");
  command (&host, "AT+CMDPW=pass1234", "\r\nOK\r\n");
  command (&host, "AT+CMDPW", "\r\n+CMDPW:pass1234\r\n\r\nOK\r\n");
  command (&host, "AT+CLOUD=00012345678901234567,cl0udpw", "\r\nOK\r\n");

  /* The unit holds the real values... */
  apn = atc_simulator_dup_values (host.sim, "APN", NULL);
  g_assert_cmpstr (apn[2], ==, "s3cret");

  /* ...and the log shows them as •••. */
  log = atc_simulator_get_log (host.sim);
  g_assert_cmpuint (log->len, ==, 5);
  g_assert_cmpstr (((AtcSimLogEntry *) log->pdata[0])->line, ==, "AT+APN=CMNET,john,•••,1");
  g_assert_cmpstr (((AtcSimLogEntry *) log->pdata[1])->reply, ==,
                   "\r\n+APN:CMNET,john,•••,1\r\n\r\nOK\r\n");
  g_assert_cmpstr (((AtcSimLogEntry *) log->pdata[2])->line, ==, "AT+CMDPW=•••");
  g_assert_cmpstr (((AtcSimLogEntry *) log->pdata[3])->reply, ==,
                   "\r\n+CMDPW:•••\r\n\r\nOK\r\n");
  g_assert_cmpstr (((AtcSimLogEntry *) log->pdata[4])->line, ==,
                   "AT+CLOUD=00012345678901234567,•••");
  for (guint i = 0; i < log->len; i++)
    {
      AtcSimLogEntry *entry = log->pdata[i];

      g_assert_null (strstr (entry->line, "s3cret"));
      g_assert_null (strstr (entry->reply, "s3cret"));
      g_assert_null (strstr (entry->line, "pass1234"));
      g_assert_null (strstr (entry->reply, "pass1234"));
      g_assert_null (strstr (entry->line, "cl0udpw"));
    }
  host_clear (&host);
}

/* --- Command password ------------------------------------------------------ */

static void
test_command_password (void)
{
  Host host;
  AtcSimStatus status = { 0 };

  host_init (&host, "g781");
  status.net_mode = ATC_NET_MODE_LTE;
  status.csq = 25;
  atc_simulator_set_status (host.sim, &status);

  /* In data mode, "<password>AT+CMD" is answered without leaving it. */
  settle (GUARD_MS);
  host_send (&host, "www.usr.cn#AT+CSQ\r\n");
  expect (&host, "\r\n+CSQ:25\r\n\r\nOK\r\n");
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  g_assert_true (last_log (&host)->transparent);
  g_assert_cmpstr (last_log (&host)->line, ==, "AT+CSQ");

  /* Everything else goes to the network side. */
  settle (GUARD_MS);
  host_send (&host, "temperature=21.5\r\n");
  settle (GUARD_MS);
  host_send (&host, "www.usr.cn!AT+CSQ\r\n");
  settle (GUARD_MS);
  host_send (&host, "www.usr.cn#hello\r\n");
  expect_quiet (&host);
  expect_data (&host, "temperature=21.5\r\nwww.usr.cn!AT+CSQ\r\nwww.usr.cn#hello\r\n");
  g_assert_cmpuint (atc_simulator_get_command_count (host.sim), ==, 1);

  /* A set works too, and a changed password is the one that counts. */
  settle (GUARD_MS);
  host_send (&host, "www.usr.cn#AT+CMDPW=k3y\r\n");
  expect (&host, "\r\nOK\r\n");
  g_assert_cmpstr (last_log (&host)->line, ==, "AT+CMDPW=•••");
  settle (GUARD_MS);
  host_send (&host, "www.usr.cn#AT+VER\r\n");
  expect_quiet (&host);
  settle (GUARD_MS);
  host_send (&host, "k3yAT+VER\r\n");
  expect (&host, "\r\n+VER:V1.1.05\r\n\r\nOK\r\n");
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  host_clear (&host);
}

static void
test_m0_has_no_password (void)
{
  Host host;

  host_init (&host, "m0");
  settle (GUARD_MS);
  host_send (&host, "www.usr.cn#AT+VER\r\n");
  expect_quiet (&host);
  expect_data (&host, "www.usr.cn#AT+VER\r\n");
  g_assert_cmpuint (atc_simulator_get_command_count (host.sim), ==, 0);
  host_clear (&host);
}

/* --- Reboots and restores -------------------------------------------------- */

static void
wait_for_mode (Host       *host,
               AtcSimMode  mode)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  while (atc_simulator_get_mode (host->sim) != mode && g_get_monotonic_time () < deadline)
    settle (20);
  expect_mode (host, mode);
}

static void
test_reboot_persists (void)
{
  Host host;
  guint count;

  host_init (&host, "g781");
  enter_command_mode (&host);
  command (&host, "AT+STMSG=Field unit 7", "\r\nOK\r\n");
  command (&host, "AT+SOCKA=UDPC,10.0.0.9,5000", "\r\nOK\r\n");
  command (&host, "AT+Z", "\r\nOK\r\n");
  expect_mode (&host, ATC_SIM_MODE_REBOOTING);

  /* Silent while it restarts: nothing is executed nor answered. */
  count = atc_simulator_get_command_count (host.sim);
  host_send (&host, "AT+VER\r\n");
  settle (50);
  host_send (&host, "+++");
  g_assert_cmpuint (host.rx->len, ==, 0);

  /* Back in transparent mode with the welcome message (AT+STMSG). */
  expect (&host, "\r\nField unit 7\r\n");
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  g_assert_cmpuint (atc_simulator_get_command_count (host.sim), ==, count);
  expect_data (&host, "");

  enter_command_mode (&host);
  command (&host, "AT+SOCKA", "\r\n+SOCKA:UDPC,10.0.0.9,5000\r\n\r\nOK\r\n");

  /* AT+R restarts the same way. */
  command (&host, "AT+R", "\r\nOK\r\n");
  expect (&host, "\r\nField unit 7\r\n");
  enter_command_mode (&host);
  command (&host, "AT+STMSG", "\r\n+STMSG:Field unit 7\r\n\r\nOK\r\n");
  host_clear (&host);
}

static void
test_settings_apply_at_boot (void)
{
  Host host;

  host_init (&host, "g781");
  enter_command_mode (&host);

  /* A new packing interval takes effect once the unit restarts. */
  command (&host, "AT+UARTFT=500", "\r\nOK\r\n");
  g_assert_cmpuint (atc_sim_unit_get_packing_ms (atc_simulator_get_unit (host.sim)), ==, 50);
  command (&host, "AT+Z", "\r\nOK\r\n");
  expect (&host, "\r\nUSR_G781\r\n");
  wait_for_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  g_assert_cmpuint (atc_sim_unit_get_packing_ms (atc_simulator_get_unit (host.sim)), ==, 500);

  /* 200 ms of quiet is no longer enough before "+++". */
  settle (GUARD_MS);
  host_send (&host, "data");
  settle (GUARD_MS);
  host_send (&host, "+++");
  expect_quiet (&host);
  settle (600);
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  expect_data (&host, "data+++");
  host_clear (&host);
}

static void
test_cfgtf_reld (void)
{
  Host host;

  host_init (&host, "g781");
  enter_command_mode (&host);
  command (&host, "AT+SOCKA=TCPS,10.0.0.1,5000", "\r\nOK\r\n");
  command (&host, "AT+HEARTTM=120", "\r\nOK\r\n");
  command (&host, "AT+CFGTF", "\r\nOK\r\n");
  command (&host, "AT+SOCKA=UDPC,10.0.0.2,6000", "\r\nOK\r\n");
  command (&host, "AT+HEARTTM=60", "\r\nOK\r\n");

  /* RELD: the user defaults CFGTF saved. */
  command (&host, "AT+RELD", "\r\nOK\r\n");
  expect (&host, "\r\nUSR_G781\r\n");
  enter_command_mode (&host);
  command (&host, "AT+SOCKA", "\r\n+SOCKA:TCPS,10.0.0.1,5000\r\n\r\nOK\r\n");
  command (&host, "AT+HEARTTM", "\r\n+HEARTTM:120\r\n\r\nOK\r\n");

  /* CLEAR: the factory settings of the document. */
  command (&host, "AT+CLEAR", "\r\nOK\r\n");
  expect (&host, "\r\nUSR_G781\r\n");
  enter_command_mode (&host);
  command (&host, "AT+SOCKA", "\r\n+SOCKA:TCPC,test.usr.cn,2317\r\n\r\nOK\r\n");
  command (&host, "AT+HEARTTM", "\r\n+HEARTTM:30\r\n\r\nOK\r\n");
  host_clear (&host);
}

static void
test_reld_without_cfgtf (void)
{
  Host host;

  host_init (&host, "g781");
  enter_command_mode (&host);
  command (&host, "AT+WKMOD=HTTPD", "\r\nOK\r\n");
  /* Nothing saved with CFGTF: RELD falls back to the factory settings. */
  command (&host, "AT+RELD", "\r\nOK\r\n");
  expect (&host, "\r\nUSR_G781\r\n");
  enter_command_mode (&host);
  command (&host, "AT+WKMOD", "\r\n+WKMOD:NET\r\n\r\nOK\r\n");
  host_clear (&host);
}

static void
test_m0_reld_factory (void)
{
  Host host;

  host_init (&host, "m0");
  enter_command_mode (&host);
  command (&host, "AT+WEBPORT=8080", "\r\n+OK\r\n");
  command (&host, "AT+Z", "\r\n+OK\r\n");
  /* The M0 prints no welcome message. */
  wait_for_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  enter_command_mode (&host);
  command (&host, "AT+WEBPORT", "\r\n+OK=8080\r\n");
  command (&host, "AT+RELD", "\r\n+OK=rebooting...\r\n");
  wait_for_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  enter_command_mode (&host);
  command (&host, "AT+WEBPORT", "\r\n+OK=80\r\n");
  expect_quiet (&host);
  host_clear (&host);
}

/* --- Live status ----------------------------------------------------------- */

static GArray *
status_trace (const char *model_id,
              guint32     seed,
              guint       seconds)
{
  g_autoptr(AtcSimulator) sim = new_sim (model_id, seed);
  GArray *trace = g_array_new (FALSE, TRUE, sizeof (AtcSimStatus));

  for (guint i = 0; i < seconds; i++)
    {
      AtcSimStatus status;

      atc_simulator_advance (sim, 1000);
      atc_simulator_get_status (sim, &status);
      g_array_append_val (trace, status);
    }

  return trace;
}

static gboolean
traces_equal (GArray *a,
              GArray *b)
{
  return a->len == b->len &&
         memcmp (a->data, b->data, a->len * sizeof (AtcSimStatus)) == 0;
}

static void
test_status_seeded (void)
{
  g_autoptr(GArray) a = status_trace ("g781", 42, 600);
  g_autoptr(GArray) b = status_trace ("g781", 42, 600);
  g_autoptr(GArray) c = status_trace ("g781", 43, 600);
  g_autoptr(GHashTable) csq_seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) modes_seen = g_hash_table_new (NULL, NULL);

  g_assert_true (traces_equal (a, b));
  g_assert_false (traces_equal (a, c));

  for (guint i = 0; i < a->len; i++)
    {
      AtcSimStatus *s = &g_array_index (a, AtcSimStatus, i);
      AtcSignal signal = atc_signal_from_csq (s->csq, s->net_mode);

      g_hash_table_add (csq_seen, GINT_TO_POINTER (s->csq));
      g_hash_table_add (modes_seen, GINT_TO_POINTER (s->net_mode));

      /* Every value sits on its network's scale, or is unknown without one. */
      if (s->net_mode == ATC_NET_MODE_NONE)
        g_assert_cmpint (s->csq, ==, ATC_CSQ_UNKNOWN);
      else
        g_assert_true (signal.known);
      /* Only socket A is enabled by default: the others are never up. */
      g_assert_false (s->links[1] || s->links[2] || s->links[3]);
      if (s->links[0])
        g_assert_cmpint (s->net_mode, !=, ATC_NET_MODE_NONE);
    }

  /* It wanders. */
  g_assert_cmpuint (g_hash_table_size (csq_seen), >, 5);
  g_assert_cmpuint (g_hash_table_size (modes_seen), >, 1);
}

static void
test_status_on_the_wire (void)
{
  Host host;
  AtcSimStatus status = { 0 };
  AtcSimStatus truth;

  host_init (&host, "g781");
  enter_command_mode (&host);

  status.net_mode = ATC_NET_MODE_FDDLTE;
  status.csq = 57;
  status.links[0] = TRUE;
  status.links[1] = TRUE;
  atc_simulator_set_status (host.sim, &status);

  command (&host, "AT+CSQ", "\r\n+CSQ:57\r\n\r\nOK\r\n");
  command (&host, "AT+NETMODE", "\r\n+NETMODE:8\r\n\r\nOK\r\n");
  command (&host, "AT+SOCKALK", "\r\n+SOCKALK:ON\r\n\r\nOK\r\n");
  /* Socket B is disabled (the default): its link cannot be up. */
  command (&host, "AT+SOCKBLK", "\r\n+SOCKBLK:OFF\r\n\r\nOK\r\n");
  command (&host, "AT+SOCKBEN=ON", "\r\nOK\r\n");
  command (&host, "AT+SOCKBLK", "\r\n+SOCKBLK:ON\r\n\r\nOK\r\n");
  atc_simulator_get_status (host.sim, &truth);
  g_assert_true (truth.links[1]);

  /* Pinned: the clock moves, the values stay. */
  atc_simulator_advance (host.sim, 60000);
  command (&host, "AT+CSQ", "\r\n+CSQ:57\r\n\r\nOK\r\n");

  /* No network: unknown signal and every link down. */
  status.net_mode = ATC_NET_MODE_NONE;
  atc_simulator_set_status (host.sim, &status);
  command (&host, "AT+CSQ", "\r\n+CSQ:99\r\n\r\nOK\r\n");
  command (&host, "AT+SOCKALK", "\r\n+SOCKALK:OFF\r\n\r\nOK\r\n");

  /* Status is not a setting. */
  command (&host, "AT+CSQ=20", "\r\nERR3\r\n");
  host_clear (&host);
}

static void
test_status_m0 (void)
{
  Host host;
  AtcSimStatus status = { 0 };

  host_init (&host, "m0");
  enter_command_mode (&host);
  status.links[0] = TRUE;
  atc_simulator_set_status (host.sim, &status);
  command (&host, "AT+SOCKLK", "\r\n+OK=Connected\r\n");
  status.links[0] = FALSE;
  atc_simulator_set_status (host.sim, &status);
  command (&host, "AT+SOCKLK", "\r\n+OK=Disconnected\r\n");
  host_clear (&host);
}

static void
test_identity_seeded (void)
{
  g_autoptr(AtcSimulator) a = new_sim ("g781", 7);
  g_autoptr(AtcSimulator) b = new_sim ("g781", 7);
  g_autoptr(AtcSimulator) c = new_sim ("g781", 8);
  g_auto(GStrv) imei_a = atc_simulator_dup_values (a, "IMEI", NULL);
  g_auto(GStrv) imei_b = atc_simulator_dup_values (b, "IMEI", NULL);
  g_auto(GStrv) imei_c = atc_simulator_dup_values (c, "IMEI", NULL);
  g_auto(GStrv) iccid = atc_simulator_dup_values (a, "ICCID", NULL);
  g_auto(GStrv) sn = atc_simulator_dup_values (a, "SN", NULL);
  int sum = 0;

  g_assert_cmpstr (imei_a[0], ==, imei_b[0]);
  g_assert_cmpstr (imei_a[0], !=, imei_c[0]);

  /* An IMEI is 15 digits with a Luhn check digit. */
  g_assert_cmpuint (strlen (imei_a[0]), ==, 15);
  for (int i = 14; i >= 0; i--)
    {
      int d = imei_a[0][i] - '0';

      g_assert_true (g_ascii_isdigit (imei_a[0][i]));
      if ((14 - i) % 2 == 1)
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
  g_assert_cmpint (sum % 10, ==, 0);

  g_assert_cmpuint (strlen (iccid[0]), ==, 20);
  g_assert_true (g_str_has_prefix (iccid[0], "89"));
  g_assert_cmpuint (strlen (sn[0]), >, 0);
}

/* --- Faults ---------------------------------------------------------------- */

static void
set_faults (Host       *host,
            const char *spec)
{
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;
  g_autoptr(GError) error = NULL;

  g_assert_true (atc_sim_faults_parse (spec, &faults, &error));
  g_assert_no_error (error);
  atc_simulator_set_faults (host->sim, &faults);
}

static void
test_faults_parse (void)
{
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (atc_sim_faults_parse ("drop=0.01, corrupt=0.5,garbage=1,silent,upper-echo,"
                                       "disconnect=3", &faults, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (faults.drop, ==, 0.01);
  g_assert_cmpfloat (faults.corrupt, ==, 0.5);
  g_assert_cmpfloat (faults.garbage, ==, 1.0);
  g_assert_true (faults.silent);
  g_assert_true (faults.upper_echo);
  g_assert_cmpuint (faults.disconnect_after, ==, 3);

  text = atc_sim_faults_to_string (&faults);
  g_assert_cmpstr (text, ==, "drop=0.01,corrupt=0.5,garbage=1,silent,upper-echo,disconnect=3");

  /* Bad input: a clear error, and the faults stay as they were. */
  g_assert_false (atc_sim_faults_parse ("drop=2", &faults, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "0 to 1"));
  g_clear_error (&error);
  g_assert_false (atc_sim_faults_parse ("flood=1", &faults, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "flood"));
  g_clear_error (&error);
  g_assert_false (atc_sim_faults_parse ("disconnect=x", &faults, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_cmpfloat (faults.drop, ==, 0.01);
}

static void
test_fault_drop (void)
{
  Host host;

  host_init (&host, "g781");
  enter_command_mode (&host);
  set_faults (&host, "drop=1");
  /* Every byte lost, but the unit still did the work. */
  host_send (&host, "AT+STMSG=lost\r\n");
  expect_quiet (&host);
  g_assert_cmpstr (last_log (&host)->line, ==, "AT+STMSG=lost");

  /* Half the bytes: fewer arrive than were sent. */
  set_faults (&host, "drop=0.5");
  host_send (&host, "AT+VER\r\n");
  settle (QUIET_MS);
  g_assert_cmpuint (host.rx->len, >, 0);
  g_assert_cmpuint (host.rx->len, <, strlen ("AT+VER\r\n\r\n+VER:V1.1.05\r\n\r\nOK\r\n"));
  host_clear (&host);
}

static void
test_fault_corrupt (void)
{
  Host host;
  const char *reply = "AT+VER\r\n\r\n+VER:V1.1.05\r\n\r\nOK\r\n";

  host_init (&host, "g781");
  enter_command_mode (&host);
  set_faults (&host, "corrupt=1");
  host_send (&host, "AT+VER\r\n");
  run_for (WAIT_MS, has_bytes, &host, GUINT_TO_POINTER ((guint) strlen (reply)));
  settle (100);
  /* Same length, every byte changed. */
  g_assert_cmpuint (host.rx->len, ==, strlen (reply));
  for (guint i = 0; i < host.rx->len; i++)
    g_assert_cmpint (host.rx->data[i], !=, (guint8) reply[i]);
  host_clear (&host);
}

static void
test_fault_garbage (void)
{
  Host host;
  const char *reply = "\r\n+VER:V1.1.05\r\n\r\nOK\r\n";
  gsize noise;

  host_init (&host, "g781");
  enter_command_mode (&host);
  command (&host, "AT+E=OFF", "\r\nOK\r\n");
  set_faults (&host, "garbage=1");
  host_send (&host, "AT+VER\r\n");
  run_for (WAIT_MS, has_bytes, &host, GUINT_TO_POINTER ((guint) strlen (reply) + 4));
  settle (100);

  /* Line noise, then the reply intact. */
  g_assert_cmpuint (host.rx->len, >=, strlen (reply) + 4);
  noise = host.rx->len - strlen (reply);
  for (gsize i = 0; i < noise; i++)
    g_assert_cmpint (host.rx->data[i], >=, 0x80);
  g_assert_cmpmem (host.rx->data + noise, strlen (reply), reply, strlen (reply));
  host_clear (&host);
}

static void
test_fault_silent (void)
{
  Host host;

  host_init (&host, "g781");
  set_faults (&host, "silent");
  settle (GUARD_MS);
  host_send (&host, "+++");
  expect_quiet (&host);
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);

  /* Healed, it answers again. */
  atc_simulator_set_faults (host.sim, NULL);
  enter_command_mode (&host);
  host_clear (&host);
}

static void
test_fault_disconnect (void)
{
  Host host;

  host_init (&host, "g781");
  enter_command_mode (&host);
  set_faults (&host, "disconnect=2");
  command (&host, "AT", "\r\nOK\r\n");
  g_assert_false (host.eof);
  /* The second command is answered, then the link drops. */
  command (&host, "AT+VER", "\r\n+VER:V1.1.05\r\n\r\nOK\r\n");
  run_for (WAIT_MS, has_eof, &host, NULL);
  g_assert_true (host.eof);
  g_assert_false (atc_simulator_is_attached (host.sim));
  host_clear (&host);

  /* And on demand. */
  host_init (&host, "m0");
  g_assert_true (atc_simulator_is_attached (host.sim));
  atc_simulator_disconnect (host.sim);
  run_for (WAIT_MS, has_eof, &host, NULL);
  g_assert_true (host.eof);
  host_clear (&host);
}

static void
test_latency_and_pace (void)
{
  Host host;
  const char *line = "AT+APN\r\n";
  const char *reply = "\r\n+APN:CMNET,,,0\r\n\r\nOK\r\n";
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;
  guint64 in_before, out_before, in_after, out_after;

  host_init (&host, "g781");
  enter_command_mode (&host);

  /* The echo comes at once, the reply only after the latency. */
  atc_simulator_set_latency_ms (host.sim, 150);
  start = g_get_monotonic_time ();
  host_send (&host, line);
  expect (&host, line);
  expect (&host, reply);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, >=, 150 * 1000);

  /* Paced at 1200 baud, both ways: the line goes in, then the echo and
   * the reply come out, bytes * 10 / baud each, nothing early. */
  atc_simulator_set_latency_ms (host.sim, 0);
  g_assert_true (atc_simulator_set_baud (host.sim, 1200, &error));
  g_assert_no_error (error);
  g_object_set (host.sim, "pace", TRUE, NULL);
  atc_simulator_get_byte_counts (host.sim, &in_before, &out_before);
  start = g_get_monotonic_time ();
  host_send (&host, line);
  expect (&host, line);
  expect (&host, reply);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, >=,
                   (gint64) (2 * strlen (line) + strlen (reply)) * 10 * G_USEC_PER_SEC / 1200);

  /* The counts say what crossed the wire each way. */
  atc_simulator_get_byte_counts (host.sim, &in_after, &out_after);
  g_assert_cmpuint (in_after - in_before, ==, strlen (line));
  g_assert_cmpuint (out_after - out_before, ==, strlen (line) + strlen (reply));

  /* A latency runs from the last byte in, not from the first. */
  atc_simulator_set_latency_ms (host.sim, 100);
  start = g_get_monotonic_time ();
  host_send (&host, line);
  expect (&host, line);
  expect (&host, reply);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, >=,
                   100 * 1000 + (gint64) (strlen (line) + strlen (reply)) * 10 * G_USEC_PER_SEC / 1200);
  host_clear (&host);
}

static void
test_wrong_host_baud (void)
{
  Host host;

  host_init (&host, "g781");
  enter_command_mode (&host);

  /* The host's end runs at 9600, the unit at 115200: only noise comes back. */
  atc_simulator_set_host_baud (host.sim, 9600);
  host_send (&host, "AT+VER\r\n");
  run_for (WAIT_MS, has_bytes, &host, GUINT_TO_POINTER (1));
  settle (100);
  g_assert_cmpuint (host.rx->len, >, 0);
  g_assert_null (memmem (host.rx->data, host.rx->len, "OK", 2));
  g_assert_cmpuint (atc_simulator_get_command_count (host.sim), ==, 0);
  consume (&host, host.rx->len);

  atc_simulator_set_host_baud (host.sim, 115200);
  command (&host, "AT+VER", "\r\n+VER:V1.1.05\r\n\r\nOK\r\n");
  host_clear (&host);
}

/* --- Exposure -------------------------------------------------------------- */

static void
set_tty_speed (int     fd,
               speed_t speed)
{
  struct termios tio;

  g_assert_cmpint (tcgetattr (fd, &tio), ==, 0);
  cfmakeraw (&tio);
  cfsetispeed (&tio, speed);
  cfsetospeed (&tio, speed);
  g_assert_cmpint (tcsetattr (fd, TCSANOW, &tio), ==, 0);
}

static void
test_pty (void)
{
  Host host = { 0 };
  g_autoptr(GError) error = NULL;
  const char *path;
  int fd;

  host.sim = new_sim ("g781", 5);
  path = atc_simulator_open_pty (host.sim, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, "/dev/pts/"));
  g_assert_cmpstr (atc_simulator_get_pty_path (host.sim), ==, path);

  fd = open (path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  host_watch (&host, fd);

  /* The host's termios says 9600, the unit runs at 115200: noise only. */
  set_tty_speed (fd, B9600);
  settle (GUARD_MS);
  host_send (&host, "+++");
  run_for (WAIT_MS, has_bytes, &host, GUINT_TO_POINTER (1));
  settle (100);
  g_assert_cmpuint (host.rx->len, >, 0);
  g_assert_null (memchr (host.rx->data, 'a', host.rx->len));
  expect_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  consume (&host, host.rx->len);

  /* At the right rate the unit answers. */
  set_tty_speed (fd, B115200);
  enter_command_mode (&host);
  command (&host, "AT+VER", "\r\n+VER:V1.1.05\r\n\r\nOK\r\n");
  host_clear (&host);
}

static int
tcp_connect (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  socket = g_socket_connection_get_socket (connection);
  return dup (g_socket_get_fd (socket));
}

static void
test_tcp (void)
{
  Host host = { 0 };
  Host second = { 0 };
  g_autoptr(GError) error = NULL;
  guint16 port;

  host.sim = new_sim ("m0", 9);
  port = atc_simulator_listen_tcp (host.sim, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (port, >, 0);

  host_watch (&host, tcp_connect (port));
  enter_command_mode (&host);
  command (&host, "AT+VER", "\r\n+OK=4016\r\n");

  /* One client at a time: a second one is turned away. */
  host_watch (&second, tcp_connect (port));
  run_for (WAIT_MS, has_eof, &second, NULL);
  g_assert_true (second.eof);
  if (second.watch != 0)
    g_source_remove (second.watch);
  close (second.fd);
  g_byte_array_unref (second.rx);

  /* A restart answers, then drops the connection. */
  command (&host, "AT+Z", "\r\n+OK\r\n");
  run_for (WAIT_MS, has_eof, &host, NULL);
  g_assert_true (host.eof);
  g_assert_cmpuint (host.watch, ==, 0);
  close (host.fd);
  g_clear_pointer (&host.rx, g_byte_array_unref);
  host.eof = FALSE;

  /* Back up: a new connection finds it in transparent mode. */
  wait_for_mode (&host, ATC_SIM_MODE_TRANSPARENT);
  host_watch (&host, tcp_connect (port));
  enter_command_mode (&host);
  command (&host, "AT+E", "\r\n+OK=ON\r\n");
  host_clear (&host);
}

typedef struct {
  gboolean  done;
  GError   *error;
} OpenResult;

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenResult *open = user_data;

  atc_transport_open_finish (ATC_TRANSPORT (source), result, &open->error);
  open->done = TRUE;
}

static void
on_disconnected (gboolean     *lost,
                 const GError *error,
                 AtcTransport *transport)
{
  *lost = TRUE;
}

static void
test_demo_transport (void)
{
  g_autoptr(AtcAddress) address = NULL;
  g_autoptr(AtcTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  OpenResult open = { 0 };
  AtcSimulator *sim;
  GIOStream *stream;
  Host host = { 0 };
  gboolean lost = FALSE;

  address = atc_address_parse ("demo:g781", &error);
  g_assert_no_error (error);
  transport = atc_device_new_transport (address, &error);
  g_assert_no_error (error);
  g_assert_true (ATC_IS_DEMO_TRANSPORT (transport));
  g_assert_false (atc_transport_has_line_settings (transport));

  sim = atc_demo_transport_get_simulator (ATC_DEMO_TRANSPORT (transport));
  g_assert_cmpstr (atc_model_get_id (atc_simulator_get_model (sim)), ==, "g781");
  g_object_set (sim, "latency-ms", 0, NULL);

  atc_transport_open_async (transport, NULL, on_opened, &open);
  while (!open.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (open.error);
  stream = atc_transport_get_stream (transport);
  g_assert_nonnull (stream);
  g_assert_true (atc_simulator_is_attached (sim));

  /* A unit like any other: handshake, echo, the G781's replies. */
  host.sim = g_object_ref (sim);
  host_watch_stream (&host, stream);
  enter_command_mode (&host);
  command (&host, "AT+VER", "\r\n+VER:V1.1.05\r\n\r\nOK\r\n");
  command (&host, "AT+STMSG=demo", "\r\nOK\r\n");

  /* Closing unplugs the link; the unit keeps its settings. */
  atc_transport_close (transport);
  settle (50);
  g_assert_false (atc_simulator_is_attached (sim));
  host_clear (&host);
  {
    g_auto(GStrv) values = atc_simulator_dup_values (sim, "STMSG", NULL);
    g_assert_cmpstr (values[0], ==, "demo");
  }

  /* A fault on the unit's side reaches the transport as ::disconnected. */
  open.done = FALSE;
  atc_transport_open_async (transport, NULL, on_opened, &open);
  while (!open.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (open.error);
  g_signal_connect_swapped (transport, "disconnected", G_CALLBACK (on_disconnected), &lost);
  atc_simulator_disconnect (sim);
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

    while (!lost && g_get_monotonic_time () < deadline)
      settle (20);
  }
  g_assert_true (lost);
}

static void
test_device_transport (void)
{
  g_autoptr(AtcAddress) address = NULL;
  g_autoptr(AtcTransport) transport = NULL;
  g_autoptr(GError) error = NULL;

  /* Other addresses get the transport layer's own transports. */
  address = atc_address_parse ("tcp:127.0.0.1:2000", &error);
  g_assert_no_error (error);
  transport = atc_device_new_transport (address, &error);
  g_assert_no_error (error);
  g_assert_false (ATC_IS_DEMO_TRANSPORT (transport));
  g_clear_object (&transport);
  g_clear_pointer (&address, atc_address_free);

  /* A demo of a model the catalog does not have is refused. */
  address = atc_address_parse ("demo:g786", &error);
  if (address != NULL)
    {
      transport = atc_device_new_transport (address, &error);
      g_assert_null (transport);
      g_assert_error (error, ATC_ERROR, ATC_ERROR_ADDRESS);
      g_assert_nonnull (strstr (error->message, "demo:g781"));
    }
}

/* --- atconf-sim ------------------------------------------------------------ */

static char *
sim_program (void)
{
  const char *root = g_getenv ("ATC_BUILD_ROOT");

  if (root == NULL)
    return NULL;
  return g_build_filename (root, "src", "sim", "atconf-sim", NULL);
}

static void
test_atconf_sim (void)
{
  g_autofree char *program = sim_program ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err_text = NULL;
  Host host = { 0 };
  int fd;

  if (program == NULL)
    {
      g_test_skip ("ATC_BUILD_ROOT is not set: run through meson test");
      return;
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, program, "--model", "g781", "--seed", "3",
                              "--reboot-ms", "300", NULL);
  g_assert_no_error (error);

  /* The first line says where the unit is. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  path = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, "/dev/pts/"));

  fd = open (path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  set_tty_speed (fd, B115200);
  host_watch (&host, fd);

  enter_command_mode (&host);
  command (&host, "AT+APN=CMNET,u,hunter2,1", "\r\nOK\r\n");
  command (&host, "AT+CMDPW", "\r\n+CMDPW:www.usr.cn#\r\n\r\nOK\r\n");
  command (&host, "AT+IMEI", "\r\n+IMEI:");
  consume (&host, host.rx->len);
  host_clear (&host);

  /* SIGTERM ends it cleanly; stderr has the log, secrets redacted. */
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err_text, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (err_text, "AT+APN=CMNET,u,•••,1 -> OK"));
  g_assert_nonnull (strstr (err_text, "AT+CMDPW -> +CMDPW:••• OK"));
  g_assert_nonnull (strstr (err_text, "AT+IMEI -> +IMEI:"));
  g_assert_null (strstr (err_text, "hunter2"));
  g_assert_null (strstr (err_text, "www.usr.cn#"));
}

static void
test_atconf_sim_bad_options (void)
{
  g_autofree char *program = sim_program ();
  const char *const cases[][2] = {
    { "--fault=drop=2", "0 to 1" },
    { "--model=g786", "g781 or m0" },
    { "--echo=maybe", "on or off" },
    { "--tcp=70000", "0 to 65535" },
  };

  if (program == NULL)
    {
      g_test_skip ("ATC_BUILD_ROOT is not set: run through meson test");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out_text = NULL;
      g_autofree char *err_text = NULL;

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  &error, program, cases[i][0], NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out_text, &err_text, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      g_assert_cmpstr (out_text, ==, "");
      g_assert_nonnull (strstr (err_text, cases[i][1]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/simulator/handshake/success", test_handshake_success);
  g_test_add_func ("/simulator/handshake/m0", test_handshake_m0);
  g_test_add_func ("/simulator/handshake/needs-silence", test_handshake_needs_silence);
  g_test_add_func ("/simulator/handshake/stray-byte", test_handshake_stray_byte);
  g_test_add_func ("/simulator/handshake/late-a", test_handshake_late_a);
  g_test_add_func ("/simulator/echo", test_echo);
  g_test_add_func ("/simulator/g781/replies", test_g781_replies);
  g_test_add_func ("/simulator/g781/errors", test_g781_errors);
  g_test_add_func ("/simulator/m0/replies", test_m0_replies);
  g_test_add_func ("/simulator/m0/reld-reply", test_m0_reld_reply);
  g_test_add_func ("/simulator/m0/errors", test_m0_errors);
  g_test_add_func ("/simulator/lines/semicolon-splits", test_semicolon_splits);
  g_test_add_func ("/simulator/log/redacts-secrets", test_log_redacts_secrets);
  g_test_add_func ("/simulator/password/g781", test_command_password);
  g_test_add_func ("/simulator/password/m0-has-none", test_m0_has_no_password);
  g_test_add_func ("/simulator/reboot/persists", test_reboot_persists);
  g_test_add_func ("/simulator/reboot/settings-apply-at-boot", test_settings_apply_at_boot);
  g_test_add_func ("/simulator/reboot/cfgtf-reld-clear", test_cfgtf_reld);
  g_test_add_func ("/simulator/reboot/reld-without-cfgtf", test_reld_without_cfgtf);
  g_test_add_func ("/simulator/reboot/m0", test_m0_reld_factory);
  g_test_add_func ("/simulator/status/seeded", test_status_seeded);
  g_test_add_func ("/simulator/status/on-the-wire", test_status_on_the_wire);
  g_test_add_func ("/simulator/status/m0", test_status_m0);
  g_test_add_func ("/simulator/identity/seeded", test_identity_seeded);
  g_test_add_func ("/simulator/faults/parse", test_faults_parse);
  g_test_add_func ("/simulator/faults/drop", test_fault_drop);
  g_test_add_func ("/simulator/faults/corrupt", test_fault_corrupt);
  g_test_add_func ("/simulator/faults/garbage", test_fault_garbage);
  g_test_add_func ("/simulator/faults/silent", test_fault_silent);
  g_test_add_func ("/simulator/faults/disconnect", test_fault_disconnect);
  g_test_add_func ("/simulator/faults/latency-and-pace", test_latency_and_pace);
  g_test_add_func ("/simulator/faults/wrong-host-baud", test_wrong_host_baud);
  g_test_add_func ("/simulator/exposure/pty", test_pty);
  g_test_add_func ("/simulator/exposure/tcp", test_tcp);
  g_test_add_func ("/simulator/exposure/demo-transport", test_demo_transport);
  g_test_add_func ("/simulator/exposure/device-transport", test_device_transport);
  g_test_add_func ("/simulator/atconf-sim/pty", test_atconf_sim);
  g_test_add_func ("/simulator/atconf-sim/bad-options", test_atconf_sim_bad_options);

  return g_test_run ();
}
