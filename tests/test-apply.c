/* test-apply.c: applying a configuration to a simulated unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Between the session and the simulator sits a tap: a transport that
 * forwards bytes both ways and, at the k-th set command, answers with an
 * error, goes silent, or pulls the plug before or after the unit has
 * executed the line. That puts an interruption at every point of an apply
 * and checks that the report tells exactly what the unit holds.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib-unix.h>

#include "atc-applier.h"
#include "atc-catalog.h"
#include "atc-config-reader.h"
#include "atc-error.h"
#include "atc-session.h"
#include "atc-simulator.h"
#include "atc-test-util.h"

static AtcModel *
model (const char *id)
{
  AtcModel *m = atc_catalog_lookup (atc_catalog_get_default (), id);

  g_assert_nonnull (m);
  return m;
}

/* --- The tap ------------------------------------------------------------ */

typedef enum {
  TAP_PASS,
  TAP_ERROR_REPLY,    /* answer the k-th set with the unit's error reply */
  TAP_SILENCE,        /* swallow the k-th set and everything after it */
  TAP_UNPLUG_BEFORE,  /* pull the plug as the k-th set arrives: the unit never sees it */
  TAP_UNPLUG_AFTER,   /* let the unit execute it, then pull the plug before the reply */
} TapFault;

#define TEST_TYPE_TAP (test_tap_get_type ())
G_DECLARE_FINAL_TYPE (TestTap, test_tap, TEST, TAP, AtcTransport)

struct _TestTap
{
  AtcTransport  parent_instance;

  AtcSimulator *sim;
  int           host_fd;      /* the session's end */
  GSocket      *to_host;
  GSocket      *to_unit;
  GSource      *host_source;
  GSource      *unit_source;
  GString      *pending;      /* host bytes of a line not yet forwarded */
  gulong        executed_id;

  guint         n_sets;       /* set lines the host sent through this tap */
  guint         fault_at;     /* 1-based; 0: none */
  TapFault      fault;
  gboolean      silenced;
  gboolean      swallow;      /* drop what the unit sends */
  char         *unplug_line;  /* unplug once the unit executed this line */
};

G_DEFINE_FINAL_TYPE (TestTap, test_tap, ATC_TYPE_TRANSPORT)

static void
tap_send (GSocket    *socket,
          const char *data,
          gsize       len)
{
  while (socket != NULL && len > 0)
    {
      gssize n = g_socket_send_with_blocking (socket, data, len, TRUE, NULL, NULL);

      if (n <= 0)
        return;
      data += n;
      len -= n;
    }
}

static void
tap_unplug (TestTap *self)
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
}

