/* fuzz-reply-parser.c: what a unit (or line noise) sends back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input layout (tests/fuzz/make-seeds.py writes the seeds):
 *   byte 0   options: bit 0 dialect (0 colon, 1 +OK), bits 1-2 AtcExpect,
 *            bit 3 value expected, bit 4 silence when the bytes run out
 *   byte 1   seed of the random chunking
 *   ...      the line we sent, up to the first LF (ignored for a handshake)
 *   ...      the rest: every byte the unit sends, parsed as consecutive
 *            replies the way the session does (expect, feed, take)
 *
 * The stream is parsed three times: in one piece, one byte at a time and
 * in random chunks. The parser promises the same replies, the same
 * errors and the same end of each reply whatever the chunking, so the
 * three transcripts must be equal. Besides not crashing, every reply must
 * respect the parser's bounds.
 */
#include "config.h"

#include <string.h>

#include "atc-error.h"
#include "atc-reply-parser.h"
#include "fuzz-common.h"

#define MAX_ROUNDS 64

typedef enum {
  CHUNK_WHOLE,
  CHUNK_BYTES,
  CHUNK_RANDOM,
} Chunking;

static void
append_lines (GString   *out,
              GPtrArray *lines)
{
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      FUZZ_CHECK (line != NULL);
      FUZZ_CHECK (strlen (line) <= ATC_REPLY_MAX_LINE);
      g_string_append_printf (out, "|%s", line);
    }
}

static void
check_reply (const AtcReply *reply,
             AtcDialect      dialect,
             const char     *sent,
             GString        *out)
{
  FUZZ_CHECK (reply->status == ATC_REPLY_OK || reply->status == ATC_REPLY_ERROR ||
              reply->status == ATC_REPLY_HANDSHAKE);
  FUZZ_CHECK (reply->lines != NULL);
  FUZZ_CHECK (reply->lines->len <= ATC_REPLY_MAX_LINES);
  FUZZ_CHECK (reply->value == NULL || strlen (reply->value) <= ATC_REPLY_MAX_LINE);
  FUZZ_CHECK (reply->raw == NULL || strlen (reply->raw) <= ATC_REPLY_MAX_LINE);
  FUZZ_CHECK (reply->name == NULL || strpbrk (reply->name, " \t") == NULL);
  FUZZ_CHECK (reply->status == ATC_REPLY_ERROR || reply->error_code == 0);

  g_string_append_printf (out, "reply %d name=%s value=%s raw=%s code=%d echo=%d lines",
                          reply->status, reply->name ? reply->name : "-",
                          reply->value ? reply->value : "-", reply->raw ? reply->raw : "-",
                          reply->error_code, reply->echo_seen);
  append_lines (out, reply->lines);
  g_string_append_c (out, '\n');

  if (reply->status == ATC_REPLY_ERROR)
    {
      g_autoptr(GError) error = NULL;

      atc_reply_set_error (reply, dialect,
                           sent != NULL && g_str_has_prefix (sent, "AT+") ? sent + 3 : NULL,
                           &error);
      FUZZ_CHECK (g_error_matches (error, ATC_ERROR, ATC_ERROR_UNIT_ERROR));
      atc_reply_explain_error (ATC_DIALECT_COLON, reply->error_code);
      atc_reply_explain_error (ATC_DIALECT_PLUS_OK, reply->error_code);
    }
}

