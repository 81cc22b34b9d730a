import { AGENCIES, CODE_ISSUER, type Agency } from '@myna/protocol';
import type { CitizenRegistration, CitizenToRegister, EnrolmentOutcome, FederationClient, PersonToEnrol } from './federation-client';
import { packRequests } from './request-packer';
import type { SeededService, SeedOptions } from './seed-args';
import type { SyntheticCitizen, SyntheticPopulation } from './synthetic-population';

/** The issuer's refusal of a supplied My Number it already holds: on a re-run, this seed registered the citizen before. */
export const ALREADY_REGISTERED_REASON = 'duplicate-my-number';

export interface AgencyTally {
  enrolled: number;
  alreadyEnrolled: number;
  refused: number;
}

export interface SeedTally {
  /** Citizens whose batch has finished (registered, recognised or refused, and enrolled). */
  done: number;
  registered: number;
  alreadyRegistered: number;
  registerRefused: number;
  agencies: Record<Agency, AgencyTally>;
}

export function emptyTally(): SeedTally {
  const agencies = {} as Record<Agency, AgencyTally>;
  for (const agency of AGENCIES) agencies[agency] = { enrolled: 0, alreadyEnrolled: 0, refused: 0 };
  return { done: 0, registered: 0, alreadyRegistered: 0, registerRefused: 0, agencies };
}

export function refusals(tally: SeedTally): number {
  return tally.registerRefused + AGENCIES.reduce((sum, agency) => sum + tally.agencies[agency].refused, 0);
}

export type SeedTarget = Pick<FederationClient, 'registerCitizens' | 'enrolPersons'>;

export type SeedRunOptions = Pick<SeedOptions, 'citizens' | 'contactData' | 'batchSize' | 'agencyBatchSize' | 'concurrency' | 'maxRequestBytes'>;

export interface SeedRunHooks {
  /** A citizen the issuer or an agency refused; `index` is the citizen's place in the population. */
  onRefusal?(service: SeededService, index: number, reason: string): void;
  /** Checked before each new batch: true stops dispatching, and batches in flight finish. */
  shouldStop?(): boolean;
}

/**
 * The pipeline: batches of citizens are registered at the issuer, then enrolled
 * at the agencies that know them, the three agencies in parallel; up to
 * `concurrency` batches are in flight. The first failure stops new batches, lets
 * those in flight finish (they are safe to repeat anyway) and is rethrown.
 */
export async function runSeed(
  population: SyntheticPopulation,
  target: SeedTarget,
  options: SeedRunOptions,
  startAt = 0,
  hooks: SeedRunHooks = {},
  tally: SeedTally = emptyTally(),
): Promise<SeedTally> {
  let next = startAt;
  let failure: { error: unknown } | undefined;

  const seedBatch = async (start: number, count: number) => {
    const citizens = population.citizens(start, count);
    const kept = await register(citizens);
    await Promise.all(AGENCIES.map((agency) => enrol(agency, kept)));
    tally.done += count;
  };

  const register = async (citizens: SyntheticCitizen[]): Promise<SyntheticCitizen[]> => {
    const requests = citizens.map((citizen): CitizenToRegister => ({ ...citizen.facts, myNumber: citizen.myNumber }));
    const kept: SyntheticCitizen[] = [];
    for (const request of packRequests('citizens', requests, options.batchSize, options.maxRequestBytes)) {
      const results = await target.registerCitizens(request.body, request.count);
      results.forEach((result: CitizenRegistration, offset) => {
        const citizen = citizens[request.first + offset];
        if (result.status === 'registered') {
          tally.registered++;
          kept.push(citizen);
        } else if (result.reason === ALREADY_REGISTERED_REASON) {
          // Registered by an earlier run of this seed (or, once in a blue moon, someone else holds
          // the number: the agencies' issuance then refuses the mismatched facts, and we count it).
          tally.alreadyRegistered++;
          kept.push(citizen);
        } else {
          tally.registerRefused++;
          hooks.onRefusal?.(CODE_ISSUER, citizen.index, result.reason);
        }
      });
    }
    return kept;
  };

  const enrol = async (agency: Agency, citizens: SyntheticCitizen[]) => {
    const enrolling = citizens.filter((citizen) => citizen.records[agency] !== undefined);
    const persons = enrolling.map(
      (citizen): PersonToEnrol => ({
        myNumber: citizen.myNumber,
        ...citizen.facts,
        ...(options.contactData ? { keepContactData: true } : {}),
        records: citizen.records[agency],
      }),
    );
    const counts = tally.agencies[agency];
    for (const request of packRequests('persons', persons, options.agencyBatchSize, options.maxRequestBytes)) {
      const outcomes = await target.enrolPersons(agency, request.body, request.count);
      outcomes.forEach((outcome: EnrolmentOutcome, offset) => {
        if (outcome.status === 'enrolled') counts.enrolled++;
        else if (outcome.status === 'already-enrolled') counts.alreadyEnrolled++;
        else {
          counts.refused++;
          hooks.onRefusal?.(agency, enrolling[request.first + offset].index, outcome.reason);
        }
      });
    }
  };

  const worker = async () => {
    while (!failure && next < options.citizens && !hooks.shouldStop?.()) {
      const start = next;
      next = Math.min(start + options.batchSize, options.citizens);
      try {
        await seedBatch(start, next - start);
      } catch (error) {
        failure ??= { error };
      }
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, worker));
  if (failure) throw failure.error;
  return tally;
}

/**
 * Where `--resume` starts: batches finish out of order, but every batch below the
 * lowest unfinished one is complete, and at most `concurrency` batches were in
 * flight, so everything below (⌊registered / batch⌋ − concurrency) batches is done.
 * Assumes the register holds only this seed's citizens, seeded with batches no
 * larger and no more concurrent than now; re-seeding the overlap is harmless.
 */
export function resumeStart(registerCount: number, options: Pick<SeedOptions, 'citizens' | 'batchSize' | 'concurrency'>): number {
  const batches = Math.max(0, Math.floor(registerCount / options.batchSize) - options.concurrency);
  return Math.min(batches * options.batchSize, options.citizens);
}
