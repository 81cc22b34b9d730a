import fc from 'fast-check';
import { myNumberCheckDigit, residenceCodeCheckDigit } from '@myna/codes';
import { paddedIdentifierKinds, scanForIdentifiers, type QueryFn } from './identifier-scan';

/**
 * A fake database: columns with their type, the rows matching each pattern, and
 * a number column's values of 10 or 11 digits with their row counts.
 */
function fakeDatabase(
  columns: { table: string; column: string; type: string; hits?: Record<string, number>; longNumbers?: Record<string, number> }[],
): QueryFn {
  return async (sql) => {
    if (sql.includes('information_schema.columns')) {
      return columns.map(({ table, column, type }) => ({ table_name: table, column_name: column, data_type: type }));
    }
    const target = columns.find(({ table, column }) => sql.includes(`"${column}"`) && sql.includes(`FROM "${table}"`));
    if (sql.includes('GROUP BY')) return Object.entries(target?.longNumbers ?? {}).map(([digits, rows]) => ({ digits, rows: String(rows) }));
    const hits = target?.hits ?? {};
    return [{ 'my-number-like': hits['my-number-like'] ?? 0, 'residence-code-like': hits['residence-code-like'] ?? 0, 'processing-serial': hits['processing-serial'] ?? 0 }];
  };
}

describe('the identifier scan', () => {
  it('finds nothing in a clean agency schema', async () => {
    const query = fakeDatabase([
      { table: 'person', column: 'agency_code', type: 'text' },
      { table: 'income_record', column: 'income_yen', type: 'bigint' },
    ]);
    await expect(scanForIdentifiers(query)).resolves.toEqual([]);
  });

  it('reports a column named for an identifier, and values that look like one, by table and column', async () => {
    const query = fakeDatabase([
      { table: 'person', column: 'my_number', type: 'text' },
      { table: 'person', column: 'contact_name', type: 'text', hits: { 'my-number-like': 2 } },
      { table: 'claim', column: 'note', type: 'text', hits: { 'processing-serial': 1 } },
    ]);
    await expect(scanForIdentifiers(query)).resolves.toEqual([
      { table: 'person', column: 'my_number', kind: 'identifier-column', rows: 0 },
      { table: 'person', column: 'contact_name', kind: 'my-number-like', rows: 2 },
      { table: 'claim', column: 'note', kind: 'processing-serial', rows: 1 },
    ]);
  });

  it('does not value-scan uuid or date columns, whose digits are not identifiers', async () => {
    const issued: string[] = [];
    const query: QueryFn = async (sql, params) => {
      issued.push(sql);
      return fakeDatabase([
        { table: 'person', column: 'id', type: 'uuid' },
        { table: 'person', column: 'enrolled_at', type: 'timestamp with time zone' },
      ])(sql, params);
    };
    await expect(scanForIdentifiers(query)).resolves.toEqual([]);
    expect(issued).toHaveLength(1);
  });

  it('reads a number column\'s long values with the leading zeros it dropped', async () => {
    // A My Number beginning with 0 kept as a number: 11 digits, which the regex counts as a residence code.
    const myNumber = '01234567890' + myNumberCheckDigit('01234567890');
    // An amount of two billion yen whose padded form fails both check digits.
    const amount = '2000000000';
    expect(paddedIdentifierKinds(amount)).toEqual([]);
    const query = fakeDatabase([
      { table: 'income_record', column: 'income_yen', type: 'bigint', hits: { 'residence-code-like': 1 }, longNumbers: { [myNumber.slice(1)]: 1, [amount]: 3 } },
    ]);
    await expect(scanForIdentifiers(query)).resolves.toEqual([
      { table: 'income_record', column: 'income_yen', kind: 'my-number-like', rows: 1 },
      { table: 'income_record', column: 'income_yen', kind: 'residence-code-like', rows: 1 },
    ]);
  });
});

describe('a number column\'s value read with its lost leading zeros', () => {
  /** `length` digits, the first `zeros` of them 0 and the next one not. */
  const digitsWithLeadingZeros = (length: number, zeros: number) =>
    fc
      .tuple(fc.stringMatching(/^[1-9]$/), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length - zeros - 1, maxLength: length - zeros - 1 }))
      .map(([lead, rest]) => '0'.repeat(zeros) + lead + rest.join(''));
  const asWritten = (digits: string) => String(BigInt(digits));

  it('is a My Number whenever the 12 digits it came from were one, with one or two zeros lost', () => {
    const myNumbers = fc.integer({ min: 1, max: 2 }).chain((zeros) => digitsWithLeadingZeros(11, zeros)).map((base) => base + myNumberCheckDigit(base));
    fc.assert(fc.property(myNumbers, (myNumber) => expect(paddedIdentifierKinds(asWritten(myNumber))).toContain('my-number-like')));
  });

  it('is not a My Number when the check digit of its padded form is wrong', () => {
    const wrong = digitsWithLeadingZeros(11, 1).chain((base) =>
      fc.integer({ min: 0, max: 9 }).filter((digit) => digit !== myNumberCheckDigit(base)).map((digit) => base + digit),
    );
    fc.assert(fc.property(wrong, (digits) => expect(paddedIdentifierKinds(asWritten(digits))).not.toContain('my-number-like')));
  });

  it('is a residence code whenever the 11 digits it came from were one, with one zero lost', () => {
    const codes = digitsWithLeadingZeros(10, 1).map((base) => base + residenceCodeCheckDigit(base));
    fc.assert(fc.property(codes, (code) => expect(paddedIdentifierKinds(asWritten(code))).toContain('residence-code-like')));
  });

  it('is nothing when it has fewer than 10 digits or more than 11', () => {
    const values = fc.oneof(fc.bigInt({ min: 0n, max: 999_999_999n }), fc.bigInt({ min: 100_000_000_000n, max: 10n ** 20n }));
    fc.assert(fc.property(values, (value) => expect(paddedIdentifierKinds(String(value))).toEqual([])));
  });
});
