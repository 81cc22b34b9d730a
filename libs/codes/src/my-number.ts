import { checkDigitOf, generateWithCheckDigit, parseWithCheckDigit, type CheckDigitScheme } from './check-digit';
import { osRandom, type RandomSource } from './random-source';

/** A 12-digit individual number whose check digit has been verified. */
export type MyNumber = string & { readonly __brand: 'MyNumber' };

// The published formula: Q_n = n+1 for 1 ≤ n ≤ 6, n−5 for 7 ≤ n ≤ 11.
export const MY_NUMBER_SCHEME: CheckDigitScheme = {
  subject: 'my-number',
  label: 'My Number',
  weights: [2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6],
};

/** The check digit for 11 base digits. */
export function myNumberCheckDigit(baseDigits: string): number {
  return checkDigitOf(MY_NUMBER_SCHEME, baseDigits);
}

/** Throws CodesError ("must be 12 digits", "check digit is 8, expected 4") unless valid. */
export function parseMyNumber(input: unknown): MyNumber {
  return parseWithCheckDigit(MY_NUMBER_SCHEME, input) as MyNumber;
}

export function isValidMyNumber(input: unknown): input is MyNumber {
  try {
    parseMyNumber(input);
    return true;
  } catch {
    return false;
  }
}

export function generateMyNumber(rng: RandomSource = osRandom): MyNumber {
  return generateWithCheckDigit(MY_NUMBER_SCHEME, rng) as MyNumber;
}
