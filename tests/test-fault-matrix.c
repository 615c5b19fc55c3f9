/* test-fault-matrix.c: every wire fault at every step, against both simulated units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows are faults, columns are steps; each cell is one fresh unit and one
 * fresh session. The fault is armed deterministically at the step: a tap
 * between the session and the simulator watches what the host sends and,
 * when the step's first line arrives (or "+++" for the handshake), does
 * exactly one thing:
 *
 *   drop     removes the first byte of the unit's reply (after its echo)
 *   flip     flips the low bit of that byte
 *   garbage  puts a burst of line noise before the reply
 *   delay    holds the reply until the session has given up on it
 *   silence  the unit reads and never answers again (until lifted)
 *   unplug   the unit executes the line, the cable goes before the reply
 *   reboot   the unit restarts as the line arrives (power cut)
 *   echo     the unit's echo is switched the other way as the line arrives
 *   baud     the unit's rate no longer matches the host's
 *
 * The step then runs through the real session, applier or monitor, and
 * the cell checks: it ends within a bound (no hang), with success (at once
 * or after the session's own retry) or the ATC_ERROR code the expectation
 * table below names; a value read is the unit's value; an apply's report
 * says, setting by setting, exactly what the simulator's log and state say
 * reached the unit; nothing spins after an unplug; and once the fault is
 * lifted the session talks to the unit again. The table of outcomes is
 * printed at the end ('#' lines, so TAP stays valid).
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <glib-unix.h>

#include "atc-applier.h"
#include "atc-catalog.h"
#include "atc-config-reader.h"
#include "atc-error.h"
#include "atc-monitor.h"
#include "atc-session.h"
#include "atc-simulator.h"
#include "atc-test-util.h"

/* No step may take longer than this: beyond it the cell is a hang. */
#define STEP_BOUND_MS    20000
/* The delay fault gives the reply back at the latest after this long. */
#define HOLD_FALLBACK_MS 3000
#define SIM_REBOOT_MS    200

typedef enum {
  F_DROP,
  F_FLIP,
  F_GARBAGE,
  F_DELAY,
  F_SILENCE,
  F_UNPLUG,
  F_REBOOT,
  F_ECHO,
  F_BAUD,
  N_FAULTS
} Fault;

typedef enum {
  S_HANDSHAKE,
  S_QUERY,
  S_SET,
  S_APPLY,
  S_RESTART,
  S_MONITOR,
  N_STEPS
} Step;

static const char *const fault_names[N_FAULTS] = {
  "drop", "flip", "garbage", "delay", "silence", "unplug", "reboot", "echo", "baud",
};
static const char *const step_names[N_STEPS] = {
  "handshake", "query", "set", "apply", "restart", "monitor",
};

/* --- What each cell must give ----------------------------------------
 *
 * "ok"           the step succeeded without a retry
 * "retry-ok"     the session saw the fault, tried again and succeeded
 * "TIMEOUT" ...  the step failed with that ATC_ERROR code (for an apply:
 *                the report's error; for the monitor: "LOST/<code>", the
 *                monitor lost the unit and, once the fault was lifted,
 *                came back by itself)
 * A trailing '*' means the session, still believing it is in command
 * mode, could only talk to the unit again after a reconnect: the unit
 * restarted (or changed rate) behind its back.
 *
 * Why, row by row:
 * - drop/flip: the first byte of the reply is its "+CMD:"/"+OK=" marker
 *   or the "OK" of a set. A query answer without its marker is no answer
 *   (MALFORMED, or a timeout): queries are tried again. A set's damaged
 *   "OK" is a timeout, never retried (the unit may hold the value). The
 *   M0's "+OK" without '+' is still "OK" (both spellings are accepted),
 *   so dropping it is harmless; flipped it is "*OK", no answer. At the
 *   handshake a damaged 'a' fails it. Restart: a lost "OK" to AT+Z is a
 *   timeout; the unit has restarted meanwhile, so the session takes it
 *   for in data mode and its next command makes the handshake again.
 * - garbage: noise before a reply is skipped; before the 'a' of the
 *   handshake it spoils it, as the documents say any stray byte does.
 * - delay: the late reply comes after the session gave up: queries and
 *   polls are retried; sets and the handshake fail; the late bytes are
 *   drained and never taken for the next answer.
 * - silence: every step times out (queries after three tries).
 * - unplug: DISCONNECTED everywhere; the monitor reconnects by itself.
 * - reboot: the unit is deaf while it restarts, then in data mode: a
 *   timeout, and only a new handshake reaches it ('*': the session cannot
 *   tell a unit that restarted from one that stopped answering). At the
 *   restart step AT+Z is never answered either: a timeout, but the
 *   session expects the restart and finds the unit again by itself.
 * - echo: the session strips an echo when there is one; nothing changes.
 * - baud: everything the unit says is noise: timeouts; the handshake
 *   fails. The unit stays in command mode meanwhile, so once the rates
 *   agree again the same session goes on.
 */
static const char *const expected_g781[N_FAULTS][N_STEPS] = {
  /*             handshake    query       set          apply        restart      monitor */
  [F_DROP]    = { "HANDSHAKE", "retry-ok", "TIMEOUT",   "TIMEOUT",   "TIMEOUT",   "retry-ok" },
  [F_FLIP]    = { "HANDSHAKE", "retry-ok", "TIMEOUT",   "TIMEOUT",   "TIMEOUT",   "retry-ok" },
  [F_GARBAGE] = { "HANDSHAKE", "ok",       "ok",        "ok",        "ok",        "ok" },
  [F_DELAY]   = { "HANDSHAKE", "retry-ok", "TIMEOUT",   "TIMEOUT",   "TIMEOUT",   "retry-ok" },
  [F_SILENCE] = { "HANDSHAKE", "TIMEOUT",  "TIMEOUT",   "TIMEOUT",   "TIMEOUT",   "LOST/TIMEOUT" },
  [F_UNPLUG]  = { "DISCONNECTED", "DISCONNECTED", "DISCONNECTED", "DISCONNECTED", "DISCONNECTED", "LOST/DISCONNECTED" },
  [F_REBOOT]  = { "HANDSHAKE", "TIMEOUT*", "TIMEOUT*",  "TIMEOUT*",  "TIMEOUT",   "LOST/TIMEOUT" },
  [F_ECHO]    = { "ok",        "ok",       "ok",        "ok",        "ok",        "ok" },
  [F_BAUD]    = { "HANDSHAKE", "TIMEOUT",  "TIMEOUT",   "TIMEOUT",   "TIMEOUT",   "LOST/TIMEOUT" },
};

