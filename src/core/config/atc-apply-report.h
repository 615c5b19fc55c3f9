/* atc-apply-report.h: what an apply did, setting by setting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every apply ends with a report, also when it was interrupted (timeout,
 * unplugged cable, an error reply, a cancel): each step (one set command
 * with the settings it changes) says whether the unit holds the new values.
 * Applying again after a read computes what is left. Secret values appear
 * in the report only as ATC_SECRET_MASK.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atc-config-diff.h"

G_BEGIN_DECLS

typedef enum {
  ATC_APPLY_NOT_APPLIED, /* not sent */
  ATC_APPLY_REJECTED,    /* sent; the unit answered with an error: not applied */
  ATC_APPLY_UNKNOWN,     /* sent; no reply came: the unit may or may not hold it */
  ATC_APPLY_APPLIED,     /* the unit accepted it; not read back (yet) */
  ATC_APPLY_VERIFIED,    /* accepted and read back equal */
  ATC_APPLY_MISMATCH,    /* accepted but read back different: ATC_ERROR_VERIFY */
} AtcApplyStatus;

typedef enum {
  ATC_RESTART_NOT_REQUESTED,
  ATC_RESTART_SKIPPED,   /* requested, but not every setting was applied and verified */
  ATC_RESTART_FAILED,    /* the restart or the way back into command mode failed */
  ATC_RESTART_DONE,      /* restarted and back in command mode */
} AtcRestartStatus;

typedef struct {
  const AtcCommand *command;
  GStrv             values;     /* everything the set command carries, readable */
  GPtrArray        *changes;    /* const AtcConfigChange*, owned by the report's diff */
  AtcApplyStatus    status;
  GError           *error;      /* why it is not VERIFIED (unit error, timeout, mismatch), or NULL */
  GStrv             read_back;  /* values read back, NULL when not read */
} AtcApplyStep;

#define ATC_TYPE_APPLY_REPORT (atc_apply_report_get_type ())
G_DECLARE_FINAL_TYPE (AtcApplyReport, atc_apply_report, ATC, APPLY_REPORT, GObject)

/* One step per command of `diff`, in apply order, all NOT_APPLIED, with
 * the values to send taken from `target`. */
AtcApplyReport     *atc_apply_report_new                (AtcConfigDiff    *diff,
                                                         AtcConfig        *target);

AtcModel           *atc_apply_report_get_model          (AtcApplyReport   *self);
AtcConfigDiff      *atc_apply_report_get_diff           (AtcApplyReport   *self);
GPtrArray          *atc_apply_report_get_steps          (AtcApplyReport   *self);
AtcApplyStep       *atc_apply_report_lookup             (AtcApplyReport   *self,
                                                         const char       *command);
guint               atc_apply_report_count              (AtcApplyReport   *self,
                                                         AtcApplyStatus    status);
/* Settings (parameters) changed on the unit: those of APPLIED, VERIFIED
 * and MISMATCH steps. */
guint               atc_apply_report_count_changed      (AtcApplyReport   *self);
/* Every step VERIFIED and, when asked, the restart done. */
gboolean            atc_apply_report_is_complete        (AtcApplyReport   *self);
/* What stopped the apply or why it is not complete, NULL when complete. */
const GError       *atc_apply_report_get_error          (AtcApplyReport   *self);
AtcRestartStatus    atc_apply_report_get_restart_status (AtcApplyReport   *self);
const GError       *atc_apply_report_get_restart_error  (AtcApplyReport   *self);
gint64              atc_apply_report_get_started        (AtcApplyReport   *self);
gint64              atc_apply_report_get_finished       (AtcApplyReport   *self);
/* Masked command line of a step, as a dry run prints it. */
char               *atc_apply_step_get_line             (const AtcApplyStep *step,
                                                         gboolean            with_secrets);

/* A summary line, then one line per changed setting with its outcome. */
char               *atc_apply_report_to_text            (AtcApplyReport   *self);
JsonNode           *atc_apply_report_to_json            (AtcApplyReport   *self);

const char         *atc_apply_status_to_string          (AtcApplyStatus   status);
/* "applied and verified", "applied, not verified", "not applied", "unknown". */
const char         *atc_apply_status_describe           (AtcApplyStatus   status);
const char         *atc_restart_status_to_string        (AtcRestartStatus status);

/* For AtcApplier. */
void                atc_apply_report_set_step_status    (AtcApplyReport   *self,
                                                         AtcApplyStep     *step,
                                                         AtcApplyStatus    status,
                                                         const GError     *error);
void                atc_apply_report_set_read_back      (AtcApplyReport   *self,
                                                         AtcApplyStep     *step,
                                                         const char *const *values);
void                atc_apply_report_set_error          (AtcApplyReport   *self,
                                                         const GError     *error);
void                atc_apply_report_set_restart        (AtcApplyReport   *self,
                                                         AtcRestartStatus  status,
                                                         const GError     *error);
void                atc_apply_report_finish             (AtcApplyReport   *self);

G_END_DECLS