static gboolean
unplug_idle (gpointer user_data)
{
  TestTap *self = user_data;

  tap_unplug (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
on_executed (AtcSimulator   *sim,
             AtcSimLogEntry *entry,
             gpointer        user_data)
{
  TestTap *self = user_data;

  if (self->unplug_line != NULL && g_str_equal (entry->line, self->unplug_line))
    {
      g_clear_pointer (&self->unplug_line, g_free);
      /* Not from inside the simulator's own read. */
      g_idle_add (unplug_idle, g_object_ref (self));
    }
}

static gboolean
is_set_line (const char *line)
{
  return g_ascii_strncasecmp (line, "AT+", 3) == 0 && strchr (line, '=') != NULL;
}

/* A complete line from the host, with its ending. */
static void
tap_host_line (TestTap    *self,
               const char *data,
               gsize       len)
{
  g_autofree char *line = g_strndup (data, len);

  g_strchomp (line);
  if (is_set_line (line) && ++self->n_sets == self->fault_at)
    {
      switch (self->fault)
        {
        case TAP_ERROR_REPLY:
          {
            g_autoptr(GString) reply = g_string_new (NULL);

            /* Framed as this unit frames it, after the echo it would send. */
            if (atc_sim_unit_get_echo (atc_simulator_get_unit (self->sim)))
              g_string_append_printf (reply, "%s\r\n", line);
            atc_sim_unit_append_error (atc_simulator_get_unit (self->sim), 5, reply);
            tap_send (self->to_host, reply->str, reply->len);
          }
          return;

        case TAP_SILENCE:
          self->silenced = TRUE;
          return;

        case TAP_UNPLUG_BEFORE:
          g_idle_add (unplug_idle, g_object_ref (self));
          self->silenced = TRUE;
          return;

        case TAP_UNPLUG_AFTER:
          self->swallow = TRUE;
          /* The simulator logs lines with secrets masked. */
          self->unplug_line = atc_sim_unit_redact_line (atc_simulator_get_unit (self->sim), line);
          tap_send (self->to_unit, data, len);
          return;

        case TAP_PASS:
        default:
          break;
        }
    }

  tap_send (self->to_unit, data, len);
}

static gboolean
on_host_data (GSocket      *socket,
              GIOCondition  condition,
              gpointer      user_data)
{
  TestTap *self = user_data;
  char buffer[1024];
  gssize n;

  n = g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE, NULL, NULL);
  if (n <= 0)
    {
      tap_unplug (self);
      return G_SOURCE_REMOVE;
    }
  if (self->silenced)
    return G_SOURCE_CONTINUE;

  /* Lines starting "AT" are held until their end, so the fault can pick
   * them; anything else (the handshake's "+++" and "a") passes at once. */
  for (gssize i = 0; i < n && !self->silenced; i++)
    {
      char c = buffer[i];

      if (self->pending->len == 0 && c != 'A')
        {
          tap_send (self->to_unit, &c, 1);
          continue;
        }

      g_string_append_c (self->pending, c);
      if (self->pending->len == 2 && self->pending->str[1] != 'T')
        {
          tap_send (self->to_unit, self->pending->str, self->pending->len);
          g_string_truncate (self->pending, 0);
        }
      else if (c == '\r' || c == '\n')
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
  TestTap *self = user_data;
  char buffer[1024];
  gssize n;

  n = g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE, NULL, NULL);
  if (n <= 0)
    {
      tap_unplug (self);
      return G_SOURCE_REMOVE;
    }
  if (!self->silenced && !self->swallow)
    tap_send (self->to_host, buffer, n);

  return self->to_unit != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
test_tap_open_async (AtcTransport        *transport,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  TestTap *self = TEST_TAP (transport);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GSocket) sim_socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  int host[2], unit[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, host), ==, 0);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, unit), ==, 0);
  g_assert_true (g_unix_set_fd_nonblocking (host[0], TRUE, NULL));

  tap_unplug (self);
  self->silenced = FALSE;
  self->swallow = FALSE;
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
test_tap_open_finish (AtcTransport  *transport,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_tap_close (AtcTransport *transport)
{
  TestTap *self = TEST_TAP (transport);

  tap_unplug (self);
  if (self->host_fd >= 0)
    close (self->host_fd);
  self->host_fd = -1;
}

static void
test_tap_dispose (GObject *object)
{
  TestTap *self = TEST_TAP (object);

  G_OBJECT_CLASS (test_tap_parent_class)->dispose (object);

  if (self->sim != NULL)
    g_clear_signal_handler (&self->executed_id, self->sim);
  g_clear_object (&self->sim);
}

static void
test_tap_finalize (GObject *object)
{
  TestTap *self = TEST_TAP (object);

  g_string_free (self->pending, TRUE);
  g_free (self->unplug_line);

  G_OBJECT_CLASS (test_tap_parent_class)->finalize (object);
}

static void
test_tap_class_init (TestTapClass *klass)
{
  AtcTransportClass *transport_class = ATC_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = test_tap_dispose;
  G_OBJECT_CLASS (klass)->finalize = test_tap_finalize;
  transport_class->open_async = test_tap_open_async;
  transport_class->open_finish = test_tap_open_finish;
  transport_class->close = test_tap_close;
}

static void
test_tap_init (TestTap *self)
{
  self->host_fd = -1;
  self->pending = g_string_new (NULL);
}

static TestTap *
test_tap_new (AtcSimulator *sim)
{
  g_autoptr(AtcAddress) address = atc_address_parse ("demo:g781", NULL);
  TestTap *self = g_object_new (TEST_TYPE_TAP, "address", address, NULL);

  self->sim = g_object_ref (sim);
  self->executed_id = g_signal_connect (sim, "command-executed", G_CALLBACK (on_executed), self);
  return self;
}

static void
tap_set_fault (TestTap  *self,
               TapFault  fault,
               guint     at)
{
  self->fault = fault;
  self->fault_at = at;
  self->n_sets = 0;
  self->silenced = FALSE;
  self->swallow = FALSE;
}

/* --- A unit under test -------------------------------------------------- */

typedef struct {
  AtcSimulator *sim;
  TestTap      *tap;
  AtcSession   *session;
} Unit;

static void
unit_connect (Unit *unit)
{
  atc_test_session_connect_ok (unit->session);
}

static void
unit_open (Unit       *unit,
           const char *model_id)
{
  g_autoptr(GError) error = NULL;

  unit->sim = atc_simulator_new_for_model_id (model_id, 7, &error);
  g_assert_no_error (error);
  atc_simulator_set_latency_ms (unit->sim, 1);
  unit->tap = test_tap_new (unit->sim);
  unit->session = atc_session_new (ATC_TRANSPORT (unit->tap));
  atc_session_set_model (unit->session, model (model_id));
  unit_connect (unit);
}

static void
unit_close (Unit *unit)
{
  atc_session_close (unit->session);
  g_clear_object (&unit->session);
  g_clear_object (&unit->tap);
  g_clear_object (&unit->sim);
}

static AtcConfig *
read_unit (Unit *unit)
{
  g_autoptr(AtcConfigReader) reader = atc_config_reader_new (unit->session);
  g_autoptr(GError) error = NULL;
  AtcTestWait await = { 0 };
  AtcConfig *config;

  atc_config_reader_read_async (reader, NULL, atc_test_wait_done, &await);
  config = atc_config_reader_read_finish (reader, atc_test_wait_result (&await), &error);
  g_assert_no_error (error);
  atc_test_wait_clear (&await);
  return config;
}

static AtcApplyReport *
apply_cancellable (AtcApplier    *applier,
                   GCancellable  *cancellable,
                   GError       **error)
{
  AtcTestWait await = { 0 };
  AtcApplyReport *report;

  atc_applier_apply_async (applier, cancellable, atc_test_wait_done, &await);
  report = atc_applier_apply_finish (applier, atc_test_wait_result (&await), error);
  atc_test_wait_clear (&await);
  return report;
}

static AtcApplyReport *
apply (AtcApplier  *applier,
       GError     **error)
{
  AtcTestWait await = { 0 };
  AtcApplyReport *report;

  atc_applier_apply_async (applier, NULL, atc_test_wait_done, &await);
  report = atc_applier_apply_finish (applier, atc_test_wait_result (&await), error);
  atc_test_wait_clear (&await);
  return report;
}

/* The set lines the unit executed since its log was cleared. */
static GPtrArray *
executed_sets (AtcSimulator *sim)
{
  GPtrArray *log = atc_simulator_get_log (sim);
  GPtrArray *sets = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < log->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, i);

      if (is_set_line (entry->line))
        g_ptr_array_add (sets, g_strdup (entry->line));
    }
  return sets;
}