static const char *const expected_m0[N_FAULTS][N_STEPS] = {
  /*             handshake    query       set          apply        restart      monitor */
  [F_DROP]    = { "HANDSHAKE", "retry-ok", "ok",        "ok",        "ok",        "retry-ok" },
  [F_FLIP]    = { "HANDSHAKE", "retry-ok", "TIMEOUT",   "TIMEOUT",   "TIMEOUT",   "retry-ok" },
  [F_GARBAGE] = { "HANDSHAKE", "ok",       "ok",        "ok",        "ok",        "ok" },
  [F_DELAY]   = { "HANDSHAKE", "retry-ok", "TIMEOUT",   "TIMEOUT",   "TIMEOUT",   "retry-ok" },
  [F_SILENCE] = { "HANDSHAKE", "TIMEOUT",  "TIMEOUT",   "TIMEOUT",   "TIMEOUT",   "LOST/TIMEOUT" },
  [F_UNPLUG]  = { "DISCONNECTED", "DISCONNECTED", "DISCONNECTED", "DISCONNECTED", "DISCONNECTED", "LOST/DISCONNECTED" },
  [F_REBOOT]  = { "HANDSHAKE", "TIMEOUT*", "TIMEOUT*",  "TIMEOUT*",  "TIMEOUT",   "LOST/TIMEOUT" },
  [F_ECHO]    = { "ok",        "ok",       "ok",        "ok",        "ok",        "ok" },
  [F_BAUD]    = { "HANDSHAKE", "TIMEOUT",  "TIMEOUT",   "TIMEOUT",   "TIMEOUT",   "LOST/TIMEOUT" },
};

/* What each cell gave, for the summary. */
static char *observed[2][N_FAULTS][N_STEPS];
static gboolean mismatch[2][N_FAULTS][N_STEPS];

static AtcModel *
model (const char *id)
{
  AtcModel *m = atc_catalog_lookup (atc_catalog_get_default (), id);

  g_assert_nonnull (m);
  return m;
}

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- The tap ------------------------------------------------------------ */

typedef enum {
  TRIG_NONE,
  TRIG_PLUS,  /* the host's "+++" */
  TRIG_LINE,  /* the nth host line starting with a prefix */
} TrigKind;

#define TEST_TYPE_FAULT_TAP (test_fault_tap_get_type ())
G_DECLARE_FINAL_TYPE (TestFaultTap, test_fault_tap, TEST, FAULT_TAP, AtcTransport)

struct _TestFaultTap
{
  AtcTransport  parent_instance;

  AtcSimulator *sim;
  gulong        executed_id;
  int           host_fd;
  GSocket      *to_host;
  GSocket      *to_unit;
  GSource      *host_source;
  GSource      *unit_source;
  GString      *pending;        /* a host line not yet forwarded */

  /* the trigger */
  Fault         fault;
  TrigKind      trig;
  char         *prefix;
  guint         nth;
  guint         seen;
  gboolean      fired;
  char         *fired_line;     /* the host line that fired it, NULL for "+++" */

  /* what happens to the unit's bytes */
  gboolean      swallow;        /* dropped */
  gboolean      capturing;      /* buffered until the reply is complete */
  GByteArray   *capture;
  char         *reply;          /* the reply as the unit framed it, once known */
  gboolean      holding;        /* delay: held until released */
  GByteArray   *hold;
  guint         hold_timer;
  gboolean      unplug_on_exec;
  gboolean      echo_was_on;
};

G_DEFINE_FINAL_TYPE (TestFaultTap, test_fault_tap, ATC_TYPE_TRANSPORT)

static void
tap_send (GSocket      *socket,
          const guint8 *data,
          gsize         len)
{
  while (socket != NULL && len > 0)
    {
      gssize n = g_socket_send_with_blocking (socket, (const char *) data, len, TRUE, NULL, NULL);

      if (n <= 0)
        return;
      data += n;
      len -= n;
    }
}

static void
tap_unplug (TestFaultTap *self)
{
  if (self->host_source != NULL)
    {
      g_source_destroy (self->host_source);
      g_clear_pointer (&self->host_source, g_source_unref);
    }
  if (self->unit_source != NULL)
    {
      g_source_destroy (self->unit_source);
      g_clear_pointer (&self->unit_source, g_source_unref);
    }
  if (self->to_host != NULL)
    g_socket_close (self->to_host, NULL);
  if (self->to_unit != NULL)
    g_socket_close (self->to_unit, NULL);
  g_clear_object (&self->to_host);
  g_clear_object (&self->to_unit);
  g_string_truncate (self->pending, 0);
  self->swallow = FALSE;
  self->capturing = FALSE;
  self->holding = FALSE;
  self->unplug_on_exec = FALSE;
  g_byte_array_set_size (self->capture, 0);
  g_byte_array_set_size (self->hold, 0);
  g_clear_handle_id (&self->hold_timer, g_source_remove);
}

