/* atc-simulator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The byte-level life of a unit around its interpreter (AtcSimUnit):
 * transparent-mode packing, the "+++" handshake, command lines, echo,
 * reboots, the wire's pace and faults, and the links it is exposed on.
 *
 * Transparent mode works as the units do: bytes are packed into a frame
 * until the line has been quiet for the packing interval (AT+UARTFT).
 * A frame that is exactly "+++" and came after such a quiet spell is the
 * request for command mode ("framed by silence"); a frame that starts with
 * the command password and then "AT" is a command; anything else is data
 * for the network side.
 */
/* posix_openpt(), ptsname_r() */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>

#include "atc-catalog.h"
#include "atc-error.h"
#include "atc-simulator.h"

/* A line longer than this is not a command: real units have small buffers. */
#define MAX_LINE 1024
/* A transparent frame is cut here at the latest (AT+UARTFL is at most 4096). */
#define MAX_FRAME 4096
/* Step of the virtual clock when it follows real time. */
#define CLOCK_STEP_MS 1000
#define DEFAULT_HANDSHAKE_WINDOW_MS 3000
/* A simulator may run for days under a monitor: the log and the network
 * side keep their newest part. */
#define MAX_LOG_ENTRIES 10000
#define MAX_DATA_BYTES  (1024 * 1024)

/* --- Link --------------------------------------------------------------- */

/* One connection to the host. Async operations hold a reference, so a
 * link outlives a detach until its last callback has run; `sim` is cleared
 * on detach and callbacks then do nothing. */
typedef struct {
  grefcount     ref;
  AtcSimulator *sim;
  GIOStream    *stream;
  GCancellable *cancellable;
  gboolean      drop_on_reboot;  /* TCP: the unit's restart ends the connection */
  int           pty_master;      /* -1 unless a pty; termios is read from it */
  int           pty_slave;       /* held open so the master never reads EIO/HUP */
  GBytes       *pending;         /* the bytes of the write in flight */
  guint8        buffer[4096];
} Link;

static Link *
link_ref (Link *link)
{
  g_ref_count_inc (&link->ref);
  return link;
}

static void
link_unref (Link *link)
{
  if (!g_ref_count_dec (&link->ref))
    return;

  g_io_stream_close (link->stream, NULL, NULL);
  g_object_unref (link->stream);
  g_clear_pointer (&link->pending, g_bytes_unref);
  g_object_unref (link->cancellable);
  if (link->pty_master >= 0)
    close (link->pty_master);
  if (link->pty_slave >= 0)
    close (link->pty_slave);
  g_free (link);
}

/* --- Output queue ------------------------------------------------------- */

typedef enum {
  OUT_BYTES,
  OUT_DISCONNECT,
} OutKind;

typedef struct {
  OutKind  kind;
  GBytes  *bytes;
  gsize    offset;
  gint64   due_us;
} OutItem;

static void
out_item_free (OutItem *item)
{
  g_clear_pointer (&item->bytes, g_bytes_unref);
  g_free (item);
}

/* --- Object ------------------------------------------------------------- */

struct _AtcSimulator
{
  GObject           parent_instance;

  AtcModel         *model;
  guint32           seed;
  AtcSimUnit       *unit;
  GMainContext     *context;
  AtcSimMode        mode;

  Link             *link;
  char             *pty_path;
  GSocketService   *service;

  GQueue            out_queue;      /* OutItem* */
  gboolean          writing;
  gint64            wire_free_us;   /* paced output: when the last byte is out */
  gint64            rx_wire_free_us;/* paced input: when the host's last byte is in */
  GSource          *out_timer;
  guint64           bytes_from_host;
  guint64           bytes_to_host;

  /* Transparent mode */
  GByteArray       *frame;
  gboolean          frame_after_silence;
  gint64            last_rx_us;     /* 0: nothing since boot */
  GSource          *frame_timer;
  GSource          *handshake_timer;

  /* Command mode */
  GByteArray       *line;
  gboolean          line_overflow;
  gboolean          swallow_lf;     /* the LF of a CR LF that ended a line */

  GSource          *reboot_timer;
  GSource          *clock_timer;

  guint             latency_ms;
  guint             reboot_ms;
  guint             handshake_window_ms;
  guint             host_baud;
  gboolean          pace;
  gboolean          auto_clock;
  AtcSimFaults      faults;
  guint             until_disconnect;
  GRand            *fault_rand;

  GByteArray       *data;           /* the network side */
  GPtrArray        *log;            /* AtcSimLogEntry* */
  guint             n_commands;
};

G_DEFINE_FINAL_TYPE (AtcSimulator, atc_simulator, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (AtcSimMode, atc_sim_mode,
  G_DEFINE_ENUM_VALUE (ATC_SIM_MODE_TRANSPARENT, "transparent"),
  G_DEFINE_ENUM_VALUE (ATC_SIM_MODE_HANDSHAKE, "handshake"),
  G_DEFINE_ENUM_VALUE (ATC_SIM_MODE_COMMAND, "command"),
  G_DEFINE_ENUM_VALUE (ATC_SIM_MODE_REBOOTING, "rebooting"))

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SEED,
  PROP_MODE,
  PROP_LATENCY_MS,
  PROP_REBOOT_MS,
  PROP_HANDSHAKE_WINDOW_MS,
  PROP_BAUD,
  PROP_HOST_BAUD,
  PROP_PACE,
  PROP_AUTO_CLOCK,
  PROP_ERROR_STYLE,
  N_PROPS
};

