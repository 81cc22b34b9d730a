// The soak's faults, drawn from a seed: the same seed, the same schedule.
import type { Service } from '@myna/protocol';

/** An API process, a queue worker, or a service process that is both (one per embedded database). */
export type ProcessRole = 'api' | 'worker' | 'service';
export type Fault =
  | { kind: 'kill'; service: Service; role: ProcessRole }
  | { kind: 'restart-redis' }
  | { kind: 'restart-postgres'; service?: Service };

export interface ScheduledFault {
  /** Milliseconds after the drive starts. */
  atMs: number;
  fault: Fault;
}

/** mulberry32: a small, well-known seeded generator; enough for a schedule. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` faults, about `intervalMs` apart. Every kind of fault comes up: each
 * round of the deck holds a kill of every process, one Redis restart and one
 * database restart, shuffled; the databases restart one service's at a time
 * when they are separate servers (embedded), all at once when they share a cluster.
 */
export function faultSchedule(options: {
  seed: number;
  count: number;
  intervalMs: number;
  processes: readonly { service: Service; role: ProcessRole }[];
  databases: 'cluster' | readonly Service[];
}): ScheduledFault[] {
  const random = seededRandom(options.seed);
  const deck: Fault[] = [];
  const refill = () => {
    const round: Fault[] = [
      ...options.processes.map(({ service, role }): Fault => ({ kind: 'kill', service, role })),
      { kind: 'restart-redis' },
      options.databases === 'cluster'
        ? { kind: 'restart-postgres' }
        : { kind: 'restart-postgres', service: options.databases[Math.floor(random() * options.databases.length)] },
    ];
    for (let index = round.length - 1; index > 0; index--) {
      const other = Math.floor(random() * (index + 1));
      [round[index], round[other]] = [round[other], round[index]];
    }
    deck.push(...round);
  };
  const schedule: ScheduledFault[] = [];
  let atMs = 0;
  for (let index = 0; index < options.count; index++) {
    if (deck.length === 0) refill();
    atMs += Math.round(options.intervalMs * (0.5 + random()));
    schedule.push({ atMs, fault: deck.shift()! });
  }
  return schedule;
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'kill': return `SIGKILL ${fault.service} ${fault.role}`;
    case 'restart-redis': return 'restart Redis (SIGKILL, then start on its AOF)';
    case 'restart-postgres': return fault.service ? `restart ${fault.service}'s database (SIGKILL, then start)` : 'restart the PostgreSQL cluster (immediate stop, then start)';
  }
}
