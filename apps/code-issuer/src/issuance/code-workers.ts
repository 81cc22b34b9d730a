// The issuer's code computation on worker threads. Each code costs a scalar
// multiplication on ristretto255 (about a millisecond in JavaScript), and seeding
// asks for hundreds of thousands: on one thread the issuer set the federation's
// pace while the other cores idled. The threads hold the pseudonym keys in this
// process's memory only; serials, base points and codes cross a MessagePort,
// never a queue, a log or the network.

import { availableParallelism } from 'node:os';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { parseIssuerBundle, type IssuerBundle, type PartyId, type ProcessingSerial } from '@myna/codes';
import { ConfigurationError } from '@myna/platform';
import { computeCodes, type CodeInput, type ComputedCodes } from './code-computation';
import { CODE_WORKER_READY, type CodeTaskReply, type CodeTaskRequest, type CodeWorkerData } from './code-worker-protocol';

/** Serials per task: small enough to spread one request over every thread. */
export const SERIALS_PER_TASK = 50;
/**
 * How many people's base points H(serial) the pool keeps, newest first. An
 * agency enrols a person by asking for its own code, and a population is
 * enrolled at the three agencies at about the same time (the seed enrols each
 * batch at all three at once), so the second and third codes of a person can
 * skip the hash to the group: about a quarter of a code's cost (DESIGN §4). A
 * few batches in flight are well within this, in a few MB.
 */
export const BASE_POINTS_KEPT = 16_384;
/** At most this many threads, whatever the machine: beyond it the main thread (HTTP, JOSE, SQL) is the limit. */
export const MAX_CODE_WORKERS = 16;

/**
 * The default: a thread per core, up to four; none on a single core. The main
 * thread mostly waits on the database and the network, so it needs no core of
 * its own: on two cores, seeding 20,000 citizens took 1.5× less time with two
 * threads than with none, and one thread gained less than two.
 */
export function defaultCodeWorkers(cores = availableParallelism()): number {
  return cores <= 1 ? 0 : Math.min(4, cores);
}

const settingsSchema = z.object({
  ISSUER_CODE_WORKERS: z
    .string()
    .regex(/^\d+$/, `must be a whole number from 0 to ${MAX_CODE_WORKERS}`)
    .transform(Number)
    .refine((count) => count <= MAX_CODE_WORKERS, `must be a whole number from 0 to ${MAX_CODE_WORKERS}`)
    .optional(),
});

/** How many code threads to run: ISSUER_CODE_WORKERS (0 computes on the main thread), else the default. */
export function parseCodeWorkerCount(env: NodeJS.ProcessEnv): number {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) throw new ConfigurationError('ISSUER_CODE_WORKERS', parsed.error.issues[0].message);
  return parsed.data.ISSUER_CODE_WORKERS ?? defaultCodeWorkers();
}

interface Task {
  id: number;
  party: PartyId;
  serials: string[];
  resolve: (codes: string[]) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  task?: Task;
  /** Resolves once the thread runs, rejects if it dies before. */
  online: Promise<void>;
}

/**
 * How a worker thread runs this module's sibling: compiled, it inherits the
 * process's own loader flags (tsconfig-paths); from TypeScript sources (the
 * tests), it compiles them itself.
 */
