import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CODE_HOLDERS, SERVICES, type Service } from '@myna/protocol';
import { DEMO_CITIZENS, provisionDemoCitizens } from '@myna/card-wallet';
import { OperatorClient } from '@myna/operator-client';
import {
  federationAsGiven,
  freePort,
  startTestCardReader,
  startTestFederation,
  testOperatorCredentialsDir,
  type TestFederation,
  type TestProcess,
} from '@myna/testing';
import { shown } from './analysis/shown';
import { openFederation, type FederationResources } from './federation/federation-resources';
import type { FederationTarget } from './federation/federation-target';
import { buildReport, writeReports } from './report/scenario-report';
import { ConsoleNarrator, firstProblem } from './runner/console-narrator';
import { runScenarios } from './runner/run-scenarios';
import type { ScenarioResult } from './runner/scenario';
import type { DecodedLayer, TracedMessage } from './runner/trace-format';
import { SCENARIOS, scenariosNamed } from './scenarios';

// The runner against real service processes, real PostgreSQL and Redis: every
// scenario passes on a sound federation, and breaking a guarantee on purpose
// makes the scenario that guards it fail, naming what broke.

let federation: TestFederation<Service>;
let reader: TestProcess;
let cardStoreDir: string;
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
  // The citizen's card reader, with one citizen's card in it (the cross-site scenario attacks it).
  cardStoreDir = await mkdtemp(path.join(tmpdir(), 'scenario-cards-'));
  const operators = new OperatorClient({ credentialsDir: testOperatorCredentialsDir(), urls: federation.urls });
  await provisionDemoCitizens({ operators, cardStoreDir, seedExchanges: false, citizens: [DEMO_CITIZENS[0]] });
  const cardReader = await startTestCardReader({ port: await freePort(), cardStoreDir, portalUrl: federation.urls['myna-portal'] });
  reader = cardReader;
  target = { ...(await federationAsGiven(federation)), cardReaderUrl: cardReader.url };
  resources = openFederation(target);
}, 420_000);

afterAll(async () => {
  await resources?.close();
  await reader?.stop();
  await federation?.stop();
  if (cardStoreDir) await rm(cardStoreDir, { recursive: true, force: true });
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

  // worker-crash-no-loss kills a worker it started mid-flow: it passes only on a recovery it saw.
  it('worker-crash-no-loss saw every job the killed worker held taken over, nothing lost or doubled', () => {
    const result = results.find((candidate) => candidate.name === 'worker-crash-no-loss')!;
    const checks = result.evidence.filter((evidence) => evidence.kind === 'check');
    expect(checks.map((check) => `${check.holds ? 'holds' : 'FAILS'}: ${check.statement}: ${check.detail}`).filter((line) => line.startsWith('FAILS'))).toEqual([]);
    expect(checks.map((check) => check.statement)).toEqual([
      'every job the killed worker held was taken over by another worker once its lock lapsed',
      expect.stringMatching(/^nothing lost/),
      expect.stringMatching(/^nothing done twice/),
    ]);
    expect(result.verdict).toBe('PASS');
  });

  it('worker-crash-no-loss does not pass where it cannot kill a worker (no Redis user of the provider), and says why', async () => {
    const given = openFederation({ ...target, serviceRedisUrls: {} });
    try {
      const [result] = await runScenarios(scenariosNamed(['worker-crash-no-loss']), given, { scenarioTimeoutMs: 120_000 });
      expect(result.verdict).toBe('FAIL');
      expect(result.evidence).toEqual([expect.objectContaining({ kind: 'check', holds: false, detail: expect.stringContaining('no Redis user of tax-agency') })]);
    } finally {
      await given.close();
    }
  }, 120_000);

  it('can be played again on the same federation: nothing the first run left behind (refused messages, squatted job ids) is kept by two parties', async () => {
    // As an auditor does after `npm run demo`, which has already played them all once.
    expect(problems(await play(['decentralized-storage', 'cross-agency-join-attack']))).toEqual([]);
  }, 300_000);

  it('writes the JSON and Markdown reports', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scenario-reports-'));
    const written = await writeReports(dir, buildReport(results, target, new Date()));
    const json = JSON.parse(await readFile(written.json, 'utf8'));
    expect(json).toMatchObject({ format: 'myna/scenario-report', summary: { verdict: 'PASS', total: SCENARIOS.length, failed: 0 } });
    const markdown = await readFile(written.markdown, 'utf8');
    for (const scenario of SCENARIOS) expect(markdown).toContain(`## ${scenario.name}`);
    expect(markdown).not.toContain(federation.databases['tax-agency'].url);
  });

  it('writes reports/index.html: Chromium opens it offline, its panels show the trace’s values, no party’s panel holds what it must not, and axe finds nothing serious', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scenario-reports-'));
    const written = await writeReports(dir, buildReport(results, target, new Date()));
    const bytes = (await stat(written.html)).size;
    process.stdout.write(`reports/index.html of the full run: ${bytes} bytes\n`);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);

    // What each party holds, from its own database: the test looks for them where they must not be.
    const myNumbers = (await resources.databases.query<{ my_number: string }>('code-issuer', 'SELECT my_number FROM citizen')).map((row) => row.my_number);
    const codesOf = new Map<string, string[]>();
    for (const holder of CODE_HOLDERS) {
      const sql = holder === 'myna-portal' ? 'SELECT portal_code AS code FROM exchange_record UNION SELECT portal_code FROM self_disclosure' : 'SELECT agency_code AS code FROM person';
      codesOf.set(holder, (await resources.databases.query<{ code: string }>(holder, sql)).map((row) => row.code));
    }
    expect(myNumbers.length).toBeGreaterThan(0);

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const context = await browser.newContext({ offline: true, viewport: { width: 1600, height: 1000 } });
      const requests: string[] = [];
      context.on('request', (request) => requests.push(request.url()));
      const page = await context.newPage();
      await page.goto(`file://${written.html}`);
      expect(await page.title()).toMatch(/^Scenario report: PASS/);

      // One exchange, message by message, by mouse and (the first) by keyboard.
      const scenario = results.find((result) => result.name === 'no-my-number-in-transit')!;
      const messages = scenario.trace.map((entry) => entry.message).filter((message): message is TracedMessage => message !== undefined);
      expect(messages.map((message) => message.jobName)).toEqual(['inquiry', 'delivery', 'answer', 'result', 'exchange-record']);
      for (const [index, message] of messages.entries()) {
        const anchor = `s-no-my-number-in-transit-m${index + 1}`;
        const arrow = page.locator(`a[href="#${anchor}"]`);
        if (index === 0) {
          await arrow.focus();
          await page.keyboard.press('Enter');
        } else {
          await arrow.click();
        }
        const panel = page.locator(`#${anchor}`);
        await panel.waitFor({ state: 'visible' });
        const meta = await panel.locator('dl.meta').innerText();
        // The token the panel shows is the one on the queue now, in Redis.
        const queued = await resources.queues.tokenOnQueue(message.queue, message.jobId);
        expect(queued).toBeDefined();
        for (const value of [message.queue, message.jobId, message.outcome, message.token, shown(queued!)]) expect(meta).toContain(value);
        const anyone = await panel.locator('[data-party="anyone"]').innerText();
        for (const value of readableValues(message.layers)) expect(anyone).toContain(value);
        for (const party of SERVICES) {
          const card = await panel.locator(`article[data-party="${party}"]`).innerText();
          for (const value of openedValues(message.layers, party)) expect(card).toContain(value);
          expect(card).toContain(message.from === party ? 'sent it' : message.to === party ? 'received it' : 'not a party to it');
        }
      }
      // tax opens the delivery to its own code, as its own database keeps it.
      const delivery = await page.locator('#s-no-my-number-in-transit-m2 article[data-party="tax-agency"]').innerText();
      expect(delivery).toContain('Decrypts it to its own code');
      expect(codesOf.get('tax-agency')!.filter((code) => delivery.includes(shown(code)))).toHaveLength(1);
      await checkNoLeaks(page, myNumbers, codesOf);
      await page.locator('#views-permitted').scrollIntoViewIfNeeded();
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'six-views.png') });

      // Accessibility with a message's panel open: axe-core from npm, injected from disk.
      await page.goto(`file://${written.html}#s-no-my-number-in-transit-m2`);
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate<{ id: string; impact: string; help: string; nodes: number }[]>(
        'axe.run(document).then((found) => found.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))',
      );
      process.stdout.write(`axe: ${violations.length === 0 ? 'no violations' : JSON.stringify(violations)}\n`);
      expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);

      // At 200% zoom (half the width in CSS pixels) the page reflows: only the diagrams scroll sideways, in their own boxes.
      await page.setViewportSize({ width: 640, height: 800 });
      expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
      expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  }, 180_000);
});

