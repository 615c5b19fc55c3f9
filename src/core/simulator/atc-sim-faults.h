/* atc-sim-faults.h: what can go wrong on the wire between a host and a simulated unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every random fault draws from a GRand the simulator seeds, so a run with
 * the same seed and the same input misbehaves the same way.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double   drop;             /* chance (0..1) that a byte the unit sends is lost */
  double   corrupt;          /* chance (0..1) that a byte the unit sends is changed */
  double   garbage;          /* chance (0..1) of a burst of line noise before a reply */
  gboolean silent;           /* the unit reads but never answers */
  guint    disconnect_after; /* drop the link after this many more commands; 0: never */
  gboolean upper_echo;       /* echo the AT+CMD part of each line upper-cased */
} AtcSimFaults;

#define ATC_SIM_FAULTS_NONE ((AtcSimFaults) { 0.0, 0.0, 0.0, FALSE, 0, FALSE })

/* "drop=0.01,corrupt=0.01,garbage=0.1,silent,upper-echo,disconnect=5".
 * Keys not given keep their value in *faults. */
gboolean  atc_sim_faults_parse     (const char         *spec,
                                    AtcSimFaults       *faults,
                                    GError            **error);
/* The same syntax back, "" when nothing is set. */
char     *atc_sim_faults_to_string (const AtcSimFaults *faults);
gboolean  atc_sim_faults_any       (const AtcSimFaults *faults);

/* Applies drop and corrupt to bytes about to leave the unit, in place. */
void      atc_sim_faults_mangle    (const AtcSimFaults *faults,
                                    GRand              *rand,
                                    GByteArray         *bytes);
/* Line noise: len bytes that never hold CR, LF or printable text, so noise
 * never reads as a reply by accident. */
void      atc_sim_faults_append_noise (GRand           *rand,
                                       GByteArray      *bytes,
                                       guint            len);

G_END_DECLS
