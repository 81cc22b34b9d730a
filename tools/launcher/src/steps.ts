// The launcher's extension point: steps that run between its fixed phases.
// Later features add theirs here instead of editing the launcher's flow.
import type { LaunchOptions } from './args';
import { demoCitizensStep } from './demo-citizens-step';
import { keyCeremonyStep } from './key-ceremony-step';
import { playScenariosStep, publishFederationStep } from './scenarios-step';
import type { OutputLine, ServicePlan, Supervisor } from '@myna-tools/federation-host';
import type { DemoLayout, Service as ServiceName } from '@myna/protocol';
import type { ClosingNote } from './summary';

export interface ServiceEndpoint {
  plan: ServicePlan;
  /** What the service is given as DATABASE_URL. */
  databaseUrl: string;
  /** Where the launcher started it, e.g. http://localhost:<port>. */
  url: string;
}

export interface LaunchContext {
  options: LaunchOptions;
  paths: DemoLayout;
  services: readonly ServiceEndpoint[];
  /** Redis as its administrator (the default user is off on the demo's own redis-server). */
  redisUrl: string;
  /** The demo's card reader (the citizen's device). */
  cardReaderUrl: string;
  /** Each service's own Redis user. */
  serviceRedisUrls: Readonly<Record<ServiceName, string>>;
  /** Aborted when the launcher is asked to stop; long steps should pass it on. */
  signal: AbortSignal;
  /** Starts children that are stopped with everything else (tier 'service' for one-shot tools). */
  supervisor: Supervisor;
  /** A child's output line: into its log file (.data/logs/), and to the terminal when it should be seen there. */
  show(line: OutputLine): void;
  /** A line of the launcher's own, in the terminal. */
  log(message: string): void;
  /** A line of the launcher's own that the terminal shows with --verbose only. */
  detail(message: string): void;
  /** What the steps learned for the demo's closing note: the demo cards, the reports. */
  closing: ClosingNote;
}

export interface LaunchStep {
  name: string;
  /** Throw a LaunchError to stop the launch with a clear message. */
  run(context: LaunchContext): Promise<void>;
}

export interface LaunchSteps {
  /**
   * After Redis and every database answer, before any service starts.
   * The key ceremony (when .data/keys is missing) goes here.
   */
  beforeServices: readonly LaunchStep[];
  /**
   * After every service answers /health with 200 (also with --once).
   * Playing the scenarios goes here.
   */
  afterHealthy: readonly LaunchStep[];
}

export const DEFAULT_STEPS: LaunchSteps = {
  beforeServices: [keyCeremonyStep],
  afterHealthy: [publishFederationStep, demoCitizensStep, playScenariosStep],
};
