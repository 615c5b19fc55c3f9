/* atc-reply-parser.c: incremental parser for what a unit sends back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lines end at LF; a CR ends a line too, but only once the next byte shows
 * it is not the start of CR LF, so the reply (and *consumed) ends at the
 * same byte whatever the chunking. Line classification does not depend on
 * the dialect: a G781 answers ENTM with "OK" and an M0 with "+OK", and
 * accepting both forms in both dialects costs nothing.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "atc-error.h"
#include "atc-reply-parser.h"

typedef enum {
  STATE_IDLE,
  STATE_WAITING,
  STATE_DONE,
  STATE_FAILED,
} State;

typedef enum {
  LINE_OTHER,
  LINE_OK,       /* "OK" / "+OK" */
  LINE_OK_VALUE, /* "+OK=value" */
  LINE_VALUE,    /* "+NAME:value" for the command we sent */
  LINE_ERROR,
} LineKind;

struct _AtcReplyParser
{
  AtcDialect dialect;
  AtcExpect  expect;
  State      state;

  char      *sent_line;
  gsize      prefix_len; /* password prefix in sent_line, 0 if none */
  char      *sent_name;  /* "CSQ" (spaces removed), NULL for plain AT */
  char      *set_head;   /* "AT+STMSG=" for a set line, else NULL */

  GString   *line;
  gboolean   pending_cr;
  guint      n_lines;
  gsize      handshake_matched;
  GString   *handshake_raw;

  gboolean   value_expected;
  gboolean   held_ok;

  AtcReply  *reply;
  GPtrArray *noise;
  GError    *failure;
};

static AtcReply *
reply_new (void)
{
  AtcReply *reply = g_new0 (AtcReply, 1);

  reply->lines = g_ptr_array_new_with_free_func (g_free);
  return reply;
}

void
atc_reply_free (AtcReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->name);
  g_free (reply->value);
  g_clear_pointer (&reply->lines, g_ptr_array_unref);
  g_free (reply->raw);
  g_free (reply);
}

