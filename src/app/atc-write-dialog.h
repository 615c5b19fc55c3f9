/* atc-write-dialog.h: write changes to the unit, and say what happened
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * First shows the settings that change and the exact command lines an
 * apply sends (AtcApplier dry run, secrets masked), with the choice to
 * restart the unit afterwards (GSettings restart-after-write). On Write it
 * runs the apply with progress per step, then shows per setting whether
 * the unit holds it: verified, not verified, not applied (with the unit's
 * error) or unknown. Emits ::applied with the report when the apply ends.
 */
#pragma once

#include <adwaita.h>

#include "atc-applier.h"

G_BEGIN_DECLS

#define ATC_TYPE_WRITE_DIALOG (atc_write_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AtcWriteDialog, atc_write_dialog, ATC, WRITE_DIALOG, AdwWindow)

/* `applier` must know the unit's current configuration; `settings` holds
 * restart-after-write (NULL: restart). */
AtcWriteDialog *atc_write_dialog_new        (GtkWindow      *parent,
                                             AtcApplier     *applier,
                                             GSettings      *settings);
/* The Write button: starts the apply. */
void            atc_write_dialog_start      (AtcWriteDialog *self);
/* Stops an apply under way; the report says what was done. */
void            atc_write_dialog_stop       (AtcWriteDialog *self);
gboolean        atc_write_dialog_is_running (AtcWriteDialog *self);
/* NULL until the apply has ended. */
AtcApplyReport *atc_write_dialog_get_report (AtcWriteDialog *self);
/* The lines shown for the apply, secrets masked. */
const char     *atc_write_dialog_get_script (AtcWriteDialog *self);

G_END_DECLS