enum {
  SIGNAL_COMMAND_EXECUTED,
  SIGNAL_DATA_RECEIVED,
  SIGNAL_LINK_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void pump_output   (AtcSimulator *self);
static void start_reading (AtcSimulator *self);
static void start_reboot  (AtcSimulator *self);

/* --- Sources on the simulator's context --------------------------------- */

static GSource *
add_timeout (AtcSimulator *self,
             guint         ms,
             GSourceFunc   func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

/* Fires at a monotonic time in µs rather than after whole milliseconds
 * from now: paced output must not drift a millisecond per slice. */
static GSource *
add_timeout_at (AtcSimulator *self,
                gint64        ready_us,
                GSourceFunc   func)
{
  GSource *source = g_timeout_source_new (0);

  g_source_set_ready_time (source, ready_us);
  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

static guint64
wire_time_us (AtcSimulator *self,
              gsize         len)
{
  guint baud = MAX (atc_sim_unit_get_baud (self->unit), 1);

  /* Ten bits per byte: start, eight data, stop. */
  return (guint64) len * 10 * G_USEC_PER_SEC / baud;
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
set_mode (AtcSimulator *self,
          AtcSimMode    mode)
{
  if (self->mode == mode)
    return;
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

/* --- Baud rate ---------------------------------------------------------- */

static const struct {
  speed_t speed;
  guint   baud;
} speeds[] = {
  { B50, 50 }, { B75, 75 }, { B110, 110 }, { B134, 134 }, { B150, 150 }, { B200, 200 },
  { B300, 300 }, { B600, 600 }, { B1200, 1200 }, { B1800, 1800 }, { B2400, 2400 },
  { B4800, 4800 }, { B9600, 9600 }, { B19200, 19200 }, { B38400, 38400 },
  { B57600, 57600 }, { B115200, 115200 }, { B230400, 230400 }, { B460800, 460800 },
  { B500000, 500000 }, { B576000, 576000 }, { B921600, 921600 }, { B1000000, 1000000 },
  { B1152000, 1152000 }, { B1500000, 1500000 }, { B2000000, 2000000 },
};

static guint
baud_from_speed (speed_t speed)
{
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (speeds[i].speed == speed)
      return speeds[i].baud;
  return 0;
}

static gboolean
speed_from_baud (guint    baud,
                 speed_t *speed)
{
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (speeds[i].baud == baud)
      {
        *speed = speeds[i].speed;
        return TRUE;
      }
  return FALSE;
}

/* The rate the host's end runs at; 0 when unknown (taken as matching). A
 * pty master reports the termios of its slave, which the host set. */
static guint
host_baud (AtcSimulator *self)
{
  if (self->link != NULL && self->link->pty_master >= 0)
    {
      struct termios tio;

      if (tcgetattr (self->link->pty_master, &tio) == 0)
        return baud_from_speed (cfgetospeed (&tio));
    }
  return self->host_baud;
}

static gboolean
baud_mismatch (AtcSimulator *self)
{
  guint host = host_baud (self);

  return host != 0 && host != atc_sim_unit_get_baud (self->unit);
}

/* --- Output ------------------------------------------------------------- */

static void
enqueue (AtcSimulator *self,
         OutKind       kind,
         GBytes       *bytes,
         guint         delay_ms)
{
  OutItem *item = g_new0 (OutItem, 1);
  gint64 now = g_get_monotonic_time ();

  item->kind = kind;
  item->bytes = bytes;
  /* On a paced wire the unit cannot act on a byte before it is in. */
  item->due_us = (self->pace ? MAX (now, self->rx_wire_free_us) : now) +
                 (gint64) delay_ms * 1000;
  g_queue_push_tail (&self->out_queue, item);
  pump_output (self);
}

/* Everything the unit says goes through here, so the wire's faults apply
 * to it all: a wrong baud rate turns it into noise, drop and corrupt eat
 * or change bytes, and a reply may have noise before it. */
static void
send_bytes (AtcSimulator *self,
            const char   *data,
            gsize         len,
            guint         delay_ms,
            gboolean      is_reply)
{
  g_autoptr(GByteArray) bytes = NULL;

  if (self->faults.silent || len == 0)
    return;

  bytes = g_byte_array_sized_new (len + 32);

  if (baud_mismatch (self))
    {
      atc_sim_faults_append_noise (self->fault_rand, bytes, (guint) len);
    }
  else
    {
      if (is_reply && self->faults.garbage > 0 &&
          g_rand_double (self->fault_rand) < self->faults.garbage)
        atc_sim_faults_append_noise (self->fault_rand, bytes,
                                     (guint) g_rand_int_range (self->fault_rand, 4, 25));
      g_byte_array_append (bytes, (const guint8 *) data, (guint) len);
      atc_sim_faults_mangle (&self->faults, self->fault_rand, bytes);
    }

  if (bytes->len > 0)
    enqueue (self, OUT_BYTES, g_byte_array_free_to_bytes (g_steal_pointer (&bytes)), delay_ms);
}

static void
send_text (AtcSimulator *self,
           const char   *text,
           guint         delay_ms,
           gboolean      is_reply)
{
  send_bytes (self, text, strlen (text), delay_ms, is_reply);
}

static void
clear_output (AtcSimulator *self)
{
  g_queue_clear_full (&self->out_queue, (GDestroyNotify) out_item_free);
  clear_source (&self->out_timer);
}

static void
detach_link (AtcSimulator *self)
{
  Link *link = g_steal_pointer (&self->link);

  if (link == NULL)
    return;

  link->sim = NULL;
  /* The pending read returns cancelled and drops the last reference,
   * which closes the stream: the host sees end of file. */
  g_cancellable_cancel (link->cancellable);
  link_unref (link);

  clear_output (self);
  self->writing = FALSE;
  g_clear_pointer (&self->pty_path, g_free);
  g_signal_emit (self, signals[SIGNAL_LINK_CHANGED], 0, FALSE);
}

static gboolean
on_out_timer (gpointer user_data)
{
  AtcSimulator *self = user_data;

  g_clear_pointer (&self->out_timer, g_source_unref);
  pump_output (self);
  return G_SOURCE_REMOVE;
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Link *link = user_data;
  AtcSimulator *self = link->sim;
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error);
  g_clear_pointer (&link->pending, g_bytes_unref);

  if (self == NULL || self->link != link)
    {
      link_unref (link);
      return;
    }

  self->writing = FALSE;

  if (error != NULL)
    {
      g_debug ("Simulator: the host end went away while writing: %s", error->message);
      detach_link (self);
      link_unref (link);
      return;
    }

  self->bytes_to_host += written;

  link_unref (link);
  pump_output (self);
}

static void
pump_output (AtcSimulator *self)
{
  OutItem *item;

  if (self->writing || self->out_timer != NULL)
    return;

  while ((item = g_queue_peek_head (&self->out_queue)) != NULL)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 due = item->due_us;
      GOutputStream *out;
      gsize size, len;

      if (self->pace)
        due = MAX (due, self->wire_free_us);
      if (due > now)
        {
          self->out_timer = add_timeout_at (self, due, on_out_timer);
          return;
        }

      if (item->kind == OUT_DISCONNECT)
        {
          g_queue_pop_head (&self->out_queue);
          out_item_free (item);
          detach_link (self);
          continue;
        }

      size = g_bytes_get_size (item->bytes);
      if (self->link == NULL || item->offset >= size)
        {
          g_queue_pop_head (&self->out_queue);
          out_item_free (item);
          continue;
        }

      len = size - item->offset;
      /* Paced output leaves in slices of about 10 ms of line time, so the
       * host sees a reply arrive over time as from a real UART; a slice
       * reaches the host when its last byte would have, due + its line
       * time, so no reply is complete before the wire could carry it. */
      if (self->pace)
        {
          gint64 end;

          len = MIN (len, MAX (atc_sim_unit_get_baud (self->unit) / 1000, 1));
          end = due + (gint64) wire_time_us (self, len);
          if (end > now)
            {
              self->out_timer = add_timeout_at (self, end, on_out_timer);
              return;
            }
          self->wire_free_us = end;
        }

      out = g_io_stream_get_output_stream (self->link->stream);
      self->writing = TRUE;
      /* The link keeps the bytes until the write completes, whatever
       * happens to the queue meanwhile. */
      self->link->pending = g_bytes_ref (item->bytes);
      g_main_context_push_thread_default (self->context);
      g_output_stream_write_all_async (out,
                                       (const guint8 *) g_bytes_get_data (item->bytes, NULL) + item->offset,
                                       len, G_PRIORITY_DEFAULT, self->link->cancellable,
                                       on_written, link_ref (self->link));
      g_main_context_pop_thread_default (self->context);
      item->offset += len;
      if (item->offset >= size)
        {
          g_queue_pop_head (&self->out_queue);
          out_item_free (item);
        }
      return;
    }
}

/* --- Log ---------------------------------------------------------------- */

void
atc_sim_log_entry_free (AtcSimLogEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->line);
  g_free (entry->reply);
  g_free (entry);
}

static void
log_command (AtcSimulator  *self,
             AtcSimOutcome *outcome,
             gboolean       transparent)
{
  AtcSimLogEntry *entry = g_new0 (AtcSimLogEntry, 1);

  entry->time_us = g_get_monotonic_time ();
  entry->clock_ms = atc_sim_unit_get_clock_ms (self->unit);
  entry->line = g_steal_pointer (&outcome->line);
  entry->reply = g_steal_pointer (&outcome->reply);
  entry->error = outcome->error;
  entry->transparent = transparent;

  if (self->log->len >= MAX_LOG_ENTRIES)
    g_ptr_array_remove_range (self->log, 0, MAX_LOG_ENTRIES / 10);
  g_ptr_array_add (self->log, entry);
  self->n_commands++;
  g_signal_emit (self, signals[SIGNAL_COMMAND_EXECUTED], 0, entry);
}

/* --- Command mode ------------------------------------------------------- */

static void
leave_command_mode (AtcSimulator *self)
{
  g_byte_array_set_size (self->line, 0);
  self->line_overflow = FALSE;
  g_byte_array_set_size (self->frame, 0);
  /* The reply just sent breaks any silence before a "+++". */
  self->last_rx_us = g_get_monotonic_time ();
  set_mode (self, ATC_SIM_MODE_TRANSPARENT);
}

static void
send_echo (AtcSimulator *self,
           const char   *line)
{
  g_autoptr(GString) echo = g_string_new (line);

  /* Some firmwares echo the AT+CMD part upper-cased (protocol-notes.md). */
  if (self->faults.upper_echo)
    {
      const char *eq = strchr (echo->str, '=');
      gsize end = eq != NULL ? (gsize) (eq - echo->str) : echo->len;

      for (gsize i = 0; i < end; i++)
        echo->str[i] = g_ascii_toupper (echo->str[i]);
    }

  g_string_append (echo, "\r\n");
  send_bytes (self, echo->str, echo->len, 0, FALSE);
}

static AtcSimEffect
run_line (AtcSimulator *self,
          const char   *line,
          gboolean      overflow,
          gboolean      transparent)
{
  g_autoptr(GString) reply = g_string_new (NULL);
  AtcSimOutcome outcome = { 0 };
  AtcSimEffect effect = ATC_SIM_EFFECT_NONE;

  /* Echo belongs to the command-mode terminal; password commands in data
   * mode are answered without it. */
  if (!transparent && atc_sim_unit_get_echo (self->unit))
    send_echo (self, line);

  if (overflow)
    {
      atc_sim_unit_append_error (self->unit, ATC_SIM_ERR_FORMAT, reply);
      outcome.line = atc_sim_unit_redact_line (self->unit, line);
      outcome.reply = g_strdup (reply->str);
      outcome.error = ATC_SIM_ERR_FORMAT;
    }
  else
    {
      effect = atc_sim_unit_execute (self->unit, line, reply, &outcome);
    }

  send_bytes (self, reply->str, reply->len, self->latency_ms, TRUE);
  log_command (self, &outcome, transparent);
  atc_sim_outcome_clear (&outcome);

  if (self->until_disconnect > 0 && --self->until_disconnect == 0)
    {
      /* One shot: the fault is spent once the link is down. */
      self->faults.disconnect_after = 0;
      enqueue (self, OUT_DISCONNECT, NULL, self->latency_ms);
    }

  if (effect == ATC_SIM_EFFECT_LEAVE && !transparent)
    leave_command_mode (self);
  else if (effect == ATC_SIM_EFFECT_REBOOT)
    start_reboot (self);

  return effect;
}

static gsize
command_feed (AtcSimulator *self,
              const guint8 *data,
              gsize         len)
{
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      /* The LF of a CR LF ends nothing more. */
      if (c == '\n' && self->swallow_lf)
        {
          self->swallow_lf = FALSE;
          continue;
        }
      self->swallow_lf = FALSE;

      /* CR, LF and ';' all end a command (protocol-notes.md). */
      if (c == '\r' || c == '\n' || c == ';')
        {
          if (self->line->len > 0 || self->line_overflow)
            {
              g_autofree char *line = g_strndup ((const char *) self->line->data, self->line->len);
              gboolean overflow = self->line_overflow;

              g_byte_array_set_size (self->line, 0);
              self->line_overflow = FALSE;
              run_line (self, line, overflow, FALSE);
              self->swallow_lf = c == '\r';
              if (self->mode != ATC_SIM_MODE_COMMAND)
                return i + 1;
            }
          continue;
        }

      if (self->line->len < MAX_LINE)
        g_byte_array_append (self->line, &c, 1);
      else
        self->line_overflow = TRUE;
    }

  return len;
}

/* --- Transparent mode and the handshake --------------------------------- */

/* Transparent data reaches the network side. */
static void
sink_data (AtcSimulator *self,
           const guint8 *data,
           gsize         len)
{
  g_autoptr(GBytes) frame = g_bytes_new (data, len);

  if (self->data->len + len > MAX_DATA_BYTES)
    g_byte_array_remove_range (self->data, 0, MIN (self->data->len, MAX_DATA_BYTES / 2));
  g_byte_array_append (self->data, data, (guint) MIN (len, MAX_DATA_BYTES));
  g_signal_emit (self, signals[SIGNAL_DATA_RECEIVED], 0, frame);
}

static gboolean
on_handshake_timeout (gpointer user_data)
{
  AtcSimulator *self = user_data;

  g_clear_pointer (&self->handshake_timer, g_source_unref);

  /* No 'a' in time: the "+++" was data after all. */
  sink_data (self, (const guint8 *) "+++", 3);
  set_mode (self, ATC_SIM_MODE_TRANSPARENT);
  return G_SOURCE_REMOVE;
}

static void
run_password_frame (AtcSimulator *self,
                    const char   *commands)
{
  g_auto(GStrv) lines = g_strsplit_set (commands, "\r\n;", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      if (run_line (self, lines[i], strlen (lines[i]) > MAX_LINE, TRUE) == ATC_SIM_EFFECT_REBOOT)
        break;
    }
}

static void
frame_complete (AtcSimulator *self)
{
  g_autoptr(GBytes) frame = NULL;
  const char *password;
  gsize len;
  const char *data;

  clear_source (&self->frame_timer);
  if (self->frame->len == 0)
    return;

  frame = g_byte_array_free_to_bytes (g_steal_pointer (&self->frame));
  self->frame = g_byte_array_new ();
  data = g_bytes_get_data (frame, &len);

  if (self->frame_after_silence && len == 3 && memcmp (data, "+++", 3) == 0)
    {
      send_text (self, "a", 0, FALSE);
      set_mode (self, ATC_SIM_MODE_HANDSHAKE);
      self->handshake_timer = add_timeout (self, self->handshake_window_ms, on_handshake_timeout);
      return;
    }

  password = atc_sim_unit_get_password (self->unit);
  if (password != NULL && password[0] != '\0')
    {
      gsize plen = strlen (password);

      if (len > plen + 2 && memcmp (data, password, plen) == 0 &&
          g_ascii_strncasecmp (data + plen, "AT", 2) == 0 &&
          memchr (data, '\0', len) == NULL)
        {
          g_autofree char *commands = g_strndup (data + plen, len - plen);

          run_password_frame (self, commands);
          return;
        }
    }

  sink_data (self, (const guint8 *) data, len);
}

static gboolean
on_frame_timer (gpointer user_data)
{
  AtcSimulator *self = user_data;

  g_clear_pointer (&self->frame_timer, g_source_unref);
  frame_complete (self);
  return G_SOURCE_REMOVE;
}

static gsize
transparent_feed (AtcSimulator *self,
                  const guint8 *data,
                  gsize         len,
                  gint64        now)
{
  guint packing_ms = atc_sim_unit_get_packing_ms (self->unit);
  gint64 packing_us = (gint64) packing_ms * 1000;

  /* Judge by arrival times rather than by when the timer runs, so a busy
   * machine does not merge two frames that were apart on the wire. */
  if (self->frame->len > 0 && now - self->last_rx_us > packing_us)
    frame_complete (self);

  /* The frame just completed was "+++" (these bytes then answer or spoil
   * the handshake) or a password command that restarted the unit. */
  if (self->mode == ATC_SIM_MODE_HANDSHAKE)
    return 0;
  if (self->mode != ATC_SIM_MODE_TRANSPARENT)
    return len;

  if (self->frame->len == 0)
    self->frame_after_silence = self->last_rx_us == 0 || now - self->last_rx_us > packing_us;

  g_byte_array_append (self->frame, data, (guint) len);
  if (self->frame->len >= MAX_FRAME)
    {
      frame_complete (self);
      return len;
    }

  clear_source (&self->frame_timer);
  self->frame_timer = add_timeout (self, packing_ms, on_frame_timer);
  return len;
}

static gsize
handshake_feed (AtcSimulator *self,
                const guint8 *data,
                gsize         len)
{
  clear_source (&self->handshake_timer);

  /* The host's 'a' must be a write of its own; anything else mixed in
   * makes it all data. */
  if (len == 1 && data[0] == 'a')
    {
      send_text (self, "+ok", 0, FALSE);
      g_byte_array_set_size (self->line, 0);
      self->line_overflow = FALSE;
      self->swallow_lf = FALSE;
      set_mode (self, ATC_SIM_MODE_COMMAND);
      return 1;
    }

  /* The stray bytes join "+++" in one frame that was not framed by silence. */
  set_mode (self, ATC_SIM_MODE_TRANSPARENT);
  g_byte_array_set_size (self->frame, 0);
  g_byte_array_append (self->frame, (const guint8 *) "+++", 3);
  self->frame_after_silence = FALSE;
  return 0;
}

static void
handle_input (AtcSimulator *self,
              const guint8 *data,
              gsize         len)
{
  gint64 now = g_get_monotonic_time ();

  self->bytes_from_host += len;
  /* The host's bytes cross the wire at the unit's rate too: replies are
   * timed from when the last one is in (see enqueue()). */
  if (self->pace)
    self->rx_wire_free_us = MAX (now, self->rx_wire_free_us) + (gint64) wire_time_us (self, len);

  if (self->faults.silent || self->mode == ATC_SIM_MODE_REBOOTING)
    return;

  /* At the wrong rate the unit reads framing errors and what it sends
   * back is noise to the host: nothing it receives makes sense. */
  if (baud_mismatch (self))
    {
      g_autoptr(GByteArray) noise = g_byte_array_new ();

      atc_sim_faults_append_noise (self->fault_rand, noise, (guint) len);
      enqueue (self, OUT_BYTES, g_byte_array_free_to_bytes (g_steal_pointer (&noise)), 0);
      self->last_rx_us = now;
      return;
    }

  while (len > 0)
    {
      gsize used;

      switch (self->mode)
        {
        case ATC_SIM_MODE_TRANSPARENT:
          /* The LF after "AT+ENTM\r" is the command's, not data. */
          if (self->swallow_lf && data[0] == '\n')
            {
              self->swallow_lf = FALSE;
              used = 1;
              break;
            }
          self->swallow_lf = FALSE;
          used = transparent_feed (self, data, len, now);
          break;
        case ATC_SIM_MODE_HANDSHAKE:
          used = handshake_feed (self, data, len);
          if (used == 0)
            {
              /* Continue the "+++" frame with the stray bytes. */
              g_byte_array_append (self->frame, data, (guint) len);
              clear_source (&self->frame_timer);
              self->frame_timer = add_timeout (self, atc_sim_unit_get_packing_ms (self->unit),
                                               on_frame_timer);
              used = len;
            }
          break;
        case ATC_SIM_MODE_COMMAND:
          used = command_feed (self, data, len);
          break;
        case ATC_SIM_MODE_REBOOTING:
        default:
          used = len;
          break;
        }

      data += used;
      len -= used;
    }

  self->last_rx_us = now;
}

/* --- Reboot ------------------------------------------------------------- */

static gboolean
on_boot (gpointer user_data)
{
  AtcSimulator *self = user_data;
  g_autofree char *welcome = NULL;

  g_clear_pointer (&self->reboot_timer, g_source_unref);

  atc_sim_unit_boot (self->unit);
  g_byte_array_set_size (self->frame, 0);
  g_byte_array_set_size (self->line, 0);
  self->line_overflow = FALSE;
  self->swallow_lf = FALSE;
  self->last_rx_us = 0;
  set_mode (self, ATC_SIM_MODE_TRANSPARENT);

  /* G781: AT+STMSG is printed as the unit starts. */
  welcome = atc_sim_unit_dup_welcome (self->unit);
  if (welcome != NULL)
    {
      g_autofree char *text = g_strconcat ("\r\n", welcome, "\r\n", NULL);
      send_text (self, text, 0, FALSE);
    }

  return G_SOURCE_REMOVE;
}

static void
start_reboot (AtcSimulator *self)
{
  clear_source (&self->frame_timer);
  clear_source (&self->handshake_timer);
  clear_source (&self->reboot_timer);
  g_byte_array_set_size (self->line, 0);
  g_byte_array_set_size (self->frame, 0);
  set_mode (self, ATC_SIM_MODE_REBOOTING);

  /* The reply goes out first, then a TCP client loses its connection. */
  if (self->link != NULL && self->link->drop_on_reboot)
    enqueue (self, OUT_DISCONNECT, NULL, self->latency_ms);

  self->reboot_timer = add_timeout (self, self->latency_ms + self->reboot_ms, on_boot);
}

/* --- Reading ------------------------------------------------------------ */

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Link *link = user_data;
  AtcSimulator *self = link->sim;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (self == NULL || self->link != link)
    {
      link_unref (link);
      return;
    }

