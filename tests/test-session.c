/* test-session.c: the session engine against simulated units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Units are the simulator (in-process through the demo transport, over a
 * pty, over TCP through ser2net) or, for the handshake's failure modes, a
 * scripted peer on a socket pair that misbehaves exactly as asked.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <glib-unix.h>

#include "atc-catalog.h"
#include "atc-demo-transport.h"
#include "atc-error.h"
#include "atc-session.h"
#include "atc-simulator.h"
#include "atc-test-util.h"
#include "atc-validate.h"

/* A safety net against a hung test, never what a test measures. */
#define WAIT_MS 60000
/* Quick replies keep the suite short; latency is tested on its own. */
#define DEMO_LATENCY_MS 2

/* --- Checks ---------------------------------------------------------- */

static void
assert_query (AtcSession *session,
              const char *command,
              const char *expected_first)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = atc_test_session_query (session, command, &error);

  g_assert_no_error (error);
  g_assert_nonnull (values);
  if (expected_first != NULL)
    g_assert_cmpstr (values[0], ==, expected_first);
}

static char *
log_text (AtcSession *session)
{
  return atc_transaction_log_to_text (atc_session_get_log (session));
}

/* TX entries of the log that are exactly `text` (line ending shown as
 * <CR><LF>). */
static guint
count_tx (AtcSession *session,
          const char *text)
{
  GListModel *log = G_LIST_MODEL (atc_session_get_log (session));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(AtcLogEntry) entry = g_list_model_get_item (log, i);

      if (atc_log_entry_get_direction (entry) == ATC_LOG_TX &&
          g_str_equal (atc_log_entry_get_text (entry), text))
        n++;
    }
  return n;
}

/* --- Units ------------------------------------------------------------ */

static AtcSimulator *
pty_simulator (const char  *model_id,
               char       **address)
{
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator = atc_simulator_new_for_model_id (model_id, 7, &error);
  const char *path;

  g_assert_no_error (error);
  path = atc_simulator_open_pty (simulator, &error);
  g_assert_no_error (error);
  *address = g_strdup_printf ("pty:%s?model=%s", path, model_id);
  return simulator;
}

/* A session on a unit on a pty. */
static AtcSession *
pty_session (const char    *model_id,
             AtcSimulator **simulator)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  AtcSession *session;

  *simulator = pty_simulator (model_id, &address);
  session = atc_session_new_for_address (address, &error);
  g_assert_no_error (error);
  return session;
}

/* A session through ser2net (*bridge) to a unit on a pty, or NULL with the
 * test skipped where ser2net is not installed. */
static AtcSession *
ser2net_session (const char      *model_id,
                 AtcSimulator   **simulator,
                 AtcTestSer2net **bridge)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pty_address = NULL;
  g_autofree char *address = NULL;
  g_autofree char *with_model = NULL;
  AtcSession *session;

  if (!atc_test_ser2net_available ())
    {
      g_test_skip ("ser2net is not installed (apt install ser2net)");
      return NULL;
    }

  *simulator = pty_simulator (model_id, &pty_address);
  *bridge = atc_test_ser2net_start (atc_simulator_get_pty_path (*simulator), "115200n81", &error);
  g_assert_no_error (error);
  address = atc_test_ser2net_dup_address (*bridge);
  with_model = g_strdup_printf ("%s?model=%s", address, model_id);
  session = atc_session_new_for_address (with_model, &error);
  g_assert_no_error (error);
  return session;
}

/* --- A scripted peer for the handshake's failure modes ----------------- */

typedef enum {
  PEER_SILENT,            /* never answers */
  PEER_NORMAL,            /* a proper handshake */
  PEER_A_NO_OK,           /* 'a' after "+++", then nothing */
  PEER_GARBAGE_FOR_A,     /* noise instead of 'a' */
  PEER_GARBAGE_FOR_OK,    /* 'a', then noise instead of "+ok" */
  PEER_STRAY_BEFORE_A,    /* a stray byte, then 'a' */
  PEER_STRAY_IN_DATA,     /* a stray byte on the line in data mode, then a proper handshake */
  PEER_COMMAND_MODE,      /* already in command mode: answers AT with OK */
} PeerScript;

#define TEST_TYPE_PEER_TRANSPORT (test_peer_transport_get_type ())
G_DECLARE_FINAL_TYPE (TestPeerTransport, test_peer_transport, TEST, PEER_TRANSPORT, AtcTransport)

struct _TestPeerTransport
{
  AtcTransport parent_instance;
  int          host_fd;
  int          peer_fd;
  guint        watch;
  PeerScript   script;
  GByteArray  *received;      /* everything the host sent */
  GPtrArray   *reads;         /* each read as it came: GBytes */
  gint64       last_rx_us;
  gint64       plus_gap_us;   /* silence before "+++" */
  gboolean     saw_plus;
  gboolean     answered_a;
};

G_DEFINE_FINAL_TYPE (TestPeerTransport, test_peer_transport, ATC_TYPE_TRANSPORT)

static void
peer_write (TestPeerTransport *self,
            const char        *data,
            gsize              len)
{
  g_assert_true (atc_test_write_fd_all (self->peer_fd, data, len, 5000));
}

static gboolean
on_peer_second_half (gpointer user_data)
{
  TestPeerTransport *self = user_data;
  const char *second = "w2Zp\r\n\r\nOK\r\n";

  if (self->peer_fd >= 0)
    peer_write (self, second, strlen (second));
  return G_SOURCE_REMOVE;
}

static gboolean
on_peer_readable (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  TestPeerTransport *self = user_data;
  guint8 buffer[512];
  gssize n = read (fd, buffer, sizeof buffer);
  gint64 now = g_get_monotonic_time ();
  gint64 gap = self->last_rx_us == 0 ? G_MAXINT64 : now - self->last_rx_us;

  if (n <= 0)
    {
      self->watch = 0;
      return G_SOURCE_REMOVE;
    }

  g_byte_array_append (self->received, buffer, n);
  g_ptr_array_add (self->reads, g_bytes_new (buffer, n));
  self->last_rx_us = now;

  if (self->script == PEER_COMMAND_MODE && n == 6 && memcmp (buffer, "AT+H\r\n", 6) == 0)
    {
      /* Help text, and no final OK: some units never print one. */
      const char *help = "AT+H\r\n\r\nAT+VER  firmware\r\nAT+CSQ  signal\r\nAT+Z  restart\r\n";

      peer_write (self, help, strlen (help));
      return G_SOURCE_CONTINUE;
    }

  if (self->script == PEER_COMMAND_MODE && n == 10 && memcmp (buffer, "AT+CMDPW\r\n", 10) == 0)
    {
      /* The password arrives in two reads. */
      const char *first = "AT+CMDPW\r\n\r\n+CMDPW:Qx7K";

      peer_write (self, first, strlen (first));
      /* The rest comes later, once the session has read the first half. */
      g_timeout_add (100, on_peer_second_half, self);
      return G_SOURCE_CONTINUE;
    }

  if (n == 4 && memcmp (buffer, "AT\r\n", 4) == 0)
    {
      if (self->script == PEER_COMMAND_MODE)
        peer_write (self, "AT\r\n\r\nOK\r\n\r\nOK\r\n", 16);
      else if (self->script == PEER_STRAY_IN_DATA)
        peer_write (self, "\x07", 1);
      return G_SOURCE_CONTINUE;
    }

  if (n == 3 && memcmp (buffer, "+++", 3) == 0)
    {
      self->saw_plus = TRUE;
      self->plus_gap_us = gap;
      switch (self->script)
        {
        case PEER_NORMAL:
        case PEER_A_NO_OK:
        case PEER_GARBAGE_FOR_OK:
        case PEER_STRAY_IN_DATA:
          peer_write (self, "a", 1);
          break;
        case PEER_GARBAGE_FOR_A:
          peer_write (self, "\xfe\x81\x93", 3);
          break;
        case PEER_STRAY_BEFORE_A:
          peer_write (self, "\x07" "a", 2);
          break;
        case PEER_SILENT:
        case PEER_COMMAND_MODE:
        default:
          break;
        }
      return G_SOURCE_CONTINUE;
    }

  if (n == 1 && buffer[0] == 'a')
    {
      self->answered_a = TRUE;
      if (self->script == PEER_NORMAL || self->script == PEER_STRAY_IN_DATA)
        peer_write (self, "+ok", 3);
      else if (self->script == PEER_GARBAGE_FOR_OK)
        peer_write (self, "\xfe\xfe\xfe", 3);
    }

  return G_SOURCE_CONTINUE;
}

