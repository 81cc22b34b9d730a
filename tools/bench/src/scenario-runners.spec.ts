import { waitForScenarioRunners, type ScenarioWait } from './scenario-runners';

/** A fake machine: `alive` answers from a script of pid lists, and sleeping moves a fake clock. */
function fakeWait(script: number[][], timeoutMs: number): ScenarioWait & { lines: string[]; slept: number[] } {
  let clock = 0;
  let call = 0;
  const lines: string[] = [];
  const slept: number[] = [];
  return {
    lines,
    slept,
    timeoutMs,
    alive: () => script[Math.min(call++, script.length - 1)],
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    now: () => clock,
    say: (line) => lines.push(line),
  };
}

describe('waiting for scenarios still playing', () => {
  it('goes on at once, saying nothing, when none is running', async () => {
    const wait = fakeWait([[]], 600_000);
    await expect(waitForScenarioRunners(wait)).resolves.toBe(true);
    expect(wait.lines).toEqual([]);
    expect(wait.slept).toEqual([]);
  });

  it('waits, saying so, until the runner has ended', async () => {
    const wait = fakeWait([[4242], [4242], [4242], []], 600_000);
    await expect(waitForScenarioRunners(wait)).resolves.toBe(true);
    expect(wait.slept).toEqual([1000, 1000, 1000]);
    expect(wait.lines[0]).toMatch(/pid 4242.*up to 600 s.*MYNA_DEMO_SCENARIOS=off/);
    expect(wait.lines[1]).toBe('the scenarios have finished');
  });

  it('measures anyway after its deadline, warning that the figures include their load', async () => {
    const wait = fakeWait([[7, 8]], 2_400);
    await expect(waitForScenarioRunners(wait)).resolves.toBe(false);
    expect(wait.slept).toEqual([1000, 1000, 400]);
    expect(wait.lines.at(-1)).toBe('warning: scenarios still playing after 2 s (pid 7, 8): the figures below include their load');
  });
});
