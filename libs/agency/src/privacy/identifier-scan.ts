/**
 * Scans a database for anything that could be a national identifier: a column
 * named for one, a value with a 12-digit (My Number) or 11-digit (residence code)
 * run, or a processing serial. An agency database must yield no finding. Findings
 * name the table and column and count rows; they never print the values.
 */
import { isValidMyNumber, isValidResidenceCode } from '@myna/codes';

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

// A number column drops leading zeros: a My Number beginning with 0 (one in ten)
// is kept as 11 digits, with 00 as 10. Its values of 10 or 11 digits are read
// again as they were before, zero-padded, and count when the check digit holds.
// Three leading zeros (one in a thousand) leave 9 digits, which cannot be told
// from an amount.
const NUMBER_TYPES = new Set(['smallint', 'integer', 'bigint', 'numeric']);
const PADDED_FROM = 1_000_000_000;
const PADDED_BELOW = 100_000_000_000;

/** The identifiers a number column's value may be, read with its lost leading zeros. */
export function paddedIdentifierKinds(digits: string): IdentifierKind[] {
  if (!/^[0-9]{10,11}$/.test(digits)) return [];
  const kinds: IdentifierKind[] = [];
  if (isValidMyNumber(digits.padStart(12, '0'))) kinds.push('my-number-like');
  if (digits.length === 10 && isValidResidenceCode(digits.padStart(11, '0'))) kinds.push('residence-code-like');
  return kinds;
}

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
    const rowsOf = new Map(VALUE_PATTERNS.map(({ kind }) => [kind, Number(row[kind])]));
    if (NUMBER_TYPES.has(type)) {
      const values = (await query(
        `SELECT ${quote(column)}::text AS digits, count(*) AS rows FROM ${quote(table)}
          WHERE ${quote(column)}::numeric >= $1::numeric AND ${quote(column)}::numeric < $2::numeric GROUP BY 1`,
        [PADDED_FROM, PADDED_BELOW],
      )) as { digits: string; rows: string }[];
      for (const { digits, rows } of values) {
        for (const kind of paddedIdentifierKinds(digits)) rowsOf.set(kind, (rowsOf.get(kind) ?? 0) + Number(rows));
      }
    }
    for (const { kind } of VALUE_PATTERNS) {
      const rows = rowsOf.get(kind) ?? 0;
      if (rows > 0) findings.push({ table, column, kind, rows });
    }
  }
  return findings;
}
