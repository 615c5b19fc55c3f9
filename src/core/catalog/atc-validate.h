/* atc-validate.h: check user values against the catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Values here are the readable form a technician types (escapes decoded,
 * hex as hex digits). Validation returns the canonical form: enum words in
 * the catalog's spelling, integers without leading zeros, hex upper-cased.
 * Errors are ATC_ERROR_INVALID_VALUE with a message naming the command and
 * the rule, e.g. "UARTFT: 5 is below the minimum 10 ms".
 *
 * A parameter flagged default_outside_range also accepts its exact
 * default (the G781 factory password www.usr.cn# is 11 bytes, its range
 * 1-10): a unit reports it and takes it back.
 */
#pragma once

#include "atc-model.h"

G_BEGIN_DECLS

char  *atc_param_validate   (const AtcCommand  *command,
                             const AtcParam    *param,
                             const char        *value,
                             GError           **error);
/* The values must be as many as the command's parameters; a command that
 * cannot be set gives ATC_ERROR_NOT_SUPPORTED. */
char **atc_command_validate (const AtcCommand  *command,
                             const char *const *values,
                             GError           **error);

/* atc_param_validate() for `length` bytes of `value` (-1: up to its NUL),
 * so a NUL inside text read from a file or a paste is refused instead of
 * silently cutting the value short. */
char  *atc_param_validate_len (const AtcCommand  *command,
                               const AtcParam    *param,
                               const char        *value,
                               gssize             length,
                               GError           **error);

/* Whether a value may hold byte `c` under `escape`: either the byte is
 * sent as is or the escape style writes it in a safe form. NUL, ';' and
 * control bytes never; CR, LF and ',' only with an escape style. Values
 * that fail this give ATC_ERROR_UNSAFE_VALUE. */
gboolean atc_escape_can_carry (AtcEscape escape,
                               guchar    c);

G_END_DECLS
