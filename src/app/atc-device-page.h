/* atc-device-page.h: choose a unit and connect to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists serial ports (refreshed as they come and go), TCP bridges and the
 * demo devices, holds the serial settings, and shows the detection result
 * or what went wrong. Emits ::connect-requested with a device address; the
 * window owns the session.
 */
#pragma once

#include "atc-page.h"
#include "atc-port-list.h"

G_BEGIN_DECLS

#define ATC_TYPE_DEVICE_PAGE (atc_device_page_get_type ())
G_DECLARE_FINAL_TYPE (AtcDevicePage, atc_device_page, ATC, DEVICE_PAGE, AtcPage)

void atc_device_page_set_connecting   (AtcDevicePage      *self,
                                       const char         *address);
void atc_device_page_set_connected    (AtcDevicePage      *self,
                                       const char         *address,
                                       const AtcDetection *detection);
void atc_device_page_set_failed       (AtcDevicePage      *self,
                                       const char         *address,
                                       const GError       *error);
void atc_device_page_set_disconnected (AtcDevicePage      *self);
/* Where the serial ports come from (tests inject their own listing). */
void atc_device_page_set_port_list    (AtcDevicePage      *self,
                                       AtcPortList        *ports);

G_END_DECLS
