/* atc-device.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atc-demo-transport.h"
#include "atc-device.h"

AtcTransport *
atc_device_new_transport (const AtcAddress  *address,
                          GError           **error)
{
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (address->kind == ATC_ADDRESS_DEMO)
    return atc_demo_transport_new (address, error);

  return atc_transport_new_for_address (address, error);
}
