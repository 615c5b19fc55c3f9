/* atc-escape-private.h: the escape syntax validation and the codec share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalog decides which values are safe to send; the protocol layer's
 * codec writes them. Both must read "[3F]" and "<<CRLF>>" the same way, or
 * a value validation accepts could reach the unit as another character.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ATC_CRLF_TOKEN     "<<CRLF>>"
#define ATC_CRLF_TOKEN_LEN 8

/* "[XX]" at p, with XX two hex digits that do not decode to NUL (a NUL
 * would cut the C string short, so "[00]" stays literal). Returns the byte
 * or -1 when p does not start a well-formed escape. */
int          atc_bracket_escape_at (const char *p);

/* Whether p starts with <<CRLF>>, in any case. */
gboolean     atc_crlf_token_at     (const char *p);

/* A short, human name for a byte a value may not carry (CR, LF, ';', ',',
 * tab, NUL), or NULL for any other byte. */
const char  *atc_describe_char     (guchar      c);

G_END_DECLS
