import type { TableDump } from '../federation/databases';
import { classifyColumn, inMemorySource, runJoinAttack as runStreaming, type PartyDump } from './join-attack';

const runJoinAttack = (dumps: PartyDump[]) => runStreaming(dumps.map(inMemorySource));

/** A table from rows of named values (null for SQL NULL), all text as in a dump. */
function table(name: string, columns: string[], rows: (string | null)[][], types: Record<string, string> = {}): TableDump {
  return {
    table: name,
    rowCount: rows.length,
    columns: columns.map((column, index) => ({ name: column, type: types[column] ?? 'text', values: rows.map((row) => row[index]) })),
  };
}

const person = (rows: (string | null)[][]) =>
  table('person', ['id', 'agency_code', 'contact_name', 'contact_address', 'contact_date_of_birth'], rows, { id: 'uuid', contact_date_of_birth: 'date' });

const tax: PartyDump = {
  party: 'tax',
  tables: [
    person([
      ['t1', 'ac1.TAX-ONE', 'Sato Hanako', '1-2-3 Sakura', '1980-04-01'],
      ['t2', 'ac1.TAX-TWO', null, null, null],
      ['t3', 'ac1.TAX-THREE', 'Suzuki Ichiro', '9-9-9 Kaede', '1975-10-10'],
    ]),
    table('income_record', ['id', 'person_id', 'income_yen'], [['1', 't1', '4200000'], ['2', 't2', '3000000'], ['3', 't3', '3000000']]),
    table('provided_exchange', ['exchange_id', 'person_id'], [['ex-1', 't2']]),
  ],
};
const pension: PartyDump = {
  party: 'pension',
  tables: [
    person([
      ['p1', 'ac1.PEN-ONE', 'Sato Hanako', '1-2-3 Sakura', '1980-04-01'],
      ['p2', 'ac1.PEN-TWO', null, null, null],
      ['p3', 'ac1.PEN-THREE', 'SATO  HANAKO', '5-5-5 Elsewhere', '1980-04-01'],
    ]),
    table('pension_benefit', ['id', 'person_id', 'annual_amount_yen'], [['1', 'p1', '4200000'], ['2', 'p2', '0'], ['3', 'p3', '0']]),
    table('inquiry', ['id', 'person_id', 'exchange_id'], [['q1', 'p2', 'ex-1']], { id: 'uuid' }),
  ],
};

