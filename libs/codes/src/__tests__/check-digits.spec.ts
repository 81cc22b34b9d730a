import fc from 'fast-check';
import { CodesError } from '../codes.exception';
import {
  generateMyNumber,
  isValidMyNumber,
  myNumberCheckDigit,
  parseMyNumber,
} from '../my-number';
import { seededRandom } from '../random-source';
import {
  generateResidenceCode,
  isValidResidenceCode,
  parseResidenceCode,
  residenceCodeCheckDigit,
} from '../residence-code';

// Written from the published text, independently of check-digit.ts.
const MY_NUMBER_WEIGHTS = Array.from({ length: 11 }, (_, i) => (i + 1 <= 6 ? i + 2 : i + 1 - 5));
const RESIDENCE_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 1];

/** r = (Σ P_n·Q_n) mod 11, P_n counted from the digit next to the check digit. */
function remainder(base: string, weights: number[]): number {
  let sum = 0;
  for (let n = 1; n <= weights.length; n++) sum += Number(base[base.length - n]) * weights[n - 1];
  return sum % 11;
}

function referenceCheckDigit(base: string, weights: number[]): number {
  const r = remainder(base, weights);
  return r <= 1 ? 0 : 11 - r;
}

function thrown(run: () => unknown): CodesError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CodesError);
    return error as CodesError;
  }
  throw new Error('expected a CodesError');
}

/** 1/a mod 11 for a ≢ 0. */
function inverseMod11(a: number): number {
  for (let b = 1; b < 11; b++) if ((a * b) % 11 === 1) return b;
  throw new Error(`${a} has no inverse mod 11`);
}

/**
 * Why a single substitution can pass: changing base digit P_n by d (0 < |d| ≤ 9)
 * moves r by d·Q_n mod 11, which is never 0 because 11 is prime and divides
 * neither d nor Q_n. So r always changes, and the check digit with it, except that
 * r = 0 and r = 1 both give check digit 0. A substitution is therefore undetectable
 * exactly when the original r is 0 and d·Q_n ≡ 1, or r is 1 and d·Q_n ≡ −1 (mod 11),
 * i.e. d ≡ ±Q_n⁻¹. A changed check digit is always caught.
 */
function undetectable(valid: string, position: number, digit: number, weights: number[]): boolean {
  const checkPosition = valid.length - 1;
  if (position === checkPosition) return false;
  const n = checkPosition - position;
  const r = remainder(valid.slice(0, -1), weights);
  const d = (((digit - Number(valid[position])) % 11) + 11) % 11;
  const target = r === 0 ? inverseMod11(weights[n - 1]) : r === 1 ? 11 - inverseMod11(weights[n - 1]) : null;
  return target !== null && d === target;
}

