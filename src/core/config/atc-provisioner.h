/* atc-provisioner.h: apply one profile to many units at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each unit gets its own session and runs in parallel with the others:
 * connect, detect, check the model, read (identity included), apply the
 * profile with read-back (and a restart when asked), return the unit to
 * data mode, close. A unit that fails never stops the others; the report
 * has one row per unit, in the order they were added.
 */
#pragma once

#include "atc-applier.h"
#include "atc-profile.h"
#include "atc-provision-report.h"
#include "atc-session.h"

G_BEGIN_DECLS

#define ATC_TYPE_PROVISIONER (atc_provisioner_get_type ())
G_DECLARE_FINAL_TYPE (AtcProvisioner, atc_provisioner, ATC, PROVISIONER, GObject)

AtcProvisioner     *atc_provisioner_new               (AtcProfile          *profile);
AtcProfile         *atc_provisioner_get_profile       (AtcProvisioner      *self);

/* A unit by its address (atc-address.h syntax, demo addresses included);
 * the session is made and closed by the provisioner. Returns the index. */
guint               atc_provisioner_add_address       (AtcProvisioner      *self,
                                                       const char          *address);
/* A unit the caller already has a session to (connected or not); it is
 * returned to data mode but not closed. `label` names it in the report. */
guint               atc_provisioner_add_session       (AtcProvisioner      *self,
                                                       AtcSession          *session,
                                                       const char          *label);
guint               atc_provisioner_get_n_units       (AtcProvisioner      *self);

void                atc_provisioner_set_restart       (AtcProvisioner      *self,
                                                       gboolean             restart);
/* Command-password mode for every unit the provisioner opens (an
 * address's own ?password= wins); NULL: command mode. */
void                atc_provisioner_set_command_password (AtcProvisioner *self,
                                                          const char     *password);
/* Applied to every session (slow links, tests); 1.0 by default. */
void                atc_provisioner_set_timeout_scale (AtcProvisioner      *self,
                                                       double               scale);

/* ::unit-progress (guint index, int AtcApplyPhase, const char *command,
 * guint done, guint total) while a unit is applied; ::unit-finished
 * (guint index, gpointer AtcProvisionEntry*) when a unit is done. The
 * report is complete when the run finishes; it is also available while the
 * run goes on (atc_provisioner_get_report()). A cancelled run still
 * returns the report, each unit saying how far it got; the run fails only
 * when it has no units or is already running. */
void                atc_provisioner_run_async         (AtcProvisioner      *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
AtcProvisionReport *atc_provisioner_run_finish        (AtcProvisioner      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
AtcProvisionReport *atc_provisioner_get_report        (AtcProvisioner      *self);

G_END_DECLS
