/* atc-session.c: one conversation with one unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout of this file, bottom-up:
 *
 * - the link: a pollable source on the transport's input feeds whoever
 *   waits (the "waiter"), or the bytes are logged and dropped; writes go
 *   through one queue of g_output_stream_write_all_async();
 * - the waiter: the only primitive that talks to the unit. It is put in
 *   place before its bytes are written (so a fast reply is never missed)
 *   and ends on a reply, a parse failure, silence, its deadline, the
 *   link going away or cancellation;
 * - flows built from waits: entering command mode, one command with its
 *   retries, following a reboot, detection;
 * - the queue of caller operations: one runs, the rest wait in order; a
 *   cancelled one leaves the queue or is abandoned (and the line is
 *   drained before the next one).
 *
 * Secrets never reach the transaction log: every line is redacted before
 * it is stored, received bytes are logged by complete lines, and errors
 * quote the redacted form of a command.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "atc-catalog.h"
#include "atc-codec.h"
#include "atc-device.h"
#include "atc-error.h"
#include "atc-session.h"

#define REDACTED                 "•••"

/* Timings in ms, multiplied by the timeout scale. */
#define PROBE_TIMEOUT_MS         500   /* "AT" when the unit may already be in command mode */
#define HANDSHAKE_TIMEOUT_MS     1500  /* 'a' after "+++", "+ok" after 'a' (the unit allows 3 s) */
#define UNKNOWN_TIMEOUT_MS       2000  /* a reply when the model is not known yet */
#define REBOOT_GRACE_MIN_MS      10000 /* keep trying this long after the reboot time, at least */
#define REBOOT_FIRST_TRY_MS      1500  /* first handshake attempt; the reboot time is an upper bound */
#define BACKOFF_FIRST_MS         250
#define BACKOFF_MAX_MS           4000

/* Quiet periods in ms; longer on a slow link (scale > 1), never shorter:
 * they decide what belongs to which reply. */
#define PACKING_FALLBACK_MS      50    /* AT+UARTFT default when the model has none */
#define SETTLE_QUIET_MS          100   /* after the handshake and plain AT (G781: OK twice) */
#define SETTLE_MAX_MS            1000
#define RESYNC_QUIET_MS          200   /* after an abandoned or timed-out command */
#define RESYNC_MAX_MS            3000
#define REPLY_SILENCE_MS         300   /* ends AT+H without OK, or a last line without LF */

#define QUERY_ATTEMPTS           3
#define LOG_MAX_ENTRIES          5000
#define MAX_KNOWN_SECRETS        32
/* Known secrets are also hidden wherever they appear in a line, as a net
 * behind the structural redaction; shorter ones would blank out ordinary
 * values ("1", "ON") for nothing. */
#define NET_SECRET_MIN_LEN       3

G_DEFINE_ENUM_TYPE (AtcSessionState, atc_session_state,
                    G_DEFINE_ENUM_VALUE (ATC_SESSION_CLOSED, "closed"),
                    G_DEFINE_ENUM_VALUE (ATC_SESSION_OPENING, "opening"),
                    G_DEFINE_ENUM_VALUE (ATC_SESSION_DATA_MODE, "data-mode"),
                    G_DEFINE_ENUM_VALUE (ATC_SESSION_ENTERING, "entering"),
                    G_DEFINE_ENUM_VALUE (ATC_SESSION_COMMAND_MODE, "command-mode"),
                    G_DEFINE_ENUM_VALUE (ATC_SESSION_PASSWORD_MODE, "password-mode"),
                    G_DEFINE_ENUM_VALUE (ATC_SESSION_REBOOTING, "rebooting"),
                    G_DEFINE_ENUM_VALUE (ATC_SESSION_DISCONNECTED, "disconnected"))

/* --- Private types --------------------------------------------------- */

typedef enum {
  WAIT_REPLY, /* until the parser has a reply (or fails) */
  WAIT_QUIET, /* until nothing arrived for quiet_ms: drains the line */
  WAIT_SLEEP, /* a pause; what arrives is logged and dropped */
} WaitKind;

typedef struct {
  WaitKind    kind;
  AtcExpect   expect;
  const char *sent_line;      /* for echo stripping */
  gboolean    value_expected;
  guint       timeout_ms;     /* REPLY: give up; QUIET: stop waiting for quiet; SLEEP: length */
  guint       quiet_ms;
  guint       silent_ms;      /* REPLY: give up early when not a byte came in this long */
  const char *send;           /* written once the waiter is in place, or NULL */
  gsize       send_len;
  const char *send_log;       /* what the log shows for it: redacted */
} WaitSpec;

typedef struct {
  GTask    *task;
  WaitKind  kind;
  gboolean  handshake;
  guint     quiet_ms;
  GSource  *deadline;
  GSource  *quiet;
  GSource  *silent;
  GSource  *cancel;
} Waiter;

typedef enum {
  RESULT_NONE,
  RESULT_VALUES,  /* query: GStrv */
  RESULT_REPLY,   /* execute, raw line: AtcReply */
} ResultKind;

/* One command to run: what to send, what to expect, what follows. */
typedef struct {
  const AtcCommand *command;   /* NULL for a raw line the catalog does not know */
  char             *line;      /* without password prefix and line ending */
  char             *log_line;  /* redacted */
  AtcExpect         expect;
  guint             timeout_ms;
  guint             attempts;
  gboolean          query;
  gboolean          raw;       /* send_line: refusals are replies, not errors */
  gboolean          reboots;
  gboolean          leaves;
  gboolean          settle;    /* plain AT: the G781 answers OK twice */
  ResultKind        result;
  char             *set_baud;  /* AT+UART set: the rate the unit will use after a restart */
  /* results */
  AtcReply         *reply;
  char            **values;
} Cmd;

typedef enum {
  OP_CONNECT,
  OP_DETECT,
  OP_COMMAND,
} OpKind;

typedef struct {
  AtcSession   *self;
  OpKind        kind;
  GTask        *task;             /* the caller's */
  GCancellable *flow_cancellable; /* cancelled to abandon the running flow */
  GSource      *cancel_source;    /* watches the caller's cancellable */
  Cmd          *cmd;
  gboolean      running;
  gboolean      answered;         /* the caller has its result */
} Op;

struct _AtcSession
{
  GObject            parent_instance;

  AtcTransport      *transport;
  gulong             disconnected_handler;
  AtcModel          *model;
  char              *firmware;
  char              *password;
  double             timeout_scale;
  AtcSessionState    state;
  AtcTransactionLog *log;
  GMainContext      *context;

  /* the link */
  gboolean           link_up;
  GPollableInputStream *input;
  GOutputStream     *output;
  GSource           *read_source;
  GCancellable      *io_cancellable;
  GQueue             writes;
  gboolean           writing;
  guint              link_generation;

  /* reading */
  AtcReplyParser    *parser;
  AtcDialect         parser_dialect;
  Waiter            *waiter;
  GByteArray        *rx_line;
  gint64             last_rx_us;  /* monotonic time of the last byte in */

  /* caller operations */
  GQueue             ops;
  Op                *current;
  gboolean           needs_resync;
  gboolean           rebooting;   /* a reboot flow runs: a lost link is expected */

  /* redaction context */
  const AtcCommand  *log_command;
  char              *log_sent;
  char              *log_sent_redacted;
  GPtrArray         *secrets;

  guint              pending_baud; /* from AT+UART=..., in force after the next restart */
};

enum {
  PROP_0,
  PROP_TRANSPORT,
  PROP_STATE,
  PROP_MODEL,
  PROP_FIRMWARE,
  PROP_PASSWORD_MODE,
  PROP_TIMEOUT_SCALE,
  N_PROPS
};

enum {
  SIGNAL_DISCONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AtcSession, atc_session, G_TYPE_OBJECT)

static void link_lost (AtcSession   *self,
                       const GError *error);
static void dispatch  (AtcSession   *self);

/* --- Small helpers ---------------------------------------------------- */

static guint
scaled (AtcSession *self,
        guint       ms)
{
  double v = ms * self->timeout_scale;

  return (guint) CLAMP (v, 1.0, (double) G_MAXINT);
}

static guint
quiet_time (AtcSession *self,
            guint       ms)
{
  return (guint) (ms * MAX (self->timeout_scale, 1.0));
}

static void
set_state (AtcSession      *self,
           AtcSessionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static const char *
line_ending (AtcSession *self)
{
  /* Both documents: every command ends with CR LF. */
  if (self->model != NULL && atc_model_get_line_ending (self->model) != NULL)
    return atc_model_get_line_ending (self->model);
  return "\r\n";
}

static guint
command_timeout (AtcSession       *self,
                 const AtcCommand *command)
{
  if (command != NULL && command->timeout_ms > 0)
    return command->timeout_ms;
  if (self->model != NULL && atc_model_get_default_timeout_ms (self->model) > 0)
    return atc_model_get_default_timeout_ms (self->model);
  return UNKNOWN_TIMEOUT_MS;
}

/* The packing interval the unit uses by default (AT+UARTFT): the line
 * must stay silent longer than this before "+++". */
static guint
guard_time (AtcSession *self)
{
  guint packing = PACKING_FALLBACK_MS;

  if (self->model != NULL)
    {
      const AtcCommand *uartft = atc_model_lookup (self->model, "UARTFT");

      if (uartft != NULL && uartft->params != NULL && uartft->params->len == 1)
        {
          const AtcParam *param = g_ptr_array_index (uartft->params, 0);
          guint64 v;

          if (param->default_value != NULL &&
              g_ascii_string_to_unsigned (param->default_value, 10, 1, 60000, &v, NULL))
            packing = (guint) v;
        }
    }

  /* "A little more" than the interval: its own 50%, and at least 20 ms
   * for timer and USB adapter jitter (not both: at the default 50 ms the
   * 50% already covers the jitter). */
  return quiet_time (self, packing + MAX (packing / 2, 20));
}

/* How long `len` bytes take on a serial line (10 bits a byte), rounded
 * up; 0 where the link has no baud rate of its own. */
static guint
line_time_ms (AtcSession *self,
              gsize       len)
{
  const AtcLineSettings *settings;

  if (!atc_transport_has_line_settings (self->transport))
    return 0;
  settings = atc_transport_get_line_settings (self->transport);
  if (settings == NULL || settings->baud == 0)
    return 0;
  return (guint) ((len * 10 * 1000 + settings->baud - 1) / settings->baud);
}

static AtcDialect
current_dialect (AtcSession *self)
{
  return self->model != NULL ? atc_model_get_dialect (self->model) : ATC_DIALECT_COLON;
}

static void
ensure_parser (AtcSession *self)
{
  AtcDialect dialect = current_dialect (self);

  /* Line classification does not depend on the dialect; the dialect only
   * names error numbers and holds back the G781's second OK. */
  if (self->parser == NULL || self->parser_dialect != dialect)
    {
      g_clear_pointer (&self->parser, atc_reply_parser_free);
      self->parser = atc_reply_parser_new (dialect);
      self->parser_dialect = dialect;
    }
}

static char *
strip_at_prefix (const char *name)
{
  if (g_ascii_strncasecmp (name, "AT+", 3) == 0)
    return g_strdup (name + 3);
  if (g_ascii_strcasecmp (name, "AT") == 0)
    return g_strdup ("");
  return g_strdup (name);
}

static const char *
command_display_name (const AtcCommand *command)
{
  return command->name[0] != '\0' ? command->name : "AT";
}

/* --- Redaction -------------------------------------------------------- */

static void
remember_secret (AtcSession *self,
                 const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;

  for (guint i = 0; i < self->secrets->len; i++)
    if (g_str_equal (g_ptr_array_index (self->secrets, i), value))
      return;

  if (self->secrets->len >= MAX_KNOWN_SECRETS)
    g_ptr_array_remove_index (self->secrets, 0);
  g_ptr_array_add (self->secrets, g_strdup (value));
}

/* Hides the command password and every known secret long enough not to
 * hide ordinary words. */
static char *
redact_known (AtcSession *self,
              const char *text)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  if (self->password != NULL && self->password[0] != '\0')
    g_ptr_array_add (list, self->password);
  for (guint i = 0; i < self->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (self->secrets, i);

      if (strlen (secret) >= NET_SECRET_MIN_LEN)
        g_ptr_array_add (list, (gpointer) secret);
    }
  g_ptr_array_add (list, NULL);

  return atc_transaction_log_redact (text, (const char *const *) list->pdata);
}

/* Error messages may quote a value or what the unit sent. */
static void
redact_error (AtcSession *self,
              GError     *error)
{
  char *message = redact_known (self, error->message);

  g_free (error->message);
  error->message = message;
}

