/* atc-simulator.h: a simulated USR-G781 or USR-M0 on the unit end of a byte link
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AtcSimulator behaves as the documents in the spec folder describe a
 * unit: it boots in transparent mode, enters command mode only through the
 * strict "+++" / "a" / "a" / "+ok" handshake framed by silence, echoes and
 * answers commands in its model's dialect, takes "<password>AT+CMD" packets
 * in transparent mode (G781), reboots (going silent for reboot-ms) and
 * reports a seeded, reproducible live status. Everything else the host
 * sends in transparent mode is data for the network side, kept in a sink
 * tests can read.
 *
 * It talks over any GIOStream (atc_simulator_attach_stream()), a pty it
 * opens (atc_simulator_open_pty()) or one TCP client on loopback
 * (atc_simulator_listen_tcp()). All of its I/O and timers run on the
 * thread-default main context of the thread that created it.
 *
 * Properties: "model", "seed" (construct-only); "mode" (read-only);
 * "latency-ms" (delay before each reply, 0), "reboot-ms" (the model's),
 * "handshake-window-ms" (3000), "baud" (the unit's UART rate), "host-baud"
 * (0: same as the unit), "pace" (emulate the wire's rate both ways, FALSE),
 * "auto-clock" (the virtual clock follows real time, TRUE), "error-style".
 * Signals: ::command-executed (AtcSimLogEntry *entry), ::data-received
 * (GBytes *frame), ::link-changed (gboolean attached).
 */
#pragma once

#include <gio/gio.h>

#include "atc-model.h"
#include "atc-sim-faults.h"
#include "atc-sim-unit.h"

G_BEGIN_DECLS

typedef enum {
  ATC_SIM_MODE_TRANSPARENT, /* data mode: bytes go to the network side */
  ATC_SIM_MODE_HANDSHAKE,   /* sent 'a' after "+++", waiting for the host's 'a' */
  ATC_SIM_MODE_COMMAND,     /* AT command mode */
  ATC_SIM_MODE_REBOOTING,   /* restarting: input is ignored */
} AtcSimMode;

GType atc_sim_mode_get_type (void) G_GNUC_CONST;
#define ATC_TYPE_SIM_MODE (atc_sim_mode_get_type ())

/* One command line the unit executed. Secrets are shown as •••. */
typedef struct {
  gint64    time_us;      /* g_get_monotonic_time() when it was executed */
  guint64   clock_ms;     /* the unit's virtual clock at that moment */
  char     *line;         /* the line without its ending (nor the password prefix) */
  char     *reply;        /* the reply as the unit framed it, before wire faults */
  AtcSimErr error;        /* ATC_SIM_ERR_NONE when accepted */
  gboolean  transparent;  /* came as "<password>AT+..." in transparent mode */
} AtcSimLogEntry;

#define ATC_TYPE_SIMULATOR (atc_simulator_get_type ())
G_DECLARE_FINAL_TYPE (AtcSimulator, atc_simulator, ATC, SIMULATOR, GObject)

AtcSimulator    *atc_simulator_new              (AtcModel            *model,
                                                 guint32              seed);
/* "g781" or "m0" from the built-in catalog. */
AtcSimulator    *atc_simulator_new_for_model_id (const char          *model_id,
                                                 guint32              seed,
                                                 GError             **error);

AtcModel        *atc_simulator_get_model        (AtcSimulator        *self);
AtcSimUnit      *atc_simulator_get_unit         (AtcSimulator        *self);
AtcSimMode       atc_simulator_get_mode         (AtcSimulator        *self);

/* --- Exposure ----------------------------------------------------------- */

/* Talk over `stream` (the unit's end of the link), replacing any link the
 * simulator had. The simulator closes it when the link drops. */
void             atc_simulator_attach_stream    (AtcSimulator        *self,
                                                 GIOStream           *stream);
/* Close the current link now, as an unplugged cable would. */
void             atc_simulator_disconnect       (AtcSimulator        *self);
gboolean         atc_simulator_is_attached      (AtcSimulator        *self);
/* Open a pseudo-terminal in raw mode and serve its master end; returns the
 * slave path (/dev/pts/N) for the host to open. */