AtcReplyParser *
atc_reply_parser_new (AtcDialect dialect)
{
  AtcReplyParser *self = g_new0 (AtcReplyParser, 1);

  self->dialect = dialect;
  self->state = STATE_IDLE;
  self->line = g_string_sized_new (128);
  self->handshake_raw = g_string_sized_new (8);
  self->noise = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
atc_reply_parser_free (AtcReplyParser *self)
{
  if (self == NULL)
    return;
  g_free (self->sent_line);
  g_free (self->sent_name);
  g_free (self->set_head);
  g_string_free (self->line, TRUE);
  g_string_free (self->handshake_raw, TRUE);
  g_clear_pointer (&self->reply, atc_reply_free);
  g_ptr_array_unref (self->noise);
  g_clear_error (&self->failure);
  g_free (self);
}

/* Where "AT" starts in a line that may carry the command password
 * ("www.usr.cn#AT+CSQ"): the first "AT" followed by '+' or the end. */
static gsize
find_at (const char *line)
{
  for (const char *p = line; p[0] != '\0' && p[1] != '\0'; p++)
    {
      if (g_ascii_toupper (p[0]) == 'A' && g_ascii_toupper (p[1]) == 'T' &&
          (p[2] == '+' || p[2] == '\0'))
        return p - line;
    }
  return 0;
}

static char *
remove_spaces (const char *text,
               gsize       len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    if (text[i] != ' ' && text[i] != '\t')
      g_string_append_c (out, text[i]);
  return g_string_free (out, FALSE);
}

void
atc_reply_parser_expect (AtcReplyParser *self,
                         AtcExpect       expect,
                         const char     *sent_line)
{
  g_return_if_fail (self != NULL);

  self->expect = expect;
  self->state = STATE_WAITING;

  g_clear_pointer (&self->sent_line, g_free);
  g_clear_pointer (&self->sent_name, g_free);
  g_clear_pointer (&self->set_head, g_free);
  self->prefix_len = 0;

  if (sent_line != NULL)
    {
      const char *bare;
      const char *eq;
      gsize name_len;

      self->sent_line = g_strdup (sent_line);
      self->prefix_len = find_at (sent_line);
      bare = sent_line + self->prefix_len;

      if (g_ascii_strncasecmp (bare, "AT+", 3) == 0)
        {
          const char *name = bare + 3;

          eq = strchr (name, '=');
          name_len = eq != NULL ? (gsize) (eq - name) : strlen (name);
          /* "AT+CSQ?" queries CSQ too. */
          if (name_len > 0 && name[name_len - 1] == '?')
            name_len--;
          self->sent_name = remove_spaces (name, name_len);
          if (eq != NULL)
            self->set_head = g_strndup (bare, eq - bare + 1);
        }
    }

  g_string_truncate (self->line, 0);
  self->pending_cr = FALSE;
  self->n_lines = 0;
  self->handshake_matched = 0;
  g_string_truncate (self->handshake_raw, 0);
  self->value_expected = FALSE;
  self->held_ok = FALSE;
  g_clear_pointer (&self->reply, atc_reply_free);
  self->reply = reply_new ();
  g_ptr_array_set_size (self->noise, 0);
  g_clear_error (&self->failure);
}

void
atc_reply_parser_set_value_expected (AtcReplyParser *self,
                                     gboolean        expected)
{
  g_return_if_fail (self != NULL);

  self->value_expected = !!expected;
}

static void
fail (AtcReplyParser *self,
      GError         *error)
{
  self->state = STATE_FAILED;
  g_clear_error (&self->failure);
  self->failure = error;
}

static void
finish (AtcReplyParser *self,
        AtcReplyStatus  status,
        const char     *raw)
{
  self->reply->status = status;
  g_free (self->reply->raw);
  self->reply->raw = g_strdup (raw);
  self->state = STATE_DONE;
}

/* The "+OK=value" line that ends a reply. */
static void
finish_with_value (AtcReplyParser *self,
                   const char     *value,
                   const char     *line)
{
  g_free (self->reply->value);
  self->reply->value = g_strdup (value);
  finish (self, ATC_REPLY_OK, line);
}

/* What the parser's state means to the caller, once the input is read. */
static AtcParseResult
parse_result (AtcReplyParser *self,
              GError        **error)
{
  if (self->state == STATE_DONE)
    return ATC_PARSE_DONE;
  if (self->state == STATE_FAILED)
    {
      if (error != NULL)
        *error = g_error_copy (self->failure);
      return ATC_PARSE_FAILED;
    }
  return ATC_PARSE_NEED_MORE;
}

static gboolean
expects_handshake (AtcReplyParser *self)
{
  return self->expect == ATC_EXPECT_HANDSHAKE_A || self->expect == ATC_EXPECT_HANDSHAKE_OK;
}

static const char *
ascii_strcasestr (const char *haystack,
                  const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = haystack; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return p;
  return NULL;
}

/* The unit's number for the error: "+ERR=-4" -> -4, "+ERR:4", "ERR4",
 * "Err4" -> 4, "+CME ERROR: 10" -> 10, "ERROR" -> 0. */
static int
parse_error_code (const char *line)
{
  const char *p = ascii_strcasestr (line, "ERR");
  gint64 code;

  if (p == NULL)
    return 0;
  for (p += 3; *p != '\0' && !g_ascii_isdigit (*p); p++)
    ;
  if (*p == '\0')
    return 0;

  code = g_ascii_strtoll (p, NULL, 10);
  code = CLAMP (code, 0, G_MAXINT);
  if (p[-1] == '-')
    code = -code;
  return (int) code;
}

static void
finish_error (AtcReplyParser *self,
              const char     *line)
{
  self->reply->error_code = parse_error_code (line);
  finish (self, ATC_REPLY_ERROR, line);
}

static gboolean
is_echo (AtcReplyParser *self,
         const char     *line)
{
  const char *bare_sent;
  const char *bare_line = line;

  if (self->sent_line == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (line, self->sent_line) == 0)
    return TRUE;

  /* The echo may or may not repeat the password prefix. */
  bare_sent = self->sent_line + self->prefix_len;
  if (self->prefix_len > 0 &&
      g_ascii_strncasecmp (line, self->sent_line, self->prefix_len) == 0)
    bare_line = line + self->prefix_len;
  if (g_ascii_strcasecmp (bare_line, bare_sent) == 0)
    return TRUE;

  /* A set line echoed with its value altered (upper-cased, escapes
   * decoded, truncated) is still the echo: it must not reach the noise,
   * where a password in it could end up in a log. */
  if (self->set_head != NULL &&
      g_ascii_strncasecmp (bare_line, self->set_head, strlen (self->set_head)) == 0)
    return TRUE;

  return FALSE;
}

/* Classifies a stripped, non-empty line. name and value point into line
 * or are newly allocated (name). */
static LineKind
classify (AtcReplyParser *self,
          const char     *line,
          char          **name_out,
          const char    **value_out)
{
  const char *sep = strpbrk (line, ":=");
  gsize head_len = sep != NULL ? (gsize) (sep - line) : strlen (line);
  g_autofree char *head = remove_spaces (line, head_len);

  *name_out = NULL;
  *value_out = NULL;

  if (sep == NULL && (g_ascii_strcasecmp (head, "OK") == 0 ||
                      g_ascii_strcasecmp (head, "+OK") == 0))
    return LINE_OK;

  if (sep != NULL && *sep == '=' && g_ascii_strcasecmp (head, "+OK") == 0)
    {
      *value_out = sep + 1;
      return LINE_OK_VALUE;
    }

  /* "+CMD:value" is a value when CMD is what we asked for, even if the
   * value reads "ERROR" (a welcome message may). The G781 document
   * prints "+ NETMODE:" and "+HEART SND:", hence no spaces. Without a
   * command to match, "+ERR:4" and "+CME ERROR:" are still errors. */
  if (sep != NULL && *sep == ':' && head[0] == '+' && head[1] != '\0' &&
      (self->sent_name != NULL ? g_ascii_strcasecmp (head + 1, self->sent_name) == 0
                               : ascii_strcasestr (head, "ERR") == NULL))
    {
      *name_out = g_strdup (head + 1);
      *value_out = sep + 1;
      return LINE_VALUE;
    }

  /* protocol-notes.md: the G7xx error bytes are unconfirmed; any final
   * line containing ERR is an error. */
  if (ascii_strcasestr (line, "ERR") != NULL)
    return LINE_ERROR;

  return LINE_OTHER;
}

static void
end_line (AtcReplyParser *self)
{
  g_autofree char *raw = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *name = NULL;
  const char *value = NULL;
  LineKind kind;

  raw = g_strndup (self->line->str, self->line->len);
  g_string_truncate (self->line, 0);

  stripped = g_strstrip (g_strdup (raw));
  if (stripped[0] == '\0')
    return;

  if (++self->n_lines > ATC_REPLY_MAX_LINES)
    {
      fail (self, g_error_new (ATC_ERROR, ATC_ERROR_OVERFLOW,
                               _("The unit sent more than %d lines without finishing its "
                                 "reply; it may be sending data instead of answering. "
                                 "Reconnect and try again"),
                               ATC_REPLY_MAX_LINES));
      return;
    }

  if (is_echo (self, stripped))
    {
      self->reply->echo_seen = TRUE;
      return;
    }

  kind = classify (self, stripped, &name, &value);
  /* Classify on the stripped line, but keep a value's trailing spaces:
   * free text (a welcome message) may end with them. */
  if (value != NULL)
    {
      gsize leading = 0;

      while (g_ascii_isspace (raw[leading]))
        leading++;
      value = raw + leading + (value - stripped);
    }

  if (self->expect == ATC_EXPECT_MULTILINE)
    {
      switch (kind)
        {
        case LINE_OK:
          finish (self, ATC_REPLY_OK, stripped);
          return;

        case LINE_OK_VALUE:
          finish_with_value (self, value, stripped);
          return;

        case LINE_ERROR:
          /* Help text may mention errors; only a first line refuses. */
          if (self->reply->lines->len == 0)
            {
              finish_error (self, stripped);
              return;
            }
          break;

        case LINE_VALUE:
        case LINE_OTHER:
        default:
          break;
        }

      g_ptr_array_add (self->reply->lines, g_steal_pointer (&raw));
      return;
    }

  switch (kind)
    {
    case LINE_OK:
      /* The G781 answers plain AT with two OKs. Left over, the second
       * would pass for the reply to a query sent next; a query's answer
       * always carries its "+CMD:" line first, so a bare OK is held back
       * (silence still accepts it). */
      if (self->value_expected && self->dialect == ATC_DIALECT_COLON &&
          self->reply->value == NULL)
        {
          self->held_ok = TRUE;
          g_ptr_array_add (self->noise, g_steal_pointer (&raw));
          return;
        }
      finish (self, ATC_REPLY_OK, stripped);
      return;

    case LINE_OK_VALUE:
      finish_with_value (self, value, stripped);
      return;

    case LINE_VALUE:
      g_free (self->reply->name);
      self->reply->name = g_steal_pointer (&name);
      g_free (self->reply->value);
      self->reply->value = g_strdup (value);
      return;

    case LINE_ERROR:
      finish_error (self, stripped);
      return;

    case LINE_OTHER:
    default:
      g_ptr_array_add (self->noise, g_steal_pointer (&raw));
      return;
    }
}

static void
handshake_fail (AtcReplyParser *self)
{
  g_autofree char *got = g_strescape (self->handshake_raw->str, NULL);

  if (self->expect == ATC_EXPECT_HANDSHAKE_A)
    fail (self, g_error_new (ATC_ERROR, ATC_ERROR_HANDSHAKE,
                             _("The unit answered “+++” with “%s” instead of “a”. It may "
                               "already be in command mode, or the baud rate may be wrong; "
                               "check the port settings and try again"),
                             got));
  else
    fail (self, g_error_new (ATC_ERROR, ATC_ERROR_HANDSHAKE,
                             _("The unit answered “a” with “%s” instead of “+ok”, so it did "
                               "not enter command mode. Wait a few seconds and try again"),
                             got));
}

/* One byte of a handshake; every byte is used. */
static void
handshake_byte (AtcReplyParser *self,
                guint8          c)
{
  static const char plus_ok[] = "+ok";

  if (self->expect == ATC_EXPECT_HANDSHAKE_A)
    {
      g_string_append_c (self->handshake_raw, (char) c);
      if (c == 'a')
        finish (self, ATC_REPLY_HANDSHAKE, self->handshake_raw->str);
      else
        handshake_fail (self);
      return;
    }

  /* "+ok" may follow the tail of the line the unit was printing. */
  if (self->handshake_matched == 0 && (c == '\r' || c == '\n'))
    return;

  g_string_append_c (self->handshake_raw, (char) c);
  if (g_ascii_tolower (c) != plus_ok[self->handshake_matched])
    {
      handshake_fail (self);
      return;
    }

  /* Done at "+ok": a CR LF after it is optional, and the next reader
   * skips it as a blank line. */
  if (++self->handshake_matched == strlen (plus_ok))
    finish (self, ATC_REPLY_HANDSHAKE, self->handshake_raw->str);
}

static gboolean
line_byte (AtcReplyParser *self,
           guint8          c)
{
  if (c == '\n')
    {
      self->pending_cr = FALSE;
      end_line (self);
      return TRUE;
    }

  if (self->pending_cr)
    {
      /* A lone CR ended the line; c starts the next one. */
      self->pending_cr = FALSE;
      end_line (self);
      if (self->state != STATE_WAITING)
        return FALSE;
    }

  if (c == '\r')
    {
      self->pending_cr = TRUE;
      return TRUE;
    }

  /* A NUL would cut the line short as a C string; line noise only. */
  if (c == '\0')
    return TRUE;

  if (self->line->len >= ATC_REPLY_MAX_LINE)
    {
      fail (self, g_error_new (ATC_ERROR, ATC_ERROR_OVERFLOW,
                               _("The unit sent a line longer than %d bytes; it may be "
                                 "sending data instead of answering. Reconnect and try again"),
                               ATC_REPLY_MAX_LINE));
      return FALSE;
    }

  g_string_append_c (self->line, (char) c);
  return TRUE;
}

AtcParseResult
atc_reply_parser_feed (AtcReplyParser *self,
                       const guint8   *data,
                       gsize           len,
                       gsize          *consumed,
                       GError        **error)
{
  gsize i;

  g_return_val_if_fail (self != NULL, ATC_PARSE_FAILED);
  g_return_val_if_fail (data != NULL || len == 0, ATC_PARSE_FAILED);
  g_return_val_if_fail (consumed != NULL, ATC_PARSE_FAILED);
  g_return_val_if_fail (error == NULL || *error == NULL, ATC_PARSE_FAILED);

  *consumed = 0;

  if (self->state == STATE_IDLE)
    {
      g_critical ("%s: call atc_reply_parser_expect() first", G_STRFUNC);
      return ATC_PARSE_FAILED;
    }
  if (self->state != STATE_WAITING)
    return parse_result (self, error);

  for (i = 0; i < len && self->state == STATE_WAITING; i++)
    {
      if (expects_handshake (self))
        handshake_byte (self, data[i]);
      else if (!line_byte (self, data[i]))
        break; /* the reply ended before data[i]: leave it to the caller */
    }

  *consumed = i;

  return parse_result (self, error);
}

AtcParseResult
atc_reply_parser_silence (AtcReplyParser *self,
                          GError        **error)
{
  g_return_val_if_fail (self != NULL, ATC_PARSE_FAILED);
  g_return_val_if_fail (error == NULL || *error == NULL, ATC_PARSE_FAILED);

  if (self->state != STATE_WAITING)
    return parse_result (self, error);

  if (expects_handshake (self))
    {
      /* Half a "+ok" and then nothing will not become a handshake. */
      if (self->handshake_raw->len > 0)
        handshake_fail (self);
      return parse_result (self, error);
    }

  if (self->pending_cr || self->line->len > 0)
    {
      self->pending_cr = FALSE;
      end_line (self);
    }

  if (self->state == STATE_WAITING)
    {
      if (self->expect == ATC_EXPECT_MULTILINE && self->reply->lines->len > 0)
        finish (self, ATC_REPLY_OK, NULL);
      else if (self->expect == ATC_EXPECT_REPLY && self->held_ok)
        finish (self, ATC_REPLY_OK, "OK");
    }

  return parse_result (self, error);
}

AtcReply *
atc_reply_parser_take_reply (AtcReplyParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->state != STATE_DONE)
    return NULL;

  self->state = STATE_IDLE;
  return g_steal_pointer (&self->reply);
}

