/* test-reply-parser.c: every reply shape of both documents, in any chunking
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case is fed whole, one byte at a time, at every two-chunk split and
 * in random chunkings (fixed seed); every run must give the same reply and
 * stop consuming at the same byte.
 */
#include "config.h"

#include <string.h>

#include "atc-error.h"
#include "atc-reply-parser.h"

typedef struct {
  const char    *label;
  AtcDialect     dialect;
  AtcExpect      expect;
  const char    *sent;
  const char    *input;
  gsize          trailing;       /* bytes after the reply, left unconsumed */
  gboolean       value_expected;
  gboolean       silence;        /* the line goes quiet after the input */
  AtcParseResult result;
  AtcReplyStatus status;
  const char    *name;
  const char    *value;
  const char    *raw;
  int            error_code;
  gboolean       echo_seen;
  const char    *lines;          /* joined with '|', NULL for none */
  const char    *noise;          /* joined with '|', NULL for none */
  int            error;          /* ATC_ERROR code when result is FAILED */
} Case;

typedef struct {
  AtcParseResult result;
  gsize          consumed;
  AtcReply      *reply;
  char          *noise;
  GError        *error;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->reply, atc_reply_free);
  g_clear_pointer (&o->noise, g_free);
  g_clear_error (&o->error);
}

