/* test-bounds.c: a unit that never stops talking costs bounded memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scripted peer answers the probe like a unit in command mode, then
 * answers a command with an endless stream: one line of a megabyte and
 * more without CR or LF, line noise, or transparent data in short lines.
 * 50 MB go past while the session waits for its reply. The command must
 * fail with ATC_ERROR_OVERFLOW or ATC_ERROR_TIMEOUT (never hang, never
 * succeed on garbage), the session must work again once the stream stops,
 * and the process's resident memory (VmRSS) must grow by less than 8 MB.
 * The same holds for a monitor polling through such a stream, and for the
 * transaction log, which keeps a bounded number of bounded entries.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>

#include "atc-catalog.h"
#include "atc-error.h"
#include "atc-monitor.h"
#include "atc-session.h"
#include "atc-test-util.h"

#define WAIT_MS         120000
#define STREAM_TOTAL    (50u * 1024 * 1024)
#ifndef __SANITIZE_ADDRESS__
/* memcheck (meson test --setup valgrind) keeps 20 MB of freed blocks to
 * catch late use and counts its own memory in VmRSS: no bound there
 * either. */
#define GROWTH_LIMIT_KB \
  (g_getenv ("ATC_TEST_UNDER_VALGRIND") != NULL ? G_MAXSIZE : (gsize) 8 * 1024)
#else
/* Under AddressSanitizer freed blocks wait in quarantine and every block
 * carries redzones, so resident memory no longer shows whether buffers
 * are bounded (+15 MB here with an 8 MB quarantine). build-aux/run-sanitizers
 * looks for memory errors in these streams; the main run checks the bound. */
#define GROWTH_LIMIT_KB G_MAXSIZE
#endif
#define CHUNK_SIZE      65536

/* Resident memory now, in kB. */
static gsize
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "\nVmRSS:");
  if (line == NULL)
    return 0;
  return (gsize) g_ascii_strtoull (line + 7, NULL, 10);
}

/* --- The streaming peer ------------------------------------------------- */

typedef enum {
  STREAM_LONG_LINE,   /* 'x' forever: one line that never ends */
  STREAM_NOISE,       /* bytes 0x80..0xff forever, never CR or LF */
  STREAM_DATA_LINES,  /* transparent data in short CR LF lines */
} StreamKind;

static const char *const stream_names[] = { "long-line", "noise", "data-lines" };

#define TEST_TYPE_STREAM_PEER (test_stream_peer_get_type ())
G_DECLARE_FINAL_TYPE (TestStreamPeer, test_stream_peer, TEST, STREAM_PEER, AtcTransport)

struct _TestStreamPeer
{
  AtcTransport parent_instance;
  int          host_fd;
  int          peer_fd;
  guint        in_watch;
  guint        out_watch;
  GString     *line;       /* what the host sent since its last CR/LF */
  StreamKind   kind;
  const char  *trigger;    /* the command line that starts the stream */
  gboolean     streaming;
  guint64      streamed;
  guint64      total;
  guint8      *chunk;       /* CHUNK_SIZE bytes */
  gsize        chunk_len;
  gsize        chunk_off;
  gsize        peak_kb;
};

G_DEFINE_FINAL_TYPE (TestStreamPeer, test_stream_peer, ATC_TYPE_TRANSPORT)

static void
fill_chunk (TestStreamPeer *self)
{
  switch (self->kind)
    {
    case STREAM_LONG_LINE:
      memset (self->chunk, 'x', CHUNK_SIZE);
      break;
    case STREAM_NOISE:
      for (gsize i = 0; i < CHUNK_SIZE; i++)
        self->chunk[i] = 0x80 | (guint8) ((i * 131 + 7) & 0x7f);
      break;
    case STREAM_DATA_LINES:
      for (gsize i = 0; i < CHUNK_SIZE; i += 64)
        {
          memset (self->chunk + i, 'D', 62);
          self->chunk[i + 62] = '\r';
          self->chunk[i + 63] = '\n';
        }
      break;
    default:
      g_assert_not_reached ();
    }
  self->chunk_len = CHUNK_SIZE;
}

