import { CodesError, type CodesSubject } from './codes.exception';
import { draw, type RandomSource } from './random-source';

/**
 * A decimal number whose last digit is a weighted mod-11 check digit: with P_n the
 * n-th base digit counted from the least significant and Q_n its weight,
 * r = (Σ P_n·Q_n) mod 11, and the check digit is 0 when r ≤ 1, else 11 − r.
 */
export interface CheckDigitScheme {
  readonly subject: CodesSubject;
  /** How messages name the number, e.g. "My Number". */
  readonly label: string;
  /** Q_1, Q_2, … (index 0 weighs the base digit next to the check digit). */
  readonly weights: readonly number[];
}

export function checkDigitOf(scheme: CheckDigitScheme, baseDigits: string): number {
  assertDigits(scheme, baseDigits, scheme.weights.length, 'base');
  let sum = 0;
  for (let n = 1; n <= scheme.weights.length; n++) {
    sum += Number(baseDigits[baseDigits.length - n]) * scheme.weights[n - 1];
  }
  const r = sum % 11;
  // r = 1 would need the digit "10": the family folds it into 0, which is why
  // some single-digit errors go unnoticed (see the tests).
  return r <= 1 ? 0 : 11 - r;
}

/** Returns the input unchanged if it is well-formed with a correct check digit; otherwise throws. */
export function parseWithCheckDigit(scheme: CheckDigitScheme, input: unknown): string {
  const length = scheme.weights.length + 1;
  assertDigits(scheme, input, length, 'full');
  const expected = checkDigitOf(scheme, input.slice(0, -1));
  const actual = Number(input[length - 1]);
  if (actual !== expected) {
    throw new CodesError(
      scheme.subject,
      'check-digit-mismatch',
      `${scheme.label} check digit is ${actual}, expected ${expected}`,
    );
  }
  return input;
}

export function generateWithCheckDigit(scheme: CheckDigitScheme, rng: RandomSource): string {
  let base = '';
  while (base.length < scheme.weights.length) {
    // Rejection sampling keeps every digit uniform: bytes 250..255 would favour 0..5.
    for (const byte of draw(rng, scheme.weights.length)) {
      if (byte < 250 && base.length < scheme.weights.length) base += String(byte % 10);
    }
  }
  return base + String(checkDigitOf(scheme, base));
}

function assertDigits(
  scheme: CheckDigitScheme,
  input: unknown,
  length: number,
  part: 'base' | 'full',
): asserts input is string {
  const what = part === 'base' ? `${scheme.label} base` : scheme.label;
  if (typeof input !== 'string') throw new CodesError(scheme.subject, 'wrong-type', `${what} must be a string`);
  if (input.length !== length) {
    throw new CodesError(scheme.subject, 'wrong-length', `${what} must be ${length} digits, got ${input.length} characters`);
  }
  const bad = [...input].findIndex((char) => char < '0' || char > '9');
  if (bad >= 0) {
    throw new CodesError(scheme.subject, 'not-digits', `${what} must be ${length} digits: character ${bad + 1} is not 0-9`);
  }
}
