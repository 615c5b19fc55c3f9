/* atc-config-page.h: read, edit and write the unit's configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On connect the page reads every setting (AtcConfigReader) and builds a
 * form from the catalog: one page per command group of the model, one
 * preferences group per command, one editor per parameter. Edits go into
 * a copy of what was read; changed fields are marked and can be undone;
 * Write shows the exact commands, applies them and verifies each setting.
 * Profiles can be loaded and edited without a unit.
 */
#pragma once

#include "atc-config.h"
#include "atc-page.h"

G_BEGIN_DECLS

#define ATC_TYPE_CONFIG_PAGE (atc_config_page_get_type ())
G_DECLARE_FINAL_TYPE (AtcConfigPage, atc_config_page, ATC, CONFIG_PAGE, AtcPage)

/* Ask for a file (Ctrl+O, Ctrl+S, Ctrl+E in the window). */
void       atc_config_page_load_profile         (AtcConfigPage *self);
void       atc_config_page_save_profile         (AtcConfigPage *self);
void       atc_config_page_export_script        (AtcConfigPage *self);

/* The same without asking: what the file choosers call. Errors are shown
 * in the window; a toast confirms success. */
void       atc_config_page_open_profile_file    (AtcConfigPage *self,
                                                 GFile         *file);
void       atc_config_page_save_profile_file    (AtcConfigPage *self,
                                                 GFile         *file,
                                                 gboolean       with_secrets);
void       atc_config_page_export_script_file   (AtcConfigPage *self,
                                                 GFile         *file,
                                                 gboolean       only_changes,
                                                 gboolean       with_secrets);

/* What the unit holds (or the catalog defaults when editing a profile
 * offline), and the edited copy the form shows; NULL before a read. */
AtcConfig *atc_config_page_get_unit_config      (AtcConfigPage *self);
AtcConfig *atc_config_page_get_edited_config    (AtcConfigPage *self);
/* Parameters that differ from the unit, and invalid fields that keep
 * Write from running. */
guint      atc_config_page_get_n_changes        (AtcConfigPage *self);
guint      atc_config_page_get_n_invalid        (AtcConfigPage *self);
/* TRUE while reading, writing or restarting. */
gboolean   atc_config_page_is_busy              (AtcConfigPage *self);

G_END_DECLS
