import { percentile, summarize } from './stats';

describe('percentile', () => {
  it('interpolates linearly between the closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 25)).toBe(20);
    expect(percentile([10, 20], 95)).toBeCloseTo(19.5, 10);
  });

  it('gives the minimum at 0, the maximum at 100, and the value itself for one value', () => {
    const sorted = [3, 5, 8, 13];
    expect(percentile(sorted, 0)).toBe(3);
    expect(percentile(sorted, 100)).toBe(13);
    expect(percentile([7], 99)).toBe(7);
  });

  it('matches the definition on 1..100: p-th percentile of 1..100 is 1 + 0.99·p', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    for (const p of [50, 95, 99]) expect(percentile(sorted, p)).toBeCloseTo(1 + 0.99 * p, 10);
  });

  it('refuses no values and a percentile outside 0..100', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts a copy and reports count, min, mean, p50, p95, p99, max', () => {
    const values = [5, 1, 4, 2, 3];
    expect(summarize(values)).toEqual({ count: 5, min: 1, mean: 3, p50: 3, p95: 4.8, p99: expect.closeTo(4.96, 10), max: 5 });
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('is undefined for no values', () => {
    expect(summarize([])).toBeUndefined();
  });
});
