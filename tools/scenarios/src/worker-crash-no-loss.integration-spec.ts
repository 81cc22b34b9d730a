import { SERVICES, type Service } from '@myna/protocol';
import { federationAsGiven, startTestFederation, type TestFederation } from '@myna/testing';
import { openFederation } from './federation/federation-resources';
import type { FederationTarget } from './federation/federation-target';
import { runScenarios } from './runner/run-scenarios';
import { scenariosNamed } from './scenarios';

// worker-crash-no-loss on real service processes, PostgreSQL and Redis: it kills a
// worker it started mid-flow and passes only on a recovery it saw; given no means to
// start a worker (no Redis user of the provider), it says so and fails.
describe('worker-crash-no-loss', () => {
  let federation: TestFederation<Service>;
  let target: FederationTarget;

  beforeAll(async () => {
    federation = await startTestFederation(SERVICES);
    target = await federationAsGiven(federation);
  }, 300_000);

  afterAll(async () => {
    await federation?.stop();
  });

  const play = async (given: FederationTarget) => {
    const resources = openFederation(given);
    try {
      return (await runScenarios(scenariosNamed(['worker-crash-no-loss']), resources, { scenarioTimeoutMs: 600_000 }))[0];
    } finally {
      await resources.close();
    }
  };

  it('passes when a worker it killed mid-flow was recovered from, and nothing was lost or doubled', async () => {
    const result = await play(target);
    const checks = result.evidence.filter((evidence) => evidence.kind === 'check');
    expect(checks.map((check) => `${check.holds ? 'holds' : 'FAILS'}: ${check.statement}: ${check.detail}`).filter((line) => line.startsWith('FAILS'))).toEqual([]);
    expect(checks.map((check) => check.statement)).toEqual([
      'every job the killed worker held was taken over by another worker once its lock lapsed',
      expect.stringMatching(/^nothing lost/),
      expect.stringMatching(/^nothing done twice/),
    ]);
    expect(result.verdict).toBe('PASS');
  }, 900_000);

  it('does not pass where it cannot kill a worker, and says why', async () => {
    const result = await play({ ...target, serviceRedisUrls: {} });
    expect(result.verdict).toBe('FAIL');
    expect(result.evidence).toEqual([expect.objectContaining({ kind: 'check', holds: false, detail: expect.stringContaining('no Redis user of tax-agency') })]);
  }, 120_000);
});