  if (n <= 0)
    {
      if (error != NULL)
        g_debug ("Simulator: reading from the host failed: %s", error->message);
      detach_link (self);
      link_unref (link);
      return;
    }

  handle_input (self, link->buffer, (gsize) n);

  if (self->link == link)
    start_reading (self);
  link_unref (link);
}

static void
start_reading (AtcSimulator *self)
{
  Link *link = self->link;

  g_input_stream_read_async (g_io_stream_get_input_stream (link->stream),
                             link->buffer, sizeof link->buffer, G_PRIORITY_DEFAULT,
                             link->cancellable, on_read, link_ref (link));
}

static void
attach_link (AtcSimulator *self,
             GIOStream    *stream,
             gboolean      drop_on_reboot,
             int           pty_master,
             int           pty_slave)
{
  Link *link;

  detach_link (self);

  link = g_new0 (Link, 1);
  g_ref_count_init (&link->ref);
  link->sim = self;
  link->stream = g_object_ref (stream);
  link->cancellable = g_cancellable_new ();
  link->drop_on_reboot = drop_on_reboot;
  link->pty_master = pty_master;
  link->pty_slave = pty_slave;
  self->link = link;
  self->writing = FALSE;
  self->wire_free_us = 0;
  self->rx_wire_free_us = 0;

  g_main_context_push_thread_default (self->context);
  start_reading (self);
  g_main_context_pop_thread_default (self->context);

  g_signal_emit (self, signals[SIGNAL_LINK_CHANGED], 0, TRUE);
}

