/* atc-bench-sim.h: a simulated unit on a thread of its own, for measuring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator runs on its own thread and main context, as a unit on the
 * other end of a cable would: its work never delays the host's loop, and
 * the CPU it uses can be told apart from the host's (RUSAGE_THREAD).
 */
#pragma once

#include "atc-simulator.h"

G_BEGIN_DECLS

typedef struct _AtcBenchSim AtcBenchSim;

typedef struct {
  guint64 from_host;    /* bytes the unit read */
  guint64 to_host;      /* bytes the unit wrote, echo included */
  guint64 echo;         /* of which command echo */
  guint   n_commands;   /* command lines the unit executed */
  gint64  turnaround_us;/* per command: max (latency, echo's line time) */
  gint64  cpu_us;       /* CPU time of the simulator's thread */
} AtcBenchWire;

/* Starts a unit of `model_id` on a pty at `baud`, paced both ways, with
 * `latency_ms` before each reply. With accel > 0 the unit's virtual clock
 * runs `accel` times faster than real time (live status wanders as over
 * that much time); 0 leaves it following real time. */
AtcBenchSim    *atc_bench_sim_start       (const char     *model_id,
                                           guint           latency_ms,
                                           guint           baud,
                                           guint           accel,
                                           GError        **error);
const char     *atc_bench_sim_get_pty     (AtcBenchSim    *self);
guint           atc_bench_sim_get_baud    (AtcBenchSim    *self);
guint           atc_bench_sim_get_latency (AtcBenchSim    *self);
guint           atc_bench_sim_get_packing_ms (AtcBenchSim *self);
/* Waits until the simulator has finished what it was doing (its last
 * write completed), then reads the counters. */
void            atc_bench_sim_snapshot    (AtcBenchSim    *self,
                                           AtcBenchWire   *wire);
/* after - before, into `delta`. */
void            atc_bench_wire_diff       (const AtcBenchWire *after,
                                           const AtcBenchWire *before,
                                           AtcBenchWire       *delta);
/* Lower bound of an exchange on the wire: every turnaround plus every
 * byte that is not echo, both ways, at 10 bits a byte. The echo goes out
 * while the unit works on the command, so it only counts where it is
 * longer than the turnaround (see turnaround_us). In µs. */
gint64          atc_bench_wire_bound_us   (const AtcBenchWire *delta,
                                           guint               baud);
/* Line time of n bytes at baud, µs. */
gint64          atc_bench_line_time_us    (guint64         n_bytes,
                                           guint           baud);
/* The unit's log since `since_command` (index by count), as text. */
char           *atc_bench_sim_dump_log    (AtcBenchSim    *self,
                                           guint           last_n);
void            atc_bench_sim_stop        (AtcBenchSim    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtcBenchSim, atc_bench_sim_stop)

G_END_DECLS
