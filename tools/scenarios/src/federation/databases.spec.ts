import fc from 'fast-check';
import { CodeSearch, codesFoundIn, describeScan } from './databases';

describe('a scan as evidence', () => {
  it('says what it found, by table and column', () => {
    expect(describeScan({ findings: [] })).toBe('the identifier scan found nothing');
    expect(
      describeScan({
        findings: [{ table: 'person', column: 'my_number', kind: 'identifier-column', rows: 0 }, { table: 'person', column: 'my_number', kind: 'my-number-like', rows: 1 }],
      }),
    ).toBe('person.my_number: identifier-column; person.my_number: my-number-like (1 rows)');
  });
});

describe('searching a dump for many codes at once', () => {
  const codes = new Set(['plHFqb-T-fR8PePoCk97lH6shw9wPN0y7AIWO9ef2Wo', '0GetqCjyChMBFnFwMRX1dHm64g8sFdONvoWsvjRw4ms']);

  it('finds a code standing alone, behind its prefix, or inside a longer base64url run', () => {
    expect(codesFoundIn(['person.agency_code: ac1.plHFqb-T-fR8PePoCk97lH6shw9wPN0y7AIWO9ef2Wo'], codes)).toEqual([
      'plHFqb-T-fR8PePoCk97lH6shw9wPN0y7AIWO9ef2Wo',
    ]);
    expect(codesFoundIn(['note: {"c":"xx0GetqCjyChMBFnFwMRX1dHm64g8sFdONvoWsvjRw4msyy"}'], codes)).toEqual([
      '0GetqCjyChMBFnFwMRX1dHm64g8sFdONvoWsvjRw4ms',
    ]);
  });

  it('finds exactly what a substring search for each code finds', () => {
    // Short codes over a small alphabet, so that texts often hold some, whole or cut.
    const code = fc.stringMatching(/^[ab_-]{3,5}$/);
    const text = fc.array(fc.oneof(code, fc.stringMatching(/^[ab.: \n-]{0,6}$/)), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(code, { minLength: 1, maxLength: 6 }), text, (list, haystack) => {
        const expected = list.filter((candidate) => haystack.includes(candidate)).sort();
        expect(codesFoundIn([haystack], new Set(list)).sort()).toEqual(expected);
      }),
    );
  });

  it('finds nothing in a dump that holds none of them', () => {
    expect(codesFoundIn(['person.agency_code: ac1.' + 'A'.repeat(43), 'claim.amount: 12000'], codes)).toEqual([]);
  });

  it('fed one streamed value at a time, says what each value holds and gathers all it saw', () => {
    const search = new CodeSearch(codes);
    expect(search.scan('ac1.plHFqb-T-fR8PePoCk97lH6shw9wPN0y7AIWO9ef2Wo')).toEqual(['plHFqb-T-fR8PePoCk97lH6shw9wPN0y7AIWO9ef2Wo']);
    expect(search.scan('12000')).toEqual([]);
    expect(search.scan('{"c":"0GetqCjyChMBFnFwMRX1dHm64g8sFdONvoWsvjRw4ms"}')).toEqual(['0GetqCjyChMBFnFwMRX1dHm64g8sFdONvoWsvjRw4ms']);
    expect([...search.found].sort()).toEqual([...codes].sort());
  });
});