static void
test_peer_transport_open_async (AtcTransport        *transport,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  TestPeerTransport *self = TEST_PEER_TRANSPORT (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  g_assert_true (g_unix_set_fd_nonblocking (fds[0], TRUE, NULL));
  g_assert_true (g_unix_set_fd_nonblocking (fds[1], TRUE, NULL));
  self->host_fd = fds[0];
  self->peer_fd = fds[1];
  self->watch = g_unix_fd_add (self->peer_fd, G_IO_IN, on_peer_readable, self);

  g_task_return_pointer (task, atc_transport_wrap_fd (transport, self->host_fd, "peer gone"),
                         g_object_unref);
}

static GIOStream *
test_peer_transport_open_finish (AtcTransport  *transport,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_peer_transport_close (AtcTransport *transport)
{
  TestPeerTransport *self = TEST_PEER_TRANSPORT (transport);

  g_clear_handle_id (&self->watch, g_source_remove);
  if (self->host_fd >= 0)
    close (self->host_fd);
  if (self->peer_fd >= 0)
    close (self->peer_fd);
  self->host_fd = self->peer_fd = -1;
}

static void
test_peer_transport_finalize (GObject *object)
{
  TestPeerTransport *self = TEST_PEER_TRANSPORT (object);

  g_byte_array_unref (self->received);
  g_ptr_array_unref (self->reads);
  G_OBJECT_CLASS (test_peer_transport_parent_class)->finalize (object);
}

static void
test_peer_transport_class_init (TestPeerTransportClass *klass)
{
  AtcTransportClass *transport_class = ATC_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_peer_transport_finalize;
  transport_class->open_async = test_peer_transport_open_async;
  transport_class->open_finish = test_peer_transport_open_finish;
  transport_class->close = test_peer_transport_close;
}

static void
test_peer_transport_init (TestPeerTransport *self)
{
  self->host_fd = self->peer_fd = -1;
  self->received = g_byte_array_new ();
  self->reads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

static AtcSession *
peer_session (PeerScript          script,
              TestPeerTransport **peer)
{
  g_autoptr(AtcAddress) address = atc_address_parse ("tcp:127.0.0.1:9", NULL);
  g_autoptr(TestPeerTransport) transport = g_object_new (TEST_TYPE_PEER_TRANSPORT,
                                                         "address", address, NULL);
  AtcSession *session;

  transport->script = script;
  *peer = transport;
  session = atc_session_new (ATC_TRANSPORT (transport));
  atc_session_set_model (session, atc_catalog_lookup (atc_catalog_get_default (), "g781"));
  return session;
}

/* --- Handshake -------------------------------------------------------- */

static void
check_handshake_ok (const char *model_id)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  GListModel *log;
  guint plus_index = G_MAXUINT;

  session = atc_test_demo_session (model_id, DEMO_LATENCY_MS, TRUE, &simulator);
  simulator = g_object_ref (simulator);
  g_assert_cmpint (atc_simulator_get_mode (simulator), ==, ATC_SIM_MODE_TRANSPARENT);

  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
  g_assert_cmpint (atc_simulator_get_mode (simulator), ==, ATC_SIM_MODE_COMMAND);

  /* "+++" and "a" went as writes of their own, "+++" without CR/LF. */
  g_assert_cmpuint (count_tx (session, "+++"), ==, 1);
  g_assert_cmpuint (count_tx (session, "a"), ==, 1);
  log = G_LIST_MODEL (atc_session_get_log (session));
  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(AtcLogEntry) entry = g_list_model_get_item (log, i);

      if (atc_log_entry_get_direction (entry) == ATC_LOG_TX &&
          g_str_equal (atc_log_entry_get_text (entry), "+++"))
        plus_index = i;
    }
  g_assert_cmpuint (plus_index, !=, G_MAXUINT);

  /* The handshake was not taken for data: only the probe reached the network. */
  data = atc_simulator_dup_data (simulator);
  g_assert_null (g_strstr_len (g_bytes_get_data (data, NULL), g_bytes_get_size (data), "+++"));

  /* Commands work right after it. */
  assert_query (session, "VER", atc_model_get_firmware (atc_simulator_get_model (simulator)));
}

static void
test_handshake_g781 (void)
{
  check_handshake_ok ("g781");
}

static void
test_handshake_m0 (void)
{
  check_handshake_ok ("m0");
}

static void
test_handshake_already_in_command_mode (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcSession) second = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);

  /* Closing the link leaves the unit in command mode, as a technician
   * unplugging the cable would. */
  atc_session_close (session);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_CLOSED);
  g_assert_cmpint (atc_simulator_get_mode (simulator), ==, ATC_SIM_MODE_COMMAND);
  atc_transaction_log_clear (atc_session_get_log (session));
  atc_simulator_clear_data (simulator);

  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
  g_assert_cmpuint (count_tx (session, "AT<CR><LF>"), ==, 1);
  g_assert_cmpuint (count_tx (session, "+++"), ==, 0);

  /* The G781 answers plain AT with OK twice; the second must not be
   * taken as the answer to the next command. */
  assert_query (session, "CSQ", NULL);
  assert_query (session, "VER", "V1.1.05");

  /* And through the scripted peer: no "+++" goes out at all. */
  {
    TestPeerTransport *peer;

    second = peer_session (PEER_COMMAND_MODE, &peer);
    g_assert_true (atc_test_session_connect (second, &error));
    g_assert_no_error (error);
    g_assert_false (peer->saw_plus);
    g_assert_cmpint (atc_session_get_state (second), ==, ATC_SESSION_COMMAND_MODE);
  }
}

