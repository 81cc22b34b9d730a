import type { Service } from '@myna/protocol';
import type { FederationResources } from '../federation/federation-resources';
import type { Exhibit, TracedMessage } from './trace-format';

/** Who a line of the narrated trace is about: a service, or someone outside the federation. */
export type Actor = Service | 'citizen' | 'card' | 'attacker' | 'auditor' | 'runner';

/**
 * What a scenario saw. A check is a claim about the real system that holds or
 * not; a measurement is reported as observed and never decides the verdict (the
 * quasi-identifier joins, what a breached hub could do).
 */
export interface Evidence {
  kind: 'check' | 'measurement';
  /** What was checked or measured, in one sentence. */
  statement: string;
  /** Checks only: whether it held. */
  holds?: boolean;
  /** What was actually seen: counts, tables, columns, reasons. */
  detail: string;
  /** The same, machine-readable, for the JSON report. */
  data?: unknown;
}

export type Verdict = 'PASS' | 'FAIL';

export interface ScenarioOutcome {
  verdict: Verdict;
  evidence: Evidence[];
}

/**
 * One line of the narrated trace: who did what, what they saw, and the checks as
 * they were made; and each message the queues carried meanwhile (`message`, read
 * off the queues when the scenario ends and placed at the time it was sent).
 */
export interface TraceEntry {
  /** Milliseconds since the scenario started. */
  atMs: number;
  kind: 'say' | 'check' | 'measurement' | 'message';
  actor?: Actor;
  text: string;
  holds?: boolean;
  message?: TracedMessage;
}

export interface ScenarioContext extends FederationResources {
  /** A short tag unique to this scenario run: synthetic citizens carry it, so reruns never collide. */
  readonly tag: string;
  /** Narrates one step: who did it, or what that party saw. */
  say(actor: Actor, text: string): void;
  /** Records a check against the real system; returns whether it held. */
  check(statement: string, holds: boolean, detail: string, data?: unknown): boolean;
  /** Records a measurement (reported, never decides the verdict). */
  measure(statement: string, detail: string, data?: unknown): void;
  /** Keeps a picture of what was seen for reports/index.html (one exchange from every side, the join attack); never decides the verdict. */
  exhibit(exhibit: Exhibit): void;
  /** PASS when at least one check was made and every check held. */
  conclude(): ScenarioOutcome;
}

export interface Scenario {
  /** Kebab-case name, as given on the command line. */
  name: string;
  /** The FAQ claim (DESIGN §1, §8) that the scenario tests. */
  claim: string;
  /** What a PASS proves, in one line (the README's table). */
  proves: string;
  run(context: ScenarioContext): Promise<ScenarioOutcome>;
  /**
   * Why this run mode cannot play the scenario at all (e.g. it must kill a process the
   * runner cannot start here), or undefined. A full run leaves such a scenario out and
   * names it with the reason, as not played: never a PASS. Named on the command line, it
   * is played and fails with that reason.
   */
  unavailable?(resources: FederationResources): Promise<string | undefined>;
}

export interface ScenarioResult {
  name: string;
  claim: string;
  proves: string;
  verdict: Verdict;
  startedAt: string;
  durationMs: number;
  evidence: Evidence[];
  trace: TraceEntry[];
  /** Pictures for reports/index.html, in the order they were kept. */
  exhibits?: Exhibit[];
  /** Set when the scenario stopped on an error (it then FAILs). */
  error?: string;
}
