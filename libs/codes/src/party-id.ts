import { CodesError } from './codes.exception';

/** A party's name in the federation, e.g. 'tax-agency' or 'myna-portal'. */
export type PartyId = string;

// Lower-case kebab-case only: safe as a JSON key (no '__proto__') and as a file name.
const PARTY_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function assertPartyId(value: unknown, where: string): asserts value is PartyId {
  if (typeof value !== 'string' || value.length > 64 || !PARTY_ID.test(value)) {
    throw new CodesError('party-id', 'malformed', `${where} must be a kebab-case party id of at most 64 characters`);
  }
}

export function parsePartyId(value: unknown, where: string): PartyId {
  assertPartyId(value, where);
  return value;
}
