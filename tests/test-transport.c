/* test-transport.c: byte links to a unit over a pty, TCP, and port listing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "atc-error.h"
#include "atc-port-list.h"
#include "atc-serial-transport.h"
#include "atc-tcp-transport.h"
#include "atc-test-util.h"
#include "atc-transport-private.h"
#include "atc-transport.h"
#include "atc-tty-transport.h"

/* Safety nets for a hung test on a loaded machine; nothing measures them. */
#define WAIT_MS 20000

/* ------------------------------------------------------------------ */
/* Helpers */

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Completion;

static void
open_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Completion *c = user_data;

  c->ok = atc_transport_open_finish (ATC_TRANSPORT (object), result, &c->error);
  c->done = TRUE;
}

static AtcTransport *
make_transport (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AtcAddress) address = atc_address_parse (text, &error);
  AtcTransport *transport;

  g_assert_no_error (error);
  transport = atc_transport_new_for_address (address, &error);
  g_assert_no_error (error);
  g_assert_nonnull (transport);
  return transport;
}

static AtcTransport *
open_ok (const char *text)
{
  AtcTransport *transport = make_transport (text);
  g_autoptr (GError) error = atc_test_transport_open (transport);

  g_assert_no_error (error);
  g_assert_true (atc_transport_is_open (transport));
  g_assert_nonnull (atc_transport_get_stream (transport));
  return transport;
}

static GError *
open_error (const char *text)
{
  g_autoptr (AtcTransport) transport = make_transport (text);
  GError *error = atc_test_transport_open (transport);

  g_assert_nonnull (error);
  g_assert_false (atc_transport_is_open (transport));
  return error;
}

static GInputStream *
input_of (AtcTransport *transport)
{
  return g_io_stream_get_input_stream (atc_transport_get_stream (transport));
}

static GOutputStream *
output_of (AtcTransport *transport)
{
  return g_io_stream_get_output_stream (atc_transport_get_stream (transport));
}

/* Reads asynchronously until `want` bytes or an error, like the session:
 * every successful read is followed by the next one, so a stream that
 * answered with empty reads would spin here. */
typedef struct {
  GInputStream *stream;
  GCancellable *cancellable;
  GByteArray   *data;
  gsize         want;
  guint         empty_reads;
  gboolean      done;
  GError       *error;
  guint8        buffer[4096];
} Reader;

static void reader_next (Reader *reader);

static void
reader_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Reader *reader = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &reader->error);

  if (n < 0)
    {
      reader->done = TRUE;
      return;
    }
  if (n == 0)
    reader->empty_reads++;
  g_byte_array_append (reader->data, reader->buffer, n);
  if (reader->data->len >= reader->want || reader->empty_reads > 1000)
    {
      reader->done = TRUE;
      return;
    }
  reader_next (reader);
}

static void
reader_next (Reader *reader)
{
  g_input_stream_read_async (reader->stream, reader->buffer, sizeof reader->buffer,
                             G_PRIORITY_DEFAULT, reader->cancellable, reader_cb, reader);
}

static Reader *
reader_start (AtcTransport *transport,
              gsize         want)
{
  Reader *reader = g_new0 (Reader, 1);

  reader->stream = g_object_ref (input_of (transport));
  reader->cancellable = g_cancellable_new ();
  reader->data = g_byte_array_new ();
  reader->want = want;
  reader_next (reader);
  return reader;
}

static void
reader_free (Reader *reader)
{
  g_object_unref (reader->stream);
  g_object_unref (reader->cancellable);
  g_byte_array_unref (reader->data);
  g_clear_error (&reader->error);
  g_free (reader);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reader, reader_free)

typedef struct {
  guint    count;
  gboolean seen;
  GError  *error;
} Disconnects;

static void
disconnected_cb (AtcTransport *transport,
                 const GError *error,
                 gpointer      user_data)
{
  Disconnects *d = user_data;

  d->count++;
  d->seen = TRUE;
  g_clear_error (&d->error);
  d->error = g_error_copy (error);
}

static void
fill_pattern (guint8 *buffer,
              gsize   len,
              guint   seed)
{
  /* Every byte value, XON/XOFF and NUL included: data mode is binary. */
  for (gsize i = 0; i < len; i++)
    buffer[i] = (guint8) ((i * 7 + seed + i / 251) & 0xff);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

/* ------------------------------------------------------------------ */
/* pty */

static void
test_pty_both_ways (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *slave = NULL;
  g_autofree char *text = NULL;
  g_autoptr (AtcTransport) transport = NULL;
  g_autoptr (Reader) reader = NULL;
  const char command[] = "AT+VER\r";
  const char reply[] = "\r\n+VER:V1.1.05\r\n\r\nOK\r\n";
  guint8 all_bytes[256];
  char got[sizeof command - 1];
  guint8 got_bytes[256];
  gsize n = 0;
  int master;

  master = atc_test_open_pty (&slave, &error);
  g_assert_no_error (error);

  text = g_strdup_printf ("pty:%s?baud=9600", slave);
  transport = open_ok (text);
  g_assert_true (ATC_IS_TTY_TRANSPORT (transport));
  g_assert_true (atc_transport_has_line_settings (transport));
  g_assert_cmpuint (atc_transport_get_line_settings (transport)->baud, ==, 9600);
  g_assert_true (g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (input_of (transport))));

  /* Opening twice would leak the first port. */
  error = atc_test_transport_open (transport);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (atc_transport_is_open (transport));

  /* Host to unit: CR stays CR (raw mode, no ONLCR/ICRNL). */
  g_assert_true (g_output_stream_write_all (output_of (transport), command, sizeof command - 1,
                                            NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (atc_test_read_fd_exact (master, got, sizeof got, &n, WAIT_MS));
  g_assert_cmpmem (got, sizeof got, command, sizeof command - 1);

  /* Unit to host. */
  reader = reader_start (transport, sizeof reply - 1);
  g_assert_true (atc_test_write_fd_all (master, reply, sizeof reply - 1, WAIT_MS));
  g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
  g_assert_no_error (reader->error);
  g_assert_cmpmem (reader->data->data, reader->data->len, reply, sizeof reply - 1);
  g_clear_pointer (&reader, reader_free);

  /* Every byte value both ways, ^C, ^S, ^Q and NUL included. */
  for (guint i = 0; i < 256; i++)
    all_bytes[i] = (guint8) i;
  reader = reader_start (transport, sizeof all_bytes);
  g_assert_true (atc_test_write_fd_all (master, all_bytes, sizeof all_bytes, WAIT_MS));
  g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
  g_assert_no_error (reader->error);
  g_assert_cmpmem (reader->data->data, reader->data->len, all_bytes, sizeof all_bytes);

  g_assert_true (g_output_stream_write_all (output_of (transport), all_bytes, sizeof all_bytes,
                                            NULL, NULL, &error));
  g_assert_true (atc_test_read_fd_exact (master, got_bytes, sizeof got_bytes, &n, WAIT_MS));
  g_assert_cmpmem (got_bytes, sizeof got_bytes, all_bytes, sizeof all_bytes);

  atc_transport_close (transport);
  g_assert_false (atc_transport_is_open (transport));
  g_assert_null (atc_transport_get_stream (transport));
  close (master);
}

typedef struct {
  gboolean done;
  gboolean ok;
  gsize    written;
  GError  *error;
} WriteResult;

static void
write_all_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  WriteResult *w = user_data;

  w->ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &w->written,
                                            &w->error);
  w->done = TRUE;
}

