import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVICES, type Service } from '@myna/protocol';
import { startTestFederation, TEST_REDIS_PREFIX, TEST_REDIS_URL, testKeysDir, testRedisUrlFor, type TestFederation } from '@myna/testing';
import { openFederation, type FederationResources } from './federation/federation-resources';
import type { FederationTarget } from './federation/federation-target';
import { buildReport, writeReports } from './report/scenario-report';
import { ConsoleNarrator, firstProblem } from './runner/console-narrator';
import { runScenarios } from './runner/run-scenarios';
import type { ScenarioResult } from './runner/scenario';
import { SCENARIOS, scenariosNamed } from './scenarios';

// The runner against real service processes, real PostgreSQL and Redis: every
// scenario passes on a sound federation, and breaking a guarantee on purpose
// makes the scenario that guards it fail, naming what broke.

let federation: TestFederation<Service>;
let resources: FederationResources & { close(): Promise<void> };
let target: FederationTarget;
const transcript: string[] = [];

const play = (names: readonly string[]): Promise<ScenarioResult[]> =>
  runScenarios(scenariosNamed(names), resources, {
    scenarioTimeoutMs: 240_000,
    observer: new ConsoleNarrator({ write: (text) => transcript.push(text), detail: 'trace', color: false }),
  });

const problems = (results: readonly ScenarioResult[]) => results.filter((result) => result.verdict === 'FAIL').map((result) => `${result.name}: ${firstProblem(result)}`);

/** Six services compiled on the fly can miss the health deadline on a busy machine: one more try. */
async function startFederation(): Promise<TestFederation<Service>> {
  try {
    return await startTestFederation(SERVICES);
  } catch (error) {
    process.stderr.write(`the test federation did not start (${error instanceof Error ? error.message : String(error)}); trying once more\n`);
    return startTestFederation(SERVICES);
  }
}

beforeAll(async () => {
  federation = await startFederation();
  target = {
    mode: 'given',
    urls: federation.urls,
    databaseUrls: Object.fromEntries(SERVICES.map((service) => [service, federation.databases[service].url])) as Record<Service, string>,
    redisUrl: TEST_REDIS_URL,
    redisPrefix: TEST_REDIS_PREFIX,
    serviceRedisUrls: Object.fromEntries(await Promise.all(SERVICES.map(async (service) => [service, await testRedisUrlFor(service)] as const))),
    keysDir: path.dirname(testKeysDir('exchange-hub')),
  };
  resources = openFederation(target);
}, 420_000);

afterAll(async () => {
  await resources?.close();
  await federation?.stop();
});

afterEach(() => {
  // SCENARIO_TRACE=1 shows what the scenarios saw (a failure already names the first broken check).
  if (process.env.SCENARIO_TRACE) process.stdout.write(transcript.join(''));
  transcript.length = 0;
});

describe('on a sound federation', () => {
  let results: ScenarioResult[];

  it('every scenario passes', async () => {
    results = await play(SCENARIOS.map((scenario) => scenario.name));
    expect(problems(results)).toEqual([]);
    expect(results.map((result) => result.name)).toEqual(SCENARIOS.map((scenario) => scenario.name));
    for (const result of results) expect(result.evidence.filter((item) => item.kind === 'check').length).toBeGreaterThan(0);
  }, 1_200_000);

  it('writes the JSON and Markdown reports', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scenario-reports-'));
    const written = await writeReports(dir, buildReport(results, target, new Date()));
    const json = JSON.parse(await readFile(written.json, 'utf8'));
    expect(json).toMatchObject({ format: 'myna/scenario-report', summary: { verdict: 'PASS', total: SCENARIOS.length, failed: 0 } });
    const markdown = await readFile(written.markdown, 'utf8');
    for (const scenario of SCENARIOS) expect(markdown).toContain(`## ${scenario.name}`);
    expect(markdown).not.toContain(federation.databases['tax-agency'].url);
  });
});

