/* atc-console-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-console-page.h"

struct _AtcConsolePage
{
  AtcPage    parent_instance;

  GtkStack  *stack;
};

G_DEFINE_FINAL_TYPE (AtcConsolePage, atc_console_page, ATC_TYPE_PAGE)

static void
atc_console_page_session_changed (AtcPage    *page,
                                   AtcSession *session)
{
  AtcConsolePage *self = ATC_CONSOLE_PAGE (page);

  gtk_stack_set_visible_child_name (self->stack, session ? "content" : "empty");
}

static void
atc_console_page_dispose (GObject *object)
{
  /* The stack is both a template child and the bin's child: detach it
   * from the bin first so it is unparented once. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ATC_TYPE_CONSOLE_PAGE);

  G_OBJECT_CLASS (atc_console_page_parent_class)->dispose (object);
}

static void
atc_console_page_class_init (AtcConsolePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AtcPageClass *page_class = ATC_PAGE_CLASS (klass);

  object_class->dispose = atc_console_page_dispose;
  page_class->session_changed = atc_console_page_session_changed;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-console-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtcConsolePage, stack);
}

static void
atc_console_page_init (AtcConsolePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
