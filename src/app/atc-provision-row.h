/* atc-provision-row.h: one unit of a provisioning run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the unit's address, what is happening to it (connecting, writing
 * UART 3 of 7, restarting) with a progress bar, and at the end its result:
 * what it is (model, firmware, SN, IMEI or MAC), how many settings
 * changed, or the errors.
 */
#pragma once

#include <adwaita.h>

#include "atc-applier.h"
#include "atc-provision-report.h"

G_BEGIN_DECLS

#define ATC_TYPE_PROVISION_ROW (atc_provision_row_get_type ())
G_DECLARE_FINAL_TYPE (AtcProvisionRow, atc_provision_row, ATC, PROVISION_ROW, GtkListBoxRow)

GtkWidget          *atc_provision_row_new          (const char              *address);
/* Connecting, detecting and reading: before the apply reports progress. */
void                atc_provision_row_set_started  (AtcProvisionRow         *self);
void                atc_provision_row_set_progress (AtcProvisionRow         *self,
                                                    AtcApplyPhase            phase,
                                                    const char              *command,
                                                    guint                    done,
                                                    guint                    total);
void                atc_provision_row_set_finished (AtcProvisionRow         *self,
                                                    const AtcProvisionEntry *entry);
/* PENDING until finished. */
AtcProvisionResult  atc_provision_row_get_result   (AtcProvisionRow         *self);
/* What the row says under the address, e.g. "3 settings changed". */
const char         *atc_provision_row_get_detail   (AtcProvisionRow         *self);

G_END_DECLS
