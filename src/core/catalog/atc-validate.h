/* atc-validate.h: check user values against the catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Values here are the readable form a technician types (escapes decoded,
 * hex as hex digits). Validation returns the canonical form: enum words in
 * the catalog's spelling, integers without leading zeros, hex upper-cased.
 * Errors are ATC_ERROR_INVALID_VALUE with a message naming the command and
 * the rule, e.g. "UARTFT: 5 is below the minimum 10 ms".
 */
#pragma once

#include "atc-model.h"

G_BEGIN_DECLS

char  *atc_param_validate   (const AtcCommand  *command,
                             const AtcParam    *param,
                             const char        *value,
                             GError           **error);
char **atc_command_validate (const AtcCommand  *command,
                             const char *const *values,
                             GError           **error);

G_END_DECLS