const char      *atc_simulator_open_pty         (AtcSimulator        *self,
                                                 GError             **error);
const char      *atc_simulator_get_pty_path     (AtcSimulator        *self);
/* Listen on 127.0.0.1:port (0 picks one) for one client at a time; a
 * reboot drops the client, as a unit restarting its network would.
 * Returns the port, 0 on error. */
guint16          atc_simulator_listen_tcp       (AtcSimulator        *self,
                                                 guint16              port,
                                                 GError             **error);

/* --- The unit's state --------------------------------------------------- */

/* Readable values of any command, as the unit would answer them. */
char           **atc_simulator_dup_values       (AtcSimulator        *self,
                                                 const char          *command,
                                                 GError             **error);
/* Preset a setting, validated as AT+CMD=... would be. */
gboolean         atc_simulator_set_values       (AtcSimulator        *self,
                                                 const char          *command,
                                                 const char *const   *values,
                                                 GError             **error);
/* Restart as a power cycle would: silent for reboot-ms, settings kept. */
void             atc_simulator_power_cycle      (AtcSimulator        *self);

/* Live status on the virtual clock. With auto-clock the clock follows real
 * time; without it only atc_simulator_advance() moves it. */
void             atc_simulator_advance          (AtcSimulator        *self,
                                                 guint                ms);
guint64          atc_simulator_get_clock_ms     (AtcSimulator        *self);
void             atc_simulator_get_status       (AtcSimulator        *self,
                                                 AtcSimStatus        *status);
/* Pin the status (it stops wandering); NULL lets it wander again. */
void             atc_simulator_set_status       (AtcSimulator        *self,
                                                 const AtcSimStatus  *status);

/* --- What happened ------------------------------------------------------ */

/* AtcSimLogEntry*, oldest first; owned by the simulator. The log keeps
 * the newest 10000 entries; the count counts them all. */
GPtrArray       *atc_simulator_get_log          (AtcSimulator        *self);
guint            atc_simulator_get_command_count(AtcSimulator        *self);
/* Bytes read from and written to the host over the links since the
 * simulator was made (not reset by clear_log): what crossed the wire. */
void             atc_simulator_get_byte_counts  (AtcSimulator        *self,
                                                 guint64             *from_host,
                                                 guint64             *to_host);
void             atc_simulator_clear_log        (AtcSimulator        *self);
/* Transparent data that reached the network side (the newest MiB). */
GBytes          *atc_simulator_dup_data         (AtcSimulator        *self);
void             atc_simulator_clear_data       (AtcSimulator        *self);

/* --- Wire realism and faults -------------------------------------------- */

void             atc_simulator_set_faults       (AtcSimulator        *self,
                                                 const AtcSimFaults  *faults);
void             atc_simulator_get_faults       (AtcSimulator        *self,
                                                 AtcSimFaults        *faults);
void             atc_simulator_set_latency_ms   (AtcSimulator        *self,
                                                 guint                latency_ms);
void             atc_simulator_set_reboot_ms    (AtcSimulator        *self,
                                                 guint                reboot_ms);
void             atc_simulator_set_handshake_window_ms (AtcSimulator *self,
                                                        guint         window_ms);
/* The unit's UART rate (saved AT+UART baud, applied now). */
gboolean         atc_simulator_set_baud         (AtcSimulator        *self,
                                                 guint                baud,
                                                 GError             **error);
guint            atc_simulator_get_baud         (AtcSimulator        *self);
/* The rate the host's end runs at on links without termios; 0: the same
 * as the unit. On a pty the host's termios speed is read instead. */
void             atc_simulator_set_host_baud    (AtcSimulator        *self,
                                                 guint                baud);
void             atc_simulator_set_error_style  (AtcSimulator        *self,
                                                 AtcSimErrorStyle     style);

void             atc_sim_log_entry_free         (AtcSimLogEntry      *entry);

G_END_DECLS
