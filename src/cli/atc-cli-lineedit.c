/* atc-cli-lineedit.c: the console's small line editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "atc-cli-lineedit.h"

#define CTRL(c) ((c) & 0x1f)

struct _AtcLineEditor
{
  GString                *line;
  gsize                   cursor;         /* byte offset, on a UTF-8 boundary */
  char                   *prompt;

  GPtrArray              *history;
  guint                   history_pos;    /* == history->len: the line being typed */
  char                   *draft;          /* that line, kept while browsing */

  AtcLineEditCompleteFunc complete;
  gpointer                complete_data;

  /* An escape sequence or a UTF-8 character arriving byte by byte. */
  char                    pending[16];
  guint                   n_pending;
};

AtcLineEditor *
atc_line_editor_new (void)
{
  AtcLineEditor *self = g_new0 (AtcLineEditor, 1);

  self->line = g_string_new (NULL);
  self->prompt = g_strdup ("> ");
  return self;
}

void
atc_line_editor_free (AtcLineEditor *self)
{
  if (self == NULL)
    return;
  g_string_free (self->line, TRUE);
  g_free (self->prompt);
  g_free (self->draft);
  g_free (self);
}

void
atc_line_editor_set_prompt (AtcLineEditor *self,
                            const char    *prompt)
{
  g_free (self->prompt);
  self->prompt = g_strdup (prompt);
}

void
atc_line_editor_set_history (AtcLineEditor *self,
                             GPtrArray     *history)
{
  self->history = history;
  self->history_pos = history ? history->len : 0;
}

void
atc_line_editor_set_completer (AtcLineEditor          *self,
                               AtcLineEditCompleteFunc func,
                               gpointer                user_data)
{
  self->complete = func;
  self->complete_data = user_data;
}

static void
emit (const char *text)
{
  fputs (text, stdout);
  fflush (stdout);
}

/* Redraws the whole line: simple, and right after any edit or history jump. */
static void
redraw (AtcLineEditor *self)
{
  g_autoptr(GString) out = g_string_new ("\r");
  glong after;

  g_string_append (out, self->prompt);
  g_string_append_len (out, self->line->str, self->line->len);
  g_string_append (out, "\033[K");
  after = g_utf8_strlen (self->line->str + self->cursor, -1);
  if (after > 0)
    g_string_append_printf (out, "\033[%ldD", after);
  emit (out->str);
}

void
atc_line_editor_start (AtcLineEditor *self)
{
  g_string_truncate (self->line, 0);
  self->cursor = 0;
  self->n_pending = 0;
  self->history_pos = self->history ? self->history->len : 0;
  g_clear_pointer (&self->draft, g_free);
  redraw (self);
}

char *
atc_line_editor_take_line (AtcLineEditor *self)
{
  char *line = g_strdup (self->line->str);

  g_string_truncate (self->line, 0);
  self->cursor = 0;
  return line;
}

static gsize
prev_char (AtcLineEditor *self,
           gsize          pos)
{
  if (pos == 0)
    return 0;
  return g_utf8_find_prev_char (self->line->str, self->line->str + pos) - self->line->str;
}

static gsize
next_char (AtcLineEditor *self,
           gsize          pos)
{
  if (pos >= self->line->len)
    return self->line->len;
  return g_utf8_next_char (self->line->str + pos) - self->line->str;
}

static void
set_line (AtcLineEditor *self,
          const char    *text)
{
  g_string_assign (self->line, text);
  self->cursor = self->line->len;
}

static void
history_move (AtcLineEditor *self,
              int            delta)
{
  guint target;

  if (self->history == NULL || self->history->len == 0)
    return;
  if (delta < 0 && self->history_pos == 0)
    return;
  if (delta > 0 && self->history_pos >= self->history->len)
    return;

  if (self->history_pos == self->history->len)
    {
      g_free (self->draft);
      self->draft = g_strdup (self->line->str);
    }
  target = self->history_pos + delta;
  self->history_pos = target;
  if (target == self->history->len)
    set_line (self, self->draft ? self->draft : "");
  else
    set_line (self, g_ptr_array_index (self->history, target));
  redraw (self);
}

