/* atc-device.h: the transport for any device address, demo units included
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transport layer knows serial ports, ptys and TCP; demo addresses
 * belong to the simulator, which sits above it. This is the one place that
 * knows both, for the session and the front ends.
 */
#pragma once

#include "atc-address.h"
#include "atc-transport.h"

G_BEGIN_DECLS

AtcTransport *atc_device_new_transport (const AtcAddress  *address,
                                        GError           **error);

G_END_DECLS
