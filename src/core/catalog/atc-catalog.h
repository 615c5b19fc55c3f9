/* atc-catalog.h: the models Atconf knows, loaded from the GResource
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atc-model.h"

G_BEGIN_DECLS

#define ATC_CATALOG_RESOURCE_PATH "/io/github/atconf/Atconf/catalog/"

#define ATC_TYPE_CATALOG (atc_catalog_get_type ())
G_DECLARE_FINAL_TYPE (AtcCatalog, atc_catalog, ATC, CATALOG, GObject)

/* Every model JSON under ATC_CATALOG_RESOURCE_PATH, loaded once.
 * A malformed built-in catalog is a programming error and aborts. */
AtcCatalog *atc_catalog_get_default (void);
AtcCatalog *atc_catalog_new_from_directory (const char  *path,
                                            GError     **error);
GPtrArray  *atc_catalog_get_models         (AtcCatalog  *self);
AtcModel   *atc_catalog_lookup             (AtcCatalog  *self,
                                            const char  *model_id);
/* The model a unit is, from the dialect of its replies and the value of its
 * version command (may be NULL when unknown): a model of that dialect whose
 * version pattern matches, else the only model of that dialect, else NULL. */
AtcModel   *atc_catalog_detect             (AtcCatalog  *self,
                                            AtcDialect   dialect,
                                            const char  *version);

G_END_DECLS
