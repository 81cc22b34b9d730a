import { isValidMyNumber } from '@myna/codes';
import { MyNumberPermutation } from './my-number-permutation';

describe('MyNumberPermutation', () => {
  const demo = new MyNumberPermutation('demo');

  it('gives 100,000 citizens distinct, check-digit-valid My Numbers', () => {
    const numbers = Array.from({ length: 100_000 }, (_, index) => demo.myNumberOf(index));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.filter((number) => !isValidMyNumber(number))).toEqual([]);
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(new MyNumberPermutation('demo').myNumberOf(123_456)).toBe(demo.myNumberOf(123_456));
    const other = new MyNumberPermutation('other');
    const same = Array.from({ length: 1000 }, (_, index) => index).filter((index) => other.myNumberOf(index) === demo.myNumberOf(index));
    expect(same).toEqual([]);
  });

  it('does not look sequential: neighbouring indices give unrelated numbers', () => {
    const firstDigits = new Set(Array.from({ length: 100 }, (_, index) => demo.myNumberOf(index)[0]));
    expect(firstDigits.size).toBeGreaterThan(5);
  });

  it('works at the far end of the range and refuses indices outside it', () => {
    expect(isValidMyNumber(demo.myNumberOf(10 ** 11 - 1))).toBe(true);
    expect(() => demo.myNumberOf(-1)).toThrow(RangeError);
    expect(() => demo.myNumberOf(10 ** 11)).toThrow(RangeError);
    expect(() => demo.myNumberOf(1.5)).toThrow(RangeError);
  });
});
