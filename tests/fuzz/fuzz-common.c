/* fuzz-common.c: setup shared by the fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "fuzz-common.h"

void
atc_fuzz_setup (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;

  setlocale (LC_ALL, "C.UTF-8");
  /* Structured and plain logging both honour the always-fatal mask. */
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}
