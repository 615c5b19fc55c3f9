/* atc-address.h: the device address syntax shared by the GUI and the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   /dev/ttyUSB0
 *   serial:/dev/ttyUSB0?baud=115200&parity=none&data=8&stop=1&flow=none
 *   pty:/dev/pts/5
 *   tcp:HOST:PORT            (tcp:[::1]:2000 for IPv6)
 *   tcp:HOST:PORT?password=… (command-password mode over the data channel)
 *   demo:g781, demo:m0       (the in-process simulator)
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  ATC_ADDRESS_SERIAL,
  ATC_ADDRESS_PTY,
  ATC_ADDRESS_TCP,
  ATC_ADDRESS_DEMO,
} AtcAddressKind;

typedef enum {
  ATC_PARITY_NONE,
  ATC_PARITY_ODD,
  ATC_PARITY_EVEN,
  ATC_PARITY_MARK,
  ATC_PARITY_SPACE,
} AtcParity;

typedef enum {
  ATC_FLOW_NONE,
  ATC_FLOW_RTSCTS,
  ATC_FLOW_XONXOFF,
} AtcFlowControl;

typedef struct {
  guint          baud;        /* 0 = not given: use the model's default / search */
  guint          data_bits;
  AtcParity      parity;
  guint          stop_bits;
  AtcFlowControl flow;
} AtcLineSettings;

typedef struct {
  AtcAddressKind  kind;
  char           *path;       /* SERIAL, PTY */
  char           *host;       /* TCP */
  guint16         port;       /* TCP */
  char           *model;      /* DEMO: "g781" / "m0"; elsewhere an optional hint (?model=) */
  char           *password;   /* ?password=: command-password mode, never logged */
  AtcLineSettings line;       /* SERIAL, PTY */
} AtcAddress;

#define ATC_LINE_SETTINGS_DEFAULT ((AtcLineSettings) { 0, 8, ATC_PARITY_NONE, 1, ATC_FLOW_NONE })

/* The rate a link opens at when the address gives none: the factory default
 * of both the G781 and the M0 (AT+UART). */
#define ATC_DEFAULT_BAUD 115200

/* Accepted by the address syntax; a port may still refuse a rate. */
#define ATC_BAUD_MIN 50
#define ATC_BAUD_MAX 4000000

#define ATC_TYPE_ADDRESS       (atc_address_get_type ())
#define ATC_TYPE_LINE_SETTINGS (atc_line_settings_get_type ())

GType       atc_address_get_type       (void) G_GNUC_CONST;
GType       atc_line_settings_get_type (void) G_GNUC_CONST;

AtcAddress *atc_address_parse     (const char        *text,
                                   GError           **error);
/* Canonical text; the password is left out unless with_secrets. */
char       *atc_address_to_string (const AtcAddress  *self,
                                   gboolean           with_secrets);
AtcAddress *atc_address_copy      (const AtcAddress  *self);
void        atc_address_free      (AtcAddress        *self);

const char *atc_parity_to_string  (AtcParity          parity);
const char *atc_flow_control_to_string (AtcFlowControl flow);

/* "115200 8N1", "9600 7E2 RTS/CTS": how a technician reads line settings. */
char       *atc_line_settings_to_string (const AtcLineSettings *settings);
gboolean    atc_line_settings_equal     (const AtcLineSettings *a,
                                         const AtcLineSettings *b);
AtcLineSettings *atc_line_settings_copy (const AtcLineSettings *settings);
void        atc_line_settings_free      (AtcLineSettings       *settings);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcAddress, atc_address_free)

G_END_DECLS
