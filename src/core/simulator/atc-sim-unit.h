/* atc-sim-unit.h: the command interpreter and state of a simulated unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AtcSimUnit is what sits behind a unit's AT interpreter: its settings
 * (the catalog's defaults at first), its identity (firmware from the
 * catalog, serial numbers from the seed) and its live status (a seeded
 * random walk on a virtual clock). It turns one command line into the
 * reply bytes of the model's dialect. It does no I/O and knows nothing of
 * transparent mode or timing: AtcSimulator does that around it.
 */
#pragma once

#include <glib-object.h>

#include "atc-model.h"
#include "atc-signal.h"

G_BEGIN_DECLS

/* How the unit words an error reply. */
typedef enum {
  ATC_SIM_ERROR_STYLE_DEFAULT,         /* the model's own: "ERR4" (G781), "+ERR=-4" (M0) */
  ATC_SIM_ERROR_STYLE_ERR,             /* "ERR4" */
  ATC_SIM_ERROR_STYLE_PLUS_ERR_COLON,  /* "+ERR:4" */
  ATC_SIM_ERROR_STYLE_ERROR,           /* "ERROR" */
  ATC_SIM_ERROR_STYLE_PLUS_ERR_EQUALS, /* "+ERR=-4" */
} AtcSimErrorStyle;

GType atc_sim_error_style_get_type (void) G_GNUC_CONST;
#define ATC_TYPE_SIM_ERROR_STYLE (atc_sim_error_style_get_type ())

/* Error numbers as both documents number them (the M0 sends them negated). */
typedef enum {
  ATC_SIM_ERR_NONE    = 0,
  ATC_SIM_ERR_FORMAT  = 1, /* not an AT command line */
  ATC_SIM_ERR_COMMAND = 2, /* no such command */
  ATC_SIM_ERR_FORM    = 3, /* the command has no such query/set form */
  ATC_SIM_ERR_PARAM   = 4, /* a value does not fit its parameter */
  ATC_SIM_ERR_DENIED  = 5, /* the setting cannot be made */
} AtcSimErr;

/* What the simulator must do once the reply is on its way. */
typedef enum {
  ATC_SIM_EFFECT_NONE,
  ATC_SIM_EFFECT_LEAVE,   /* back to transparent mode (ENTM) */
  ATC_SIM_EFFECT_REBOOT,  /* restart (Z, R, RELD, CLEAR) */
} AtcSimEffect;

#define ATC_SIM_MAX_LINKS 4

/* The live status, as the unit's network side sees it. */
typedef struct {
  int        csq;                       /* on the scale of net_mode; 99 unknown */
  AtcNetMode net_mode;
  gboolean   links[ATC_SIM_MAX_LINKS];  /* socket A..D (G781), the one socket (M0) */
} AtcSimStatus;

/* One executed line, as it may be shown: secrets replaced by •••. */
typedef struct {
  char     *line;          /* the command line as received, redacted */
  char     *reply;         /* the reply text, redacted, without framing CR LF */
  AtcSimErr error;         /* ATC_SIM_ERR_NONE when the unit accepted it */
  AtcSimEffect effect;
} AtcSimOutcome;

/* Shown in place of a secret value. */
#define ATC_SIM_REDACTED "•••"

#define ATC_TYPE_SIM_UNIT (atc_sim_unit_get_type ())
G_DECLARE_FINAL_TYPE (AtcSimUnit, atc_sim_unit, ATC, SIM_UNIT, GObject)

AtcSimUnit       *atc_sim_unit_new               (AtcModel           *model,
                                                  guint32             seed);
AtcModel         *atc_sim_unit_get_model         (AtcSimUnit         *self);
guint32           atc_sim_unit_get_seed          (AtcSimUnit         *self);
void              atc_sim_unit_set_error_style   (AtcSimUnit         *self,
                                                  AtcSimErrorStyle    style);
AtcSimErrorStyle  atc_sim_unit_get_error_style   (AtcSimUnit         *self);

/* Runs one command line (no line ending). Appends the reply bytes, framed
 * as the model frames them, to `reply`; fills `outcome` (free its strings
 * with atc_sim_outcome_clear()). */
AtcSimEffect      atc_sim_unit_execute           (AtcSimUnit         *self,
                                                  const char         *line,
                                                  GString            *reply,
                                                  AtcSimOutcome      *outcome);
void              atc_sim_outcome_clear          (AtcSimOutcome      *outcome);
/* The framed error reply for a line the unit could not even read. */
void              atc_sim_unit_append_error      (AtcSimUnit         *self,
                                                  AtcSimErr           error,
                                                  GString            *reply);
/* The line with the values of secret parameters replaced by •••. */
char             *atc_sim_unit_redact_line       (AtcSimUnit         *self,
                                                  const char         *line);

gboolean          atc_sim_unit_get_echo          (AtcSimUnit         *self);
/* The command password in force (CMDPW), or NULL when the model has none. */
const char       *atc_sim_unit_get_password      (AtcSimUnit         *self);
/* What the unit prints as it boots (STMSG), or NULL when it prints nothing. */
char             *atc_sim_unit_dup_welcome       (AtcSimUnit         *self);

/* Settings that the unit applies only when it starts (the documents:
 * "restart the USR device to make the settings take effect"): the UART
 * baud rate and the packing interval. */
void              atc_sim_unit_boot              (AtcSimUnit         *self);
guint             atc_sim_unit_get_baud          (AtcSimUnit         *self);
/* Sets the saved AT+UART baud rate and applies it now, as if the unit had
 * been configured and restarted. FALSE if the model cannot use it. */
gboolean          atc_sim_unit_set_baud          (AtcSimUnit         *self,
                                                  guint               baud,
                                                  GError            **error);
guint             atc_sim_unit_get_packing_ms    (AtcSimUnit         *self);

/* Readable values (escapes decoded) of a command, in parameter order: what
 * the unit would answer to a query, settings, identity or live status. A
 * command read through another (USERMAC) gives that one's (MAC). */
char            **atc_sim_unit_dup_values        (AtcSimUnit         *self,
                                                  const char         *command,
                                                  GError            **error);
/* Validates and stores setting values as AT+CMD=... would. */
gboolean          atc_sim_unit_set_values        (AtcSimUnit         *self,
                                                  const char         *command,
                                                  const char *const  *values,
                                                  GError            **error);

/* Live status on the virtual clock. */
guint64           atc_sim_unit_get_clock_ms      (AtcSimUnit         *self);
void              atc_sim_unit_advance           (AtcSimUnit         *self,
                                                  guint               ms);
/* The truth the unit reports now (links of disabled sockets are down). */
void              atc_sim_unit_get_status        (AtcSimUnit         *self,
                                                  AtcSimStatus       *status);
/* Pins the status: it stops wandering until unpinned with NULL. */
void              atc_sim_unit_set_status        (AtcSimUnit         *self,
                                                  const AtcSimStatus *status);
guint             atc_sim_unit_get_n_links       (AtcSimUnit         *self);

G_END_DECLS
