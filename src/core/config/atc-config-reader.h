/* atc-config-reader.h: read a unit's whole configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Queries every setting and identity fact of the connected unit in one
 * pass: all queries are handed to the session at once, which sends them
 * one at a time in order. A query that fails is recorded on its setting
 * (atc_config_get_read_error()) and the read goes on, so the technician
 * sees everything that could be read and exactly what could not.
 */
#pragma once

#include "atc-config.h"
#include "atc-session.h"

G_BEGIN_DECLS

#define ATC_TYPE_CONFIG_READER (atc_config_reader_get_type ())
G_DECLARE_FINAL_TYPE (AtcConfigReader, atc_config_reader, ATC, CONFIG_READER, GObject)

AtcConfigReader *atc_config_reader_new          (AtcSession          *session);
AtcSession      *atc_config_reader_get_session  (AtcConfigReader     *self);

/* Connects and detects the model first when the session has not. Emits
 * ::progress as each query completes. Fails only when nothing could be
 * read (the first error), or with G_IO_ERROR_CANCELLED. */
void             atc_config_reader_read_async   (AtcConfigReader     *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
AtcConfig       *atc_config_reader_read_finish  (AtcConfigReader     *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
