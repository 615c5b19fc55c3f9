/* test-gui-window.c: the window connects to demo units and shows its pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atc-gui-test-util.h"

static void
test_window_connects_to_each_demo_model (void)
{
  static const struct {
    const char *address;
    const char *model;
  } units[] = {
    { "demo:g781", "USR-G781" },
    { "demo:m0", "USR-M0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autoptr(AtcApplication) app = NULL;
      AtcWindow *window = atc_gui_test_new_window (&app);
      g_autofree char *shot_name = g_strdup_printf ("window-device-%s", units[i].model);
      g_autofree char *path = NULL;
      AtcSession *session;
      AdwViewSwitcherTitle *title;

      atc_gui_test_connect (window, units[i].address, 30000);
      session = atc_window_get_session (window);
      g_assert_nonnull (session);
      g_assert_cmpstr (atc_model_get_name (atc_session_get_model (session)), ==, units[i].model);

      /* The header tells which unit is connected. */
      title = ADW_VIEW_SWITCHER_TITLE (atc_gui_test_find (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_TITLE, NULL));
      g_assert_nonnull (title);
      g_assert_true (g_str_has_prefix (adw_view_switcher_title_get_subtitle (title), units[i].model));

      atc_window_show_page (window, "device");
      path = atc_gui_test_screenshot (GTK_WIDGET (window), shot_name);
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

      /* Disconnecting drops the session and returns pages to their empty state. */
      atc_window_disconnect (window);
      g_assert_null (atc_window_get_session (window));
      g_assert_false (atc_window_is_connected (window));

      gtk_window_destroy (GTK_WINDOW (window));
    }
}

static void
test_bad_address_is_explained (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window (&app);
  GtkWidget *heading;

  atc_window_connect (window, "tcp:localhost");
  atc_gui_test_settle (200);

  g_assert_null (atc_window_get_session (window));
  heading = atc_gui_test_find (GTK_WIDGET (window), GTK_TYPE_LABEL, "Could not connect to tcp:localhost");
  g_assert_nonnull (heading);
  g_assert_true (gtk_widget_is_drawable (heading));

  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "window-bad-address"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_narrow_window_keeps_pages_reachable (void)
{
  g_autoptr(AtcApplication) app = NULL;
  /* At phone width the view switcher moves to the bottom bar. */
  AtcWindow *window = atc_gui_test_new_window_sized (&app, 360, 640);
  GtkWidget *bar;

  atc_gui_test_connect (window, "demo:g781", 30000);
  atc_gui_test_settle (300);

  bar = atc_gui_test_find (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR, NULL);
  g_assert_nonnull (bar);
  g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);

  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "window-narrow"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The pictures AppStream shows (data/screenshots/, refreshed by
 * build-aux/update-screenshots): the demo G781 as a technician sees it. */
static void
test_screenshots_for_appstream (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window_sized (&app, 1000, 700);
  static const char *pages[] = { "configure", "monitor", "device" };

  atc_gui_test_connect (window, "demo:g781", 30000);
  atc_window_show_page (window, "monitor");
  /* A few readings on the plot, and the "Connected" toast gone. */
  atc_gui_test_settle (7000);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strconcat ("appstream-", pages[i], NULL);
      g_autofree char *path = NULL;

      atc_window_show_page (window, pages[i]);
      path = atc_gui_test_screenshot (GTK_WIDGET (window), name);
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  atc_gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/window/connects-to-each-demo-model", test_window_connects_to_each_demo_model);
  g_test_add_func ("/gui/window/bad-address-is-explained", test_bad_address_is_explained);
  g_test_add_func ("/gui/window/narrow-window-keeps-pages-reachable", test_narrow_window_keeps_pages_reachable);
  g_test_add_func ("/gui/window/screenshots-for-appstream", test_screenshots_for_appstream);

  return g_test_run ();
}
