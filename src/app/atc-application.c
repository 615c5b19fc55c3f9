/* atc-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-app-resources.h"
#include "atc-application.h"
#include "atc-window.h"

struct _AtcApplication
{
  AdwApplication  parent_instance;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (AtcApplication, atc_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "device", 'd', 0, G_OPTION_ARG_STRING, NULL,
    N_("Connect to ADDRESS: /dev/ttyUSB0, serial:/dev/ttyUSB0?baud=115200, tcp:HOST:PORT, "
       "pty:/dev/pts/N, demo:g781 or demo:m0"),
    N_("ADDRESS") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/* ATCONF_EXIT_AFTER_FIRST_FRAME=1, for bench/run: print the monotonic
 * time (µs) of the main window's first painted frame and quit. */
static void
on_first_frame_painted (GdkFrameClock *clock,
                        gpointer       user_data)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame_painted, user_data);
  g_print ("first-frame-monotonic-us=%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_application_quit (G_APPLICATION (user_data));
}

static void
on_main_window_realized (GtkWidget *window,
                         gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_first_frame_painted), user_data);
}

static AtcWindow *
atc_application_get_main_window (AtcApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (atc_window_new (self));
      if (g_strcmp0 (g_getenv ("ATCONF_EXIT_AFTER_FIRST_FRAME"), "1") == 0)
        g_signal_connect_after (window, "realize", G_CALLBACK (on_main_window_realized), self);
    }

  return ATC_WINDOW (window);
}

static void
atc_application_activate (GApplication *app)
{
  AtcApplication *self = ATC_APPLICATION (app);
  AtcWindow *window = atc_application_get_main_window (self);
  g_autofree char *last = g_settings_get_string (self->settings, "last-device");

  gtk_window_present (GTK_WINDOW (window));

  /* Reopen the last device the technician used; the connection view
   * shows what happened if it is gone. */
  if (!atc_window_is_connected (window) && last[0] != '\0')
    atc_window_connect (window, last);
}

static int
atc_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("atconf %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static int
atc_application_command_line (GApplication            *app,
                              GApplicationCommandLine *command_line)
{
  AtcApplication *self = ATC_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *device = NULL;
  AtcWindow *window;

  if (!g_variant_dict_lookup (options, "device", "&s", &device))
    {
      g_application_activate (app);
      return 0;
    }

  window = atc_application_get_main_window (self);
  gtk_window_present (GTK_WINDOW (window));
  atc_window_connect (window, device);

  return 0;
}

static void
atc_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
atc_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  AtcApplication *self = user_data;
  static const char *developers[] = { "Atconf developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("Atconf"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Configure and monitor USR IOT serial devices"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", atc_application_quit_action },
  { "about", atc_application_about_action },
};

static void
atc_application_startup (GApplication *app)
{
  AtcApplication *self = ATC_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (atc_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static void
atc_application_dispose (GObject *object)
{
  AtcApplication *self = ATC_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (atc_application_parent_class)->dispose (object);
}

void
atc_application_ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      atc_app_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

static void
atc_application_class_init (AtcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = atc_application_dispose;
  app_class->activate = atc_application_activate;
  app_class->startup = atc_application_startup;
  app_class->command_line = atc_application_command_line;
  app_class->handle_local_options = atc_application_handle_local_options;

  atc_application_ensure_resources ();
}

static void
atc_application_init (AtcApplication *self)
{
  self->settings = g_settings_new (APP_ID);
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

AtcApplication *
atc_application_new (void)
{
  return g_object_new (ATC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/atconf/Atconf",
                       NULL);
}

GSettings *
atc_application_get_settings (AtcApplication *self)
{
  g_return_val_if_fail (ATC_IS_APPLICATION (self), NULL);

  return self->settings;
}
