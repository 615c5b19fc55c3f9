/* atc-gui-test-util.h: helpers for the GTK tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Add functions; do not change existing ones (other tests rely on them).
 */
#pragma once

#include <adwaita.h>

#include "atc-application.h"
#include "atc-window.h"

G_BEGIN_DECLS

/* gtk_test_init + adw_init, with a memory GSettings backend. */
void       atc_gui_test_init        (int          *argc,
                                     char       ***argv);
/* A registered (not running) application and its main window, shown. */
AtcWindow *atc_gui_test_new_window  (AtcApplication **app_out);
AtcWindow *atc_gui_test_new_window_sized (AtcApplication **app_out,
                                          int              width,
                                          int              height);
/* Connects the window to ADDRESS (e.g. "demo:g781") and waits until the
 * unit is detected; fails the test after timeout_ms. */
void       atc_gui_test_connect     (AtcWindow   *window,
                                     const char  *address,
                                     guint        timeout_ms);
/* Iterates the main context until predicate(data) is TRUE; FALSE after
 * timeout_ms (a safety net, never a measurement). */
gboolean   atc_gui_test_wait        (gboolean   (*predicate) (gpointer data),
                                     gpointer     data,
                                     guint        timeout_ms);
/* Lets GTK lay out and draw for about ms milliseconds. */
void       atc_gui_test_settle      (guint        ms);
/* Renders widget (usually the window) to
 * $ATCONF_SCREENSHOT_DIR/NAME.png (default: tests/screenshots in the build
 * tree) with the cairo renderer; returns the path. */
char      *atc_gui_test_screenshot  (GtkWidget   *widget,
                                     const char  *name);
/* Depth-first search for a descendant of type, optionally with the given
 * widget name or accessible label / title / label text. */
GtkWidget *atc_gui_test_find        (GtkWidget   *root,
                                     GType        type,
                                     const char  *text);
/* Closes every toast below widget (toasts would hide what a screenshot
 * shows). */
void       atc_gui_test_dismiss_toasts (GtkWidget *widget);

G_END_DECLS
