/* atc-transaction-log.c: what went over the wire, with secrets redacted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atc-transaction-log.h"

#define DEFAULT_MAX_ENTRIES 5000
#define REDACTED            "•••"
/* A unit streaming data while a reply is awaited must not fill memory:
 * an entry shows at most this many of the bytes it was given (the rest is
 * only counted), and the log keeps at most this much text, dropping the
 * oldest entries first. A whole configuration session stays far below. */
#define MAX_ENTRY_BYTES     2048
#define MAX_TEXT_BYTES      (2 * 1024 * 1024)

struct _AtcLogEntry
{
  GObject         parent_instance;
  gint64          time;
  AtcLogDirection direction;
  char           *text;
};

G_DEFINE_FINAL_TYPE (AtcLogEntry, atc_log_entry, G_TYPE_OBJECT)

static void
atc_log_entry_finalize (GObject *object)
{
  AtcLogEntry *self = ATC_LOG_ENTRY (object);

  g_free (self->text);

  G_OBJECT_CLASS (atc_log_entry_parent_class)->finalize (object);
}

static void
atc_log_entry_class_init (AtcLogEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atc_log_entry_finalize;
}

static void
atc_log_entry_init (AtcLogEntry *self)
{
}

gint64
atc_log_entry_get_time (AtcLogEntry *self)
{
  g_return_val_if_fail (ATC_IS_LOG_ENTRY (self), 0);

  return self->time;
}

AtcLogDirection
atc_log_entry_get_direction (AtcLogEntry *self)
{
  g_return_val_if_fail (ATC_IS_LOG_ENTRY (self), ATC_LOG_EVENT);

  return self->direction;
}

const char *
atc_log_entry_get_text (AtcLogEntry *self)
{
  g_return_val_if_fail (ATC_IS_LOG_ENTRY (self), NULL);

  return self->text;
}

/* The log keeps the newest entries in a ring so that dropping the oldest
 * one on a busy link costs nothing. */
struct _AtcTransactionLog
{
  GObject       parent_instance;
  AtcLogEntry **ring;
  guint         capacity;
  guint         head;
  guint         count;
  gsize         text_bytes;  /* of every entry's text */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtcTransactionLog, atc_transaction_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
atc_transaction_log_get_item_type (GListModel *model)
{
  return ATC_TYPE_LOG_ENTRY;
}

static guint
atc_transaction_log_get_n_items (GListModel *model)
{
  return ATC_TRANSACTION_LOG (model)->count;
}

static gpointer
atc_transaction_log_get_item (GListModel *model,
                              guint       position)
{
  AtcTransactionLog *self = ATC_TRANSACTION_LOG (model);

  if (position >= self->count)
    return NULL;

  return g_object_ref (self->ring[(self->head + position) % self->capacity]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = atc_transaction_log_get_item_type;
  iface->get_n_items = atc_transaction_log_get_n_items;
  iface->get_item = atc_transaction_log_get_item;
}

static void
atc_transaction_log_finalize (GObject *object)
{
  AtcTransactionLog *self = ATC_TRANSACTION_LOG (object);

  for (guint i = 0; i < self->count; i++)
    g_object_unref (self->ring[(self->head + i) % self->capacity]);
  g_free (self->ring);

  G_OBJECT_CLASS (atc_transaction_log_parent_class)->finalize (object);
}

static void
atc_transaction_log_class_init (AtcTransactionLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atc_transaction_log_finalize;
}

static void
atc_transaction_log_init (AtcTransactionLog *self)
{
}

/* max_entries 0 picks a default large enough for a whole configuration
 * session. */
AtcTransactionLog *
atc_transaction_log_new (guint max_entries)
{
  AtcTransactionLog *self = g_object_new (ATC_TYPE_TRANSACTION_LOG, NULL);

  self->capacity = max_entries > 0 ? max_entries : DEFAULT_MAX_ENTRIES;
  self->ring = g_new0 (AtcLogEntry *, self->capacity);

  return self;
}

static void
add_entry (AtcTransactionLog *self,
           AtcLogDirection    direction,
           char              *text)
{
  AtcLogEntry *entry = g_object_new (ATC_TYPE_LOG_ENTRY, NULL);

  entry->time = g_get_real_time ();
  entry->direction = direction;
  entry->text = text;
  self->text_bytes += strlen (text);

  if (self->count == self->capacity)
    {
      self->text_bytes -= strlen (self->ring[self->head]->text);
      g_object_unref (self->ring[self->head]);
      self->ring[self->head] = entry;
      self->head = (self->head + 1) % self->capacity;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 1, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), self->count - 1, 0, 1);
    }
  else
    {
      self->ring[(self->head + self->count) % self->capacity] = entry;
      self->count++;
      g_list_model_items_changed (G_LIST_MODEL (self), self->count - 1, 0, 1);
    }

