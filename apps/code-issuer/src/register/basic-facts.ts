import type { BasicFacts } from '@myna/protocol';

/** The four basic facts (基本4情報), in the order refusals name them. */
export const BASIC_FACTS = ['name', 'address', 'dateOfBirth', 'gender'] as const satisfies readonly (keyof BasicFacts)[];
export type BasicFact = (typeof BASIC_FACTS)[number];

/**
 * The one canonical form of a fact: trimmed, Unicode NFC. The register stores this
 * form and issuance compares in it, so "é" typed as one code point or as two matches.
 */
export function normaliseFact(value: string): string {
  return value.trim().normalize('NFC');
}

/**
 * The facts that differ between a request and the register. Exact comparison of
 * canonical forms only: the 2023 mis-linkages came from partial matching.
 */
export function mismatchedFacts(claimed: BasicFacts, registered: BasicFacts): BasicFact[] {
  return BASIC_FACTS.filter((fact) => normaliseFact(claimed[fact]) !== normaliseFact(registered[fact]));
}
