import { randomBytes } from 'node:crypto';
import type { FederationResources } from '../federation/federation-resources';
import type { Scenario, ScenarioContext, ScenarioResult, TraceEntry } from './scenario';
import { captureMessages } from './message-capture';
import { ScenarioRecorder } from './scenario-recorder';

export interface RunObserver {
  started?(scenario: Scenario): void;
  traced?(scenario: Scenario, entry: TraceEntry): void;
  finished?(result: ScenarioResult): void;
}

export interface RunOptions {
  /** A scenario still running after this is stopped and FAILs. */
  scenarioTimeoutMs?: number;
  observer?: RunObserver;
  /** Read the messages each scenario's queues carried into its trace, for reports/index.html (default: yes, when there are queues). */
  captureMessages?: boolean;
}

export const DEFAULT_SCENARIO_TIMEOUT_MS = 5 * 60_000;

/** Runs scenarios one after another (they share one federation); an error or a timeout FAILs that scenario only. */
export async function runScenarios(
  scenarios: readonly Scenario[],
  resources: FederationResources,
  options: RunOptions = {},
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    options.observer?.started?.(scenario);
    const result = await runOne(scenario, resources, options);
    results.push(result);
    options.observer?.finished?.(result);
  }
  return results;
}

async function runOne(scenario: Scenario, resources: FederationResources, options: RunOptions): Promise<ScenarioResult> {
  const capture = options.captureMessages !== false && resources.queues !== undefined;
  // Messages still in flight from before (the demo's own citizens, say) finish before this scenario's window opens.
  if (capture) await resources.queues.settle();
  const startedAt = new Date();
  const recorder = new ScenarioRecorder((entry) => options.observer?.traced?.(scenario, entry));
  const context: ScenarioContext = {
    ...resources,
    tag: randomBytes(3).toString('hex'),
    say: (actor, text) => recorder.say(actor, text),
    check: (statement, holds, detail, data) => recorder.check(statement, holds, detail, data),
    measure: (statement, detail, data) => recorder.measure(statement, detail, data),
    exhibit: (exhibit) => recorder.exhibit(exhibit),
    conclude: () => recorder.conclude(),
  };
  // A scenario past its deadline is reported as failed at once; whatever it was awaiting is left to finish
  // in the background (each makes its own citizens, so the next scenario's evidence is not affected).
  const timeoutMs = options.scenarioTimeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the scenario did not finish within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  let error: string | undefined;
  let outcome;
  try {
    outcome = await Promise.race([scenario.run(context), timeout]);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
    recorder.check('the scenario ran to its end', false, `it stopped: ${error}`);
    outcome = recorder.conclude();
  } finally {
    clearTimeout(timer);
  }
  const durationMs = Date.now() - startedAt.getTime();
  if (capture) await captureMessages(resources, recorder, recorder.startedAtMs);
  return {
    name: scenario.name,
    claim: scenario.claim,
    proves: scenario.proves,
    verdict: error ? 'FAIL' : outcome.verdict,
    startedAt: startedAt.toISOString(),
    durationMs,
    evidence: recorder.evidence,
    trace: recorder.trace,
    ...(recorder.exhibits.length > 0 ? { exhibits: recorder.exhibits } : {}),
    ...(error ? { error } : {}),
  };
}