GPtrArray *
atc_reply_parser_get_noise (AtcReplyParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->noise;
}

const char *
atc_reply_explain_error (AtcDialect dialect,
                         int        code)
{
  /* The M0 numbers its errors -1..-5, some firmwares print them without
   * the sign ("+ERR:4", "ERR4"); the G7xx numbers Err1..Err5. */
  int n = ABS (code);

  if (dialect == ATC_DIALECT_PLUS_OK)
    {
      switch (n)
        {
        case 1:
          return _("invalid command format");
        case 2:
          return _("invalid command");
        case 3:
          return _("invalid operator");
        case 4:
          return _("invalid parameter");
        case 5:
          return _("operation not permitted");
        default:
          return NULL;
        }
    }

  switch (n)
    {
    case 1:
      return _("not in AT command format");
    case 2:
      return _("command not found");
    case 3:
      return _("wrong query or set form");
    case 4:
      return _("wrong parameters");
    case 5:
      return _("setting failed");
    default:
      return NULL;
    }
}

/* What the technician can do about each documented error. */
static const char *
error_advice (int code)
{
  switch (ABS (code))
    {
    case 1:
    case 3:
      return _("This firmware may expect a different command form; check the model and "
               "firmware version selected");
    case 2:
      return _("This firmware does not know the command; check the model and firmware "
               "version selected");
    case 4:
      return _("Check the values against the unit's ranges and try again");
    case 5:
      return _("The unit could not apply it in its current state; try again, or restart "
               "the unit first");
    default:
      return _("Check the command and try again");
    }
}

void
atc_reply_set_error (const AtcReply *reply,
                     AtcDialect      dialect,
                     const char     *command_name,
                     GError        **error)
{
  const char *meaning;
  const char *raw;
  const char *name;

  g_return_if_fail (reply != NULL);
  g_return_if_fail (reply->status == ATC_REPLY_ERROR);

  raw = reply->raw != NULL ? reply->raw : "ERROR";
  name = command_name != NULL && command_name[0] != '\0' ? command_name : "AT";
  /* "+CME ERROR: n" is the cellular modem's own numbering, not Err1..5. */
  meaning = ascii_strcasestr (raw, "CME") == NULL
              ? atc_reply_explain_error (dialect, reply->error_code)
              : NULL;

  if (meaning != NULL)
    g_set_error (error, ATC_ERROR, ATC_ERROR_UNIT_ERROR,
                 _("The unit refused %s: %s (%s). %s."),
                 name, meaning, raw, error_advice (reply->error_code));
  else
    g_set_error (error, ATC_ERROR, ATC_ERROR_UNIT_ERROR,
                 _("The unit refused %s (%s). %s."),
                 name, raw, error_advice (reply->error_code));
}
