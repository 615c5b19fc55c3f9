/* atc-monitor-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atc-page.h"

G_BEGIN_DECLS

#define ATC_TYPE_MONITOR_PAGE (atc_monitor_page_get_type ())
G_DECLARE_FINAL_TYPE (AtcMonitorPage, atc_monitor_page, ATC, MONITOR_PAGE, AtcPage)

G_END_DECLS
