import { Client } from 'pg';
import { scanForIdentifiers, type IdentifierFinding } from '@myna/agency';
import type { Service } from '@myna/protocol';

/** One table of a dump: every column, every row, as text (NULL stays null); `values[i]` of each column is row i. */
export interface TableDump {
  table: string;
  rowCount: number;
  columns: { name: string; type: string; values: (string | null)[] }[];
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const CONNECT_ATTEMPTS = 5;

/** The value patterns of @myna/agency's identifier scan, for re-checking what it flagged. */
const SCAN_PATTERNS: Partial<Record<IdentifierFinding['kind'], string>> = {
  'my-number-like': '(^|[^0-9])[0-9]{12}([^0-9]|$)',
  'residence-code-like': '(^|[^0-9])[0-9]{11}([^0-9]|$)',
};
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Whether every match of `pattern` in `value` lies inside a UUID. */
export function onlyInsideUuids(value: string, pattern: string): boolean {
  return !new RegExp(pattern).test(value.replace(UUID, '-'));
}

export interface IdentifierScan {
  /** What the scan found and a second look confirms. */
  findings: IdentifierFinding[];
  /** Digit runs the scan flagged that lie inside UUIDs (queue job ids kept as text): not identifiers. */
  dismissed: IdentifierFinding[];
}

/**
 * The services' own databases, read as an auditor with their dumps would. A
 * connection per call, closed at once: the embedded databases allow a few.
 */
export class Databases {
  constructor(
    readonly urls: Readonly<Record<Service, string>>,
    /** Called before every connection: the runner waits for the services to be quiet (see QueueAccess.settle). */
    private readonly beforeQuery: () => Promise<void> = async () => undefined,
  ) {}

  async query<Row = Record<string, unknown>>(service: Service, sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.withClient(service, async (client) => (await client.query(sql, params)).rows as Row[]);
  }

  async count(service: Service, sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await this.query<{ count: string | number }>(service, sql, params);
    return Number(row?.count ?? 0);
  }

  /** Every row of every table in the public schema, as text. */
  async dump(service: Service): Promise<TableDump[]> {
    return this.withClient(service, async (client) => {
      const columns = (
        await client.query(
          `SELECT c.table_name, c.column_name, c.data_type
             FROM information_schema.columns c
             JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position`,
        )
      ).rows as { table_name: string; column_name: string; data_type: string }[];
      const tables = new Map<string, { name: string; type: string }[]>();
      for (const column of columns) {
        tables.set(column.table_name, [...(tables.get(column.table_name) ?? []), { name: column.column_name, type: column.data_type }]);
      }
      const dumps: TableDump[] = [];
      for (const [table, tableColumns] of tables) {
        const select = tableColumns.map((column, index) => `${quote(column.name)}::text AS c${index}`).join(', ');
        const rows = (await client.query({ text: `SELECT ${select} FROM ${quote(table)}`, rowMode: 'array' })).rows as (string | null)[][];
        dumps.push({
          table,
          rowCount: rows.length,
          columns: tableColumns.map((column, index) => ({ ...column, values: rows.map((row) => row[index]) })),
        });
      }
      return dumps;
    });
  }

  /**
   * @myna/agency's identifier scan (column names, value shapes), then a second
   * look at each value it flagged: an 11- or 12-digit run inside a UUID (the
   * last group of one is all digits about once in a few hundred) is no identifier.
   */
  async scan(service: Service): Promise<IdentifierScan> {
    return this.withClient(service, async (client) => {
      const flagged = await scanForIdentifiers(async (sql, params) => (await client.query(sql, params)).rows);
      const result: IdentifierScan = { findings: [], dismissed: [] };
      for (const finding of flagged) {
        const pattern = SCAN_PATTERNS[finding.kind];
        if (!pattern) {
          result.findings.push(finding);
          continue;
        }
        const rows = (await client.query(`SELECT ${quote(finding.column)}::text AS value FROM ${quote(finding.table)} WHERE ${quote(finding.column)}::text ~ $1`, [pattern]))
          .rows as { value: string }[];
        const real = rows.filter((row) => !onlyInsideUuids(row.value, pattern)).length;
        if (real > 0) result.findings.push({ ...finding, rows: real });
        if (real < rows.length) result.dismissed.push({ ...finding, rows: rows.length - real });
      }
      return result;
    });
  }

  private async withClient<T>(service: Service, work: (client: Client) => Promise<T>): Promise<T> {
    await this.beforeQuery();
    const client = await this.connect(service);
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** The embedded databases refuse connections above their limit for a moment under load: retry a few times. */
  private async connect(service: Service): Promise<Client> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
      const client = new Client({ connectionString: this.urls[service], connectionTimeoutMillis: 10_000 });
      try {
        await client.connect();
        return client;
      } catch (error) {
        lastError = error;
        await client.end().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
    throw new Error(`cannot connect to ${service}'s database: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  }
}

/** A dump as one searchable text: `table.column: value` per non-null value. */
export function dumpText(dump: readonly TableDump[]): string {
  const lines: string[] = [];
  for (const table of dump) {
    for (const column of table.columns) {
      for (const value of column.values) if (value !== null) lines.push(`${table.table}.${column.name}: ${value}`);
    }
  }
  return lines.join('\n');
}

/** Where in a dump a value occurs: `table.column` names. */
export function locate(dump: readonly TableDump[], needle: string): string[] {
  const places: string[] = [];
  for (const table of dump) {
    for (const column of table.columns) {
      if (column.values.some((value) => value !== null && value.includes(needle))) places.push(`${table.table}.${column.name}`);
    }
  }
  return places;
}

/** A scan as one line of evidence. */
export function describeScan(scan: IdentifierScan): string {
  const found = scan.findings.map((finding) => `${finding.table}.${finding.column}: ${finding.kind}${finding.rows ? ` (${finding.rows} rows)` : ''}`);
  const dismissed = scan.dismissed.length
    ? ` (dismissed: ${scan.dismissed.map((finding) => `${finding.rows} digit run(s) inside UUIDs in ${finding.table}.${finding.column}`).join(', ')})`
    : '';
  return found.length === 0 ? `the identifier scan found nothing${dismissed}` : `${found.join('; ')}${dismissed}`;
}