/* --- Exposure ----------------------------------------------------------- */

void
atc_simulator_attach_stream (AtcSimulator *self,
                             GIOStream    *stream)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));
  g_return_if_fail (G_IS_IO_STREAM (stream));

  attach_link (self, stream, FALSE, -1, -1);
}

void
atc_simulator_disconnect (AtcSimulator *self)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  detach_link (self);
}

gboolean
atc_simulator_is_attached (AtcSimulator *self)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), FALSE);

  return self->link != NULL;
}

const char *
atc_simulator_open_pty (AtcSimulator *self,
                        GError      **error)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GIOStream) stream = NULL;
  struct termios tio;
  speed_t speed;
  char path[256];
  int master, slave;
  int saved_errno;

  g_return_val_if_fail (ATC_IS_SIMULATOR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt (master) != 0 || unlockpt (master) != 0 ||
      ptsname_r (master, path, sizeof path) != 0)
    {
      saved_errno = errno;
      if (master >= 0)
        close (master);
      g_set_error (error, ATC_ERROR, ATC_ERROR_FAILED,
                   _("Cannot create a pseudo-terminal for the simulator: %s. Check that "
                     "/dev/ptmx exists and that the limit of ptys is not reached"),
                   g_strerror (saved_errno));
      return NULL;
    }

  slave = open (path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0)
    {
      saved_errno = errno;
      close (master);
      g_set_error (error, ATC_ERROR, ATC_ERROR_FAILED,
                   _("Cannot open the simulator's pseudo-terminal %s: %s"),
                   path, g_strerror (saved_errno));
      return NULL;
    }

  /* Raw, at the unit's rate, so a host that leaves the speed alone talks
   * at the right one. tcsetattr on the master sets the slave's termios. */
  if (tcgetattr (master, &tio) == 0)
    {
      cfmakeraw (&tio);
      tio.c_cflag |= CLOCAL | CREAD;
      if (speed_from_baud (atc_sim_unit_get_baud (self->unit), &speed))
        {
          cfsetispeed (&tio, speed);
          cfsetospeed (&tio, speed);
        }
      tcsetattr (master, TCSANOW, &tio);
    }

  g_unix_set_fd_nonblocking (master, TRUE, NULL);

  in = g_unix_input_stream_new (master, FALSE);
  out = g_unix_output_stream_new (master, FALSE);
  stream = g_simple_io_stream_new (in, out);

  attach_link (self, stream, FALSE, master, slave);
  self->pty_path = g_strdup (path);

  return self->pty_path;
}