static void
test_pty_partial_and_large_writes (void)
{
  const gsize size = 256 * 1024;
  g_autoptr (GError) error = NULL;
  g_autofree char *slave = NULL;
  g_autofree char *text = NULL;
  g_autofree guint8 *out = g_malloc (size);
  g_autofree guint8 *in = g_malloc (size);
  g_autoptr (AtcTransport) transport = NULL;
  g_autoptr (Reader) reader = NULL;
  GPollableOutputStream *pollable;
  WriteResult w = { 0 };
  gboolean partial = FALSE;
  gsize total = 0;
  gsize n = 0;
  int master;

  master = atc_test_open_pty (&slave, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("pty:%s", slave);
  transport = open_ok (text);
  pollable = G_POLLABLE_OUTPUT_STREAM (output_of (transport));
  fill_pattern (out, size, 3);

  /* Nobody reads the master: the pty fills, and a non-blocking write
   * takes what fits (a partial count), then says "would block". */
  for (;;)
    {
      g_autoptr (GError) local_error = NULL;
      gssize written = g_pollable_output_stream_write_nonblocking (pollable, out + total,
                                                                   size - total, NULL,
                                                                   &local_error);
      if (written < 0)
        {
          g_assert_error (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
          break;
        }
      g_assert_cmpint (written, >, 0);
      if ((gsize) written < size - total)
        partial = TRUE;
      total += written;
      g_assert_cmpuint (total, <, size);
    }
  g_test_message ("the pty took %" G_GSIZE_FORMAT " bytes before it was full", total);
  g_assert_true (partial);
  g_assert_cmpuint (total, >, 0);

  /* The rest goes through write_all_async, which resumes after each
   * partial write, while the master drains. Nothing lost or reordered. */
  g_output_stream_write_all_async (G_OUTPUT_STREAM (pollable), out + total, size - total,
                                   G_PRIORITY_DEFAULT, NULL, write_all_cb, &w);
  g_assert_true (atc_test_read_fd_exact (master, in, size, &n, WAIT_MS));
  g_assert_true (atc_test_run_until (&w.done, WAIT_MS));
  g_assert_no_error (w.error);
  g_assert_cmpuint (w.written, ==, size - total);
  g_assert_cmpmem (in, size, out, size);

  /* And the other way: 256 KiB from the unit, read in 4 KiB pieces. */
  fill_pattern (out, size, 11);
  reader = reader_start (transport, size);
  g_assert_true (atc_test_write_fd_all (master, out, size, WAIT_MS));
  g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
  g_assert_no_error (reader->error);
  g_assert_cmpuint (reader->empty_reads, ==, 0);
  g_assert_cmpmem (reader->data->data, reader->data->len, out, size);

  close (master);
}

static void
test_pty_hangup_mid_read (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *slave = NULL;
  g_autofree char *text = NULL;
  g_autoptr (AtcTransport) transport = NULL;
  g_autoptr (Reader) reader = NULL;
  g_autoptr (GIOStream) stream = NULL;
  Disconnects d = { 0 };
  guint8 buffer[16];
  double cpu_before, cpu_used;
  gint64 wall_before;
  double wall_used;
  gssize n;
  int master;

  master = atc_test_open_pty (&slave, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("pty:%s", slave);
  transport = open_ok (text);
  g_signal_connect (transport, "disconnected", G_CALLBACK (disconnected_cb), &d);
  stream = g_object_ref (atc_transport_get_stream (transport));

  reader = reader_start (transport, 1024);
  atc_test_run_for (50);
  g_assert_false (reader->done);

  cpu_before = cpu_seconds ();
  wall_before = g_get_monotonic_time ();

  /* The unit goes away while a read waits. */
  close (master);

  g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
  g_assert_error (reader->error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  g_assert_cmpuint (reader->empty_reads, ==, 0);
  g_assert_true (atc_test_run_until (&d.seen, WAIT_MS));
  g_assert_error (d.error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  g_assert_nonnull (strstr (d.error->message, slave));

  /* A second of main loop afterwards: the signal stays at one, and the
   * process sleeps rather than spinning on a dead fd. */
  atc_test_run_for (1000);
  cpu_used = cpu_seconds () - cpu_before;
  wall_used = (g_get_monotonic_time () - wall_before) / 1e6;
  g_test_message ("after the hang-up: %.3f s CPU over %.3f s", cpu_used, wall_used);
  g_assert_cmpuint (d.count, ==, 1);
  g_assert_cmpfloat (cpu_used, <, wall_used / 2);

  /* The device is let go, and every later read or write says why. */
  g_assert_false (atc_transport_is_open (transport));
  n = g_input_stream_read (g_io_stream_get_input_stream (stream), buffer, sizeof buffer, NULL,
                           &error);
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  g_clear_error (&error);
  n = g_pollable_input_stream_read_nonblocking (
    G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (stream)), buffer, sizeof buffer, NULL,
    &error);
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  g_clear_error (&error);
  g_assert_false (g_output_stream_write_all (g_io_stream_get_output_stream (stream), "AT\r", 3,
                                             NULL, NULL, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_DISCONNECTED);

  atc_transport_close (transport);
  g_assert_cmpuint (d.count, ==, 1);
  g_clear_error (&d.error);
}

static void
test_pty_hangup_idle (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *slave = NULL;
  g_autofree char *text = NULL;
  g_autoptr (AtcTransport) transport = NULL;
  Disconnects d = { 0 };
  guint8 buffer[16];
  int master;

  master = atc_test_open_pty (&slave, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("pty:%s", slave);
  transport = open_ok (text);
  g_signal_connect (transport, "disconnected", G_CALLBACK (disconnected_cb), &d);

  /* Nobody reads: the hang-up is still noticed. */
  close (master);
  g_assert_true (atc_test_run_until (&d.seen, WAIT_MS));
  g_assert_error (d.error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  atc_test_run_for (100);
  g_assert_cmpuint (d.count, ==, 1);

  g_assert_cmpint (g_input_stream_read (input_of (transport), buffer, sizeof buffer, NULL,
                                        &error), ==, -1);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  g_clear_error (&d.error);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
test_pty_cancel_read (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *slave = NULL;
  g_autofree char *text = NULL;
  g_autoptr (AtcTransport) transport = NULL;
  g_autoptr (Reader) reader = NULL;
  Disconnects d = { 0 };
  int master;

  master = atc_test_open_pty (&slave, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("pty:%s", slave);
  transport = open_ok (text);
  g_signal_connect (transport, "disconnected", G_CALLBACK (disconnected_cb), &d);

  reader = reader_start (transport, 10);
  g_timeout_add (50, cancel_cb, reader->cancellable);
  g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
  g_assert_error (reader->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_pointer (&reader, reader_free);

  /* The link itself is fine: the next read gets the next bytes. */
  g_assert_true (atc_transport_is_open (transport));
  reader = reader_start (transport, 4);
  g_assert_true (atc_test_write_fd_all (master, "+ok\n", 4, WAIT_MS));
  g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
  g_assert_no_error (reader->error);
  g_assert_cmpmem (reader->data->data, reader->data->len, "+ok\n", 4);
  g_assert_cmpuint (d.count, ==, 0);

  /* Closing with a read pending ends that read, without a disconnect. */
  g_clear_pointer (&reader, reader_free);
  reader = reader_start (transport, 4);
  atc_test_run_for (20);
  atc_transport_close (transport);
  g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
  g_assert_nonnull (reader->error);
  g_assert_cmpuint (d.count, ==, 0);

  close (master);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_pty_line_settings (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *slave = NULL;
  g_autofree char *text = NULL;
  g_autoptr (AtcTransport) transport = NULL;
  AtcLineSettings s = ATC_LINE_SETTINGS_DEFAULT;
  AtcLineSettings bad;
  struct termios tio;
  guint notified = 0;
  int master;
  int probe;

  master = atc_test_open_pty (&slave, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("pty:%s", slave);
  transport = open_ok (text);
  /* No rate in the address: the units' factory default. */
  g_assert_cmpuint (atc_transport_get_line_settings (transport)->baud, ==, ATC_DEFAULT_BAUD);
  g_signal_connect (transport, "notify::line-settings", G_CALLBACK (count_notify_cb), &notified);

  /* What the baud search does on an open port. */
  s.baud = 9600;
  s.data_bits = 7;
  s.parity = ATC_PARITY_EVEN;
  s.stop_bits = 2;
  g_assert_true (atc_transport_set_line_settings (transport, &s, &error));
  g_assert_no_error (error);
  g_assert_true (atc_line_settings_equal (atc_transport_get_line_settings (transport), &s));
  g_assert_cmpuint (notified, ==, 1);

  probe = open (slave, O_RDWR | O_NOCTTY | O_NONBLOCK);
  g_assert_cmpint (probe, >=, 0);
  g_assert_cmpint (tcgetattr (probe, &tio), ==, 0);
  g_assert_cmpuint (cfgetospeed (&tio), ==, B9600);
  /* The kernel's pty driver forces CS8 and no parity whatever is asked
   * (a pty carries bytes, not frames); the rate and stop bits stick. */
  g_assert_true (tio.c_cflag & CSTOPB);
  g_assert_false (tio.c_lflag & (ICANON | ECHO));
  g_assert_cmpuint (tio.c_cc[VMIN], ==, 0);
  g_assert_cmpuint (tio.c_cc[VTIME], ==, 0);
  close (probe);

  /* A pty takes any rate and remembers it. */
  s.baud = 12345;
  atc_transport_set_line_settings (transport, &s, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (atc_transport_get_line_settings (transport)->baud, ==, 12345);

  /* Impossible settings are refused, and the old ones stay. */
  bad = s;
  bad.data_bits = 9;
  g_assert_false (atc_transport_set_line_settings (transport, &bad, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  bad = s;
  bad.baud = 10;
  g_assert_false (atc_transport_set_line_settings (transport, &bad, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_true (atc_line_settings_equal (atc_transport_get_line_settings (transport), &s));
  g_assert_cmpuint (notified, ==, 2);

  close (master);
}

/* A /dev/serial/by-id/ style link to a pty: libserialport 0.1.1 cannot
 * open it, so the factory resolves it and uses termios. */
static void
test_pty_through_symlink (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *slave = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atconf-by-id-XXXXXX", NULL);
  g_autofree char *link = g_build_filename (dir, "usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0",
                                            NULL);
  g_autofree char *text = NULL;
  g_autoptr (AtcTransport) transport = NULL;
  char got[3];
  int master;

  master = atc_test_open_pty (&slave, &error);
  g_assert_no_error (error);
  g_assert_cmpint (symlink (slave, link), ==, 0);

  text = g_strdup_printf ("serial:%s?baud=57600", link);
  g_assert_true (atc_serial_transport_should_use_termios (link));
  transport = open_ok (text);
  g_assert_true (ATC_IS_TTY_TRANSPORT (transport));
  g_assert_true (g_output_stream_write_all (output_of (transport), "+++", 3, NULL, NULL, &error));
  g_assert_true (atc_test_read_fd_exact (master, got, 3, NULL, WAIT_MS));
  g_assert_cmpmem (got, 3, "+++", 3);

  atc_transport_close (transport);
  close (master);
  g_unlink (link);
  g_rmdir (dir);
}

/* A port that appears after the transport was made, and that
 * libserialport 0.1.1 does not know: the serial transport drives it
 * through termios rather than failing. */
static void
test_serial_termios_fallback (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *slave = NULL;
  g_autoptr (AtcAddress) address = NULL;
  g_autoptr (AtcTransport) transport = NULL;
  g_autoptr (Reader) reader = NULL;
  AtcLineSettings s;
  int master;

  master = atc_test_open_pty (&slave, &error);
  g_assert_no_error (error);
  address = atc_address_parse (slave, &error);
  g_assert_no_error (error);
  address->kind = ATC_ADDRESS_SERIAL;
  address->line.baud = 9600;

  transport = atc_serial_transport_new (address);
  g_assert_null (atc_test_transport_open (transport));
  g_assert_cmpuint (atc_transport_get_line_settings (transport)->baud, ==, 9600);

  s = *atc_transport_get_line_settings (transport);
  s.baud = 115200;
  g_assert_true (atc_transport_set_line_settings (transport, &s, &error));
  g_assert_no_error (error);

  reader = reader_start (transport, 5);
  g_assert_true (atc_test_write_fd_all (master, "+ok\r\n", 5, WAIT_MS));
  g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
  g_assert_no_error (reader->error);
  g_assert_cmpmem (reader->data->data, reader->data->len, "+ok\r\n", 5);

  atc_transport_close (transport);
  close (master);
}

static void
test_factory (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AtcAddress) demo = atc_address_parse ("demo:g781", NULL);
  g_autoptr (AtcAddress) missing = atc_address_parse ("/dev/ttyUSB-atconf-missing", NULL);
  g_autoptr (AtcAddress) tcp = atc_address_parse ("tcp:127.0.0.1:2000", NULL);
  g_autoptr (AtcAddress) pts = atc_address_parse ("/dev/pts/999", NULL);
  g_autoptr (AtcTransport) t1 = NULL;
  g_autoptr (AtcTransport) t2 = NULL;
  g_autoptr (AtcTransport) t3 = NULL;
  AtcTransport *none;

  /* The simulator layer builds demo links. */
  none = atc_transport_new_for_address (demo, &error);
  g_assert_null (none);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED);

  t1 = atc_transport_new_for_address (missing, NULL);
  g_assert_true (ATC_IS_SERIAL_TRANSPORT (t1));
  g_assert_true (atc_transport_has_line_settings (t1));
  g_assert_cmpstr (atc_transport_get_address (t1)->path, ==, "/dev/ttyUSB-atconf-missing");

  t2 = atc_transport_new_for_address (tcp, NULL);
  g_assert_true (ATC_IS_TCP_TRANSPORT (t2));
  g_assert_false (atc_transport_has_line_settings (t2));

  t3 = atc_transport_new_for_address (pts, NULL);
  g_assert_true (ATC_IS_TTY_TRANSPORT (t3));
}

/* ------------------------------------------------------------------ */
/* Open errors */

static void
test_open_missing_lists_ports (void)
{
  g_autoptr (GError) error = open_error ("/dev/ttyUSB-atconf-missing");
  g_autoptr (GPtrArray) ports = atc_port_list_enumerate (NULL);

  g_test_message ("%s", error->message);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/dev/ttyUSB-atconf-missing"));

  /* Whatever this machine has is named, or the message says there is none. */
  g_assert_nonnull (ports);
  if (ports->len == 0)
    g_assert_nonnull (strstr (error->message, "no serial port is present"));
  for (guint i = 0; i < ports->len; i++)
    g_assert_nonnull (strstr (error->message, ((AtcPortInfo *) ports->pdata[i])->name));
}

static void
test_open_error_mapping (void)
{
  const char *const ports[] = { "/dev/ttyS0", "/dev/ttyUSB1", NULL };
  const char *const none[] = { NULL };
  g_autoptr (GError) denied = atc_transport_open_error_new ("/dev/ttyUSB0", EACCES, ports);
  g_autoptr (GError) busy = atc_transport_open_error_new ("/dev/ttyUSB0", EBUSY, ports);
  g_autoptr (GError) missing = atc_transport_open_error_new ("/dev/ttyUSB0", ENOENT, ports);
  g_autoptr (GError) nothing = atc_transport_open_error_new ("/dev/ttyUSB0", ENOENT, none);
  g_autoptr (GError) gone = atc_transport_open_error_new ("/dev/ttyUSB0", ENODEV, ports);
  g_autoptr (GError) not_tty = atc_transport_open_error_new ("/etc/passwd", ENOTTY, ports);
  g_autoptr (GError) other = atc_transport_open_error_new ("/dev/ttyUSB0", EIO, ports);

  g_assert_error (denied, ATC_ERROR, ATC_ERROR_PERMISSION);
  g_assert_nonnull (strstr (denied->message, "/dev/ttyUSB0"));
  g_assert_nonnull (strstr (denied->message, "dialout"));
  g_assert_nonnull (strstr (denied->message, "sudo usermod -aG dialout $USER"));
  g_assert_nonnull (strstr (denied->message, "log out"));

  g_assert_error (busy, ATC_ERROR, ATC_ERROR_BUSY);
  g_assert_nonnull (strstr (busy->message, "another program"));
  g_assert_nonnull (strstr (busy->message, "ModemManager"));
  g_assert_nonnull (strstr (busy->message, "fuser /dev/ttyUSB0"));

  g_assert_error (missing, ATC_ERROR, ATC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (missing->message, "/dev/ttyS0, /dev/ttyUSB1"));
  g_assert_error (nothing, ATC_ERROR, ATC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (nothing->message, "no serial port is present"));
  g_assert_error (gone, ATC_ERROR, ATC_ERROR_NOT_FOUND);

  g_assert_error (not_tty, ATC_ERROR, ATC_ERROR_FAILED);
  g_assert_nonnull (strstr (not_tty->message, "not a serial port"));
  g_assert_error (other, ATC_ERROR, ATC_ERROR_FAILED);
  g_assert_nonnull (strstr (other->message, g_strerror (EIO)));
}

static void
test_open_permission_denied (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) open_err = NULL;
  g_autofree char *slave = NULL;
  g_autofree char *text = NULL;
  int master;

  if (geteuid () == 0)
    {
      g_test_skip ("running as root: root opens any device node, so EACCES cannot happen "
                   "here; /transport/open/errno-mapping covers the message");
      return;
    }

  master = atc_test_open_pty (&slave, &error);
  g_assert_no_error (error);
  g_assert_cmpint (chmod (slave, 0), ==, 0);

  text = g_strdup_printf ("pty:%s", slave);
  open_err = open_error (text);
  g_assert_error (open_err, ATC_ERROR, ATC_ERROR_PERMISSION);
  g_assert_nonnull (strstr (open_err->message, "dialout"));
  close (master);
}

static void
test_open_busy (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) busy = NULL;
  g_autofree char *slave = NULL;
  g_autofree char *text = NULL;
  g_autoptr (AtcTransport) first = NULL;
  int master;

  master = atc_test_open_pty (&slave, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("pty:%s", slave);

  /* A second connection to the same port would interleave two
   * conversations on one line. */
  first = open_ok (text);
  busy = open_error (text);
  g_assert_error (busy, ATC_ERROR, ATC_ERROR_BUSY);
  g_assert_nonnull (strstr (busy->message, slave));
  g_assert_nonnull (strstr (busy->message, "fuser"));

  /* Once the first lets go, the port opens again. */
  atc_transport_close (first);
  g_clear_object (&first);
  first = open_ok (text);
  close (master);
}

static void
test_open_uucp_lock (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atconf-lock-XXXXXX", NULL);
  g_autofree char *lock = g_build_filename (dir, "LCK..ttyUSB7", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *pid_text = NULL;
  const char *argv[] = { "/bin/true", NULL };
  GPid dead = 0;
  int status;

  /* A live process (our parent) holds the lock: minicom, cu or ser2net. */
  contents = g_strdup_printf ("%10d\n", (int) getppid ());
  g_assert_true (g_file_set_contents (lock, contents, -1, NULL));
  g_assert_false (atc_tty_check_lock_files ("/dev/ttyUSB7", dir, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_BUSY);
  pid_text = g_strdup_printf ("%d", (int) getppid ());
  g_assert_nonnull (strstr (error->message, pid_text));
  g_assert_nonnull (strstr (error->message, "/dev/ttyUSB7"));
  g_clear_error (&error);

  /* Another port is not concerned. */
  g_assert_true (atc_tty_check_lock_files ("/dev/ttyUSB8", dir, &error));
  g_assert_no_error (error);

  /* A lock left by a process that is gone does not hold the port. */
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &dead, NULL));
  g_assert_cmpint (waitpid (dead, &status, 0), ==, dead);
  g_free (contents);
  contents = g_strdup_printf ("%10d\n", (int) dead);
  g_assert_true (g_file_set_contents (lock, contents, -1, NULL));
  g_assert_true (atc_tty_check_lock_files ("/dev/ttyUSB7", dir, &error));
  g_assert_no_error (error);

  g_unlink (lock);
  g_rmdir (dir);
}

static void
test_open_not_a_tty (void)
{
  g_autoptr (GError) error = open_error ("/dev/null");

  g_assert_error (error, ATC_ERROR, ATC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not a serial port"));
}

/* ------------------------------------------------------------------ */
/* TCP */

typedef struct {
  GSocketService    *service;
  guint16            port;
  GSocketConnection *last;
} EchoServer;

static void
splice_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, NULL);
  g_object_unref (user_data); /* the connection */
}

static gboolean
echo_incoming_cb (GSocketService    *service,
                  GSocketConnection *connection,
                  GObject           *source,
                  gpointer           user_data)
{
  EchoServer *server = user_data;

  g_set_object (&server->last, connection);
  g_output_stream_splice_async (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                G_OUTPUT_STREAM_SPLICE_NONE, G_PRIORITY_DEFAULT, NULL,
                                splice_done_cb, g_object_ref (connection));
  return TRUE;
}

static void
echo_server_start (EchoServer *server)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  server->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                 &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (server->service, "incoming", G_CALLBACK (echo_incoming_cb), server);
  g_socket_service_start (server->service);
}

static void
echo_server_stop (EchoServer *server)
{
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_clear_object (&server->service);
  g_clear_object (&server->last);
}

static void
test_tcp_echo (void)
{
  EchoServer server = { 0 };
  g_autofree char *text = NULL;
  g_autoptr (AtcTransport) transport = NULL;
  g_autoptr (Reader) reader = NULL;
  g_autoptr (GError) error = NULL;
  AtcLineSettings s = ATC_LINE_SETTINGS_DEFAULT;
  Disconnects d = { 0 };
  const char line[] = "www.usr.cn#AT+CSQ\r";
  guint8 big[8192];

  echo_server_start (&server);
  text = g_strdup_printf ("tcp:127.0.0.1:%u", server.port);
  transport = open_ok (text);
  g_assert_true (ATC_IS_TCP_TRANSPORT (transport));
  g_signal_connect (transport, "disconnected", G_CALLBACK (disconnected_cb), &d);

  /* Serial settings belong to the far end: accepted and ignored. */
  s.baud = 9600;
  g_assert_true (atc_transport_set_line_settings (transport, &s, &error));
  g_assert_no_error (error);

  reader = reader_start (transport, sizeof line - 1);
  g_assert_true (g_output_stream_write_all (output_of (transport), line, sizeof line - 1, NULL,
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
  g_assert_no_error (reader->error);
  g_assert_cmpmem (reader->data->data, reader->data->len, line, sizeof line - 1);
  g_clear_pointer (&reader, reader_free);

  fill_pattern (big, sizeof big, 5);
  reader = reader_start (transport, sizeof big);
  g_assert_true (g_output_stream_write_all (output_of (transport), big, sizeof big, NULL, NULL,
                                            &error));
  g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
  g_assert_no_error (reader->error);
  g_assert_cmpmem (reader->data->data, reader->data->len, big, sizeof big);
  g_clear_pointer (&reader, reader_free);

  /* The far end closes: the pending read fails, ::disconnected once. */
  reader = reader_start (transport, 1);
  atc_test_run_for (20);
  g_assert_nonnull (server.last);
  g_socket_shutdown (g_socket_connection_get_socket (server.last), TRUE, TRUE, NULL);
  g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
  g_assert_error (reader->error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  g_assert_cmpuint (reader->empty_reads, ==, 0);
  g_assert_true (atc_test_run_until (&d.seen, WAIT_MS));
  atc_test_run_for (100);
  g_assert_cmpuint (d.count, ==, 1);
  g_assert_nonnull (strstr (d.error->message, "127.0.0.1"));
  g_assert_false (atc_transport_is_open (transport));

  atc_transport_close (transport);
  echo_server_stop (&server);
  g_clear_error (&d.error);
}

/* A serial server that answers like a unit behind it: the echo at once,
 * the reply a turnaround later, each its own small write, with Nagle's
 * algorithm on as bridges leave it (ser2net, serial servers). Nagle holds
 * the reply until the echo is acknowledged; a client that delays its
 * acknowledgements (40 ms on Linux) would add that to every command. */
#define NAGLE_ROUNDS       15
#define NAGLE_TURNAROUND_MS 20

typedef struct {
  GSocket *listener;
  guint16  port;
} NagleServer;

static gpointer
nagle_server_thread (gpointer user_data)
{
  NagleServer *server = user_data;
  g_autoptr (GSocket) client = g_socket_accept (server->listener, NULL, NULL);
  char line[64];

  if (client == NULL)
    return NULL;
  g_socket_set_blocking (client, TRUE);
  for (guint i = 0; i < NAGLE_ROUNDS; i++)
    {
      gsize got = 0;

      /* "AT+CSQ?\r\n", possibly in pieces. */
      while (got < 9)
        {
          gssize n = g_socket_receive (client, line + got, 9 - got, NULL, NULL);

          if (n <= 0)
            return NULL;
          got += n;
        }
      g_socket_send (client, "AT+CSQ?\r\n", 9, NULL, NULL);
      g_usleep (NAGLE_TURNAROUND_MS * 1000);
      g_socket_send (client, "\r\n+CSQ:24\r\n\r\nOK\r\n", 18, NULL, NULL);
    }
  /* Until the client is done reading. */
  g_socket_receive (client, line, sizeof line, NULL, NULL);
  return NULL;
}

static void
test_tcp_nagle_bridge (void)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (AtcTransport) transport = NULL;
  g_autofree char *text = NULL;
  NagleServer server = { 0 };
  GThread *thread;
  gint64 start, elapsed;

  server.listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (server.listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (server.listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (server.listener, &error);
  g_assert_no_error (error);
  server.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  thread = g_thread_new ("nagle-server", nagle_server_thread, &server);

  text = g_strdup_printf ("tcp:127.0.0.1:%u", server.port);
  transport = open_ok (text);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < NAGLE_ROUNDS; i++)
    {
      g_autoptr (Reader) reader = reader_start (transport, 9 + 18);

      g_assert_true (g_output_stream_write_all (output_of (transport), "AT+CSQ?\r\n", 9, NULL,
                                                NULL, &error));
      g_assert_no_error (error);
      g_assert_true (atc_test_run_until (&reader->done, WAIT_MS));
      g_assert_no_error (reader->error);
    }
  elapsed = g_get_monotonic_time () - start;

  /* About one turnaround a command; a delayed acknowledgement would add
   * 20 ms or more to each. */
  g_test_message ("%u rounds in %" G_GINT64_FORMAT " ms", NAGLE_ROUNDS, elapsed / 1000);
  g_assert_cmpint (elapsed, <, (gint64) NAGLE_ROUNDS * (NAGLE_TURNAROUND_MS + 10) * 1000);

  atc_transport_close (transport);
  g_thread_join (thread);
  g_socket_close (server.listener, NULL);
  g_object_unref (server.listener);
}

static void
test_tcp_refused (void)
{
  guint16 port = atc_test_free_tcp_port ();
  g_autofree char *text = g_strdup_printf ("tcp:127.0.0.1:%u?password=hunter2x", port);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr (GError) error = open_error (text);

  g_test_message ("%s", error->message);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "refused"));
  g_assert_nonnull (strstr (error->message, port_text));
  g_assert_null (strstr (error->message, "hunter2x"));
}

/* A listener that never accepts, its queue full: the kernel drops further
 * connection attempts, as with a unit that is off the network. Returns the
 * port; the sockets live in keep. */
static guint16
blackhole_listener (GPtrArray *keep)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  GSocket *listener;
  guint16 port;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_ptr_array_add (keep, listener);
  g_assert_true (g_socket_bind (listener, any, TRUE, NULL));
  g_socket_set_listen_backlog (listener, 0);
  g_assert_true (g_socket_listen (listener, NULL));
  bound = g_socket_get_local_address (listener, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  for (guint i = 0; i < 8; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL);
      g_autoptr (GSocketAddress) target = g_inet_socket_address_new (loopback, port);

      g_socket_set_blocking (filler, FALSE);
      g_socket_connect (filler, target, NULL, NULL);
      g_ptr_array_add (keep, filler);
    }

  return port;
}

static void
test_tcp_timeout (void)
{
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (AtcTransport) transport = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  text = g_strdup_printf ("tcp:127.0.0.1:%u", blackhole_listener (keep));
  transport = make_transport (text);
  g_assert_cmpuint (atc_tcp_transport_get_connect_timeout (ATC_TCP_TRANSPORT (transport)), ==,
                    ATC_TCP_DEFAULT_CONNECT_TIMEOUT);
  atc_tcp_transport_set_connect_timeout (ATC_TCP_TRANSPORT (transport), 1);
  error = atc_test_transport_open (transport);
  g_test_message ("%s", error ? error->message : "(connected)");
  g_assert_error (error, ATC_ERROR, ATC_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, text + 4));
  g_assert_false (atc_transport_is_open (transport));
}

static void
test_tcp_cancel (void)
{
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (AtcTransport) transport = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *text = NULL;
  Completion c = { 0 };
  Completion c2 = { 0 };

  text = g_strdup_printf ("tcp:127.0.0.1:%u", blackhole_listener (keep));
  transport = make_transport (text);

  /* The technician gives up waiting. */
  atc_transport_open_async (transport, cancellable, open_done_cb, &c);
  g_timeout_add (100, cancel_cb, cancellable);
  g_assert_true (atc_test_run_until (&c.done, WAIT_MS));
  g_assert_error (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (atc_transport_is_open (transport));
  g_clear_error (&c.error);

  /* Closing while the connection is under way abandons it too. */
  atc_transport_open_async (transport, NULL, open_done_cb, &c2);
  atc_test_run_for (50);
  atc_transport_close (transport);
  g_assert_true (atc_test_run_until (&c2.done, WAIT_MS));
  g_assert_error (c2.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (atc_transport_is_open (transport));
  g_clear_error (&c2.error);
}

static void
test_tcp_unknown_host (void)
{
  g_autoptr (AtcTransport) transport = make_transport ("tcp:no-such-unit.invalid:8234");
  g_autoptr (GError) error = NULL;

  /* .invalid never resolves (RFC 2606); a resolver that does not answer
   * at all says nothing about our mapping. */
  atc_tcp_transport_set_connect_timeout (ATC_TCP_TRANSPORT (transport), 15);
  error = atc_test_transport_open (transport);
  g_test_message ("%s", error->message);
  if (g_error_matches (error, ATC_ERROR, ATC_ERROR_TIMEOUT))
    {
      g_test_skip ("the name resolver did not answer in time");
      return;
    }
  g_assert_error (error, ATC_ERROR, ATC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-unit.invalid"));
  g_assert_nonnull (strstr (error->message, "unknown"));
}

/* ------------------------------------------------------------------ */
/* Port list */

typedef struct {
  GMutex     lock;
  GPtrArray *ports;
  guint      calls;
} FakePorts;

static GPtrArray *
fake_list (gpointer  user_data,
           GError  **error)
{
  FakePorts *fake = user_data;
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_port_info_free);

  g_mutex_lock (&fake->lock);
  for (guint i = 0; i < fake->ports->len; i++)
    g_ptr_array_add (copy, atc_port_info_copy (g_ptr_array_index (fake->ports, i)));
  fake->calls++;
  g_mutex_unlock (&fake->lock);

  return copy;
}

static void
fake_set (FakePorts   *fake,
          AtcPortInfo *add,
          const char  *remove)
{
  g_mutex_lock (&fake->lock);
  if (add != NULL)
    g_ptr_array_add (fake->ports, add);
  for (guint i = 0; remove != NULL && i < fake->ports->len; i++)
    if (g_strcmp0 (((AtcPortInfo *) fake->ports->pdata[i])->name, remove) == 0)
      g_ptr_array_remove_index (fake->ports, i);
  g_mutex_unlock (&fake->lock);
}

typedef struct {
  guint      count;
  gboolean   seen;
  GPtrArray *added;
  GPtrArray *removed;
} Changes;

static void
changed_cb (AtcPortList *list,
            GPtrArray   *added,
            GPtrArray   *removed,
            gpointer     user_data)
{
  Changes *c = user_data;

  c->count++;
  c->seen = TRUE;
  g_clear_pointer (&c->added, g_ptr_array_unref);
  g_clear_pointer (&c->removed, g_ptr_array_unref);
  c->added = g_ptr_array_ref (added);
  c->removed = g_ptr_array_ref (removed);
}

static AtcPortInfo *
usb_port (const char *name,
          const char *serial)
{
  AtcPortInfo *info = atc_port_info_new (name);

  info->transport = ATC_PORT_TRANSPORT_USB;
  info->usb_vid = 0x0403;
  info->usb_pid = 0x6001;
  info->manufacturer = g_strdup ("FTDI");
  info->product = g_strdup ("FT232R USB UART");
  info->serial = g_strdup (serial);
  info->description = g_strdup ("FT232R USB UART - FT232R USB UART");
  return info;
}

static void
test_port_list_hotplug (void)
{
  FakePorts fake = { 0 };
  Changes c = { 0 };
  g_autoptr (AtcPortList) list = NULL;
  g_autofree char *text = NULL;
  const AtcPortInfo *info;
  guint calls;

  g_mutex_init (&fake.lock);
  fake.ports = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_port_info_free);
  fake_set (&fake, atc_port_info_new ("/dev/ttyS0"), NULL);

  list = atc_port_list_new_with_func (fake_list, &fake, NULL);
  g_assert_cmpuint (atc_port_list_get_interval (list), ==, 2000);
  atc_port_list_set_interval (list, 100);
  g_signal_connect (list, "changed", G_CALLBACK (changed_cb), &c);

  /* The first listing reports what is there. */
  g_assert_true (atc_test_run_until (&c.seen, WAIT_MS));
  g_assert_cmpuint (c.added->len, ==, 1);
  g_assert_cmpuint (c.removed->len, ==, 0);
  g_assert_cmpstr (((AtcPortInfo *) c.added->pdata[0])->name, ==, "/dev/ttyS0");
  g_assert_cmpuint (atc_port_list_get_ports (list)->len, ==, 1);

  /* Nothing changes: several listings, no signal. */
  g_mutex_lock (&fake.lock);
  calls = fake.calls;
  g_mutex_unlock (&fake.lock);
  for (guint i = 0; i < 200; i++)
    {
      guint now;

      atc_test_run_for (50);
      g_mutex_lock (&fake.lock);
      now = fake.calls;
      g_mutex_unlock (&fake.lock);
      if (now >= calls + 3)
        break;
    }
  g_assert_cmpuint (c.count, ==, 1);

  /* An adapter is plugged in. */
  c.seen = FALSE;
  fake_set (&fake, usb_port ("/dev/ttyUSB0", "A50285BI"), NULL);
  g_assert_true (atc_test_run_until (&c.seen, WAIT_MS));
  g_assert_cmpuint (c.count, ==, 2);
  g_assert_cmpuint (c.added->len, ==, 1);
  g_assert_cmpuint (c.removed->len, ==, 0);
  info = c.added->pdata[0];
  g_assert_cmpstr (info->name, ==, "/dev/ttyUSB0");
  g_assert_cmpint (info->transport, ==, ATC_PORT_TRANSPORT_USB);
  g_assert_cmpuint (info->usb_vid, ==, 0x0403);
  g_assert_cmpuint (info->usb_pid, ==, 0x6001);
  g_assert_cmpstr (info->serial, ==, "A50285BI");
  text = atc_port_info_to_string (info);
  g_assert_nonnull (strstr (text, "0403:6001"));
  g_assert_cmpuint (atc_port_list_get_ports (list)->len, ==, 2);

  /* Swapped for another adapter under the same name: one goes, one comes. */
  c.seen = FALSE;
  fake_set (&fake, NULL, "/dev/ttyUSB0");
  fake_set (&fake, usb_port ("/dev/ttyUSB0", "B7777777"), NULL);
  g_assert_true (atc_test_run_until (&c.seen, WAIT_MS));
  g_assert_cmpuint (c.added->len, ==, 1);
  g_assert_cmpuint (c.removed->len, ==, 1);
  g_assert_cmpstr (((AtcPortInfo *) c.added->pdata[0])->serial, ==, "B7777777");
  g_assert_cmpstr (((AtcPortInfo *) c.removed->pdata[0])->serial, ==, "A50285BI");

  /* Unplugged. */
  c.seen = FALSE;
  fake_set (&fake, NULL, "/dev/ttyUSB0");
  g_assert_true (atc_test_run_until (&c.seen, WAIT_MS));
  g_assert_cmpuint (c.added->len, ==, 0);
  g_assert_cmpuint (c.removed->len, ==, 1);
  g_assert_cmpstr (((AtcPortInfo *) c.removed->pdata[0])->name, ==, "/dev/ttyUSB0");
  g_assert_cmpuint (atc_port_list_get_ports (list)->len, ==, 1);

  g_clear_object (&list);
  /* Let a listing still in its thread finish before the fake goes. */
  atc_test_run_for (300);
  g_clear_pointer (&c.added, g_ptr_array_unref);
  g_clear_pointer (&c.removed, g_ptr_array_unref);
  g_ptr_array_unref (fake.ports);
  g_mutex_clear (&fake.lock);
}

static void
test_port_list_enumerate (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) ports = atc_port_list_enumerate (&error);

  g_assert_no_error (error);
  g_assert_nonnull (ports);
  for (guint i = 0; i < ports->len; i++)
    {
      const AtcPortInfo *info = ports->pdata[i];

      g_test_message ("%s (%s)", info->name, atc_port_transport_to_string (info->transport));
      g_assert_true (g_str_has_prefix (info->name, "/dev/"));
      if (i > 0)
        g_assert_cmpstr (((AtcPortInfo *) ports->pdata[i - 1])->name, <, info->name);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  atc_test_set_wait_ms (WAIT_MS);

  g_test_add_func ("/transport/pty/both-ways", test_pty_both_ways);
  g_test_add_func ("/transport/pty/partial-and-large-writes", test_pty_partial_and_large_writes);
  g_test_add_func ("/transport/pty/hangup-mid-read", test_pty_hangup_mid_read);
  g_test_add_func ("/transport/pty/hangup-idle", test_pty_hangup_idle);
  g_test_add_func ("/transport/pty/cancel-read", test_pty_cancel_read);
  g_test_add_func ("/transport/pty/line-settings", test_pty_line_settings);
  g_test_add_func ("/transport/pty/by-id-symlink", test_pty_through_symlink);
  g_test_add_func ("/transport/serial/termios-fallback", test_serial_termios_fallback);
  g_test_add_func ("/transport/factory", test_factory);
  g_test_add_func ("/transport/open/missing-lists-ports", test_open_missing_lists_ports);
  g_test_add_func ("/transport/open/errno-mapping", test_open_error_mapping);
  g_test_add_func ("/transport/open/permission-denied", test_open_permission_denied);
  g_test_add_func ("/transport/open/busy", test_open_busy);
  g_test_add_func ("/transport/open/uucp-lock", test_open_uucp_lock);
  g_test_add_func ("/transport/open/not-a-tty", test_open_not_a_tty);
  g_test_add_func ("/transport/tcp/echo", test_tcp_echo);
  g_test_add_func ("/transport/tcp/nagle-bridge", test_tcp_nagle_bridge);
  g_test_add_func ("/transport/tcp/refused", test_tcp_refused);
  g_test_add_func ("/transport/tcp/timeout", test_tcp_timeout);
  g_test_add_func ("/transport/tcp/cancel", test_tcp_cancel);
  g_test_add_func ("/transport/tcp/unknown-host", test_tcp_unknown_host);
  g_test_add_func ("/port-list/hotplug", test_port_list_hotplug);
  g_test_add_func ("/port-list/enumerate", test_port_list_enumerate);

  return g_test_run ();
}
