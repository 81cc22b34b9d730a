import { checkDigitOf, generateWithCheckDigit, parseWithCheckDigit, type CheckDigitScheme } from './check-digit';
import { osRandom, type RandomSource } from './random-source';

/** An 11-digit residence code (住民票コード) whose check digit has been verified. */
export type ResidenceCode = string & { readonly __brand: 'ResidenceCode' };

// The real residence-code formula is not public. This is the simulator's own, of the
// My Number family: weights 2..10 then 1 use every non-zero residue mod 11 once, so
// any swap of two base digits also changes r (up to the 0/1 fold).
export const RESIDENCE_CODE_SCHEME: CheckDigitScheme = {
  subject: 'residence-code',
  label: 'residence code',
  weights: [2, 3, 4, 5, 6, 7, 8, 9, 10, 1],
};

/** The check digit for 10 base digits. */
export function residenceCodeCheckDigit(baseDigits: string): number {
  return checkDigitOf(RESIDENCE_CODE_SCHEME, baseDigits);
}

/** Throws CodesError ("must be 11 digits", "check digit is 3, expected 7") unless valid. */
export function parseResidenceCode(input: unknown): ResidenceCode {
  return parseWithCheckDigit(RESIDENCE_CODE_SCHEME, input) as ResidenceCode;
}

export function isValidResidenceCode(input: unknown): input is ResidenceCode {
  try {
    parseResidenceCode(input);
    return true;
  } catch {
    return false;
  }
}

export function generateResidenceCode(rng: RandomSource = osRandom): ResidenceCode {
  return generateWithCheckDigit(RESIDENCE_CODE_SCHEME, rng) as ResidenceCode;
}