/* A value as it travels ("CMNET,user,secret,0") with the fields of secret
 * parameters hidden. Wire values never hold a bare comma (escaped or
 * refused), so fields line up with parameters; when they do not, the
 * whole value is hidden rather than guessed at. */
static char *
redact_value (AtcSession       *self,
              const AtcCommand *command,
              const char       *value)
{
  g_auto(GStrv) fields = NULL;
  guint n_params;

  if (command == NULL || !atc_command_has_secret (command))
    return g_strdup (value);

  n_params = command->params != NULL ? command->params->len : 0;
  fields = g_strsplit (value, ",", -1);

  if (g_strv_length (fields) != n_params ||
      (command->reply_orders != NULL && command->reply_orders->len > 0))
    return g_strdup (REDACTED);

  for (guint i = 0; i < n_params; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);
      g_autofree char *decoded = NULL;
      g_autofree char *trimmed = NULL;

      if (!param->secret || fields[i][0] == '\0')
        continue;

      trimmed = g_strstrip (g_strdup (fields[i]));
      decoded = atc_escape_decode (trimmed, param->escape);
      remember_secret (self, trimmed);
      remember_secret (self, decoded);
      g_free (fields[i]);
      fields[i] = g_strdup (REDACTED);
    }

  return g_strjoinv (",", fields);
}

static const AtcCommand *
lookup_for_redaction (AtcSession *self,
                      const char *name)
{
  if (self->model != NULL)
    return atc_model_lookup (self->model, name);

  /* Before detection, any model's idea of which fields are secret will do. */
  {
    GPtrArray *models = atc_catalog_get_models (atc_catalog_get_default ());

    for (guint i = 0; i < models->len; i++)
      {
        const AtcCommand *command = atc_model_lookup (g_ptr_array_index (models, i), name);

        if (command != NULL && atc_command_has_secret (command))
          return command;
      }
  }
  return NULL;
}

/* "[password]AT+NAME=values" with the password and secret values hidden. */
static char *
redact_command_line (AtcSession *self,
                     const char *line)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *result = NULL;
  const char *p = line;
  const char *eq;

  if (self->password != NULL && self->password[0] != '\0' &&
      g_ascii_strncasecmp (p, self->password, strlen (self->password)) == 0)
    {
      g_string_append (out, REDACTED);
      p += strlen (self->password);
    }

  if (g_ascii_strncasecmp (p, "AT+", 3) == 0 && (eq = strchr (p, '=')) != NULL)
    {
      g_autofree char *name = g_strndup (p + 3, eq - (p + 3));
      const AtcCommand *command = lookup_for_redaction (self, name);
      g_autofree char *value = redact_value (self, command, eq + 1);

      g_string_append_len (out, p, eq + 1 - p);
      g_string_append (out, value);
    }
  else
    g_string_append (out, p);

  result = g_string_free (g_steal_pointer (&out), FALSE);
  return redact_known (self, result);
}

/* One received line, without its CR/LF. */
static char *
redact_rx_text (AtcSession *self,
                const char *text)
{
  const char *bare = text;
  const char *sep;

  if (self->password != NULL && self->password[0] != '\0' &&
      g_ascii_strncasecmp (bare, self->password, strlen (self->password)) == 0)
    bare += strlen (self->password);

  /* The echo of what we sent, in any case: shown as we logged it. */
  if (self->log_sent != NULL && g_ascii_strcasecmp (bare, self->log_sent) == 0)
    return g_strconcat (bare != text ? REDACTED : "", self->log_sent_redacted, NULL);

  if (g_ascii_strncasecmp (bare, "AT", 2) == 0)
    return redact_command_line (self, text);

  /* "+OK=value": the M0 names no command; it answers the one in flight. */
  if (g_ascii_strncasecmp (text, "+OK=", 4) == 0 && self->log_command != NULL)
    {
      g_autofree char *value = redact_value (self, self->log_command, text + 4);
      g_autofree char *joined = g_strconcat ("+OK=", value, NULL);

      return redact_known (self, joined);
    }

  /* "+NAME:value" for whichever command it names. */
  if (text[0] == '+' && (sep = strchr (text, ':')) != NULL)
    {
      g_autofree char *name = g_strndup (text + 1, sep - text - 1);
      const AtcCommand *command = lookup_for_redaction (self, name);

      if (command != NULL && atc_command_has_secret (command))
        {
          g_autofree char *value = redact_value (self, command, sep + 1);
          g_autofree char *head = g_strndup (text, sep + 1 - text);
          g_autofree char *joined = g_strconcat (head, value, NULL);

          return redact_known (self, joined);
        }
    }

  return redact_known (self, text);
}

/* Logs received bytes; a NUL inside would cut a C string short, so each
 * NUL-separated piece is redacted on its own. */
static void
log_rx_bytes (AtcSession   *self,
              const guint8 *data,
              gsize         len)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize start = 0;
  gsize end = len;

  /* Keep the line breaks out of the redaction and put them back after. */
  while (start < len && (data[start] == '\r' || data[start] == '\n'))
    start++;
  while (end > start && (data[end - 1] == '\r' || data[end - 1] == '\n'))
    end--;
  g_byte_array_append (out, data, start);

  while (start <= end)
    {
      const guint8 *nul = memchr (data + start, '\0', end - start);
      gsize piece_end = nul != NULL ? (gsize) (nul - data) : end;
      g_autofree char *piece = g_strndup ((const char *) data + start, piece_end - start);
      g_autofree char *redacted = redact_rx_text (self, piece);

      g_byte_array_append (out, (const guint8 *) redacted, strlen (redacted));
      if (nul == NULL)
        break;
      g_byte_array_append (out, (const guint8 *) "", 1);
      start = piece_end + 1;
    }

  g_byte_array_append (out, data + end, len - end);
  atc_transaction_log_append (self->log, ATC_LOG_RX, out->data, out->len);
}

static void
rx_log_flush (AtcSession *self)
{
  if (self->rx_line->len == 0)
    return;

  log_rx_bytes (self, self->rx_line->data, self->rx_line->len);
  g_byte_array_set_size (self->rx_line, 0);
}

/* Received bytes reach the log by complete lines, so a secret split
 * across reads is still recognised and hidden. */
static void
rx_log_feed (AtcSession   *self,
             const guint8 *data,
             gsize         len)
{
  g_byte_array_append (self->rx_line, data, len);

  for (;;)
    {
      const guint8 *buf = self->rx_line->data;
      gsize blank = 0;
      const guint8 *nl;
      gsize n;

      /* Blank lines go with the line after them: "<CR><LF>OK<CR><LF>",
       * as the documents write replies. */
      while (blank < self->rx_line->len && (buf[blank] == '\r' || buf[blank] == '\n'))
        blank++;
      if (blank == self->rx_line->len)
        break;

      nl = memchr (buf + blank, '\n', self->rx_line->len - blank);
      if (nl == NULL)
        break;

      n = nl - buf + 1;
      log_rx_bytes (self, buf, n);
      g_byte_array_remove_range (self->rx_line, 0, n);
    }

  if (self->rx_line->len > ATC_REPLY_MAX_LINE)
    rx_log_flush (self);
}

static void
log_tx (AtcSession *self,
        const char *text)
{
  atc_transaction_log_append (self->log, ATC_LOG_TX, (const guint8 *) text, strlen (text));
}

/* --- The waiter ------------------------------------------------------- */

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
waiter_finish (AtcSession *self,
               GError     *error,
               AtcReply   *reply)
{
  Waiter *w = self->waiter;
  GTask *task;

  g_assert (w != NULL);
  self->waiter = NULL;

  clear_source (&w->deadline);
  clear_source (&w->quiet);
  clear_source (&w->silent);
  clear_source (&w->cancel);

  task = w->task;
  g_free (w);

  if (error != NULL)
    {
      atc_reply_free (reply);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) atc_reply_free);
  g_object_unref (task);
}

static GSource *
add_timeout (AtcSession  *self,
             guint        ms,
             GSourceFunc  func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
restart_quiet_timer (AtcSession  *self,
                     GSourceFunc  func)
{
  Waiter *w = self->waiter;

  clear_source (&w->quiet);
  w->quiet = add_timeout (self, w->quiet_ms, func);
}

static void
reply_done (AtcSession *self)
{
  AtcReply *reply = atc_reply_parser_take_reply (self->parser);

  if (self->waiter->handshake)
    rx_log_flush (self); /* 'a' and "+ok" come without a line break */
  waiter_finish (self, NULL, reply);
}

/* Silence in the middle of a reply: what is buffered may already be a
 * complete one. FALSE when the parser still needs more. */
static gboolean
reply_done_on_silence (AtcSession *self)
{
  GError *error = NULL;

  switch (atc_reply_parser_silence (self->parser, &error))
    {
    case ATC_PARSE_DONE:
      rx_log_flush (self);
      reply_done (self);
      return TRUE;
    case ATC_PARSE_FAILED:
      waiter_finish (self, error, NULL);
      return TRUE;
    case ATC_PARSE_NEED_MORE:
    default:
      return FALSE;
    }
}

static void
waiter_time_out (AtcSession *self)
{
  /* The message is replaced by the flow, which knows the command. */
  waiter_finish (self,
                 g_error_new_literal (ATC_ERROR, ATC_ERROR_TIMEOUT,
                                      _("The unit did not answer in time")),
                 NULL);
}

static gboolean
on_waiter_quiet (gpointer user_data)
{
  AtcSession *self = user_data;
  Waiter *w = self->waiter;

  g_return_val_if_fail (w != NULL, G_SOURCE_REMOVE);
  g_clear_pointer (&w->quiet, g_source_unref);

  if (w->kind == WAIT_QUIET)
    {
      rx_log_flush (self);
      waiter_finish (self, NULL, NULL);
      return G_SOURCE_REMOVE;
    }

  /* WAIT_REPLY: the line went quiet in the middle of a reply. */
  reply_done_on_silence (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_waiter_deadline (gpointer user_data)
{
  AtcSession *self = user_data;
  Waiter *w = self->waiter;

  g_return_val_if_fail (w != NULL, G_SOURCE_REMOVE);
  g_clear_pointer (&w->deadline, g_source_unref);

  switch (w->kind)
    {
    case WAIT_SLEEP:
      waiter_finish (self, NULL, NULL);
      break;

    case WAIT_QUIET:
      /* The unit keeps talking (transparent data): go on anyway. */
      rx_log_flush (self);
      atc_transaction_log_event (self->log, "the line did not go quiet; going on");
      waiter_finish (self, NULL, NULL);
      break;

    case WAIT_REPLY:
    default:
      /* Whatever is buffered may already be a complete reply. */
      if (!reply_done_on_silence (self))
        waiter_time_out (self);
      break;
    }

  return G_SOURCE_REMOVE;
}

/* Not a byte since the wait began: as a timeout, only sooner. */
static gboolean
on_waiter_silent (gpointer user_data)
{
  AtcSession *self = user_data;
  Waiter *w = self->waiter;

  g_return_val_if_fail (w != NULL, G_SOURCE_REMOVE);
  g_clear_pointer (&w->silent, g_source_unref);
  waiter_time_out (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_waiter_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  AtcSession *self = user_data;

  g_return_val_if_fail (self->waiter != NULL, G_SOURCE_REMOVE);
  g_clear_pointer (&self->waiter->cancel, g_source_unref);
  waiter_finish (self,
                 g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                      _("The operation was cancelled")),
                 NULL);
  return G_SOURCE_REMOVE;
}

static void
handle_input (AtcSession   *self,
              const guint8 *data,
              gsize         len)
{
  Waiter *w = self->waiter;
  GError *error = NULL;
  gsize consumed = 0;

  self->last_rx_us = g_get_monotonic_time ();
  rx_log_feed (self, data, len);

  /* Nobody waits: logged above and dropped. This also swallows the second
   * OK of the G781's plain AT and boot messages during a reboot. */
  if (w == NULL)
    return;

  clear_source (&w->silent);

  switch (w->kind)
    {
    case WAIT_SLEEP:
      return;

    case WAIT_QUIET:
      restart_quiet_timer (self, on_waiter_quiet);
      return;

    case WAIT_REPLY:
    default:
      switch (atc_reply_parser_feed (self->parser, data, len, &consumed, &error))
        {
        case ATC_PARSE_DONE:
          /* What follows the reply belongs to no command: dropped. */
          reply_done (self);
          return;
        case ATC_PARSE_FAILED:
          waiter_finish (self, error, NULL);
          return;
        case ATC_PARSE_NEED_MORE:
        default:
          if (w->quiet_ms > 0)
            restart_quiet_timer (self, on_waiter_quiet);
          return;
        }
    }
}

/* --- Writing ---------------------------------------------------------- */

typedef struct {
  AtcSession *self;       /* a reference */
  GBytes     *bytes;      /* alive until the write ends */
  guint       generation; /* which opening of the link it was written on */
} WriteCtx;

static void write_next (AtcSession *self);

static void
on_write_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  WriteCtx *ctx = user_data;
  g_autoptr(AtcSession) self = ctx->self;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  g_bytes_unref (ctx->bytes);

  /* A write on a link that has since been closed (or reopened) is
   * nothing to us any more. */
  if (ctx->generation != self->link_generation)
    {
      g_free (ctx);
      return;
    }
  g_free (ctx);

  self->writing = FALSE;

  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        link_lost (self, error);
      return;
    }

  write_next (self);
}

static void
write_next (AtcSession *self)
{
  WriteCtx *ctx;
  gconstpointer data;
  gsize len;

  if (self->writing || !self->link_up)
    return;

  if (g_queue_is_empty (&self->writes))
    return;

  ctx = g_new0 (WriteCtx, 1);
  ctx->self = g_object_ref (self);
  ctx->bytes = g_queue_pop_head (&self->writes);
  ctx->generation = self->link_generation;
  self->writing = TRUE;
  data = g_bytes_get_data (ctx->bytes, &len);
  g_output_stream_write_all_async (self->output, data, len, G_PRIORITY_DEFAULT,
                                   self->io_cancellable, on_write_done, ctx);
}

/* Writes are never cancelled half-way: half a command line would run
 * into the next one. */
static void
queue_write (AtcSession *self,
             const char *data,
             gsize       len,
             const char *log_text)
{
  if (log_text != NULL)
    log_tx (self, log_text);
  g_queue_push_tail (&self->writes, g_bytes_new (data, len));
  write_next (self);
}

/* --- The link --------------------------------------------------------- */

static gboolean
on_input_ready (GObject  *stream,
                gpointer  user_data)
{
  g_autoptr(AtcSession) self = g_object_ref (user_data);
  g_autoptr(GError) error = NULL;
  guint8 buffer[4096];
  gssize n;

  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream),
                                                buffer, sizeof buffer, NULL, &error);
  if (n < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      link_lost (self, error);
      return G_SOURCE_REMOVE;
    }

  if (n == 0)
    {
      /* End of stream: the bridge or the device went away. Never read
       * again, or the source would fire forever. */
      link_lost (self, NULL);
      return G_SOURCE_REMOVE;
    }

  handle_input (self, buffer, n);
  return G_SOURCE_CONTINUE;
}