static gboolean
unplug_idle (gpointer user_data)
{
  TestFaultTap *self = user_data;

  tap_unplug (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* The delayed reply (and whatever the unit said after it) goes out now. */
static void
tap_release (TestFaultTap *self)
{
  if (!self->holding)
    return;
  self->holding = FALSE;
  g_clear_handle_id (&self->hold_timer, g_source_remove);
  tap_send (self->to_host, self->hold->data, self->hold->len);
  g_byte_array_set_size (self->hold, 0);
}

static gboolean
on_hold_fallback (gpointer user_data)
{
  TestFaultTap *self = user_data;

  self->hold_timer = 0;
  tap_release (self);
  return G_SOURCE_REMOVE;
}

/* The reply with the fault applied. */
static GByteArray *
mangle_reply (Fault       fault,
              const char *reply)
{
  GByteArray *out = g_byte_array_new ();
  gsize len = strlen (reply);
  gsize first = 0;

  while (first < len && (reply[first] == '\r' || reply[first] == '\n'))
    first++;

  switch (fault)
    {
    case F_DROP:
      g_byte_array_append (out, (const guint8 *) reply, first);
      if (first < len)
        g_byte_array_append (out, (const guint8 *) reply + first + 1, len - first - 1);
      break;

    case F_FLIP:
      g_byte_array_append (out, (const guint8 *) reply, len);
      if (first < len)
        out->data[first] ^= 0x01;
      break;

    case F_GARBAGE:
      /* Line noise as a wrong rate or a bad contact makes it: high bytes,
       * never CR or LF. */
      for (guint i = 0; i < 16; i++)
        {
          guint8 b = 0x80 | (guint8) ((i * 37 + 11) & 0x7f);

          g_byte_array_append (out, &b, 1);
        }
      g_byte_array_append (out, (const guint8 *) reply, len);
      break;

    default:
      g_byte_array_append (out, (const guint8 *) reply, len);
      break;
    }

  return out;
}

/* Once the whole reply is in the buffer, what came before it (the echo)
 * goes out as it was and the reply with the fault. */
static void
tap_try_complete (TestFaultTap *self)
{
  gsize rlen;
  g_autoptr(GByteArray) mangled = NULL;

  if (!self->capturing || self->reply == NULL)
    return;
  rlen = strlen (self->reply);
  if (self->capture->len < rlen ||
      memcmp (self->capture->data + self->capture->len - rlen, self->reply, rlen) != 0)
    return;

  self->capturing = FALSE;
  tap_send (self->to_host, self->capture->data, self->capture->len - rlen);
  g_byte_array_set_size (self->capture, 0);

  mangled = mangle_reply (self->fault, self->reply);
  if (self->fault == F_DELAY)
    {
      self->holding = TRUE;
      g_byte_array_append (self->hold, mangled->data, mangled->len);
      self->hold_timer = g_timeout_add (HOLD_FALLBACK_MS, on_hold_fallback, self);
    }
  else
    tap_send (self->to_host, mangled->data, mangled->len);
}

static void
on_executed (AtcSimulator   *sim,
             AtcSimLogEntry *entry,
             gpointer        user_data)
{
  TestFaultTap *self = user_data;

  if (self->capturing && self->reply == NULL)
    {
      self->reply = g_strdup (entry->reply);
      tap_try_complete (self);
    }
  if (self->unplug_on_exec)
    {
      self->unplug_on_exec = FALSE;
      /* Not from inside the simulator's own read. */
      g_idle_add (unplug_idle, g_object_ref (self));
    }
}

static void
toggle_echo (AtcSimulator *sim,
             gboolean      on)
{
  const char *values[] = { on ? "ON" : "OFF", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (atc_simulator_set_values (sim, "E", values, &error));
  g_assert_no_error (error);
}

/* The armed fault hits: data is what the host sent that fired it. */
static void
tap_fire (TestFaultTap *self,
          const guint8 *data,
          gsize         len,
          gboolean      plus)
{
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;

  self->fired = TRUE;
  self->trig = TRIG_NONE;

  switch (self->fault)
    {
    case F_DROP:
    case F_FLIP:
    case F_GARBAGE:
    case F_DELAY:
      self->capturing = TRUE;
      g_byte_array_set_size (self->capture, 0);
      g_clear_pointer (&self->reply, g_free);
      if (plus)
        self->reply = g_strdup ("a");
      tap_send (self->to_unit, data, len);
      break;

    case F_SILENCE:
      faults.silent = TRUE;
      atc_simulator_set_faults (self->sim, &faults);
      tap_send (self->to_unit, data, len);
      break;

    case F_UNPLUG:
      if (plus)
        {
          g_idle_add (unplug_idle, g_object_ref (self));
          break;
        }
      /* The unit executes the line; its answer never makes it. */
      self->swallow = TRUE;
      self->unplug_on_exec = TRUE;
      tap_send (self->to_unit, data, len);
      break;

    case F_REBOOT:
      atc_simulator_power_cycle (self->sim);
      tap_send (self->to_unit, data, len);
      break;

    case F_ECHO:
      self->echo_was_on = atc_sim_unit_get_echo (atc_simulator_get_unit (self->sim));
      toggle_echo (self->sim, !self->echo_was_on);
      tap_send (self->to_unit, data, len);
      break;

    case F_BAUD:
      atc_simulator_set_host_baud (self->sim,
                                   atc_simulator_get_baud (self->sim) == 9600 ? 115200 : 9600);
      tap_send (self->to_unit, data, len);
      break;

    case N_FAULTS:
    default:
      g_assert_not_reached ();
    }
}

static void
tap_host_line (TestFaultTap *self,
               const char   *data,
               gsize         len)
{
  if (self->trig == TRIG_LINE && g_str_has_prefix (data, self->prefix) && ++self->seen == self->nth)
    {
      g_autofree char *line = g_strndup (data, len);

      g_strchomp (line);
      g_free (self->fired_line);
      self->fired_line = g_steal_pointer (&line);
      tap_fire (self, (const guint8 *) data, len, FALSE);
      return;
    }
  tap_send (self->to_unit, (const guint8 *) data, len);
}

static gboolean
on_host_data (GSocket      *socket,
              GIOCondition  condition,
              gpointer      user_data)
{
  TestFaultTap *self = user_data;
  char buffer[4096];
  gssize n;

  n = g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE, NULL, NULL);
  if (n <= 0)
    {
      tap_unplug (self);
      return G_SOURCE_REMOVE;
    }

  /* "+++" is a write of its own, framed by silence. */
  if (n == 3 && memcmp (buffer, "+++", 3) == 0 && self->pending->len == 0 &&
      self->trig == TRIG_PLUS)
    {
      tap_fire (self, (const guint8 *) buffer, 3, TRUE);
      return self->to_host != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
    }

  /* Lines starting "AT" are held until their end, so the trigger can see
   * them whole; anything else (the handshake's bytes) passes at once. */
  for (gssize i = 0; i < n && self->to_unit != NULL; i++)
    {
      char c = buffer[i];

      if (self->pending->len == 0 && c != 'A')
        {
          tap_send (self->to_unit, (const guint8 *) &c, 1);
          continue;
        }

      g_string_append_c (self->pending, c);
      if (self->pending->len == 2 && self->pending->str[1] != 'T')
        {
          tap_send (self->to_unit, (const guint8 *) self->pending->str, self->pending->len);
          g_string_truncate (self->pending, 0);
        }
      else if (c == '\n')
        {
          g_autofree char *line = g_strndup (self->pending->str, self->pending->len);

          g_string_truncate (self->pending, 0);
          tap_host_line (self, line, strlen (line));
        }
    }

  return self->to_host != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
on_unit_data (GSocket      *socket,
              GIOCondition  condition,
              gpointer      user_data)
{
  TestFaultTap *self = user_data;
  guint8 buffer[4096];
  gssize n;

  n = g_socket_receive_with_blocking (socket, (char *) buffer, sizeof buffer, FALSE, NULL, NULL);
  if (n <= 0)
    {
      tap_unplug (self);
      return G_SOURCE_REMOVE;
    }

  if (self->swallow)
    ;
  else if (self->capturing)
    {
      g_byte_array_append (self->capture, buffer, n);
      tap_try_complete (self);
    }
  else if (self->holding)
    g_byte_array_append (self->hold, buffer, n);
  else
    tap_send (self->to_host, buffer, n);

  return self->to_unit != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
test_fault_tap_open_async (AtcTransport        *transport,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  TestFaultTap *self = TEST_FAULT_TAP (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GSocket) sim_socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  int host[2], unit[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, host), ==, 0);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, unit), ==, 0);
  g_assert_true (g_unix_set_fd_nonblocking (host[0], TRUE, NULL));

  tap_unplug (self);
  self->to_host = g_socket_new_from_fd (host[1], NULL);
  self->to_unit = g_socket_new_from_fd (unit[0], NULL);
  g_assert_nonnull (self->to_host);
  g_assert_nonnull (self->to_unit);

  self->host_source = g_socket_create_source (self->to_host, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (self->host_source, (GSourceFunc) (GCallback) on_host_data, self, NULL);
  g_source_attach (self->host_source, NULL);
  self->unit_source = g_socket_create_source (self->to_unit, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (self->unit_source, (GSourceFunc) (GCallback) on_unit_data, self, NULL);
  g_source_attach (self->unit_source, NULL);

  sim_socket = g_socket_new_from_fd (unit[1], NULL);
  connection = g_socket_connection_factory_create_connection (sim_socket);
  atc_simulator_attach_stream (self->sim, G_IO_STREAM (connection));

  self->host_fd = host[0];
  g_task_return_pointer (task, atc_transport_wrap_fd (transport, host[0], "the tap was unplugged"),
                         g_object_unref);
}

static GIOStream *
test_fault_tap_open_finish (AtcTransport  *transport,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_fault_tap_close (AtcTransport *transport)
{
  TestFaultTap *self = TEST_FAULT_TAP (transport);

  tap_unplug (self);
  if (self->host_fd >= 0)
    close (self->host_fd);
  self->host_fd = -1;
}

static void
test_fault_tap_dispose (GObject *object)
{
  TestFaultTap *self = TEST_FAULT_TAP (object);

  G_OBJECT_CLASS (test_fault_tap_parent_class)->dispose (object);

  if (self->sim != NULL)
    g_clear_signal_handler (&self->executed_id, self->sim);
  g_clear_object (&self->sim);
}

static void
test_fault_tap_finalize (GObject *object)
{
  TestFaultTap *self = TEST_FAULT_TAP (object);

  g_clear_handle_id (&self->hold_timer, g_source_remove);
  g_string_free (self->pending, TRUE);
  g_byte_array_unref (self->capture);
  g_byte_array_unref (self->hold);
  g_free (self->reply);
  g_free (self->prefix);
  g_free (self->fired_line);

  G_OBJECT_CLASS (test_fault_tap_parent_class)->finalize (object);
}

static void
test_fault_tap_class_init (TestFaultTapClass *klass)
{
  AtcTransportClass *transport_class = ATC_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = test_fault_tap_dispose;
  G_OBJECT_CLASS (klass)->finalize = test_fault_tap_finalize;
  transport_class->open_async = test_fault_tap_open_async;
  transport_class->open_finish = test_fault_tap_open_finish;
  transport_class->close = test_fault_tap_close;
}

static void
test_fault_tap_init (TestFaultTap *self)
{
  self->host_fd = -1;
  self->pending = g_string_new (NULL);
  self->capture = g_byte_array_new ();
  self->hold = g_byte_array_new ();
}

static TestFaultTap *
test_fault_tap_new (AtcSimulator *sim)
{
  g_autoptr(AtcAddress) address = atc_address_parse ("demo:g781", NULL);
  TestFaultTap *self = g_object_new (TEST_TYPE_FAULT_TAP, "address", address, NULL);

  self->sim = g_object_ref (sim);
  self->executed_id = g_signal_connect (sim, "command-executed", G_CALLBACK (on_executed), self);
  return self;
}

static void
tap_arm (TestFaultTap *self,
         Fault         fault,
         TrigKind      trig,
         const char   *prefix,
         guint         nth)
{
  self->fault = fault;
  self->trig = trig;
  g_free (self->prefix);
  self->prefix = g_strdup (prefix);
  self->nth = nth;
  self->seen = 0;
  self->fired = FALSE;
}

/* --- A unit, a session and what the session logs ----------------------- */

typedef struct {
  const char   *model_id;
  AtcSimulator *sim;
  TestFaultTap *tap;
  AtcSession   *session;
  gulong        log_id;
  gulong        disconnected_id;
  guint         retries;       /* "trying again" events since the last reset */
  guint         disconnects;
} Unit;

static void
on_log_changed (GListModel *log,
                guint       position,
                guint       removed,
                guint       added,
                gpointer    user_data)
{
  Unit *unit = user_data;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(AtcLogEntry) entry = g_list_model_get_item (log, i);

      if (atc_log_entry_get_direction (entry) != ATC_LOG_EVENT)
        continue;
      if (strstr (atc_log_entry_get_text (entry), "trying again") != NULL)
        unit->retries++;
      /* The session has given up on the reply: now it may come, late. */
      tap_release (unit->tap);
    }
}

static void
on_disconnected (AtcSession   *session,
                 const GError *error,
                 gpointer      user_data)
{
  Unit *unit = user_data;

  unit->disconnects++;
}

typedef struct {
  GAsyncResult *result;
  gboolean      done;
} Await;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Await *await = user_data;

  await->result = g_object_ref (result);
  await->done = TRUE;
}

static gboolean
await_bounded (Await *await,
               guint  bound_ms)
{
  return atc_test_run_until (&await->done, bound_ms);
}

static void
await_clear (Await *await)
{
  g_clear_object (&await->result);
  await->done = FALSE;
}

static gboolean
unit_connect (Unit    *unit,
              GError **error)
{
  Await await = { 0 };
  gboolean ok;

  atc_session_connect_async (unit->session, NULL, store_result, &await);
  g_assert_true (await_bounded (&await, STEP_BOUND_MS));
  ok = atc_session_connect_finish (unit->session, await.result, error);
  await_clear (&await);
  return ok;
}

static char **
unit_query (Unit        *unit,
            const char  *command,
            GError     **error)
{
  Await await = { 0 };
  char **values;

  atc_session_query_async (unit->session, command, NULL, store_result, &await);
  g_assert_true (await_bounded (&await, STEP_BOUND_MS));
  values = atc_session_query_finish (unit->session, await.result, error);
  await_clear (&await);
  return values;
}

static double
timeout_scale (const char *model_id,
               Step        step)
{
  /* The G781 takes 60 s to restart; scaled down to 3 s of waiting. */
  if (step == S_RESTART && g_str_equal (model_id, "g781"))
    return 0.05;
  return 0.1;
}

static void
unit_open (Unit       *unit,
           const char *model_id,
           Step        step)
{
  g_autoptr(GError) error = NULL;

  unit->model_id = model_id;
  unit->sim = atc_simulator_new_for_model_id (model_id, 7, &error);
  g_assert_no_error (error);
  atc_simulator_set_latency_ms (unit->sim, 1);
  atc_simulator_set_reboot_ms (unit->sim, SIM_REBOOT_MS);
  unit->tap = test_fault_tap_new (unit->sim);
  unit->session = atc_session_new (ATC_TRANSPORT (unit->tap));
  atc_session_set_model (unit->session, model (model_id));
  atc_session_set_timeout_scale (unit->session, timeout_scale (model_id, step));
  unit->log_id = g_signal_connect (atc_session_get_log (unit->session), "items-changed",
                                   G_CALLBACK (on_log_changed), unit);
  unit->disconnected_id = g_signal_connect (unit->session, "disconnected",
                                            G_CALLBACK (on_disconnected), unit);
}

static void
unit_close (Unit *unit)
{
  g_clear_signal_handler (&unit->log_id, atc_session_get_log (unit->session));
  g_clear_signal_handler (&unit->disconnected_id, unit->session);
  atc_session_close (unit->session);
  g_clear_object (&unit->session);
  g_clear_object (&unit->tap);
  g_clear_object (&unit->sim);
}

/* --- Recording a cell --------------------------------------------------- */

typedef struct {
  const char *model_id;
  Fault       fault;
  Step        step;
  GString    *label;
  GString    *problems;  /* what went wrong, one per line; empty when fine */
} Cell;

static void G_GNUC_PRINTF (2, 3)
cell_problem (Cell       *cell,
              const char *format,
              ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (cell->problems, format, args);
  va_end (args);
  g_string_append_c (cell->problems, '\n');
}

static const char *
error_code_name (const GError *error)
{
  if (error == NULL)
    return "ok";
  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_CANCELLED)
    return "CANCELLED";
  if (error->domain != ATC_ERROR)
    return "FOREIGN";

  switch ((AtcError) error->code)
    {
    case ATC_ERROR_FAILED: return "FAILED";
    case ATC_ERROR_INVALID_VALUE: return "INVALID_VALUE";
    case ATC_ERROR_UNSAFE_VALUE: return "UNSAFE_VALUE";
    case ATC_ERROR_UNKNOWN_COMMAND: return "UNKNOWN_COMMAND";
    case ATC_ERROR_NOT_SUPPORTED: return "NOT_SUPPORTED";
    case ATC_ERROR_CATALOG: return "CATALOG";
    case ATC_ERROR_MALFORMED_REPLY: return "MALFORMED";
    case ATC_ERROR_UNIT_ERROR: return "UNIT_ERROR";
    case ATC_ERROR_TIMEOUT: return "TIMEOUT";
    case ATC_ERROR_HANDSHAKE: return "HANDSHAKE";
    case ATC_ERROR_DISCONNECTED: return "DISCONNECTED";
    case ATC_ERROR_PERMISSION: return "PERMISSION";
    case ATC_ERROR_BUSY: return "BUSY";
    case ATC_ERROR_NOT_FOUND: return "NOT_FOUND";
    case ATC_ERROR_ADDRESS: return "ADDRESS";
    case ATC_ERROR_PROFILE: return "PROFILE";
    case ATC_ERROR_VERIFY: return "VERIFY";
    case ATC_ERROR_OVERFLOW: return "OVERFLOW";
    default: return "UNKNOWN";
    }
}

static void
label_from_error (Cell         *cell,
                  Unit         *unit,
                  const GError *error)
{
  if (error == NULL)
    g_string_assign (cell->label, unit->retries > 0 ? "retry-ok" : "ok");
  else
    g_string_assign (cell->label, error_code_name (error));
}

/* --- Steps -------------------------------------------------------------- */

/* Settings each step changes: present on both models. */
#define SET_COMMAND "HEARTTM"
#define SET_VALUE   "77"

typedef struct {
  const char *command;
  const char *param;
  const char *value;
} Edit;

static const Edit g781_edits[] = {
  { "STMSG", "message", "FaultMatrix" },
  { "UARTFT", "time", "120" },
  { "HEARTTM", "time", "77" },
};

static const Edit m0_edits[] = {
  { "MID", "name", "FaultMatrix" },
  { "WEBPORT", "port", "8080" },
  { "HEARTTM", "time", "77" },
};

static gboolean
sim_holds (AtcSimulator      *sim,
           const char        *command,
           const char *const *values)
{
  g_auto(GStrv) held = atc_simulator_dup_values (sim, command, NULL);

  return held != NULL && g_strv_equal ((const char *const *) held, values);
}

/* The simulator's log entry for a line since `from`, or NULL. */
static AtcSimLogEntry *
sim_find_line (AtcSimulator *sim,
               guint         from,
               const char   *line)
{
  GPtrArray *log = atc_simulator_get_log (sim);

  for (guint i = from; i < log->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, i);

      if (g_str_equal (entry->line, line))
        return entry;
    }
  return NULL;
}