describe.each([
  {
    name: 'My Number',
    length: 12,
    weights: MY_NUMBER_WEIGHTS,
    parse: parseMyNumber,
    isValid: isValidMyNumber,
    checkDigit: myNumberCheckDigit,
    generate: generateMyNumber,
    published: ['123456789018', '983205673214'],
  },
  {
    name: 'residence code',
    length: 11,
    weights: RESIDENCE_WEIGHTS,
    parse: parseResidenceCode,
    isValid: isValidResidenceCode,
    checkDigit: residenceCodeCheckDigit,
    generate: generateResidenceCode,
    published: [] as string[],
  },
])('$name check digit', ({ name, length, weights, parse, isValid, checkDigit, generate, published }) => {
  const rng = seededRandom(`check digits ${name}`);
  const generated = [...published, ...Array.from({ length: 400 }, () => generate(rng))];
  // Bases chosen so that r = 0 and r = 1 (check digit 0) certainly occur.
  const withCheckZero = generated.filter((number) => number.endsWith('0'));

  it('agrees with the reference formula on arbitrary bases', () => {
    fc.assert(
      fc.property(fc.stringMatching(new RegExp(`^[0-9]{${length - 1}}$`)), (base) => {
        expect(checkDigit(base)).toBe(referenceCheckDigit(base, weights));
        expect(parse(base + checkDigit(base))).toBe(base + checkDigit(base));
      }),
      { numRuns: 500 },
    );
  });

  it('generates valid numbers with uniform-looking digits', () => {
    for (const number of generated) expect(isValid(number)).toBe(true);
    const firstDigits = new Set(generated.map((number) => number[0]));
    expect(firstDigits.size).toBe(10);
  });

  it('rejects each single-digit substitution except exactly the ones the 0/1 fold cannot see', () => {
    expect(withCheckZero.some((number) => remainder(number.slice(0, -1), weights) === 0)).toBe(true);
    expect(withCheckZero.some((number) => remainder(number.slice(0, -1), weights) === 1)).toBe(true);
    let substitutions = 0;
    let missed = 0;
    const wrong: string[] = [];
    for (const valid of generated) {
      for (let position = 0; position < length; position++) {
        for (let digit = 0; digit <= 9; digit++) {
          if (String(digit) === valid[position]) continue;
          const changed = valid.slice(0, position) + digit + valid.slice(position + 1);
          const expectMissed = undetectable(valid, position, digit, weights);
          let accepted = true;
          try {
            parse(changed);
          } catch (error) {
            if (!(error instanceof CodesError) || error.reason !== 'check-digit-mismatch') throw error;
            accepted = false;
          }
          if (accepted !== expectMissed) wrong.push(`${valid} → ${changed}: accepted ${accepted}, expected ${expectMissed}`);
          if (expectMissed && !valid.endsWith('0')) wrong.push(`${valid}: a miss on a check digit other than 0`);
          substitutions++;
          if (expectMissed) missed++;
        }
      }
    }
    expect(wrong).toEqual([]);
    // Every miss is on a number whose check digit is 0, and there are some.
    expect(missed).toBeGreaterThan(0);
    expect(missed).toBeLessThan(substitutions / 20);
  });

  it('says exactly what is wrong, without echoing the number', () => {
    const valid = generated[0];
    const wrongCheck = valid.slice(0, -1) + ((Number(valid[length - 1]) + 1) % 10);
    const mismatch = thrown(() => parse(wrongCheck));
    expect(mismatch.reason).toBe('check-digit-mismatch');
    expect(mismatch.message).toBe(`${name} check digit is ${wrongCheck[length - 1]}, expected ${valid[length - 1]}`);

    const short = thrown(() => parse(valid.slice(1)));
    expect(short.reason).toBe('wrong-length');
    expect(short.message).toBe(`${name} must be ${length} digits, got ${length - 1} characters`);

    const letter = thrown(() => parse(`${valid.slice(0, 2)}x${valid.slice(3)}`));
    expect(letter.reason).toBe('not-digits');
    expect(letter.message).toBe(`${name} must be ${length} digits: character 3 is not 0-9`);

    // Full-width digits, hyphens and surrounding spaces are not normalised away.
    expect(thrown(() => parse(valid.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))))).reason).toBe('not-digits');
    expect(thrown(() => parse(` ${valid.slice(1)}`)).reason).toBe('not-digits');
    expect(thrown(() => parse(Number(valid))).reason).toBe('wrong-type');
    for (const error of [mismatch, short, letter]) expect(error.message).not.toContain(valid.slice(0, 6));
  });
});

describe('My Number published examples', () => {
  it.each([
    ['123456789018', 8],
    ['983205673214', 4],
  ])('%s has check digit %d', (number, digit) => {
    expect(myNumberCheckDigit(number.slice(0, 11))).toBe(digit);
    expect(parseMyNumber(number)).toBe(number);
  });

  it('reports the published example with a wrong check digit as the issue states', () => {
    expect(() => parseMyNumber('983205673218')).toThrow('My Number check digit is 8, expected 4');
    expect(() => parseMyNumber('12345678901')).toThrow('My Number must be 12 digits, got 11 characters');
  });
});
