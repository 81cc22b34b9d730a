// Where the machine's CPU went during the measured drive, from Linux's /proc: each
// service (found by its listening port), its embedded database, Redis, PostgreSQL
// backends, the bench itself, and anything else that ran. Elsewhere it reports nothing.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ProcessTicks {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

/** Parses /proc/<pid>/stat; comm may hold spaces and parentheses, so fields are read after the last ')'. */
export function parseProcStat(text: string): ProcessTicks | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  const pid = Number(text.slice(0, open).trim());
  const ppid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isInteger(pid) || !Number.isFinite(ticks)) return undefined;
  return { pid, ppid, comm: text.slice(open + 1, close), ticks };
}

/** Context switches of one thread, from /proc/<pid>/task/<tid>/status: waits (voluntary) and preemptions (involuntary). */
export interface ContextSwitches {
  voluntary: number;
  involuntary: number;
}

export function parseContextSwitches(text: string): ContextSwitches | undefined {
  const voluntary = /^voluntary_ctxt_switches:\s*(\d+)$/m.exec(text);
  const involuntary = /^nonvoluntary_ctxt_switches:\s*(\d+)$/m.exec(text);
  return voluntary && involuntary ? { voluntary: Number(voluntary[1]), involuntary: Number(involuntary[1]) } : undefined;
}

