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
 * (ATC_ERROR_UNSAFE_VALUE) what the escape style cannot carry safely:
 * ';' and control bytes always, CR LF ',' in ATC_ESCAPE_NONE, and text
 * that already looks like an escape ("[3F]", "<<CRLF>>") in the styles
 * that would decode it. Decoding reads any "[XX]" hex pair except [00];
 * malformed brackets stay literal. Messages never quote the value. */
char   *atc_escape_encode       (const char        *text,
                                 AtcEscape          escape,
                                 GError           **error);
char   *atc_escape_decode       (const char        *wire,
                                 AtcEscape          escape);
/* atc_escape_encode() with the parameter's style, refusing bytes >= 0x80
 * where the parameter is ASCII-only. */
char   *atc_escape_encode_param (const AtcParam    *param,
                                 const char        *text,
                                 GError           **error);

/* REGDT / HEARTDT payloads: bytes <-> upper-case hex digits. */
char   *atc_hex_encode          (const guint8      *data,
                                 gsize              len);
GBytes *atc_hex_decode          (const char        *hex,
                                 GError           **error);

/* "AT+CSQ" (or the command's query_command: USERMAC -> "AT+MAC"), "AT+Z",
 * "AT" for the empty name. The bare query form is the one both documents
 * list. */
char   *atc_codec_format_query  (const AtcCommand  *command);
char   *atc_codec_format_execute(const AtcCommand  *command);
/* Validates (atc_command_validate) and escapes each value, then joins
 * them: "AT+UART=115200,8,1,NONE,NFC", "AT+APN=CMNET,,,0".
 * ATC_ERROR_NOT_SUPPORTED for a command that cannot be set. */
char   *atc_codec_format_set    (const AtcCommand  *command,
                                 const char *const *values,
                                 GError           **error);
/* "www.usr.cn#AT+CSQ": a command sent over the transparent channel. An
 * empty password is ATC_ERROR_INVALID_VALUE; one with CR, LF or ';'
 * ATC_ERROR_UNSAFE_VALUE. */
char   *atc_codec_format_with_password (const char *password,
                                        const char *line,
                                        GError    **error);

/* A reply value ("115200,8,1,NONE,NFC") -> readable values in the
 * command's parameter order, escapes decoded, each validated to its
 * canonical form; accepts the field orders the catalog lists as typos of
 * the documents (the first order that validates wins, the documented one
 * first). Fields split on every literal comma (free text carries commas
 * as [2C]). A command without parameters gives an empty vector whatever
 * the value ("+OK=rebooting..."). A value that does not fit is
 * ATC_ERROR_MALFORMED_REPLY naming the command, never quoting a secret. */
char  **atc_codec_parse_value   (const AtcCommand  *command,
                                 const char        *value,
                                 GError           **error);

G_END_DECLS
