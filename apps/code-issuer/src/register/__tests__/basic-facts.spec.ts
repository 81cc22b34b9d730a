import { mismatchedFacts, normaliseFact } from '../basic-facts';

const registered = { name: 'Zoë Bárta', address: '1-1 Chiyoda, Tokyo', dateOfBirth: '1990-07-01', gender: 'female' as const };

describe('basic facts', () => {
  it('normalises to trimmed NFC, so composed and decomposed forms are one', () => {
    expect(normaliseFact('  Zoe\u0308 Ba\u0301rta\t')).toBe('Zo\u00eb B\u00e1rta');
    expect(normaliseFact('Zoe\u0308')).toBe(normaliseFact('Zo\u00eb'));
  });

  it('finds no mismatch between forms of the same facts', () => {
    expect(mismatchedFacts({ ...registered, name: ' Zoe\u0308 Ba\u0301rta ' }, registered)).toEqual([]);
  });

  it.each([
    ['a prefix of the name', { name: 'Zoë' }, ['name']],
    ['another case', { name: 'zoë bárta' }, ['name']],
    ['a full-width space (NFC keeps it distinct)', { name: 'Zoë\u3000Bárta' }, ['name']],
    ['an address with extra text', { address: '1-1 Chiyoda, Tokyo 100-0001' }, ['address']],
    ['a neighbouring birthday', { dateOfBirth: '1990-07-02' }, ['dateOfBirth']],
    ['another gender', { gender: 'other' as const }, ['gender']],
    ['two wrong facts', { name: 'X', gender: 'male' as const }, ['name', 'gender']],
  ])('refuses %s: no partial or fuzzy matching', (_what, change, expected) => {
    expect(mismatchedFacts({ ...registered, ...change }, registered)).toEqual(expected);
  });
});