static void
assert_unit_holds (AtcSimulator *sim,
                   AtcConfig    *config,
                   const char   *command)
{
  g_auto(GStrv) expected = atc_config_get_values (config, command);
  g_auto(GStrv) values = atc_simulator_dup_values (sim, command, NULL);

  g_assert_nonnull (expected);
  g_assert_cmpstrv (values, expected);
}

static void
assert_unit_lacks (AtcSimulator *sim,
                   AtcConfig    *config,
                   const char   *command)
{
  g_auto(GStrv) target = atc_config_get_values (config, command);
  g_auto(GStrv) values = atc_simulator_dup_values (sim, command, NULL);

  g_assert_false (g_strv_equal ((const char *const *) values, (const char *const *) target));
}

/* --- Scenarios ---------------------------------------------------------- */

/* Four commands to change on a G781, one of which (UART) has an untouched
 * parameter the unit holds at a non-default value. */
static AtcConfig *
g781_target (AtcConfig *current)
{
  AtcConfig *target = atc_config_copy (current);

  g_assert_true (atc_config_set_value (target, "WKMOD", "mode", "HTTPD", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "SOCKBEN", "status", "ON", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "SOCKB", "address", "10.9.8.7", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "UART", "parity", "EVEN", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "APN", "password", "n3w-apn-pw", ATC_VALUE_SOURCE_EDITED, NULL));
  /* Typed but equal to what the unit has: not sent. */
  g_assert_true (atc_config_set_value (target, "UARTFT", "time", "50", ATC_VALUE_SOURCE_EDITED, NULL));
  return target;
}

/* The order an apply takes for g781_target(). */
static const char *const g781_order[] = { "APN", "UART", "SOCKB", "SOCKBEN", "WKMOD" };

static void
preset_g781 (AtcSimulator *sim)
{
  const char *uart[] = { "9600", "8", "1", "NONE", "NFC", NULL };
  const char *apn[] = { "iot.example", "fieldops", "old-apn-pw", "1", NULL };

  g_assert_true (atc_simulator_set_values (sim, "UART", uart, NULL));
  g_assert_true (atc_simulator_set_values (sim, "APN", apn, NULL));
}