  /* Over the text budget: the oldest entries go, the newest stays. */
  if (self->text_bytes > MAX_TEXT_BYTES)
    {
      guint removed = 0;

      while (self->text_bytes > MAX_TEXT_BYTES && self->count > 1)
        {
          AtcLogEntry *oldest = self->ring[self->head];

          self->text_bytes -= strlen (oldest->text);
          g_object_unref (oldest);
          self->ring[self->head] = NULL;
          self->head = (self->head + 1) % self->capacity;
          self->count--;
          removed++;
        }
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
    }
}

/* Printable text for a console: line breaks and control bytes spelled
 * out, valid UTF-8 kept, any other byte shown in hex so the text is always
 * valid UTF-8. */
static char *
render_bytes (const guint8 *data,
              gsize         len)
{
  GString *out = g_string_sized_new (len + 8);
  gsize i = 0;

  while (i < len)
    {
      guint8 c = data[i];

      if (c == '\r')
        g_string_append (out, "<CR>");
      else if (c == '\n')
        g_string_append (out, "<LF>");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "<%02X>", c);
      else if (c < 0x80)
        g_string_append_c (out, (char) c);
      else
        {
          gunichar uc = g_utf8_get_char_validated ((const char *) data + i, len - i);

          if (uc != (gunichar) -1 && uc != (gunichar) -2 && !g_unichar_iscntrl (uc))
            {
              gsize n = g_utf8_skip[c];

              g_string_append_len (out, (const char *) data + i, n);
              i += n;
              continue;
            }
          g_string_append_printf (out, "<%02X>", c);
        }
      i++;
    }

  return g_string_free (out, FALSE);
}

void
atc_transaction_log_append (AtcTransactionLog *self,
                            AtcLogDirection    direction,
                            const guint8      *data,
                            gsize              len)
{
  char *text;

  g_return_if_fail (ATC_IS_TRANSACTION_LOG (self));
  g_return_if_fail (data != NULL || len == 0);

  if (len <= MAX_ENTRY_BYTES)
    text = render_bytes (data, len);
  else
    {
      g_autofree char *head = render_bytes (data, MAX_ENTRY_BYTES);

      text = g_strdup_printf ("%s… (%" G_GSIZE_FORMAT " more bytes)", head, len - MAX_ENTRY_BYTES);
    }
  add_entry (self, direction, text);
}

void
atc_transaction_log_event (AtcTransactionLog *self,
                           const char        *format,
                           ...)
{
  va_list args;
  g_autofree char *text = NULL;

  g_return_if_fail (ATC_IS_TRANSACTION_LOG (self));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  /* Events are prose, but keep them one printable line like the rest. */
  add_entry (self, ATC_LOG_EVENT, render_bytes ((const guint8 *) text, strlen (text)));
}

/* Matching ignores ASCII case: units echo commands upper-cased, so an echoed
 * password may come back in another case and must still be hidden. At each
 * position the longest secret wins, so a secret that contains another one is
 * hidden whole. */
char *
atc_transaction_log_redact (const char        *text,
                            const char *const *secrets)
{
  GString *out;
  gsize text_len;
  gsize i = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (secrets == NULL || secrets[0] == NULL)
    return g_strdup (text);

  text_len = strlen (text);
  out = g_string_sized_new (text_len);

  while (i < text_len)
    {
      gsize best = 0;

      for (guint s = 0; secrets[s] != NULL; s++)
        {
          gsize slen = strlen (secrets[s]);

          if (slen > best && slen <= text_len - i &&
              g_ascii_strncasecmp (text + i, secrets[s], slen) == 0)
            best = slen;
        }

      if (best > 0)
        {
          g_string_append (out, REDACTED);
          i += best;
        }
      else
        {
          g_string_append_c (out, text[i]);
          i++;
        }
    }

  return g_string_free (out, FALSE);
}

void
atc_transaction_log_clear (AtcTransactionLog *self)
{
  guint removed;

  g_return_if_fail (ATC_IS_TRANSACTION_LOG (self));

  removed = self->count;
  for (guint i = 0; i < self->count; i++)
    g_clear_object (&self->ring[(self->head + i) % self->capacity]);
  self->head = 0;
  self->count = 0;
  self->text_bytes = 0;

  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
}

char *
atc_transaction_log_to_text (AtcTransactionLog *self)
{
  GString *out;

  g_return_val_if_fail (ATC_IS_TRANSACTION_LOG (self), NULL);

  out = g_string_new (NULL);

  for (guint i = 0; i < self->count; i++)
    {
      AtcLogEntry *entry = self->ring[(self->head + i) % self->capacity];
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (entry->time / G_USEC_PER_SEC);
      g_autofree char *hms = NULL;
      char mark;

      switch (entry->direction)
        {
        case ATC_LOG_TX:
          mark = '>';
          break;
        case ATC_LOG_RX:
          mark = '<';
          break;
        case ATC_LOG_EVENT:
        default:
          mark = '*';
          break;
        }

      hms = dt != NULL ? g_date_time_format (dt, "%H:%M:%S") : g_strdup ("??:??:??");
      g_string_append_printf (out, "%s.%03d %c %s\n",
                              hms, (int) ((entry->time % G_USEC_PER_SEC) / 1000),
                              mark, entry->text);
    }

  return g_string_free (out, FALSE);
}
