/* atc-profile.h: a configuration saved to a JSON file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   {
 *     "schema": 1,
 *     "model": "g781",
 *     "firmware": "V1.1.05",
 *     "notes": "Pump station uplink",
 *     "settings": {
 *       "UART": { "baud_rate": "115200", "parity": "NONE" },
 *       "WKMOD": { "mode": "NET" }
 *     }
 *   }
 *
 * A profile may be partial: a command may list some of its parameters and
 * an apply takes the others from the unit. Values are strings in readable
 * form (escapes decoded), checked against the catalog. Secret parameters are
 * written only on request, and then the file is created mode 0600.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atc-catalog.h"
#include "atc-config.h"

G_BEGIN_DECLS

#define ATC_PROFILE_SCHEMA 1

#define ATC_TYPE_PROFILE (atc_profile_get_type ())
G_DECLARE_FINAL_TYPE (AtcProfile, atc_profile, ATC, PROFILE, GObject)

AtcProfile       *atc_profile_new              (AtcModel     *model);
/* Every value the configuration has (read, edited, default), secrets only
 * when with_secrets; the firmware is the configuration's VER fact. */
AtcProfile       *atc_profile_new_from_config  (AtcConfig    *config,
                                                gboolean      with_secrets);

/* Parse and check a profile. On any problem: NULL and ATC_ERROR_PROFILE
 * whose message lists every problem, one per line, each with its path in
 * the file ("settings.UART.parity: …"); broken JSON gives line:column.
 * `catalog` NULL means atc_catalog_get_default(). `name` names the data in
 * messages (a file name), NULL for "profile". */
AtcProfile       *atc_profile_load_data        (const char   *data,
                                                gssize        length,
                                                const char   *name,
                                                AtcCatalog   *catalog,
                                                GError      **error);
AtcProfile       *atc_profile_load_file        (const char   *path,
                                                AtcCatalog   *catalog,
                                                GError      **error);

/* Pretty-printed JSON, secrets left out unless with_secrets. */
char             *atc_profile_to_data          (AtcProfile   *self,
                                                gboolean      with_secrets);
/* Writes atomically (temp file in the same directory, then rename). With
 * secrets the temp file is created 0600, so the secret is never readable
 * by others, not even for a moment. */
gboolean          atc_profile_save_file        (AtcProfile   *self,
                                                const char   *path,
                                                gboolean      with_secrets,
                                                GError      **error);

AtcModel         *atc_profile_get_model        (AtcProfile   *self);
const char       *atc_profile_get_firmware     (AtcProfile   *self);
void              atc_profile_set_firmware     (AtcProfile   *self,
                                                const char   *firmware);
const char       *atc_profile_get_notes        (AtcProfile   *self);
void              atc_profile_set_notes        (AtcProfile   *self,
                                                const char   *notes);

/* Commands that have at least one value, in catalog order (const AtcCommand*). */
GPtrArray        *atc_profile_get_commands     (AtcProfile   *self);
/* NULL when the profile leaves the parameter alone. */
const char       *atc_profile_get_value        (AtcProfile   *self,
                                                const char   *command,
                                                const char   *param);
/* Validates the value (canonical form is stored); NULL removes it. */
gboolean          atc_profile_set_value        (AtcProfile   *self,
                                                const char   *command,
                                                const char   *param,
                                                const char   *value,
                                                GError      **error);
guint             atc_profile_get_n_values     (AtcProfile   *self);
gboolean          atc_profile_has_secrets      (AtcProfile   *self);

/* ATC_ERROR_PROFILE when the profile is for another model. */
gboolean          atc_profile_check_model      (AtcProfile   *self,
                                                AtcModel     *model,
                                                GError      **error);
/* A copy of `base` with the profile's values laid over it
 * (ATC_VALUE_SOURCE_PROFILE): the target of an apply. */
AtcConfig        *atc_profile_apply_to_config  (AtcProfile   *self,
                                                AtcConfig    *base);

G_END_DECLS
