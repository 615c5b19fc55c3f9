/* atc-demo-transport.h: demo:g781 and demo:m0, a simulated unit in-process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening creates a socket pair, attaches an AtcSimulator to one end and
 * hands the other to the session, so a demo unit is talked to exactly as a
 * real one: handshake, echo, replies with a little latency, reboots. The
 * simulator lives as long as the transport, so a demo unit keeps its
 * settings across closing and opening again, as a powered unit would.
 */
#pragma once

#include "atc-simulator.h"
#include "atc-transport.h"

G_BEGIN_DECLS

/* What a demo unit feels like: a short delay before each reply and a
 * restart short enough to wait for in a demonstration. */
#define ATC_DEMO_LATENCY_MS 20
#define ATC_DEMO_REBOOT_MS  3000
#define ATC_DEMO_SEED       781

#define ATC_TYPE_DEMO_TRANSPORT (atc_demo_transport_get_type ())
G_DECLARE_FINAL_TYPE (AtcDemoTransport, atc_demo_transport, ATC, DEMO_TRANSPORT, AtcTransport)

/* address: a DEMO address naming a model of the built-in catalog. */
AtcTransport *atc_demo_transport_new           (const AtcAddress  *address,
                                                GError           **error);
AtcSimulator *atc_demo_transport_get_simulator (AtcDemoTransport  *self);

G_END_DECLS
