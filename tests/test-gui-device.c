/* test-gui-device.c: choosing a unit on the Device page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atc-device-page.h"
#include "atc-gui-test-util.h"

/* A fake set of serial ports the test plugs and unplugs. */
typedef struct {
  GMutex     lock;
  GPtrArray *names;
} FakePorts;

static GPtrArray *
fake_ports_list (gpointer   user_data,
                 GError   **error)
{
  FakePorts *fake = user_data;
  GPtrArray *ports = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_port_info_free);

  g_mutex_lock (&fake->lock);
  for (guint i = 0; i < fake->names->len; i++)
    {
      AtcPortInfo *info = atc_port_info_new (g_ptr_array_index (fake->names, i));

      if (g_str_has_prefix (info->name, "/dev/ttyUSB"))
        {
          info->transport = ATC_PORT_TRANSPORT_USB;
          info->usb_vid = 0x0403;
          info->usb_pid = 0x6001;
          info->description = g_strdup ("FT232R USB UART");
          info->serial = g_strdup ("A10K3XYZ");
        }
      g_ptr_array_add (ports, info);
    }
  g_mutex_unlock (&fake->lock);

  return ports;
}

static void
fake_ports_set (FakePorts          *fake,
                const char * const *names)
{
  g_mutex_lock (&fake->lock);
  g_ptr_array_set_size (fake->names, 0);
  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (fake->names, g_strdup (names[i]));
  g_mutex_unlock (&fake->lock);
}

typedef struct {
  GtkWidget  *root;
  const char *title;
  gboolean    present;
} RowQuery;

static gboolean
row_presence_is (gpointer data)
{
  RowQuery *query = data;
  gboolean found = atc_gui_test_find (query->root, ADW_TYPE_ACTION_ROW, query->title) != NULL;

  return found == query->present;
}

static AtcDevicePage *
device_page_with_fake_ports (AtcWindow *window,
                             FakePorts *fake)
{
  AtcDevicePage *page = ATC_DEVICE_PAGE (atc_gui_test_find (GTK_WIDGET (window), ATC_TYPE_DEVICE_PAGE, NULL));
  g_autoptr(AtcPortList) ports = NULL;

  g_assert_nonnull (page);
  g_mutex_init (&fake->lock);
  fake->names = g_ptr_array_new_with_free_func (g_free);
  ports = atc_port_list_new_with_func (fake_ports_list, fake, NULL);
  atc_port_list_set_interval (ports, 100);
  atc_device_page_set_port_list (page, ports);

  return page;
}

static void
test_ports_follow_hot_plug (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  FakePorts fake = { 0 };
  RowQuery query = { GTK_WIDGET (window), NULL, TRUE };
  const char *first[] = { "/dev/ttyS0", NULL };
  const char *plugged[] = { "/dev/ttyS0", "/dev/ttyUSB7", NULL };
  AdwActionRow *row;

  device_page_with_fake_ports (window, &fake);
  atc_window_show_page (window, "device");

  fake_ports_set (&fake, first);
  query.title = "/dev/ttyS0";
  g_assert_true (atc_gui_test_wait (row_presence_is, &query, 10000));

  /* An adapter is plugged in: it appears by itself, with its USB identity. */
  fake_ports_set (&fake, plugged);
  query.title = "/dev/ttyUSB7";
  g_assert_true (atc_gui_test_wait (row_presence_is, &query, 10000));
  row = ADW_ACTION_ROW (atc_gui_test_find (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "/dev/ttyUSB7"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "0403:6001"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "A10K3XYZ"));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "device-hot-plug"));

  /* ... and is unplugged again. */
  fake_ports_set (&fake, first);
  query.present = FALSE;
  g_assert_true (atc_gui_test_wait (row_presence_is, &query, 10000));

  gtk_window_destroy (GTK_WINDOW (window));
  g_ptr_array_unref (fake.names);
}

typedef struct {
  AtcWindow  *window;
  const char *text;
} LabelQuery;

static gboolean
label_shown (gpointer data)
{
  LabelQuery *query = data;
  GtkWidget *label = atc_gui_test_find (GTK_WIDGET (query->window), GTK_TYPE_LABEL, query->text);

  return label != NULL && gtk_widget_is_drawable (label);
}

