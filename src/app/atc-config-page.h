/* atc-config-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atc-page.h"

G_BEGIN_DECLS

#define ATC_TYPE_CONFIG_PAGE (atc_config_page_get_type ())
G_DECLARE_FINAL_TYPE (AtcConfigPage, atc_config_page, ATC, CONFIG_PAGE, AtcPage)

void atc_config_page_load_profile  (AtcConfigPage *self);
void atc_config_page_save_profile  (AtcConfigPage *self);
void atc_config_page_export_script (AtcConfigPage *self);

G_END_DECLS
