/* atc-config.h: one unit's configuration, as a form edits it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AtcConfig holds, for one model, a value for every parameter of every
 * setting (atc_command_is_setting(): set access, not live status, not an
 * execute or reboot command), each with where it came from and whether it
 * passes the catalog's validation, plus the identity facts (VER, SN, ICCID,
 * IMEI, MAC) as read-only text.
 *
 * Values are in readable form (escapes decoded, hex as hex digits), the
 * form AtcSession and atc_param_validate() use. A valid value is stored in
 * its canonical spelling; an invalid one is kept as typed, with its error,
 * so a form never loses what the technician entered.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atc-model.h"

G_BEGIN_DECLS

typedef enum {
  ATC_VALUE_SOURCE_NONE,     /* no value: no catalog default and never read */
  ATC_VALUE_SOURCE_DEFAULT,  /* the catalog's default */
  ATC_VALUE_SOURCE_UNIT,     /* read from the unit */
  ATC_VALUE_SOURCE_EDITED,   /* typed by the user */
  ATC_VALUE_SOURCE_PROFILE,  /* loaded from a profile or script */
} AtcValueSource;

/* Masks a secret wherever Atconf prints one. */
#define ATC_SECRET_MASK "•••"

#define ATC_TYPE_CONFIG (atc_config_get_type ())
G_DECLARE_FINAL_TYPE (AtcConfig, atc_config, ATC, CONFIG, GObject)

/* Every value starts at the catalog default (ATC_VALUE_SOURCE_DEFAULT) or
 * without a value when the catalog has none. */
AtcConfig         *atc_config_new               (AtcModel           *model);
/* An independent copy: values, sources, errors, read errors and facts. */
AtcConfig         *atc_config_copy              (AtcConfig          *self);
AtcModel          *atc_config_get_model         (AtcConfig          *self);

/* The settings, in catalog order: const AtcCommand*. */
GPtrArray         *atc_config_get_commands      (AtcConfig          *self);
/* NULL when `command` is not a setting of this model. */
const AtcCommand  *atc_config_lookup_command    (AtcConfig          *self,
                                                 const char         *command);

/* NULL when there is no value (ATC_VALUE_SOURCE_NONE). */
const char        *atc_config_get_value         (AtcConfig          *self,
                                                 const char         *command,
                                                 const char         *param);
AtcValueSource     atc_config_get_source        (AtcConfig          *self,
                                                 const char         *command,
                                                 const char         *param);
/* The validation error of the stored value, or NULL when it is valid. */
const GError      *atc_config_get_value_error   (AtcConfig          *self,
                                                 const char         *command,
                                                 const char         *param);
/* Stores `value` (NULL clears it). Returns FALSE with the validation error
 * when the value does not fit its parameter; the value is stored anyway,
 * marked invalid. Unknown command or parameter: FALSE, nothing stored.
 * Emits ::changed when the stored value or its source changes. */
gboolean           atc_config_set_value         (AtcConfig          *self,
                                                 const char         *command,
                                                 const char         *param,
                                                 const char         *value,
                                                 AtcValueSource      source,
                                                 GError            **error);
/* All parameters of a command in wire order; NULL when one has no value. */
GStrv              atc_config_get_values        (AtcConfig          *self,
                                                 const char         *command);
/* Stores one value per parameter (the count must match). Stores every
 * value, valid or not, and reports the first problem. */
gboolean           atc_config_set_values        (AtcConfig          *self,
                                                 const char         *command,
                                                 const char *const  *values,
                                                 AtcValueSource      source,
                                                 GError            **error);
/* TRUE when every parameter of the command has a value. */
gboolean           atc_config_has_values        (AtcConfig          *self,
                                                 const char         *command);

/* Why reading the command from the unit failed, or NULL. Setting it
 * leaves the values as they were. */
const GError      *atc_config_get_read_error    (AtcConfig          *self,
                                                 const char         *command);
void               atc_config_set_read_error    (AtcConfig          *self,
                                                 const char         *command,
                                                 const GError       *error);
/* Settings whose read failed, in catalog order (command names). */
GStrv              atc_config_get_failed_reads  (AtcConfig          *self);

/* Identity facts: the identity commands of the model, in catalog order. */
GPtrArray         *atc_config_get_fact_commands (AtcConfig          *self);
const char        *atc_config_get_fact          (AtcConfig          *self,
                                                 const char         *command);
/* Emits ::changed with a NULL param. */
void               atc_config_set_fact          (AtcConfig          *self,
                                                 const char         *command,
                                                 const char         *value);

/* TRUE when every value is present and valid; otherwise FALSE with an
 * ATC_ERROR_INVALID_VALUE listing every problem, one per line, secrets
 * masked. */
gboolean           atc_config_validate          (AtcConfig          *self,
                                                 GError            **error);
/* The current values of every secret parameter, for redacting text. */
GStrv              atc_config_get_secrets       (AtcConfig          *self);

/* {"model": "g781", "facts": {"VER": ...}, "settings": {"UART":
 * {"baud_rate": "115200", ...}}, "sources": {...}, "read_errors": {...}};
 * secrets are ATC_SECRET_MASK unless with_secrets. */
JsonNode          *atc_config_to_json           (AtcConfig          *self,
                                                 gboolean            with_secrets);
/* Aligned "UART baud rate: 115200" lines, facts first, for a terminal. */
char              *atc_config_to_text           (AtcConfig          *self,
                                                 gboolean            with_secrets);

/* "UART parity": how a parameter is named in diffs and reports. */
char              *atc_config_describe_param    (const AtcCommand   *command,
                                                 const AtcParam     *param);
const char        *atc_value_source_to_string   (AtcValueSource      source);

G_END_DECLS