describe('the cross-agency join attack', () => {
  it('classifies columns by what a join on them would mean', () => {
    expect(classifyColumn('agency_code', 'text')).toBe('identifier');
    expect(classifyColumn('person_id', 'uuid')).toBe('identifier');
    expect(classifyColumn('my_number', 'text')).toBe('identifier');
    expect(classifyColumn('contact_name', 'text')).toBe('quasi-identifier');
    expect(classifyColumn('contact_date_of_birth', 'date')).toBe('quasi-identifier');
    expect(classifyColumn('handle', 'uuid')).toBe('identifier');
    expect(classifyColumn('answer_message_id', 'uuid')).toBe('identifier');
    expect(classifyColumn('income_yen', 'bigint')).toBe('attribute');
  });

  it('tries every column pair and finds no identifier join through codes, which differ', async () => {
    const result = await runJoinAttack([tax, pension]);
    expect(result.columnPairsTried).toBe((5 + 3 + 2) * (5 + 3 + 3));
    expect(result.joins.filter((join) => join.category === 'identifier' && join.left.column !== 'exchange_id')).toEqual([]);
  });

  it('counts row numbers that recur in both databases as attributes, not identities', async () => {
    const ids = (await runJoinAttack([tax, pension])).joins.find((join) => join.left.column === 'id' && join.left.table === 'income_record' && join.right.table === 'pension_benefit');
    expect(ids).toMatchObject({ category: 'attribute', sharedValues: 3 });
  });

  it('counts an id both sides of an exchange keep as an identifier join, and says whom it links', async () => {
    const exchange = (await runJoinAttack([tax, pension])).joins.find((join) => join.left.column === 'exchange_id');
    expect(exchange).toMatchObject({ category: 'identifier', left: { party: 'tax', table: 'provided_exchange', column: 'exchange_id' }, right: { party: 'pension', table: 'inquiry' }, linkedPersons: 1, linked: [['t2', 'p2']] });
  });

  it('counts any shared value shaped like an identifier, whatever its column: a UUID, a token, a ciphertext, a long base64url run', async () => {
    const shared = ['5d1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b', 'eyJhbGciOiJFZERTQSJ9.e30.c2ln', `ct1.${'A1'.repeat(43)}`, 'Zk9vQmFyQmF6UXV4MTIzNDU2Nzg'];
    const withNotes = (dump: PartyDump, personId: string): PartyDump => ({
      ...dump,
      tables: [...dump.tables, table('notes', ['person_id', 'remark'], shared.map((value) => [personId, value]))],
    });
    const joins = (await runJoinAttack([withNotes(tax, 't1'), withNotes(pension, 'p1')])).joins.filter((join) => join.left.column === 'remark');
    expect(joins).toEqual([expect.objectContaining({ category: 'identifier', sharedValues: 4 })]);
    // Public constants are no identifiers: no digit, or short.
    const constants = (await runJoinAttack([
      { party: 'a', tables: [table('t', ['rule', 'status'], [['R-PEN-TAX-INCOME', 'answered']])] },
      { party: 'b', tables: [table('t', ['rule', 'status'], [['R-PEN-TAX-INCOME', 'answered']])] },
    ])).joins;
    expect(constants.every((join) => join.category === 'attribute')).toBe(true);
  });

  it('links one-to-one only: a value several persons share links no one', async () => {
    const amounts = (await runJoinAttack([tax, pension])).joins.find((join) => join.left.column === 'income_yen' && join.right.column === 'annual_amount_yen');
    // 4200000 is one person's on each side (a coincidence the report shows); 3000000 and 0 are shared within a side.
    expect(amounts).toMatchObject({ category: 'attribute', sharedValues: 1, linkedPersons: 1 });
  });

  it('measures quasi-identifier joins per combination, normalising case and spaces', async () => {
    const result = await runJoinAttack([tax, pension]);
    const full = result.quasiIdentifierJoins.find((join) => join.columns.length === 3);
    expect(full).toMatchObject({ linkedPersons: 1, linked: [['t1', 'p1']] });
    const nameOnly = result.quasiIdentifierJoins.find((join) => join.columns.join() === 'contact_name');
    // "Sato Hanako" is two persons at pension once normalised: the name alone links no one.
    expect(nameOnly).toMatchObject({ sharedValues: 1, linkedPersons: 0 });
    const birthDate = result.quasiIdentifierJoins.find((join) => join.columns.join() === 'contact_date_of_birth');
    expect(birthDate).toMatchObject({ linkedPersons: 0 });
    expect(result.profiles).toEqual([
      expect.objectContaining({ party: 'tax', persons: 3, profile: 'mixed: contact data kept for 2 of 3 persons' }),
      expect.objectContaining({ party: 'pension', persons: 3, profile: 'mixed: contact data kept for 2 of 3 persons' }),
    ]);
  });

  it('finds a My Number that two agencies both kept, whatever the column is called', async () => {
    const planted = (dump: PartyDump, personId: string): PartyDump => ({
      ...dump,
      tables: [...dump.tables, table('notes', ['person_id', 'note'], [[personId, '123456789018']])],
    });
    const joins = (await runJoinAttack([planted(tax, 't1'), planted(pension, 'p1')])).joins.filter((join) => join.category === 'identifier' && join.left.table === 'notes');
    expect(joins).toEqual([expect.objectContaining({ left: { party: 'tax', table: 'notes', column: 'note' }, right: { party: 'pension', table: 'notes', column: 'note' }, linked: [['t1', 'p1']] })]);
  });

  it('counts exactly however many values the filters let through: thousands of distinct values and three shared', async () => {
    const side = (party: string, prefix: string): PartyDump => ({
      party,
      tables: [
        table(
          'notes',
          ['person_id', 'remark'],
          [...Array.from({ length: 5000 }, (_, index) => [`${prefix}${index}`, `${prefix}-remark-${index}-x1`]), ...['S1-shared-1', 'S2-shared-2', 'S3-shared-3'].map((value, index) => [`${prefix}s${index}`, value])],
        ),
      ],
    });
    const remarks = (await runJoinAttack([side('a', 'a'), side('b', 'b')])).joins.filter((join) => join.left.column === 'remark');
    expect(remarks).toEqual([expect.objectContaining({ category: 'attribute', sharedValues: 3, linkedPersons: 3 })]);
  });
});