static guint
sim_count_sets (AtcSimulator *sim,
                guint         from)
{
  GPtrArray *log = atc_simulator_get_log (sim);
  guint n = 0;

  for (guint i = from; i < log->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, i);

      if (g_str_has_prefix (entry->line, "AT+") && strchr (entry->line, '=') != NULL)
        n++;
    }
  return n;
}

static void
step_handshake (Cell *cell,
                Unit *unit)
{
  g_autoptr(GError) error = NULL;
  Await await = { 0 };

  tap_arm (unit->tap, cell->fault, TRIG_PLUS, NULL, 0);
  atc_session_connect_async (unit->session, NULL, store_result, &await);
  if (!await_bounded (&await, STEP_BOUND_MS))
    {
      g_string_assign (cell->label, "HANG");
      cell_problem (cell, "connect did not end within %u ms", STEP_BOUND_MS);
      return;
    }
  atc_session_connect_finish (unit->session, await.result, &error);
  await_clear (&await);
  label_from_error (cell, unit, error);

  if (error == NULL && atc_session_get_state (unit->session) != ATC_SESSION_COMMAND_MODE)
    cell_problem (cell, "connected but the session is not in command mode");
  if (!unit->tap->fired)
    cell_problem (cell, "the fault never fired");
}

static void
step_query (Cell *cell,
            Unit *unit)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;
  g_auto(GStrv) held = NULL;
  Await await = { 0 };

  tap_arm (unit->tap, cell->fault, TRIG_LINE, "AT+UART\r", 1);
  atc_session_query_async (unit->session, "UART", NULL, store_result, &await);
  if (!await_bounded (&await, STEP_BOUND_MS))
    {
      g_string_assign (cell->label, "HANG");
      cell_problem (cell, "the query did not end within %u ms", STEP_BOUND_MS);
      return;
    }
  values = atc_session_query_finish (unit->session, await.result, &error);
  await_clear (&await);
  label_from_error (cell, unit, error);

  /* A damaged reply must never pass for a value. */
  held = atc_simulator_dup_values (unit->sim, "UART", NULL);
  if (values != NULL && !g_strv_equal ((const char *const *) values, (const char *const *) held))
    {
      g_autofree char *got = g_strjoinv (",", values);
      g_autofree char *want = g_strjoinv (",", held);

      cell_problem (cell, "the query returned %s, the unit holds %s", got, want);
    }
}