function workerEntry(): { file: string; execArgv?: string[]; env?: NodeJS.ProcessEnv } {
  const compiled = __filename.endsWith('.js');
  const file = path.join(__dirname, `code-worker.${compiled ? 'js' : 'ts'}`);
  if (compiled || process.execArgv.some((flag) => flag.startsWith('ts-node/register'))) return { file };
  return {
    file,
    execArgv: [...process.execArgv, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: { ...process.env, TS_NODE_PROJECT: path.resolve(__dirname, '../../../../tsconfig.base.json') },
  };
}

export class CodeWorkerPool {
  private readonly threads: Thread[] = [];
  private readonly waiting: Task[] = [];
  private readonly inline: IssuerBundle | undefined;
  private nextId = 1;
  private closed = false;
  /** Serial (as text) → base point, oldest first; see BASE_POINTS_KEPT. */
  private readonly basePoints = new Map<string, Uint8Array>();
  /** Codes computed from a kept base point rather than from the serial. */
  private reused = 0;
  /** Why a replacement thread could not start: from then on every task fails with it. */
  private broken: Error | undefined;

  constructor(
    private readonly issuerBundle: unknown,
    readonly size: number,
    private readonly onThreadError: (error: Error) => void = () => undefined,
    private readonly basePointsKept = BASE_POINTS_KEPT,
  ) {
    if (size === 0) this.inline = parseIssuerBundle(issuerBundle);
    for (let index = 0; index < size; index++) this.threads.push(this.spawn());
  }

  /** Resolves once every thread runs; rejects (the service must not start) if one cannot. */
  async ready(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.online));
  }

  /** One party's codes for these serials, in their order. */
  async issue(party: PartyId, serials: readonly ProcessingSerial[]): Promise<string[]> {
    if (this.closed) throw new Error('the code workers are shut down');
    if (this.broken) throw this.broken;
    if (this.inline) return this.issueInline(this.inline, party, serials);
    const chunks: Promise<string[]>[] = [];
    for (let start = 0; start < serials.length; start += SERIALS_PER_TASK) {
      const chunk = serials.slice(start, start + SERIALS_PER_TASK).map((serial) => serial.toText());
      chunks.push(new Promise<string[]>((resolve, reject) => this.enqueue({ id: this.nextId++, party, serials: chunk, resolve, reject })));
    }
    return (await Promise.all(chunks)).flat();
  }

  /** How many base points are kept, and how many codes were computed from one rather than from the serial. */
  basePointStats(): { kept: number; reused: number } {
    return { kept: this.basePoints.size, reused: this.reused };
  }

  /** Nest calls this when the application closes. */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.reject(new Error('the code workers are shut down'));
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  /** Each code costs a fraction of a millisecond: let other requests in between chunks. */
  private async issueInline(bundle: IssuerBundle, party: PartyId, serials: readonly ProcessingSerial[]): Promise<string[]> {
    const codes: string[] = [];
    for (let start = 0; start < serials.length; start += SERIALS_PER_TASK) {
      if (start > 0) await yieldToEventLoop();
      const chunk = serials.slice(start, start + SERIALS_PER_TASK).map((serial) => serial.toText());
      codes.push(...this.keep(chunk, computeCodes(bundle, party, this.inputsFor(chunk))));
    }
    return codes;
  }

  /** Chosen when the task starts, not when it is queued, so that a person's earlier code, queued ahead, has been computed. */
  private inputsFor(serials: readonly string[]): CodeInput[] {
    return serials.map((serial) => {
      const basePoint = this.basePoints.get(serial);
      if (!basePoint) return serial;
      this.reused++;
      return basePoint;
    });
  }

  /** Keeps the base points of a finished task (evicting the oldest beyond the limit); returns its codes. */
  private keep(serials: readonly string[], computed: ComputedCodes): string[] {
    serials.forEach((serial, index) => this.basePoints.set(serial, computed.basePoints[index]));
    for (const oldest of this.basePoints.keys()) {
      if (this.basePoints.size <= this.basePointsKept) break;
      this.basePoints.delete(oldest);
    }
    return computed.codes;
  }

  private enqueue(task: Task): void {
    const idle = this.threads.find((thread) => !thread.task);
    if (idle) this.start(idle, task);
    else this.waiting.push(task);
  }

  private start(thread: Thread, task: Task): void {
    thread.task = task;
    const request: CodeTaskRequest = { id: task.id, party: task.party, inputs: this.inputsFor(task.serials) };
    thread.worker.postMessage(request);
  }

  private spawn(): Thread {
    const entry = workerEntry();
    const data: CodeWorkerData = { issuerBundle: this.issuerBundle };
    const worker = new Worker(entry.file, { workerData: data, execArgv: entry.execArgv, env: entry.env });
    let started = false;
    let markStarted = () => undefined as void;
    const online = new Promise<void>((resolve, reject) => {
      markStarted = resolve;
      worker.once('exit', (exitCode) => reject(new Error(`a code worker could not start (exit code ${exitCode})`)));
    });
    online.catch(() => undefined);
    const thread: Thread = { worker, online };
    thread.worker.on('message', (reply: CodeTaskReply | typeof CODE_WORKER_READY) => {
      if (reply === CODE_WORKER_READY) {
        started = true;
        markStarted();
        return;
      }
      const task = thread.task;
      if (!task || task.id !== reply.id) return;
      thread.task = undefined;
      if ('codes' in reply) task.resolve(this.keep(task.serials, reply));
      else task.reject(new Error(`code computation failed: ${reply.error}`));
      const next = this.waiting.shift();
      if (next) this.start(thread, next);
    });
    // A thread that dies fails only the task it held; a new one takes its place,
    // unless it died before it was ready: then no replacement would be either.
    thread.worker.on('error', (error) => this.onThreadError(error));
    thread.worker.on('exit', (exitCode) => {
      thread.task?.reject(new Error(`a code worker stopped (exit code ${exitCode})`));
      thread.task = undefined;
      const index = this.threads.indexOf(thread);
      if (this.closed || index < 0) return;
      if (!started) {
        this.broken = new Error(`a code worker could not start (exit code ${exitCode})`);
        for (const task of this.waiting.splice(0)) task.reject(this.broken);
        return;
      }
      const replacement = this.spawn();
      this.threads[index] = replacement;
      const next = this.waiting.shift();
      if (next) this.start(replacement, next);
    });
    return thread;
  }
}