static char *
join (GPtrArray *lines)
{
  g_autoptr(GString) out = NULL;

  if (lines == NULL || lines->len == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < lines->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, '|');
      g_string_append (out, g_ptr_array_index (lines, i));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Feeds c->input cut at the given offsets (ascending, inside the input). */
static void
run (const Case  *c,
     const gsize *cuts,
     guint        n_cuts,
     Outcome     *o)
{
  g_autoptr(AtcReplyParser) parser = atc_reply_parser_new (c->dialect);
  const guint8 *data = (const guint8 *) c->input;
  gsize len = strlen (c->input);
  gsize start = 0;

  memset (o, 0, sizeof *o);
  atc_reply_parser_expect (parser, c->expect, c->sent);
  if (c->value_expected)
    atc_reply_parser_set_value_expected (parser, TRUE);

  o->result = ATC_PARSE_NEED_MORE;
  for (guint i = 0; i <= n_cuts && o->result == ATC_PARSE_NEED_MORE; i++)
    {
      gsize end = i < n_cuts ? cuts[i] : len;
      gsize consumed = 0;

      o->result = atc_reply_parser_feed (parser, data + start, end - start, &consumed,
                                         &o->error);
      g_assert_cmpuint (consumed, <=, end - start);
      /* A chunk is used up unless the reply ended inside it. */
      if (o->result == ATC_PARSE_NEED_MORE)
        g_assert_cmpuint (consumed, ==, end - start);
      o->consumed += consumed;
      start = end;
    }

  if (o->result == ATC_PARSE_NEED_MORE && c->silence)
    o->result = atc_reply_parser_silence (parser, &o->error);

  if (o->result == ATC_PARSE_DONE)
    {
      gsize again = 99;

      /* Done stays done and takes nothing more. */
      g_assert_cmpint (atc_reply_parser_feed (parser, data, len, &again, NULL), ==,
                       ATC_PARSE_DONE);
      g_assert_cmpuint (again, ==, 0);
      o->reply = atc_reply_parser_take_reply (parser);
      g_assert_nonnull (o->reply);
      g_assert_null (atc_reply_parser_take_reply (parser));
    }
  else
    {
      g_assert_null (atc_reply_parser_take_reply (parser));
    }
  o->noise = join (atc_reply_parser_get_noise (parser));
}

static void
check (const Case    *c,
       const Outcome *o,
       const char    *how)
{
  g_autofree char *lines = NULL;

  if (g_test_verbose ())
    g_test_message ("%s (%s)", c->label, how);

  g_assert_cmpint (o->result, ==, c->result);

  if (c->result == ATC_PARSE_FAILED)
    {
      g_assert_error (o->error, ATC_ERROR, c->error);
      return;
    }
  g_assert_no_error (o->error);

  if (c->result == ATC_PARSE_NEED_MORE)
    {
      g_assert_cmpuint (o->consumed, ==, strlen (c->input));
      return;
    }

  g_assert_cmpuint (o->consumed, ==, strlen (c->input) - c->trailing);
  g_assert_cmpint (o->reply->status, ==, c->status);
  g_assert_cmpstr (o->reply->name, ==, c->name);
  g_assert_cmpstr (o->reply->value, ==, c->value);
  g_assert_cmpstr (o->reply->raw, ==, c->raw);
  g_assert_cmpint (o->reply->error_code, ==, c->error_code);
  g_assert_cmpint (o->reply->echo_seen, ==, c->echo_seen);
  lines = join (o->reply->lines);
  g_assert_cmpstr (lines, ==, c->lines);
  g_assert_cmpstr (o->noise, ==, c->noise);
}

static void
check_every_chunking (gconstpointer data)
{
  const Case *c = data;
  gsize len = strlen (c->input);
  g_autoptr(GRand) rand = g_rand_new_with_seed (781);
  g_autofree gsize *cuts = g_new (gsize, len + 1);
  Outcome o;

  /* Whole. */
  run (c, NULL, 0, &o);
  check (c, &o, "whole");
  outcome_clear (&o);

  /* One byte at a time. */
  for (gsize i = 0; i + 1 < len; i++)
    cuts[i] = i + 1;
  run (c, cuts, len > 0 ? len - 1 : 0, &o);
  check (c, &o, "bytewise");
  outcome_clear (&o);

  /* Every two-chunk split, empty chunks included. */
  for (gsize at = 0; at <= len; at++)
    {
      cuts[0] = at;
      run (c, cuts, 1, &o);
      check (c, &o, "split");
      outcome_clear (&o);
    }

  /* Random chunkings. */
  for (guint round = 0; round < 50; round++)
    {
      guint n = 0;

      for (gsize at = 0; at < len; at++)
        if (g_rand_int_range (rand, 0, 4) == 0)
          cuts[n++] = at;
      run (c, cuts, n, &o);
      check (c, &o, "random");
      outcome_clear (&o);
    }
}

#define G781 ATC_DIALECT_COLON
#define M0   ATC_DIALECT_PLUS_OK
#define REPLY ATC_EXPECT_REPLY
#define DONE ATC_PARSE_DONE
#define OK   ATC_REPLY_OK
#define ERR  ATC_REPLY_ERROR

static const Case cases[] = {
  /* G781 4.10: query */
  { "g781/query", G781, REPLY, "AT+CSQ", "\r\n+CSQ:20\r\n\r\nOK\r\n", 0, FALSE, FALSE, DONE, OK,
    "CSQ", "20", "OK", 0, FALSE, NULL, NULL, 0 },
  { "g781/query-echo", G781, REPLY, "AT+CSQ", "AT+CSQ\r\n\r\n+CSQ:20\r\n\r\nOK\r\n", 0, FALSE,
    FALSE, DONE, OK, "CSQ", "20", "OK", 0, TRUE, NULL, NULL, 0 },
  /* An echo ended by CR alone, then the reply's own CR LF. */
  { "g781/query-echo-cr", G781, REPLY, "AT+CSQ", "AT+CSQ\r\r\n+CSQ:31\r\n\r\nOK\r\n", 0, FALSE,
    FALSE, DONE, OK, "CSQ", "31", "OK", 0, TRUE, NULL, NULL, 0 },
  { "g781/query-echo-lower", G781, REPLY, "AT+CSQ", "at+csq\r\n\r\n+CSQ:20\r\n\r\nOK\r\n", 0,
    FALSE, FALSE, DONE, OK, "CSQ", "20", "OK", 0, TRUE, NULL, NULL, 0 },
  /* 4.11: the document prints "+ NETMODE:" */
  { "g781/netmode-space", G781, REPLY, "AT+NETMODE", "\r\n+ NETMODE:6\r\n\r\nOK\r\n", 0, FALSE,
    FALSE, DONE, OK, "NETMODE", "6", "OK", 0, FALSE, NULL, NULL, 0 },
  /* 4.45 */
  { "g781/heart-snd-space", G781, REPLY, "AT+HEARTSND", "\r\n+HEART SND:NET\r\n\r\nOK\r\n", 0,
    FALSE, FALSE, DONE, OK, "HEARTSND", "NET", "OK", 0, FALSE, NULL, NULL, 0 },
  /* 4.13 prints " OK" with a space, 4.28 "OK ". */
  { "g781/apn-doc", G781, REPLY, "AT+APN", "\r\n+APN:CMNET,,,0\r\n\r\n OK\r\n", 0, FALSE, FALSE,
    DONE, OK, "APN", "CMNET,,,0", "OK", 0, FALSE, NULL, NULL, 0 },
  { "g781/sockd-doc", G781, REPLY, "AT+SOCKD",
    "\r\n+SOCKD:TCPC,test.usr.cn,2317\r\n\r\nOK \r\n", 0, FALSE, FALSE, DONE, OK, "SOCKD",
    "TCPC,test.usr.cn,2317", "OK", 0, FALSE, NULL, NULL, 0 },
  { "g781/query-mark", G781, REPLY, "AT+WKMOD?", "\r\n+WKMOD:NET\r\n\r\nOK\r\n", 0, FALSE, FALSE,
    DONE, OK, "WKMOD", "NET", "OK", 0, FALSE, NULL, NULL, 0 },
  /* A value may read ERROR without being one. */
  { "g781/value-says-error", G781, REPLY, "AT+STMSG", "\r\n+STMSG:ERROR 42\r\n\r\nOK\r\n", 0,
    FALSE, FALSE, DONE, OK, "STMSG", "ERROR 42", "OK", 0, FALSE, NULL, NULL, 0 },
  { "g781/value-keeps-spaces", G781, REPLY, "AT+STMSG", "\r\n+STMSG: hi there \r\n\r\nOK\r\n",
    0, FALSE, FALSE, DONE, OK, "STMSG", " hi there ", "OK", 0, FALSE, NULL, NULL, 0 },
  { "g781/value-empty", G781, REPLY, "AT+CPIN", "\r\n+CPIN:\r\n\r\nOK\r\n", 0, FALSE, FALSE,
    DONE, OK, "CPIN", "", "OK", 0, FALSE, NULL, NULL, 0 },
  /* Set and execute */
  { "g781/set", G781, REPLY, "AT+WKMOD=HTTPD", "\r\nOK\r\n", 0, FALSE, FALSE, DONE, OK, NULL,
    NULL, "OK", 0, FALSE, NULL, NULL, 0 },
  { "g781/set-echo", G781, REPLY, "AT+WKMOD=HTTPD", "AT+WKMOD=HTTPD\r\n\r\nOK\r\n", 0, FALSE,
    FALSE, DONE, OK, NULL, NULL, "OK", 0, TRUE, NULL, NULL, 0 },
  /* Some firmwares echo upper-cased; an altered echo of a set line is
   * still the echo, never noise (it may hold a password). */
  { "g781/set-echo-upper", G781, REPLY, "AT+STMSG=hello", "AT+STMSG=HELLO\r\n\r\nOK\r\n", 0,
    FALSE, FALSE, DONE, OK, NULL, NULL, "OK", 0, TRUE, NULL, NULL, 0 },
  { "g781/set-echo-altered", G781, REPLY, "AT+CMDPW=s3cr[2C]t", "AT+CMDPW=s3cr,t\r\n\r\nOK\r\n",
    0, FALSE, FALSE, DONE, OK, NULL, NULL, "OK", 0, TRUE, NULL, NULL, 0 },
  { "g781/execute", G781, REPLY, "AT+Z", "AT+Z\r\n\r\nOK\r\n", 0, FALSE, FALSE, DONE, OK, NULL,
    NULL, "OK", 0, TRUE, NULL, NULL, 0 },
  /* Transparent-channel password: the echo may carry it or not. */
  { "g781/password-echo", G781, REPLY, "www.usr.cn#AT+CSQ",
    "www.usr.cn#AT+CSQ\r\n\r\n+CSQ:18\r\n\r\nOK\r\n", 0, FALSE, FALSE, DONE, OK, "CSQ", "18",
    "OK", 0, TRUE, NULL, NULL, 0 },
  { "g781/password-echo-upper", G781, REPLY, "www.usr.cn#AT+CSQ",
    "WWW.USR.CN#AT+CSQ\r\n\r\n+CSQ:18\r\n\r\nOK\r\n", 0, FALSE, FALSE, DONE, OK, "CSQ", "18",
    "OK", 0, TRUE, NULL, NULL, 0 },
  { "g781/password-echo-bare", G781, REPLY, "www.usr.cn#AT+CSQ",
    "AT+CSQ\r\n\r\n+CSQ:18\r\n\r\nOK\r\n", 0, FALSE, FALSE, DONE, OK, "CSQ", "18", "OK", 0,
    TRUE, NULL, NULL, 0 },
  /* 4.1: plain AT answers OK twice; the reply ends at the first and the
   * second is left to the caller. */
  { "g781/at-double-ok", G781, REPLY, "AT", "\r\nOK\r\n\r\nOK\r\n", 6, FALSE, FALSE, DONE, OK,
    NULL, NULL, "OK", 0, FALSE, NULL, NULL, 0 },
  { "g781/at-echo-double-ok", G781, REPLY, "AT", "AT\r\n\r\nOK\r\n\r\nOK\r\n", 6, FALSE, FALSE,
    DONE, OK, NULL, NULL, "OK", 0, TRUE, NULL, NULL, 0 },
  /* A stray OK ahead of a query's answer is not the answer. */
  { "g781/stray-ok-before-query", G781, REPLY, "AT+CSQ",
    "\r\nOK\r\nAT+CSQ\r\n\r\n+CSQ:20\r\n\r\nOK\r\n", 0, TRUE, FALSE, DONE, OK, "CSQ", "20", "OK",
    0, TRUE, NULL, "OK", 0 },
  /* ...unless nothing else comes: silence takes it after all. */
  { "g781/bare-ok-query-silence", G781, REPLY, "AT+CPIN", "\r\nOK\r\n", 0, TRUE, TRUE, DONE,
    OK, NULL, NULL, "OK", 0, FALSE, NULL, "OK", 0 },
  { "g781/bare-ok-query-waits", G781, REPLY, "AT+CPIN", "\r\nOK\r\n", 0, TRUE, FALSE,
    ATC_PARSE_NEED_MORE, OK, NULL, NULL, NULL, 0, FALSE, NULL, NULL, 0 },
  /* Errors: any final line containing ERR; the raw text and code kept. */
  { "g781/err4", G781, REPLY, "AT+UART=1,2,3,4,5", "\r\nERR4\r\n", 0, FALSE, FALSE, DONE, ERR,
    NULL, NULL, "ERR4", 4, FALSE, NULL, NULL, 0 },
  { "g781/Err2-echo", G781, REPLY, "AT+FOO", "AT+FOO\r\n\r\nErr2\r\n", 0, FALSE, FALSE, DONE, ERR,
    NULL, NULL, "Err2", 2, TRUE, NULL, NULL, 0 },
  { "g781/ERROR", G781, REPLY, "AT+CSQ", "\r\nERROR\r\n", 0, FALSE, FALSE, DONE, ERR, NULL, NULL,
    "ERROR", 0, FALSE, NULL, NULL, 0 },
  { "g781/cme-error", G781, REPLY, "AT+ICCID", "\r\n+CME ERROR: 10\r\n", 0, FALSE, FALSE, DONE,
    ERR, NULL, NULL, "+CME ERROR: 10", 10, FALSE, NULL, NULL, 0 },
  { "g781/error-colon", G781, REPLY, "AT+CSQ", "\r\n+ERR:4\r\n", 0, FALSE, FALSE, DONE, ERR,
    NULL, NULL, "+ERR:4", 4, FALSE, NULL, NULL, 0 },
  /* Nothing to match the name against: still an error. */
  { "g781/at-plus-err", G781, REPLY, "AT", "\r\n+ERR:1\r\n", 0, FALSE, FALSE, DONE, ERR, NULL,
    NULL, "+ERR:1", 1, FALSE, NULL, NULL, 0 },
  { "g781/no-sent-line-cme", G781, REPLY, NULL, "\r\n+CME ERROR: 3\r\n", 0, FALSE, FALSE, DONE,
    ERR, NULL, NULL, "+CME ERROR: 3", 3, FALSE, NULL, NULL, 0 },
  { "g781/no-sent-line-value", G781, REPLY, NULL, "\r\n+CSQ:9\r\n\r\nOK\r\n", 0, FALSE, FALSE,
    DONE, OK, "CSQ", "9", "OK", 0, FALSE, NULL, NULL, 0 },
  { "g781/error-after-value", G781, REPLY, "AT+CSQ", "\r\n+CSQ:20\r\n\r\nERROR\r\n", 0, FALSE,
    FALSE, DONE, ERR, "CSQ", "20", "ERROR", 0, FALSE, NULL, NULL, 0 },
  /* Garbage before the reply: transparent data still draining, a line
   * for another command. */
  { "g781/garbage-before", G781, REPLY, "AT+CSQ",
    "xx\x01yy\r\n+NETMODE:6\r\nhello\r\n+CSQ:20\r\n\r\nOK\r\n", 0, FALSE, FALSE, DONE, OK,
    "CSQ", "20", "OK", 0, FALSE, NULL, "xx\x01yy|+NETMODE:6|hello", 0 },
  /* Bytes after the reply are the caller's. */
  { "g781/trailing-data", G781, REPLY, "AT+ENTM", "\r\nOK\r\nDATA\r\n", 6, FALSE, FALSE, DONE,
    OK, NULL, NULL, "OK", 0, FALSE, NULL, NULL, 0 },
  /* Lone CR line ends: the line ends when the next byte shows it. */
  { "g781/cr-only", G781, REPLY, "AT+CSQ", "\r+CSQ:7\r\rOK\rX", 1, FALSE, FALSE, DONE, OK, "CSQ",
    "7", "OK", 0, FALSE, NULL, NULL, 0 },
  { "g781/cr-only-silence", G781, REPLY, "AT+CSQ", "\r+CSQ:7\r\rOK\r", 0, FALSE, TRUE, DONE, OK,
    "CSQ", "7", "OK", 0, FALSE, NULL, NULL, 0 },
  { "g781/no-line-end-silence", G781, REPLY, "AT+CSQ", "\r\n+CSQ:7\r\n\r\nOK", 0, FALSE, TRUE,
    DONE, OK, "CSQ", "7", "OK", 0, FALSE, NULL, NULL, 0 },
  { "g781/incomplete", G781, REPLY, "AT+CSQ", "\r\n+CSQ:7\r\n\r\nO", 0, FALSE, FALSE,
    ATC_PARSE_NEED_MORE, OK, NULL, NULL, NULL, 0, FALSE, NULL, NULL, 0 },
  /* ENTM may answer the M0 way on either family. */
  { "g781/plus-ok", G781, REPLY, "AT+ENTM", "\r\n+OK\r\n", 0, FALSE, FALSE, DONE, OK, NULL, NULL,
    "+OK", 0, FALSE, NULL, NULL, 0 },

  /* 4.2 AT+H: many lines, then OK or silence. */
  { "g781/help-ok", G781, ATC_EXPECT_MULTILINE, "AT+H",
    "AT+H\r\n\r\nAT+E: echo on/off\r\nAT+ERR: none here\r\n+VER:x\r\n\r\nOK\r\n", 0, FALSE,
    FALSE, DONE, OK, NULL, NULL, "OK", 0, TRUE, "AT+E: echo on/off|AT+ERR: none here|+VER:x",
    NULL, 0 },
  { "g781/help-silence", G781, ATC_EXPECT_MULTILINE, "AT+H",
    "\r\nAT+Z: reset\r\nAT+R: hardware reset", 0, FALSE, TRUE, DONE, OK, NULL, NULL, NULL, 0,
    FALSE, "AT+Z: reset|AT+R: hardware reset", NULL, 0 },
  { "g781/help-waits", G781, ATC_EXPECT_MULTILINE, "AT+H", "\r\nAT+Z: reset\r\n", 0, FALSE,
    FALSE, ATC_PARSE_NEED_MORE, OK, NULL, NULL, NULL, 0, FALSE, NULL, NULL, 0 },
  { "g781/help-refused", G781, ATC_EXPECT_MULTILINE, "AT+H", "\r\nERR2\r\n", 0, FALSE, FALSE,
    DONE, ERR, NULL, NULL, "ERR2", 2, FALSE, NULL, NULL, 0 },

  /* M0 dialect */
  { "m0/query", M0, REPLY, "AT+UART", "\r\n+OK=115200,8,1,NONE,NFC\r\n", 0, FALSE, FALSE, DONE,
    OK, NULL, "115200,8,1,NONE,NFC", "+OK=115200,8,1,NONE,NFC", 0, FALSE, NULL, NULL, 0 },
  { "m0/query-echo", M0, REPLY, "AT+VER", "AT+VER\r\n\r\n+OK=4016\r\n", 0, FALSE, FALSE, DONE,
    OK, NULL, "4016", "+OK=4016", 0, TRUE, NULL, NULL, 0 },
  { "m0/query-value-expected", M0, REPLY, "AT+E", "\r\n+OK=ON\r\n", 0, TRUE, FALSE, DONE, OK,
    NULL, "ON", "+OK=ON", 0, FALSE, NULL, NULL, 0 },
  { "m0/query-empty", M0, REPLY, "AT+REGUSR", "\r\n+OK=\r\n", 0, FALSE, FALSE, DONE, OK, NULL,
    "", "+OK=", 0, FALSE, NULL, NULL, 0 },
  { "m0/header-token", M0, REPLY, "AT+HTPHEAD", "\r\n+OK=User_Agent: Mozilla/4.0<<CRLF>>\r\n",
    0, FALSE, FALSE, DONE, OK, NULL, "User_Agent: Mozilla/4.0<<CRLF>>",
    "+OK=User_Agent: Mozilla/4.0<<CRLF>>", 0, FALSE, NULL, NULL, 0 },
  { "m0/set", M0, REPLY, "AT+E=OFF", "AT+E=OFF\r\n\r\n+OK\r\n", 0, FALSE, FALSE, DONE, OK, NULL,
    NULL, "+OK", 0, TRUE, NULL, NULL, 0 },
  { "m0/set-no-echo", M0, REPLY, "AT+WEBPORT=8080", "\r\n+OK\r\n", 0, FALSE, FALSE, DONE, OK,
    NULL, NULL, "+OK", 0, FALSE, NULL, NULL, 0 },
  /* 4.3 */
  { "m0/reld", M0, REPLY, "AT+RELD", "\r\n+OK=rebooting...\r\n", 0, FALSE, FALSE, DONE, OK, NULL,
    "rebooting...", "+OK=rebooting...", 0, FALSE, NULL, NULL, 0 },
  { "m0/err-4", M0, REPLY, "AT+UART=1", "\r\n+ERR=-4\r\n", 0, FALSE, FALSE, DONE, ERR, NULL, NULL,
    "+ERR=-4", -4, FALSE, NULL, NULL, 0 },
  { "m0/err-colon", M0, REPLY, "AT+UART=1", "\r\n+ERR:4\r\n", 0, FALSE, FALSE, DONE, ERR, NULL,
    NULL, "+ERR:4", 4, FALSE, NULL, NULL, 0 },
  { "m0/err-bare", M0, REPLY, "AT+FOO", "AT+FOO\r\nERR2\r\n", 0, FALSE, FALSE, DONE, ERR, NULL,
    NULL, "ERR2", 2, TRUE, NULL, NULL, 0 },
  { "m0/err-5", M0, REPLY, "AT+MAC=1", "\r\n+ERR=-5\r\n", 0, FALSE, FALSE, DONE, ERR, NULL, NULL,
    "+ERR=-5", -5, FALSE, NULL, NULL, 0 },
  { "m0/garbage-before", M0, REPLY, "AT+SOCKLK", "\xff\xfe junk\r\n\r\n+OK=Connected\r\n", 0,
    FALSE, FALSE, DONE, OK, NULL, "Connected", "+OK=Connected", 0, FALSE, NULL, "\xff\xfe junk",
    0 },
  { "m0/trailing", M0, REPLY, "AT+ENTM", "\r\n+OK\r\ntransparent bytes", 17, FALSE, FALSE, DONE,
    OK, NULL, NULL, "+OK", 0, FALSE, NULL, NULL, 0 },

  /* Handshake (protocol-notes.md): "a" after "+++", then "+ok". */
  { "handshake/a", G781, ATC_EXPECT_HANDSHAKE_A, NULL, "a", 0, FALSE, FALSE, DONE,
    ATC_REPLY_HANDSHAKE, NULL, NULL, "a", 0, FALSE, NULL, NULL, 0 },
  { "handshake/a-then-more", M0, ATC_EXPECT_HANDSHAKE_A, NULL, "axyz", 3, FALSE, FALSE, DONE,
    ATC_REPLY_HANDSHAKE, NULL, NULL, "a", 0, FALSE, NULL, NULL, 0 },
  { "handshake/a-wrong", G781, ATC_EXPECT_HANDSHAKE_A, NULL, "+++", 0, FALSE, FALSE,
    ATC_PARSE_FAILED, 0, NULL, NULL, NULL, 0, FALSE, NULL, NULL, ATC_ERROR_HANDSHAKE },
  { "handshake/a-with-crlf", G781, ATC_EXPECT_HANDSHAKE_A, NULL, "\r\na", 0, FALSE, FALSE,
    ATC_PARSE_FAILED, 0, NULL, NULL, NULL, 0, FALSE, NULL, NULL, ATC_ERROR_HANDSHAKE },
  { "handshake/a-waits", G781, ATC_EXPECT_HANDSHAKE_A, NULL, "", 0, FALSE, TRUE,
    ATC_PARSE_NEED_MORE, 0, NULL, NULL, NULL, 0, FALSE, NULL, NULL, 0 },
  { "handshake/ok", G781, ATC_EXPECT_HANDSHAKE_OK, NULL, "+ok", 0, FALSE, FALSE, DONE,
    ATC_REPLY_HANDSHAKE, NULL, NULL, "+ok", 0, FALSE, NULL, NULL, 0 },
  { "handshake/OK-crlf", M0, ATC_EXPECT_HANDSHAKE_OK, NULL, "+OK\r\n", 2, FALSE, FALSE, DONE,
    ATC_REPLY_HANDSHAKE, NULL, NULL, "+OK", 0, FALSE, NULL, NULL, 0 },
  { "handshake/Ok-after-crlf", M0, ATC_EXPECT_HANDSHAKE_OK, NULL, "\r\n+Ok\r\n", 2, FALSE, FALSE,
    DONE, ATC_REPLY_HANDSHAKE, NULL, NULL, "+Ok", 0, FALSE, NULL, NULL, 0 },
  { "handshake/ok-wrong", G781, ATC_EXPECT_HANDSHAKE_OK, NULL, "+no", 0, FALSE, FALSE,
    ATC_PARSE_FAILED, 0, NULL, NULL, NULL, 0, FALSE, NULL, NULL, ATC_ERROR_HANDSHAKE },
  { "handshake/ok-half-silence", G781, ATC_EXPECT_HANDSHAKE_OK, NULL, "+o", 0, FALSE, TRUE,
    ATC_PARSE_FAILED, 0, NULL, NULL, NULL, 0, FALSE, NULL, NULL, ATC_ERROR_HANDSHAKE },
};

static char *
repeat (const char *unit,
        guint       times)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (out, unit);
  return g_string_free (out, FALSE);
}