static void
stop_link (AtcSession *self)
{
  clear_source (&self->read_source);

  if (self->io_cancellable != NULL)
    g_cancellable_cancel (self->io_cancellable);
  g_clear_object (&self->io_cancellable);

  g_queue_clear_full (&self->writes, (GDestroyNotify) g_bytes_unref);
  self->writing = FALSE;
  self->link_generation++;
  self->input = NULL;
  self->output = NULL;
  self->link_up = FALSE;
}

static gboolean
start_link (AtcSession  *self,
            GError     **error)
{
  GIOStream *stream = atc_transport_get_stream (self->transport);
  GInputStream *input;

  if (stream == NULL)
    {
      g_set_error_literal (error, ATC_ERROR, ATC_ERROR_DISCONNECTED,
                           _("The link opened but has no data stream; reconnect"));
      return FALSE;
    }

  input = g_io_stream_get_input_stream (stream);
  if (!G_IS_POLLABLE_INPUT_STREAM (input) ||
      !g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (input)))
    {
      g_set_error_literal (error, ATC_ERROR, ATC_ERROR_FAILED,
                           _("This link cannot be read without blocking; use a serial, "
                             "pty or TCP address"));
      return FALSE;
    }

  self->input = G_POLLABLE_INPUT_STREAM (input);
  self->output = g_io_stream_get_output_stream (stream);
  self->io_cancellable = g_cancellable_new ();
  self->link_up = TRUE;
  g_byte_array_set_size (self->rx_line, 0);

  self->read_source = g_pollable_input_stream_create_source (self->input, NULL);
  g_source_set_callback (self->read_source, (GSourceFunc) (GCallback) on_input_ready,
                         self, NULL);
  g_source_attach (self->read_source, self->context);

  return TRUE;
}

static GError *
disconnected_error (const GError *cause)
{
  if (cause != NULL && g_error_matches (cause, ATC_ERROR, ATC_ERROR_DISCONNECTED))
    return g_error_copy (cause);

  if (cause != NULL)
    return g_error_new (ATC_ERROR, ATC_ERROR_DISCONNECTED,
                        _("The link to the unit was lost (%s). Check the cable, the power "
                          "and the network bridge, then reconnect"),
                        cause->message);

  return g_error_new_literal (ATC_ERROR, ATC_ERROR_DISCONNECTED,
                              _("The link to the unit was closed from the other end. Check the "
                                "cable, the power and the network bridge, then reconnect"));
}

static void op_answer_error (Op     *op,
                             GError *error);
static void op_free         (Op     *op);

static void
fail_queued_ops (AtcSession   *self,
                 const GError *error)
{
  GQueue pending = self->ops;
  Op *op;

  /* Callers told of the failure may queue new work at once; that work is
   * not part of what failed. */
  g_queue_init (&self->ops);
  while ((op = g_queue_pop_head (&pending)) != NULL)
    {
      op->running = TRUE; /* out of the queue: a cancellation must not look for it */
      op_answer_error (op, g_error_copy (error));
      op_free (op);
    }
}

/* The current operation gives its caller the error now; its flow stops at
 * its next step, and the line is drained before anything else is sent. */
static void
abandon_current (AtcSession   *self,
                 const GError *error)
{
  Op *op = self->current;

  if (op == NULL)
    return;

  op_answer_error (op, g_error_copy (error));
  g_cancellable_cancel (op->flow_cancellable);
  self->needs_resync = TRUE;
}

/* Callers first, then the flow in progress: its end must not start a
 * queued operation on a link that is gone. */
static void
fail_everything (AtcSession   *self,
                 const GError *error)
{
  abandon_current (self, error);
  fail_queued_ops (self, error);
  if (self->waiter != NULL)
    waiter_finish (self, g_error_copy (error), NULL);
}

static void
link_lost (AtcSession   *self,
           const GError *cause)
{
  g_autoptr(GError) error = NULL;

  if (!self->link_up)
    return;

  error = disconnected_error (cause);

  rx_log_flush (self);
  atc_transaction_log_event (self->log, "link lost: %s", error->message);

  stop_link (self);
  atc_transport_close (self->transport);

  /* A unit that restarts may take its USB adapter or TCP bridge with it:
   * the reboot flow reopens the link. */
  if (self->rebooting)
    {
      if (self->waiter != NULL && self->waiter->kind != WAIT_SLEEP)
        waiter_finish (self, g_error_copy (error), NULL);
      return;
    }

  set_state (self, ATC_SESSION_DISCONNECTED);
  fail_everything (self, error);

  g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, error);
}

static void
on_transport_disconnected (AtcTransport *transport,
                           const GError *error,
                           gpointer      user_data)
{
  link_lost (ATC_SESSION (user_data), error);
}

/* --- Waiting ---------------------------------------------------------- */

static void
wait_async (AtcSession          *self,
            const WaitSpec      *spec,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Waiter *w;

  g_task_set_source_tag (task, wait_async);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The operation was cancelled"));
      return;
    }

  if (spec->kind != WAIT_SLEEP && !self->link_up)
    {
      if (spec->kind == WAIT_QUIET && spec->send == NULL)
        g_task_return_pointer (task, NULL, NULL); /* nothing to drain */
      else
        g_task_return_error (task, disconnected_error (NULL));
      return;
    }

  if (self->waiter != NULL)
    {
      /* Flows are serialised; two waiters would be a bug here. */
      g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_FAILED,
                               "internal error: two waits at once");
      g_return_if_reached ();
    }

  w = g_new0 (Waiter, 1);
  w->task = g_steal_pointer (&task);
  w->kind = spec->kind;
  w->quiet_ms = spec->quiet_ms;
  w->handshake = spec->expect == ATC_EXPECT_HANDSHAKE_A ||
                 spec->expect == ATC_EXPECT_HANDSHAKE_OK;
  self->waiter = w;

  if (spec->kind == WAIT_REPLY)
    {
      ensure_parser (self);
      atc_reply_parser_expect (self->parser, spec->expect, spec->sent_line);
      if (spec->value_expected)
        atc_reply_parser_set_value_expected (self->parser, TRUE);
    }

  w->deadline = add_timeout (self, MAX (spec->timeout_ms, 1), on_waiter_deadline);
  if (spec->kind == WAIT_REPLY && spec->silent_ms > 0 && spec->silent_ms < spec->timeout_ms)
    w->silent = add_timeout (self, spec->silent_ms, on_waiter_silent);
  if (spec->kind == WAIT_QUIET)
    w->quiet = add_timeout (self, MAX (spec->quiet_ms, 1), on_waiter_quiet);

  if (cancellable != NULL)
    {
      w->cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (w->cancel, (GSourceFunc) (GCallback) on_waiter_cancelled,
                             self, NULL);
      g_source_attach (w->cancel, self->context);
    }

  if (spec->send != NULL)
    queue_write (self, spec->send, spec->send_len, spec->send_log);
}

