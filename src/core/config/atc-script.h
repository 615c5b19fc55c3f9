/* atc-script.h: plain AT command scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A script is what a technician would type in a terminal: one set command
 * per line ("AT+UART=115200,8,1,EVEN,NFC"), comments starting with '#',
 * blank lines. Atconf writes one for an apply or a whole configuration and
 * reads one back as a (partial) profile.
 */
#pragma once

#include "atc-config.h"
#include "atc-config-diff.h"
#include "atc-profile.h"

G_BEGIN_DECLS

/* "AT+APN=CMNET,user,•••,0": the set line the codec builds (values
 * validated and escaped), with each secret field replaced by
 * ATC_SECRET_MASK unless with_secrets. */
char       *atc_script_format_set  (const AtcCommand   *command,
                                    const char *const  *values,
                                    gboolean            with_secrets,
                                    GError            **error);

/* The script of an apply: `diff`'s commands with all their values from
 * `config` (the target), in apply order. With `diff` NULL, every setting
 * of `config` that has all its values and was not a failed read. A command
 * holding a non-empty secret is written as a comment unless with_secrets,
 * so the script never carries a secret by accident. Fails when a value is
 * invalid (the message names it). */
char       *atc_script_export      (AtcConfig          *config,
                                    AtcConfigDiff      *diff,
                                    gboolean            with_secrets,
                                    GError            **error);

/* The profile's commands, settings before enable flags before the work
 * mode. Every command must be complete in the profile (a set carries all
 * its parameters): ATC_ERROR_PROFILE naming those that are not. A command
 * missing only its password (a profile saved without secrets) is written
 * as a comment, the password masked, for the technician to complete. */
char       *atc_script_export_profile (AtcProfile      *profile,
                                       gboolean         with_secrets,
                                       GError         **error);
/* Writes a script atomically; with secrets the file is created 0600. */
gboolean    atc_script_save_file   (const char         *text,
                                    const char         *path,
                                    gboolean            with_secrets,
                                    GError            **error);

/* Reads a script as a profile for `model`. Accepted lines: "AT+CMD=values"
 * for settings of the model (any case for "AT+" and the name), comments
 * ('#' first), blank lines; a "# model: m0" comment naming another model is
 * an error. On any problem: NULL and ATC_ERROR_PROFILE listing every
 * problem as "line N: …". `name` names the script in messages. */
AtcProfile *atc_script_import      (const char         *text,
                                    const char         *name,
                                    AtcModel           *model,
                                    GError            **error);

G_END_DECLS
