/* atc-config-diff.h: what differs between two configurations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A diff from `from` (usually what the unit holds) to `to` (the edited
 * configuration, or the unit's with a profile laid over it), per parameter,
 * in the order an apply sends the commands.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atc-config.h"

G_BEGIN_DECLS

typedef struct {
  const AtcCommand *command;
  const AtcParam   *param;
  char             *old_value;  /* NULL when the unit's value is unknown (read failed) */
  char             *new_value;
} AtcConfigChange;

#define ATC_TYPE_CONFIG_DIFF (atc_config_diff_get_type ())
G_DECLARE_FINAL_TYPE (AtcConfigDiff, atc_config_diff, ATC, CONFIG_DIFF, GObject)

/* A parameter differs when its values differ, or when `to` sets it
 * explicitly (edited, profile) and `from` could not read its command.
 * Parameters without a value in `to` are left alone. Both configurations
 * must be for the same model. */
AtcConfigDiff   *atc_config_diff_new          (AtcConfig      *from,
                                               AtcConfig      *to);
AtcModel        *atc_config_diff_get_model    (AtcConfigDiff  *self);
gboolean         atc_config_diff_is_empty     (AtcConfigDiff  *self);
/* const AtcConfigChange*, commands in apply order, parameters in wire order. */
GPtrArray       *atc_config_diff_get_changes  (AtcConfigDiff  *self);
/* The commands to send (const AtcCommand*), in apply order. */
GPtrArray       *atc_config_diff_get_commands (AtcConfigDiff  *self);
/* The changes of one command (const AtcConfigChange*). */
GPtrArray       *atc_config_diff_get_command_changes (AtcConfigDiff *self,
                                                      const char    *command);

/* "UART parity: NONE -> EVEN"; secrets as ATC_SECRET_MASK unless asked. */
char            *atc_config_change_to_string  (const AtcConfigChange *change,
                                               gboolean               with_secrets);
GStrv            atc_config_diff_to_lines     (AtcConfigDiff  *self,
                                               gboolean        with_secrets);
/* [{"command": "UART", "param": "parity", "label": "UART parity",
 *   "old": "NONE", "new": "EVEN", "secret": false}, ...]; "old" is null
 * when unknown. */
JsonNode        *atc_config_diff_to_json      (AtcConfigDiff  *self,
                                               gboolean        with_secrets);

/* Sort key of a command in an apply: ordinary settings first, then enable
 * flags (…EN), then the work mode. Lower goes first. */
int              atc_config_command_apply_rank (const AtcCommand *command);

G_END_DECLS
