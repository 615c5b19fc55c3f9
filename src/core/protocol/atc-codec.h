/* atc-codec.h: AT command lines and reply values, as pure functions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lines are returned without the line ending; the session appends the
 * model's (atc_model_get_line_ending()). Nothing here does I/O.
 */
#pragma once

#include "atc-model.h"

G_BEGIN_DECLS

/* Escapes inside values: readable text <-> wire text. Encoding refuses
 * (ATC_ERROR_UNSAFE_VALUE) what the escape style cannot carry safely. */
char   *atc_escape_encode       (const char        *text,
                                 AtcEscape          escape,
                                 GError           **error);
char   *atc_escape_decode       (const char        *wire,
                                 AtcEscape          escape);
/* atc_escape_encode() with the parameter's style, refusing bytes >= 0x80
 * where the parameter is ASCII-only. Messages never quote the value. */
char   *atc_escape_encode_param (const AtcParam    *param,
                                 const char        *text,
                                 GError           **error);

/* REGDT / HEARTDT payloads: bytes <-> upper-case hex digits. */
char   *atc_hex_encode          (const guint8      *data,
                                 gsize              len);
GBytes *atc_hex_decode          (const char        *hex,
                                 GError           **error);

/* "AT+CSQ", "AT+Z", "AT" */
char   *atc_codec_format_query  (const AtcCommand  *command);
char   *atc_codec_format_execute(const AtcCommand  *command);
/* Validates (atc_command_validate) and escapes each value, then joins
 * them: "AT+UART=115200,8,1,NONE,NFC". */
char   *atc_codec_format_set    (const AtcCommand  *command,
                                 const char *const *values,
                                 GError           **error);
/* "www.usr.cn#AT+CSQ": a command sent over the transparent channel. */
char   *atc_codec_format_with_password (const char *password,
                                        const char *line,
                                        GError    **error);

/* A reply value ("115200,8,1,NONE,NFC") -> readable values in the
 * command's parameter order, escapes decoded; accepts the field orders
 * the catalog lists as typos of the documents. */
char  **atc_codec_parse_value   (const AtcCommand  *command,
                                 const char        *value,
                                 GError           **error);

G_END_DECLS
