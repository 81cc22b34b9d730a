// Child processes of `npm run compose:check`. Each runs in its own process
// group: a Ctrl-C at the terminal reaches this tool only, which then ends its
// children itself, in order, and cleans up (see main.ts).
import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, openSync } from 'node:fs';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Ends the command (SIGTERM to its group, SIGKILL 10 s later) when aborted. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Also appends stdout and stderr to this file. */
  logFile?: string;
  /**
   * Writes stdout and stderr to logFile only, not through a pipe: a command that
   * must clean up after itself (mmdebstrap unmounts its chroot) then still can if
   * this process dies, instead of dying of SIGPIPE.
   */
  outputToLogOnly?: boolean;
  /** How long an ended command has between SIGTERM and SIGKILL (default 10 s). */
  killGraceMs?: number;
}

export interface RunResult {
  command: string;
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const OUTPUT_LIMIT = 16 * 1024 * 1024;
const KILL_GRACE_MS = 10_000;

export class CommandFailed extends Error {
  constructor(readonly result: RunResult) {
    const why = result.timedOut ? 'timed out' : `exited with ${result.code}`;
    super(`${result.command} ${why}${tail(result.stderr || result.stdout) ? `:\n${tail(result.stderr || result.stdout)}` : ''}`);
  }
}

/** The last lines of a command's output, for an error message. */
export function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const shown = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(options.signal.reason);
    const direct = options.logFile && options.outputToLogOnly ? openSync(options.logFile, 'a') : undefined;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: direct === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', direct, direct],
      detached: true,
    });
    if (direct !== undefined) closeSync(direct);
    const log = options.logFile && direct === undefined ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (stdout.length < OUTPUT_LIMIT) stdout += chunk.toString();
      log?.write(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-OUTPUT_LIMIT);
      log?.write(chunk);
    });

    let killTimer: NodeJS.Timeout | undefined;
    const end = () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), options.killGraceMs ?? KILL_GRACE_MS);
    };
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          end();
        }, options.timeoutMs)
      : undefined;
    options.signal?.addEventListener('abort', end, { once: true });

    child.on('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', end);
      log?.end();
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', end);
      log?.end();
      if (options.signal?.aborted) return reject(options.signal.reason);
      resolve({ command: shown, code, stdout, stderr, timedOut });
    });
  });
}

/** Runs a command that must succeed; resolves with its standard output. */
export async function runOk(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new CommandFailed(result);
  return result.stdout;
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Whether a command is on the PATH. */
export async function available(command: string): Promise<boolean> {
  const result = await run('sh', ['-c', 'command -v "$1"', 'sh', command]).catch(() => undefined);
  return result?.code === 0;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Polls `probe` until it returns a value, or throws once the deadline has passed. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; what: string; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds(options.timeoutMs)} waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}