/* From data mode, the handshake takes the silences the unit needs and
 * little more: the probe's wait doubles as the guard silence when nothing
 * answers it, and nothing is awaited after "+ok". */
static void
test_handshake_prompt (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;
  guint packing_ms;
  gint64 start, elapsed;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  packing_ms = atc_sim_unit_get_packing_ms (atc_simulator_get_unit (simulator));
  start = g_get_monotonic_time ();
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("command mode after %" G_GINT64_FORMAT " ms (packing interval %u ms)",
                  elapsed / 1000, packing_ms);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
  g_assert_cmpuint (count_tx (session, "AT<CR><LF>"), ==, 1);
  g_assert_cmpuint (count_tx (session, "+++"), ==, 1);
  /* Silence before "+++" and after it (the unit's framing), a margin,
   * and room for a loaded machine; a probe waiting its whole window
   * would take 500 ms on its own. */
  g_assert_cmpint (elapsed, <, (gint64) (2 * packing_ms + 250) * 1000);
  assert_query (session, "VER", "V1.1.05");
}

/* A unit already in command mode with echo off and a slow answer: the
 * probe meets silence, "+++" goes out and fails, and probing again finds
 * the unit (it answers "+++AT" with an error). */
static void
test_handshake_slow_silent_command_mode (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  const char *off[] = { "OFF", NULL };
  AtcSimulator *simulator;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  g_assert_true (atc_test_session_set (session, "E", off, &error));
  g_assert_no_error (error);
  atc_session_close (session);
  g_assert_cmpint (atc_simulator_get_mode (simulator), ==, ATC_SIM_MODE_COMMAND);
  atc_transaction_log_clear (atc_session_get_log (session));

  /* Slower than the guard time, quicker than the probe's window. */
  atc_simulator_set_latency_ms (simulator, 300);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
  g_assert_cmpuint (count_tx (session, "+++"), ==, 1);
  g_assert_cmpuint (count_tx (session, "AT<CR><LF>"), ==, 2);
  g_assert_cmpint (atc_simulator_get_mode (simulator), ==, ATC_SIM_MODE_COMMAND);

  /* The error to "+++AT" is not taken for the next answer. */
  atc_simulator_set_latency_ms (simulator, 2);
  assert_query (session, "VER", "V1.1.05");
  assert_query (session, "UARTFL", "1000");
}

static void
check_handshake_failure (PeerScript  script,
                         const char *must_mention)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  TestPeerTransport *peer;

  session = peer_session (script, &peer);
  g_assert_false (atc_test_session_connect (session, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_HANDSHAKE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, must_mention));
  /* The link stays open with the unit in data mode; nothing hangs. */
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_DATA_MODE);
  g_assert_true (peer->saw_plus);
}

static void
test_handshake_no_a (void)
{
  check_handshake_failure (PEER_SILENT, "baud");
}

static void
test_handshake_no_ok (void)
{
  check_handshake_failure (PEER_A_NO_OK, "+ok");
}

static void
test_handshake_garbage_for_a (void)
{
  check_handshake_failure (PEER_GARBAGE_FOR_A, "instead of “a”");
}

static void
test_handshake_garbage_for_ok (void)
{
  check_handshake_failure (PEER_GARBAGE_FOR_OK, "instead of “+ok”");
}

static void
test_handshake_stray_byte (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  TestPeerTransport *peer;
  guint packing_ms = 50;

  /* A stray byte before the 'a' spoils the handshake: a clear error. */
  check_handshake_failure (PEER_STRAY_BEFORE_A, "instead of “a”");

  /* A stray byte on the line in data mode is neither an answer to the
   * probe nor a reason to give up; "+++" still goes out as its own
   * write after more than the packing interval of silence. */
  session = peer_session (PEER_STRAY_IN_DATA, &peer);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  g_assert_true (peer->saw_plus);
  g_assert_cmpint (peer->plus_gap_us, >, (gint64) packing_ms * 1000);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
}

/* Replies as some units send them: AT+H without a final OK, a value
 * split across reads. */
