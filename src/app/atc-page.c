/* atc-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-app-util.h"
#include "atc-application.h"
#include "atc-page.h"

typedef struct
{
  AtcSession *session;
} AtcPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (AtcPage, atc_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
atc_page_dispose (GObject *object)
{
  AtcPage *self = ATC_PAGE (object);
  AtcPagePrivate *priv = atc_page_get_instance_private (self);

  g_clear_object (&priv->session);

  G_OBJECT_CLASS (atc_page_parent_class)->dispose (object);
}

static void
atc_page_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  AtcPage *self = ATC_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, atc_page_get_session (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_page_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  AtcPage *self = ATC_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      atc_page_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_page_class_init (AtcPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atc_page_dispose;
  object_class->get_property = atc_page_get_property;
  object_class->set_property = atc_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         ATC_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Subclasses load their templates from the UI resources. */
  atc_application_ensure_resources ();
}

static void
atc_page_init (AtcPage *self)
{
}

AtcSession *
atc_page_get_session (AtcPage *self)
{
  AtcPagePrivate *priv = atc_page_get_instance_private (self);

  g_return_val_if_fail (ATC_IS_PAGE (self), NULL);

  return priv->session;
}

void
atc_page_set_session (AtcPage    *self,
                      AtcSession *session)
{
  AtcPagePrivate *priv = atc_page_get_instance_private (self);

  g_return_if_fail (ATC_IS_PAGE (self));
  g_return_if_fail (!session || ATC_IS_SESSION (session));

  if (!g_set_object (&priv->session, session))
    return;

  if (ATC_PAGE_GET_CLASS (self)->session_changed)
    ATC_PAGE_GET_CLASS (self)->session_changed (self, session);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
atc_page_toast (AtcPage    *self,
                const char *format,
                ...)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *text = NULL;
  g_autofree char *markup = NULL;
  va_list args;

  if (overlay == NULL)
    return;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  /* Toast titles are Pango markup in libadwaita 1.2. */
  markup = g_markup_escape_text (text, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (markup));
}

void
atc_page_show_error (AtcPage      *self,
                     const char   *heading,
                     const GError *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (atc_app_get_window (GTK_WIDGET (self)),
                                   heading, error ? error->message : NULL);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