const char *
atc_simulator_get_pty_path (AtcSimulator *self)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), NULL);

  return self->pty_path;
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  AtcSimulator *self = user_data;

  /* One client at a time, and none while the unit restarts. */
  if (self->link != NULL || self->mode == ATC_SIM_MODE_REBOOTING)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  attach_link (self, G_IO_STREAM (connection), TRUE, -1, -1);
  return TRUE;
}

guint16
atc_simulator_listen_tcp (AtcSimulator *self,
                          guint16       port,
                          GError      **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (ATC_IS_SIMULATOR (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (self->service == NULL)
    {
      self->service = g_socket_service_new ();
      g_signal_connect_object (self->service, "incoming", G_CALLBACK (on_incoming), self, 0);
    }

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &effective, &local_error))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_BUSY,
                   _("The simulator cannot listen on 127.0.0.1:%u: %s. Pick another port, "
                     "or 0 to let the system choose"),
                   port, local_error->message);
      return 0;
    }

  g_main_context_push_thread_default (self->context);
  g_socket_service_start (self->service);
  g_main_context_pop_thread_default (self->context);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
}

/* --- State -------------------------------------------------------------- */

char **
atc_simulator_dup_values (AtcSimulator *self,
                          const char   *command,
                          GError      **error)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), NULL);

  return atc_sim_unit_dup_values (self->unit, command, error);
}