static gboolean
on_peer_writable (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  TestStreamPeer *self = user_data;

  /* A few chunks per wake-up, so the session reads in between. */
  for (guint round = 0; round < 4 && self->streamed < self->total; round++)
    {
      gsize want = MIN (self->chunk_len - self->chunk_off, self->total - self->streamed);
      gssize n = write (fd, self->chunk + self->chunk_off, want);

      if (n < 0)
        {
          if (errno == EAGAIN || errno == EINTR)
            return G_SOURCE_CONTINUE;
          self->out_watch = 0;
          return G_SOURCE_REMOVE;
        }
      self->streamed += n;
      self->chunk_off = (self->chunk_off + n) % self->chunk_len;
    }

  if (self->streamed >= self->total)
    {
      self->streaming = FALSE;
      self->out_watch = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
peer_write (TestStreamPeer *self,
            const char     *text)
{
  g_assert_true (atc_test_write_fd_all (self->peer_fd, text, strlen (text), 5000));
}

static void
peer_line (TestStreamPeer *self,
           const char     *line)
{
  if (self->streaming)
    return;

  if (self->trigger != NULL && g_str_equal (line, self->trigger))
    {
      /* The echo, then the stream instead of a reply. */
      peer_write (self, line);
      peer_write (self, "\r\n");
      self->streaming = TRUE;
      self->streamed = 0;
      self->chunk_off = 0;
      self->out_watch = g_unix_fd_add (self->peer_fd, G_IO_OUT, on_peer_writable, self);
      return;
    }

  /* Anything else: answered as the M0 answers, so the session gets in
   * (the probe) and recovers (the command after the stream). */
  peer_write (self, line);
  if (g_str_equal (line, "AT+VER"))
    peer_write (self, "\r\n\r\n+OK=4016\r\n");
  else if (g_str_equal (line, "AT+SOCKLK"))
    peer_write (self, "\r\n\r\n+OK=Connected\r\n");
  else
    peer_write (self, "\r\n\r\n+OK\r\n");
}

static gboolean
on_peer_readable (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  TestStreamPeer *self = user_data;
  char buffer[1024];
  gssize n = read (fd, buffer, sizeof buffer);

  if (n <= 0)
    {
      self->in_watch = 0;
      return G_SOURCE_REMOVE;
    }

  for (gssize i = 0; i < n; i++)
    {
      if (buffer[i] == '\r' || buffer[i] == '\n')
        {
          if (self->line->len > 0)
            {
              g_autofree char *line = g_strdup (self->line->str);

              g_string_truncate (self->line, 0);
              peer_line (self, line);
            }
        }
      else
        g_string_append_c (self->line, buffer[i]);
    }
  return G_SOURCE_CONTINUE;
}

static void
test_stream_peer_open_async (AtcTransport        *transport,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  TestStreamPeer *self = TEST_STREAM_PEER (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  g_assert_true (g_unix_set_fd_nonblocking (fds[0], TRUE, NULL));
  g_assert_true (g_unix_set_fd_nonblocking (fds[1], TRUE, NULL));
  self->host_fd = fds[0];
  self->peer_fd = fds[1];
  self->in_watch = g_unix_fd_add (self->peer_fd, G_IO_IN, on_peer_readable, self);

  g_task_return_pointer (task, atc_transport_wrap_fd (transport, self->host_fd, "peer gone"),
                         g_object_unref);
}

static GIOStream *
test_stream_peer_open_finish (AtcTransport  *transport,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_stream_peer_close (AtcTransport *transport)
{
  TestStreamPeer *self = TEST_STREAM_PEER (transport);

  g_clear_handle_id (&self->in_watch, g_source_remove);
  g_clear_handle_id (&self->out_watch, g_source_remove);
  if (self->host_fd >= 0)
    close (self->host_fd);
  if (self->peer_fd >= 0)
    close (self->peer_fd);
  self->host_fd = self->peer_fd = -1;
  self->streaming = FALSE;
}

static void
test_stream_peer_finalize (GObject *object)
{
  TestStreamPeer *self = TEST_STREAM_PEER (object);

  g_string_free (self->line, TRUE);
  g_free (self->chunk);
  G_OBJECT_CLASS (test_stream_peer_parent_class)->finalize (object);
}

static void
test_stream_peer_class_init (TestStreamPeerClass *klass)
{
  AtcTransportClass *transport_class = ATC_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_stream_peer_finalize;
  transport_class->open_async = test_stream_peer_open_async;
  transport_class->open_finish = test_stream_peer_open_finish;
  transport_class->close = test_stream_peer_close;
}

static void
test_stream_peer_init (TestStreamPeer *self)
{
  self->host_fd = self->peer_fd = -1;
  self->line = g_string_new (NULL);
  self->chunk = g_malloc (CHUNK_SIZE);
}

static AtcSession *
stream_session (StreamKind       kind,
                const char      *trigger,
                TestStreamPeer **peer)
{
  g_autoptr(AtcAddress) address = atc_address_parse ("tcp:127.0.0.1:9", NULL);
  g_autoptr(TestStreamPeer) transport = g_object_new (TEST_TYPE_STREAM_PEER, "address", address, NULL);
  AtcSession *session;

  transport->kind = kind;
  transport->trigger = trigger;
  transport->total = STREAM_TOTAL;
  fill_chunk (transport);
  *peer = transport;
  session = atc_session_new (ATC_TRANSPORT (transport));
  atc_session_set_model (session, atc_catalog_lookup (atc_catalog_get_default (), "m0"));
  atc_session_set_timeout_scale (session, 0.2);
  return session;
}

/* --- Watching memory ---------------------------------------------------- */

typedef struct {
  gsize base_kb;
  gsize peak_kb;
} Memory;

static gboolean
on_sample_memory (gpointer user_data)
{
  Memory *memory = user_data;

  memory->peak_kb = MAX (memory->peak_kb, rss_kb ());
  return G_SOURCE_CONTINUE;
}

/* The log holds what it may: at most its capacity, each entry bounded. */
static void
check_log_bounded (AtcSession *session,
                   const char *what)
{
  GListModel *log = G_LIST_MODEL (atc_session_get_log (session));
  guint n = g_list_model_get_n_items (log);
  gsize total = 0, longest = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtcLogEntry) entry = g_list_model_get_item (log, i);
      gsize len = strlen (atc_log_entry_get_text (entry));

      total += len;
      longest = MAX (longest, len);
    }
  g_test_message ("%s: the log holds %u entries, %" G_GSIZE_FORMAT " bytes of text, "
                  "the longest %" G_GSIZE_FORMAT, what, n, total, longest);
  if (g_getenv ("BOUNDS_REPORT_ONLY") != NULL)
    return;
  g_assert_cmpuint (n, <=, 5000);
  g_assert_cmpuint (total, <, 4 * 1024 * 1024);
}

/* --- Cases -------------------------------------------------------------- */

typedef struct {
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
on_wait_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
  w->done = TRUE;
}

static void
test_query_through_stream (gconstpointer data)
{
  StreamKind kind = GPOINTER_TO_UINT (data);
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;
  TestStreamPeer *peer;
  Memory memory = { 0 };
  guint sampler;
  gint64 start;
  Wait w = { 0 };

  session = stream_session (kind, "AT+MID", &peer);
  atc_session_connect_async (session, NULL, on_wait_done, &w);
  g_assert_true (atc_test_run_until (&w.done, WAIT_MS));
  g_assert_true (atc_session_connect_finish (session, w.result, &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);
  w.done = FALSE;

  memory.base_kb = memory.peak_kb = rss_kb ();
  g_assert_cmpuint (memory.base_kb, >, 0);
  sampler = g_timeout_add (20, on_sample_memory, &memory);
  start = g_get_monotonic_time ();

  atc_session_query_async (session, "MID", NULL, on_wait_done, &w);
  g_assert_true (atc_test_run_until (&w.done, WAIT_MS));
  values = atc_session_query_finish (session, w.result, &error);
  g_clear_object (&w.result);
  w.done = FALSE;

  g_assert_null (values);
  g_test_message ("%s: %s after %.1f s: %s", stream_names[kind],
                  g_error_matches (error, ATC_ERROR, ATC_ERROR_OVERFLOW) ? "OVERFLOW" : "error",
                  (g_get_monotonic_time () - start) / 1e6, error->message);
  g_assert_true (g_error_matches (error, ATC_ERROR, ATC_ERROR_OVERFLOW) ||
                 g_error_matches (error, ATC_ERROR, ATC_ERROR_TIMEOUT));
  g_clear_error (&error);

  /* Let the rest of the 50 MB go past with nobody waiting. */
  while (peer->streaming)
    g_main_context_iteration (NULL, TRUE);
  on_sample_memory (&memory);
  g_source_remove (sampler);

  g_test_message ("%s: %" G_GUINT64_FORMAT " MB streamed; VmRSS %" G_GSIZE_FORMAT " kB -> peak %"
                  G_GSIZE_FORMAT " kB (+%" G_GSIZE_FORMAT " kB)", stream_names[kind],
                  peer->streamed >> 20, memory.base_kb, memory.peak_kb,
                  memory.peak_kb - memory.base_kb);
  g_assert_cmpuint (peer->streamed, ==, STREAM_TOTAL);
  check_log_bounded (session, stream_names[kind]);
  g_assert_cmpuint (memory.peak_kb - memory.base_kb, <, GROWTH_LIMIT_KB);

  /* The stream is over: the next command is answered. */
  atc_session_query_async (session, "VER", NULL, on_wait_done, &w);
  g_assert_true (atc_test_run_until (&w.done, WAIT_MS));
  values = atc_session_query_finish (session, w.result, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_cmpstr (values[0], ==, "4016");
}

typedef struct {
  guint samples;
  guint lost;
} MonitorCount;

static void
on_sample (AtcMonitor      *monitor,
           const AtcSample *sample,
           gpointer         user_data)
{
  ((MonitorCount *) user_data)->samples++;
}

static void
on_event (AtcMonitor      *monitor,
          AtcMonitorEvent *event,
          gpointer         user_data)
{
  if (atc_monitor_event_get_kind (event) == ATC_MONITOR_EVENT_UNIT_LOST)
    ((MonitorCount *) user_data)->lost++;
}

/* A monitor polls the M0's socket link; the unit starts streaming in the
 * middle of a poll. */
static void
test_monitor_through_stream (gconstpointer data)
{
  StreamKind kind = GPOINTER_TO_UINT (data);
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  TestStreamPeer *peer;
  MonitorCount count = { 0 };
  Memory memory = { 0 };
  guint sampler;
  guint64 polls;
  gint64 deadline;
  Wait w = { 0 };

  session = stream_session (kind, NULL, &peer);
  monitor = atc_monitor_new_with_capacity (session, 1000);
  atc_monitor_set_interval (monitor, 0);
  atc_monitor_set_reconnect_delays (monitor, 50, 200);
  g_signal_connect (monitor, "sample", G_CALLBACK (on_sample), &count);
  g_signal_connect (monitor, "event", G_CALLBACK (on_event), &count);
  atc_monitor_start_async (monitor, NULL, on_wait_done, &w);
  g_assert_true (atc_test_run_until (&w.done, WAIT_MS));
  g_assert_true (atc_monitor_start_finish (monitor, w.result, &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);

  memory.base_kb = memory.peak_kb = rss_kb ();
  sampler = g_timeout_add (20, on_sample_memory, &memory);

  /* The next poll's query starts the stream. */
  peer->trigger = "AT+SOCKLK";
  while (!peer->streaming)
    g_main_context_iteration (NULL, TRUE);
  while (peer->streaming)
    g_main_context_iteration (NULL, TRUE);
  on_sample_memory (&memory);
  g_source_remove (sampler);
  peer->trigger = NULL;

  g_test_message ("monitor %s: VmRSS %" G_GSIZE_FORMAT " kB -> peak %" G_GSIZE_FORMAT
                  " kB (+%" G_GSIZE_FORMAT " kB); %u samples, %u losses, %u events",
                  stream_names[kind], memory.base_kb, memory.peak_kb,
                  memory.peak_kb - memory.base_kb, count.samples, count.lost,
                  g_list_model_get_n_items (atc_monitor_get_events (monitor)));
  g_assert_cmpuint (memory.peak_kb - memory.base_kb, <, GROWTH_LIMIT_KB);
  g_assert_cmpuint (g_list_model_get_n_items (atc_monitor_get_events (monitor)), <=,
                    ATC_MONITOR_MAX_EVENTS);
  check_log_bounded (session, "monitor");

  /* The stream is over: samples come again. */
  polls = atc_monitor_get_n_polls (monitor);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((atc_monitor_get_n_polls (monitor) < polls + 2 ||
          atc_monitor_get_state (monitor) != ATC_MONITOR_RUNNING) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (atc_monitor_get_n_polls (monitor), >=, polls + 2);
  g_assert_cmpint (atc_monitor_get_state (monitor), ==, ATC_MONITOR_RUNNING);
  atc_monitor_stop (monitor);
}

/* Straight into the log: entries and their text stay bounded whatever is
 * appended. */
static void
test_log_direct (void)
{
  g_autoptr(AtcTransactionLog) log = atc_transaction_log_new (0);
  g_autofree guint8 *block = g_malloc (64 * 1024);
  gsize base = rss_kb ();
  gsize total = 0, n = 0;

  for (gsize i = 0; i < 64 * 1024; i++)
    block[i] = 0x80 | (guint8) (i & 0x7f);
  for (guint i = 0; i < 800; i++)
    atc_transaction_log_append (log, ATC_LOG_RX, block, 64 * 1024);

  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtcLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      total += strlen (atc_log_entry_get_text (entry));
    }
  g_test_message ("50 MB appended: %" G_GSIZE_FORMAT " entries, %" G_GSIZE_FORMAT
                  " bytes of text, VmRSS +%" G_GSIZE_FORMAT " kB", n, total, rss_kb () - base);
  g_assert_cmpuint (total, <, 4 * 1024 * 1024);
  g_assert_cmpuint (rss_kb () - base, <, GROWTH_LIMIT_KB);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (StreamKind kind = STREAM_LONG_LINE; kind <= STREAM_DATA_LINES; kind++)
    {
      g_autofree char *query = g_strdup_printf ("/bounds/query/%s", stream_names[kind]);
      g_autofree char *monitor = g_strdup_printf ("/bounds/monitor/%s", stream_names[kind]);

      g_test_add_data_func (query, GUINT_TO_POINTER (kind), test_query_through_stream);
      g_test_add_data_func (monitor, GUINT_TO_POINTER (kind), test_monitor_through_stream);
    }
  g_test_add_func ("/bounds/log/direct", test_log_direct);

  return g_test_run ();
}