/* A port that cannot be opened: the page names the address it tried, with
 * the serial settings chosen on the page, and says what went wrong. */
static void
test_serial_row_uses_settings_and_explains_failure (void)
{
  g_autoptr(AtcApplication) app = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AtcWindow *window = atc_gui_test_new_window (&app);
  FakePorts fake = { 0 };
  RowQuery query = { GTK_WIDGET (window), "/dev/ttyATCMISSING", TRUE };
  const char *gone[] = { "/dev/ttyATCMISSING", NULL };
  LabelQuery heading = { window, "Could not connect to serial:/dev/ttyATCMISSING?data=8&parity=even&stop=1&flow=none&baud=9600" };
  GtkWidget *row;
  GtkWidget *message;

  g_settings_set_uint (settings, "baud-rate", 9600);
  g_settings_set_string (settings, "parity", "even");

  device_page_with_fake_ports (window, &fake);
  atc_window_show_page (window, "device");
  fake_ports_set (&fake, gone);
  g_assert_true (atc_gui_test_wait (row_presence_is, &query, 10000));

  row = atc_gui_test_find (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "/dev/ttyATCMISSING");
  gtk_widget_activate (row);

  g_assert_true (atc_gui_test_wait (label_shown, &heading, 20000));
  g_assert_null (atc_window_get_session (window));

  /* The message is the transport's specific one, not a generic failure. */
  message = gtk_widget_get_next_sibling (atc_gui_test_find (GTK_WIDGET (window), GTK_TYPE_LABEL, heading.text));
  g_assert_nonnull (message);
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (message)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "/dev/ttyATCMISSING"));

  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "device-failed"));
  gtk_window_destroy (GTK_WINDOW (window));
  g_ptr_array_unref (fake.names);
  g_settings_reset (settings, "baud-rate");
  g_settings_reset (settings, "parity");
}

static gboolean
window_connected (gpointer data)
{
  return atc_window_get_session (ATC_WINDOW (data)) != NULL;
}

/* The demo rows connect, the unit's identity is shown, and the device is
 * remembered: the next start reopens it. */
static void
test_demo_row_connects_and_is_remembered (void)
{
  g_autoptr(AtcApplication) app = NULL;
  g_autoptr(AtcApplication) next_app = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *last = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  AtcWindow *next_window;
  LabelQuery mac = { window, "MAC address" };
  GtkWidget *row;

  atc_window_show_page (window, "device");
  row = atc_gui_test_find (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "Simulated USR-M0");
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  g_assert_true (atc_gui_test_wait (window_connected, window, 30000));
  g_assert_cmpstr (atc_model_get_id (atc_session_get_model (atc_window_get_session (window))), ==, "m0");

  atc_window_show_page (window, "device");
  g_assert_true (atc_gui_test_wait (label_shown, &mac, 10000));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "device-connected-m0"));

  last = g_settings_get_string (settings, "last-device");
  g_assert_cmpstr (last, ==, "demo:m0");
  gtk_window_destroy (GTK_WINDOW (window));

  /* Started again without --device: back on the same unit. */
  next_window = atc_gui_test_new_window (&next_app);
  g_application_activate (G_APPLICATION (next_app));
  g_assert_true (atc_gui_test_wait (window_connected, next_window, 30000));
  g_assert_cmpstr (atc_model_get_id (atc_session_get_model (atc_window_get_session (next_window))), ==, "m0");
  gtk_window_destroy (GTK_WINDOW (next_window));
  g_settings_reset (settings, "last-device");
}

int
main (int   argc,
      char *argv[])
{
  atc_gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/device/ports-follow-hot-plug", test_ports_follow_hot_plug);
  g_test_add_func ("/gui/device/serial-row-uses-settings-and-explains-failure",
                   test_serial_row_uses_settings_and_explains_failure);
  g_test_add_func ("/gui/device/demo-row-connects-and-is-remembered",
                   test_demo_row_connects_and_is_remembered);

  return g_test_run ();
}