const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts/scenario-report');

/** The values anyone reads of a message: headers and claims down to the first sealed layer, as the trace records them. */
function readableValues(layer: DecodedLayer): string[] {
  if (layer.kind === 'jws') return [...Object.values(layer.header), ...layer.claims.flatMap((claim) => (claim.layer ? readableValues(claim.layer) : [claim.name, claim.value ?? '']))];
  if (layer.kind === 'jwe') return [...Object.values(layer.header), layer.ciphertext];
  if (layer.kind === 'code-ciphertext') return [layer.ciphertext];
  return [layer.value];
}

/** The values a party reads behind the layers its own key opened, as the trace records them. */
function openedValues(layer: DecodedLayer, party: Service, opened = false): string[] {
  const mine = (attempts: { party: Service; opened: boolean }[]) => attempts.some((attempt) => attempt.party === party && attempt.opened);
  if (layer.kind === 'jws') return layer.claims.flatMap((claim) => (claim.layer ? openedValues(claim.layer, party, opened) : opened ? [claim.value ?? ''] : []));
  if (layer.kind === 'jwe') return mine(layer.attempts) && layer.inner ? openedValues(layer.inner, party, true) : [];
  if (layer.kind === 'code-ciphertext') return mine(layer.attempts) && layer.code ? [layer.code] : [];
  return [];
}

/**
 * Every panel of the page (message cards, six-views columns, what anyone reads):
 * no My Number anywhere, and no party's code in a panel of another party.
 */
async function checkNoLeaks(page: Page, myNumbers: readonly string[], codesOf: ReadonlyMap<string, readonly string[]>): Promise<void> {
  const panels = await page.locator('[data-party]').evaluateAll((elements) => elements.map((element) => ({ party: element.getAttribute('data-party') ?? '', text: element.textContent ?? '' })));
  const whole = await page.evaluate<string>('document.documentElement.textContent');
  expect(myNumbers.filter((myNumber) => whole.includes(myNumber))).toEqual([]);
  expect(panels.length).toBeGreaterThan(100);
  const leaks: string[] = [];
  for (const panel of panels) {
    for (const [holder, codes] of codesOf) {
      if (holder === panel.party) continue;
      for (const code of codes) if (panel.text.includes(code.slice(0, 14))) leaks.push(`${holder}'s code ${code.slice(0, 14)}… in a panel of ${panel.party}`);
    }
  }
  expect(leaks).toEqual([]);
}

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
