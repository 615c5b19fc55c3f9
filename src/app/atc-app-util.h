/* atc-app-util.h: small GTK helpers the pages share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The window `widget` is in, or NULL while it is in none. */
GtkWindow            *atc_app_get_window               (GtkWidget            *widget);

/* A modal file chooser over the window `widget` is in, with `accept` and
 * “Cancel” buttons. The caller connects "response" and shows it. */
GtkFileChooserNative *atc_app_file_chooser_new         (GtkWidget            *widget,
                                                        const char           *title,
                                                        GtkFileChooserAction  action,
                                                        const char           *accept);

/* Adds a filter called `name` for the files matching `pattern` and, when
 * not NULL, those of `mime_type`. */
void                  atc_app_file_chooser_add_filter  (GtkFileChooser       *chooser,
                                                        const char           *name,
                                                        const char           *pattern,
                                                        const char           *mime_type);

G_END_DECLS
