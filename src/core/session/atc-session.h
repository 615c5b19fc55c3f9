/* atc-session.h: one conversation with one unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AtcSession owns a transport and speaks the AT protocol over it: it
 * enters command mode (probe with "AT", else guard silence, "+++", "a",
 * "a", "+ok"), runs one command at a time with the rest queued in order,
 * applies per-command timeouts from the catalog, retries idempotent queries,
 * follows the unit through reboots, and records a transaction log with
 * secrets redacted. In password mode it sends "<password>AT+CMD" over the
 * transparent channel instead and never leaves data mode.
 *
 * Values are in readable form (escapes decoded), in the command's parameter
 * order, exactly as atc_codec_parse_value() / atc_command_validate() use
 * them.
 *
 * Behaviour callers rely on:
 * - Operations (connect, detect, query, set, execute, send_line) queue in
 *   call order; a command queued before connect_async() finishes waits for
 *   it. A command in DATA_MODE (after ENTM or a failed restart) enters
 *   command mode first by itself.
 * - Cancelling a queued operation removes it (the unit never sees it);
 *   cancelling the one in flight answers G_IO_ERROR_CANCELLED at once and
 *   the line is drained before the next command.
 * - When the link goes away every pending operation fails with
 *   ATC_ERROR_DISCONNECTED at once, the state becomes DISCONNECTED and
 *   ::disconnected is emitted; later commands fail at once until
 *   connect_async() reopens the link. A link lost while the unit restarts
 *   is reopened instead.
 * - Errors: ATC_ERROR_TIMEOUT (queries are tried 3 times, sets and
 *   restarts once), ATC_ERROR_UNIT_ERROR (the unit's raw text and its
 *   meaning), ATC_ERROR_HANDSHAKE, ATC_ERROR_DISCONNECTED,
 *   ATC_ERROR_UNKNOWN_COMMAND / NOT_SUPPORTED / INVALID_VALUE before
 *   anything is sent. Messages quote commands with secrets as "•••".
 *
 * Signal ::disconnected (const GError *error).
 * Properties: state (notify), model, firmware, password-mode, timeout-scale.
 */
#pragma once

#include <gio/gio.h>

#include "atc-model.h"
#include "atc-reply-parser.h"
#include "atc-transaction-log.h"
#include "atc-transport.h"

G_BEGIN_DECLS

typedef enum {
  ATC_SESSION_CLOSED,        /* transport not open */
  ATC_SESSION_OPENING,       /* opening the transport */
  ATC_SESSION_DATA_MODE,     /* link open, unit in transparent mode */
  ATC_SESSION_ENTERING,      /* handshake under way */
  ATC_SESSION_COMMAND_MODE,  /* ready for commands */
  ATC_SESSION_PASSWORD_MODE, /* commands go over the data channel with the password */
  ATC_SESSION_REBOOTING,     /* a reboot command was accepted; waiting for the unit */
  ATC_SESSION_DISCONNECTED,  /* the link went away; see ::disconnected */
} AtcSessionState;

#define ATC_TYPE_SESSION_STATE (atc_session_state_get_type ())
GType       atc_session_state_get_type  (void) G_GNUC_CONST;
/* "Command mode", "Restarting": for a status line (translated). */
const char *atc_session_state_to_string (AtcSessionState state);

/* What detection found. */
typedef struct {
  AtcModel *model;
  char     *firmware;        /* VER value */
  guint     baud;            /* the rate that answered, 0 when not serial */
  gboolean  echo;            /* the unit echoes commands */
} AtcDetection;

#define ATC_TYPE_SESSION (atc_session_get_type ())
G_DECLARE_FINAL_TYPE (AtcSession, atc_session, ATC, SESSION, GObject)

AtcSession        *atc_session_new                   (AtcTransport        *transport);
/* Parses the address (atc-address.h) and builds the transport, demo
 * addresses included (atc_device_new_transport()). */
AtcSession        *atc_session_new_for_address       (const char          *address,
                                                      GError             **error);

AtcTransport      *atc_session_get_transport         (AtcSession          *self);
AtcSessionState    atc_session_get_state             (AtcSession          *self);
/* NULL until set or detected. Setting it picks dialect, timeouts, escapes. */
AtcModel          *atc_session_get_model             (AtcSession          *self);
void               atc_session_set_model             (AtcSession          *self,
                                                      AtcModel            *model);
const char        *atc_session_get_firmware          (AtcSession          *self);
AtcTransactionLog *atc_session_get_log               (AtcSession          *self);
/* Command-password mode (G781): commands are sent as "<password>AT+CMD"
 * over the transparent channel. NULL turns it off. */
void               atc_session_set_command_password  (AtcSession          *self,
                                                      const char          *password);
gboolean           atc_session_get_password_mode     (AtcSession          *self);
/* Scale for every timeout and for the reboot wait (tests and slow links);
 * 1.0 by default. Quiet periods that decide which bytes belong to which
 * reply only grow with it, never shrink. */
void               atc_session_set_timeout_scale     (AtcSession          *self,
                                                      double               scale);

/* Open the transport and reach command mode (or password mode). */
void               atc_session_connect_async         (AtcSession          *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean           atc_session_connect_finish        (AtcSession          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Find the model and firmware from the replies (dialect, VER); on a serial
 * link with no answer, try the catalog's baud rates. Connects if needed. */
void               atc_session_detect_async          (AtcSession          *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AtcDetection      *atc_session_detect_finish         (AtcSession          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Query a command: the readable values in parameter order. */
void               atc_session_query_async           (AtcSession          *self,
                                                      const char          *command,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GStrv              atc_session_query_finish          (AtcSession          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Validate, escape and send "AT+CMD=v1,v2". Unit errors come back as
 * ATC_ERROR_UNIT_ERROR with the unit's raw text and the catalog's
 * explanation. */
void               atc_session_set_async             (AtcSession          *self,
                                                      const char          *command,
                                                      const char *const   *values,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean           atc_session_set_finish            (AtcSession          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Run an execute command (Z, R, RELD, CLEAR, CFGTF, ENTM, H ...). For
 * commands that reboot the unit it completes once the unit is back in
 * command mode (or with an error saying it did not come back). */
void               atc_session_execute_async         (AtcSession          *self,
                                                      const char          *command,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AtcReply          *atc_session_execute_finish        (AtcSession          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* A raw line typed in a console, sent as is after checks that it is one
 * line; the reply is returned whatever it says. */
void               atc_session_send_line_async       (AtcSession          *self,
                                                      const char          *line,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AtcReply          *atc_session_send_line_finish      (AtcSession          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Save and restart the unit (the model's restart command), wait for it and
 * re-enter command mode. */
void               atc_session_restart_async         (AtcSession          *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean           atc_session_restart_finish        (AtcSession          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* AT+ENTM: back to transparent mode. */
void               atc_session_leave_async           (AtcSession          *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean           atc_session_leave_finish          (AtcSession          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Fails every queued command with G_IO_ERROR_CANCELLED and closes the link. */
void               atc_session_close                 (AtcSession          *self);

void               atc_detection_free                (AtcDetection        *detection);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcDetection, atc_detection_free)

G_END_DECLS
