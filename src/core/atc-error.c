/* atc-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "atc-error.h"

G_DEFINE_QUARK (atc-error-quark, atc_error)
