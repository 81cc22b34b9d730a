import type { Actor, Evidence, ScenarioOutcome, TraceEntry } from './scenario';
import type { Exhibit, TracedMessage } from './trace-format';

/** Where trace lines go as they happen (the console); the recorder also keeps them for the reports. */
export type TraceSink = (entry: TraceEntry) => void;

/**
 * The narrated trace and the evidence of one scenario run. The verdict follows
 * from the checks alone: a scenario that checked nothing cannot pass.
 */
export class ScenarioRecorder {
  readonly trace: TraceEntry[] = [];
  readonly evidence: Evidence[] = [];
  readonly exhibits: Exhibit[] = [];
  private readonly startedAt = Date.now();

  constructor(private readonly sink: TraceSink = () => undefined) {}

  say(actor: Actor, text: string): void {
    this.add({ kind: 'say', actor, text });
  }

  check(statement: string, holds: boolean, detail: string, data?: unknown): boolean {
    this.evidence.push({ kind: 'check', statement, holds, detail, ...(data === undefined ? {} : { data }) });
    this.add({ kind: 'check', text: `${statement}: ${detail}`, holds });
    return holds;
  }

  measure(statement: string, detail: string, data?: unknown): void {
    this.evidence.push({ kind: 'measurement', statement, detail, ...(data === undefined ? {} : { data }) });
    this.add({ kind: 'measurement', text: `${statement}: ${detail}` });
  }

  exhibit(exhibit: Exhibit): void {
    this.exhibits.push(exhibit);
  }

  /**
   * Places a message the queues carried in the trace at the time it was sent
   * (messages are read off the queues after the scenario): the console is not
   * told, the reports are.
   */
  message(message: TracedMessage, text: string): void {
    const atMs = Math.max(0, Date.parse(message.sentAt) - this.startedAt);
    const entry: TraceEntry = { atMs, kind: 'message', actor: message.from === 'unknown' ? undefined : message.from, text, message };
    const after = this.trace.findIndex((existing) => existing.atMs > atMs);
    if (after === -1) this.trace.push(entry);
    else this.trace.splice(after, 0, entry);
  }

  get startedAtMs(): number {
    return this.startedAt;
  }

  conclude(): ScenarioOutcome {
    const checks = this.evidence.filter((item) => item.kind === 'check');
    const verdict = checks.length > 0 && checks.every((item) => item.holds) ? 'PASS' : 'FAIL';
    if (checks.length === 0) {
      this.check('the scenario made at least one check', false, 'no check was made, so nothing was shown');
    }
    return { verdict, evidence: [...this.evidence] };
  }

  get elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  private add(entry: Omit<TraceEntry, 'atMs'>): void {
    const full = { atMs: this.elapsedMs, ...entry };
    this.trace.push(full);
    this.sink(full);
  }
}