static AtcReply *
wait_finish (AtcSession    *self,
             GAsyncResult  *result,
             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
wait_quiet_async (AtcSession          *self,
                  guint                quiet_ms,
                  guint                max_ms,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  WaitSpec spec = { .kind = WAIT_QUIET, .quiet_ms = quiet_ms, .timeout_ms = max_ms };

  wait_async (self, &spec, cancellable, callback, user_data);
}

static void
sleep_async (AtcSession          *self,
             guint                ms,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  WaitSpec spec = { .kind = WAIT_SLEEP, .timeout_ms = ms };

  wait_async (self, &spec, cancellable, callback, user_data);
}

/* A flow ends: the answer, then the flow's own reference goes. */
static void
flow_fail (GTask  *task,
           GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
flow_succeed (GTask *task)
{
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* What the log needs to recognise the echo of a command line and the
 * reply to it; set once the line is queued, before anything can come
 * back. */
static void
set_log_context (AtcSession       *self,
                 const AtcCommand *command,
                 const char       *sent,
                 const char       *sent_redacted)
{
  self->log_command = command;
  g_free (self->log_sent);
  self->log_sent = g_strdup (sent);
  g_free (self->log_sent_redacted);
  self->log_sent_redacted = g_strdup (sent_redacted);
}

/* Sends one command line and waits for its reply. bare has neither the
 * password nor the line ending; with_password puts the password in front,
 * and the log shows log_line (redacted) instead. timeout_ms is scaled
 * already. FALSE, with nothing sent, when the password cannot be used. */
static gboolean
send_command_async (AtcSession          *self,
                    const char          *bare,
                    const char          *log_line,
                    gboolean             with_password,
                    AtcExpect            expect,
                    gboolean             value_expected,
                    guint                timeout_ms,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    GError             **error)
{
  g_autofree char *line = NULL;
  g_autofree char *wire = NULL;
  g_autofree char *shown = NULL;
  WaitSpec spec = { 0 };

  if (with_password)
    {
      line = atc_codec_format_with_password (self->password, bare, error);
      if (line == NULL)
        return FALSE;
      shown = g_strconcat (REDACTED, log_line, line_ending (self), NULL);
      /* Over the data channel the unit waits for the packing interval
       * before it reads the frame as a command. */
      timeout_ms += guard_time (self);
    }
  else
    {
      line = g_strdup (bare);
      shown = g_strconcat (log_line, line_ending (self), NULL);
    }
  wire = g_strconcat (line, line_ending (self), NULL);

  spec.kind = WAIT_REPLY;
  spec.expect = expect;
  spec.sent_line = line;
  spec.value_expected = value_expected;
  spec.timeout_ms = timeout_ms;
  spec.quiet_ms = quiet_time (self, REPLY_SILENCE_MS);
  spec.send = wire;
  spec.send_len = strlen (wire);
  spec.send_log = shown;
  wait_async (self, &spec, cancellable, callback, user_data);
  return TRUE;
}

/* --- Entering command mode -------------------------------------------- */

typedef enum {
  ENTER_PROBE,
  ENTER_GUARD,
  ENTER_PLUS,
  ENTER_A,
  ENTER_RECHECK,
  ENTER_SETTLE,
} EnterStep;

/* When not a byte comes back to the probe for the guard time, the
 * silence "+++" needs is already there: "+++" follows at once instead of
 * after the probe's whole window. (A unit in command mode echoes the
 * probe at once; if it does not echo and answers later than that, it
 * still holds "+++" in its line when the handshake fails: probing again,
 * for the whole window, finds it there: it answers "+++AT" with an error,
 * which is an answer.) */
typedef struct {
  EnterStep step;
  gint64    probe_sent;   /* monotonic µs */
  gboolean  probe_silent; /* nothing came back to the first probe */
  GError   *plus_error;   /* why "+++" failed, while rechecking */
} EnterData;

static void
enter_data_free (EnterData *data)
{
  g_clear_error (&data->plus_error);
  g_free (data);
}

static void enter_step (GTask *task);

static void
on_enter_wait (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  EnterData *data = g_task_get_task_data (task);
  EnterStep *step = &data->step;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcReply) reply = wait_finish (self, result, &error);

  if (error != NULL &&
      (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
       g_error_matches (error, ATC_ERROR, ATC_ERROR_DISCONNECTED)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (*step)
    {
    case ENTER_PROBE:
      /* Any answer to "AT" (OK or a refusal) means a command interpreter
       * is listening: the unit is already in command mode. */
      if (error == NULL)
        {
          atc_transaction_log_event (self->log, "the unit answered AT: already in command mode");
          *step = ENTER_SETTLE;
        }
      else if (self->last_rx_us < data->probe_sent &&
               g_get_monotonic_time () - data->probe_sent >= (gint64) guard_time (self) * 1000)
        {
          /* Silent since the probe, for longer than the guard time. */
          data->probe_silent = TRUE;
          *step = ENTER_PLUS;
        }
      else
        *step = ENTER_GUARD;
      break;

    case ENTER_GUARD:
      *step = ENTER_PLUS;
      break;

    case ENTER_RECHECK:
      if (error == NULL)
        {
          atc_transaction_log_event (self->log, "the unit answered AT late: already in command mode");
          *step = ENTER_SETTLE;
          break;
        }
      /* Not in command mode either: what "+++" met is the answer. */
      g_clear_error (&error);
      error = g_steal_pointer (&data->plus_error);
      G_GNUC_FALLTHROUGH;

    case ENTER_PLUS:
      if (error != NULL && data->probe_silent && *step == ENTER_PLUS)
        {
          data->plus_error = g_steal_pointer (&error);
          *step = ENTER_RECHECK;
          break;
        }
      if (g_error_matches (error, ATC_ERROR, ATC_ERROR_TIMEOUT))
        {
          g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_HANDSHAKE,
                                   _("The unit did not answer “+++” with “a”. Check the baud "
                                     "rate and line settings, that this is the port the unit "
                                     "is on, and that the unit is powered"));
          return;
        }
      if (error != NULL)
        {
          /* The parser says what came instead of 'a'. */
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      *step = ENTER_A;
      break;

    case ENTER_A:
      if (g_error_matches (error, ATC_ERROR, ATC_ERROR_TIMEOUT))
        {
          g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_HANDSHAKE,
                                   _("The unit answered “+++” with “a” but did not confirm "
                                     "with “+ok”. Wait a few seconds and try again; make "
                                     "sure no other program writes to the port"));
          return;
        }
      if (error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* A CR LF after "+ok" is optional; the next reply's parser skips it
       * as a blank line, so there is nothing to wait for. */
      atc_transaction_log_event (self->log, "command mode entered");
      g_task_return_boolean (task, TRUE);
      return;

    case ENTER_SETTLE:
    default:
      g_task_return_boolean (task, TRUE);
      return;
    }

  enter_step (g_steal_pointer (&task));
}

static void
enter_step (GTask *task)
{
  AtcSession *self = g_task_get_source_object (task);
  EnterData *data = g_task_get_task_data (task);
  EnterStep *step = &data->step;
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *probe = NULL;
  WaitSpec spec = { 0 };

  switch (*step)
    {
    case ENTER_PROBE:
    case ENTER_RECHECK:
      probe = g_strconcat ("AT", line_ending (self), NULL);
      spec.kind = WAIT_REPLY;
      spec.expect = ATC_EXPECT_REPLY;
      spec.sent_line = "AT";
      /* The guard time counts from the probe's last byte on the line. */
      spec.timeout_ms = scaled (self, PROBE_TIMEOUT_MS);
      if (*step == ENTER_PROBE)
        spec.silent_ms = guard_time (self) + line_time_ms (self, strlen (probe));
      data->probe_sent = g_get_monotonic_time ();
      spec.quiet_ms = quiet_time (self, REPLY_SILENCE_MS);
      spec.send = probe;
      spec.send_len = strlen (probe);
      spec.send_log = probe;
      wait_async (self, &spec, cancellable, on_enter_wait, task);
      break;

    case ENTER_GUARD:
      /* The unit packs what it reads into frames split by silence; "+++"
       * only counts when it is a frame of its own. */
      wait_quiet_async (self, guard_time (self), guard_time (self) * 20,
                        cancellable, on_enter_wait, task);
      break;

    case ENTER_PLUS:
      atc_transaction_log_event (self->log, "entering command mode");
      spec.kind = WAIT_REPLY;
      spec.expect = ATC_EXPECT_HANDSHAKE_A;
      /* The unit only knows "+++" was a frame of its own once the packing
       * interval has passed after it, whatever the scale. */
      spec.timeout_ms = scaled (self, HANDSHAKE_TIMEOUT_MS) + guard_time (self);
      spec.send = "+++";
      spec.send_len = 3;
      spec.send_log = "+++";
      wait_async (self, &spec, cancellable, on_enter_wait, task);
      break;

    case ENTER_A:
      spec.kind = WAIT_REPLY;
      spec.expect = ATC_EXPECT_HANDSHAKE_OK;
      spec.timeout_ms = scaled (self, HANDSHAKE_TIMEOUT_MS);
      spec.send = "a";
      spec.send_len = 1;
      spec.send_log = "a";
      wait_async (self, &spec, cancellable, on_enter_wait, task);
      break;

    case ENTER_SETTLE:
    default:
      /* The CR LF after "+ok", the G781's second OK to AT. */
      wait_quiet_async (self, quiet_time (self, SETTLE_QUIET_MS),
                        quiet_time (self, SETTLE_MAX_MS), cancellable, on_enter_wait, task);
      break;
    }
}

/* Probe, then "+++" / 'a' / "+ok" on an open link. Does not change the
 * state: callers know what to show meanwhile. */
static void
enter_async (AtcSession          *self,
             gboolean             probe,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  EnterData *data = g_new0 (EnterData, 1);

  g_task_set_source_tag (task, enter_async);
  data->step = probe ? ENTER_PROBE : ENTER_GUARD;
  g_task_set_task_data (task, data, (GDestroyNotify) enter_data_free);
  enter_step (task);
}

static gboolean
enter_finish (AtcSession    *self,
              GAsyncResult  *result,
              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Entering as a step of a caller's flow, which the state shows: entering,
 * then command mode, or data mode again while the link stays up. */
static void
enter_command_mode_async (AtcSession          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  set_state (self, ATC_SESSION_ENTERING);
  enter_async (self, TRUE, cancellable, callback, user_data);
}

static gboolean
enter_command_mode_finish (AtcSession    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  if (!enter_finish (self, result, error))
    {
      if (self->link_up)
        set_state (self, ATC_SESSION_DATA_MODE);
      return FALSE;
    }

  set_state (self, ATC_SESSION_COMMAND_MODE);
  return TRUE;
}

/* --- Opening the link -------------------------------------------------- */

static void
on_open_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!atc_transport_open_finish (ATC_TRANSPORT (source), result, &error) ||
      !start_link (self, &error))
    {
      atc_transport_close (self->transport);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
open_link_async (AtcSession          *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  const AtcAddress *address = atc_transport_get_address (self->transport);

  g_task_set_source_tag (task, open_link_async);

  if (address != NULL)
    {
      g_autofree char *text = atc_address_to_string (address, FALSE);

      atc_transaction_log_event (self->log, "opening %s", text);
    }

  atc_transport_open_async (self->transport, cancellable, on_open_done, task);
}

static gboolean
open_link_finish (AtcSession    *self,
                  GAsyncResult  *result,
                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Connecting ------------------------------------------------------- */

static void
on_connect_entered (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!enter_command_mode_finish (self, result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
connect_enter (GTask *task)
{
  AtcSession *self = g_task_get_source_object (task);

  if (self->password != NULL)
    {
      /* Password mode never leaves data mode: no handshake. */
      set_state (self, ATC_SESSION_PASSWORD_MODE);
      atc_transaction_log_event (self->log, "password mode: commands go over the data channel");
      flow_succeed (task);
      return;
    }

  enter_command_mode_async (self, g_task_get_cancellable (task), on_connect_entered, task);
}

static void
on_connect_opened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!open_link_finish (self, result, &error))
    {
      set_state (self, ATC_SESSION_CLOSED);
      g_task_return_error (task, error);
      return;
    }

  set_state (self, ATC_SESSION_DATA_MODE);
  connect_enter (g_steal_pointer (&task));
}

/* Open if needed, then reach command mode (or password mode). */
static void
connect_flow_async (AtcSession          *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, connect_flow_async);

  if (self->link_up &&
      (self->state == ATC_SESSION_COMMAND_MODE || self->state == ATC_SESSION_PASSWORD_MODE))
    {
      flow_succeed (task);
      return;
    }

  if (self->link_up)
    {
      connect_enter (task);
      return;
    }

  set_state (self, ATC_SESSION_OPENING);
  open_link_async (self, cancellable, on_connect_opened, task);
}

static gboolean
connect_flow_finish (AtcSession    *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Following a reboot ----------------------------------------------- */

typedef struct {
  char   *what;            /* redacted command, for messages */
  gint64  deadline;        /* monotonic */
  guint   backoff_ms;
  guint   attempts;
  guint   bauds[3];        /* serial links: rates to try in turn */
  guint   n_bauds;
  guint   baud_index;
  GError *last_error;
} RebootData;

static void
reboot_data_free (RebootData *data)
{
  g_free (data->what);
  g_clear_error (&data->last_error);
  g_free (data);
}

static void reboot_attempt (GTask *task);

/* Ends the flow (and drops its reference to task). */
static void
reboot_finish_flow (GTask  *task,
                    GError *error)
{
  AtcSession *self = g_task_get_source_object (task);

  self->rebooting = FALSE;

  if (error == NULL)
    {
      set_state (self, self->password != NULL ? ATC_SESSION_PASSWORD_MODE
                                              : ATC_SESSION_COMMAND_MODE);
      flow_succeed (task);
      return;
    }

  if (self->link_up)
    {
      /* The unit restarts in transparent mode. */
      set_state (self, ATC_SESSION_DATA_MODE);
    }
  else if (self->state == ATC_SESSION_REBOOTING)
    {
      /* The link went away during the restart and did not come back. */
      g_autoptr(GError) lost = disconnected_error (error);

      set_state (self, ATC_SESSION_DISCONNECTED);
      fail_queued_ops (self, lost);
      g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, lost);
    }
  /* else: closed meanwhile; the state says so already. */

  flow_fail (task, error);
}

/* The unit answered again. */
static void
reboot_back (GTask *task)
{
  AtcSession *self = g_task_get_source_object (task);

  atc_transaction_log_event (self->log, "the unit is back");
  reboot_finish_flow (task, NULL);
}

/* After the first pause, or the back-off after a failed attempt. */
static void
on_reboot_waited (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  wait_finish (self, result, &error);
  if (error != NULL)
    {
      reboot_finish_flow (task, error);
      return;
    }

  reboot_attempt (task);
}

static void
reboot_retry (GTask  *task,
              GError *error)
{
  AtcSession *self = g_task_get_source_object (task);
  RebootData *data = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  guint pause;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      reboot_finish_flow (task, error);
      return;
    }

  g_clear_error (&data->last_error);
  data->last_error = error;

  if (now >= data->deadline)
    {
      reboot_finish_flow (task,
                          g_error_new (ATC_ERROR, ATC_ERROR_TIMEOUT,
                                       _("The unit did not come back after %s (last attempt: "
                                         "%s). Check that it is powered; it may have restarted "
                                         "with other serial settings. Then reconnect"),
                                       data->what, data->last_error->message));
      return;
    }

  pause = MIN (data->backoff_ms, (guint) ((data->deadline - now) / 1000) + 1);
  data->backoff_ms = MIN (data->backoff_ms * 2, scaled (self, BACKOFF_MAX_MS));
  sleep_async (self, pause, g_task_get_cancellable (task), on_reboot_waited, task);
}

static void
on_reboot_entered (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  RebootData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!enter_finish (self, result, &error))
    {
      /* On a serial link the unit may have come back at another rate
       * (AT+UART takes effect on restart; RELD/CLEAR restore the default). */
      if (data->n_bauds > 1 && self->link_up)
        data->baud_index = (data->baud_index + 1) % data->n_bauds;
      reboot_retry (task, error);
      return;
    }

  if (data->n_bauds > 1 && data->baud_index != 0)
    atc_transaction_log_event (self->log, "the unit came back at %u baud",
                               data->bauds[data->baud_index]);
  reboot_back (task);
}

static void
on_reboot_password_probe (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GTask *task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(AtcReply) reply = wait_finish (self, result, &error);

  if (error != NULL)
    {
      reboot_retry (task, error);
      return;
    }

  reboot_back (task);
}

static void
on_reboot_reopened (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!open_link_finish (self, result, &error))
    {
      reboot_retry (task, error);
      return;
    }

  reboot_attempt (task);
}

static void
reboot_attempt (GTask *task)
{
  AtcSession *self = g_task_get_source_object (task);
  RebootData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  data->attempts++;

  if (!self->link_up)
    {
      open_link_async (self, cancellable, on_reboot_reopened, task);
      return;
    }

  if (self->password != NULL)
    {
      GError *error = NULL;

      if (!send_command_async (self, "AT", "AT", TRUE, ATC_EXPECT_REPLY, FALSE,
                               scaled (self, PROBE_TIMEOUT_MS), cancellable,
                               on_reboot_password_probe, task, &error))
        reboot_retry (task, error);
      return;
    }

  if (data->n_bauds > 1)
    {
      AtcLineSettings settings = *atc_transport_get_line_settings (self->transport);
      guint baud = data->bauds[data->baud_index];

      if (settings.baud != baud)
        {
          g_autoptr(GError) error = NULL;

          settings.baud = baud;
          if (atc_transport_set_line_settings (self->transport, &settings, &error))
            atc_transaction_log_event (self->log, "trying %u baud", baud);
        }
    }

  /* Always probe: some units come back in command mode. */
  enter_async (self, TRUE, cancellable, on_reboot_entered, task);
}

static guint
model_default_baud (AtcModel *model)
{
  const AtcCommand *uart = model != NULL ? atc_model_lookup (model, "UART") : NULL;
  const AtcParam *param;
  guint64 v;

  if (uart == NULL || uart->params == NULL || uart->params->len == 0)
    return 0;
  param = atc_command_lookup_param (uart, "baud_rate");
  if (param == NULL || param->default_value == NULL ||
      !g_ascii_string_to_unsigned (param->default_value, 10, 1, G_MAXUINT, &v, NULL))
    return 0;
  return (guint) v;
}

/* After a restart command was accepted: come back to command mode as soon
 * as the unit answers, reopening the link if it went away, retrying with
 * back-off until the model's reboot time (an upper bound: a G781 may need a
 * minute to register, or come back in seconds) plus a grace period has
 * passed. What the unit prints meanwhile is dropped. The first attempt
 * waits a moment so the unit has really gone down. */
static void
reboot_flow_async (AtcSession          *self,
                   const char          *what,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RebootData *data = g_new0 (RebootData, 1);
  guint reboot_ms = self->model != NULL ? atc_model_get_reboot_ms (self->model) : 0;
  guint wait_ms = scaled (self, reboot_ms);
  guint first_try_ms = MIN (wait_ms, scaled (self, REBOOT_FIRST_TRY_MS));
  guint grace_ms = scaled (self, MAX (reboot_ms, REBOOT_GRACE_MIN_MS));

  g_task_set_source_tag (task, reboot_flow_async);
  data->what = g_strdup (what);
  data->backoff_ms = scaled (self, BACKOFF_FIRST_MS);
  data->deadline = g_get_monotonic_time () + (gint64) (wait_ms + grace_ms) * 1000;
  g_task_set_task_data (task, data, (GDestroyNotify) reboot_data_free);

  if (self->link_up && self->password == NULL &&
      atc_transport_has_line_settings (self->transport))
    {
      guint candidates[3] = {
        atc_transport_get_line_settings (self->transport)->baud,
        self->pending_baud,
        model_default_baud (self->model),
      };

      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        {
          gboolean seen = candidates[i] == 0;

          for (guint j = 0; j < data->n_bauds && !seen; j++)
            seen = data->bauds[j] == candidates[i];
          if (!seen)
            data->bauds[data->n_bauds++] = candidates[i];
        }
    }
  self->pending_baud = 0;

  self->rebooting = TRUE;
  set_state (self, ATC_SESSION_REBOOTING);
  atc_transaction_log_event (self->log, "waiting up to %u ms for the unit to restart", wait_ms + grace_ms);
  sleep_async (self, first_try_ms, cancellable, on_reboot_waited, task);
}

static gboolean
reboot_flow_finish (AtcSession    *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- One command ------------------------------------------------------ */

static void
cmd_free (Cmd *cmd)
{
  if (cmd == NULL)
    return;
  g_free (cmd->line);
  g_free (cmd->log_line);
  g_free (cmd->set_baud);
  atc_reply_free (cmd->reply);
  g_strfreev (cmd->values);
  g_free (cmd);
}

/* A line to run once (line is taken), for command when the catalog knows
 * it; the caller sets the rest. */
static Cmd *
cmd_new (AtcSession       *self,
         const AtcCommand *command,
         char             *line)
{
  Cmd *cmd = g_new0 (Cmd, 1);

  cmd->command = command;
  cmd->line = line;
  cmd->log_line = redact_command_line (self, cmd->line);
  cmd->expect = command != NULL && command->multiline ? ATC_EXPECT_MULTILINE : ATC_EXPECT_REPLY;
  cmd->timeout_ms = command_timeout (self, command);
  cmd->attempts = 1;
  return cmd;
}

/* What follows an execute: a restart is followed, ENTM leaves command
 * mode, and the G781's second OK to plain AT is let pass. */
static void
cmd_follow_execute (Cmd *cmd)
{
  cmd->reboots = cmd->command->reboots;
  cmd->leaves = cmd->command->leaves_command_mode;
  cmd->settle = cmd->command->name[0] == '\0';
}

static void command_attempt (GTask *task);

static gboolean
reply_names_command (const AtcReply   *reply,
                     const AtcCommand *command)
{
  g_autofree char *query_name = NULL;

  if (reply->name == NULL || command == NULL)
    return TRUE;
  if (g_ascii_strcasecmp (reply->name, command->name) == 0)
    return TRUE;
  if (command->query_command != NULL)
    {
      query_name = strip_at_prefix (command->query_command);
      if (g_ascii_strcasecmp (reply->name, query_name) == 0)
        return TRUE;
    }
  for (guint i = 0; command->aliases != NULL && command->aliases[i] != NULL; i++)
    {
      g_autofree char *alias = g_strdup (command->aliases[i]);
      char *w = alias;

      /* The parser removes spaces from names ("+ NETMODE:"). */
      for (const char *r = command->aliases[i]; *r != '\0'; r++)
        if (*r != ' ' && *r != '\t')
          *w++ = *r;
      *w = '\0';
      if (g_ascii_strcasecmp (reply->name, alias) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
command_done (GTask *task)
{
  AtcSession *self = g_task_get_source_object (task);
  Cmd *cmd = g_task_get_task_data (task);

  if (cmd->set_baud != NULL)
    {
      guint64 v;

      if (g_ascii_string_to_unsigned (cmd->set_baud, 10, 1, G_MAXUINT, &v, NULL))
        self->pending_baud = (guint) v;
    }

  flow_succeed (task);
}

static void
on_command_rebooted (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!reboot_flow_finish (self, result, &error))
    {
      flow_fail (task, error);
      return;
    }

  command_done (task);
}

/* The line went quiet: after the reply (plain AT's second OK) the
 * command is done; after a failed attempt (no reply kept) it is tried
 * again. */
static void
on_command_quiet (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  Cmd *cmd = g_task_get_task_data (task);
  GError *error = NULL;

  wait_finish (self, result, &error);
  if (error != NULL)
    {
      flow_fail (task, error);
      return;
    }

  if (cmd->reply != NULL)
    command_done (task);
  else
    command_attempt (task);
}

/* A reply arrived or the wait failed: decide, retry, or go on. */
static void
on_command_reply (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  Cmd *cmd = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcReply) reply = wait_finish (self, result, &error);
  gboolean retryable = FALSE;

  if (error == NULL && reply->status == ATC_REPLY_ERROR && !cmd->raw)
    {
      atc_reply_set_error (reply, current_dialect (self), cmd->log_line, &error);
    }
  else if (error == NULL && cmd->query)
    {
      const AtcCommand *command = cmd->command;

      if (reply->value == NULL)
        error = g_error_new (ATC_ERROR, ATC_ERROR_MALFORMED_REPLY,
                             _("The unit answered %s without a value"), cmd->log_line);
      else if (!reply_names_command (reply, command))
        error = g_error_new (ATC_ERROR, ATC_ERROR_MALFORMED_REPLY,
                             _("The unit answered %s with the value of %s"),
                             cmd->log_line, reply->name);
      else
        {
          g_autoptr(GError) parse_error = NULL;
          char **values = atc_codec_parse_value (command, reply->value, &parse_error);

          if (values == NULL)
            error = g_error_new (ATC_ERROR, ATC_ERROR_MALFORMED_REPLY,
                                 _("The unit's answer to %s cannot be read: %s"),
                                 cmd->log_line, parse_error->message);
          else
            {
              for (guint i = 0; command->params != NULL && i < command->params->len; i++)
                {
                  const AtcParam *param = g_ptr_array_index (command->params, i);

                  if (param->secret && values[i] != NULL)
                    remember_secret (self, values[i]);
                }
              g_strfreev (cmd->values);
              cmd->values = values;
            }
        }
      retryable = error != NULL;
    }

  if (error != NULL)
    {
      if (g_error_matches (error, ATC_ERROR, ATC_ERROR_TIMEOUT))
        {
          double seconds = scaled (self, cmd->timeout_ms) / 1000.0;

          g_clear_error (&error);
          if (self->state == ATC_SESSION_PASSWORD_MODE)
            error = g_error_new (ATC_ERROR, ATC_ERROR_TIMEOUT,
                                 _("The unit did not answer %s within %.1f s over the data "
                                   "channel. Check the command password and that the unit "
                                   "is powered"),
                                 cmd->log_line, seconds);
          else
            error = g_error_new (ATC_ERROR, ATC_ERROR_TIMEOUT,
                                 _("The unit did not answer %s within %.1f s. Check the cable "
                                   "and that the unit is powered and still in command mode"),
                                 cmd->log_line, seconds);
          retryable = TRUE;
        }
      else if (g_error_matches (error, ATC_ERROR, ATC_ERROR_MALFORMED_REPLY) ||
               g_error_matches (error, ATC_ERROR, ATC_ERROR_OVERFLOW))
        retryable = TRUE;

      redact_error (self, error);

      if (retryable && cmd->attempts > 1 && !g_cancellable_is_cancelled (cancellable))
        {
          cmd->attempts--;
          atc_transaction_log_event (self->log, "%s; trying again", error->message);
          /* A late answer must not pass for the next one. */
          wait_quiet_async (self, quiet_time (self, RESYNC_QUIET_MS),
                            quiet_time (self, RESYNC_MAX_MS), cancellable,
                            on_command_quiet, task);
          return;
        }

      if (retryable)
        self->needs_resync = TRUE;
      /* A restart whose answer was lost most likely happened: the unit
       * comes back in transparent mode, deaf to commands. The next
       * command probes first and makes the handshake again if needed,
       * rather than timing out against a unit that restarted. */
      if (retryable && cmd->reboots && self->state == ATC_SESSION_COMMAND_MODE && self->link_up)
        {
          atc_transaction_log_event (self->log, "no answer to %s: the unit may be restarting",
                                     cmd->log_line);
          set_state (self, ATC_SESSION_DATA_MODE);
        }
      flow_fail (task, g_steal_pointer (&error));
      return;
    }

  cmd->reply = g_steal_pointer (&reply);

  if (cmd->reply->status == ATC_REPLY_OK && cmd->leaves)
    {
      set_state (self, self->password != NULL ? ATC_SESSION_PASSWORD_MODE
                                              : ATC_SESSION_DATA_MODE);
      atc_transaction_log_event (self->log, "back in transparent mode");
      command_done (task);
      return;
    }

  if (cmd->reply->status == ATC_REPLY_OK && cmd->reboots)
    {
      reboot_flow_async (self, cmd->log_line, cancellable, on_command_rebooted, task);
      return;
    }

  if (cmd->settle)
    {
      wait_quiet_async (self, quiet_time (self, SETTLE_QUIET_MS),
                        quiet_time (self, SETTLE_MAX_MS), cancellable,
                        on_command_quiet, task);
      return;
    }

  command_done (task);
}

static void
command_attempt (GTask *task)
{
  AtcSession *self = g_task_get_source_object (task);
  Cmd *cmd = g_task_get_task_data (task);
  GError *error = NULL;

  if (!send_command_async (self, cmd->line, cmd->log_line,
                           self->state == ATC_SESSION_PASSWORD_MODE, cmd->expect, cmd->query,
                           scaled (self, cmd->timeout_ms), g_task_get_cancellable (task),
                           on_command_reply, task, &error))
    {
      flow_fail (task, error);
      return;
    }
  set_log_context (self, cmd->command, cmd->line, cmd->log_line);
}

static void
on_command_entered (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!enter_command_mode_finish (self, result, &error))
    {
      flow_fail (task, error);
      return;
    }

  command_attempt (task);
}

/* Runs cmd (owned by the flow); the result is read from cmd with
 * command_flow_steal(). */
static void
command_flow_async (AtcSession          *self,
                    Cmd                 *cmd,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, command_flow_async);
  g_task_set_task_data (task, cmd, (GDestroyNotify) cmd_free);

  switch (self->state)
    {
    case ATC_SESSION_COMMAND_MODE:
    case ATC_SESSION_PASSWORD_MODE:
      command_attempt (task);
      return;

    case ATC_SESSION_DATA_MODE:
      if (self->link_up)
        {
          /* After ENTM or a failed reboot: back to command mode first. */
          enter_command_mode_async (self, cancellable, on_command_entered, task);
          return;
        }
      G_GNUC_FALLTHROUGH;

    case ATC_SESSION_DISCONNECTED:
      g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_DISCONNECTED,
                               _("The link to the unit is lost; reconnect, then try again"));
      break;

    case ATC_SESSION_CLOSED:
    case ATC_SESSION_OPENING:
    case ATC_SESSION_ENTERING:
    case ATC_SESSION_REBOOTING:
    default:
      g_task_return_new_error (task, ATC_ERROR, ATC_ERROR_DISCONNECTED,
                               _("Not connected to the unit; connect first"));
      break;
    }
  g_object_unref (task);
}

static Cmd *
command_flow_finish (AtcSession    *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_task_get_task_data (G_TASK (result));
}

/* --- Detection -------------------------------------------------------- */

typedef enum {
  DETECT_CONNECT,
  DETECT_BAUD,
  DETECT_VERSION,
  DETECT_ECHO,
} DetectStep;

typedef struct {
  DetectStep       step;
  AtcLineSettings  original;
  GArray          *rates;        /* guint: still to try */
  GString         *tried;
  GError          *first_error;
  gboolean         searched;
  AtcModel        *model;
  char            *firmware;
  gboolean         echo;
} DetectData;

static void
detect_data_free (DetectData *data)
{
  g_clear_pointer (&data->rates, g_array_unref);
  if (data->tried != NULL)
    g_string_free (data->tried, TRUE);
  g_clear_error (&data->first_error);
  g_clear_object (&data->model);
  g_free (data->firmware);
  g_free (data);
}

static void detect_next (GTask *task);

static Cmd *
cmd_new_query (AtcSession       *self,
               const AtcCommand *command)
{
  Cmd *cmd = cmd_new (self, command, atc_codec_format_query (command));

  cmd->attempts = QUERY_ATTEMPTS;
  cmd->query = !command->multiline && command->params != NULL && command->params->len > 0;
  cmd->result = cmd->query ? RESULT_VALUES : RESULT_REPLY;
  return cmd;
}

static void
on_detect_echo (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  DetectData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Cmd *cmd = command_flow_finish (self, result, &error);

  if (cmd != NULL && cmd->values != NULL && cmd->values[0] != NULL)
    data->echo = g_ascii_strcasecmp (cmd->values[0], "ON") == 0;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, ATC_ERROR, ATC_ERROR_DISCONNECTED))
    {
      flow_fail (task, g_steal_pointer (&error));
      return;
    }
  /* Otherwise keep what the version reply showed (echo seen or not). */

  flow_succeed (task);
}

