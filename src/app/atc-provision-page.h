/* atc-provision-page.h: one profile onto many units, with a report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The technician picks a profile file and the units (ticked serial ports,
 * addresses typed by hand), starts, and watches each unit get provisioned
 * on its own connection; then saves the report as CSV or JSON and opens
 * it. The page needs no connected unit: AtcProvisioner opens its own.
 */
#pragma once

#include "atc-page.h"
#include "atc-provision-report.h"

G_BEGIN_DECLS

#define ATC_TYPE_PROVISION_PAGE (atc_provision_page_get_type ())
G_DECLARE_FINAL_TYPE (AtcProvisionPage, atc_provision_page, ATC, PROVISION_PAGE, AtcPage)

/* Reads a profile without blocking; shows its model, notes and settings,
 * or every problem with its path in the file. Choose Profile ends here. */
void                atc_provision_page_load_profile (AtcProvisionPage *self,
                                                     GFile            *file);
/* NULL until a profile was read. */
AtcProfile         *atc_provision_page_get_profile  (AtcProvisionPage *self);
/* A unit by address (tcp:, pty:, demo:, a serial path), as typed in Add
 * Address; FALSE, with the reason shown, when it cannot be parsed. */
gboolean            atc_provision_page_add_address  (AtcProvisionPage *self,
                                                     const char       *address);
gboolean            atc_provision_page_get_running  (AtcProvisionPage *self);
/* The report of the last run, NULL before one ends. */
AtcProvisionReport *atc_provision_page_get_report   (AtcProvisionPage *self);
/* Writes that report, CSV or JSON by the file's extension, without
 * blocking; then Open Report opens it. Save Report ends here. */
void                atc_provision_page_save_report  (AtcProvisionPage *self,
                                                     GFile            *file);
/* The file the report was last saved to, or NULL. */
GFile              *atc_provision_page_get_report_file (AtcProvisionPage *self);

G_END_DECLS
