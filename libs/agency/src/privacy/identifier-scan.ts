/**
 * Scans a database for anything that could be a national identifier: a column
 * named for one, a value with a 12-digit (My Number) or 11-digit (residence code)
 * run, or a processing serial. An agency database must yield no finding. Findings
 * name the table and column and count rows; they never print the values.
 */
export type IdentifierKind = 'identifier-column' | 'my-number-like' | 'residence-code-like' | 'processing-serial';

export interface IdentifierFinding {
  table: string;
  column: string;
  kind: IdentifierKind;
  rows: number;
}

export type QueryFn = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const SUSPICIOUS_COLUMN = /my_?number|kojin|residence|juminhyo|serial/i;

const VALUE_PATTERNS: { kind: IdentifierKind; regex: string }[] = [
  { kind: 'my-number-like', regex: '(^|[^0-9])[0-9]{12}([^0-9]|$)' },
  { kind: 'residence-code-like', regex: '(^|[^0-9])[0-9]{11}([^0-9]|$)' },
  { kind: 'processing-serial', regex: 'ps1\\.' },
];

// Columns of these types cannot carry a number as text, so they are not value-scanned.
const NOT_VALUE_SCANNED = new Set(['uuid', 'date', 'timestamp with time zone', 'timestamp without time zone', 'boolean']);

// A uuid's last group is 12 hex characters and is all digits about once in 300
// (a queue job id kept as text, say): uuids are cut out of a value before its
// digit runs are counted. A number written next to one is still found.
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

export async function scanForIdentifiers(query: QueryFn): Promise<IdentifierFinding[]> {
  const columns = (await query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  )) as { table_name: string; column_name: string; data_type: string }[];

  const findings: IdentifierFinding[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    if (SUSPICIOUS_COLUMN.test(column)) findings.push({ table, column, kind: 'identifier-column', rows: 0 });
    if (NOT_VALUE_SCANNED.has(type)) continue;
    // bytea reads as its printable bytes: a number written into it as text shows,
    // and the hex of a hash (a session id's, say) does not pass for digit runs.
    const text = type === 'bytea' ? `encode(${quote(column)}, 'escape')` : `${quote(column)}::text`;
    const value = `regexp_replace(${text}, $1, ' ', 'gi')`;
    const counts = VALUE_PATTERNS.map(({ kind }, index) => `count(*) FILTER (WHERE ${value} ~ $${index + 2}) AS "${kind}"`);
    const [row] = await query(`SELECT ${counts.join(', ')} FROM ${quote(table)}`, [UUID, ...VALUE_PATTERNS.map(({ regex }) => regex)]);
    for (const { kind } of VALUE_PATTERNS) {
      const rows = Number(row[kind]);
      if (rows > 0) findings.push({ table, column, kind, rows });
    }
  }
  return findings;
}
