/* atc-test-util.h: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Add functions; do not change existing ones (other tests rely on them).
 */
#pragma once

#include <gio/gio.h>

#include "atc-session.h"
#include "atc-simulator.h"

G_BEGIN_DECLS

/* Iterates the thread-default main context until *flag is TRUE or
 * timeout_ms passed; returns *flag. The timeout is a safety net against a
 * hung test, never what a test measures. */
gboolean        atc_test_run_until             (const gboolean  *flag,
                                                guint            timeout_ms);
/* Iterates the thread-default main context for about ms milliseconds. */
void            atc_test_run_for               (guint            ms);

/* A pseudo-terminal pair: returns the master fd (non-blocking, raw, close
 * on exec) and the slave's path (/dev/pts/N), or -1 with error. */
int             atc_test_open_pty              (char           **slave_path,
                                                GError         **error);
/* Writes all of data to a non-blocking fd, iterating the main context
 * while the fd is full. FALSE on an error or after timeout_ms. */
gboolean        atc_test_write_fd_all          (int              fd,
                                                const void      *data,
                                                gsize            len,
                                                guint            timeout_ms);
/* Reads exactly len bytes from a non-blocking fd, iterating the main
 * context while waiting. FALSE (with what came in *got) after timeout_ms
 * or at end of file. */
gboolean        atc_test_read_fd_exact         (int              fd,
                                                void            *buffer,
                                                gsize            len,
                                                gsize           *got,
                                                guint            timeout_ms);

/* A TCP port on 127.0.0.1 that was free a moment ago. */
guint16         atc_test_free_tcp_port         (void);

/* Debian's ser2net daemon bridging a loopback TCP port (raw, no telnet)
 * to a serial device, run in the foreground from a temporary config. */
typedef struct _AtcTestSer2net AtcTestSer2net;

#define ATC_TEST_SER2NET_PATH "/usr/sbin/ser2net"

gboolean        atc_test_ser2net_available     (void);
/* serial_options: ser2net's "115200n81" form. Returns once the TCP port
 * accepts connections (bounded wait), or NULL with error. */
AtcTestSer2net *atc_test_ser2net_start         (const char      *device,
                                                const char      *serial_options,
                                                GError         **error);
guint16         atc_test_ser2net_get_port      (AtcTestSer2net  *self);
GPid            atc_test_ser2net_get_pid       (AtcTestSer2net  *self);
/* "tcp:127.0.0.1:PORT" */
char           *atc_test_ser2net_dup_address   (AtcTestSer2net  *self);
/* Kills the daemon (SIGKILL, as a crash would) and reaps it. */
void            atc_test_ser2net_kill          (AtcTestSer2net  *self);
/* Stops the daemon if running and removes its temporary directory. */
void            atc_test_ser2net_free          (AtcTestSer2net  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcTestSer2net, atc_test_ser2net_free)

/* --- Running an async call to its end --------------------------------- */

/* Pass atc_test_wait_done as the callback and the AtcTestWait as its data;
 * atc_test_wait_result() then runs the main context until the call ended
 * (asserting it did within the wait, see atc_test_set_wait_ms()) and
 * returns its result, owned by the AtcTestWait until
 * atc_test_wait_clear(), which also readies it for the next call. */
typedef struct {
  gboolean      done;
  GAsyncResult *result;
} AtcTestWait;

/* The safety net of atc_test_wait_result() and the session calls below,
 * 60 s unless a test program sets another. */
void            atc_test_set_wait_ms           (guint            timeout_ms);
void            atc_test_wait_done             (GObject         *source,
                                                GAsyncResult    *result,
                                                gpointer         user_data);
GAsyncResult   *atc_test_wait_result           (AtcTestWait     *w);
void            atc_test_wait_clear            (AtcTestWait     *w);

/* Opens transport and waits for the end (asserting it came within the
 * wait, and that the result and the error agree): the error, or NULL on
 * success. */
GError         *atc_test_transport_open        (AtcTransport    *transport);

/* A session's calls, run synchronously: the _finish function's answer. */
gboolean        atc_test_session_connect       (AtcSession      *session,
                                                GError         **error);
/* Connects and asserts it succeeded. */
void            atc_test_session_connect_ok    (AtcSession      *session);
char          **atc_test_session_query         (AtcSession      *session,
                                                const char      *command,
                                                GError         **error);
gboolean        atc_test_session_set           (AtcSession      *session,
                                                const char      *command,
                                                const char *const *values,
                                                GError         **error);
AtcReply       *atc_test_session_execute       (AtcSession      *session,
                                                const char      *command,
                                                GError         **error);
AtcReply       *atc_test_session_send_line     (AtcSession      *session,
                                                const char      *line,
                                                GError         **error);
gboolean        atc_test_session_leave         (AtcSession      *session,
                                                GError         **error);
AtcDetection   *atc_test_session_detect        (AtcSession      *session,
                                                GError         **error);

/* A session on an in-process "demo:MODEL" unit (asserting it was made),
 * its simulator in *simulator (owned by the session's transport) replying
 * after latency_ms, pacing its output or not. */
AtcSession     *atc_test_demo_session          (const char      *model_id,
                                                guint            latency_ms,
                                                gboolean         pace,
                                                AtcSimulator   **simulator);

G_END_DECLS
