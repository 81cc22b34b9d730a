import fc from 'fast-check';
import { BoundedMap } from './bounded-map';

describe('BoundedMap', () => {
  it('keeps the newest entries up to its limit, forgetting the oldest first', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3); // set again: now the newest
    map.set('c', 4);
    expect([map.get('a'), map.get('b'), map.get('c'), map.size]).toEqual([3, undefined, 4, 2]);
    expect(map.delete('a')).toBe(true);
    expect(map.delete('a')).toBe(false);
    expect(map.size).toBe(1);
  });

  it('refuses a limit below one', () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
    expect(() => new BoundedMap(1.5)).toThrow(RangeError);
  });

  it('agrees with a plain map of the last `limit` keys set, whatever the sequence of sets and deletes', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 9 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 9 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(operation, { maxLength: 60 }), (limit, operations) => {
        const map = new BoundedMap<number, number>(limit);
        let model: [number, number][] = [];
        for (const op of operations) {
          model = model.filter(([key]) => key !== op.key);
          if (op.kind === 'set') {
            model.push([op.key, op.value]);
            if (model.length > limit) model.shift();
            map.set(op.key, op.value);
          } else {
            map.delete(op.key);
          }
        }
        expect(map.size).toBe(model.length);
        for (let key = 0; key <= 9; key++) expect(map.get(key)).toBe(model.find(([k]) => k === key)?.[1]);
      }),
    );
  });
});
