/* atc-reply-parser.h: incremental parser for what a unit sends back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feed it bytes in chunks of any size (one byte at a time works); it says
 * when the reply to the command it expects is complete. It handles echo
 * lines (also upper-cased), blank lines, "+CMD:value" + "OK",
 * "+OK=value" / "+OK", "+ERR=-n", "+ERR:n", "ERRn", "ERROR", the handshake
 * bytes "a" and "+ok", multi-line AT+H and garbage before a reply. Its
 * buffer is bounded: a line longer than ATC_REPLY_MAX_LINE is an error, not
 * growth.
 *
 * Where a reply ends:
 * - a command reply at the CR LF (or LF) after its final line (OK, +OK,
 *   +OK=value, or a line containing ERR); a final line ended by a lone CR
 *   ends once the next byte arrives, or on silence;
 * - the handshake at the 'a', or at the 'k' of "+ok" (a CR LF after it is
 *   left to the caller; the next reply skips it as a blank line).
 * The G781 answers plain "AT" with OK twice: the reply ends at the first,
 * and the second stays in what follows *consumed. The session discards
 * input before sending the next command; for queries,
 * atc_reply_parser_set_value_expected() also holds back a bare OK that
 * arrives before the "+CMD:" line.
 *
 * Classification does not depend on the dialect (an ENTM reply may be
 * "OK" or "+OK" on either family); the dialect only selects the meaning of
 * error numbers and the held-back OK.
 */
#pragma once

#include "atc-model.h"

G_BEGIN_DECLS

#define ATC_REPLY_MAX_LINE  4096
#define ATC_REPLY_MAX_LINES 512

typedef enum {
  ATC_EXPECT_REPLY,          /* a command reply (query, set, execute) */
  ATC_EXPECT_MULTILINE,      /* AT+H: info lines until OK (or silence) */
  ATC_EXPECT_HANDSHAKE_A,    /* the single byte 'a' after "+++" */
  ATC_EXPECT_HANDSHAKE_OK,   /* "+ok" after we sent 'a' */
} AtcExpect;

typedef enum {
  ATC_REPLY_OK,              /* final OK / +OK, possibly with a value */
  ATC_REPLY_ERROR,           /* the unit refused: see code and raw */
  ATC_REPLY_HANDSHAKE,       /* the expected handshake byte(s) arrived */
} AtcReplyStatus;

typedef struct {
  AtcReplyStatus status;
  char          *name;       /* "CSQ" from "+CSQ:..." (spaces removed), or NULL */
  char          *value;      /* raw value text from "+CMD:value" / "+OK=value", or NULL */
  GPtrArray     *lines;      /* every other non-echo, non-blank line, e.g. AT+H text */
  int            error_code; /* as the unit numbered it (-4, 4), 0 if none */
  char          *raw;        /* the final line as received, e.g. "+ERR=-4" */
  gboolean       echo_seen;
} AtcReply;

typedef enum {
  ATC_PARSE_NEED_MORE,
  ATC_PARSE_DONE,            /* atc_reply_parser_take_reply() has it */
  ATC_PARSE_FAILED,          /* overflow or a handshake byte that is wrong: see error */
} AtcParseResult;

typedef struct _AtcReplyParser AtcReplyParser;

AtcReplyParser *atc_reply_parser_new        (AtcDialect       dialect);
void            atc_reply_parser_free       (AtcReplyParser  *self);
/* Start waiting for the reply to `sent_line` (without line ending; NULL for
 * the handshake). Clears what was buffered. */
void            atc_reply_parser_expect     (AtcReplyParser  *self,
                                             AtcExpect        expect,
                                             const char      *sent_line);
/* Consumes bytes up to the end of the reply; *consumed tells how many, so
 * the caller can keep what follows (transparent data, the next reply). */
AtcParseResult  atc_reply_parser_feed       (AtcReplyParser  *self,
                                             const guint8    *data,
                                             gsize            len,
                                             gsize           *consumed,
                                             GError         **error);
/* The line was quiet long enough: a multiline read ends here; a partial
 * line without CR/LF is taken as complete. Returns DONE if that gave a
 * reply. */
AtcParseResult  atc_reply_parser_silence    (AtcReplyParser  *self,
                                             GError         **error);
/* After expect(): the reply must carry a value ("+CMD:value"). In the
 * colon dialect a bare OK that comes before it is then taken as a stray
 * (noise) rather than as the reply; silence accepts it after all. */
void            atc_reply_parser_set_value_expected (AtcReplyParser *self,
                                                     gboolean        expected);
/* The reply, once DONE (transfer full); NULL otherwise. The parser is
 * idle again until the next expect(). */
AtcReply       *atc_reply_parser_take_reply (AtcReplyParser  *self);
/* Lines skipped as noise while waiting (garbage before the reply); owned
 * by the parser, cleared by expect(). Echo lines are never kept. */
GPtrArray      *atc_reply_parser_get_noise  (AtcReplyParser  *self);

void            atc_reply_free              (AtcReply        *reply);

/* The documents' meaning of an error number, e.g. "invalid parameter" for
 * M0 -4 (or 4), "wrong parameters" for G7xx Err4; NULL when undocumented. */
const char     *atc_reply_explain_error     (AtcDialect       dialect,
                                             int              code);
/* An ATC_ERROR_UNIT_ERROR for an ATC_REPLY_ERROR reply: "The unit refused
 * UART: wrong parameters (Err4). Check the values against ...". */
void            atc_reply_set_error         (const AtcReply  *reply,
                                             AtcDialect       dialect,
                                             const char      *command_name,
                                             GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcReplyParser, atc_reply_parser_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcReply, atc_reply_free)

G_END_DECLS