static void
test_peer_replies (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcReply) help = NULL;
  g_auto(GStrv) values = NULL;
  g_autofree char *text = NULL;
  TestPeerTransport *peer;

  session = peer_session (PEER_COMMAND_MODE, &peer);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);

  /* Ends on silence, well before the command's 5 s timeout. */
  help = atc_test_session_execute (session, "H", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (help->lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (help->lines, 0), ==, "AT+VER  firmware");

  values = atc_test_session_query (session, "CMDPW", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (values[0], ==, "Qx7Kw2Zp");

  /* Logged by whole lines: neither half of the password shows. */
  text = log_text (session);
  g_assert_null (strstr (text, "Qx7K"));
  g_assert_null (strstr (text, "w2Zp"));
  g_assert_nonnull (strstr (text, "+CMDPW:•••"));
}

/* The unit at another baud rate: what comes back is noise. */
static void
test_handshake_wrong_baud (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;

  session = atc_test_demo_session ("m0", DEMO_LATENCY_MS, TRUE, &simulator);
  atc_simulator_set_host_baud (simulator, 9600);
  g_assert_false (atc_test_session_connect (session, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_HANDSHAKE);
  g_assert_cmpint (atc_simulator_get_mode (simulator), ==, ATC_SIM_MODE_TRANSPARENT);

  /* Once the rates agree, the same session gets in. */
  g_clear_error (&error);
  atc_simulator_set_host_baud (simulator, 0);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
}

/* --- Every command of both catalogs ------------------------------------ */

/* A valid value for a parameter, different from `avoid` where the
 * parameter allows it. */
static char *
pick_value (const AtcParam *param,
            const char     *avoid)
{
  switch (param->type)
    {
    case ATC_PARAM_ENUM:
      for (guint i = 0; param->choices[i] != NULL; i++)
        if (avoid == NULL || g_ascii_strcasecmp (param->choices[i], avoid) != 0)
          return g_strdup (param->choices[i]);
      return g_strdup (param->choices[0]);

    case ATC_PARAM_INT:
    case ATC_PARAM_PORT:
      {
        g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, param->min);

        if (avoid == NULL || !g_str_equal (min, avoid))
          return g_steal_pointer (&min);
        return g_strdup_printf ("%" G_GINT64_FORMAT, param->max);
      }

    case ATC_PARAM_HEX:
      return g_strdup ("0A1B2C");

    case ATC_PARAM_IPV4:
      return g_strdup ("10.1.2.3");

    case ATC_PARAM_HOST:
      return g_strdup ("example.org");

    case ATC_PARAM_MAC:
      return g_strdup ("D8B04C0A0B0C");

    case ATC_PARAM_STRING:
    default:
      {
        /* Characters that need escapes where the style carries them. */
        const char *text = param->escape == ATC_ESCAPE_NONE ? "Tq7x9zKpW2mR" : "T,q=7?x9zKpW";
        gsize len = CLAMP (6, (gsize) param->min, (gsize) param->max);

        return g_strndup (text, len);
      }
    }
}

static void
check_every_command (AtcSession   *session,
                     AtcSimulator *simulator)
{
  AtcModel *model = atc_session_get_model (session);
  GPtrArray *commands = atc_model_get_commands (model);
  guint n_queried = 0, n_set = 0, n_executed = 0;

  /* Settings the documents give no factory value for ("Module name (Not
   * certain)") start with a valid one, as a unit out of the box would. */
  for (guint c = 0; c < commands->len; c++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, c);
      g_autoptr(GPtrArray) preset = g_ptr_array_new_with_free_func (g_free);
      gboolean needed = FALSE;

      if (!(command->access & ATC_ACCESS_SET) || command->identity || command->live_status ||
          command->query_command != NULL)
        continue;
      for (guint i = 0; i < command->params->len; i++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, i);

          needed |= param->default_value == NULL && param->min > 0;
          g_ptr_array_add (preset, param->default_value != NULL
                                     ? g_strdup (param->default_value)
                                     : pick_value (param, NULL));
        }
      g_ptr_array_add (preset, NULL);
      if (needed)
        g_assert_true (atc_simulator_set_values (simulator, command->name,
                                                 (const char *const *) preset->pdata, NULL));
    }

  for (guint c = 0; c < commands->len; c++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, c);
      const char *name = command->name[0] != '\0' ? command->name : "AT";
      guint n_params = command->params != NULL ? command->params->len : 0;
      g_autoptr(GError) error = NULL;

      g_test_message ("AT+%s", name);

      if ((command->access & ATC_ACCESS_QUERY) && n_params > 0)
        {
          g_auto(GStrv) values = atc_test_session_query (session, name, &error);
          /* USERMAC reads back through AT+MAC. */
          g_auto(GStrv) truth = atc_simulator_dup_values (simulator,
                                                          command->query_command != NULL
                                                            ? command->query_command
                                                            : name,
                                                          NULL);

          g_assert_no_error (error);
          g_assert_cmpuint (g_strv_length (values), ==, n_params);
          /* Live status moves on; settings and identity must match. */
          if (!command->live_status && truth != NULL)
            for (guint i = 0; i < n_params; i++)
              g_assert_cmpstr (values[i], ==, truth[i]);
          n_queried++;
        }

      if (command->access & ATC_ACCESS_SET)
        {
          g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(GPtrArray) defaults = g_ptr_array_new_with_free_func (g_free);
          g_auto(GStrv) current = atc_simulator_dup_values (simulator, name, NULL);
          g_auto(GStrv) canonical = NULL;
          gboolean restorable = TRUE;

          for (guint i = 0; i < n_params; i++)
            {
              const AtcParam *param = g_ptr_array_index (command->params, i);

              g_ptr_array_add (wanted, pick_value (param, current != NULL ? current[i] : NULL));
              if (param->default_value != NULL && !param->default_outside_range)
                g_ptr_array_add (defaults, g_strdup (param->default_value));
              else
                restorable = FALSE;
            }
          g_ptr_array_add (wanted, NULL);
          g_ptr_array_add (defaults, NULL);

          canonical = atc_command_validate (command, (const char *const *) wanted->pdata, &error);
          g_assert_no_error (error);

          g_assert_true (atc_test_session_set (session, name, (const char *const *) wanted->pdata, &error));
          g_assert_no_error (error);
          n_set++;

          /* The unit holds what was sent, escapes decoded. */
          if ((command->access & ATC_ACCESS_QUERY) && !command->live_status)
            {
              g_auto(GStrv) back = atc_test_session_query (session, name, &error);

              g_assert_no_error (error);
              for (guint i = 0; i < n_params; i++)
                g_assert_cmpstr (back[i], ==, canonical[i]);
            }

          /* Back to the defaults: set with the catalog's values. */
          if (restorable)
            {
              g_assert_true (atc_test_session_set (session, name, (const char *const *) defaults->pdata,
                                          &error));
              g_assert_no_error (error);
            }
        }

      if ((command->access & ATC_ACCESS_EXECUTE) && !command->reboots &&
          !command->leaves_command_mode)
        {
          g_autoptr(AtcReply) reply = atc_test_session_execute (session, name, &error);

          g_assert_no_error (error);
          g_assert_nonnull (reply);
          g_assert_cmpint (reply->status, ==, ATC_REPLY_OK);
          if (command->multiline)
            g_assert_cmpuint (reply->lines->len, >, 0);
          n_executed++;
        }
    }

  g_test_message ("%u queries, %u sets, %u executes", n_queried, n_set, n_executed);
  g_assert_cmpuint (n_queried + n_set + n_executed, >, commands->len);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
}

static void
test_every_command_g781 (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  check_every_command (session, simulator);
}

static void
test_every_command_m0 (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;

  session = atc_test_demo_session ("m0", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  check_every_command (session, simulator);
}

/* A representative set: reads, a set with escapes, a multi-line read, an
 * error, and leaving command mode. */
static void
check_representative (AtcSession   *session,
                      AtcSimulator *simulator)
{
  const char *stmsg[] = { "Hi, there=?", NULL };
  const char *uartft[] = { "5", NULL };
  const char *uartft_ok[] = { "120", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcReply) help = NULL;
  g_autoptr(AtcReply) raw = NULL;
  g_auto(GStrv) truth = NULL;

  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);

  assert_query (session, "VER", "V1.1.05");
  assert_query (session, "CSQ", NULL);
  assert_query (session, "UART", "115200");

  g_assert_true (atc_test_session_set (session, "STMSG", stmsg, &error));
  g_assert_no_error (error);
  assert_query (session, "STMSG", "Hi, there=?");
  truth = atc_simulator_dup_values (simulator, "STMSG", NULL);
  g_assert_cmpstr (truth[0], ==, "Hi, there=?");

  /* Refused by our validation before anything is sent. */
  g_assert_false (atc_test_session_set (session, "UARTFT", uartft, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_true (atc_test_session_set (session, "UARTFT", uartft_ok, &error));
  g_assert_no_error (error);
  assert_query (session, "UARTFT", "120");

  help = atc_test_session_execute (session, "H", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (help->lines->len, >, 1);

  /* A raw console line the unit refuses comes back as a reply. */
  raw = atc_test_session_send_line (session, "AT+NOSUCH", &error);
  g_assert_no_error (error);
  g_assert_cmpint (raw->status, ==, ATC_REPLY_ERROR);
  g_assert_nonnull (raw->raw);
}

static void
test_pty (void)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;

  session = pty_session ("g781", &simulator);
  check_representative (session, simulator);
}

static void
test_ser2net (void)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcTestSer2net) bridge = NULL;

  session = ser2net_session ("g781", &simulator, &bridge);
  if (session == NULL)
    return;
  check_representative (session, simulator);
}

/* --- Timeouts, order, cancellation ----------------------------------- */