static void
test_apply_exact_diff_g781 (void)
{
  Unit unit = { 0 };
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GPtrArray) sets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GPtrArray *steps;

  unit_open (&unit, "g781");
  preset_g781 (unit.sim);
  current = read_unit (&unit);
  target = g781_target (current);

  atc_simulator_clear_log (unit.sim);
  applier = atc_applier_new (unit.session, current, target);
  report = apply (applier, &error);
  g_assert_no_error (error);

  g_assert_true (atc_apply_report_is_complete (report));
  g_assert_null (atc_apply_report_get_error (report));
  steps = atc_apply_report_get_steps (report);
  g_assert_cmpuint (steps->len, ==, G_N_ELEMENTS (g781_order));
  for (guint i = 0; i < steps->len; i++)
    {
      AtcApplyStep *step = g_ptr_array_index (steps, i);

      g_assert_cmpstr (step->command->name, ==, g781_order[i]);
      g_assert_cmpint (step->status, ==, ATC_APPLY_VERIFIED);
      g_assert_no_error (step->error);
    }

  /* Exactly one set per changed command, whole, in apply order; the
   * untouched UART baud rate is the unit's 9600, not the default. */
  sets = executed_sets (unit.sim);
  g_assert_cmpuint (sets->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (sets, 0), ==, "AT+APN=iot.example,fieldops,•••,1");
  g_assert_cmpstr (g_ptr_array_index (sets, 1), ==, "AT+UART=9600,8,1,EVEN,NFC");
  g_assert_cmpstr (g_ptr_array_index (sets, 2), ==, "AT+SOCKB=TCPC,10.9.8.7,2317");
  g_assert_cmpstr (g_ptr_array_index (sets, 3), ==, "AT+SOCKBEN=ON");
  g_assert_cmpstr (g_ptr_array_index (sets, 4), ==, "AT+WKMOD=HTTPD");

  for (guint i = 0; i < G_N_ELEMENTS (g781_order); i++)
    assert_unit_holds (unit.sim, target, g781_order[i]);
  assert_unit_holds (unit.sim, target, "UARTFT");
  g_assert_cmpuint (atc_apply_report_count_changed (report), ==, 5);

  /* The report never shows the secret. */
  text = atc_apply_report_to_text (report);
  g_assert_null (strstr (text, "n3w-apn-pw"));
  g_assert_null (strstr (text, "old-apn-pw"));
  g_assert_nonnull (strstr (text, "UART parity: NONE -> EVEN — applied and verified"));

  /* Applying again finds nothing to do and sends no set. */
  {
    g_autoptr(AtcApplier) again = atc_applier_new (unit.session, NULL, target);
    g_autoptr(AtcApplyReport) second = NULL;
    g_autoptr(GPtrArray) none = NULL;

    atc_simulator_clear_log (unit.sim);
    second = apply (again, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (atc_apply_report_get_steps (second)->len, ==, 0);
    g_assert_true (atc_apply_report_is_complete (second));
    none = executed_sets (unit.sim);
    g_assert_cmpuint (none->len, ==, 0);
  }

  unit_close (&unit);
}

static void
test_apply_exact_diff_m0 (void)
{
  Unit unit = { 0 };
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GPtrArray) sets = NULL;
  g_autoptr(GError) error = NULL;
  const char *wann[] = { "STATIC", "10.1.1.20", "255.255.255.0", "10.1.1.1", NULL };

  unit_open (&unit, "m0");
  current = read_unit (&unit);
  target = atc_config_copy (current);
  g_assert_true (atc_config_set_values (target, "WANN", wann, ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "HEARTEN", "status", "ON", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "HTPHEAD", "header", "A: b\r\nC: d", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "HEARTDT", "data", "alive", ATC_VALUE_SOURCE_EDITED, NULL));

  atc_simulator_clear_log (unit.sim);
  applier = atc_applier_new (unit.session, current, target);
  report = apply (applier, &error);
  g_assert_no_error (error);
  g_assert_true (atc_apply_report_is_complete (report));

  sets = executed_sets (unit.sim);
  g_assert_cmpuint (sets->len, ==, 4);
  /* Settings first, the heartbeat switched on last. */
  g_assert_cmpstr (g_ptr_array_index (sets, 0), ==, "AT+WANN=STATIC,10.1.1.20,255.255.255.0,10.1.1.1");
  g_assert_cmpstr (g_ptr_array_index (sets, 3), ==, "AT+HEARTEN=ON");
  assert_unit_holds (unit.sim, target, "WANN");
  assert_unit_holds (unit.sim, target, "HTPHEAD");
  assert_unit_holds (unit.sim, target, "HEARTDT");
  assert_unit_holds (unit.sim, target, "HEARTEN");

  unit_close (&unit);
}

static void
on_executed_change_state (AtcSimulator   *sim,
                          AtcSimLogEntry *entry,
                          gpointer        user_data)
{
  const char *uartft[] = { "70", NULL };

  /* The unit stores something else than it was told. */
  if (g_str_equal (entry->line, "AT+UARTFT=100"))
    g_assert_true (atc_simulator_set_values (sim, "UARTFT", uartft, NULL));
}