static void
test_line_limit (void)
{
  g_autofree char *longest = repeat ("x", ATC_REPLY_MAX_LINE);
  g_autofree char *fits = g_strconcat (longest, "\r\nOK\r\n", NULL);
  g_autofree char *too_long = g_strconcat (longest, "x\r\nOK\r\n", NULL);
  Case ok = { "line-at-limit", ATC_DIALECT_COLON, REPLY, "AT+CSQ", fits, 0, FALSE, FALSE, DONE,
              OK, NULL, NULL, "OK", 0, FALSE, NULL, longest, 0 };
  Case overflow = { "line-over-limit", ATC_DIALECT_COLON, REPLY, "AT+CSQ", too_long, 0, FALSE,
                    FALSE, ATC_PARSE_FAILED, 0, NULL, NULL, NULL, 0, FALSE, NULL, NULL,
                    ATC_ERROR_OVERFLOW };
  Outcome o;

  run (&ok, NULL, 0, &o);
  check (&ok, &o, "whole");
  outcome_clear (&o);

  /* Overflow in any chunking; the parser stops at the byte that did not
   * fit and never buffers it. */
  check_every_chunking (&overflow);
  run (&overflow, NULL, 0, &o);
  g_assert_cmpuint (o.consumed, ==, ATC_REPLY_MAX_LINE);
  outcome_clear (&o);
}

