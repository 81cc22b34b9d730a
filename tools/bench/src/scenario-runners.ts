// `npm run demo` plays every scenario once when it starts, for minutes, in a process
// of its own: a bench started meanwhile would time the federation under that load.

/** How long the bench waits for scenarios still playing before it measures anyway. */
export const SCENARIO_WAIT_MS = 600_000;
const POLL_MS = 1_000;

export interface ScenarioWait {
  /** Pids of the scenario runners still alive. */
  alive: () => number[];
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  say: (line: string) => void;
  timeoutMs: number;
}

/**
 * Waits, saying so, until no scenario runner is left, or until `timeoutMs` has passed.
 * Resolves true when none is left; false (after a warning) when the figures will include their load.
 */
export async function waitForScenarioRunners(wait: ScenarioWait): Promise<boolean> {
  let pids = wait.alive();
  if (pids.length === 0) return true;
  const seconds = Math.round(wait.timeoutMs / 1000);
  wait.say(
    `scenarios are still playing on this machine (scenario runner, pid ${pids.join(', ')}): waiting up to ${seconds} s for them to finish, so that their load stays out of the figures ` +
      '(npm run demo plays them once at start; MYNA_DEMO_SCENARIOS=off starts it without them)…',
  );
  const deadline = wait.now() + wait.timeoutMs;
  while (pids.length > 0 && wait.now() < deadline) {
    await wait.sleep(Math.min(POLL_MS, deadline - wait.now()));
    pids = wait.alive();
  }
  if (pids.length === 0) {
    wait.say('the scenarios have finished');
    return true;
  }
  wait.say(`warning: scenarios still playing after ${seconds} s (pid ${pids.join(', ')}): the figures below include their load`);
  return false;
}