gboolean
atc_simulator_set_values (AtcSimulator      *self,
                          const char        *command,
                          const char *const *values,
                          GError           **error)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), FALSE);

  return atc_sim_unit_set_values (self->unit, command, values, error);
}

void
atc_simulator_power_cycle (AtcSimulator *self)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  start_reboot (self);
}

void
atc_simulator_advance (AtcSimulator *self,
                       guint         ms)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  atc_sim_unit_advance (self->unit, ms);
}

guint64
atc_simulator_get_clock_ms (AtcSimulator *self)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), 0);

  return atc_sim_unit_get_clock_ms (self->unit);
}

void
atc_simulator_get_status (AtcSimulator *self,
                          AtcSimStatus *status)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  atc_sim_unit_get_status (self->unit, status);
}

void
atc_simulator_set_status (AtcSimulator       *self,
                          const AtcSimStatus *status)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  atc_sim_unit_set_status (self->unit, status);
}

GPtrArray *
atc_simulator_get_log (AtcSimulator *self)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), NULL);

  return self->log;
}

guint
atc_simulator_get_command_count (AtcSimulator *self)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), 0);

  return self->n_commands;
}

void
atc_simulator_get_byte_counts (AtcSimulator *self,
                               guint64      *from_host,
                               guint64      *to_host)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  if (from_host != NULL)
    *from_host = self->bytes_from_host;
  if (to_host != NULL)
    *to_host = self->bytes_to_host;
}