static void
test_line_count_limit (void)
{
  g_autofree char *noise_fits = repeat ("noise\r\n", ATC_REPLY_MAX_LINES - 1);
  g_autofree char *noise_over = repeat ("noise\r\n", ATC_REPLY_MAX_LINES);
  g_autofree char *help_over = repeat ("help line\r\n", ATC_REPLY_MAX_LINES + 1);
  g_autofree char *fits = g_strconcat (noise_fits, "OK\r\n", NULL);
  g_autofree char *noise_fits_joined = NULL;
  g_autofree char *over = g_strconcat (noise_over, "OK\r\n", NULL);
  g_autofree char *blank = repeat ("\r\n", ATC_REPLY_MAX_LINES * 2);
  g_autofree char *blank_then_ok = g_strconcat (blank, "OK\r\n", NULL);
  Case c_fits = { "lines-fit", ATC_DIALECT_COLON, REPLY, "AT+CSQ", fits, 0, FALSE, FALSE,
                  DONE, OK, NULL, NULL, "OK", 0, FALSE, NULL, NULL, 0 };
  Case c_over = { "lines-over", ATC_DIALECT_COLON, REPLY, "AT+CSQ", over, 0, FALSE, FALSE,
                  ATC_PARSE_FAILED, 0, NULL, NULL, NULL, 0, FALSE, NULL, NULL,
                  ATC_ERROR_OVERFLOW };
  Case c_help = { "help-over", ATC_DIALECT_COLON, ATC_EXPECT_MULTILINE, "AT+H", help_over, 0,
                  FALSE, TRUE, ATC_PARSE_FAILED, 0, NULL, NULL, NULL, 0, FALSE, NULL, NULL,
                  ATC_ERROR_OVERFLOW };
  Case c_blank = { "blank-lines", ATC_DIALECT_COLON, REPLY, "AT+Z", blank_then_ok, 0, FALSE,
                   FALSE, DONE, OK, NULL, NULL, "OK", 0, FALSE, NULL, NULL, 0 };
  Outcome o;

  noise_fits_joined = repeat ("noise|", ATC_REPLY_MAX_LINES - 1);
  noise_fits_joined[strlen (noise_fits_joined) - 1] = '\0';

  run (&c_fits, NULL, 0, &o);
  g_assert_cmpint (o.result, ==, DONE);
  g_assert_cmpint (o.reply->status, ==, ATC_REPLY_OK);
  g_assert_cmpstr (o.noise, ==, noise_fits_joined);
  outcome_clear (&o);

  run (&c_over, NULL, 0, &o);
  check (&c_over, &o, "whole");
  outcome_clear (&o);

  run (&c_help, NULL, 0, &o);
  check (&c_help, &o, "whole");
  outcome_clear (&o);

  /* Blank lines hold nothing and do not count. */
  run (&c_blank, NULL, 0, &o);
  check (&c_blank, &o, "whole");
  outcome_clear (&o);
}