static void
test_apply_verify_mismatch (void)
{
  Unit unit = { 0 };
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  AtcApplyStep *step;
  gulong id;

  unit_open (&unit, "g781");
  current = read_unit (&unit);
  target = atc_config_copy (current);
  g_assert_true (atc_config_set_value (target, "UARTFT", "time", "100", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "HEARTTM", "time", "60", ATC_VALUE_SOURCE_EDITED, NULL));

  id = g_signal_connect (unit.sim, "command-executed", G_CALLBACK (on_executed_change_state), NULL);
  applier = atc_applier_new (unit.session, current, target);
  atc_applier_set_restart (applier, TRUE);
  report = apply (applier, &error);
  g_assert_no_error (error);
  g_signal_handler_disconnect (unit.sim, id);

  step = atc_apply_report_lookup (report, "UARTFT");
  g_assert_cmpint (step->status, ==, ATC_APPLY_MISMATCH);
  g_assert_error (step->error, ATC_ERROR, ATC_ERROR_VERIFY);
  g_assert_nonnull (strstr (step->error->message, "wrote 100, the unit reports 70"));
  g_assert_cmpstr (step->read_back[0], ==, "70");
  g_assert_cmpint (atc_apply_report_lookup (report, "HEARTTM")->status, ==, ATC_APPLY_VERIFIED);

  g_assert_false (atc_apply_report_is_complete (report));
  g_assert_error ((GError *) atc_apply_report_get_error (report), ATC_ERROR, ATC_ERROR_VERIFY);
  /* A unit that did not take the settings is not restarted. */
  g_assert_cmpint (atc_apply_report_get_restart_status (report), ==, ATC_RESTART_SKIPPED);

  text = atc_apply_report_to_text (report);
  g_assert_nonnull (strstr (text, "UARTFT packing interval: 50 -> 100 — applied, not verified"));
  json = atc_apply_report_to_json (report);
  {
    JsonObject *root = json_node_get_object (json);
    JsonArray *steps = json_object_get_array_member (root, "steps");
    JsonObject *first = json_array_get_object_element (steps, 0);

    g_assert_false (json_object_get_boolean_member (root, "complete"));
    g_assert_cmpstr (json_object_get_string_member (root, "restart"), ==, "skipped");
    g_assert_cmpstr (json_object_get_string_member (first, "command"), ==, "UARTFT");
    g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "mismatch");
    g_assert_cmpstr (json_object_get_string_member (first, "line"), ==, "AT+UARTFT=100");
  }

  unit_close (&unit);
}

/* Every interruption point: for each k, the fault hits the k-th set. */
typedef struct {
  TapFault fault;
  guint    k;
} Interruption;

static void
test_apply_interrupted (gconstpointer data)
{
  const Interruption *what = data;
  Unit unit = { 0 };
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *dump = NULL;
  guint k = what->k;
  guint n = G_N_ELEMENTS (g781_order);
  const GError *stop;
  GPtrArray *steps;

  unit_open (&unit, "g781");
  preset_g781 (unit.sim);
  /* Silence ends in a timeout: keep it short. */
  atc_session_set_timeout_scale (unit.session, 0.1);
  current = read_unit (&unit);
  target = g781_target (current);

  tap_set_fault (unit.tap, what->fault, k);
  applier = atc_applier_new (unit.session, current, target);
  atc_applier_set_restart (applier, TRUE);
  report = apply (applier, &error);
  g_assert_no_error (error);

  steps = atc_apply_report_get_steps (report);
  g_assert_cmpuint (steps->len, ==, n);
  stop = atc_apply_report_get_error (report);
  g_assert_nonnull (stop);
  g_assert_false (atc_apply_report_is_complete (report));
  g_assert_cmpint (atc_apply_report_get_restart_status (report), ==, ATC_RESTART_SKIPPED);

  for (guint i = 0; i < n; i++)
    {
      AtcApplyStep *step = g_ptr_array_index (steps, i);
      const char *command = step->command->name;

      if (i + 1 < k)
        {
          /* Before the fault: applied; read back when the unit still talks. */
          g_assert_cmpint (step->status, ==, what->fault == TAP_ERROR_REPLY ? ATC_APPLY_VERIFIED
                                                                            : ATC_APPLY_APPLIED);
          assert_unit_holds (unit.sim, target, command);
        }
      else if (i + 1 == k)
        {
          switch (what->fault)
            {
            case TAP_ERROR_REPLY:
              g_assert_cmpint (step->status, ==, ATC_APPLY_REJECTED);
              g_assert_error (step->error, ATC_ERROR, ATC_ERROR_UNIT_ERROR);
              /* The unit's raw words reach the technician. */
              g_assert_nonnull (strstr (step->error->message, "ERR5"));
              assert_unit_lacks (unit.sim, target, command);
              break;
            case TAP_SILENCE:
              g_assert_cmpint (step->status, ==, ATC_APPLY_UNKNOWN);
              g_assert_error (step->error, ATC_ERROR, ATC_ERROR_TIMEOUT);
              assert_unit_lacks (unit.sim, target, command);
              break;
            case TAP_UNPLUG_BEFORE:
              g_assert_cmpint (step->status, ==, ATC_APPLY_UNKNOWN);
              g_assert_error (step->error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
              assert_unit_lacks (unit.sim, target, command);
              break;
            case TAP_UNPLUG_AFTER:
              g_assert_cmpint (step->status, ==, ATC_APPLY_UNKNOWN);
              g_assert_error (step->error, ATC_ERROR, ATC_ERROR_DISCONNECTED);
              assert_unit_holds (unit.sim, target, command);
              break;
            case TAP_PASS:
            default:
              g_assert_not_reached ();
            }
          g_assert_true (stop->domain == step->error->domain && stop->code == step->error->code);
        }
      else
        {
          g_assert_cmpint (step->status, ==, ATC_APPLY_NOT_APPLIED);
          assert_unit_lacks (unit.sim, target, command);
        }
    }

  /* Reports as text and JSON say the same, without the secret. */
  text = atc_apply_report_to_text (report);
  g_assert_nonnull (strstr (text, "Stopped: "));
  g_assert_null (strstr (text, "n3w-apn-pw"));
  json = atc_apply_report_to_json (report);
  dump = json_to_string (json, FALSE);
  g_assert_null (strstr (dump, "n3w-apn-pw"));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (json), "interrupted"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (json_node_get_object (json), "steps"), k - 1), "status"),
                   ==, atc_apply_status_to_string (((AtcApplyStep *) g_ptr_array_index (steps, k - 1))->status));

  /* Resume: the link is back; reading the unit again computes what is
   * left, and only that is sent. */
  tap_set_fault (unit.tap, TAP_PASS, 0);
  if (atc_session_get_state (unit.session) == ATC_SESSION_DISCONNECTED)
    unit_connect (&unit);
  atc_simulator_clear_log (unit.sim);
  {
    g_autoptr(AtcApplier) resume = atc_applier_new (unit.session, NULL, target);
    g_autoptr(AtcApplyReport) done = NULL;
    g_autoptr(GPtrArray) sets = NULL;
    guint left = what->fault == TAP_UNPLUG_AFTER ? n - k : n - k + 1;

    done = apply (resume, &error);
    g_assert_no_error (error);
    g_assert_true (atc_apply_report_is_complete (done));
    g_assert_cmpuint (atc_apply_report_get_steps (done)->len, ==, left);
    sets = executed_sets (unit.sim);
    g_assert_cmpuint (sets->len, ==, left);
    for (guint i = 0; i < n; i++)
      assert_unit_holds (unit.sim, target, g781_order[i]);
  }

  unit_close (&unit);
}