static void
test_timeout (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;
  AtcSimulator *simulator;
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;
  const char *stmsg[] = { "quiet", NULL };

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  atc_session_set_timeout_scale (session, 0.2);

  faults.silent = TRUE;
  atc_simulator_set_faults (simulator, &faults);

  /* A query is tried again (it changes nothing), then fails clearly. */
  values = atc_test_session_query (session, "CSQ", &error);
  g_assert_null (values);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "AT+CSQ"));
  g_assert_cmpuint (count_tx (session, "AT+CSQ<CR><LF>"), ==, 3);
  g_clear_error (&error);

  /* A set is sent once: the first one may have been applied. */
  g_assert_false (atc_test_session_set (session, "STMSG", stmsg, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_TIMEOUT);
  g_assert_cmpuint (count_tx (session, "AT+STMSG=quiet<CR><LF>"), ==, 1);
  g_clear_error (&error);

  /* The unit talks again: the session is still usable. */
  faults.silent = FALSE;
  atc_simulator_set_faults (simulator, &faults);
  assert_query (session, "VER", "V1.1.05");
}

typedef struct {
  GPtrArray *order;   /* command names, in the order their answers came */
  GPtrArray *errors;  /* GError* or NULL, parallel to order */
  guint      pending;
  gboolean   idle;    /* pending reached 0 */
} Batch;

typedef struct {
  Batch *batch;
  char  *name;
} BatchItem;

static void
on_batch_query (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BatchItem *item = user_data;
  GError *error = NULL;
  g_auto(GStrv) values = atc_session_query_finish (ATC_SESSION (source), result, &error);

  g_ptr_array_add (item->batch->order, g_strdup (item->name));
  g_ptr_array_add (item->batch->errors, error);
  item->batch->pending--;
  item->batch->idle = item->batch->pending == 0;
  g_free (item->name);
  g_free (item);
}

static void
queue_query (AtcSession   *session,
             Batch        *batch,
             const char   *name,
             GCancellable *cancellable)
{
  BatchItem *item = g_new0 (BatchItem, 1);

  item->batch = batch;
  item->name = g_strdup (name);
  batch->pending++;
  batch->idle = FALSE;
  atc_session_query_async (session, name, cancellable, on_batch_query, item);
}

static gboolean
batch_done (Batch *batch)
{
  return atc_test_run_until (&batch->idle, WAIT_MS);
}

static void
batch_init (Batch *batch)
{
  batch->order = g_ptr_array_new_with_free_func (g_free);
  batch->errors = g_ptr_array_new ();
  batch->pending = 0;
  batch->idle = TRUE;
}

static void
batch_clear (Batch *batch)
{
  for (guint i = 0; i < batch->errors->len; i++)
    if (g_ptr_array_index (batch->errors, i) != NULL)
      g_error_free (g_ptr_array_index (batch->errors, i));
  g_ptr_array_unref (batch->errors);
  g_ptr_array_unref (batch->order);
}

static void
test_queue_order (void)
{
  const char *names[] = { "VER", "CSQ", "SN", "IMEI", "ICCID", "UART", "APN", "WKMOD",
                          "NETMODE", "SOCKA" };
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;
  GPtrArray *log;
  Batch batch;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  batch_init (&batch);

  /* Queued before the link is even open: they wait for the connection. */
  atc_session_connect_async (session, NULL, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    queue_query (session, &batch, names[i], NULL);
  g_assert_true (batch_done (&batch));

  g_assert_cmpuint (batch.order->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (g_ptr_array_index (batch.order, i), ==, names[i]);
      g_assert_null (g_ptr_array_index (batch.errors, i));
    }

  /* One at a time on the wire, in the same order. */
  log = atc_simulator_get_log (simulator);
  g_assert_cmpuint (log->len, >=, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, log->len - G_N_ELEMENTS (names) + i);
      g_autofree char *expected = g_strdup_printf ("AT+%s", names[i]);

      g_assert_cmpstr (entry->line, ==, expected);
    }

  batch_clear (&batch);
}

static void
test_cancel_queued (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;
  GPtrArray *log;
  Batch batch;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  atc_simulator_clear_log (simulator);
  batch_init (&batch);

  queue_query (session, &batch, "VER", NULL);
  queue_query (session, &batch, "IMEI", cancellable);
  queue_query (session, &batch, "SN", NULL);
  g_cancellable_cancel (cancellable);
  g_assert_true (batch_done (&batch));

  /* The cancelled one answers first: it never waited for the wire. */
  g_assert_cmpstr (g_ptr_array_index (batch.order, 0), ==, "IMEI");
  g_assert_true (g_error_matches (g_ptr_array_index (batch.errors, 0),
                                  G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_cmpstr (g_ptr_array_index (batch.order, 1), ==, "VER");
  g_assert_null (g_ptr_array_index (batch.errors, 1));
  g_assert_cmpstr (g_ptr_array_index (batch.order, 2), ==, "SN");
  g_assert_null (g_ptr_array_index (batch.errors, 2));

  /* The unit never saw it. */
  log = atc_simulator_get_log (simulator);
  for (guint i = 0; i < log->len; i++)
    g_assert_cmpstr (((AtcSimLogEntry *) g_ptr_array_index (log, i))->line, !=, "AT+IMEI");

  batch_clear (&batch);
}

static void
on_command_executed (AtcSimulator *simulator,
                     gpointer      entry,
                     gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
test_cancel_in_flight (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;
  gboolean executed = FALSE;
  gulong handler;
  Batch batch;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  batch_init (&batch);

  /* The reply to IMEI is late: cancel it once the unit has the command. */
  atc_simulator_set_latency_ms (simulator, 400);
  handler = g_signal_connect (simulator, "command-executed", G_CALLBACK (on_command_executed),
                              &executed);
  queue_query (session, &batch, "IMEI", cancellable);
  g_assert_true (atc_test_run_until (&executed, WAIT_MS));
  g_signal_handler_disconnect (simulator, handler);
  g_cancellable_cancel (cancellable);

  /* The caller hears at once, long before the unit answers. */
  g_assert_true (batch_done (&batch));
  g_assert_true (g_error_matches (g_ptr_array_index (batch.errors, 0),
                                  G_IO_ERROR, G_IO_ERROR_CANCELLED));

  /* The late IMEI reply is drained, not taken for the next answer. */
  atc_simulator_set_latency_ms (simulator, 2);
  assert_query (session, "VER", "V1.1.05");
  assert_query (session, "UARTFL", "1000");

  batch_clear (&batch);
}

/* --- The link going away --------------------------------------------- */

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
on_disconnected (AtcSession   *session,
                 const GError *error,
                 gpointer      user_data)
{
  guint *count = user_data;

  g_assert_error (error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  (*count)++;
}

static void
check_unplug (AtcSession   *session,
              AtcSimulator *simulator)
{
  g_autoptr(GError) error = NULL;
  gboolean executed = FALSE;
  guint disconnected = 0;
  gint64 wall_start;
  double cpu_start, wall, cpu;
  Batch batch;

  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  batch_init (&batch);
  g_signal_connect (session, "disconnected", G_CALLBACK (on_disconnected), &disconnected);

  atc_simulator_set_latency_ms (simulator, 2000);
  g_signal_connect (simulator, "command-executed", G_CALLBACK (on_command_executed), &executed);
  queue_query (session, &batch, "VER", NULL);
  queue_query (session, &batch, "UART", NULL);
  queue_query (session, &batch, "E", NULL);
  g_assert_true (atc_test_run_until (&executed, WAIT_MS));

  /* The cable goes while VER waits for its answer. */
  atc_simulator_disconnect (simulator);
  g_assert_true (batch_done (&batch));
  for (guint i = 0; i < 3; i++)
    {
      const GError *e = g_ptr_array_index (batch.errors, i);

      g_test_message ("%s: %s", (char *) g_ptr_array_index (batch.order, i),
                      e != NULL ? e->message : "no error");
      g_assert_true (g_error_matches (e, ATC_ERROR, ATC_ERROR_DISCONNECTED));
    }
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_DISCONNECTED);
  g_assert_cmpuint (disconnected, ==, 1);

  /* Nothing spins on the dead link: the process idles. */
  cpu_start = cpu_seconds ();
  wall_start = g_get_monotonic_time ();
  atc_test_run_for (1000);
  wall = (g_get_monotonic_time () - wall_start) / 1e6;
  cpu = cpu_seconds () - cpu_start;
  g_test_message ("after unplug: %.3f s CPU in %.3f s", cpu, wall);
  g_assert_cmpfloat (cpu, <, wall * 0.5);

  /* New commands fail at once rather than hang. */
  {
    g_auto(GStrv) values = atc_test_session_query (session, "VER", &error);

    g_assert_null (values);
    g_assert_error (error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  }

  g_signal_handlers_disconnect_by_func (simulator, on_command_executed, &executed);
  batch_clear (&batch);
}

static void
test_unplug_demo (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  check_unplug (session, simulator);

  /* Plugged back in: the same session connects again. */
  atc_simulator_set_latency_ms (simulator, 2);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  assert_query (session, "VER", "V1.1.05");
}

static void
test_unplug_pty (void)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;

  session = pty_session ("m0", &simulator);
  check_unplug (session, simulator);
}

static void
test_ser2net_killed (void)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcTestSer2net) bridge = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;
  gboolean executed = FALSE;
  AtcTestWait w = { 0 };

  session = ser2net_session ("m0", &simulator, &bridge);
  if (session == NULL)
    return;
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);

  atc_simulator_set_latency_ms (simulator, 3000);
  g_signal_connect (simulator, "command-executed", G_CALLBACK (on_command_executed), &executed);
  atc_session_query_async (session, "VER", NULL, atc_test_wait_done, &w);
  g_assert_true (atc_test_run_until (&executed, WAIT_MS));
  atc_test_ser2net_kill (bridge);

  values = atc_session_query_finish (session, atc_test_wait_result (&w), &error);
  g_assert_null (values);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_DISCONNECTED);
  atc_test_wait_clear (&w);
  g_signal_handlers_disconnect_by_func (simulator, on_command_executed, &executed);
}

