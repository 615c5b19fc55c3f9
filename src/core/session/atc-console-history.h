/* atc-console-history.h: the lines typed in a console, kept between runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One line per entry, oldest first, in a private file (by default
 * $XDG_STATE_HOME/atconf/console-history, shared by the CLI and the GUI).
 * Callers add what atc_console_line_for_history() allows, so no secret is
 * ever written.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ATC_CONSOLE_HISTORY_MAX 1000

#define ATC_TYPE_CONSOLE_HISTORY (atc_console_history_get_type ())
G_DECLARE_FINAL_TYPE (AtcConsoleHistory, atc_console_history, ATC, CONSOLE_HISTORY, GObject)

/* $XDG_STATE_HOME/atconf/console-history */
char              *atc_console_history_get_default_path (void);
/* path NULL: kept in memory only (load and save do nothing). */
AtcConsoleHistory *atc_console_history_new              (const char         *path);
const char        *atc_console_history_get_path         (AtcConsoleHistory  *self);
/* Oldest first; owned by the history, the same array for its lifetime. */
GPtrArray         *atc_console_history_get_lines        (AtcConsoleHistory  *self);
/* Appends one line (no CR/LF); skips an empty line and a repeat of the
 * newest; keeps the newest ATC_CONSOLE_HISTORY_MAX. TRUE when added. */
gboolean           atc_console_history_add              (AtcConsoleHistory  *self,
                                                         const char         *line);
void               atc_console_history_clear            (AtcConsoleHistory  *self);

/* Reads the file; lines added before are kept after the loaded ones. A
 * missing file is no error. */
gboolean           atc_console_history_load             (AtcConsoleHistory  *self,
                                                         GError            **error);
/* Writes the file (mode 0600, its folder 0700: what a technician typed is
 * theirs). */
gboolean           atc_console_history_save             (AtcConsoleHistory  *self,
                                                         GError            **error);
/* The same without blocking: the file is read or written in a worker
 * thread; save writes the lines as they are when it is called. */
void               atc_console_history_load_async       (AtcConsoleHistory  *self,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
gboolean           atc_console_history_load_finish      (AtcConsoleHistory  *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);
void               atc_console_history_save_async       (AtcConsoleHistory  *self,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
gboolean           atc_console_history_save_finish      (AtcConsoleHistory  *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);

G_END_DECLS
