/* atc-console-line.h: what a console makes of a line the technician types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the CLI console and the GUI console page: where the AT command
 * of a typed line starts, what of it may be kept in a history (never a
 * secret value nor a command password), and which command names complete
 * it. Pure functions over the catalog; nothing here does I/O.
 *
 * `passwords` lists command passwords the caller knows (NULL-terminated,
 * may be NULL); the model's factory password is always considered too.
 */
#pragma once

#include "atc-model.h"

G_BEGIN_DECLS

/* Where the AT command starts: 0 for "AT…", after a command password typed
 * by hand ("www.usr.cn#AT+CSQ"), at the first "AT+" otherwise, or -1 when
 * there is none. */
gssize            atc_console_line_command_start (AtcModel          *model,
                                                  const char *const *passwords,
                                                  const char        *line);
/* The catalog command of "AT+NAME=…" / "AT+NAME?" / "AT+NAME" (any case),
 * or NULL; *is_set tells whether the line sets it. `model` may be NULL. */
const AtcCommand *atc_console_line_lookup        (AtcModel          *model,
                                                  const char        *at_line,
                                                  gboolean          *is_set);
/* What of a line may be kept in a history: the command without a password
 * prefix, and for a command with a secret field (or with no model to tell)
 * only "AT+NAME=", so the value is neither stored nor re-sent by accident.
 * NULL: keep nothing (no AT command, or a password would be kept). */
char             *atc_console_line_for_history   (AtcModel          *model,
                                                  const char *const *passwords,
                                                  const char        *line);
/* Whole lines that may replace `before_cursor` when it ends in a partial
 * command name ("AT+UARTF" → "AT+UARTFT", "AT+UARTFL"), in catalog order;
 * "AT+" for "", "A" or "AT"; empty once past '=', '?' or ','. */
GStrv             atc_console_line_complete      (AtcModel          *model,
                                                  const char *const *passwords,
                                                  const char        *before_cursor);

G_END_DECLS