void
atc_simulator_clear_log (AtcSimulator *self)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  g_ptr_array_set_size (self->log, 0);
  self->n_commands = 0;
}

GBytes *
atc_simulator_dup_data (AtcSimulator *self)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), NULL);

  return g_bytes_new (self->data->data, self->data->len);
}

void
atc_simulator_clear_data (AtcSimulator *self)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  g_byte_array_set_size (self->data, 0);
}

/* --- Faults and realism ------------------------------------------------- */

void
atc_simulator_set_faults (AtcSimulator       *self,
                          const AtcSimFaults *faults)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  self->faults = faults != NULL ? *faults : ATC_SIM_FAULTS_NONE;
  self->until_disconnect = self->faults.disconnect_after;
}

void
atc_simulator_get_faults (AtcSimulator *self,
                          AtcSimFaults *faults)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));
  g_return_if_fail (faults != NULL);

  *faults = self->faults;
}

void
atc_simulator_set_latency_ms (AtcSimulator *self,
                              guint         latency_ms)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  g_object_set (self, "latency-ms", latency_ms, NULL);
}

void
atc_simulator_set_reboot_ms (AtcSimulator *self,
                             guint         reboot_ms)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  g_object_set (self, "reboot-ms", reboot_ms, NULL);
}

void
atc_simulator_set_handshake_window_ms (AtcSimulator *self,
                                       guint         window_ms)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  g_object_set (self, "handshake-window-ms", window_ms, NULL);
}

gboolean
atc_simulator_set_baud (AtcSimulator *self,
                        guint         baud,
                        GError      **error)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), FALSE);

  if (!atc_sim_unit_set_baud (self->unit, baud, error))
    return FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BAUD]);
  return TRUE;
}

guint
atc_simulator_get_baud (AtcSimulator *self)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), 0);

  return atc_sim_unit_get_baud (self->unit);
}

void
atc_simulator_set_host_baud (AtcSimulator *self,
                             guint         baud)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  g_object_set (self, "host-baud", baud, NULL);
}

void
atc_simulator_set_error_style (AtcSimulator     *self,
                               AtcSimErrorStyle  style)
{
  g_return_if_fail (ATC_IS_SIMULATOR (self));

  g_object_set (self, "error-style", style, NULL);
}

/* --- GObject ------------------------------------------------------------ */

AtcSimulator *
atc_simulator_new (AtcModel *model,
                   guint32   seed)
{
  g_return_val_if_fail (ATC_IS_MODEL (model), NULL);

  return g_object_new (ATC_TYPE_SIMULATOR, "model", model, "seed", seed, NULL);
}

AtcSimulator *
atc_simulator_new_for_model_id (const char *model_id,
                                guint32     seed,
                                GError    **error)
{
  AtcModel *model;

  g_return_val_if_fail (model_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  model = atc_catalog_lookup (atc_catalog_get_default (), model_id);
  if (model == NULL)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_NOT_FOUND,
                   _("There is no model “%s” to simulate; use g781 or m0"), model_id);
      return NULL;
    }

  return atc_simulator_new (model, seed);
}

AtcModel *
atc_simulator_get_model (AtcSimulator *self)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), NULL);

  return self->model;
}

AtcSimUnit *
atc_simulator_get_unit (AtcSimulator *self)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), NULL);

  return self->unit;
}

AtcSimMode
atc_simulator_get_mode (AtcSimulator *self)
{
  g_return_val_if_fail (ATC_IS_SIMULATOR (self), ATC_SIM_MODE_TRANSPARENT);

  return self->mode;
}

static gboolean
on_clock_tick (gpointer user_data)
{
  AtcSimulator *self = user_data;

  atc_sim_unit_advance (self->unit, CLOCK_STEP_MS);
  return G_SOURCE_CONTINUE;
}

static void
set_auto_clock (AtcSimulator *self,
                gboolean      auto_clock)
{
  self->auto_clock = auto_clock;
  clear_source (&self->clock_timer);
  if (auto_clock)
    self->clock_timer = add_timeout (self, CLOCK_STEP_MS, on_clock_tick);
}

static void
atc_simulator_constructed (GObject *object)
{
  AtcSimulator *self = ATC_SIMULATOR (object);

  G_OBJECT_CLASS (atc_simulator_parent_class)->constructed (object);

  g_return_if_fail (self->model != NULL);

  self->unit = atc_sim_unit_new (self->model, self->seed);
  /* Faults draw from their own generator, so they never shift the status walk. */
  self->fault_rand = g_rand_new_with_seed (self->seed ^ 0x5eedfa17u);
  if (self->reboot_ms == G_MAXUINT)
    self->reboot_ms = atc_model_get_reboot_ms (self->model);
  set_auto_clock (self, self->auto_clock);
}

static void
atc_simulator_dispose (GObject *object)
{
  AtcSimulator *self = ATC_SIMULATOR (object);

  detach_link (self);
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
  clear_output (self);
  clear_source (&self->frame_timer);
  clear_source (&self->handshake_timer);
  clear_source (&self->reboot_timer);
  clear_source (&self->clock_timer);

  G_OBJECT_CLASS (atc_simulator_parent_class)->dispose (object);
}

