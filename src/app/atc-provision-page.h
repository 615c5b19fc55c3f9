/* atc-provision-page.h: apply one profile to many units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atc-page.h"

G_BEGIN_DECLS

#define ATC_TYPE_PROVISION_PAGE (atc_provision_page_get_type ())
G_DECLARE_FINAL_TYPE (AtcProvisionPage, atc_provision_page, ATC, PROVISION_PAGE, AtcPage)

G_END_DECLS
