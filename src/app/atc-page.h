/* atc-page.h: base class of the window's pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every page works on the window's current session (NULL while no unit is
 * connected). The window sets it; pages react in session_changed.
 */
#pragma once

#include <adwaita.h>

#include "atc-session.h"

G_BEGIN_DECLS

#define ATC_TYPE_PAGE (atc_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (AtcPage, atc_page, ATC, PAGE, AdwBin)

struct _AtcPageClass
{
  AdwBinClass parent_class;

  void (*session_changed) (AtcPage    *self,
                           AtcSession *session);
};

AtcSession *atc_page_get_session (AtcPage     *self);
void        atc_page_set_session (AtcPage     *self,
                                  AtcSession  *session);
/* A short message at the bottom of the window, e.g. "Profile saved". */
void        atc_page_toast       (AtcPage     *self,
                                  const char  *format,
                                  ...) G_GNUC_PRINTF (2, 3);
/* An error the technician must read and act on, shown in a dialog. */
void        atc_page_show_error  (AtcPage      *self,
                                  const char   *heading,
                                  const GError *error);

G_END_DECLS