static void
test_session_sequence (void)
{
  /* The G781 answers AT with two OKs in one burst; the bytes after the
   * first reply are fed to the next expectation, as a session would. */
  g_autoptr(AtcReplyParser) parser = atc_reply_parser_new (ATC_DIALECT_COLON);
  g_autoptr(AtcReply) first = NULL;
  g_autoptr(AtcReply) second = NULL;
  g_autoptr(GError) error = NULL;
  const char *burst = "\r\nOK\r\n\r\nOK\r\n";
  const char *answer = "\r\n+CSQ:25\r\n\r\nOK\r\n";
  gsize consumed;
  gsize used;

  atc_reply_parser_expect (parser, ATC_EXPECT_REPLY, "AT");
  g_assert_cmpint (atc_reply_parser_feed (parser, (const guint8 *) burst, strlen (burst),
                                          &consumed, &error), ==, ATC_PARSE_DONE);
  g_assert_no_error (error);
  first = atc_reply_parser_take_reply (parser);
  g_assert_cmpint (first->status, ==, ATC_REPLY_OK);
  g_assert_cmpuint (consumed, ==, 6);

  atc_reply_parser_expect (parser, ATC_EXPECT_REPLY, "AT+CSQ");
  atc_reply_parser_set_value_expected (parser, TRUE);
  g_assert_cmpint (atc_reply_parser_feed (parser, (const guint8 *) burst + consumed,
                                          strlen (burst) - consumed, &used, &error), ==,
                   ATC_PARSE_NEED_MORE);
  g_assert_cmpuint (used, ==, strlen (burst) - consumed);
  g_assert_cmpint (atc_reply_parser_feed (parser, (const guint8 *) answer, strlen (answer),
                                          &used, &error), ==, ATC_PARSE_DONE);
  second = atc_reply_parser_take_reply (parser);
  g_assert_cmpstr (second->name, ==, "CSQ");
  g_assert_cmpstr (second->value, ==, "25");
  g_assert_cmpuint (used, ==, strlen (answer));

  /* expect() forgets the previous reply's noise. */
  g_assert_cmpuint (atc_reply_parser_get_noise (parser)->len, ==, 1);
  atc_reply_parser_expect (parser, ATC_EXPECT_REPLY, "AT+CSQ");
  g_assert_cmpuint (atc_reply_parser_get_noise (parser)->len, ==, 0);
}

