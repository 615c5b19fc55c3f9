/* atc-config-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-config-page.h"

struct _AtcConfigPage
{
  AtcPage    parent_instance;

  GtkStack  *stack;
};

G_DEFINE_FINAL_TYPE (AtcConfigPage, atc_config_page, ATC_TYPE_PAGE)

static void
atc_config_page_session_changed (AtcPage    *page,
                                   AtcSession *session)
{
  AtcConfigPage *self = ATC_CONFIG_PAGE (page);

  gtk_stack_set_visible_child_name (self->stack, session ? "content" : "empty");
}

static void
atc_config_page_dispose (GObject *object)
{
  /* The stack is both a template child and the bin's child: detach it
   * from the bin first so it is unparented once. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ATC_TYPE_CONFIG_PAGE);

  G_OBJECT_CLASS (atc_config_page_parent_class)->dispose (object);
}

static void
atc_config_page_class_init (AtcConfigPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AtcPageClass *page_class = ATC_PAGE_CLASS (klass);

  object_class->dispose = atc_config_page_dispose;
  page_class->session_changed = atc_config_page_session_changed;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-config-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtcConfigPage, stack);
}

static void
atc_config_page_init (AtcConfigPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
atc_config_page_load_profile (AtcConfigPage *self)
{
}

void
atc_config_page_save_profile (AtcConfigPage *self)
{
}

void
atc_config_page_export_script (AtcConfigPage *self)
{
}