static void
atc_simulator_finalize (GObject *object)
{
  AtcSimulator *self = ATC_SIMULATOR (object);

  g_clear_object (&self->unit);
  g_clear_object (&self->model);
  g_clear_pointer (&self->fault_rand, g_rand_free);
  g_clear_pointer (&self->frame, g_byte_array_unref);
  g_clear_pointer (&self->line, g_byte_array_unref);
  g_clear_pointer (&self->data, g_byte_array_unref);
  g_clear_pointer (&self->log, g_ptr_array_unref);
  g_clear_pointer (&self->pty_path, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (atc_simulator_parent_class)->finalize (object);
}

static void
atc_simulator_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AtcSimulator *self = ATC_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_LATENCY_MS:
      g_value_set_uint (value, self->latency_ms);
      break;
    case PROP_REBOOT_MS:
      g_value_set_uint (value, self->reboot_ms);
      break;
    case PROP_HANDSHAKE_WINDOW_MS:
      g_value_set_uint (value, self->handshake_window_ms);
      break;
    case PROP_BAUD:
      g_value_set_uint (value, self->unit != NULL ? atc_sim_unit_get_baud (self->unit) : 0);
      break;
    case PROP_HOST_BAUD:
      g_value_set_uint (value, self->host_baud);
      break;
    case PROP_PACE:
      g_value_set_boolean (value, self->pace);
      break;
    case PROP_AUTO_CLOCK:
      g_value_set_boolean (value, self->auto_clock);
      break;
    case PROP_ERROR_STYLE:
      g_value_set_enum (value, self->unit != NULL ? atc_sim_unit_get_error_style (self->unit)
                                                  : ATC_SIM_ERROR_STYLE_DEFAULT);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_simulator_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AtcSimulator *self = ATC_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      self->model = g_value_dup_object (value);
      break;
    case PROP_SEED:
      self->seed = g_value_get_uint (value);
      break;
    case PROP_LATENCY_MS:
      self->latency_ms = g_value_get_uint (value);
      break;
    case PROP_REBOOT_MS:
      self->reboot_ms = g_value_get_uint (value);
      if (self->reboot_ms == G_MAXUINT && self->model != NULL)
        self->reboot_ms = atc_model_get_reboot_ms (self->model);
      break;
    case PROP_HANDSHAKE_WINDOW_MS:
      self->handshake_window_ms = g_value_get_uint (value);
      break;
    case PROP_BAUD:
      {
        g_autoptr(GError) error = NULL;

        if (self->unit != NULL && !atc_sim_unit_set_baud (self->unit, g_value_get_uint (value), &error))
          g_warning ("Simulator: %s", error->message);
      }
      break;
    case PROP_HOST_BAUD:
      self->host_baud = g_value_get_uint (value);
      break;
    case PROP_PACE:
      self->pace = g_value_get_boolean (value);
      break;
    case PROP_AUTO_CLOCK:
      if (self->unit != NULL)
        set_auto_clock (self, g_value_get_boolean (value));
      else
        self->auto_clock = g_value_get_boolean (value);
      break;
    case PROP_ERROR_STYLE:
      if (self->unit != NULL)
        atc_sim_unit_set_error_style (self->unit, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_simulator_class_init (AtcSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = atc_simulator_constructed;
  object_class->dispose = atc_simulator_dispose;
  object_class->finalize = atc_simulator_finalize;
  object_class->get_property = atc_simulator_get_property;
  object_class->set_property = atc_simulator_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, ATC_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, ATC_TYPE_SIM_MODE, ATC_SIM_MODE_TRANSPARENT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Delay before each reply; the echo is immediate, as a UART's is. */
  properties[PROP_LATENCY_MS] =
    g_param_spec_uint ("latency-ms", NULL, NULL, 0, 60000, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* How long a restart keeps the unit silent; G_MAXUINT: the model's. */
  properties[PROP_REBOOT_MS] =
    g_param_spec_uint ("reboot-ms", NULL, NULL, 0, G_MAXUINT, G_MAXUINT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /* How long the unit waits for the host's 'a' (3 s on the units). */
  properties[PROP_HANDSHAKE_WINDOW_MS] =
    g_param_spec_uint ("handshake-window-ms", NULL, NULL, 1, 600000,
                       DEFAULT_HANDSHAKE_WINDOW_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_BAUD] =
    g_param_spec_uint ("baud", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HOST_BAUD] =
    g_param_spec_uint ("host-baud", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* Emulate the wire at the unit's baud rate, ten bits a byte, both ways:
   * the unit acts on the host's bytes once they are all in, and what it
   * sends reaches the host when the wire would have delivered it. */
  properties[PROP_PACE] =
    g_param_spec_boolean ("pace", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* The virtual clock follows real time, one step a second. */
  properties[PROP_AUTO_CLOCK] =
    g_param_spec_boolean ("auto-clock", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_STYLE] =
    g_param_spec_enum ("error-style", NULL, NULL, ATC_TYPE_SIM_ERROR_STYLE,
                       ATC_SIM_ERROR_STYLE_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After each command line: (AtcSimLogEntry *entry), owned by the log. */
  signals[SIGNAL_COMMAND_EXECUTED] =
    g_signal_new ("command-executed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* A transparent frame reached the network side: (GBytes *frame). */
  signals[SIGNAL_DATA_RECEIVED] =
    g_signal_new ("data-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  /* A host connected (TRUE) or the link went away (FALSE). */
  signals[SIGNAL_LINK_CHANGED] =
    g_signal_new ("link-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
atc_simulator_init (AtcSimulator *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->mode = ATC_SIM_MODE_TRANSPARENT;
  self->frame = g_byte_array_new ();
  self->line = g_byte_array_new ();
  self->data = g_byte_array_new ();
  self->log = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_sim_log_entry_free);
  self->reboot_ms = G_MAXUINT;
  self->handshake_window_ms = DEFAULT_HANDSHAKE_WINDOW_MS;
  self->auto_clock = TRUE;
  g_queue_init (&self->out_queue);
}
