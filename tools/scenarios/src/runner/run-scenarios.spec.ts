import type { FederationResources } from '../federation/federation-resources';
import { firstProblem } from './console-narrator';
import { runScenarios } from './run-scenarios';
import type { Scenario, TraceEntry } from './scenario';

// The runner never touches the federation itself: scenarios do, through the resources.
const resources = {} as FederationResources;

const scenario = (name: string, run: Scenario['run']): Scenario => ({ name, claim: `${name} claim`, proves: `${name} proves`, run });

describe('running scenarios', () => {
  it('passes a scenario whose checks all hold, and keeps its narrated trace and evidence', async () => {
    const traced: string[] = [];
    const [result] = await runScenarios(
      [
        scenario('sound', async (context) => {
          context.say('pension-agency', 'asks tax for annual-income');
          context.check('the answer arrived', true, 'answered');
          context.measure('quasi-identifier joins', '3 persons linked');
          return context.conclude();
        }),
      ],
      resources,
      { observer: { traced: (_scenario, entry: TraceEntry) => traced.push(`${entry.kind}:${entry.actor ?? ''}:${entry.text}`) } },
    );
    expect(result).toMatchObject({ name: 'sound', claim: 'sound claim', verdict: 'PASS' });
    expect(result.evidence).toEqual([
      { kind: 'check', statement: 'the answer arrived', holds: true, detail: 'answered' },
      { kind: 'measurement', statement: 'quasi-identifier joins', detail: '3 persons linked' },
    ]);
    expect(traced).toEqual([
      'say:pension-agency:asks tax for annual-income',
      'check::the answer arrived: answered',
      'measurement::quasi-identifier joins: 3 persons linked',
    ]);
  });

  it('fails a scenario when one check does not hold, and names it', async () => {
    const [result] = await runScenarios(
      [
        scenario('broken', async (context) => {
          context.check('first', true, 'ok');
          context.check('no My Number in tax-agency', false, 'person.my_number: identifier-column');
          return context.conclude();
        }),
      ],
      resources,
    );
    expect(result.verdict).toBe('FAIL');
    expect(firstProblem(result)).toBe('no My Number in tax-agency: person.my_number: identifier-column');
  });

  it('fails a scenario that checked nothing: a measurement alone proves nothing', async () => {
    const [result] = await runScenarios([scenario('idle', async (context) => (context.measure('x', 'y'), context.conclude()))], resources);
    expect(result.verdict).toBe('FAIL');
    expect(firstProblem(result)).toBe('the scenario made at least one check: no check was made, so nothing was shown');
  });

  it('fails a scenario that throws, and goes on with the next one', async () => {
    const results = await runScenarios(
      [
        scenario('throws', async () => {
          throw new Error('tax-agency answered 503');
        }),
        scenario('after', async (context) => (context.check('ran', true, 'yes'), context.conclude())),
      ],
      resources,
    );
    expect(results.map((result) => [result.name, result.verdict, result.error])).toEqual([
      ['throws', 'FAIL', 'tax-agency answered 503'],
      ['after', 'PASS', undefined],
    ]);
    expect(firstProblem(results[0])).toBe('tax-agency answered 503');
  });

  it('fails a scenario that runs past its deadline', async () => {
    const [result] = await runScenarios([scenario('slow', () => new Promise(() => undefined))], resources, { scenarioTimeoutMs: 50 });
    expect(result).toMatchObject({ verdict: 'FAIL', error: 'the scenario did not finish within 0 s' });
  });

  it('gives every scenario run its own tag for its synthetic citizens', async () => {
    const tags: string[] = [];
    const record = scenario('tagged', async (context) => (tags.push(context.tag), context.check('ran', true, 'yes'), context.conclude()));
    await runScenarios([record, record], resources);
    expect(tags[0]).toMatch(/^[0-9a-f]{6}$/);
    expect(tags[1]).not.toBe(tags[0]);
  });

  it('keeps the exhibits a scenario showed, in order, apart from its evidence', async () => {
    const exhibit = { kind: 'join-attack' as const, dumps: [], columnPairsTried: 0, joins: [], quasiIdentifierJoins: [], identifierLinks: 0 };
    const [result] = await runScenarios([scenario('pictured', async (context) => (context.exhibit(exhibit), context.check('ran', true, 'yes'), context.conclude()))], resources);
    expect(result.exhibits).toEqual([exhibit]);
    expect(result.evidence).toHaveLength(1);
    const [plain] = await runScenarios([scenario('plain', async (context) => (context.check('ran', true, 'yes'), context.conclude()))], resources);
    expect(plain.exhibits).toBeUndefined();
  });
});
