/* test-detect.c: finding the model, firmware, echo and baud rate of a unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atc-catalog.h"
#include "atc-demo-transport.h"
#include "atc-error.h"
#include "atc-session.h"
#include "atc-simulator.h"
#include "atc-test-util.h"

#define WAIT_MS 120000

/* A simulated unit on a pty, and a session on it that does not know the
 * model. */
static AtcSession *
pty_session (const char    *model_id,
             const char    *options,
             AtcSimulator **simulator)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  const char *path;
  AtcSession *session;

  *simulator = atc_simulator_new_for_model_id (model_id, 11, &error);
  g_assert_no_error (error);
  path = atc_simulator_open_pty (*simulator, &error);
  g_assert_no_error (error);

  address = g_strdup_printf ("pty:%s%s", path, options != NULL ? options : "");
  session = atc_session_new_for_address (address, &error);
  g_assert_no_error (error);
  g_assert_null (atc_session_get_model (session));
  return session;
}

static const char *
document_firmware (const char *model_id)
{
  /* As the documents' titles give them. */
  if (g_str_equal (model_id, "g781"))
    return "V1.1.05";
  return "4016";
}

static void
check_detect (const char *model_id)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcDetection) detection = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;

  session = pty_session (model_id, NULL, &simulator);
  detection = atc_test_session_detect (session, &error);
  g_assert_no_error (error);
  g_assert_nonnull (detection);

  g_assert_cmpstr (atc_model_get_id (detection->model), ==, model_id);
  g_assert_cmpstr (detection->firmware, ==, document_firmware (model_id));
  g_assert_true (detection->echo);
  g_assert_cmpuint (detection->baud, ==, 115200);

  /* The session now knows the model: commands of its catalog work. */
  g_assert_true (atc_session_get_model (session) == detection->model);
  g_assert_cmpstr (atc_session_get_firmware (session), ==, document_firmware (model_id));
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_COMMAND_MODE);
  values = atc_test_session_query (session, "UART", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (values[0], ==, "115200");
}

static void
test_detect_g781 (void)
{
  check_detect ("g781");
}

static void
test_detect_m0 (void)
{
  check_detect ("m0");
}

/* The demo unit through the in-process transport: not a serial link, so
 * no baud rate is reported. */
static void
test_detect_demo (void)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcDetection) detection = NULL;
  g_autoptr(GError) error = NULL;

  session = atc_session_new_for_address ("demo:m0", &error);
  g_assert_no_error (error);
  detection = atc_test_session_detect (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atc_model_get_id (detection->model), ==, "m0");
  g_assert_cmpstr (detection->firmware, ==, "4016");
  g_assert_cmpuint (detection->baud, ==, 0);
}

static void
test_detect_echo_off (void)
{
  const char *off[] = { "OFF", NULL };
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcDetection) detection = NULL;
  g_autoptr(GError) error = NULL;

  session = pty_session ("g781", NULL, &simulator);
  g_assert_true (atc_simulator_set_values (simulator, "E", off, &error));
  g_assert_no_error (error);

  detection = atc_test_session_detect (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atc_model_get_id (detection->model), ==, "g781");
  g_assert_cmpstr (detection->firmware, ==, "V1.1.05");
  g_assert_false (detection->echo);
}

/* The same answer when the unit is already in command mode. */
static void
test_detect_twice (void)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcDetection) first = NULL;
  g_autoptr(AtcDetection) second = NULL;
  g_autoptr(GError) error = NULL;

  session = pty_session ("m0", NULL, &simulator);
  first = atc_test_session_detect (session, &error);
  g_assert_no_error (error);
  g_assert_cmpint (atc_simulator_get_mode (simulator), ==, ATC_SIM_MODE_COMMAND);
  second = atc_test_session_detect (session, &error);
  g_assert_no_error (error);
  g_assert_true (first->model == second->model);
  g_assert_cmpstr (first->firmware, ==, second->firmware);
}

static void
check_baud_search (const char *model_id,
                   guint       unit_baud)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcDetection) detection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tried = NULL;

  /* The address says 115200; the unit runs at another rate and answers
   * noise at the wrong one. */
  session = pty_session (model_id, "?baud=115200", &simulator);
  g_assert_true (atc_simulator_set_baud (simulator, unit_baud, &error));
  g_assert_no_error (error);

  detection = atc_test_session_detect (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atc_model_get_id (detection->model), ==, model_id);
  g_assert_cmpuint (detection->baud, ==, unit_baud);
  g_assert_cmpuint (atc_transport_get_line_settings (atc_session_get_transport (session))->baud,
                    ==, unit_baud);
  g_assert_cmpstr (detection->firmware, ==, document_firmware (model_id));

  /* The log tells the technician what was tried. */
  text = atc_transaction_log_to_text (atc_session_get_log (session));
  tried = g_strdup_printf ("trying %u baud", unit_baud);
  g_assert_nonnull (strstr (text, tried));
}

static void
test_baud_search_g781 (void)
{
  check_baud_search ("g781", 9600);
}

static void
test_baud_search_m0 (void)
{
  check_baud_search ("m0", 57600);
}

static void
test_baud_search_nothing (void)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcDetection) detection = NULL;
  g_autoptr(GError) error = NULL;
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;

  session = pty_session ("m0", "?baud=115200", &simulator);
  atc_session_set_timeout_scale (session, 0.2);
  faults.silent = TRUE;
  atc_simulator_set_faults (simulator, &faults);

  detection = atc_test_session_detect (session, &error);
  g_assert_null (detection);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_HANDSHAKE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "9600"));
  /* The link is left at the rate it was opened with. */
  g_assert_cmpuint (atc_transport_get_line_settings (atc_session_get_transport (session))->baud,
                    ==, 115200);
}

/* Over the data channel with the command password: no handshake. */
static void
test_detect_password (void)
{
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(AtcDetection) detection = NULL;
  g_autoptr(GError) error = NULL;

  session = pty_session ("g781", "?password=www.usr.cn%23", &simulator);
  detection = atc_test_session_detect (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atc_model_get_id (detection->model), ==, "g781");
  g_assert_cmpstr (detection->firmware, ==, "V1.1.05");
  g_assert_cmpint (atc_session_get_state (session), ==, ATC_SESSION_PASSWORD_MODE);
  g_assert_cmpint (atc_simulator_get_mode (simulator), ==, ATC_SIM_MODE_TRANSPARENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  atc_test_set_wait_ms (WAIT_MS);

  g_test_add_func ("/detect/g781", test_detect_g781);
  g_test_add_func ("/detect/m0", test_detect_m0);
  g_test_add_func ("/detect/demo", test_detect_demo);
  g_test_add_func ("/detect/echo-off", test_detect_echo_off);
  g_test_add_func ("/detect/twice", test_detect_twice);
  g_test_add_func ("/detect/baud/g781", test_baud_search_g781);
  g_test_add_func ("/detect/baud/m0", test_baud_search_m0);
  g_test_add_func ("/detect/baud/nothing", test_baud_search_nothing);
  g_test_add_func ("/detect/password", test_detect_password);

  return g_test_run ();
}
