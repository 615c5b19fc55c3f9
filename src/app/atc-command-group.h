/* atc-command-group.h: the rows of one AT command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A preferences group titled with the command's description and its
 * AT name, holding one AtcParamEditor per parameter, and saying when the
 * command could not be read from the unit.
 */
#pragma once

#include <adwaita.h>

#include "atc-model.h"
#include "atc-param-editor.h"

G_BEGIN_DECLS

#define ATC_TYPE_COMMAND_GROUP (atc_command_group_get_type ())
G_DECLARE_FINAL_TYPE (AtcCommandGroup, atc_command_group, ATC, COMMAND_GROUP, AdwPreferencesGroup)

GtkWidget        *atc_command_group_new            (AtcModel         *model,
                                                    const AtcCommand *command);
const AtcCommand *atc_command_group_get_command    (AtcCommandGroup  *self);
/* The short heading, plain text: "Socket A". */
const char       *atc_command_group_get_heading    (AtcCommandGroup  *self);
/* AtcParamEditor*, in wire order. */
GPtrArray        *atc_command_group_get_editors    (AtcCommandGroup  *self);
AtcParamEditor   *atc_command_group_get_editor     (AtcCommandGroup  *self,
                                                    const char       *param);
/* Why reading the command failed, NULL when it was read. */
void              atc_command_group_set_read_error (AtcCommandGroup  *self,
                                                    const GError     *error);

G_END_DECLS
