/* atc-applier.h: bring a unit to a target configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An apply sends only the set commands the diff needs, each once with all
 * its parameters (the unchanged ones as the unit holds them), in an order
 * the unit accepts (settings, then enable flags, then the work mode); reads
 * each changed command back and compares; then, if asked, restarts the unit
 * (the model's restart command), waits for it, and reads back again.
 *
 * Whatever happens on the way, the apply ends with an AtcApplyReport that
 * says, for each setting, whether the unit holds it. Applying again (the
 * current configuration read afresh) sends what is left.
 */
#pragma once

#include "atc-apply-report.h"
#include "atc-config.h"
#include "atc-profile.h"
#include "atc-session.h"

G_BEGIN_DECLS

typedef enum {
  ATC_APPLY_PHASE_READ,           /* reading the unit before computing the diff */
  ATC_APPLY_PHASE_SET,            /* sending set commands */
  ATC_APPLY_PHASE_VERIFY,         /* reading changed commands back */
  ATC_APPLY_PHASE_RESTART,        /* restarting and re-entering command mode */
  ATC_APPLY_PHASE_VERIFY_RESTART, /* reading back once more after the restart */
  ATC_APPLY_PHASE_DONE,
} AtcApplyPhase;

#define ATC_TYPE_APPLIER (atc_applier_get_type ())
G_DECLARE_FINAL_TYPE (AtcApplier, atc_applier, ATC, APPLIER, GObject)

/* `current`: what the unit holds, as AtcConfigReader read it; NULL to
 * read it at the start of the apply (what a resume does). `target`: the
 * configuration to reach (a copy of `current` with edits, for instance). */
AtcApplier      *atc_applier_new             (AtcSession          *session,
                                              AtcConfig           *current,
                                              AtcConfig           *target);
/* The target is `current` with the profile laid over it, computed once
 * `current` is known. */
AtcApplier      *atc_applier_new_for_profile (AtcSession          *session,
                                              AtcConfig           *current,
                                              AtcProfile          *profile);

AtcSession      *atc_applier_get_session     (AtcApplier          *self);
void             atc_applier_set_restart     (AtcApplier          *self,
                                              gboolean             restart);
gboolean         atc_applier_get_restart     (AtcApplier          *self);
/* NULL until known (given, or read by the apply). */
AtcConfig       *atc_applier_get_current     (AtcApplier          *self);
AtcConfig       *atc_applier_get_target      (AtcApplier          *self);
/* The diff from current to target; NULL until current is known. */
AtcConfigDiff   *atc_applier_get_diff        (AtcApplier          *self);

/* Checks the plan without sending anything: every value to send present
 * and valid, no unknown value taken from a failed read, the right model.
 * Every problem is listed (ATC_ERROR_INVALID_VALUE, secrets masked).
 * Needs `current`. */
gboolean         atc_applier_check           (AtcApplier          *self,
                                              GError             **error);
/* The exact command lines an apply would send, in order (the restart
 * command last when asked), secrets masked unless with_secrets. Sends
 * nothing; needs `current`. */
GStrv            atc_applier_dry_run         (AtcApplier          *self,
                                              gboolean             with_secrets,
                                              GError             **error);

/* Emits ::progress at each step. Fails (nothing sent) when the unit cannot
 * be read or the plan does not check out; otherwise returns the report,
 * also when the apply was interrupted or cancelled: see
 * atc_apply_report_get_error(). */
void             atc_applier_apply_async     (AtcApplier          *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
AtcApplyReport  *atc_applier_apply_finish    (AtcApplier          *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* The report of the last apply, also while it runs; NULL before. */
AtcApplyReport  *atc_applier_get_report      (AtcApplier          *self);

G_END_DECLS