static void
on_detect_version (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  DetectData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(AtcReply) reply = wait_finish (self, result, &error);
  AtcDialect dialect;
  AtcModel *model;
  const AtcCommand *version_command;
  const AtcCommand *echo_command;
  g_autofree char *version = NULL;

  if (error != NULL)
    {
      if (g_error_matches (error, ATC_ERROR, ATC_ERROR_TIMEOUT))
        {
          g_clear_error (&error);
          error = g_error_new_literal (ATC_ERROR, ATC_ERROR_TIMEOUT,
                                       _("The unit is in command mode but did not answer "
                                         "AT+VER. Check the model and try again"));
        }
      flow_fail (task, error);
      return;
    }

  if (reply->status != ATC_REPLY_OK || reply->value == NULL)
    {
      flow_fail (task, g_error_new (ATC_ERROR, ATC_ERROR_MALFORMED_REPLY,
                                      _("The unit answered AT+VER with “%s” instead of its "
                                        "firmware version; it may not be a USR-G781 or "
                                        "USR-M0"),
                                      reply->raw != NULL ? reply->raw : ""));
      return;
    }

  /* "+VER:V1.1.05" then OK is the G781 family; "+OK=4016" the M0 family. */
  dialect = reply->name != NULL ? ATC_DIALECT_COLON : ATC_DIALECT_PLUS_OK;
  version = g_strstrip (g_strdup (reply->value));
  model = atc_catalog_detect (atc_catalog_get_default (), dialect, version);
  if (model == NULL)
    {
      flow_fail (task, g_error_new (ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                                      _("The unit answered AT+VER with “%s”, which matches no "
                                        "model Atconf knows; choose the model by hand"),
                                      version));
      return;
    }

  version_command = atc_model_lookup (model, atc_model_get_version_command (model)
                                               ? atc_model_get_version_command (model)
                                               : "VER");
  if (version_command != NULL)
    {
      g_auto(GStrv) values = atc_codec_parse_value (version_command, version, NULL);

      if (values != NULL && values[0] != NULL)
        {
          g_free (version);
          version = g_strdup (values[0]);
        }
    }

  g_set_object (&data->model, model);
  data->firmware = g_steal_pointer (&version);
  data->echo = reply->echo_seen;

  if (self->model != model)
    atc_session_set_model (self, model);
  g_free (self->firmware);
  self->firmware = g_strdup (data->firmware);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRMWARE]);
  atc_transaction_log_event (self->log, "detected %s, firmware %s",
                             atc_model_get_name (model), data->firmware);

  echo_command = atc_model_lookup (model, "E");
  if (echo_command == NULL || (echo_command->access & ATC_ACCESS_QUERY) == 0)
    {
      flow_succeed (task);
      return;
    }

  command_flow_async (self, cmd_new_query (self, echo_command), g_task_get_cancellable (task),
                      on_detect_echo, task);
}

