/* atc-param-editor.h: the editor of one catalog parameter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds the row that fits the parameter's type: a switch row for ON/OFF,
 * a combo row for other word lists, a spin button with its unit for
 * numbers, an entry row for text, hosts, addresses and hex, a password
 * entry row for secrets. Text that may hold line breaks is shown on one
 * line with \r and \n; the codec escapes it on the wire.
 *
 * Under the row sits a hint row: the parameter's description, default and
 * rules for text fields, or why the value is invalid for any field.
 *
 * The editor only shows values; the page owns the configuration. It emits
 * ::edited with the readable value when the technician changes the field,
 * and ::undo when they ask for the unit's value back.
 */
#pragma once

#include <adwaita.h>

#include "atc-model.h"

G_BEGIN_DECLS

#define ATC_TYPE_PARAM_EDITOR (atc_param_editor_get_type ())
G_DECLARE_FINAL_TYPE (AtcParamEditor, atc_param_editor, ATC, PARAM_EDITOR, GObject)

/* `model` keeps `command` and `param` alive. */
AtcParamEditor   *atc_param_editor_new           (AtcModel         *model,
                                                  const AtcCommand *command,
                                                  const AtcParam   *param);
const AtcCommand *atc_param_editor_get_command   (AtcParamEditor   *self);
const AtcParam   *atc_param_editor_get_param     (AtcParamEditor   *self);
/* The row to add to a preferences group, and the hint row below it. */
GtkWidget        *atc_param_editor_get_row       (AtcParamEditor   *self);
GtkWidget        *atc_param_editor_get_hint_row  (AtcParamEditor   *self);

/* Shows `value` (readable form, NULL for none) without emitting ::edited. */
void              atc_param_editor_set_value     (AtcParamEditor   *self,
                                                  const char       *value);
/* Why the value is invalid (NULL: it is valid). */
void              atc_param_editor_set_problem   (AtcParamEditor   *self,
                                                  const char       *problem);
const char       *atc_param_editor_get_problem   (AtcParamEditor   *self);
/* Marks the row as differing from `baseline` (what the unit holds, or
 * the catalog default when offline) and offers to go back to it. */
void              atc_param_editor_set_changed   (AtcParamEditor   *self,
                                                  gboolean          changed,
                                                  const char       *baseline,
                                                  gboolean          baseline_is_unit);
gboolean          atc_param_editor_get_changed   (AtcParamEditor   *self);
/* Moves keyboard focus to the field. */
void              atc_param_editor_focus         (AtcParamEditor   *self);

/* A readable value on one line: CR, LF, tab and other control bytes as
 * \r, \n, \t, \xHH, and a backslash that would start one of those as \\.
 * atc_param_editor_parse_line() reverses it exactly. */
char             *atc_param_editor_format_line   (const char       *value);
char             *atc_param_editor_parse_line    (const char       *text);

G_END_DECLS
