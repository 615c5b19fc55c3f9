/* atc-sample.h: one reading of a unit's live status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sample is a small plain struct so that a day of one-second samples
 * (86400) fits in one preallocated block of about 1.4 MB: see AtcHistory.
 * Read it through the accessors below; the field layout may change.
 */
#pragma once

#include <glib.h>

#include "atc-signal.h"

G_BEGIN_DECLS

/* A model has at most this many sockets with a link status (G781: A..D). */
#define ATC_SAMPLE_MAX_SOCKETS 4

typedef enum {
  ATC_LINK_NONE = 0,  /* not read: socket disabled, or the query failed */
  ATC_LINK_DOWN = 1,
  ATC_LINK_UP   = 2,
} AtcLinkState;

typedef enum {
  ATC_SAMPLE_HAS_CSQ      = 1 << 0, /* csq was read (models without CSQ never set it) */
  ATC_SAMPLE_SIGNAL_KNOWN = 1 << 1, /* dbm and bars are valid (CSQ read and not 99) */
  ATC_SAMPLE_AT_FLOOR     = 1 << 2, /* dbm means "or less" */
  ATC_SAMPLE_AT_CEILING   = 1 << 3, /* dbm means "or more" */
  ATC_SAMPLE_HAS_NET_MODE = 1 << 4, /* net_mode was read */
  ATC_SAMPLE_AFTER_GAP    = 1 << 5, /* first sample after a pause or a lost unit: plots break here */
} AtcSampleFlags;

typedef struct {
  gint64 time;     /* wall clock, µs since the epoch (g_get_real_time()) */
  gint16 dbm;      /* valid with ATC_SAMPLE_SIGNAL_KNOWN */
  guint8 csq;      /* raw CSQ as read, valid with ATC_SAMPLE_HAS_CSQ */
  guint8 net_mode; /* AtcNetMode, valid with ATC_SAMPLE_HAS_NET_MODE */
  guint8 bars;     /* 0..4, 0 when the signal is unknown */
  guint8 flags;    /* AtcSampleFlags */
  guint8 links;    /* two bits per socket: use atc_sample_get_link() */
  guint8 reserved;
} AtcSample;

void          atc_sample_init            (AtcSample       *sample,
                                          gint64           time);
/* Stores the raw CSQ and its dBm/bars on the scale of `mode`
 * (atc_signal_from_csq()). */
void          atc_sample_set_signal      (AtcSample       *sample,
                                          int              csq,
                                          AtcNetMode       mode);
/* FALSE when no CSQ was read; otherwise fills `signal` (known or not). */
gboolean      atc_sample_get_signal      (const AtcSample *sample,
                                          AtcSignal       *signal);
gboolean      atc_sample_has_signal      (const AtcSample *sample);
void          atc_sample_set_net_mode    (AtcSample       *sample,
                                          AtcNetMode       mode);
/* FALSE when the network mode was not read. */
gboolean      atc_sample_get_net_mode    (const AtcSample *sample,
                                          AtcNetMode      *mode);
void          atc_sample_set_link        (AtcSample       *sample,
                                          guint            socket,
                                          AtcLinkState     state);
AtcLinkState  atc_sample_get_link        (const AtcSample *sample,
                                          guint            socket);

/* "up", "down", "" (not read): the words used in exports. */
const char   *atc_link_state_to_string   (AtcLinkState     state);
/* A link status value as units print it: ON/OFF (G781 SOCKxLK),
 * Connected/Disconnected (M0 SOCKLK), case-insensitively. */
gboolean      atc_link_state_from_value  (const char      *value,
                                          AtcLinkState    *state);

/* A socket's short name as a key for JSON and the like: the name, or
 * "socket" for a model's single unnamed socket (M0). */
const char   *atc_socket_key             (const char      *name);

/* "2024-05-01T12:00:01.250Z": UTC, milliseconds, for exports. */
char         *atc_format_iso8601         (gint64           time);

G_END_DECLS
