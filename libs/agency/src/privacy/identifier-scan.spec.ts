import { scanForIdentifiers, type QueryFn } from './identifier-scan';

/** A fake database: columns with their type, and the rows matching each pattern. */
function fakeDatabase(columns: { table: string; column: string; type: string; hits?: Record<string, number> }[]): QueryFn {
  return async (sql) => {
    if (sql.includes('information_schema.columns')) {
      return columns.map(({ table, column, type }) => ({ table_name: table, column_name: column, data_type: type }));
    }
    const target = columns.find(({ table, column }) => sql.includes(`"${column}"`) && sql.includes(`FROM "${table}"`));
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
});
