/* atc-model.h: one unit model's AT command set, loaded from a catalog JSON file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalog (data/catalog/<model>.json) is the one source of truth for
 * commands, parameters, ranges, defaults and groups. An AtcModel owns the
 * AtcCommand and AtcParam records below; they are read-only and live as long
 * as the model.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How a model frames its replies. */
typedef enum {
  ATC_DIALECT_COLON,   /* G7xx: "+CMD:value" then "OK"; errors "ERRn"/"ERROR" */
  ATC_DIALECT_PLUS_OK, /* M0:   "+OK=value" or "+OK"; errors "+ERR=-n" */
} AtcDialect;

typedef enum {
  ATC_PARAM_ENUM,      /* one of a list of words */
  ATC_PARAM_INT,       /* integer within [min, max] */
  ATC_PARAM_STRING,    /* text of min..max bytes after decoding */
  ATC_PARAM_HEX,       /* hex digits, even count, min..max hex characters */
  ATC_PARAM_IPV4,      /* dotted quad */
  ATC_PARAM_HOST,      /* IPv4 address or DNS name */
  ATC_PARAM_PORT,      /* integer within [min, max], usually 1..65535 */
  ATC_PARAM_MAC,       /* 12 hex digits, first byte even (unicast) */
} AtcParamType;

/* How a free-text value travels on the wire (see protocol-notes.md). */
typedef enum {
  ATC_ESCAPE_NONE,      /* sent as is; unsafe characters are refused */
  ATC_ESCAPE_BRACKETS,  /* '=' ',' '?' CR LF as [3D] [2C] [3F] [0D] [0A] */
  ATC_ESCAPE_CRLF_TOKEN,/* CR LF pair as <<CRLF>>, the rest as brackets (M0 HTPHEAD) */
} AtcEscape;

typedef enum {
  ATC_ACCESS_QUERY   = 1 << 0,
  ATC_ACCESS_SET     = 1 << 1,
  ATC_ACCESS_EXECUTE = 1 << 2,
} AtcAccess;

typedef struct {
  char        *name;          /* identifier, e.g. "baud_rate" */
  char        *label;         /* short label for forms, e.g. "Baud rate" */
  AtcParamType type;
  char       **choices;       /* ATC_PARAM_ENUM: the wire words, canonical spelling */
  char       **choice_labels; /* ATC_PARAM_ENUM: labels parallel to choices, or NULL */
  gint64       min;           /* INT/PORT: value; STRING/HEX: length */
  gint64       max;
  char        *unit;          /* "ms", "s", "bytes" or NULL */
  char        *default_value; /* readable (decoded) form, or NULL when none */
  AtcEscape    escape;
  gboolean     secret;        /* never logged; profiles hold it only on request */
  gboolean     ascii_only;    /* refuse bytes >= 0x80 */
  char        *description;   /* one line for the UI */
  gboolean     default_outside_range; /* the document's default breaks its own range
                                       * (G781 CMDPW): validation accepts that exact
                                       * value, the range still binds every other */
} AtcParam;

typedef struct {
  char        *name;          /* wire name without "AT+", e.g. "UART"; "" for plain AT */
  char       **aliases;       /* other spellings a unit may print, e.g. "HEART SND" */
  char        *group;         /* group id, see atc_model_get_groups() */
  AtcAccess    access;
  GPtrArray   *params;        /* AtcParam*, in wire order */
  GPtrArray   *reply_orders;  /* extra field orders to accept in replies: GStrv of param names */
  char        *query_command; /* command to send for the query when it differs (USERMAC -> MAC) */
  gboolean     live_status;   /* CSQ, NETMODE, SOCKxLK, SOCKLK */
  gboolean     identity;      /* read-only facts: VER, SN, ICCID, IMEI, MAC */
  gboolean     reboots;       /* the unit restarts after it (Z, R, RELD, CLEAR) */
  gboolean     leaves_command_mode; /* ENTM */
  gboolean     multiline;     /* reply has many lines ended by OK or silence (H) */
  guint        timeout_ms;
  char        *description;
  char        *note;          /* which reading of the document was chosen, and why */
  char        *execute_reply; /* value an execute answers with (M0 RELD: "rebooting..."), or NULL */
  gboolean     per_unit;      /* belongs to one unit (USERMAC, CLOUD): profiles never copy it */
} AtcCommand;

typedef struct {
  char *id;                   /* e.g. "uart" */
  char *title;                /* as the document groups it, e.g. "UART and socket" */
} AtcGroup;

#define ATC_TYPE_MODEL (atc_model_get_type ())
G_DECLARE_FINAL_TYPE (AtcModel, atc_model, ATC, MODEL, GObject)

AtcModel          *atc_model_new_from_bytes        (GBytes        *json,
                                                    GError       **error);
AtcModel          *atc_model_new_from_file         (const char    *path,
                                                    GError       **error);
const char        *atc_model_get_id                (AtcModel      *self);
const char        *atc_model_get_name              (AtcModel      *self);
const char        *atc_model_get_firmware          (AtcModel      *self);
AtcDialect         atc_model_get_dialect           (AtcModel      *self);
const char        *atc_model_get_line_ending       (AtcModel      *self);
const char        *atc_model_get_welcome           (AtcModel      *self);
guint              atc_model_get_default_timeout_ms(AtcModel      *self);
guint              atc_model_get_reboot_ms         (AtcModel      *self);
const guint       *atc_model_get_baud_rates        (AtcModel      *self,
                                                    guint         *n_rates);
const char        *atc_model_get_command_password  (AtcModel      *self);
const char        *atc_model_get_password_command  (AtcModel      *self);
const char        *atc_model_get_save_command      (AtcModel      *self);
const char        *atc_model_get_restart_command   (AtcModel      *self);
GPtrArray         *atc_model_get_groups            (AtcModel      *self);
GPtrArray         *atc_model_get_commands          (AtcModel      *self);
const AtcCommand  *atc_model_lookup                (AtcModel      *self,
                                                    const char    *name);
const AtcParam    *atc_command_lookup_param        (const AtcCommand *command,
                                                    const char    *name);
gboolean           atc_command_has_secret          (const AtcCommand *command);
/* Queried and set, not live status nor identity: what a configuration reads
 * and writes. Check per_unit before copying it to another unit. */
gboolean           atc_command_is_setting          (const AtcCommand *command);

/* Additions beyond the first contract. */
const char        *atc_model_get_document          (AtcModel      *self);
const AtcGroup    *atc_model_lookup_group          (AtcModel      *self,
                                                    const char    *group_id);
/* Behaviours listed under "quirks" in the catalog (data/catalog/README.md). */
gboolean           atc_model_has_quirk             (AtcModel      *self,
                                                    const char    *quirk);
/* Detection: the command whose value tells the firmware ("VER"), and
 * whether a value of it looks like this model's firmware. */
const char        *atc_model_get_version_command   (AtcModel      *self);
gboolean           atc_model_matches_version       (AtcModel      *self,
                                                    const char    *version);
/* The label of an enum word (matched case-insensitively), or NULL. */
const char        *atc_param_get_choice_label      (const AtcParam *param,
                                                    const char     *value);
gboolean           atc_command_can                 (const AtcCommand *command,
                                                    AtcAccess         access);

G_END_DECLS
