/* atc-port-list.h: the serial ports present, and when they come and go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hot-plug is found by listing again every few seconds: inside a Flatpak
 * the ports are visible but udev events are not.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  ATC_PORT_TRANSPORT_NATIVE,    /* a UART on the board (ttyS*, ttyAMA*) */
  ATC_PORT_TRANSPORT_USB,       /* a USB serial adapter (ttyUSB*, ttyACM*) */
  ATC_PORT_TRANSPORT_BLUETOOTH, /* an RFCOMM link (rfcomm*) */
} AtcPortTransport;

typedef struct {
  char             *name;          /* "/dev/ttyUSB0" */
  char             *description;   /* libserialport's one-line description, or NULL */
  AtcPortTransport  transport;
  guint16           usb_vid;       /* 0 unless USB */
  guint16           usb_pid;
  char             *manufacturer;  /* USB strings, NULL when unknown */
  char             *product;
  char             *serial;
  char             *by_id;         /* the stable /dev/serial/by-id/ link, or NULL */
} AtcPortInfo;

#define ATC_TYPE_PORT_INFO (atc_port_info_get_type ())

GType        atc_port_info_get_type     (void) G_GNUC_CONST;
AtcPortInfo *atc_port_info_new          (const char        *name);
AtcPortInfo *atc_port_info_copy         (const AtcPortInfo *info);
void         atc_port_info_free         (AtcPortInfo       *info);
/* Same port and same device behind it (a re-plugged adapter with another
 * serial number under the same name is a different port). */
gboolean     atc_port_info_equal        (const AtcPortInfo *a,
                                         const AtcPortInfo *b);
/* "/dev/ttyUSB0 — FTDI FT232R USB UART (0403:6001)" */
char        *atc_port_info_to_string    (const AtcPortInfo *info);
const char  *atc_port_transport_to_string (AtcPortTransport transport);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcPortInfo, atc_port_info_free)

/* A listing: a GPtrArray of AtcPortInfo (with its free function), sorted
 * by name, or NULL with error. Runs in a worker thread for AtcPortList. */
typedef GPtrArray *(*AtcPortListFunc) (gpointer   user_data,
                                       GError   **error);

/* The serial ports present now, from libserialport. Blocking (it reads
 * sysfs); fine for a command line, use AtcPortList in a GUI. */
GPtrArray   *atc_port_list_enumerate    (GError           **error);

#define ATC_TYPE_PORT_LIST (atc_port_list_get_type ())
G_DECLARE_FINAL_TYPE (AtcPortList, atc_port_list, ATC, PORT_LIST, GObject)

/* Lists with atc_port_list_enumerate() every "interval" ms (default 2000).
 * The first listing starts at once and reports every port as added.
 * ::changed (GPtrArray *added, GPtrArray *removed), both of AtcPortInfo,
 * never both empty. */
AtcPortList *atc_port_list_new          (void);
/* Lists with func instead (tests, or another source of ports). */
AtcPortList *atc_port_list_new_with_func (AtcPortListFunc   func,
                                          gpointer          user_data,
                                          GDestroyNotify    user_data_free);
/* The ports from the last listing (empty before the first one ends). */
GPtrArray   *atc_port_list_get_ports    (AtcPortList       *self);
guint        atc_port_list_get_interval (AtcPortList       *self);
void         atc_port_list_set_interval (AtcPortList       *self,
                                         guint              interval_ms);
/* List again now rather than at the next tick (after a user asks). */
void         atc_port_list_refresh      (AtcPortList       *self);

G_END_DECLS