static void
step_set (Cell *cell,
          Unit *unit)
{
  const char *values[] = { SET_VALUE, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strdup_printf ("AT+%s=%s", SET_COMMAND, SET_VALUE);
  guint from = atc_simulator_get_log (unit->sim)->len;
  Await await = { 0 };
  gboolean reached, holds;

  tap_arm (unit->tap, cell->fault, TRIG_LINE, "AT+" SET_COMMAND "=", 1);
  atc_session_set_async (unit->session, SET_COMMAND, values, NULL, store_result, &await);
  if (!await_bounded (&await, STEP_BOUND_MS))
    {
      g_string_assign (cell->label, "HANG");
      cell_problem (cell, "the set did not end within %u ms", STEP_BOUND_MS);
      return;
    }
  atc_session_set_finish (unit->session, await.result, &error);
  await_clear (&await);
  label_from_error (cell, unit, error);

  reached = sim_find_line (unit->sim, from, line) != NULL;
  holds = sim_holds (unit->sim, SET_COMMAND, values);
  /* Success means the unit holds it; a set is never sent twice. */
  if (error == NULL && !holds)
    cell_problem (cell, "the set succeeded but the unit does not hold the value");
  if (sim_count_sets (unit->sim, from) > 1)
    cell_problem (cell, "the set reached the unit %u times", sim_count_sets (unit->sim, from));
  if (holds && !reached)
    cell_problem (cell, "the unit holds the value but never executed the line");
  g_debug ("set %s: %s, reached %d, holds %d", fault_names[cell->fault],
           cell->label->str, reached, holds);
}

/* The report against the simulator: each step's status is what the
 * unit's log and state say about its line. */
static void
check_report_exact (Cell           *cell,
                    Unit           *unit,
                    AtcApplyReport *report,
                    guint           from)
{
  GPtrArray *steps = atc_apply_report_get_steps (report);
  guint sent_steps = 0;

  for (guint i = 0; i < steps->len; i++)
    {
      AtcApplyStep *step = g_ptr_array_index (steps, i);
      g_autofree char *line = atc_apply_step_get_line (step, FALSE);
      AtcSimLogEntry *entry = sim_find_line (unit->sim, from, line);
      gboolean executed = entry != NULL && entry->error == ATC_SIM_ERR_NONE;
      gboolean holds = sim_holds (unit->sim, step->command->name,
                                  (const char *const *) step->values);
      const char *status = atc_apply_status_to_string (step->status);

      if (entry != NULL)
        sent_steps++;

      switch (step->status)
        {
        case ATC_APPLY_NOT_APPLIED:
          if (entry != NULL || holds)
            cell_problem (cell, "%s: report says not applied, but the unit %s", line,
                          entry != NULL ? "executed it" : "holds it");
          break;
        case ATC_APPLY_REJECTED:
          if (holds)
            cell_problem (cell, "%s: report says rejected, but the unit holds it", line);
          break;
        case ATC_APPLY_UNKNOWN:
          /* Honest either way; the log says which it was. */
          g_debug ("%s: unknown; executed %d, holds %d", line, executed, holds);
          break;
        case ATC_APPLY_APPLIED:
        case ATC_APPLY_VERIFIED:
          if (!executed || !holds)
            cell_problem (cell, "%s: report says %s, but the unit %s", line, status,
                          !executed ? "never executed it" : "does not hold it");
          break;
        case ATC_APPLY_MISMATCH:
        default:
          cell_problem (cell, "%s: unexpected status %s", line, status);
          break;
        }
    }

  /* Nothing reached the unit that the report does not account for. */
  if (sim_count_sets (unit->sim, from) != sent_steps)
    cell_problem (cell, "the unit executed %u set lines, the report accounts for %u",
                  sim_count_sets (unit->sim, from), sent_steps);
}

static void
step_apply (Cell *cell,
            Unit *unit)
{
  gboolean g781 = g_str_equal (unit->model_id, "g781");
  const Edit *edits = g781 ? g781_edits : m0_edits;
  g_autoptr(AtcConfigReader) reader = atc_config_reader_new (unit->session);
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  Await await = { 0 };
  guint from;

  atc_config_reader_read_async (reader, NULL, store_result, &await);
  g_assert_true (await_bounded (&await, STEP_BOUND_MS));
  current = atc_config_reader_read_finish (reader, await.result, &error);
  await_clear (&await);
  g_assert_no_error (error);

  target = atc_config_copy (current);
  for (guint i = 0; i < 3; i++)
    g_assert_true (atc_config_set_value (target, edits[i].command, edits[i].param, edits[i].value,
                                         ATC_VALUE_SOURCE_EDITED, NULL));
  applier = atc_applier_new (unit->session, current, target);
  unit->retries = 0;
  from = atc_simulator_get_log (unit->sim)->len;

  /* The second of three set lines. */
  {
    g_autofree char *second = g_strdup_printf ("AT+%s=", edits[1].command);

    tap_arm (unit->tap, cell->fault, TRIG_LINE, second, 1);
  }
  atc_applier_apply_async (applier, NULL, store_result, &await);
  if (!await_bounded (&await, STEP_BOUND_MS))
    {
      g_string_assign (cell->label, "HANG");
      cell_problem (cell, "the apply did not end within %u ms", STEP_BOUND_MS);
      return;
    }
  report = atc_applier_apply_finish (applier, await.result, &error);
  await_clear (&await);
  if (report == NULL)
    {
      label_from_error (cell, unit, error);
      cell_problem (cell, "the apply gave no report: %s", error->message);
      return;
    }

  label_from_error (cell, unit, atc_apply_report_get_error (report));
  if (atc_apply_report_get_steps (report)->len != 3)
    cell_problem (cell, "the report has %u steps, not 3", atc_apply_report_get_steps (report)->len);
  if (atc_apply_report_is_complete (report) != (atc_apply_report_get_error (report) == NULL))
    cell_problem (cell, "the report is complete but has an error, or the reverse");
  check_report_exact (cell, unit, report, from);
}

static void
step_restart (Cell *cell,
              Unit *unit)
{
  g_autoptr(GError) error = NULL;
  Await await = { 0 };

  tap_arm (unit->tap, cell->fault, TRIG_LINE, "AT+Z\r", 1);
  atc_session_restart_async (unit->session, NULL, store_result, &await);
  if (!await_bounded (&await, STEP_BOUND_MS))
    {
      g_string_assign (cell->label, "HANG");
      cell_problem (cell, "the restart did not end within %u ms", STEP_BOUND_MS);
      return;
    }
  atc_session_restart_finish (unit->session, await.result, &error);
  await_clear (&await);
  label_from_error (cell, unit, error);

  if (error == NULL && (atc_session_get_state (unit->session) != ATC_SESSION_COMMAND_MODE ||
                        atc_simulator_get_mode (unit->sim) != ATC_SIM_MODE_COMMAND))
    cell_problem (cell, "restarted, but the session and the unit disagree on the mode");
}

typedef struct {
  guint  lost;
  guint  back;
  char  *lost_detail;
} MonitorWatch;

static void
on_monitor_event (AtcMonitor      *monitor,
                  AtcMonitorEvent *event,
                  gpointer         user_data)
{
  MonitorWatch *watch = user_data;

  switch (atc_monitor_event_get_kind (event))
    {
    case ATC_MONITOR_EVENT_UNIT_LOST:
      watch->lost++;
      g_free (watch->lost_detail);
      watch->lost_detail = g_strdup (atc_monitor_event_get_detail (event));
      break;
    case ATC_MONITOR_EVENT_UNIT_BACK:
      watch->back++;
      break;
    default:
      break;
    }
}

static gboolean
monitor_settled (AtcMonitor   *monitor,
                 guint64       polls,
                 MonitorWatch *watch)
{
  return atc_monitor_get_n_polls (monitor) > polls || watch->lost > 0;
}

static void lift_fault (Unit *unit, Fault fault);

static void
step_monitor (Cell *cell,
              Unit *unit)
{
  g_autoptr(AtcMonitor) monitor = atc_monitor_new_with_capacity (unit->session, 100);
  g_autoptr(GError) error = NULL;
  MonitorWatch watch = { 0 };
  Await await = { 0 };
  AtcSample before, after;
  guint64 polls;
  gint64 deadline;

  atc_monitor_set_interval (monitor, 100);
  atc_monitor_set_reconnect_delays (monitor, 50, 400);
  g_signal_connect (monitor, "event", G_CALLBACK (on_monitor_event), &watch);
  atc_monitor_start_async (monitor, NULL, store_result, &await);
  g_assert_true (await_bounded (&await, STEP_BOUND_MS));
  g_assert_true (atc_monitor_start_finish (monitor, await.result, &error));
  g_assert_no_error (error);
  await_clear (&await);
  before = *atc_monitor_get_last_sample (monitor);
  polls = atc_monitor_get_n_polls (monitor);
  unit->retries = 0;

  /* The next poll's first query. */
  tap_arm (unit->tap, cell->fault, TRIG_LINE, "AT+", 1);
  deadline = g_get_monotonic_time () + (gint64) STEP_BOUND_MS * 1000;
  while (!monitor_settled (monitor, polls, &watch) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  if (!monitor_settled (monitor, polls, &watch))
    {
      g_string_assign (cell->label, "HANG");
      cell_problem (cell, "no sample and no loss within %u ms", STEP_BOUND_MS);
      atc_monitor_stop (monitor);
      g_free (watch.lost_detail);
      return;
    }

  if (watch.lost > 0)
    {
      g_string_printf (cell->label, "LOST/%s", unit->disconnects > 0 ? "DISCONNECTED" : "TIMEOUT");
      g_test_message ("  %s/%s/monitor lost the unit: %s", unit->model_id,
                      fault_names[cell->fault], watch.lost_detail);

      /* Lifted, the monitor finds the unit again by itself. */
      lift_fault (unit, cell->fault);
      polls = atc_monitor_get_n_polls (monitor);
      deadline = g_get_monotonic_time () + (gint64) STEP_BOUND_MS * 1000;
      while ((watch.back == 0 || atc_monitor_get_n_polls (monitor) <= polls) &&
             g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      if (watch.back == 0 || atc_monitor_get_state (monitor) != ATC_MONITOR_RUNNING)
        cell_problem (cell, "the monitor did not come back after the fault was lifted (state %s)",
                      atc_monitor_state_to_string (atc_monitor_get_state (monitor)));
    }
  else
    {
      g_string_assign (cell->label, unit->retries > 0 ? "retry-ok" : "ok");
      after = *atc_monitor_get_last_sample (monitor);
      /* Everything the previous poll read, this one read too. */
      if ((after.flags & ~ATC_SAMPLE_AFTER_GAP & ~ATC_SAMPLE_SIGNAL_KNOWN & ~ATC_SAMPLE_AT_FLOOR &
           ~ATC_SAMPLE_AT_CEILING) !=
          (before.flags & ~ATC_SAMPLE_AFTER_GAP & ~ATC_SAMPLE_SIGNAL_KNOWN & ~ATC_SAMPLE_AT_FLOOR &
           ~ATC_SAMPLE_AT_CEILING) ||
          after.links != before.links)
        {
          g_string_assign (cell->label, "partial");
          cell_problem (cell, "the sample after the fault lacks fields (flags %x -> %x, links %x -> %x)",
                        before.flags, after.flags, before.links, after.links);
        }
    }

  atc_monitor_stop (monitor);
  g_free (watch.lost_detail);
}

/* --- Lifting the fault and checking the session recovers --------------- */

static void
lift_fault (Unit  *unit,
            Fault  fault)
{
  AtcSimFaults none = ATC_SIM_FAULTS_NONE;

  unit->tap->trig = TRIG_NONE;
  tap_release (unit->tap);
  atc_simulator_set_faults (unit->sim, &none);
  atc_simulator_set_host_baud (unit->sim, 0);
  if (fault == F_ECHO && unit->tap->fired)
    toggle_echo (unit->sim, unit->tap->echo_was_on);
}

/* Once the fault is gone the same session talks to the unit again: at
 * once, or (label '*') after a reconnect when the unit restarted or
 * changed rate behind its back. */
static void
check_recovery (Cell *cell,
                Unit *unit)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;
  AtcSessionState state = atc_session_get_state (unit->session);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  lift_fault (unit, cell->fault);
  while (atc_simulator_get_mode (unit->sim) == ATC_SIM_MODE_REBOOTING &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  if (state == ATC_SESSION_DISCONNECTED || state == ATC_SESSION_CLOSED)
    {
      if (!unit_connect (unit, &error))
        {
          cell_problem (cell, "reconnecting failed: %s", error->message);
          return;
        }
    }

  values = unit_query (unit, "VER", &error);
  if (values == NULL && state == ATC_SESSION_COMMAND_MODE)
    {
      g_clear_error (&error);
      g_string_append_c (cell->label, '*');
      atc_session_close (unit->session);
      if (!unit_connect (unit, &error))
        {
          cell_problem (cell, "reconnecting failed: %s", error->message);
          return;
        }
      values = unit_query (unit, "VER", &error);
    }

  if (values == NULL)
    cell_problem (cell, "the unit is not reachable after the fault: %s", error->message);
  else if (!g_str_equal (values[0], atc_model_get_firmware (model (unit->model_id))))
    cell_problem (cell, "after the fault VER reads %s", values[0]);
}

/* --- One cell ----------------------------------------------------------- */

typedef struct {
  guint model_index;
  Fault fault;
  Step  step;
} CellSpec;

static void
test_cell (gconstpointer data)
{
  const CellSpec *spec = data;
  const char *model_id = spec->model_index == 0 ? "g781" : "m0";
  const char *expected = (spec->model_index == 0 ? expected_g781 : expected_m0)[spec->fault][spec->step];
  Cell cell = { model_id, spec->fault, spec->step, g_string_new ("?"), g_string_new (NULL) };
  Unit unit = { 0 };
  gint64 wall_start;
  double cpu_start, wall;

  unit_open (&unit, model_id, spec->step);
  if (spec->step != S_HANDSHAKE)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (unit_connect (&unit, &error));
      g_assert_no_error (error);
    }
  unit.retries = 0;
  unit.disconnects = 0;

  wall_start = g_get_monotonic_time ();
  switch (spec->step)
    {
    case S_HANDSHAKE: step_handshake (&cell, &unit); break;
    case S_QUERY:     step_query (&cell, &unit); break;
    case S_SET:       step_set (&cell, &unit); break;
    case S_APPLY:     step_apply (&cell, &unit); break;
    case S_RESTART:   step_restart (&cell, &unit); break;
    case S_MONITOR:   step_monitor (&cell, &unit); break;
    case N_STEPS:
    default:          g_assert_not_reached ();
    }
  wall = (g_get_monotonic_time () - wall_start) / 1e6;

  if (!unit.tap->fired)
    cell_problem (&cell, "the fault never fired");

  /* Nothing spins on a dead link: the process idles. */
  if (spec->fault == F_UNPLUG && spec->step != S_MONITOR)
    {
      gint64 idle_start = g_get_monotonic_time ();
      double idle_wall, cpu;

      cpu_start = cpu_seconds ();
      atc_test_run_for (300);
      idle_wall = (g_get_monotonic_time () - idle_start) / 1e6;
      cpu = cpu_seconds () - cpu_start;
      if (cpu > idle_wall * 0.5)
        cell_problem (&cell, "after the unplug: %.3f s CPU in %.3f s", cpu, idle_wall);
    }

  if (!g_str_equal (cell.label->str, "HANG"))
    check_recovery (&cell, &unit);

  g_test_message ("%s %-8s %-9s -> %-18s (%.2f s)", model_id, fault_names[spec->fault],
                  step_names[spec->step], cell.label->str, wall);
  if (!g_str_equal (cell.label->str, expected))
    cell_problem (&cell, "expected %s", expected);

  /* FAULT_MATRIX_LOG=1 shows what went over the wire in each cell. */
  if (g_getenv ("FAULT_MATRIX_LOG") != NULL)
    {
      g_autofree char *text = atc_transaction_log_to_text (atc_session_get_log (unit.session));

      g_test_message ("%s", text);
    }

  observed[spec->model_index][spec->fault][spec->step] = g_strdup (cell.label->str);
  if (cell.problems->len > 0)
    {
      mismatch[spec->model_index][spec->fault][spec->step] = TRUE;
      g_test_fail_printf ("%s %s at %s: %s -- %s", model_id, fault_names[spec->fault],
                          step_names[spec->step], cell.label->str, cell.problems->str);
    }

  unit_close (&unit);
  g_string_free (cell.label, TRUE);
  g_string_free (cell.problems, TRUE);
}

/* --- The summary -------------------------------------------------------- */

static void
test_summary (void)
{
  for (guint m = 0; m < 2; m++)
    {
      GString *line = g_string_new (NULL);

      g_test_message ("%s", "");
      g_test_message ("Fault matrix, %s (rows: fault at the step; '!' = not as expected)",
                      m == 0 ? "USR-G781" : "USR-M0");
      g_string_append_printf (line, "%-9s", "");
      for (guint s = 0; s < N_STEPS; s++)
        g_string_append_printf (line, " %-19s", step_names[s]);
      g_test_message ("%s", line->str);

      for (guint f = 0; f < N_FAULTS; f++)
        {
          g_string_printf (line, "%-9s", fault_names[f]);
          for (guint s = 0; s < N_STEPS; s++)
            {
              g_autofree char *cell = g_strdup_printf ("%s%s",
                                                       observed[m][f][s] != NULL ? observed[m][f][s] : "-",
                                                       mismatch[m][f][s] ? "!" : "");

              g_string_append_printf (line, " %-19s", cell);
            }
          g_test_message ("%s", line->str);
        }
      g_string_free (line, TRUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char **args = g_new0 (char *, argc + 2);
  int n_args = argc + 1;

  /* A cell that fails must not hide the others: run them all, then the
   * table shows every outcome. */
  memcpy (args, argv, sizeof (char *) * argc);
  args[argc] = (char *) "--keep-going";
  argv = args;
  g_test_init (&n_args, &argv, NULL);

  for (guint m = 0; m < 2; m++)
    for (guint s = 0; s < N_STEPS; s++)
      for (guint f = 0; f < N_FAULTS; f++)
        {
          CellSpec *spec = g_new0 (CellSpec, 1);
          g_autofree char *path = g_strdup_printf ("/fault-matrix/%s/%s/%s", m == 0 ? "g781" : "m0",
                                                   step_names[s], fault_names[f]);

          spec->model_index = m;
          spec->fault = f;
          spec->step = s;
          g_ptr_array_add (specs, spec);
          g_test_add_data_func (path, spec, test_cell);
        }
  g_test_add_func ("/fault-matrix/summary/table", test_summary);

  return g_test_run ();
}