static void
detect_version (GTask *task)
{
  AtcSession *self = g_task_get_source_object (task);
  const char *bare = "AT+VER";
  GError *error = NULL;

  /* Both families answer AT+VER; the framing of the answer tells which
   * one this is. The parser reads both framings. */
  if (!send_command_async (self, bare, bare, self->password != NULL, ATC_EXPECT_REPLY, TRUE,
                           scaled (self, command_timeout (self, NULL)),
                           g_task_get_cancellable (task), on_detect_version, task, &error))
    {
      flow_fail (task, error);
      return;
    }
  set_log_context (self, NULL, bare, bare);
}

static void
add_rate (GArray *rates,
          guint   rate)
{
  for (guint i = 0; i < rates->len; i++)
    if (g_array_index (rates, guint, i) == rate)
      return;
  g_array_append_val (rates, rate);
}

/* The rates of a model the search may use: the session's model once it
 * is known, every model before. None (NULL, n 0) of the others. */
static const guint *
searchable_rates (AtcSession *self,
                  AtcModel   *model,
                  guint      *n)
{
  *n = 0;
  if (self->model != NULL && model != self->model)
    return NULL;
  return atc_model_get_baud_rates (model, n);
}

static gboolean
rate_supported (AtcSession *self,
                guint       rate)
{
  GPtrArray *models = atc_catalog_get_models (atc_catalog_get_default ());

  for (guint m = 0; m < models->len; m++)
    {
      guint n;
      const guint *list = searchable_rates (self, g_ptr_array_index (models, m), &n);

      for (guint i = 0; i < n; i++)
        if (list[i] == rate)
          return TRUE;
    }
  return FALSE;
}

/* The rates to try: the factory default first, then the rates units are
 * usually set to, then the rest of the model's list (every known model's
 * when the model is not known yet), fastest first. */
static GArray *
search_rates (AtcSession *self,
              guint       skip)
{
  static const guint common[] = { 9600, 57600, 38400, 19200, 4800, 230400, 460800, 2400 };
  GArray *rates = g_array_new (FALSE, FALSE, sizeof (guint));
  GPtrArray *models = atc_catalog_get_models (atc_catalog_get_default ());
  guint def = model_default_baud (self->model);

  add_rate (rates, def != 0 ? def : ATC_DEFAULT_BAUD);
  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    if (rate_supported (self, common[i]))
      add_rate (rates, common[i]);

  for (guint m = 0; m < models->len; m++)
    {
      guint n;
      const guint *list = searchable_rates (self, g_ptr_array_index (models, m), &n);

      for (guint i = n; i > 0; i--)
        add_rate (rates, list[i - 1]);
    }

  for (guint i = 0; i < rates->len; i++)
    if (g_array_index (rates, guint, i) == skip)
      {
        g_array_remove_index (rates, i);
        break;
      }

  return rates;
}

static void
on_detect_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  AtcSession *self = g_task_get_source_object (task);
  DetectData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (data->step == DETECT_CONNECT)
    connect_flow_finish (self, result, &error);
  else
    enter_command_mode_finish (self, result, &error);

  if (error == NULL)
    {
      data->step = DETECT_VERSION;
      detect_next (task);
      return;
    }

  /* No answer on a serial link: perhaps the wrong rate. */
  if (self->link_up && atc_transport_has_line_settings (self->transport) &&
      (g_error_matches (error, ATC_ERROR, ATC_ERROR_HANDSHAKE) ||
       g_error_matches (error, ATC_ERROR, ATC_ERROR_TIMEOUT)))
    {
      if (data->first_error == NULL)
        data->first_error = g_error_copy (error);
      g_clear_error (&error);
      data->step = DETECT_BAUD;
      detect_next (task);
      return;
    }

  flow_fail (task, error);
}

static void
detect_next (GTask *task)
{
  AtcSession *self = g_task_get_source_object (task);
  DetectData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  switch (data->step)
    {
    case DETECT_CONNECT:
      connect_flow_async (self, cancellable, on_detect_connected, task);
      break;

    case DETECT_BAUD:
      {
        AtcLineSettings settings;
        g_autoptr(GError) error = NULL;
        guint rate;

        if (data->rates == NULL)
          {
            data->original = *atc_transport_get_line_settings (self->transport);
            data->rates = search_rates (self, data->original.baud);
            data->tried = g_string_new (NULL);
            g_string_append_printf (data->tried, "%u", data->original.baud);
          }

        if (data->rates->len == 0)
          {
            atc_transport_set_line_settings (self->transport, &data->original, NULL);
            flow_fail (task, g_error_new (ATC_ERROR, ATC_ERROR_HANDSHAKE,
                                            _("No answer at any baud rate (tried %s). Check "
                                              "the wiring, that this is the port the unit is "
                                              "on, and that the unit is powered"),
                                            data->tried->str));
            return;
          }

        rate = g_array_index (data->rates, guint, 0);
        g_array_remove_index (data->rates, 0);
        g_string_append_printf (data->tried, ", %u", rate);

        settings = data->original;
        settings.baud = rate;
        if (!atc_transport_set_line_settings (self->transport, &settings, &error))
          {
            atc_transaction_log_event (self->log, "cannot use %u baud: %s", rate, error->message);
            detect_next (task);
            return;
          }

        atc_transaction_log_event (self->log, "trying %u baud", rate);
        enter_command_mode_async (self, cancellable, on_detect_connected, task);
      }
      break;

    case DETECT_VERSION:
    case DETECT_ECHO:
    default:
      detect_version (task);
      break;
    }
}

