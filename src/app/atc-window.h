/* atc-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atc-application.h"
#include "atc-session.h"

G_BEGIN_DECLS

#define ATC_TYPE_WINDOW (atc_window_get_type ())
G_DECLARE_FINAL_TYPE (AtcWindow, atc_window, ATC, WINDOW, AdwApplicationWindow)

AtcWindow  *atc_window_new          (AtcApplication *application);
/* Connect to a device address (the CLI's syntax) and detect the unit. */
void        atc_window_connect      (AtcWindow      *self,
                                     const char     *address);
void        atc_window_disconnect   (AtcWindow      *self);
gboolean    atc_window_is_connected (AtcWindow      *self);
AtcSession *atc_window_get_session  (AtcWindow      *self);
/* "device", "configure", "monitor", "console", "provision" */
void        atc_window_show_page    (AtcWindow      *self,
                                     const char     *name);

G_END_DECLS
