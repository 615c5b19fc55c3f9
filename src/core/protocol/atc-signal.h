/* atc-signal.h: CSQ to dBm and bars, by network mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* AT+NETMODE values (G781 document 4.11). */
typedef enum {
  ATC_NET_MODE_NONE    = 0,
  ATC_NET_MODE_GSM     = 1,
  ATC_NET_MODE_CDMA    = 2,
  ATC_NET_MODE_TDSCDMA = 3,
  ATC_NET_MODE_WCDMA   = 4,
  ATC_NET_MODE_EVDO    = 5,
  ATC_NET_MODE_LTE     = 6,
  ATC_NET_MODE_TDDLTE  = 7,
  ATC_NET_MODE_FDDLTE  = 8,
} AtcNetMode;

#define ATC_CSQ_UNKNOWN 99

typedef struct {
  gboolean known;       /* FALSE for 99 or out of range */
  int      csq;         /* raw value as read */
  int      dbm;         /* valid when known */
  gboolean at_floor;    /* dbm means "or less" */
  gboolean at_ceiling;  /* dbm means "or more" */
  int      bars;        /* 0..4, 0 when unknown */
} AtcSignal;

AtcSignal   atc_signal_from_csq       (int         csq,
                                       AtcNetMode  mode);
const char *atc_net_mode_to_string    (AtcNetMode  mode);
gboolean    atc_net_mode_from_string  (const char *text,
                                       AtcNetMode *mode);
/* "-87 dBm", "≤ -113 dBm", "unknown" */
char       *atc_signal_format_dbm     (const AtcSignal *signal);

G_END_DECLS