static void
detect_flow_async (AtcSession          *self,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  DetectData *data = g_new0 (DetectData, 1);

  g_task_set_source_tag (task, detect_flow_async);
  data->step = DETECT_CONNECT;
  g_task_set_task_data (task, data, (GDestroyNotify) detect_data_free);
  detect_next (task);
}

static AtcDetection *
detect_flow_finish (AtcSession    *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  DetectData *data;
  AtcDetection *detection;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  data = g_task_get_task_data (G_TASK (result));
  detection = g_new0 (AtcDetection, 1);
  detection->model = g_object_ref (data->model);
  detection->firmware = g_strdup (data->firmware);
  detection->echo = data->echo;
  detection->baud = atc_transport_has_line_settings (self->transport)
                      ? atc_transport_get_line_settings (self->transport)->baud
                      : 0;
  if (data->rates != NULL)
    atc_transaction_log_event (self->log, "the unit answers at %u baud", detection->baud);
  return detection;
}

/* --- The queue of caller operations ------------------------------------ */

static void
op_free (Op *op)
{
  clear_source (&op->cancel_source);
  g_clear_object (&op->flow_cancellable);
  g_clear_object (&op->task);
  cmd_free (op->cmd);
  g_free (op);
}

static void
op_answer_error (Op     *op,
                 GError *error)
{
  if (op->answered)
    {
      g_error_free (error);
      return;
    }
  op->answered = TRUE;
  g_task_return_error (op->task, error);
}

static void
op_finished (Op *op)
{
  AtcSession *self = op->self;

  g_assert (self->current == op);
  self->current = NULL;
  op_free (op);
  dispatch (self);
}

static void
on_op_flow_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Op *op = user_data;
  AtcSession *self = op->self;
  GError *error = NULL;

  switch (op->kind)
    {
    case OP_CONNECT:
      if (connect_flow_finish (self, result, &error))
        {
          if (!op->answered)
            {
              op->answered = TRUE;
              g_task_return_boolean (op->task, TRUE);
            }
        }
      break;

    case OP_DETECT:
      {
        AtcDetection *detection = detect_flow_finish (self, result, &error);

        if (detection != NULL)
          {
            if (!op->answered)
              {
                op->answered = TRUE;
                g_task_return_pointer (op->task, detection, (GDestroyNotify) atc_detection_free);
              }
            else
              atc_detection_free (detection);
          }
      }
      break;

    case OP_COMMAND:
    default:
      {
        Cmd *cmd = command_flow_finish (self, result, &error);

        if (cmd != NULL && !op->answered)
          {
            op->answered = TRUE;
            switch (cmd->result)
              {
              case RESULT_VALUES:
                g_task_return_pointer (op->task, g_steal_pointer (&cmd->values),
                                       (GDestroyNotify) g_strfreev);
                break;
              case RESULT_REPLY:
                g_task_return_pointer (op->task, g_steal_pointer (&cmd->reply),
                                       (GDestroyNotify) atc_reply_free);
                break;
              case RESULT_NONE:
              default:
                g_task_return_boolean (op->task, TRUE);
                break;
              }
          }
      }
      break;
    }

  if (error != NULL)
    op_answer_error (op, error);

  op_finished (op);
}

static void
op_start (Op *op)
{
  AtcSession *self = op->self;

  if (g_cancellable_is_cancelled (op->flow_cancellable))
    {
      op_finished (op);
      return;
    }

  switch (op->kind)
    {
    case OP_CONNECT:
      connect_flow_async (self, op->flow_cancellable, on_op_flow_done, op);
      break;
    case OP_DETECT:
      detect_flow_async (self, op->flow_cancellable, on_op_flow_done, op);
      break;
    case OP_COMMAND:
    default:
      command_flow_async (self, g_steal_pointer (&op->cmd), op->flow_cancellable,
                          on_op_flow_done, op);
      break;
    }
}

static void
on_resync_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Op *op = user_data;

  wait_finish (op->self, result, NULL);
  op_start (op);
}

static void
dispatch (AtcSession *self)
{
  Op *op;

  if (self->current != NULL)
    return;

  op = g_queue_pop_head (&self->ops);
  if (op == NULL)
    return;

  self->current = op;
  op->running = TRUE;

  if (self->needs_resync && self->link_up)
    {
      self->needs_resync = FALSE;
      atc_transaction_log_event (self->log, "waiting for the line to go quiet");
      wait_quiet_async (self, quiet_time (self, RESYNC_QUIET_MS),
                        quiet_time (self, RESYNC_MAX_MS), op->flow_cancellable,
                        on_resync_done, op);
      return;
    }
  self->needs_resync = FALSE;

  op_start (op);
}

static gboolean
on_op_cancelled (GCancellable *cancellable,
                 gpointer      user_data)
{
  Op *op = user_data;
  AtcSession *self = op->self;
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 _("The operation was cancelled"));

  g_clear_pointer (&op->cancel_source, g_source_unref);

  if (op->answered)
    return G_SOURCE_REMOVE;

  if (!op->running)
    {
      g_queue_remove (&self->ops, op);
      op_answer_error (op, g_steal_pointer (&error));
      op_free (op);
      return G_SOURCE_REMOVE;
    }

  atc_transaction_log_event (self->log, "cancelled");
  abandon_current (self, error);
  return G_SOURCE_REMOVE;
}

static void
enqueue (AtcSession *self,
         Op         *op,
         GCancellable *cancellable)
{
  op->self = self;
  op->flow_cancellable = g_cancellable_new ();

  if (cancellable != NULL)
    {
      op->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (op->cancel_source, (GSourceFunc) (GCallback) on_op_cancelled,
                             op, NULL);
      g_source_attach (op->cancel_source, self->context);
    }

  g_queue_push_tail (&self->ops, op);
  dispatch (self);
}

static Op *
op_new (AtcSession          *self,
        OpKind               kind,
        gpointer             source_tag,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (op->task, source_tag);
  /* The answer is given once, by the queue; cancellation included. */
  g_task_set_check_cancellable (op->task, FALSE);
  return op;
}

/* Errors found before anything is queued still come back asynchronously. */
static void
report_error (AtcSession          *self,
              gpointer             source_tag,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              GError              *error)
{
  g_task_report_error (self, callback, user_data, source_tag, error);
}

/* --- GObject ---------------------------------------------------------- */

static void
atc_session_dispose (GObject *object)
{
  AtcSession *self = ATC_SESSION (object);

  if (self->transport != NULL)
    {
      atc_session_close (self);
      g_clear_signal_handler (&self->disconnected_handler, self->transport);
    }

  G_OBJECT_CLASS (atc_session_parent_class)->dispose (object);
}

static void
atc_session_finalize (GObject *object)
{
  AtcSession *self = ATC_SESSION (object);

  g_clear_object (&self->transport);
  g_clear_object (&self->model);
  g_clear_object (&self->log);
  g_clear_pointer (&self->parser, atc_reply_parser_free);
  g_clear_pointer (&self->rx_line, g_byte_array_unref);
  g_clear_pointer (&self->secrets, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->firmware);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->log_sent);
  g_free (self->log_sent_redacted);

  G_OBJECT_CLASS (atc_session_parent_class)->finalize (object);
}

static void
atc_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AtcSession *self = ATC_SESSION (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_value_set_object (value, self->transport);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_FIRMWARE:
      g_value_set_string (value, self->firmware);
      break;
    case PROP_PASSWORD_MODE:
      g_value_set_boolean (value, self->password != NULL);
      break;
    case PROP_TIMEOUT_SCALE:
      g_value_set_double (value, self->timeout_scale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_session_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  AtcSession *self = ATC_SESSION (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      self->transport = g_value_dup_object (value);
      break;
    case PROP_MODEL:
      atc_session_set_model (self, g_value_get_object (value));
      break;
    case PROP_TIMEOUT_SCALE:
      atc_session_set_timeout_scale (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_session_constructed (GObject *object)
{
  AtcSession *self = ATC_SESSION (object);

  G_OBJECT_CLASS (atc_session_parent_class)->constructed (object);

  g_return_if_fail (ATC_IS_TRANSPORT (self->transport));

  self->disconnected_handler =
    g_signal_connect_object (self->transport, "disconnected",
                             G_CALLBACK (on_transport_disconnected), self, 0);

  /* A transport opened by someone else is used as it is. */
  if (atc_transport_is_open (self->transport))
    {
      g_autoptr(GError) error = NULL;

      if (start_link (self, &error))
        self->state = ATC_SESSION_DATA_MODE;
      else
        g_warning ("Cannot read from the open transport: %s", error->message);
    }
}

static void
atc_session_class_init (AtcSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = atc_session_constructed;
  object_class->dispose = atc_session_dispose;
  object_class->finalize = atc_session_finalize;
  object_class->get_property = atc_session_get_property;
  object_class->set_property = atc_session_set_property;

  properties[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL, ATC_TYPE_TRANSPORT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, ATC_TYPE_SESSION_STATE, ATC_SESSION_CLOSED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, ATC_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIRMWARE] =
    g_param_spec_string ("firmware", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PASSWORD_MODE] =
    g_param_spec_boolean ("password-mode", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT_SCALE] =
    g_param_spec_double ("timeout-scale", NULL, NULL, 0.001, 1000.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AtcSession::disconnected:
   * @error: why (ATC_ERROR_DISCONNECTED)
   *
   * The link went away; every pending operation has already failed.
   */
  signals[SIGNAL_DISCONNECTED] =
    g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
atc_session_init (AtcSession *self)
{
  self->timeout_scale = 1.0;
  self->state = ATC_SESSION_CLOSED;
  self->log = atc_transaction_log_new (LOG_MAX_ENTRIES);
  self->context = g_main_context_ref_thread_default ();
  self->rx_line = g_byte_array_new ();
  self->secrets = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&self->ops);
  g_queue_init (&self->writes);
}

/* --- Public API ------------------------------------------------------- */

const char *
atc_session_state_to_string (AtcSessionState state)
{
  switch (state)
    {
    case ATC_SESSION_CLOSED:
      return _("Not connected");
    case ATC_SESSION_OPENING:
      return _("Opening the link");
    case ATC_SESSION_DATA_MODE:
      return _("Transparent mode");
    case ATC_SESSION_ENTERING:
      return _("Entering command mode");
    case ATC_SESSION_COMMAND_MODE:
      return _("Command mode");
    case ATC_SESSION_PASSWORD_MODE:
      return _("Password mode");
    case ATC_SESSION_REBOOTING:
      return _("Restarting");
    case ATC_SESSION_DISCONNECTED:
      return _("Disconnected");
    default:
      return _("Unknown");
    }
}

AtcSession *
atc_session_new (AtcTransport *transport)
{
  g_return_val_if_fail (ATC_IS_TRANSPORT (transport), NULL);

  return g_object_new (ATC_TYPE_SESSION, "transport", transport, NULL);
}

AtcSession *
atc_session_new_for_address (const char  *address,
                             GError     **error)
{
  g_autoptr(AtcAddress) parsed = NULL;
  g_autoptr(AtcTransport) transport = NULL;
  g_autoptr(AtcSession) self = NULL;
  AtcModel *model = NULL;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parsed = atc_address_parse (address, error);
  if (parsed == NULL)
    return NULL;

  /* Demo addresses name their model; elsewhere ?model= is a hint. The
   * address parser already refused models the catalog does not know. */
  if (parsed->model != NULL &&
      (model = atc_catalog_lookup (atc_catalog_get_default (), parsed->model)) == NULL)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_ADDRESS,
                   _("The address names an unknown model “%s”"), parsed->model);
      return NULL;
    }

  transport = atc_device_new_transport (parsed, error);
  if (transport == NULL)
    return NULL;

  self = atc_session_new (transport);

  if (model != NULL)
    atc_session_set_model (self, model);
  if (parsed->password != NULL && parsed->password[0] != '\0')
    atc_session_set_command_password (self, parsed->password);

  return g_steal_pointer (&self);
}

AtcTransport *
atc_session_get_transport (AtcSession *self)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), NULL);

  return self->transport;
}

AtcSessionState
atc_session_get_state (AtcSession *self)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), ATC_SESSION_CLOSED);

  return self->state;
}

AtcModel *
atc_session_get_model (AtcSession *self)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), NULL);

  return self->model;
}

