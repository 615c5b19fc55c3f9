/* atc-console-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atc-page.h"

G_BEGIN_DECLS

#define ATC_TYPE_CONSOLE_PAGE (atc_console_page_get_type ())
G_DECLARE_FINAL_TYPE (AtcConsolePage, atc_console_page, ATC, CONSOLE_PAGE, AtcPage)

G_END_DECLS
