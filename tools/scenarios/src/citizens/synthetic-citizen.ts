import { randomInt } from 'node:crypto';
import type { BasicFacts } from '@myna/protocol';

// Fictional people: common names, so that joins on names alone are as ambiguous as in life.
const FAMILY_NAMES = ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato', 'Yoshida', 'Yamada'];
const GIVEN_NAMES = ['Hanako', 'Ichiro', 'Yui', 'Haruto', 'Aoi', 'Sota', 'Mei', 'Ren', 'Yuna', 'Kaito', 'Hina', 'Riku'];
const TOWNS = [
  'Sakura-cho, Minato-shi, Example Prefecture',
  'Kaede-machi, Nishi-shi, Example Prefecture',
  'Hinode, Kita-ku, Sample City',
  'Momiji-dai, Higashi-ku, Sample City',
  'Umegaoka, Minami-shi, Model Prefecture',
];
const GENDERS: BasicFacts['gender'][] = ['female', 'male', 'other'];

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)];
const pad = (value: number) => String(value).padStart(2, '0');

/** A fictional person's four basic facts. The issuer draws the My Number and residence code. */
export function syntheticFacts(): BasicFacts {
  const year = 1940 + randomInt(65);
  return {
    name: `${pick(FAMILY_NAMES)} ${pick(GIVEN_NAMES)}`,
    address: `${1 + randomInt(9)}-${1 + randomInt(30)}-${1 + randomInt(20)} ${pick(TOWNS)}`,
    dateOfBirth: `${year}-${pad(1 + randomInt(12))}-${pad(1 + randomInt(28))}`,
    gender: pick(GENDERS),
  };
}

/**
 * A yen amount with nine digits, unlikely to occur by chance anywhere else:
 * planted as one agency's record, it shows where that record travels.
 */
export function canaryAmount(): number {
  return 100_000_000 + randomInt(899_999_999);
}

/** `•••• •••• 9018`: traces show which citizen, never a whole My Number. */
export function maskMyNumber(myNumber: string): string {
  return `•••• •••• ${myNumber.slice(-4)}`;
}

/** The first characters of a code, enough to tell two apart in a trace. */
export function shortCode(code: string): string {
  return `${code.slice(0, 14)}…`;
}
