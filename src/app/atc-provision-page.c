/* atc-provision-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-provision-page.h"

struct _AtcProvisionPage
{
  AtcPage parent_instance;
};

G_DEFINE_FINAL_TYPE (AtcProvisionPage, atc_provision_page, ATC_TYPE_PAGE)

static void
atc_provision_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ATC_TYPE_PROVISION_PAGE);

  G_OBJECT_CLASS (atc_provision_page_parent_class)->dispose (object);
}

static void
atc_provision_page_class_init (AtcProvisionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atc_provision_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-provision-page.ui");
}

static void
atc_provision_page_init (AtcProvisionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