/* The transcript of parsing stream as consecutive replies. */
static char *
parse_stream (AtcDialect    dialect,
              AtcExpect     expect,
              const char   *sent,
              gboolean      value_expected,
              gboolean      silence,
              const guint8 *stream,
              gsize         len,
              Chunking      chunking,
              guint8        chunk_seed)
{
  g_autoptr(AtcReplyParser) parser = atc_reply_parser_new (dialect);
  GString *out = g_string_new (NULL);
  guint32 rng = chunk_seed * 2654435761u + 1;
  gsize pos = 0;

  for (guint round = 0; round < MAX_ROUNDS && pos < len; round++)
    {
      g_autoptr(GError) error = NULL;
      AtcParseResult result = ATC_PARSE_NEED_MORE;
      gsize start = pos;

      atc_reply_parser_expect (parser, expect, sent);
      atc_reply_parser_set_value_expected (parser, value_expected);

      while (pos < len && result == ATC_PARSE_NEED_MORE)
        {
          gsize chunk, consumed = G_MAXSIZE;

          switch (chunking)
            {
            case CHUNK_WHOLE:
              chunk = len - pos;
              break;
            case CHUNK_BYTES:
              chunk = 1;
              break;
            case CHUNK_RANDOM:
            default:
              rng = rng * 1103515245u + 12345u;
              chunk = 1 + (rng >> 16) % 17;
              break;
            }
          chunk = MIN (chunk, len - pos);

          result = atc_reply_parser_feed (parser, stream + pos, chunk, &consumed, &error);
          FUZZ_CHECK (consumed <= chunk);
          FUZZ_CHECK (result != ATC_PARSE_NEED_MORE || consumed == chunk);
          FUZZ_CHECK ((result == ATC_PARSE_FAILED) == (error != NULL));
          pos += consumed;
        }

      if (result == ATC_PARSE_NEED_MORE && silence)
        {
          result = atc_reply_parser_silence (parser, &error);
          FUZZ_CHECK ((result == ATC_PARSE_FAILED) == (error != NULL));
        }

      g_string_append_printf (out, "round %u: bytes %" G_GSIZE_FORMAT "..%" G_GSIZE_FORMAT
                              " result %d noise", round, start, pos, result);
      append_lines (out, atc_reply_parser_get_noise (parser));
      g_string_append_c (out, '\n');

      if (result == ATC_PARSE_DONE)
        {
          g_autoptr(AtcReply) reply = atc_reply_parser_take_reply (parser);

          FUZZ_CHECK (reply != NULL);
          FUZZ_CHECK (atc_reply_parser_take_reply (parser) == NULL);
          check_reply (reply, dialect, sent, out);
          /* Every round must move on, or the session would spin. */
          FUZZ_CHECK (pos > start);
          continue;
        }

      if (result == ATC_PARSE_FAILED)
        {
          gsize consumed = 0;
          g_autoptr(GError) again = NULL;

          FUZZ_CHECK (error->domain == ATC_ERROR);
          FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
          g_string_append_printf (out, "failed %d: %s\n", error->code, error->message);
          /* A failed parser stays failed until the next expect(). */
          FUZZ_CHECK (atc_reply_parser_feed (parser, (const guint8 *) "OK\r\n", 4, &consumed,
                                             &again) == ATC_PARSE_FAILED);
          FUZZ_CHECK (again != NULL);
          continue;
        }

      /* Out of bytes without a reply. */
      FUZZ_CHECK (atc_reply_parser_take_reply (parser) == NULL);
      break;
    }

  return g_string_free (out, FALSE);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  atc_fuzz_setup ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *sent = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *random = NULL;
  const guint8 *lf;
  const guint8 *stream;
  AtcDialect dialect;
  AtcExpect expect;
  gboolean value_expected, silence;
  guint8 chunk_seed;
  gsize len;

  atc_fuzz_setup ();

  if (size < 2)
    return 0;

  dialect = (data[0] & 1) ? ATC_DIALECT_PLUS_OK : ATC_DIALECT_COLON;
  expect = (AtcExpect) ((data[0] >> 1) & 3);
  value_expected = (data[0] >> 3) & 1;
  silence = (data[0] >> 4) & 1;
  chunk_seed = data[1];

  lf = memchr (data + 2, '\n', size - 2);
  if (lf == NULL)
    return 0;
  /* The session never sends NUL, CR or LF inside a line. */
  sent = g_strndup ((const char *) data + 2, lf - (data + 2));
  if (strlen (sent) != (gsize) (lf - (data + 2)) || strchr (sent, '\r') != NULL)
    return 0;
  stream = lf + 1;
  len = size - (stream - data);

  /* The session sends no line before a handshake byte. */
  if (expect == ATC_EXPECT_HANDSHAKE_A || expect == ATC_EXPECT_HANDSHAKE_OK)
    g_clear_pointer (&sent, g_free);

  whole = parse_stream (dialect, expect, sent, value_expected, silence, stream, len,
                        CHUNK_WHOLE, chunk_seed);
  bytes = parse_stream (dialect, expect, sent, value_expected, silence, stream, len,
                        CHUNK_BYTES, chunk_seed);
  FUZZ_CHECK_STREQ (whole, bytes);
  random = parse_stream (dialect, expect, sent, value_expected, silence, stream, len,
                         CHUNK_RANDOM, chunk_seed);
  FUZZ_CHECK_STREQ (whole, random);

  return 0;
}
