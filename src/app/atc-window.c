/* atc-window.c: the main window: one unit, five pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-config-page.h"
#include "atc-console-page.h"
#include "atc-device-page.h"
#include "atc-monitor-page.h"
#include "atc-provision-page.h"
#include "atc-window.h"

struct _AtcWindow
{
  AdwApplicationWindow  parent_instance;

  AtcSession           *session;
  GCancellable         *connecting;
  char                 *address;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *stack;
  AtcDevicePage        *device_page;
  AtcConfigPage        *config_page;
  AtcMonitorPage       *monitor_page;
  AtcConsolePage       *console_page;
  AtcProvisionPage     *provision_page;
};

G_DEFINE_FINAL_TYPE (AtcWindow, atc_window, ADW_TYPE_APPLICATION_WINDOW)

static void
atc_window_toast (AtcWindow  *self,
                  const char *text)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (markup));
}

static void
atc_window_set_session (AtcWindow  *self,
                        AtcSession *session)
{
  AtcPage *pages[] = {
    ATC_PAGE (self->device_page),
    ATC_PAGE (self->config_page),
    ATC_PAGE (self->monitor_page),
    ATC_PAGE (self->console_page),
  };

  if (self->session == session)
    return;

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      atc_session_close (self->session);
    }

  g_set_object (&self->session, session);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    atc_page_set_session (pages[i], session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.disconnect", session != NULL);
  if (session == NULL)
    adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
}

static void
atc_window_session_disconnected_cb (AtcWindow    *self,
                                    const GError *error,
                                    AtcSession   *session)
{
  g_autofree char *text = NULL;

  /* The pages keep their data; the monitor reconnects by itself. */
  text = g_strdup_printf (_("The unit went away: %s"), error ? error->message : _("link closed"));
  atc_window_toast (self, text);
}

static void
atc_window_detect_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  AtcSession *session = ATC_SESSION (object);
  g_autoptr(AtcWindow) self = user_data;
  g_autoptr(AtcDetection) detection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *toast = NULL;
  GSettings *settings;

  detection = atc_session_detect_finish (session, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->connecting);

  if (detection == NULL)
    {
      atc_session_close (session);
      atc_device_page_set_failed (self->device_page, self->address, error);
      atc_window_show_page (self, "device");
      return;
    }

  settings = atc_application_get_settings (ATC_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  g_settings_set_string (settings, "last-device", self->address);

  g_signal_connect_object (session, "disconnected",
                           G_CALLBACK (atc_window_session_disconnected_cb),
                           self, G_CONNECT_SWAPPED);
  atc_window_set_session (self, session);
  atc_device_page_set_connected (self->device_page, self->address, detection);

  subtitle = g_strdup_printf ("%s · %s", atc_model_get_name (detection->model),
                              detection->firmware ? detection->firmware : _("unknown firmware"));
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);

  toast = g_strdup_printf (_("Connected to %s"), atc_model_get_name (detection->model));
  atc_window_toast (self, toast);

  atc_window_show_page (self, "configure");
}

void
atc_window_connect (AtcWindow  *self,
                    const char *address)
{
  g_autoptr(AtcSession) session = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ATC_IS_WINDOW (self));
  g_return_if_fail (address != NULL);

  atc_window_disconnect (self);

  g_free (self->address);
  self->address = g_strdup (address);

  session = atc_session_new_for_address (address, &error);
  if (session == NULL)
    {
      atc_device_page_set_failed (self->device_page, address, error);
      atc_window_show_page (self, "device");
      return;
    }

  self->connecting = g_cancellable_new ();
  atc_device_page_set_connecting (self->device_page, address);
  atc_session_detect_async (session, self->connecting, atc_window_detect_cb, g_object_ref (self));
}

void
atc_window_disconnect (AtcWindow *self)
{
  g_return_if_fail (ATC_IS_WINDOW (self));

  g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  atc_window_set_session (self, NULL);
  atc_device_page_set_disconnected (self->device_page);
}

gboolean
atc_window_is_connected (AtcWindow *self)
{
  g_return_val_if_fail (ATC_IS_WINDOW (self), FALSE);

  return self->session != NULL || self->connecting != NULL;
}

AtcSession *
atc_window_get_session (AtcWindow *self)
{
  g_return_val_if_fail (ATC_IS_WINDOW (self), NULL);

  return self->session;
}

void
atc_window_show_page (AtcWindow  *self,
                      const char *name)
{
  g_return_if_fail (ATC_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->stack, name);
}

static void
atc_window_connect_requested_cb (AtcWindow     *self,
                                 const char    *address,
                                 AtcDevicePage *page)
{
  atc_window_connect (self, address);
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  atc_window_disconnect (ATC_WINDOW (widget));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  atc_window_show_page (ATC_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
profile_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AtcWindow *self = ATC_WINDOW (widget);

  /* Profiles belong to the configuration page; the menu lives in the
   * header bar, so the window forwards. */
  atc_window_show_page (self, "configure");

  if (g_str_equal (action_name, "window.load-profile"))
    atc_config_page_load_profile (self->config_page);
  else if (g_str_equal (action_name, "window.save-profile"))
    atc_config_page_save_profile (self->config_page);
  else
    atc_config_page_export_script (self->config_page);
}

static void
atc_window_dispose (GObject *object)
{
  AtcWindow *self = ATC_WINDOW (object);

  g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  atc_window_set_session (self, NULL);
  g_clear_pointer (&self->address, g_free);

  /* libadwaita 1.2 crashes when a switcher outlives its stack during
   * template disposal: detach them first. */
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  /* The toast overlay is both a template child and the window's content:
   * detach it first so it is unparented once. */
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATC_TYPE_WINDOW);

  G_OBJECT_CLASS (atc_window_parent_class)->dispose (object);
}

static void
atc_window_class_init (AtcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *pages[] = { "device", "configure", "monitor", "console", "provision" };

  object_class->dispose = atc_window_dispose;

  atc_application_ensure_resources ();
  g_type_ensure (ATC_TYPE_DEVICE_PAGE);
  g_type_ensure (ATC_TYPE_CONFIG_PAGE);
  g_type_ensure (ATC_TYPE_MONITOR_PAGE);
  g_type_ensure (ATC_TYPE_CONSOLE_PAGE);
  g_type_ensure (ATC_TYPE_PROVISION_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtcWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AtcWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, AtcWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, AtcWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AtcWindow, device_page);
  gtk_widget_class_bind_template_child (widget_class, AtcWindow, config_page);
  gtk_widget_class_bind_template_child (widget_class, AtcWindow, monitor_page);
  gtk_widget_class_bind_template_child (widget_class, AtcWindow, console_page);
  gtk_widget_class_bind_template_child (widget_class, AtcWindow, provision_page);

  gtk_widget_class_install_action (widget_class, "window.disconnect", NULL, disconnect_action);
  gtk_widget_class_install_action (widget_class, "window.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "window.load-profile", NULL, profile_action);
  gtk_widget_class_install_action (widget_class, "window.save-profile", NULL, profile_action);
  gtk_widget_class_install_action (widget_class, "window.export-script", NULL, profile_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "window.load-profile", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "window.save-profile", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "window.export-script", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "window.disconnect", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "window.show-page", "s", pages[i]);
}

static void
atc_window_init (AtcWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->device_page, "connect-requested",
                           G_CALLBACK (atc_window_connect_requested_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.disconnect", FALSE);
}

AtcWindow *
atc_window_new (AtcApplication *application)
{
  return g_object_new (ATC_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