void
atc_session_set_model (AtcSession *self,
                       AtcModel   *model)
{
  g_return_if_fail (ATC_IS_SESSION (self));
  g_return_if_fail (model == NULL || ATC_IS_MODEL (model));

  if (self->model == model)
    return;

  /* A reply in flight keeps its parser; the dialect applies from the next
   * wait on. */
  g_set_object (&self->model, model);
  if (self->waiter == NULL)
    ensure_parser (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

const char *
atc_session_get_firmware (AtcSession *self)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), NULL);

  return self->firmware;
}

AtcTransactionLog *
atc_session_get_log (AtcSession *self)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), NULL);

  return self->log;
}

void
atc_session_set_command_password (AtcSession *self,
                                  const char *password)
{
  gboolean was;

  g_return_if_fail (ATC_IS_SESSION (self));

  if (password != NULL && password[0] == '\0')
    password = NULL;

  was = self->password != NULL;
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);

  /* The unit in transparent mode takes password commands at once; in
   * command mode the password applies once it is back in data mode. */
  if (self->password != NULL && self->state == ATC_SESSION_DATA_MODE && self->current == NULL)
    set_state (self, ATC_SESSION_PASSWORD_MODE);
  else if (self->password == NULL && self->state == ATC_SESSION_PASSWORD_MODE)
    set_state (self, ATC_SESSION_DATA_MODE);

  if (was != (self->password != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD_MODE]);
}

gboolean
atc_session_get_password_mode (AtcSession *self)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), FALSE);

  return self->password != NULL;
}

void
atc_session_set_timeout_scale (AtcSession *self,
                               double      scale)
{
  g_return_if_fail (ATC_IS_SESSION (self));
  g_return_if_fail (scale > 0.0);

  if (self->timeout_scale == scale)
    return;

  self->timeout_scale = scale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_SCALE]);
}

void
atc_session_connect_async (AtcSession          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (ATC_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  enqueue (self, op_new (self, OP_CONNECT, atc_session_connect_async, cancellable, callback,
                         user_data),
           cancellable);
}

gboolean
atc_session_connect_finish (AtcSession    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
atc_session_detect_async (AtcSession          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (ATC_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  enqueue (self, op_new (self, OP_DETECT, atc_session_detect_async, cancellable, callback,
                         user_data),
           cancellable);
}

AtcDetection *
atc_session_detect_finish (AtcSession    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The catalog command for a name ("CSQ", "AT+CSQ", "csq"), with the form
 * checked. */
static const AtcCommand *
find_command (AtcSession  *self,
              const char  *name,
              AtcAccess    form,
              GError     **error)
{
  const AtcCommand *command;
  const char *verb;

  if (self->model == NULL)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND,
                   _("The unit's model is not known yet; detect it or choose it first"));
      return NULL;
    }

  command = atc_model_lookup (self->model, name);
  if (command == NULL)
    {
      g_autofree char *shown = g_strescape (name, NULL);

      g_set_error (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND,
                   _("The %s has no command “%s”; check the spelling or the model"),
                   atc_model_get_name (self->model), shown);
      return NULL;
    }

  if ((command->access & form) == 0)
    {
      switch (form)
        {
        case ATC_ACCESS_QUERY:
          verb = _("read");
          break;
        case ATC_ACCESS_SET:
          verb = _("set");
          break;
        case ATC_ACCESS_EXECUTE:
        default:
          verb = _("run on its own");
          break;
        }
      g_set_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                   _("AT+%s cannot be %s on the %s"),
                   command->name, verb, atc_model_get_name (self->model));
      return NULL;
    }

  return command;
}

static gboolean
refuse_when_disconnected (AtcSession          *self,
                          gpointer             source_tag,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  /* Nothing is queued on a lost link: the caller learns it now. */
  if (self->state == ATC_SESSION_DISCONNECTED && self->current == NULL &&
      g_queue_is_empty (&self->ops))
    {
      report_error (self, source_tag, callback, user_data,
                    g_error_new_literal (ATC_ERROR, ATC_ERROR_DISCONNECTED,
                                         _("The link to the unit is lost; reconnect, then "
                                           "try again")));
      return TRUE;
    }
  return FALSE;
}

static void
enqueue_command (AtcSession          *self,
                 Cmd                 *cmd,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  Op *op;

  if (refuse_when_disconnected (self, source_tag, callback, user_data))
    {
      cmd_free (cmd);
      return;
    }

  op = op_new (self, OP_COMMAND, source_tag, cancellable, callback, user_data);
  op->cmd = cmd;
  enqueue (self, op, cancellable);
}

void
atc_session_query_async (AtcSession          *self,
                         const char          *command,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GError *error = NULL;
  const AtcCommand *cmd;
  Cmd *c;

  g_return_if_fail (ATC_IS_SESSION (self));
  g_return_if_fail (command != NULL);

  cmd = find_command (self, command, ATC_ACCESS_QUERY, &error);
  if (cmd == NULL)
    {
      report_error (self, atc_session_query_async, callback, user_data, error);
      return;
    }

  if (cmd->params == NULL || cmd->params->len == 0)
    {
      report_error (self, atc_session_query_async, callback, user_data,
                    g_error_new (ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                                 _("AT+%s has no value to read; run it instead"),
                                 command_display_name (cmd)));
      return;
    }

  c = cmd_new_query (self, cmd);
  enqueue_command (self, c, atc_session_query_async, cancellable, callback, user_data);
}

GStrv
atc_session_query_finish (AtcSession    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
atc_session_set_async (AtcSession          *self,
                       const char          *command,
                       const char *const   *values,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GError *error = NULL;
  const AtcCommand *cmd;
  g_autofree char *line = NULL;
  Cmd *c;

  g_return_if_fail (ATC_IS_SESSION (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (values != NULL);

  cmd = find_command (self, command, ATC_ACCESS_SET, &error);
  if (cmd == NULL)
    {
      report_error (self, atc_session_set_async, callback, user_data, error);
      return;
    }

  /* Secret values are known before anything can be logged or quoted. */
  for (guint i = 0; cmd->params != NULL && i < cmd->params->len && values[i] != NULL; i++)
    {
      const AtcParam *param = g_ptr_array_index (cmd->params, i);

      if (param->secret)
        {
          g_autofree char *wire = atc_escape_encode (values[i], param->escape, NULL);

          remember_secret (self, values[i]);
          remember_secret (self, wire);
        }
    }

  line = atc_codec_format_set (cmd, values, &error);
  if (line == NULL)
    {
      redact_error (self, error);
      report_error (self, atc_session_set_async, callback, user_data, error);
      return;
    }

  /* A set is not repeated: the first may have been applied. */
  c = cmd_new (self, cmd, g_steal_pointer (&line));
  c->expect = ATC_EXPECT_REPLY;
  c->result = RESULT_NONE;
  if (g_ascii_strcasecmp (cmd->name, "UART") == 0 && values[0] != NULL)
    c->set_baud = g_strdup (values[0]);

  enqueue_command (self, c, atc_session_set_async, cancellable, callback, user_data);
}

gboolean
atc_session_set_finish (AtcSession    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static Cmd *
cmd_new_execute (AtcSession       *self,
                 const AtcCommand *command)
{
  Cmd *c = cmd_new (self, command, atc_codec_format_execute (command));

  /* Executes are not repeated, except the harmless ones that only read. */
  c->attempts = command->multiline || command->name[0] == '\0' ? QUERY_ATTEMPTS : 1;
  cmd_follow_execute (c);
  c->result = RESULT_REPLY;
  return c;
}

void
atc_session_execute_async (AtcSession          *self,
                           const char          *command,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GError *error = NULL;
  const AtcCommand *cmd;

  g_return_if_fail (ATC_IS_SESSION (self));
  g_return_if_fail (command != NULL);

  cmd = find_command (self, command, ATC_ACCESS_EXECUTE, &error);
  if (cmd == NULL)
    {
      report_error (self, atc_session_execute_async, callback, user_data, error);
      return;
    }

  enqueue_command (self, cmd_new_execute (self, cmd), atc_session_execute_async,
                   cancellable, callback, user_data);
}

AtcReply *
atc_session_execute_finish (AtcSession    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
atc_session_send_line_async (AtcSession          *self,
                             const char          *line,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  const AtcCommand *command = NULL;
  g_autofree char *trimmed = NULL;
  Cmd *c;

  g_return_if_fail (ATC_IS_SESSION (self));
  g_return_if_fail (line != NULL);

  trimmed = g_strstrip (g_strdup (line));

  if (trimmed[0] == '\0')
    {
      report_error (self, atc_session_send_line_async, callback, user_data,
                    g_error_new_literal (ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                                         _("The line is empty; type a command such as AT+VER")));
      return;
    }
  if (strpbrk (trimmed, "\r\n") != NULL)
    {
      report_error (self, atc_session_send_line_async, callback, user_data,
                    g_error_new_literal (ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                                         _("The line contains a line break; send one command "
                                           "at a time")));
      return;
    }
  if (strchr (trimmed, ';') != NULL)
    {
      report_error (self, atc_session_send_line_async, callback, user_data,
                    g_error_new_literal (ATC_ERROR, ATC_ERROR_UNSAFE_VALUE,
                                         _("The line contains “;”, which the unit takes as the "
                                           "start of another command; send one command at a "
                                           "time")));
      return;
    }
  if (strlen (trimmed) > ATC_REPLY_MAX_LINE / 2 || !g_utf8_validate (trimmed, -1, NULL))
    {
      report_error (self, atc_session_send_line_async, callback, user_data,
                    g_error_new (ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                                 _("The line is too long or not valid text; a command line "
                                   "holds at most %d bytes"),
                                 ATC_REPLY_MAX_LINE / 2));
      return;
    }

  /* A known command keeps its meaning: AT+H reads many lines, AT+Z is
   * followed through the restart, AT+ENTM leaves command mode. */
  if (self->model != NULL && g_ascii_strncasecmp (trimmed, "AT", 2) == 0)
    {
      gsize len = strcspn (trimmed, "=?");
      g_autofree char *name = g_strndup (trimmed, len);

      command = atc_model_lookup (self->model, name);
    }

  c = cmd_new (self, command, g_steal_pointer (&trimmed));
  c->raw = TRUE;
  c->result = RESULT_REPLY;
  if (command != NULL && strpbrk (c->line, "=?") == NULL)
    cmd_follow_execute (c);

  enqueue_command (self, c, atc_session_send_line_async, cancellable, callback, user_data);
}

AtcReply *
atc_session_send_line_finish (AtcSession    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_execute_for_bool (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(AtcReply) reply = atc_session_execute_finish (ATC_SESSION (source), result, &error);

  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
execute_named (AtcSession          *self,
               const char          *name,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  atc_session_execute_async (self, name, cancellable, on_execute_for_bool, task);
}

void
atc_session_restart_async (AtcSession          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  const char *name;

  g_return_if_fail (ATC_IS_SESSION (self));

  name = self->model != NULL ? atc_model_get_restart_command (self->model) : NULL;
  if (name == NULL)
    {
      report_error (self, atc_session_restart_async, callback, user_data,
                    g_error_new_literal (ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                                         self->model == NULL
                                           ? _("The unit's model is not known yet; detect it or "
                                               "choose it first")
                                           : _("This model has no restart command")));
      return;
    }

  execute_named (self, name, atc_session_restart_async, cancellable, callback, user_data);
}

gboolean
atc_session_restart_finish (AtcSession    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
atc_session_leave_async (AtcSession          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (ATC_IS_SESSION (self));

  execute_named (self, "ENTM", atc_session_leave_async, cancellable, callback, user_data);
}

gboolean
atc_session_leave_finish (AtcSession    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (ATC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
atc_session_close (AtcSession *self)
{
  g_autoptr(GError) error = NULL;
  gboolean was_open;

  g_return_if_fail (ATC_IS_SESSION (self));

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The connection was closed"));

  /* The link goes first, so that whatever the failed callers do next
   * starts from a closed session. */
  was_open = self->link_up;
  rx_log_flush (self);
  stop_link (self);
  self->rebooting = FALSE;
  self->needs_resync = FALSE;
  if (self->transport != NULL)
    atc_transport_close (self->transport);
  if (was_open)
    atc_transaction_log_event (self->log, "closed");
  set_state (self, ATC_SESSION_CLOSED);
  fail_everything (self, error);
}

void
atc_detection_free (AtcDetection *detection)
{
  if (detection == NULL)
    return;
  g_clear_object (&detection->model);
  g_free (detection->firmware);
  g_free (detection);
}