describe('a guarantee broken on purpose fails the scenario that guards it', () => {
  it('a My Number kept by two agencies fails decentralized-storage and the join attack, naming the table and column', async () => {
    const citizen = await resources.federation.registerCitizen({ name: 'Planted Person', address: '1-1-1 Test-cho, Example City', dateOfBirth: '1970-01-01', gender: 'other' });
    for (const agency of ['tax-agency', 'pension-agency'] as const) {
      const personId = await resources.federation.enrol(agency, citizen);
      // What a careless agency would do: keep the number "just in case".
      await resources.databases.query(agency, 'ALTER TABLE person ADD COLUMN IF NOT EXISTS my_number text');
      await resources.databases.query(agency, 'UPDATE person SET my_number = $1 WHERE id = $2', [citizen.myNumber, personId]);
    }
    try {
      const [storage, join] = await play(['decentralized-storage', 'cross-agency-join-attack']);
      expect(storage.verdict).toBe('FAIL');
      const storageBroken = storage.evidence.filter((item) => item.kind === 'check' && !item.holds).map((item) => item.detail).join('\n');
      expect(storageBroken).toContain('person.my_number: identifier-column');
      expect(storageBroken).toContain('person.my_number: my-number-like (1 rows)');

      expect(join.verdict).toBe('FAIL');
      const joinBroken = join.evidence.find((item) => item.statement.startsWith('no two dumps share an identifier-like value'));
      expect(joinBroken).toMatchObject({ holds: false });
      expect(joinBroken!.detail).toContain('tax-agency person.my_number = pension-agency person.my_number: 1 persons linked');
    } finally {
      for (const agency of ['tax-agency', 'pension-agency'] as const) await resources.databases.query(agency, 'ALTER TABLE person DROP COLUMN my_number');
    }
  }, 600_000);

  it('a provider’s handle kept by the requester too fails the join attack, naming both columns', async () => {
    const [{ handle }] = await resources.databases.query<{ handle: string }>('tax-agency', 'SELECT handle FROM provided_exchange LIMIT 1');
    // A requester that wrote down the handle it saw in transit.
    await resources.databases.query('pension-agency', 'ALTER TABLE inquiry ADD COLUMN IF NOT EXISTS seen_handle uuid');
    await resources.databases.query('pension-agency', 'UPDATE inquiry SET seen_handle = $1 WHERE id = (SELECT id FROM inquiry LIMIT 1)', [handle]);
    try {
      const [join] = await play(['cross-agency-join-attack']);
      expect(join.verdict).toBe('FAIL');
      const broken = join.evidence.find((item) => item.statement.startsWith('no two dumps share an identifier-like value'));
      expect(broken).toMatchObject({ holds: false });
      expect(broken!.detail).toContain('tax-agency provided_exchange.handle = pension-agency inquiry.seen_handle');
    } finally {
      await resources.databases.query('pension-agency', 'ALTER TABLE inquiry DROP COLUMN seen_handle');
    }
  }, 600_000);

  it('an agency code left in the hub’s database fails hub-breach', async () => {
    const [{ agency_code: code }] = await resources.databases.query<{ agency_code: string }>('tax-agency', 'SELECT agency_code FROM person LIMIT 1');
    const [{ id }] = await resources.databases.query<{ id: string }>('exchange-hub', 'SELECT id FROM exchange LIMIT 1');
    const [{ reason }] = await resources.databases.query<{ reason: string | null }>('exchange-hub', 'SELECT reason FROM exchange WHERE id = $1', [id]);
    // A debugging line that logged the decrypted subject into the exchange log.
    await resources.databases.query('exchange-hub', 'UPDATE exchange SET reason = $1 WHERE id = $2', [`debug: subject was ${code}`, id]);
    try {
      const [breach] = await play(['hub-breach']);
      expect(breach.verdict).toBe('FAIL');
      const broken = breach.evidence.find((item) => item.kind === 'check' && !item.holds);
      expect(broken?.statement).toMatch(/no code, My Number, residence code, serial or answer is in the hub’s database/);
      expect(broken?.detail).toContain('a tax-agency code in exchange.reason');
    } finally {
      await resources.databases.query('exchange-hub', 'UPDATE exchange SET reason = $1 WHERE id = $2', [reason, id]);
    }
  }, 600_000);
});