/* --- What the unit sends back ----------------------------------------- */

static void
test_garbage_and_echo (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;
  const char *echo_off[] = { "OFF", NULL };
  const char *sock[] = { "TCPS", "example.org", "4001", NULL };
  const char *apn[] = { "internet.m2m", "fieldtech", "pw-123", "1", NULL };

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);

  /* Noise before every reply. */
  faults.garbage = 1.0;
  atc_simulator_set_faults (simulator, &faults);
  assert_query (session, "VER", "V1.1.05");
  assert_query (session, "SOCKA", "TCPC");
  g_assert_true (atc_test_session_set (session, "SOCKA", sock, &error));
  g_assert_no_error (error);
  assert_query (session, "SOCKA", "TCPS");

  /* Echo upper-cased: never taken for the value. */
  faults.garbage = 0.0;
  faults.upper_echo = TRUE;
  atc_simulator_set_faults (simulator, &faults);
  g_assert_true (atc_test_session_set (session, "APN", apn, &error));
  g_assert_no_error (error);
  {
    g_auto(GStrv) values = atc_test_session_query (session, "APN", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (values[0], ==, "internet.m2m");
    g_assert_cmpstr (values[1], ==, "fieldtech");
    g_assert_cmpstr (values[2], ==, "pw-123");
  }

  /* Echo off. */
  faults.upper_echo = FALSE;
  atc_simulator_set_faults (simulator, &faults);
  g_assert_true (atc_test_session_set (session, "E", echo_off, &error));
  g_assert_no_error (error);
  g_assert_false (atc_sim_unit_get_echo (atc_simulator_get_unit (simulator)));
  assert_query (session, "E", "OFF");
  assert_query (session, "VER", "V1.1.05");
  assert_query (session, "SOCKA", "TCPS");
}

