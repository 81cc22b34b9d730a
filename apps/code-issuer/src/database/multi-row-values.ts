/**
 * `($1, $2), ($3, $4), …` and its flat parameter list: one INSERT for a whole
 * batch (a thousand rows × eight columns stays far below PostgreSQL's 65,535).
 */
export function multiRowValues<Row>(rows: readonly Row[], columns: (row: Row) => readonly unknown[]): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [];
  const tuples = rows.map((row) => {
    const values = columns(row);
    const start = parameters.length;
    parameters.push(...values);
    return `(${values.map((_, offset) => `$${start + offset + 1}`).join(', ')})`;
  });
  return { sql: tuples.join(', '), parameters };
}