static char *
common_prefix (char **candidates)
{
  gsize len = strlen (candidates[0]);

  /* Case-insensitive: "at+ua" and "AT+UART" share a prefix. */
  for (guint i = 1; candidates[i]; i++)
    {
      gsize j = 0;

      while (j < len && candidates[i][j] &&
             g_ascii_tolower (candidates[i][j]) == g_ascii_tolower (candidates[0][j]))
        j++;
      len = j;
    }
  return g_strndup (candidates[0], len);
}

static void
complete (AtcLineEditor *self)
{
  g_autofree char *before = g_strndup (self->line->str, self->cursor);
  g_autofree char *prefix = NULL;
  g_auto(GStrv) candidates = NULL;

  if (self->complete == NULL)
    return;
  candidates = self->complete (before, self->complete_data);
  if (candidates == NULL || candidates[0] == NULL)
    {
      emit ("\a");
      return;
    }

  prefix = common_prefix (candidates);
  if (strlen (prefix) > strlen (before) ||
      (strlen (prefix) == strlen (before) && strcmp (prefix, before) != 0))
    {
      g_string_erase (self->line, 0, self->cursor);
      g_string_insert (self->line, 0, prefix);
      self->cursor = strlen (prefix);
      redraw (self);
      return;
    }

  if (candidates[1] != NULL)
    {
      g_autoptr(GString) list = g_string_new ("\r\n");

      /* Nothing more to add: show what the line may become. */
      for (guint i = 0; candidates[i]; i++)
        g_string_append_printf (list, "%s%s", candidates[i],
                                (i + 1) % 6 == 0 || !candidates[i + 1] ? "\r\n" : "  ");
      emit (list->str);
      redraw (self);
    }
}

static void
insert_text (AtcLineEditor *self,
             const char    *text,
             gsize          len)
{
  g_string_insert_len (self->line, self->cursor, text, len);
  self->cursor += len;
  redraw (self);
}

static void
handle_escape (AtcLineEditor *self)
{
  const char *seq = self->pending + 1; /* after ESC */

  if (g_str_equal (seq, "[A") || g_str_equal (seq, "OA"))
    history_move (self, -1);
  else if (g_str_equal (seq, "[B") || g_str_equal (seq, "OB"))
    history_move (self, +1);
  else if (g_str_equal (seq, "[C") || g_str_equal (seq, "OC"))
    self->cursor = next_char (self, self->cursor);
  else if (g_str_equal (seq, "[D") || g_str_equal (seq, "OD"))
    self->cursor = prev_char (self, self->cursor);
  else if (g_str_equal (seq, "[H") || g_str_equal (seq, "OH") ||
           g_str_equal (seq, "[1~") || g_str_equal (seq, "[7~"))
    self->cursor = 0;
  else if (g_str_equal (seq, "[F") || g_str_equal (seq, "OF") ||
           g_str_equal (seq, "[4~") || g_str_equal (seq, "[8~"))
    self->cursor = self->line->len;
  else if (g_str_equal (seq, "[3~"))
    {
      gsize end = next_char (self, self->cursor);

      g_string_erase (self->line, self->cursor, end - self->cursor);
    }
  /* Anything else (F-keys, mouse) is ignored. */
  redraw (self);
}

/* Returns TRUE when the pending bytes form a complete escape sequence. */
static gboolean
escape_complete (AtcLineEditor *self)
{
  char last = self->pending[self->n_pending - 1];

  if (self->n_pending < 2)
    return FALSE;
  if (self->pending[1] == 'O')
    return self->n_pending == 3;
  if (self->pending[1] != '[')
    return TRUE;  /* ESC + one key (Alt-x): ignore */
  return self->n_pending > 2 && last >= 0x40 && last <= 0x7e;
}

