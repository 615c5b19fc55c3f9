/* atc-model-private.h: loading helpers shared inside the catalog layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atc-model.h"

G_BEGIN_DECLS

/* atc_model_new_from_bytes() whose errors start with `source`
 * (the file name, e.g. "m0.json"). */
AtcModel *atc_model_new_from_bytes_named (GBytes      *json,
                                          const char  *source,
                                          GError     **error);

/* atc_param_validate() without the factory-default exception of
 * default_outside_range: the loader uses it to check that the flag is
 * needed. */
char     *atc_param_validate_range       (const AtcCommand  *command,
                                          const AtcParam    *param,
                                          const char        *value,
                                          GError           **error);

G_END_DECLS