static void
test_nul_bytes (void)
{
  /* Line noise may hold NUL bytes; they never cut a value short. */
  static const guint8 input[] = "\r\n+CSQ:2\0" "0\r\n\0\r\nOK\r\nX";
  g_autoptr(AtcReplyParser) parser = atc_reply_parser_new (ATC_DIALECT_COLON);
  g_autoptr(AtcReply) reply = NULL;
  gsize consumed;

  atc_reply_parser_expect (parser, ATC_EXPECT_REPLY, "AT+CSQ");
  g_assert_cmpint (atc_reply_parser_feed (parser, input, sizeof input - 1, &consumed, NULL), ==,
                   ATC_PARSE_DONE);
  g_assert_cmpuint (consumed, ==, sizeof input - 2);
  reply = atc_reply_parser_take_reply (parser);
  g_assert_cmpstr (reply->value, ==, "20");
  g_assert_cmpuint (atc_reply_parser_get_noise (parser)->len, ==, 0);
}

static void
test_failed_stays_failed (void)
{
  g_autoptr(AtcReplyParser) parser = atc_reply_parser_new (ATC_DIALECT_PLUS_OK);
  g_autoptr(GError) error = NULL;
  gsize consumed;

  atc_reply_parser_expect (parser, ATC_EXPECT_HANDSHAKE_A, NULL);
  g_assert_cmpint (atc_reply_parser_feed (parser, (const guint8 *) "+++", 3, &consumed, &error),
                   ==, ATC_PARSE_FAILED);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_HANDSHAKE);
  /* The message shows what came instead, so the technician can tell a
   * unit already in command mode from a wrong baud rate. */
  g_assert_nonnull (strstr (error->message, "+++"));
  g_clear_error (&error);

  g_assert_cmpint (atc_reply_parser_feed (parser, (const guint8 *) "a", 1, &consumed, &error),
                   ==, ATC_PARSE_FAILED);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_HANDSHAKE);
  g_assert_cmpuint (consumed, ==, 0);
  g_clear_error (&error);

  /* A new expectation starts afresh. */
  atc_reply_parser_expect (parser, ATC_EXPECT_HANDSHAKE_A, NULL);
  g_assert_cmpint (atc_reply_parser_feed (parser, (const guint8 *) "a", 1, &consumed, &error),
                   ==, ATC_PARSE_DONE);
  g_assert_no_error (error);
}

