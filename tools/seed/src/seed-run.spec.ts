import { AGENCIES, type Agency, type BasicFacts } from '@myna/protocol';
import type { CitizenRegistration, CitizenToRegister, EnrolmentOutcome, PersonToEnrol } from './federation-client';
import { ServiceUnavailableError } from './federation-client';
import { emptyTally, refusals, resumeStart, runSeed, type SeedRunOptions, type SeedTarget } from './seed-run';
import { SyntheticPopulation } from './synthetic-population';

/**
 * The issuer's and the agencies' observable behaviour, in memory: the issuer
 * refuses a My Number it holds ('duplicate-my-number'); an agency answers
 * 'already-enrolled' for someone it knows and refuses facts that differ from the register.
 */
class FakeFederation implements SeedTarget {
  readonly register = new Map<string, BasicFacts>();
  readonly agencies = Object.fromEntries(AGENCIES.map((agency) => [agency, new Map<string, PersonToEnrol>()])) as Record<Agency, Map<string, PersonToEnrol>>;
  readonly requestSizes: number[] = [];
  readonly enrolmentSizes: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  failOnEnrolment?: number;
  private enrolmentCalls = 0;

  async registerCitizens(body: string, expected: number): Promise<CitizenRegistration[]> {
    this.requestSizes.push(Buffer.byteLength(body));
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    const { citizens } = JSON.parse(body) as { citizens: CitizenToRegister[] };
    expect(citizens).toHaveLength(expected);
    return citizens.map(({ myNumber, ...facts }) => {
      if (this.register.has(myNumber)) return { status: 'refused', reason: 'duplicate-my-number', message: 'already registered' };
      this.register.set(myNumber, facts);
      return { status: 'registered', myNumber, residenceCode: '12345678901' };
    });
  }

  async enrolPersons(agency: Agency, body: string, expected: number): Promise<EnrolmentOutcome[]> {
    this.requestSizes.push(Buffer.byteLength(body));
    if (++this.enrolmentCalls === this.failOnEnrolment) throw new ServiceUnavailableError(agency, 'http://fake', 'gone');
    const { persons } = JSON.parse(body) as { persons: PersonToEnrol[] };
    expect(persons).toHaveLength(expected);
    this.enrolmentSizes.push(persons.length);
    const known = this.agencies[agency];
    return persons.map((person) => {
      const registered = this.register.get(person.myNumber);
      if (!registered || registered.name !== person.name) return { status: 'refused', reason: 'name differs from the register' };
      if (known.has(person.myNumber)) return { status: 'already-enrolled', personId: person.myNumber };
      known.set(person.myNumber, person);
      return { status: 'enrolled', personId: person.myNumber };
    });
  }
}

const OPTIONS: SeedRunOptions = { citizens: 120, contactData: false, batchSize: 25, agencyBatchSize: 10, concurrency: 3, maxRequestBytes: 1_000_000 };
const population = new SyntheticPopulation('seed-run-spec');
const expectedAt = (agency: Agency, count = OPTIONS.citizens) => population.citizens(0, count).filter((citizen) => citizen.records[agency]).length;

