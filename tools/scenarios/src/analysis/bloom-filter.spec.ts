import { BloomFilter } from './bloom-filter';

describe('BloomFilter', () => {
  it('never forgets a value it was given, and rarely claims one it was not', () => {
    const filter = new BloomFilter(20_000);
    for (let index = 0; index < 20_000; index++) filter.add(`value ${index}`);
    for (let index = 0; index < 20_000; index++) expect(filter.has(`value ${index}`)).toBe(true);
    let falsePositives = 0;
    for (let index = 0; index < 20_000; index++) if (filter.has(`other ${index}`)) falsePositives++;
    // Ten bits and seven probes a value: about 1 %.
    expect(falsePositives / 20_000).toBeLessThan(0.03);
    expect(filter.byteLength).toBe(25_000);
  });

  it('stays exact when undersized: many false positives, but only values given are certain', () => {
    const filter = new BloomFilter(1);
    filter.add('only');
    expect(filter.has('only')).toBe(true);
    expect(filter.byteLength).toBe(128);
  });
});
