import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import { FederationError } from '@myna/protocol';

/**
 * What makes one agency different from another: its own records about a person.
 * The shared agency module does enrolment and code storage; each agency plugs in
 * its domain through this interface (and its own entities and migrations).
 */
export interface AgencyDomain<Records = unknown> {
  /** The records an enrolment may carry (validated at the edge). */
  recordsSchema: z.ZodType<Records>;
  /** Saves the records of newly enrolled people, in the enrolment's transaction. */
  saveRecords(manager: EntityManager, entries: { personId: string; records: Records }[]): Promise<void>;
  /** Everything this agency holds about one person, for its API and self-disclosure. */
  describePerson(manager: EntityManager, personId: string): Promise<Record<string, unknown>>;
  /**
   * The value of one data item about a person, for an inquiry the legal table
   * permits; null when this agency has no such record. Unknown items throw.
   */
  answer(manager: EntityManager, personId: string, item: string, parameters: Record<string, unknown>): Promise<Record<string, unknown> | null>;
}

/** How an agency computes one data item it provides to others. */
export type ItemAnswer = (
  manager: EntityManager,
  personId: string,
  parameters: Record<string, unknown>,
) => Promise<Record<string, unknown> | null>;

export class UnknownItemError extends FederationError {
  constructor(readonly item: string) {
    super('unknown-item', `this agency provides no item '${item}'`, 400);
  }
}

export const AGENCY_DOMAIN = Symbol('AGENCY_DOMAIN');
