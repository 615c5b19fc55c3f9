/* atc-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ATC_TYPE_APPLICATION (atc_application_get_type ())
G_DECLARE_FINAL_TYPE (AtcApplication, atc_application, ATC, APPLICATION, AdwApplication)

AtcApplication *atc_application_new          (void);
/* Registers the UI resources once; every widget with a template calls it. */
void            atc_application_ensure_resources (void);
GSettings      *atc_application_get_settings (AtcApplication *self);

G_END_DECLS
