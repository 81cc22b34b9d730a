// Owns every child process of the launcher or the soak. Each child runs in its own process
// group (detached), so stopping it also stops whatever it spawned, and a Ctrl-C
// in the terminal reaches only the host (the launcher or the soak), which then stops children in order.
import { ChildProcess, spawn } from 'node:child_process';
import * as readline from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { LaunchError } from './launch-error';

/** Services stop first, then their databases, then Redis which they all use. */
export type Tier = 'service' | 'database' | 'redis';
export const STOP_ORDER: readonly Tier[] = ['service', 'database', 'redis'];

export const DEFAULT_STOP_GRACE_MS = 10_000;
const TAIL_LINES = 40;
// After the leader exits, how long to wait for its output pipes to drain, so the
// last lines (usually the error) make it into the tail.
const OUTPUT_DRAIN_MS = 1_000;
// Grandchildren that outlive their leader get this long before SIGKILL.
const GROUP_SWEEP_MS = 2_000;

export interface OutputLine {
  source: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ProcessSpec {
  name: string;
  tier: Tier;
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Lines that are pure noise: neither shown nor kept for the tail. */
  isNoise?: (text: string) => boolean;
  stopGraceMs?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
}

export class ManagedProcess {
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  private stopRequested = false;
  private ready = false;
  private readonly recent: string[] = [];
  private readonly listeners = new Set<(line: OutputLine) => void>();

  constructor(
    readonly spec: ProcessSpec,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise<ExitInfo>((resolve) => {
      let pending = 2; // the 'exit' event and both pipes closing
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        if (timer) clearTimeout(timer);
        if (this.exitInfo) resolve(this.exitInfo);
      };
      child.once('error', (error) => {
        // Only a failed spawn leaves no pid; other errors (a failed kill) are not exits.
        if (child.pid === undefined) {
          this.exitInfo = { code: null, signal: null, spawnError: error };
          finish();
        }
      });
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        timer = setTimeout(finish, OUTPUT_DRAIN_MS);
        if (--pending === 0) finish();
      });
      child.once('close', () => {
        if (--pending === 0) finish();
      });
    });
    this.follow(child.stdout, 'stdout');
    this.follow(child.stderr, 'stderr');
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  get isStopping(): boolean {
    return this.stopRequested;
  }

  /** From now on an exit is a failure the supervisor reports (before, the starter handles it). */
  markReady(): void {
    this.ready = true;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The last output lines, for explaining a failure. */
  tail(): readonly string[] {
    return [...this.recent];
  }

  onLine(listener: (line: OutputLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first line matching, rejects if the process exits or the signal aborts first. */
  waitForLine(matches: (text: string) => boolean, signal: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const cleanup = () => {
        unsubscribe();
        signal.removeEventListener('abort', onAbort);
      };
      const unsubscribe = this.onLine(({ text }) => {
        if (matches(text)) {
          cleanup();
          resolve(text);
        }
      });
      const onAbort = () => {
        cleanup();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      void this.exited.then(() => {
        cleanup();
        reject(new ChildExitedError(this));
      });
    });
  }

  describeExit(): string {
    const info = this.exitInfo;
    if (!info) return 'is still running';
    if (info.spawnError) return `could not be started (${info.spawnError.message})`;
    if (info.signal) return `was killed by ${info.signal}`;
    return `exited with code ${info.code}`;
  }

  /** SIGTERM to the whole group, SIGKILL after the grace period; resolves once the group is gone. */
  async stop(graceMs = this.spec.stopGraceMs ?? DEFAULT_STOP_GRACE_MS): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    this.stopRequested = true;
    if (!this.hasExited) {
      signalGroup(pid, 'SIGTERM');
      const inTime = await Promise.race([this.exited.then(() => true), delay(graceMs, false, { ref: false })]);
      if (!inTime) {
        signalGroup(pid, 'SIGKILL');
        await this.exited;
      }
    }
    await sweepGroup(pid);
  }

  /** Synchronous last resort, for when the launcher itself is exiting. */
  killNow(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    this.stopRequested = true;
    signalGroup(pid, 'SIGKILL');
  }

  private follow(stream: NodeJS.ReadableStream | null, name: OutputLine['stream']): void {
    if (!stream) return;
    const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (text) => {
      if (this.spec.isNoise?.(text)) return;
      this.recent.push(text);
      if (this.recent.length > TAIL_LINES) this.recent.shift();
      const line = { source: this.spec.name, stream: name, text };
      for (const listener of this.listeners) listener(line);
    });
  }
}

export class ChildExitedError extends LaunchError {
  constructor(readonly process: ManagedProcess) {
    super(`${process.name} ${process.describeExit()}`, { tail: { source: process.name, lines: process.tail() } });
    this.name = 'ChildExitedError';
  }
}

export class Supervisor {
  private readonly processes: ManagedProcess[] = [];
  private readonly unexpectedExitListeners = new Set<(process: ManagedProcess) => void>();
  private readonly spawnListeners = new Set<(process: ManagedProcess) => void>();
  private closing = false;

  spawn(spec: ProcessSpec): ManagedProcess {
    if (this.closing) throw new LaunchError(`shutting down: not starting ${spec.name}`);
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const managed = new ManagedProcess(spec, child);
    this.processes.push(managed);
    for (const listener of this.spawnListeners) listener(managed);
    void managed.exited.then(() => {
      if (managed.isReady && !managed.isStopping && !this.closing) {
        for (const listener of this.unexpectedExitListeners) listener(managed);
      }
    });
    return managed;
  }

  onSpawn(listener: (process: ManagedProcess) => void): void {
    this.spawnListeners.add(listener);
  }

  /** A ready child died on its own. */
  onUnexpectedExit(listener: (process: ManagedProcess) => void): void {
    this.unexpectedExitListeners.add(listener);
  }

  get hasChildren(): boolean {
    return this.processes.length > 0;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Stops everything, tier by tier; refuses new children from now on. */
  async stopAll(): Promise<void> {
    this.closing = true;
    for (const tier of STOP_ORDER) {
      await Promise.all(this.processes.filter((p) => p.spec.tier === tier).map((p) => p.stop()));
    }
  }

  killAllNow(): void {
    this.closing = true;
    for (const managed of this.processes) managed.killNow();
  }

  /** Pids of children whose process group still has members. */
  livePids(): number[] {
    return this.processes.map((p) => p.pid).filter((pid): pid is number => pid !== undefined && groupAlive(pid));
  }
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function sweepGroup(pgid: number): Promise<void> {
  if (await groupGone(pgid, GROUP_SWEEP_MS)) return;
  signalGroup(pgid, 'SIGKILL');
  // Killed orphans linger until init reaps them.
  await groupGone(pgid, GROUP_SWEEP_MS);
}

async function groupGone(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await delay(25);
  }
  return true;
}

/**
 * Runs `wait` (a readiness check) with a signal that aborts when `child` exits or
 * `outer` aborts, and turns the child's exit into a ChildExitedError.
 */
export async function whileRunning<T>(child: ManagedProcess, outer: AbortSignal, wait: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const local = new AbortController();
  const onOuterAbort = () => local.abort(outer.reason);
  outer.addEventListener('abort', onOuterAbort, { once: true });
  void child.exited.then(() => local.abort(new ChildExitedError(child)));
  try {
    if (outer.aborted) throw outer.reason;
    return await wait(local.signal);
  } catch (error) {
    if (child.hasExited) throw new ChildExitedError(child);
    throw error;
  } finally {
    outer.removeEventListener('abort', onOuterAbort);
  }
}
