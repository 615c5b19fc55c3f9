/* atc-config-private.h: helpers shared inside the config layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atc-config.h"

G_BEGIN_DECLS

/* atc_param_validate(), except that a default the catalog flags as outside
 * its own range (G781 CMDPW "www.usr.cn#") is accepted as the unit's
 * current value: it is shown, never sent back. */
char       *atc_config_check_value  (const AtcCommand   *command,
                                     const AtcParam     *param,
                                     const char         *value,
                                     GError            **error);
/* The rule part of a validation message: "UART: parity 'X' is not one of …"
 * becomes "'X' is not one of …", for messages that already give a path or
 * a line number naming the command and parameter (param NULL: only the
 * "UART: " part is removed). */
const char *atc_config_strip_prefix (const AtcCommand   *command,
                                     const AtcParam     *param,
                                     const char         *message);
/* `text` with every non-empty secret value among `values` (one per
 * parameter of `command`, NULL entries allowed) masked. */
char       *atc_config_redact       (const char         *text,
                                     const AtcCommand   *command,
                                     const char *const  *values);

/* A value on one line of text: CR, LF, tab and other control bytes as
 * \r, \n, \t, \xNN, so a header value cannot break a diff or a listing. */
char       *atc_config_display_value (const char        *value);

/* Writes `data` to `path` atomically (a temporary file in the same
 * directory, then rename). private_mode: created 0600, for files that hold
 * secrets; otherwise 0666 less the umask. */
gboolean    atc_config_write_file    (const char        *path,
                                      const char        *data,
                                      gboolean           private_mode,
                                      GError           **error);

/* Sets ATC_ERROR_PROFILE: `header`, then each of `problems` (strings) on
 * a line of its own. */
void        atc_config_set_problems  (GError           **error,
                                      const char        *header,
                                      GPtrArray         *problems);

G_END_DECLS
