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
AtcReply       *atc_reply_parser_take_reply (AtcReplyParser  *self);
/* Lines skipped as noise while waiting (garbage before the reply). */
GPtrArray      *atc_reply_parser_get_noise  (AtcReplyParser  *self);

void            atc_reply_free              (AtcReply        *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcReplyParser, atc_reply_parser_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcReply, atc_reply_free)

G_END_DECLS