AtcLineEditResult
atc_line_editor_feed (AtcLineEditor *self,
                      guchar         byte)
{
  /* Inside an escape sequence or a multi-byte character. */
  if (self->n_pending > 0)
    {
      if (self->n_pending >= sizeof self->pending - 1)
        {
          self->n_pending = 0;  /* too long to be anything we know */
          return ATC_LINE_EDIT_CONTINUE;
        }
      self->pending[self->n_pending++] = byte;
      self->pending[self->n_pending] = '\0';
      if (self->pending[0] == '\033')
        {
          if (escape_complete (self))
            {
              handle_escape (self);
              self->n_pending = 0;
            }
          return ATC_LINE_EDIT_CONTINUE;
        }
      switch ((gint32) g_utf8_get_char_validated (self->pending, self->n_pending))
        {
        case -2:
          return ATC_LINE_EDIT_CONTINUE;
        case -1:
          self->n_pending = 0;  /* not UTF-8: drop it */
          return ATC_LINE_EDIT_CONTINUE;
        default:
          insert_text (self, self->pending, self->n_pending);
          self->n_pending = 0;
          return ATC_LINE_EDIT_CONTINUE;
        }
    }

  if (byte == '\033' || byte >= 0x80)
    {
      self->pending[0] = byte;
      self->pending[1] = '\0';
      self->n_pending = 1;
      return ATC_LINE_EDIT_CONTINUE;
    }

  switch (byte)
    {
    case '\r':
    case '\n':
      emit ("\n");
      return ATC_LINE_EDIT_ACCEPT;

    case CTRL ('C'):
      emit ("^C\n");
      g_string_truncate (self->line, 0);
      self->cursor = 0;
      return ATC_LINE_EDIT_INTERRUPT;

    case CTRL ('D'):
      if (self->line->len == 0)
        {
          emit ("\n");
          return ATC_LINE_EDIT_EOF;
        }
      g_string_erase (self->line, self->cursor, next_char (self, self->cursor) - self->cursor);
      break;

    case 0x7f:
    case CTRL ('H'):
      if (self->cursor > 0)
        {
          gsize start = prev_char (self, self->cursor);

          g_string_erase (self->line, start, self->cursor - start);
          self->cursor = start;
        }
      break;

    case CTRL ('A'): self->cursor = 0; break;
    case CTRL ('E'): self->cursor = self->line->len; break;
    case CTRL ('B'): self->cursor = prev_char (self, self->cursor); break;
    case CTRL ('F'): self->cursor = next_char (self, self->cursor); break;
    case CTRL ('P'): history_move (self, -1); return ATC_LINE_EDIT_CONTINUE;
    case CTRL ('N'): history_move (self, +1); return ATC_LINE_EDIT_CONTINUE;

    case CTRL ('U'):
      g_string_erase (self->line, 0, self->cursor);
      self->cursor = 0;
      break;

    case CTRL ('K'):
      g_string_truncate (self->line, self->cursor);
      break;

    case CTRL ('W'):
      {
        gsize start = self->cursor;

        while (start > 0 && self->line->str[start - 1] == ' ')
          start--;
        while (start > 0 && self->line->str[start - 1] != ' ')
          start--;
        g_string_erase (self->line, start, self->cursor - start);
        self->cursor = start;
      }
      break;

    case CTRL ('L'):
      emit ("\033[H\033[2J");
      break;

    case '\t':
      complete (self);
      return ATC_LINE_EDIT_CONTINUE;

    default:
      if (byte >= 0x20)
        {
          char c = byte;

          insert_text (self, &c, 1);
        }
      return ATC_LINE_EDIT_CONTINUE;
    }

  redraw (self);
  return ATC_LINE_EDIT_CONTINUE;
}