static void
test_unit_error (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcReply) reply = NULL;
  g_autoptr(AtcReply) refused = NULL;
  g_autoptr(AtcReply) fine = NULL;
  AtcSimulator *simulator;

  session = atc_test_demo_session ("m0", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);

  /* A console line the M0 does not know: its own words come back. */
  reply = atc_test_session_send_line (session, "AT+NOSUCH", &error);
  g_assert_no_error (error);
  g_assert_cmpint (reply->status, ==, ATC_REPLY_ERROR);
  g_assert_cmpstr (reply->raw, ==, "+ERR=-2");
  g_assert_cmpint (reply->error_code, ==, -2);

  refused = atc_test_session_send_line (session, "AT+UART=1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (refused->status, ==, ATC_REPLY_ERROR);

  /* Lines that would break the command line never leave. */
  g_assert_null (atc_test_session_send_line (session, "AT+VER;AT+Z", &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE);
  g_clear_error (&error);
  g_assert_null (atc_test_session_send_line (session, "AT+VER\r\nAT+Z", &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE);
  g_clear_error (&error);
  g_assert_null (atc_test_session_send_line (session, "  ", &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  fine = atc_test_session_send_line (session, "at+ver", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fine->status, ==, ATC_REPLY_OK);
  g_assert_cmpstr (fine->value, ==, "4016");
}

static void
test_unit_error_message (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;
  AtcModel *model;
  const char *values[] = { "1000", NULL };

  session = atc_test_demo_session ("m0", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);

  /* Ask the session to set a command the unit's firmware lacks: take a
   * model whose catalog has it but whose unit refuses it. */
  model = atc_catalog_lookup (atc_catalog_get_default (), "g781");
  atc_session_set_model (session, model);
  g_assert_false (atc_test_session_set (session, "UARTFL", values, &error));
  g_assert_error (error, ATC_ERROR, ATC_ERROR_UNIT_ERROR);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "AT+UARTFL=1000"));
  g_assert_nonnull (strstr (error->message, "ERR"));
}

/* --- Reboot ----------------------------------------------------------- */

static void
check_reboot (AtcSession   *session,
              AtcSimulator *simulator,
              const char   *command)
{
  const char *stmsg[] = { "BOOTED-OK", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcReply) reply = NULL;
  gboolean saw_rebooting = FALSE;
  AtcModel *model = atc_session_get_model (session);
  gboolean has_stmsg = atc_model_lookup (model, "STMSG") != NULL;

  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);

  if (has_stmsg)
    {
      g_assert_true (atc_test_session_set (session, "STMSG", stmsg, &error));
      g_assert_no_error (error);
    }
  else
    {
      const char *mid[] = { "BOOTED-OK", NULL };

      g_assert_true (atc_test_session_set (session, "MID", mid, &error));
      g_assert_no_error (error);
    }

  {
    AtcTestWait w = { 0 };

    atc_session_execute_async (session, command, NULL, atc_test_wait_done, &w);
    while (!w.done)
      {
        g_main_context_iteration (NULL, TRUE);
        if (atc_session_get_state (session) == ATC_SESSION_REBOOTING)
          saw_rebooting = TRUE;
      }
    reply = atc_session_execute_finish (session, w.result, &error);
    atc_test_wait_clear (&w);
  }

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_true (saw_rebooting);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
  g_assert_cmpint (atc_simulator_get_mode (simulator), ==, ATC_SIM_MODE_COMMAND);

  /* Settings survive the restart. */
  assert_query (session, has_stmsg ? "STMSG" : "MID", "BOOTED-OK");
}

static void
test_restart (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;
  const char *mid[] = { "AfterRestart", NULL };
  AtcTestWait w = { 0 };

  session = atc_test_demo_session ("m0", DEMO_LATENCY_MS, TRUE, &simulator);
  atc_simulator_set_reboot_ms (simulator, 200);
  atc_session_set_timeout_scale (session, 0.2);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  g_assert_true (atc_test_session_set (session, "MID", mid, &error));
  g_assert_no_error (error);

  atc_session_restart_async (session, NULL, atc_test_wait_done, &w);
  g_assert_true (atc_session_restart_finish (session, atc_test_wait_result (&w), &error));
  g_assert_no_error (error);
  atc_test_wait_clear (&w);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
  assert_query (session, "MID", "AfterRestart");
}

/* The catalog's reboot time is an upper bound (a G781 may take a minute to
 * register): a unit that is back in a second is followed at once, not after
 * the full minute. */
static void
test_reboot_followed_when_back (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcReply) reply = NULL;
  AtcSimulator *simulator;
  gint64 start;
  double seconds;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (atc_model_get_reboot_ms (atc_session_get_model (session)), >=, 60000);
  atc_simulator_set_reboot_ms (simulator, 500);

  start = g_get_monotonic_time ();
  reply = atc_test_session_execute (session, "Z", &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("back in command mode after %.1f s", seconds);

  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
  /* Far below the documented 60 s, with room for a loaded machine. */
  g_assert_cmpfloat (seconds, <, 30.0);
}

/* A unit that never comes back: a clear error, no hang. */
static void
test_reboot_no_return (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcReply) reply = NULL;
  AtcSimulator *simulator;

  session = atc_test_demo_session ("m0", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  atc_simulator_set_reboot_ms (simulator, 600000);
  atc_session_set_timeout_scale (session, 0.05);

  reply = atc_test_session_execute (session, "Z", &error);
  g_assert_null (reply);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_TIMEOUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "AT+Z"));
  /* The link is still there; the unit will be in data mode when it is back. */
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_DATA_MODE);
}

static void
test_reboot_g781 (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  AtcSimulator *simulator;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  atc_simulator_set_reboot_ms (simulator, 300);
  /* 60 s of catalog reboot time become 6 s. */
  atc_session_set_timeout_scale (session, 0.1);
  check_reboot (session, simulator, "Z");

  /* The welcome message was boot noise: logged, not taken for a reply. */
  text = log_text (session);
  g_assert_nonnull (strstr (text, "BOOTED-OK"));
}

static void
test_reboot_m0_reld (void)
{
  g_autoptr(AtcSession) session = NULL;
  AtcSimulator *simulator;

  session = atc_test_demo_session ("m0", DEMO_LATENCY_MS, TRUE, &simulator);
  atc_simulator_set_reboot_ms (simulator, 300);
  atc_session_set_timeout_scale (session, 0.2);
  /* RELD restores the defaults, so MID is not kept: check Z instead, and
   * that RELD also comes back. */
  check_reboot (session, simulator, "Z");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AtcReply) reply = atc_test_session_execute (session, "RELD", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (reply->value, ==, "rebooting...");
    g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
  }
}

/* Over TCP the unit's restart takes the connection with it. */
static void
test_reboot_tcp (void)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  guint16 port;
  guint disconnected = 0;

  simulator = atc_simulator_new_for_model_id ("m0", 3, &error);
  g_assert_no_error (error);
  atc_simulator_set_reboot_ms (simulator, 300);
  port = atc_simulator_listen_tcp (simulator, 0, &error);
  g_assert_no_error (error);
  address = g_strdup_printf ("tcp:127.0.0.1:%u?model=m0", port);
  session = atc_session_new_for_address (address, &error);
  g_assert_no_error (error);
  atc_session_set_timeout_scale (session, 0.2);
  g_signal_connect (session, "disconnected", G_CALLBACK (on_disconnected), &disconnected);

  check_reboot (session, simulator, "Z");
  g_assert_cmpuint (disconnected, ==, 0);
}

static void
test_leave (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimulator *simulator;

  session = atc_test_demo_session ("m0", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);

  g_assert_true (atc_test_session_leave (session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_DATA_MODE);
  g_assert_cmpint (atc_simulator_get_mode (simulator), ==, ATC_SIM_MODE_TRANSPARENT);

  /* The next command enters command mode again by itself. */
  assert_query (session, "VER", "4016");
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
}

/* --- Password mode ---------------------------------------------------- */

static void
test_password_mode (void)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *address = NULL;
  g_autofree char *with_password = NULL;
  g_autofree char *text = NULL;
  GPtrArray *log;

  simulator = pty_simulator ("g781", &address);
  with_password = g_strdup_printf ("%s&password=www.usr.cn%%23", address);
  session = atc_session_new_for_address (with_password, &error);
  g_assert_no_error (error);
  g_assert_true (atc_session_get_password_mode (session));

  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_PASSWORD_MODE);

  /* Transparent data keeps flowing meanwhile. */
  assert_query (session, "CSQ", NULL);
  assert_query (session, "NETMODE", NULL);
  assert_query (session, "VER", "V1.1.05");

  g_assert_cmpint (atc_simulator_get_mode (simulator), ==, ATC_SIM_MODE_TRANSPARENT);
  log = atc_simulator_get_log (simulator);
  g_assert_cmpuint (log->len, ==, 3);
  for (guint i = 0; i < log->len; i++)
    g_assert_true (((AtcSimLogEntry *) g_ptr_array_index (log, i))->transparent);

  /* No handshake and no command reached the network as data. */
  data = atc_simulator_dup_data (simulator);
  g_assert_cmpuint (g_bytes_get_size (data), ==, 0);
  g_assert_cmpuint (count_tx (session, "+++"), ==, 0);

  /* The password never shows in the log. */
  text = log_text (session);
  g_assert_null (strstr (text, "www.usr.cn#"));
  g_assert_nonnull (strstr (text, "•••AT+CSQ"));
}

static void
test_password_wrong (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;
  AtcSimulator *simulator;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  atc_session_set_command_password (session, "not-it#");
  atc_session_set_timeout_scale (session, 0.2);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);

  values = atc_test_session_query (session, "CSQ", &error);
  g_assert_null (values);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "password"));
  g_assert_null (strstr (error->message, "not-it#"));
}