/** Busy and total ticks of all cores, from the first line of /proc/stat. */
export function parseMachineStat(text: string): { busy: number; total: number } | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) return undefined;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const total = values.slice(0, 8).reduce((sum, value) => sum + (Number.isFinite(value) ? value : 0), 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** Socket inodes listening on the given ports, from /proc/net/tcp or tcp6. */
export function parseListeningInodes(text: string, ports: ReadonlySet<number>): Map<string, number> {
  const inodes = new Map<string, number>();
  for (const line of text.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    if (columns.length < 10 || columns[3] !== '0A') continue; // 0A: LISTEN
    const port = parseInt(columns[1].split(':').pop() ?? '', 16);
    if (ports.has(port)) inodes.set(columns[9], port);
  }
  return inodes;
}

/**
 * A readable group for a process: services by name (known pids), their embedded
 * databases by the data directory, PostgreSQL backends by database, the demo's card
 * reader and a scenario runner.
 */
export function processGroup(info: { pid: number; comm: string; cmdline: string }, known: ReadonlyMap<number, string>): string {
  const named = known.get(info.pid);
  if (named) return named;
  const cmdline = info.cmdline.trim();
  const pglite = /pglite-server\S*\s.*--db\s+(\S+)/.exec(cmdline) ?? (/pglite/.test(cmdline) ? /--db\s+(\S+)/.exec(cmdline) : null);
  if (pglite) {
    const dir = pglite[1].replace(/\/+$/, '');
    const service = path.basename(dir) === 'pgdata' ? path.basename(path.dirname(dir)) : path.basename(dir);
    return `pglite (${service})`;
  }
  const backend = /^postgres: \S+: (\S+) (\S+) /.exec(cmdline);
  if (backend) return `postgres backend (${backend[2]})`;
  if (cmdline.startsWith('postgres')) return 'postgres (server processes)';
  if (info.comm.startsWith('redis-server')) return `redis-server ${cmdline.split(/\s+/)[1] ?? ''}`.trim();
  const app = /dist\/apps\/([a-z-]+)\/src\/(main|worker)\.js/.exec(cmdline);
  if (app) return `other ${app[1]} (${app[2] === 'main' ? 'not this federation' : 'worker'})`;
  // The demo's card reader, the citizen's device: no part of an exchange, but the launcher's child.
  if (/dist\/tools\/card-reader\/src\/main\.js/.test(cmdline)) return 'card reader';
  if (isScenarioRunner(cmdline)) return SCENARIO_RUNNER;
  return `other: ${info.comm}`;
}

export const SCENARIO_RUNNER = 'other: scenario runner';

/** The scenario runner (tools/scenarios): `npm run demo` plays it once at start, as its child; `npm run scenarios` on demand. */
function isScenarioRunner(cmdline: string): boolean {
  return /dist\/tools\/scenarios\/src\/main\.js/.test(cmdline);
}

/** Socket inode → local port of every TCP socket, from /proc/net/tcp or tcp6. */
export function parseSocketPorts(text: string): Map<string, number> {
  const ports = new Map<string, number>();
  for (const line of text.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    if (columns.length < 10) continue;
    const port = parseInt(columns[1].split(':').pop() ?? '', 16);
    if (Number.isInteger(port) && columns[9] !== '0') ports.set(columns[9], port);
  }
  return ports;
}

/** The client port of a PostgreSQL backend, from its title ("postgres: 15/main: user db 127.0.0.1(46902) idle"). */
export function backendClientPort(cmdline: string): number | undefined {
  const match = /^postgres: \S+: \S+ \S+ [^\s(]*\((\d+)\)/.exec(cmdline.trim());
  return match ? Number(match[1]) : undefined;
}

export const UNATTRIBUTED = 'other: processes that ended meanwhile, kernel';

/** Whose CPU it was: the federation under test, the bench itself, or anything else on the machine. */
export type CpuScope = 'federation' | 'bench' | 'other';

export interface CpuGroup {
  group: string;
  scope: CpuScope;
  cpuMs: number;
  /**
   * Context switches of the group's threads over the window: each a wake-up, dear
   * where system calls are. Waits (a socket read, a lock, a thread-pool trip) are
   * the code's; preemptions are the machine's load.
   */
  switches: ContextSwitches;
  /** Share of the machine's capacity (all cores) over the window. */
  machineShare: number;
}

export interface CpuReport {
  windowMs: number;
  cores: number;
  /** Busy share of all cores over the window, from /proc/stat. */
  machineBusy: number;
  /** Services found by their port (the others' CPU is missing from 'federation'). */
  servicesFound: string[];
  groups: CpuGroup[];
}

interface ProcessInfo extends ProcessTicks {
  cmdline: string;
  /** Summed over the process's threads alive at the snapshot. */
  switches: ContextSwitches;
}

interface Snapshot {
  at: number;
  machine: { busy: number; total: number };
  processes: Map<number, ProcessInfo>;
}

/**
 * Samples /proc before and after the drive. The federation is: the services
 * (found by their listening ports), the launcher that started them and its other
 * children (embedded databases, Redis), and the PostgreSQL backends serving the
 * services' connections. `start` returns undefined where there is no /proc.
 */
export class CpuUsage {
  private constructor(
    private readonly first: Snapshot,
    private readonly services: Map<number, string>,
    private readonly ticksPerSecond: number,
  ) {}

  /** `services`: name → port of the services on this machine. */
  static start(services: ReadonlyMap<string, number>): CpuUsage | undefined {
    const first = snapshot();
    if (!first) return undefined;
    const byPid = new Map<number, string>();
    for (const [port, pid] of pidsListeningOn(new Set(services.values()))) {
      for (const [name, servicePort] of services) if (servicePort === port) byPid.set(pid, name);
    }
    return new CpuUsage(first, byPid, clockTicksPerSecond());
  }

  stop(): CpuReport | undefined {
    const last = snapshot();
    if (!last) return undefined;
    const windowMs = last.at - this.first.at;
    const cores = os.availableParallelism();
    const capacityMs = windowMs * cores;
    const parents = new Set([...this.services.keys()].map((pid) => last.processes.get(pid)?.ppid ?? this.first.processes.get(pid)?.ppid));
    // The launcher: the one parent every service shares (not init, not this process).
    const launcher = parents.size === 1 ? [...parents][0] : undefined;
    const launcherPid = launcher !== undefined && launcher > 1 && launcher !== process.pid ? launcher : undefined;
    const clientPorts = socketPortsOf([...this.services.keys()]);

    const totals = new Map<string, { scope: CpuScope; cpuMs: number; switches: ContextSwitches }>();
    for (const [pid, now] of last.processes) {
      const before = this.first.processes.get(pid);
      // A pid reused by a new process in the window counts from zero.
      const same = before !== undefined && before.comm === now.comm;
      const ticks = same ? now.ticks - before.ticks : now.ticks;
      if (ticks <= 0) continue;
      const { group, scope } = this.classify(now, launcherPid, clientPorts);
      const entry = totals.get(group) ?? { scope, cpuMs: 0, switches: { voluntary: 0, involuntary: 0 } };
      entry.cpuMs += (ticks * 1000) / this.ticksPerSecond;
      // Threads that ended in the window take their switches with them: never below zero.
      entry.switches.voluntary += Math.max(0, now.switches.voluntary - (same ? before.switches.voluntary : 0));
      entry.switches.involuntary += Math.max(0, now.switches.involuntary - (same ? before.switches.involuntary : 0));
      totals.set(group, entry);
    }
    const machineTotal = last.machine.total - this.first.machine.total;
    const machineBusy = machineTotal > 0 ? (last.machine.busy - this.first.machine.busy) / machineTotal : 0;
    // Busy time no running process accounts for: processes that ended in the window, and the kernel's own work.
    const attributed = [...totals.values()].reduce((sum, entry) => sum + entry.cpuMs, 0);
    const unattributed = machineBusy * capacityMs - attributed;
    if (unattributed > 0) totals.set(UNATTRIBUTED, { scope: 'other', cpuMs: unattributed, switches: { voluntary: 0, involuntary: 0 } });
    return {
      windowMs,
      cores,
      machineBusy,
      servicesFound: [...this.services.values()],
      groups: [...totals]
        .map(([group, { scope, cpuMs, switches }]) => ({ group, scope, cpuMs, switches, machineShare: capacityMs > 0 ? cpuMs / capacityMs : 0 }))
        .sort((a, b) => b.cpuMs - a.cpuMs),
    };
  }

  private classify(info: ProcessInfo, launcherPid: number | undefined, clientPorts: ReadonlySet<number>): { group: string; scope: CpuScope } {
    if (info.pid === process.pid) return { group: 'bench (this process)', scope: 'bench' };
    const service = this.services.get(info.pid);
    if (service) return { group: service, scope: 'federation' };
    if (launcherPid !== undefined && info.pid === launcherPid) return { group: 'launcher', scope: 'federation' };
    const group = processGroup(info, this.services);
    // The demo's scenarios are load on the machine, not the federation answering, though the launcher started them.
    if (group === SCENARIO_RUNNER) return { group, scope: 'other' };
    if (launcherPid !== undefined && info.ppid === launcherPid) return { group, scope: 'federation' };
    const clientPort = backendClientPort(info.cmdline);
    if (clientPort !== undefined && clientPorts.has(clientPort)) return { group, scope: 'federation' };
    return { group: group.startsWith('other') ? group : `other: ${group}`, scope: 'other' };
  }
}

/** The pids on this machine, from /proc (none where there is no /proc). */
function processIds(): string[] {
  try {
    return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
}

/** A process's command line, its arguments joined by spaces. */
function commandLine(pid: string): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
}

/** Pids of the scenario runners on this machine, other than this process. */
export function scenarioRunnerPids(): number[] {
  const pids: number[] = [];
  for (const entry of processIds()) {
    if (Number(entry) === process.pid) continue;
    try {
      if (isScenarioRunner(commandLine(entry))) pids.push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return pids;
}

function snapshot(): Snapshot | undefined {
  let machine;
  try {
    machine = parseMachineStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
  if (!machine) return undefined;
  const processes = new Map<number, ProcessInfo>();
  for (const entry of processIds()) {
    try {
      const stat = parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (!stat) continue;
      processes.set(stat.pid, { ...stat, cmdline: commandLine(entry), switches: threadSwitches(entry) });
    } catch {
      // The process ended while being read.
    }
  }
  return { at: performance.now(), machine, processes };
}

/** A process's context switches, summed over its threads (/proc/<pid>/status counts the first thread only). */
function threadSwitches(pid: string): ContextSwitches {
  const total = { voluntary: 0, involuntary: 0 };
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return total;
  }
  for (const thread of threads) {
    try {
      const counts = parseContextSwitches(readFileSync(`/proc/${pid}/task/${thread}/status`, 'utf8'));
      if (!counts) continue;
      total.voluntary += counts.voluntary;
      total.involuntary += counts.involuntary;
    } catch {
      // The thread ended while being read.
    }
  }
  return total;
}

function tcpSockets(): Map<string, number> {
  const sockets = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const [inode, port] of parseSocketPorts(readFileSync(file, 'utf8'))) sockets.set(inode, port);
    } catch {
      // No IPv6, or no /proc.
    }
  }
  return sockets;
}

/** Socket inodes a process holds (needs to see /proc/<pid>/fd: same user or root). */
function socketInodes(pid: number | string): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: string[] = [];
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.push(match[1]);
    } catch {
      // Closed meanwhile.
    }
  }
  return inodes;
}

/** Local ports of the given processes' TCP sockets: their client ends, to find the database backends serving them. */
function socketPortsOf(pids: number[]): Set<number> {
  const sockets = tcpSockets();
  const ports = new Set<number>();
  for (const pid of pids) {
    for (const inode of socketInodes(pid)) {
      const port = sockets.get(inode);
      if (port !== undefined) ports.add(port);
    }
  }
  return ports;
}

/** port → pid of the processes listening on these ports. */
function pidsListeningOn(ports: ReadonlySet<number>): Map<number, number> {
  const inodes = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const [inode, port] of parseListeningInodes(readFileSync(file, 'utf8'), ports)) inodes.set(inode, port);
    } catch {
      // No IPv6, or no /proc.
    }
  }
  const pids = new Map<number, number>();
  if (inodes.size === 0) return pids;
  for (const entry of processIds()) {
    for (const inode of socketInodes(entry)) {
      const port = inodes.get(inode);
      if (port !== undefined && !pids.has(port)) pids.set(port, Number(entry));
    }
  }
  return pids;
}

function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}
