/* atc-cli-lineedit.h: the console's small line editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fed one byte at a time from a terminal in raw mode (no readline: the
 * project takes no new dependency). It draws the prompt and the line on
 * stdout with plain VT100 sequences, and knows left/right, Home/End,
 * backspace/delete, history (up/down), Tab completion and Ctrl-A/E/U/K/W/L/C/D.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  ATC_LINE_EDIT_CONTINUE,   /* keep feeding */
  ATC_LINE_EDIT_ACCEPT,     /* Enter: atc_line_editor_take_line() */
  ATC_LINE_EDIT_EOF,        /* Ctrl-D on an empty line */
  ATC_LINE_EDIT_INTERRUPT,  /* Ctrl-C: the line was abandoned */
} AtcLineEditResult;

/* Returns the whole strings that may replace `before_cursor` (a
 * NULL-terminated array, possibly empty). */
typedef GStrv (*AtcLineEditCompleteFunc) (const char *before_cursor,
                                          gpointer    user_data);

typedef struct _AtcLineEditor AtcLineEditor;

AtcLineEditor    *atc_line_editor_new           (void);
void              atc_line_editor_free          (AtcLineEditor           *self);
void              atc_line_editor_set_prompt    (AtcLineEditor           *self,
                                                 const char              *prompt);
/* Oldest first; borrowed, and read only when browsing. */
void              atc_line_editor_set_history   (AtcLineEditor           *self,
                                                 GPtrArray               *history);
void              atc_line_editor_set_completer (AtcLineEditor           *self,
                                                 AtcLineEditCompleteFunc  func,
                                                 gpointer                 user_data);
/* Empties the line and draws the prompt. */
void              atc_line_editor_start         (AtcLineEditor           *self);
AtcLineEditResult atc_line_editor_feed          (AtcLineEditor           *self,
                                                 guchar                   byte);
char             *atc_line_editor_take_line     (AtcLineEditor           *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcLineEditor, atc_line_editor_free)

G_END_DECLS
