/* atc-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* posix_openpt(), ptsname_r() */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atc-demo-transport.h"
#include "atc-test-util.h"

/* How long each wait for a fd blocks before the main context gets another
 * turn: short, so that the other end (driven by the context) keeps up. */
#define FD_SLICE_MS 5

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
atc_test_run_until (const gboolean *flag,
                    guint           timeout_ms)
{
  GMainContext *context = g_main_context_get_thread_default ();
  g_autoptr (GSource) timer = g_timeout_source_new (timeout_ms);
  gboolean expired = FALSE;

  g_source_set_callback (timer, set_flag_cb, &expired, NULL);
  g_source_attach (timer, context);

  while (!*flag && !expired)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timer);
  return *flag;
}

void
atc_test_run_for (guint ms)
{
  gboolean never = FALSE;

  atc_test_run_until (&never, ms);
}

int
atc_test_open_pty (char  **slave_path,
                   GError **error)
{
  int master;
  char name[128];

  g_return_val_if_fail (slave_path != NULL, -1);

  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt (master) != 0 || unlockpt (master) != 0 ||
      ptsname_r (master, name, sizeof name) != 0 ||
      !g_unix_set_fd_nonblocking (master, TRUE, NULL))
    {
      int errsv = errno;

      if (master >= 0)
        close (master);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "cannot open a pseudo-terminal: %s", g_strerror (errsv));
      return -1;
    }

  *slave_path = g_strdup (name);
  return master;
}

static gboolean
wait_fd (int    fd,
         short  events,
         gint64 deadline)
{
  GMainContext *context = g_main_context_get_thread_default ();
  struct pollfd pfd = { fd, events, 0 };

  while (g_main_context_iteration (context, FALSE))
    ;
  if (g_get_monotonic_time () > deadline)
    return FALSE;
  poll (&pfd, 1, FD_SLICE_MS);
  return TRUE;
}

gboolean
atc_test_write_fd_all (int         fd,
                       const void *data,
                       gsize       len,
                       guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  const guint8 *p = data;
  gsize done = 0;

  while (done < len)
    {
      gssize n = write (fd, p + done, len - done);

      if (n > 0)
        {
          done += n;
          continue;
        }
      if (n < 0 && errno != EAGAIN && errno != EINTR)
        return FALSE;
      if (!wait_fd (fd, POLLOUT, deadline))
        return FALSE;
    }

  return TRUE;
}

gboolean
atc_test_read_fd_exact (int    fd,
                        void  *buffer,
                        gsize  len,
                        gsize *got,
                        guint  timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint8 *p = buffer;
  gsize done = 0;
  gboolean ok = TRUE;

  while (done < len)
    {
      gssize n = read (fd, p + done, len - done);

      if (n > 0)
        {
          done += n;
          continue;
        }
      /* A pty master reads EIO while no slave is open: the end. */
      if (n == 0 || (errno != EAGAIN && errno != EINTR))
        {
          ok = FALSE;
          break;
        }
      if (!wait_fd (fd, POLLIN, deadline))
        {
          ok = FALSE;
          break;
        }
    }

  if (got != NULL)
    *got = done;
  return ok;
}

guint16
atc_test_free_tcp_port (void)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, any_port, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  g_assert_nonnull (bound);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* ------------------------------------------------------------------ */

struct _AtcTestSer2net
{
  GSubprocess *process;
  char        *dir;
  char        *config;
  char        *log;
  guint16      port;
};

gboolean
atc_test_ser2net_available (void)
{
  return g_file_test (ATC_TEST_SER2NET_PATH, G_FILE_TEST_IS_EXECUTABLE);
}

/* ser2net opens the device only when a client connects, so connecting to
 * probe readiness would leave a session half closed under the real client.
 * The kernel's socket table says when the port listens, with no side
 * effect. */
static gboolean
loopback_port_listens (guint16 port)
{
  g_autofree char *table = NULL;
  g_autofree char *needle = g_strdup_printf (" 0100007F:%04X 00000000:0000 0A ", port);

  if (!g_file_get_contents ("/proc/net/tcp", &table, NULL, NULL))
    return FALSE;
  return strstr (table, needle) != NULL;
}