describe('runSeed', () => {
  it('registers everyone and enrols each agency’s people with their records, without contact data by default', async () => {
    const federation = new FakeFederation();
    const tally = await runSeed(population, federation, OPTIONS);
    expect(tally).toMatchObject({ done: 120, registered: 120, alreadyRegistered: 0, registerRefused: 0 });
    for (const agency of AGENCIES) {
      expect(tally.agencies[agency]).toEqual({ enrolled: expectedAt(agency), alreadyEnrolled: 0, refused: 0 });
      expect(federation.agencies[agency].size).toBe(expectedAt(agency));
    }
    const someone = population.citizen(7);
    expect(federation.register.get(someone.myNumber)).toEqual(someone.facts);
    const enrolled = federation.agencies['health-agency'].get(someone.myNumber);
    expect(enrolled).toEqual({ myNumber: someone.myNumber, ...someone.facts, records: someone.records['health-agency'] });
    expect(enrolled).not.toHaveProperty('keepContactData');
  });

  it('asks agencies to keep contact data with --contact-data', async () => {
    const federation = new FakeFederation();
    await runSeed(population, federation, { ...OPTIONS, citizens: 10, contactData: true });
    for (const agency of AGENCIES) for (const person of federation.agencies[agency].values()) expect(person.keepContactData).toBe(true);
  });

  it('is idempotent: a re-run recognises everyone and changes nothing', async () => {
    const federation = new FakeFederation();
    await runSeed(population, federation, OPTIONS);
    const again = await runSeed(population, federation, OPTIONS);
    expect(again).toMatchObject({ done: 120, registered: 0, alreadyRegistered: 120, registerRefused: 0 });
    for (const agency of AGENCIES) {
      expect(again.agencies[agency]).toEqual({ enrolled: 0, alreadyEnrolled: expectedAt(agency), refused: 0 });
      expect(federation.agencies[agency].size).toBe(expectedAt(agency));
    }
    expect(federation.register.size).toBe(120);
  });

  it('extends the same population when N grows', async () => {
    const federation = new FakeFederation();
    await runSeed(population, federation, { ...OPTIONS, citizens: 50 });
    const grown = await runSeed(population, federation, OPTIONS);
    expect(grown).toMatchObject({ registered: 70, alreadyRegistered: 50 });
    expect(grown.agencies['tax-agency'].enrolled).toBe(expectedAt('tax-agency') - expectedAt('tax-agency', 50));
  });

  it('counts and reports refusals, naming the service and the citizen', async () => {
    const federation = new FakeFederation();
    const victim = population.citizen(3);
    federation.register.set(victim.myNumber, { ...victim.facts, name: 'Someone Else' });
    const reported: string[] = [];
    const tally = await runSeed(population, federation, OPTIONS, 0, { onRefusal: (service, index, reason) => reported.push(`${service} #${index}: ${reason}`) });
    const agenciesOfVictim = AGENCIES.filter((agency) => victim.records[agency]);
    expect(tally.alreadyRegistered).toBe(1);
    expect(refusals(tally)).toBe(agenciesOfVictim.length);
    expect(reported.sort()).toEqual(agenciesOfVictim.map((agency) => `${agency} #3: name differs from the register`).sort());
  });

  it('keeps at most `concurrency` batches in flight and every request within the limits', async () => {
    const federation = new FakeFederation();
    await runSeed(population, federation, { ...OPTIONS, maxRequestBytes: 6_000 });
    expect(federation.maxInFlight).toBe(3);
    expect(Math.max(...federation.requestSizes)).toBeLessThanOrEqual(6_000);
    expect(Math.max(...federation.enrolmentSizes)).toBeLessThanOrEqual(OPTIONS.agencyBatchSize);
  });

  it('starts at the given index', async () => {
    const federation = new FakeFederation();
    const tally = await runSeed(population, federation, OPTIONS, 100);
    expect(tally).toMatchObject({ done: 20, registered: 20 });
    expect(federation.register.has(population.citizen(99).myNumber)).toBe(false);
    expect(federation.register.has(population.citizen(100).myNumber)).toBe(true);
  });

  it('stops dispatching on the first failure and rethrows it after the batches in flight', async () => {
    const federation = new FakeFederation();
    federation.failOnEnrolment = 4;
    const tally = emptyTally();
    await expect(runSeed(population, federation, OPTIONS, 0, {}, tally)).rejects.toThrow('tax-agency at http://fake: gone');
    expect(tally.done).toBeLessThan(120);
    expect(federation.register.size).toBeLessThanOrEqual(OPTIONS.batchSize * (1 + OPTIONS.concurrency));
  });

  it('stops dispatching when asked to, finishing what is in flight', async () => {
    const federation = new FakeFederation();
    let checks = 0;
    const tally = await runSeed(population, federation, OPTIONS, 0, { shouldStop: () => ++checks > 3 });
    expect(tally.done).toBe(75);
    expect(federation.register.size).toBe(75);
  });
});

describe('resumeStart', () => {
  const plan = { citizens: 100_000, batchSize: 1000, concurrency: 4 };

  it('backs off by the batches that may have been in flight', () => {
    expect(resumeStart(0, plan)).toBe(0);
    expect(resumeStart(3_999, plan)).toBe(0);
    expect(resumeStart(10_500, plan)).toBe(6_000);
    expect(resumeStart(100_000, plan)).toBe(96_000);
  });

  it('never starts past the end', () => {
    expect(resumeStart(500_000, plan)).toBe(100_000);
  });
});
