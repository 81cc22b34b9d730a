import { AGENCIES, type Agency } from '@myna/protocol';
import { OperatorClient } from '@myna/operator-client';
import { queryAs, startTestFederation, testOperatorCredentialsDir, type TestFederation } from '@myna/testing';
import { runSeedCommand } from './seed-command';
import { SyntheticPopulation } from './synthetic-population';

// The seed against real service processes on real PostgreSQL: the agencies' own
// strict record schemas accept what the generator makes, and a re-run is a no-op.
type Party = 'code-issuer' | Agency;
const PARTIES: Party[] = ['code-issuer', ...AGENCIES];
const CITIZENS = 200;
const SEED = 'integration';

describe('npm run seed, against a running federation', () => {
  let federation: TestFederation<Party>;
  const population = new SyntheticPopulation(SEED).citizens(0, CITIZENS);
  const expected = (agency: Agency) => population.filter((citizen) => citizen.records[agency]).length;

  const seed = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const flags = [...PARTIES.flatMap((party) => [`--${party}-url`, federation.urls[party]]), '--credentials', testOperatorCredentialsDir()];
    const code = await runSeedCommand([...argv, ...flags], {}, { out: (line) => out.push(line), err: (line) => err.push(line) });
    // A failed run's own output is the useful failure message.
    if (code !== 0) throw new Error(`seed ${argv.join(' ')} exited ${code}:\n${[...err, ...out].join('\n')}`);
    return { out: out.join('\n'), err: err.join('\n') };
  };
  const count = async (party: Party) => {
    const operators = new OperatorClient({ credentialsDir: testOperatorCredentialsDir(), urls: federation.urls });
    const answer = await operators.request<{ count: number }>(party, party === 'code-issuer' ? 'registrar' : 'records-clerk', 'GET', `/${party === 'code-issuer' ? 'citizens' : 'persons'}/count`);
    return answer.body.count;
  };
  const rows = async (agency: Agency, sql: string) => Number((await queryAs<{ n: string }>(federation.databases[agency].url, sql))[0].n);

  beforeAll(async () => {
    federation = await startTestFederation(PARTIES);
  }, 180_000);

  afterAll(async () => {
    await federation?.stop();
  });

  it('registers every citizen and enrols each agency’s people, with their records and no contact data', async () => {
    const run = await seed('--citizens', String(CITIZENS), '--seed', SEED, '--batch-size', '50', '--agency-batch-size', '30', '--concurrency', '3');
    expect(run.out).toContain(`seed: done in`);
    expect(run.out).toContain(`${CITIZENS} citizens (${CITIZENS} registered)`);
    expect(run.err).not.toContain('refused');

    expect(await count('code-issuer')).toBe(CITIZENS);
    for (const agency of AGENCIES) expect(await count(agency)).toBe(expected(agency));
    expect(expected('health-agency')).toBeGreaterThan(expected('pension-agency'));
    expect(expected('pension-agency')).toBeGreaterThan(expected('tax-agency') * 0.9);

    const incomes = population.reduce((sum, citizen) => sum + (citizen.records['tax-agency']?.incomes.length ?? 0), 0);
    const claims = population.reduce((sum, citizen) => sum + (citizen.records['health-agency']?.claims.length ?? 0), 0);
    const benefits = population.filter((citizen) => citizen.records['pension-agency']?.benefits[0].status === 'receiving').length;
    expect(await rows('tax-agency', 'SELECT count(*) AS n FROM income_record')).toBe(incomes);
    expect(await rows('health-agency', 'SELECT count(*) AS n FROM medical_claim')).toBe(claims);
    expect(await rows('pension-agency', "SELECT count(*) AS n FROM pension_benefit WHERE status = 'receiving'")).toBe(benefits);
    for (const agency of AGENCIES) {
      expect(await rows(agency, 'SELECT count(*) AS n FROM person WHERE contact_name IS NOT NULL OR contact_address IS NOT NULL OR contact_date_of_birth IS NOT NULL')).toBe(0);
    }
  }, 180_000);

  it('changes nothing when run again with the same seed', async () => {
    const run = await seed('--citizens', String(CITIZENS), '--seed', SEED);
    expect(run.out).toContain(`0 registered, ${CITIZENS} already registered`);
    expect(run.out).toContain(`tax 0 (+${expected('tax-agency')} already)`);
    expect(await count('code-issuer')).toBe(CITIZENS);
    for (const agency of AGENCIES) expect(await count(agency)).toBe(expected(agency));
  }, 180_000);

  it('with --resume, skips what the register shows is done', async () => {
    const run = await seed('--citizens', String(CITIZENS), '--seed', SEED, '--resume', '--batch-size', '50', '--concurrency', '1');
    expect(run.err).toContain('citizens #150–#199');
    expect(run.out).toContain('50 citizens (0 registered, 50 already registered)');
  }, 180_000);

  it('lets agencies keep contact data with --contact-data', async () => {
    const contactSeed = 'integration-contact';
    const people = new SyntheticPopulation(contactSeed).citizens(0, 20);
    await seed('--citizens', '20', '--seed', contactSeed, '--contact-data');
    const withContact = await queryAs<{ contact_name: string }>(federation.databases['health-agency'].url, 'SELECT contact_name FROM person WHERE contact_name IS NOT NULL');
    expect(withContact.map((row) => row.contact_name).sort()).toEqual(people.filter((citizen) => citizen.records['health-agency']).map((citizen) => citizen.facts.name).sort());
  }, 180_000);
});