static void
test_echo_never_reaches_noise (void)
{
  /* Echoes of a set line carry the value, which may be a password. */
  static const char *echoes[] = {
    "AT+APN=CMNET,user,Zq7pass,0",
    "at+apn=cmnet,user,zq7pass,0",
    "AT+APN=CMNET,user,Zq7pa",
    "www.usr.cn#AT+APN=CMNET,user,Zq7pass,0",
  };

  for (guint i = 0; i < G_N_ELEMENTS (echoes); i++)
    {
      g_autoptr(AtcReplyParser) parser = atc_reply_parser_new (ATC_DIALECT_COLON);
      g_autoptr(AtcReply) reply = NULL;
      g_autofree char *input = g_strconcat (echoes[i], "\r\n\r\nOK\r\n", NULL);
      gsize consumed;

      atc_reply_parser_expect (parser, ATC_EXPECT_REPLY, "www.usr.cn#AT+APN=CMNET,user,Zq7pass,0");
      g_assert_cmpint (atc_reply_parser_feed (parser, (const guint8 *) input, strlen (input),
                                              &consumed, NULL), ==, ATC_PARSE_DONE);
      reply = atc_reply_parser_take_reply (parser);
      g_assert_true (reply->echo_seen);
      g_assert_cmpuint (atc_reply_parser_get_noise (parser)->len, ==, 0);
      g_assert_cmpuint (reply->lines->len, ==, 0);
    }
}