static void
test_apply_dry_run (void)
{
  Unit unit = { 0 };
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) lines_secrets = NULL;
  guint before;
  const char *expected[] = {
    "AT+APN=iot.example,fieldops," ATC_SECRET_MASK ",1",
    "AT+UART=9600,8,1,EVEN,NFC",
    "AT+SOCKB=TCPC,10.9.8.7,2317",
    "AT+SOCKBEN=ON",
    "AT+WKMOD=HTTPD",
    "AT+Z",
    NULL
  };

  unit_open (&unit, "g781");
  preset_g781 (unit.sim);
  current = read_unit (&unit);
  target = g781_target (current);
  before = atc_simulator_get_command_count (unit.sim);

  applier = atc_applier_new (unit.session, current, target);
  atc_applier_set_restart (applier, TRUE);
  lines = atc_applier_dry_run (applier, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (lines, expected);
  lines_secrets = atc_applier_dry_run (applier, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lines_secrets[0], ==, "AT+APN=iot.example,fieldops,n3w-apn-pw,1");

  /* Give the link a chance to carry anything it would have sent. */
  atc_test_run_for (50);
  g_assert_cmpuint (atc_simulator_get_command_count (unit.sim), ==, before);
  assert_unit_lacks (unit.sim, target, "UART");

  unit_close (&unit);
}

static void
test_apply_refuses_bad_plans (void)
{
  Unit unit = { 0 };
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) timeout = g_error_new_literal (ATC_ERROR, ATC_ERROR_TIMEOUT, "no answer");
  guint before;

  unit_open (&unit, "g781");
  current = read_unit (&unit);
  /* SOCKC could not be read: its address is unknown, so changing only
   * its port would send a guessed address. */
  atc_config_set_read_error (current, "SOCKC", timeout);
  target = atc_config_copy (current);
  g_assert_true (atc_config_set_value (target, "SOCKC", "port", "4000", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_false (atc_config_set_value (target, "HEARTTM", "time", "0", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_false (atc_config_set_value (target, "APN", "password", "a;b", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "UART", "parity", "ODD", ATC_VALUE_SOURCE_EDITED, NULL));

  before = atc_simulator_get_command_count (unit.sim);
  applier = atc_applier_new (unit.session, current, target);
  report = apply (applier, &error);
  g_assert_null (report);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE);
  g_assert_true (g_str_has_prefix (error->message, "Nothing was sent: 3 settings need fixing first:"));
  g_assert_nonnull (strstr (error->message, "SOCKC could not be read from the unit"));
  g_assert_nonnull (strstr (error->message, "HEARTTM"));
  g_assert_null (strstr (error->message, "a;b"));
  g_assert_cmpuint (atc_simulator_get_command_count (unit.sim), ==, before);

  unit_close (&unit);
}

static void
test_apply_profile_wrong_model (void)
{
  Unit unit = { 0 };
  g_autoptr(AtcProfile) profile = atc_profile_new (model ("m0"));
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GError) error = NULL;

  unit_open (&unit, "g781");
  g_assert_true (atc_profile_set_value (profile, "DNS", "address", "1.1.1.1", NULL));
  applier = atc_applier_new_for_profile (unit.session, NULL, profile);
  report = apply (applier, &error);
  g_assert_null (report);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_PROFILE);
  g_assert_nonnull (strstr (error->message, "USR-M0"));

  unit_close (&unit);
}

