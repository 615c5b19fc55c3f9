/* atc-provision-report.h: what a batch provisioning did, unit by unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per unit, in the order the units were given: when it finished,
 * its address (never with a password), what it is (model, firmware, SN,
 * IMEI, ICCID, MAC as far as it could be read), the result, how many
 * settings were changed, and the errors. Written as CSV or JSON.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atc-apply-report.h"
#include "atc-profile.h"

G_BEGIN_DECLS

typedef enum {
  ATC_PROVISION_PENDING,   /* not finished yet */
  ATC_PROVISION_OK,        /* every setting applied and verified (and restarted when asked) */
  ATC_PROVISION_PARTIAL,   /* some settings applied, not all: see errors; run it again */
  ATC_PROVISION_FAILED,    /* nothing was changed: see errors */
} AtcProvisionResult;

typedef struct {
  char               *address;
  gint64              started;        /* g_get_real_time(); 0 until started */
  gint64              finished;
  char               *model;          /* catalog id, NULL when unknown */
  char               *firmware;
  char               *sn;
  char               *imei;
  char               *iccid;
  char               *mac;
  AtcProvisionResult  result;
  guint               settings_changed;
  GPtrArray          *errors;         /* char*: what went wrong, in order */
  AtcApplyReport     *apply_report;   /* NULL when the apply did not start */
} AtcProvisionEntry;

#define ATC_TYPE_PROVISION_REPORT (atc_provision_report_get_type ())
G_DECLARE_FINAL_TYPE (AtcProvisionReport, atc_provision_report, ATC, PROVISION_REPORT, GObject)

AtcProvisionReport *atc_provision_report_new          (AtcProfile          *profile);
AtcProfile         *atc_provision_report_get_profile  (AtcProvisionReport  *self);
/* Adds a PENDING entry for `address` and returns it (owned by the report). */
AtcProvisionEntry  *atc_provision_report_add          (AtcProvisionReport  *self,
                                                       const char          *address);
GPtrArray          *atc_provision_report_get_entries  (AtcProvisionReport  *self);
guint               atc_provision_report_count        (AtcProvisionReport  *self,
                                                       AtcProvisionResult   result);

/* time,address,model,firmware,sn,imei,iccid,mac,result,settings_changed,errors
 * (RFC 4180 quoting; errors joined with " | "). */
char               *atc_provision_report_to_csv       (AtcProvisionReport  *self);
JsonNode           *atc_provision_report_to_json      (AtcProvisionReport  *self);
/* CSV or JSON by the file's extension (.csv, .json). */
gboolean            atc_provision_report_save         (AtcProvisionReport  *self,
                                                       const char          *path,
                                                       GError             **error);

const char         *atc_provision_result_to_string    (AtcProvisionResult   result);

G_END_DECLS
