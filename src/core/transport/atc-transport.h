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

/* Properties: "address" (AtcAddress, construct-only), "line-settings"
 * (AtcLineSettings, read-only: what the open port uses), "open" (boolean).
 * Signal ::disconnected (const GError *error): the link went away. */

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

/* For subclasses: report that the link went away (emits ::disconnected once
 * per opening, then lets go of the device so a re-plugged adapter gets its
 * old name back; atc_transport_close() is still the owner's to call). */
void                   atc_transport_emit_disconnected(AtcTransport          *self,
                                                       const GError          *error);

/* For subclasses: the GIOStream over a non-blocking fd the subclass owns
 * (a port, a pty, a socket). Reads poll first and end the link on a
 * hang-up or an empty read, so nothing spins; the fd is watched for a
 * hang-up even when nobody reads. lost_message is the text of the
 * ATC_ERROR_DISCONNECTED error. */
GIOStream             *atc_transport_wrap_fd          (AtcTransport          *self,
                                                       int                    fd,
                                                       const char            *lost_message);

/* The error for a failed open(2) of path, worded for a technician:
 * EACCES -> ATC_ERROR_PERMISSION (the dialout group), EBUSY ->
 * ATC_ERROR_BUSY (another program, maybe ModemManager), ENOENT ->
 * ATC_ERROR_NOT_FOUND listing existing_ports (NULL: enumerate them now). */
GError                *atc_transport_open_error_new   (const char            *path,
                                                       int                    errsv,
                                                       const char *const     *existing_ports);

G_END_DECLS
