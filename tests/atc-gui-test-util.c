/* atc-gui-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "atc-gui-test-util.h"

void
atc_gui_test_init (int    *argc,
                   char ***argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);

  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

AtcWindow *
atc_gui_test_new_window (AtcApplication **app_out)
{
  return atc_gui_test_new_window_sized (app_out, 1000, 720);
}

AtcWindow *
atc_gui_test_new_window_sized (AtcApplication **app_out,
                               int              width,
                               int              height)
{
  static guint serial;
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = g_strdup_printf ("%s.Test%u", APP_ID, ++serial);
  AtcApplication *app = atc_application_new ();
  AtcWindow *window;

  /* A fresh id for each window: an earlier test's application may still
   * be exported on the bus until its last reference goes. */
  g_application_set_application_id (G_APPLICATION (app), app_id);

  /* Registered so actions, accelerators and settings work; never run, so
   * the test drives the main context itself. Non-unique: tests may run
   * side by side on one session bus. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = atc_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  atc_gui_test_settle (100);

  *app_out = app;
  return window;
}

static gboolean
window_connected (gpointer data)
{
  return atc_window_get_session (ATC_WINDOW (data)) != NULL;
}

void
atc_gui_test_connect (AtcWindow  *window,
                      const char *address,
                      guint       timeout_ms)
{
  atc_window_connect (window, address);
  if (!atc_gui_test_wait (window_connected, window, timeout_ms))
    g_error ("window did not connect to %s within %u ms", address, timeout_ms);
}

static gboolean
timeout_reached (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
atc_gui_test_wait (gboolean (*predicate) (gpointer data),
                   gpointer   data,
                   guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (timeout_ms, timeout_reached, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (source);

  return predicate (data);
}

void
atc_gui_test_settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_reached, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

char *
atc_gui_test_screenshot (GtkWidget  *widget,
                         const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  GskRenderer *renderer;
  int width = 0, height = 0;

  atc_gui_test_settle (150);

  /* A widget with a layout still pending draws nothing: give GTK a few
   * more frames rather than saving an empty picture. */
  paintable = gtk_widget_paintable_new (widget);
  for (guint attempt = 0; node == NULL && attempt < 40; attempt++)
    {
      if (attempt > 0)
        atc_gui_test_settle (50);

      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      if (width <= 0 || height <= 0)
        continue;

      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (g_getenv ("ATCONF_SCREENSHOT_DIR") != NULL)
    dir = g_strdup (g_getenv ("ATCONF_SCREENSHOT_DIR"));
  else
    dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                            "screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);

  file = g_strconcat (dir, G_DIR_SEPARATOR_S, name, ".png", NULL);
  g_assert_true (gdk_texture_save_to_png (texture, file));

  return g_steal_pointer (&file);
}

static gboolean
widget_has_text (GtkWidget  *widget,
                 const char *text)
{
  const char *candidate = NULL;

  if (g_strcmp0 (gtk_widget_get_name (widget), text) == 0)
    return TRUE;

  if (GTK_IS_LABEL (widget))
    candidate = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_BUTTON (widget))
    candidate = gtk_button_get_label (GTK_BUTTON (widget));
  else if (ADW_IS_PREFERENCES_ROW (widget))
    candidate = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  else if (ADW_IS_PREFERENCES_GROUP (widget))
    candidate = adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget));

  if (candidate == NULL)
    return FALSE;

  /* Mnemonic labels carry underscores the user never sees. */
  if (g_strcmp0 (candidate, text) == 0)
    return TRUE;
  else
    {
      g_autoptr(GString) plain = g_string_new (candidate);

      g_string_replace (plain, "_", "", 0);
      return g_strcmp0 (plain->str, text) == 0;
    }
}

GtkWidget *
atc_gui_test_find (GtkWidget  *root,
                   GType       type,
                   const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (text == NULL || widget_has_text (child, text)))
        return child;

      if ((found = atc_gui_test_find (child, type, text)) != NULL)
        return found;
    }

  return NULL;
}

void
atc_gui_test_dismiss_toasts (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_str_equal (gtk_widget_get_css_name (child), "toast"))
        {
          GtkWidget *close = atc_gui_test_find (child, GTK_TYPE_BUTTON, NULL);

          if (close != NULL)
            g_signal_emit_by_name (close, "clicked");
          continue;
        }
      atc_gui_test_dismiss_toasts (child);
    }
}