typedef struct {
  GArray *phases;
} PhaseLog;

static void
on_apply_progress (AtcApplier *applier,
                   int         phase,
                   const char *command,
                   guint       done,
                   guint       total,
                   gpointer    user_data)
{
  PhaseLog *log = user_data;

  if (log->phases->len == 0 || g_array_index (log->phases, int, log->phases->len - 1) != phase)
    g_array_append_val (log->phases, phase);
}

static void
test_apply_restart (gconstpointer data)
{
  const char *model_id = data;
  Unit unit = { 0 };
  g_autoptr(AtcProfile) profile = atc_profile_new (model (model_id));
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  PhaseLog phases = { g_array_new (FALSE, FALSE, sizeof (int)) };
  GPtrArray *log;
  gboolean restarted = FALSE;
  guint queries_after = 0;
  const int expected_phases[] = {
    ATC_APPLY_PHASE_READ, ATC_APPLY_PHASE_SET, ATC_APPLY_PHASE_VERIFY,
    ATC_APPLY_PHASE_RESTART, ATC_APPLY_PHASE_VERIFY_RESTART, ATC_APPLY_PHASE_DONE,
  };

  unit_open (&unit, model_id);
  /* A short simulated reboot; the session waits the model's reboot time
   * scaled down to match. */
  atc_simulator_set_reboot_ms (unit.sim, 100);
  atc_session_set_timeout_scale (unit.session, g_str_equal (model_id, "g781") ? 0.05 : 0.1);
  g_assert_true (atc_profile_set_value (profile, "UART", "parity", "EVEN", NULL));
  g_assert_true (atc_profile_set_value (profile, "E", "status", "OFF", NULL));

  applier = atc_applier_new_for_profile (unit.session, NULL, profile);
  atc_applier_set_restart (applier, TRUE);
  g_signal_connect (applier, "progress", G_CALLBACK (on_apply_progress), &phases);
  atc_simulator_clear_log (unit.sim);
  report = apply (applier, &error);
  g_assert_no_error (error);

  g_assert_true (atc_apply_report_is_complete (report));
  g_assert_cmpint (atc_apply_report_get_restart_status (report), ==, ATC_RESTART_DONE);
  g_assert_cmpint (atc_apply_report_lookup (report, "UART")->status, ==, ATC_APPLY_VERIFIED);
  g_assert_cmpint (atc_apply_report_lookup (report, "E")->status, ==, ATC_APPLY_VERIFIED);
  g_assert_cmpint (atc_session_get_state (unit.session), ==, ATC_SESSION_COMMAND_MODE);

  /* The restart went out after the sets, and both settings were read
   * back once more after it. */
  log = atc_simulator_get_log (unit.sim);
  for (guint i = 0; i < log->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, i);

      if (g_str_equal (entry->line, "AT+Z"))
        restarted = TRUE;
      else if (restarted && (g_str_equal (entry->line, "AT+UART") || g_str_equal (entry->line, "AT+E")))
        queries_after++;
    }
  g_assert_true (restarted);
  g_assert_cmpuint (queries_after, ==, 2);

  g_assert_cmpuint (phases.phases->len, ==, G_N_ELEMENTS (expected_phases));
  for (guint i = 0; i < G_N_ELEMENTS (expected_phases); i++)
    g_assert_cmpint (g_array_index (phases.phases, int, i), ==, expected_phases[i]);

  g_array_unref (phases.phases);
  unit_close (&unit);
}

typedef struct {
  GCancellable *cancellable;
  guint         at;  /* 0-based step */
} CancelAt;

static void
on_progress_cancel (AtcApplier *applier,
                    int         phase,
                    const char *command,
                    guint       done,
                    guint       total,
                    gpointer    user_data)
{
  CancelAt *cancel = user_data;

  /* The technician presses Stop as this step comes up. */
  if (phase == ATC_APPLY_PHASE_SET && done == cancel->at)
    g_cancellable_cancel (cancel->cancellable);
}

static void
test_apply_cancelled (void)
{
  Unit unit = { 0 };
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) sets = NULL;
  g_autoptr(GError) error = NULL;
  CancelAt cancel = { cancellable, 2 };
  GPtrArray *steps;

  unit_open (&unit, "g781");
  preset_g781 (unit.sim);
  current = read_unit (&unit);
  target = g781_target (current);
  atc_simulator_clear_log (unit.sim);

  applier = atc_applier_new (unit.session, current, target);
  g_signal_connect (applier, "progress", G_CALLBACK (on_progress_cancel), &cancel);
  report = apply_cancellable (applier, cancellable, &error);
  g_assert_no_error (error);

  g_assert_error ((GError *) atc_apply_report_get_error (report), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  steps = atc_apply_report_get_steps (report);
  for (guint i = 0; i < steps->len; i++)
    {
      AtcApplyStep *step = g_ptr_array_index (steps, i);

      g_assert_cmpint (step->status, ==, i < cancel.at ? ATC_APPLY_APPLIED : ATC_APPLY_NOT_APPLIED);
      if (i < cancel.at)
        assert_unit_holds (unit.sim, target, step->command->name);
      else
        assert_unit_lacks (unit.sim, target, step->command->name);
    }
  sets = executed_sets (unit.sim);
  g_assert_cmpuint (sets->len, ==, cancel.at);

  unit_close (&unit);
}