static void
test_explain_errors (void)
{
  g_autoptr(AtcReplyParser) parser = atc_reply_parser_new (ATC_DIALECT_PLUS_OK);
  g_autoptr(AtcReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *input = "\r\n+ERR=-4\r\n";
  gsize consumed;

  /* M0 document class: -1..-5, also printed without the sign. */
  g_assert_cmpstr (atc_reply_explain_error (M0, -1), ==, "invalid command format");
  g_assert_cmpstr (atc_reply_explain_error (M0, -2), ==, "invalid command");
  g_assert_cmpstr (atc_reply_explain_error (M0, -3), ==, "invalid operator");
  g_assert_cmpstr (atc_reply_explain_error (M0, -4), ==, "invalid parameter");
  g_assert_cmpstr (atc_reply_explain_error (M0, 4), ==, "invalid parameter");
  g_assert_cmpstr (atc_reply_explain_error (M0, -5), ==, "operation not permitted");
  g_assert_null (atc_reply_explain_error (M0, 0));
  g_assert_null (atc_reply_explain_error (M0, -6));

  /* G7xx class: Err1..Err5. */
  g_assert_cmpstr (atc_reply_explain_error (G781, 1), ==, "not in AT command format");
  g_assert_cmpstr (atc_reply_explain_error (G781, 2), ==, "command not found");
  g_assert_cmpstr (atc_reply_explain_error (G781, 3), ==, "wrong query or set form");
  g_assert_cmpstr (atc_reply_explain_error (G781, 4), ==, "wrong parameters");
  g_assert_cmpstr (atc_reply_explain_error (G781, 5), ==, "setting failed");
  g_assert_null (atc_reply_explain_error (G781, 0));
  g_assert_null (atc_reply_explain_error (G781, 6));

  atc_reply_parser_expect (parser, ATC_EXPECT_REPLY, "AT+UART=9600,8,1,NONE,XX");
  g_assert_cmpint (atc_reply_parser_feed (parser, (const guint8 *) input, strlen (input),
                                          &consumed, NULL), ==, ATC_PARSE_DONE);
  reply = atc_reply_parser_take_reply (parser);
  atc_reply_set_error (reply, ATC_DIALECT_PLUS_OK, "UART", &error);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_UNIT_ERROR);
  g_assert_nonnull (strstr (error->message, "UART"));
  g_assert_nonnull (strstr (error->message, "invalid parameter"));
  g_assert_nonnull (strstr (error->message, "+ERR=-4"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/reply-parser/", cases[i].label, NULL);

      g_test_add_data_func (path, &cases[i], check_every_chunking);
    }
  g_test_add_func ("/reply-parser/limits/line-length", test_line_limit);
  g_test_add_func ("/reply-parser/limits/line-count", test_line_count_limit);
  g_test_add_func ("/reply-parser/session-sequence", test_session_sequence);
  g_test_add_func ("/reply-parser/nul-bytes", test_nul_bytes);
  g_test_add_func ("/reply-parser/failed-stays-failed", test_failed_stays_failed);
  g_test_add_func ("/reply-parser/echo-never-reaches-noise", test_echo_never_reaches_noise);
  g_test_add_func ("/reply-parser/explain-errors", test_explain_errors);

  return g_test_run ();
}
