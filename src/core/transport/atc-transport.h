/* atc-transport.h: a byte link to a unit (serial port, pty, TCP bridge, demo)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every transport ends up as a GIOStream whose input is pollable, so the
 * session reads and writes through GIO on the main context. A vanished
 * device (HUP/ERR) surfaces as ATC_ERROR_DISCONNECTED from the stream and
 * as the ::disconnected signal, never as a loop of zero-length reads.
 */
#pragma once

#include <gio/gio.h>

#include "atc-address.h"

G_BEGIN_DECLS

#define ATC_TYPE_TRANSPORT (atc_transport_get_type ())
G_DECLARE_DERIVABLE_TYPE (AtcTransport, atc_transport, ATC, TRANSPORT, GObject)

struct _AtcTransportClass
{
  GObjectClass parent_class;

  void       (*open_async)        (AtcTransport          *self,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data);
  GIOStream *(*open_finish)       (AtcTransport          *self,
                                   GAsyncResult          *result,
                                   GError               **error);
  /* Serial-like transports change baud/framing on an open link; others
   * return TRUE and ignore it. */
  gboolean   (*set_line_settings) (AtcTransport          *self,
                                   const AtcLineSettings *settings,
                                   GError               **error);
  void       (*close)             (AtcTransport          *self);
};

/* Builds the transport for a serial, pty or TCP address. Demo addresses
 * belong to the simulator layer: see atc_device_new_transport(). */
AtcTransport          *atc_transport_new_for_address  (const AtcAddress      *address,
                                                       GError               **error);

void                   atc_transport_open_async       (AtcTransport          *self,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
gboolean               atc_transport_open_finish      (AtcTransport          *self,
                                                       GAsyncResult          *result,
                                                       GError               **error);
GIOStream             *atc_transport_get_stream       (AtcTransport          *self);
gboolean               atc_transport_set_line_settings(AtcTransport          *self,
                                                       const AtcLineSettings *settings,
                                                       GError               **error);
const AtcLineSettings *atc_transport_get_line_settings(AtcTransport          *self);
/* TRUE for transports where baud rate means something (serial, pty). */
gboolean               atc_transport_has_line_settings(AtcTransport          *self);
const AtcAddress      *atc_transport_get_address      (AtcTransport          *self);
void                   atc_transport_close            (AtcTransport          *self);
gboolean               atc_transport_is_open          (AtcTransport          *self);

/* For subclasses: report that the link went away (emits ::disconnected once). */
void                   atc_transport_emit_disconnected(AtcTransport          *self,
                                                       const GError          *error);

G_END_DECLS