static void
stop_process (AtcTestSer2net *self)
{
  if (self->process == NULL)
    return;
  g_subprocess_force_exit (self->process);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
}

AtcTestSer2net *
atc_test_ser2net_start (const char *device,
                        const char *serial_options,
                        GError    **error)
{
  g_autoptr (AtcTestSer2net) self = g_new0 (AtcTestSer2net, 1);
  g_autofree char *pid_file = NULL;

  g_return_val_if_fail (device != NULL, NULL);

  if (!atc_test_ser2net_available ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s is not installed",
                   ATC_TEST_SER2NET_PATH);
      return NULL;
    }

  self->dir = g_dir_make_tmp ("atconf-ser2net-XXXXXX", error);
  if (self->dir == NULL)
    return NULL;
  self->config = g_build_filename (self->dir, "ser2net.yaml", NULL);
  self->log = g_build_filename (self->dir, "ser2net.log", NULL);
  pid_file = g_build_filename (self->dir, "ser2net.pid", NULL);

  /* A free port can be taken between our check and ser2net's bind: try a
   * few. */
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      g_autoptr (GSubprocessLauncher) launcher = NULL;
      g_autofree char *yaml = NULL;
      gint64 deadline;

      self->port = atc_test_free_tcp_port ();
      yaml = g_strdup_printf ("%%YAML 1.1\n"
                              "---\n"
                              "connection: &atconf\n"
                              "  accepter: tcp,127.0.0.1,%u\n"
                              "  connector: serialdev,%s,%s,local\n",
                              self->port, device, serial_options ? serial_options : "115200n81");
      if (!g_file_set_contents (self->config, yaml, -1, error))
        return NULL;

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_MERGE);
      g_subprocess_launcher_set_stdout_file_path (launcher, self->log);
      /* -n: stay in the foreground; -u: no UUCP lock files (not ours to
       * write in /run/lock). */
      self->process = g_subprocess_launcher_spawn (launcher, error, ATC_TEST_SER2NET_PATH, "-n",
                                                   "-u", "-c", self->config, "-P", pid_file,
                                                   NULL);
      if (self->process == NULL)
        return NULL;

      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (g_get_monotonic_time () < deadline)
        {
          if (loopback_port_listens (self->port))
            return g_steal_pointer (&self);
          if (g_subprocess_get_identifier (self->process) == NULL)
            break; /* exited */
          g_usleep (20 * 1000);
        }

      stop_process (self);
    }

  {
    g_autofree char *log = NULL;

    g_file_get_contents (self->log, &log, NULL, NULL);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "ser2net did not start listening on 127.0.0.1: %s", log ? log : "(no output)");
  }
  return NULL;
}

guint16
atc_test_ser2net_get_port (AtcTestSer2net *self)
{
  return self->port;
}

GPid
atc_test_ser2net_get_pid (AtcTestSer2net *self)
{
  const char *id;

  if (self->process == NULL || (id = g_subprocess_get_identifier (self->process)) == NULL)
    return 0;
  return (GPid) atoi (id);
}

char *
atc_test_ser2net_dup_address (AtcTestSer2net *self)
{
  return g_strdup_printf ("tcp:127.0.0.1:%u", self->port);
}

void
atc_test_ser2net_kill (AtcTestSer2net *self)
{
  stop_process (self);
}

void
atc_test_ser2net_free (AtcTestSer2net *self)
{
  if (self == NULL)
    return;

  stop_process (self);
  if (self->dir != NULL)
    {
      g_autoptr (GDir) dir = g_dir_open (self->dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (self->dir, name, NULL);
          g_unlink (path);
        }
      g_rmdir (self->dir);
    }
  g_free (self->dir);
  g_free (self->config);
  g_free (self->log);
  g_free (self);
}

/* --- Running an async call to its end --------------------------------- */

static guint wait_ms = 60000;

void
atc_test_set_wait_ms (guint timeout_ms)
{
  wait_ms = timeout_ms;
}

void
atc_test_wait_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AtcTestWait *w = user_data;

  w->result = g_object_ref (result);
  w->done = TRUE;
}

GAsyncResult *
atc_test_wait_result (AtcTestWait *w)
{
  g_assert_true (atc_test_run_until (&w->done, wait_ms));
  return w->result;
}