/* --- Secrets ---------------------------------------------------------- */

static void
test_log_secrets (void)
{
  const char *cmdpw[] = { "Zq9#pass", NULL };
  const char *apn[] = { "corp.apn", "fielduser", "Apn$ecret7", "2", NULL };
  const char *cloud[] = { "00012345678901234567", "Cl0udPw8", NULL };
  const char *bad_apn[] = { "corp.apn", "fielduser", "Apn$ecret7", "9", NULL };
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  AtcSimulator *simulator;
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;

  session = atc_test_demo_session ("g781", DEMO_LATENCY_MS, TRUE, &simulator);
  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);

  /* Echoes upper-cased too. */
  faults.upper_echo = TRUE;
  atc_simulator_set_faults (simulator, &faults);

  g_assert_true (atc_test_session_set (session, "CMDPW", cmdpw, &error));
  g_assert_no_error (error);
  g_assert_true (atc_test_session_set (session, "APN", apn, &error));
  g_assert_no_error (error);
  g_assert_true (atc_test_session_set (session, "CLOUD", cloud, &error));
  g_assert_no_error (error);
  assert_query (session, "CMDPW", "Zq9#pass");
  assert_query (session, "APN", "corp.apn");
  assert_query (session, "CLOUD", "00012345678901234567");

  /* A refused value: the error names the command, never the secret. */
  g_assert_false (atc_test_session_set (session, "APN", bad_apn, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "Apn$ecret7"));
  g_clear_error (&error);

  /* Over the data channel with the new password. */
  g_assert_true (atc_test_session_leave (session, &error));
  g_assert_no_error (error);
  atc_session_set_command_password (session, "Zq9#pass");
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_PASSWORD_MODE);
  assert_query (session, "CSQ", NULL);
  assert_query (session, "APN", "corp.apn");

  text = log_text (session);
  g_test_message ("%s", text);
  g_assert_null (strstr (text, "Zq9#pass"));
  g_assert_null (strstr (text, "ZQ9#PASS"));
  g_assert_null (strstr (text, "Apn$ecret7"));
  g_assert_null (strstr (text, "Cl0udPw8"));
  /* What is not secret stays readable. */
  g_assert_nonnull (strstr (text, "corp.apn"));
  g_assert_nonnull (strstr (text, "fielduser"));
  g_assert_nonnull (strstr (text, "00012345678901234567"));
}

static void
test_log_redact_function (void)
{
  const char *secrets[] = { "pw", "pwlong", "", NULL };
  g_autofree char *a = atc_transaction_log_redact ("AT+X=pwlong,PW,x", secrets);
  g_autofree char *b = atc_transaction_log_redact ("nothing here", NULL);

  g_assert_cmpstr (a, ==, "AT+X=•••,•••,x");
  g_assert_cmpstr (b, ==, "nothing here");
}

static void
test_log_bounded (void)
{
  g_autoptr(AtcTransactionLog) log = atc_transaction_log_new (3);
  g_autoptr(AtcLogEntry) first = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *line = g_strdup_printf ("AT+%u\r\n", i);

      atc_transaction_log_append (log, ATC_LOG_TX, (const guint8 *) line, strlen (line));
    }
  atc_transaction_log_append (log, ATC_LOG_RX, (const guint8 *) "\xff\x01ok", 4);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 3);
  first = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_cmpstr (atc_log_entry_get_text (first), ==, "AT+3<CR><LF>");

  text = atc_transaction_log_to_text (log);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, " < <FF><01>ok\n"));
  g_assert_nonnull (strstr (text, " > AT+4<CR><LF>\n"));
}

/* --- Addresses --------------------------------------------------------- */

static void
test_address (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcSession) bad = NULL;

  session = atc_session_new_for_address ("demo:m0", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atc_model_get_id (atc_session_get_model (session)), ==, "m0");
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_CLOSED);

  bad = atc_session_new_for_address ("tcp:127.0.0.1:2000?model=g999", &error);
  g_assert_null (bad);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_ADDRESS);
  g_clear_error (&error);

  bad = atc_session_new_for_address ("nonsense::", &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/handshake/g781", test_handshake_g781);
  g_test_add_func ("/session/handshake/m0", test_handshake_m0);
  g_test_add_func ("/session/handshake/already-command-mode",
                   test_handshake_already_in_command_mode);
  g_test_add_func ("/session/handshake/prompt", test_handshake_prompt);
  g_test_add_func ("/session/handshake/slow-silent-command-mode",
                   test_handshake_slow_silent_command_mode);
  g_test_add_func ("/session/handshake/no-a", test_handshake_no_a);
  g_test_add_func ("/session/handshake/no-ok", test_handshake_no_ok);
  g_test_add_func ("/session/handshake/garbage-for-a", test_handshake_garbage_for_a);
  g_test_add_func ("/session/handshake/garbage-for-ok", test_handshake_garbage_for_ok);
  g_test_add_func ("/session/handshake/stray-byte", test_handshake_stray_byte);
  g_test_add_func ("/session/handshake/wrong-baud", test_handshake_wrong_baud);
  g_test_add_func ("/session/replies/peer", test_peer_replies);
  g_test_add_func ("/session/commands/g781", test_every_command_g781);
  g_test_add_func ("/session/commands/m0", test_every_command_m0);
  g_test_add_func ("/session/link/pty", test_pty);
  g_test_add_func ("/session/link/ser2net", test_ser2net);
  g_test_add_func ("/session/timeout", test_timeout);
  g_test_add_func ("/session/queue/order", test_queue_order);
  g_test_add_func ("/session/queue/cancel-queued", test_cancel_queued);
  g_test_add_func ("/session/queue/cancel-in-flight", test_cancel_in_flight);
  g_test_add_func ("/session/unplug/demo", test_unplug_demo);
  g_test_add_func ("/session/unplug/pty", test_unplug_pty);
  g_test_add_func ("/session/unplug/ser2net-killed", test_ser2net_killed);
  g_test_add_func ("/session/replies/garbage-and-echo", test_garbage_and_echo);
  g_test_add_func ("/session/replies/unit-error", test_unit_error);
  g_test_add_func ("/session/replies/unit-error-message", test_unit_error_message);
  g_test_add_func ("/session/reboot/g781", test_reboot_g781);
  g_test_add_func ("/session/reboot/m0", test_reboot_m0_reld);
  g_test_add_func ("/session/reboot/tcp", test_reboot_tcp);
  g_test_add_func ("/session/reboot/restart", test_restart);
  g_test_add_func ("/session/reboot/no-return", test_reboot_no_return);
  g_test_add_func ("/session/reboot/followed-when-back", test_reboot_followed_when_back);
  g_test_add_func ("/session/leave", test_leave);
  g_test_add_func ("/session/password/mode", test_password_mode);
  g_test_add_func ("/session/password/wrong", test_password_wrong);
  g_test_add_func ("/session/log/secrets", test_log_secrets);
  g_test_add_func ("/session/log/redact", test_log_redact_function);
  g_test_add_func ("/session/log/bounded", test_log_bounded);
  g_test_add_func ("/session/address", test_address);

  return g_test_run ();
}
