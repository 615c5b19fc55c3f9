/* test-ser2net.c: a unit behind Debian's ser2net, reached over TCP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The field setup this mirrors: the unit's serial port on a Linux box
 * running ser2net in raw mode, the technician connecting with
 * tcp:HOST:PORT. Here the "unit" is the master side of a pty.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "atc-error.h"
#include "atc-tcp-transport.h"
#include "atc-test-util.h"
#include "atc-transport.h"

#define WAIT_MS 20000

typedef struct {
  GByteArray *data;
  gsize       want;
  gboolean    done;
  GError     *error;
  guint8      buffer[1024];
} Reader;

static void
reader_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Reader *reader = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &reader->error);

  if (n <= 0)
    {
      reader->done = TRUE;
      return;
    }
  g_byte_array_append (reader->data, reader->buffer, n);
  if (reader->data->len >= reader->want)
    {
      reader->done = TRUE;
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (object), reader->buffer, sizeof reader->buffer,
                             G_PRIORITY_DEFAULT, NULL, reader_cb, reader);
}

static void
reader_start (Reader       *reader,
              AtcTransport *transport,
              gsize         want)
{
  GInputStream *input = g_io_stream_get_input_stream (atc_transport_get_stream (transport));

  g_clear_pointer (&reader->data, g_byte_array_unref);
  g_clear_error (&reader->error);
  reader->data = g_byte_array_new ();
  reader->want = want;
  reader->done = FALSE;
  g_input_stream_read_async (input, reader->buffer, sizeof reader->buffer, G_PRIORITY_DEFAULT,
                             NULL, reader_cb, reader);
}

typedef struct {
  guint    count;
  gboolean seen;
} Disconnects;

static void
disconnected_cb (AtcTransport *transport,
                 const GError *error,
                 gpointer      user_data)
{
  Disconnects *d = user_data;

  g_assert_error ((GError *) error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  d->count++;
  d->seen = TRUE;
}

static void
test_ser2net_bridge (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AtcTestSer2net) bridge = NULL;
  g_autoptr (AtcAddress) address = NULL;
  g_autoptr (AtcTransport) transport = NULL;
  g_autofree char *slave = NULL;
  g_autofree char *text = NULL;
  GOutputStream *output;
  Reader reader = { 0 };
  Disconnects d = { 0 };
  guint8 unit_side[4096];
  guint8 pattern[4096];
  char handshake[3];
  int master;

  if (!atc_test_ser2net_available ())
    {
      g_test_skip ("ser2net is not installed (" ATC_TEST_SER2NET_PATH "); "
                   "install the ser2net package to run this test");
      return;
    }

  master = atc_test_open_pty (&slave, &error);
  g_assert_no_error (error);

  bridge = atc_test_ser2net_start (slave, "115200n81", &error);
  g_assert_no_error (error);
  g_assert_nonnull (bridge);
  text = atc_test_ser2net_dup_address (bridge);
  g_test_message ("ser2net (pid %d) bridges %s to %s", (int) atc_test_ser2net_get_pid (bridge),
                  slave, text);

  address = atc_address_parse (text, &error);
  g_assert_no_error (error);
  transport = atc_transport_new_for_address (address, &error);
  g_assert_no_error (error);
  g_assert_true (ATC_IS_TCP_TRANSPORT (transport));
  g_signal_connect (transport, "disconnected", G_CALLBACK (disconnected_cb), &d);

  error = atc_test_transport_open (transport);
  g_assert_no_error (error);
  output = g_io_stream_get_output_stream (atc_transport_get_stream (transport));

  /* Host to unit: the handshake's "+++" arrives as is, no telnet bytes.
   * ser2net opens the pty when the client connects, so the first bytes
   * may take a moment. */
  g_assert_true (g_output_stream_write_all (output, "+++", 3, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (atc_test_read_fd_exact (master, handshake, sizeof handshake, NULL, WAIT_MS));
  g_assert_cmpmem (handshake, 3, "+++", 3);

  /* Unit to host: the one-byte answer, then a reply. */
  reader_start (&reader, transport, 1);
  g_assert_true (atc_test_write_fd_all (master, "a", 1, WAIT_MS));
  g_assert_true (atc_test_run_until (&reader.done, WAIT_MS));
  g_assert_no_error (reader.error);
  g_assert_cmpmem (reader.data->data, reader.data->len, "a", 1);

  /* 4 KiB of every byte value each way. */
  for (guint i = 0; i < sizeof pattern; i++)
    pattern[i] = (guint8) (i * 31 + i / 256);

  reader_start (&reader, transport, sizeof pattern);
  g_assert_true (atc_test_write_fd_all (master, pattern, sizeof pattern, WAIT_MS));
  g_assert_true (atc_test_run_until (&reader.done, WAIT_MS));
  g_assert_no_error (reader.error);
  g_assert_cmpmem (reader.data->data, reader.data->len, pattern, sizeof pattern);

  g_assert_true (g_output_stream_write_all (output, pattern, sizeof pattern, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (atc_test_read_fd_exact (master, unit_side, sizeof unit_side, NULL, WAIT_MS));
  g_assert_cmpmem (unit_side, sizeof unit_side, pattern, sizeof pattern);

  /* The bridge dies while the host waits for a reply. */
  reader_start (&reader, transport, 1);
  atc_test_run_for (20);
  g_assert_false (reader.done);
  atc_test_ser2net_kill (bridge);

  g_assert_true (atc_test_run_until (&reader.done, WAIT_MS));
  g_assert_error (reader.error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  g_assert_true (atc_test_run_until (&d.seen, WAIT_MS));
  atc_test_run_for (100);
  g_assert_cmpuint (d.count, ==, 1);
  g_assert_false (atc_transport_is_open (transport));

  atc_transport_close (transport);
  g_clear_pointer (&reader.data, g_byte_array_unref);
  g_clear_error (&reader.error);
  close (master);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  atc_test_set_wait_ms (WAIT_MS);

  g_test_add_func ("/ser2net/bridge", test_ser2net_bridge);

  return g_test_run ();
}