static void
test_apply_password_mode (void)
{
  Unit unit = { 0 };
  g_autoptr(AtcConfig) current = NULL;
  g_autoptr(AtcConfig) target = NULL;
  g_autoptr(AtcApplier) applier = NULL;
  g_autoptr(AtcApplyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *log;
  guint n_sets = 0;

  unit.sim = atc_simulator_new_for_model_id ("g781", 9, &error);
  g_assert_no_error (error);
  atc_simulator_set_latency_ms (unit.sim, 1);
  unit.tap = test_tap_new (unit.sim);
  unit.session = atc_session_new (ATC_TRANSPORT (unit.tap));
  atc_session_set_model (unit.session, model ("g781"));
  /* Commands ride the data channel, prefixed with the factory password. */
  atc_session_set_command_password (unit.session, "www.usr.cn#");
  unit_connect (&unit);
  g_assert_cmpint (atc_session_get_state (unit.session), ==, ATC_SESSION_PASSWORD_MODE);

  current = read_unit (&unit);
  target = atc_config_copy (current);
  /* The new password goes out first; the settings after it must use it. */
  g_assert_true (atc_config_set_value (target, "CMDPW", "password", "n3wpass", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "UARTFT", "time", "100", ATC_VALUE_SOURCE_EDITED, NULL));
  g_assert_true (atc_config_set_value (target, "WKMOD", "mode", "HTTPD", ATC_VALUE_SOURCE_EDITED, NULL));
  atc_simulator_clear_log (unit.sim);

  applier = atc_applier_new (unit.session, current, target);
  report = apply (applier, &error);
  g_assert_no_error (error);
  g_assert_true (atc_apply_report_is_complete (report));
  g_assert_cmpstr (((AtcApplyStep *) g_ptr_array_index (atc_apply_report_get_steps (report), 0))->command->name,
                   ==, "CMDPW");

  g_assert_cmpstr (atc_sim_unit_get_password (atc_simulator_get_unit (unit.sim)), ==, "n3wpass");
  assert_unit_holds (unit.sim, target, "UARTFT");
  assert_unit_holds (unit.sim, target, "WKMOD");
  /* The unit never left data mode. */
  g_assert_cmpint (atc_simulator_get_mode (unit.sim), ==, ATC_SIM_MODE_TRANSPARENT);
  log = atc_simulator_get_log (unit.sim);
  for (guint i = 0; i < log->len; i++)
    {
      AtcSimLogEntry *entry = g_ptr_array_index (log, i);

      g_assert_true (entry->transparent);
      g_assert_cmpint (entry->error, ==, ATC_SIM_ERR_NONE);
      n_sets += is_set_line (entry->line);
    }
  g_assert_cmpuint (n_sets, ==, 3);

  unit_close (&unit);
}

int
main (int   argc,
      char *argv[])
{
  static const char *const fault_names[] = { "pass", "error-reply", "silence", "unplug-before", "unplug-after" };
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/apply/exact-diff/g781", test_apply_exact_diff_g781);
  g_test_add_func ("/apply/exact-diff/m0", test_apply_exact_diff_m0);
  g_test_add_func ("/apply/verify-mismatch", test_apply_verify_mismatch);
  g_test_add_func ("/apply/dry-run", test_apply_dry_run);
  g_test_add_func ("/apply/refuses-bad-plans", test_apply_refuses_bad_plans);
  g_test_add_func ("/apply/profile-wrong-model", test_apply_profile_wrong_model);
  g_test_add_func ("/apply/cancelled", test_apply_cancelled);
  g_test_add_func ("/apply/password-mode", test_apply_password_mode);
  g_test_add_data_func ("/apply/restart/g781", "g781", test_apply_restart);
  g_test_add_data_func ("/apply/restart/m0", "m0", test_apply_restart);

  for (TapFault fault = TAP_ERROR_REPLY; fault <= TAP_UNPLUG_AFTER; fault++)
    for (guint k = 1; k <= G_N_ELEMENTS (g781_order); k++)
      {
        Interruption *what = g_new0 (Interruption, 1);
        g_autofree char *path = g_strdup_printf ("/apply/interrupted/%s/%u", fault_names[fault], k);

        what->fault = fault;
        what->k = k;
        g_ptr_array_add (cases, what);
        g_test_add_data_func (path, what, test_apply_interrupted);
      }

  return g_test_run ();
}