void
atc_test_wait_clear (AtcTestWait *w)
{
  g_clear_object (&w->result);
  w->done = FALSE;
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} OpenCompletion;

static void
transport_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  OpenCompletion *c = user_data;

  c->ok = atc_transport_open_finish (ATC_TRANSPORT (object), result, &c->error);
  c->done = TRUE;
}

GError *
atc_test_transport_open (AtcTransport *transport)
{
  OpenCompletion c = { 0 };

  atc_transport_open_async (transport, NULL, transport_opened_cb, &c);
  g_assert_true (atc_test_run_until (&c.done, wait_ms));
  g_assert_true (c.ok == (c.error == NULL));
  return c.error;
}

gboolean
atc_test_session_connect (AtcSession  *session,
                          GError     **error)
{
  AtcTestWait w = { 0 };
  gboolean ok;

  atc_session_connect_async (session, NULL, atc_test_wait_done, &w);
  ok = atc_session_connect_finish (session, atc_test_wait_result (&w), error);
  atc_test_wait_clear (&w);
  return ok;
}

void
atc_test_session_connect_ok (AtcSession *session)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (atc_test_session_connect (session, &error));
  g_assert_no_error (error);
}

char **
atc_test_session_query (AtcSession  *session,
                        const char  *command,
                        GError     **error)
{
  AtcTestWait w = { 0 };
  char **values;

  atc_session_query_async (session, command, NULL, atc_test_wait_done, &w);
  values = atc_session_query_finish (session, atc_test_wait_result (&w), error);
  atc_test_wait_clear (&w);
  return values;
}

gboolean
atc_test_session_set (AtcSession         *session,
                      const char         *command,
                      const char *const  *values,
                      GError            **error)
{
  AtcTestWait w = { 0 };
  gboolean ok;

  atc_session_set_async (session, command, values, NULL, atc_test_wait_done, &w);
  ok = atc_session_set_finish (session, atc_test_wait_result (&w), error);
  atc_test_wait_clear (&w);
  return ok;
}

AtcReply *
atc_test_session_execute (AtcSession  *session,
                          const char  *command,
                          GError     **error)
{
  AtcTestWait w = { 0 };
  AtcReply *reply;

  atc_session_execute_async (session, command, NULL, atc_test_wait_done, &w);
  reply = atc_session_execute_finish (session, atc_test_wait_result (&w), error);
  atc_test_wait_clear (&w);
  return reply;
}

AtcReply *
atc_test_session_send_line (AtcSession  *session,
                            const char  *line,
                            GError     **error)
{
  AtcTestWait w = { 0 };
  AtcReply *reply;

  atc_session_send_line_async (session, line, NULL, atc_test_wait_done, &w);
  reply = atc_session_send_line_finish (session, atc_test_wait_result (&w), error);
  atc_test_wait_clear (&w);
  return reply;
}

gboolean
atc_test_session_leave (AtcSession  *session,
                        GError     **error)
{
  AtcTestWait w = { 0 };
  gboolean ok;

  atc_session_leave_async (session, NULL, atc_test_wait_done, &w);
  ok = atc_session_leave_finish (session, atc_test_wait_result (&w), error);
  atc_test_wait_clear (&w);
  return ok;
}

AtcDetection *
atc_test_session_detect (AtcSession  *session,
                         GError     **error)
{
  AtcTestWait w = { 0 };
  AtcDetection *detection;

  atc_session_detect_async (session, NULL, atc_test_wait_done, &w);
  detection = atc_session_detect_finish (session, atc_test_wait_result (&w), error);
  atc_test_wait_clear (&w);
  return detection;
}

AtcSession *
atc_test_demo_session (const char    *model_id,
                       guint          latency_ms,
                       gboolean       pace,
                       AtcSimulator **simulator)
{
  g_autofree char *address = g_strdup_printf ("demo:%s", model_id);
  g_autoptr(GError) error = NULL;
  AtcSession *session = atc_session_new_for_address (address, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  *simulator = atc_demo_transport_get_simulator (ATC_DEMO_TRANSPORT (atc_session_get_transport (session)));
  atc_simulator_set_latency_ms (*simulator, latency_ms);
  g_object_set (*simulator, "pace", pace, NULL);
  return session;
}
