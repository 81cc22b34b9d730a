import { Client } from 'pg';
import Cursor from 'pg-cursor';
import { scanForIdentifiers, type IdentifierFinding } from '@myna/agency';
import type { Agency, Service } from '@myna/protocol';
import { AgencyView, HubView, IssuerView, PortalView } from './service-views';

/** One table of a dump: every column, every row, as text (NULL stays null); `values[i]` of each column is row i. */
export interface TableDump {
  table: string;
  rowCount: number;
  columns: { name: string; type: string; values: (string | null)[] }[];
}

/** A table's shape in a dump: its columns in order, and how many rows it holds. */
export interface TableShape {
  table: string;
  rowCount: number;
  columns: { name: string; type: string }[];
}

/** A database's dump, read as a stream: its tables' shapes, each table's rows, and distinct-key counts. */
export interface DumpSource {
  party: string;
  tables: readonly TableShape[];
  /** The table's rows, each in its shape's column order, as text (NULL is null). */
  rows(table: TableShape): AsyncIterable<readonly (string | null)[]>;
  /** Distinct values of the key columns of these tables together (rows whose `filled` column is empty left out). */
  distinctKeys(parts: readonly { table: string; key: string; filled?: string }[]): Promise<number>;
}

/** Rows fetched per round trip while streaming a table. */
export const STREAM_BATCH_ROWS = 2000;

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const CONNECT_ATTEMPTS = 5;

export interface IdentifierScan {
  /** What @myna/agency's identifier scan found (column names, value shapes; uuids kept as text are no identifiers). */
  findings: IdentifierFinding[];
}

/**
 * The auditor's reader: the services' own databases, read as an auditor with
 * their dumps would. Typed questions per service (`hub`, `issuer`, `agency(…)`,
 * `portal`: see service-views.ts); whole tables streamed (`source`, `rows`), so
 * that a seeded federation's millions of rows never sit in memory at once. A
 * connection per call, closed at once: the embedded databases allow a few.
 */
export class Databases {
  readonly hub: HubView;
  readonly issuer: IssuerView;
  readonly portal: PortalView;
  private readonly agencies = new Map<Agency, AgencyView>();

  constructor(
    readonly urls: Readonly<Record<Service, string>>,
    /** Called before every connection: the runner waits for the services to be quiet (see QueueAccess.settle). */
    private readonly beforeQuery: () => Promise<void> = async () => undefined,
  ) {
    const query = <Row>(service: Service, sql: string, params: unknown[] = []) => this.query<Row>(service, sql, params);
    this.hub = new HubView(query);
    this.issuer = new IssuerView(query);
    this.portal = new PortalView(query);
  }

  /** One agency's view. */
  agency(agency: Agency): AgencyView {
    let view = this.agencies.get(agency);
    if (!view) this.agencies.set(agency, (view = new AgencyView((service, sql, params) => this.query(service, sql, params), agency)));
    return view;
  }

  /** Any SQL, for a question no view asks yet: prefer adding it to a view (service-views.ts), typed, beside the others. */
  async query<Row = Record<string, unknown>>(service: Service, sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.withClient(service, async (client) => (await client.query(sql, params)).rows as Row[]);
  }

  async count(service: Service, sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await this.query<{ count: string | number }>(service, sql, params);
    return Number(row?.count ?? 0);
  }

  /** Every table of the public schema, with its columns and row count: what a dump holds, without its rows. */
  async shapes(service: Service): Promise<TableShape[]> {
    return this.withClient(service, async (client) => {
      const shapes: TableShape[] = [];
      for (const [table, columns] of await typedTablesOf(client)) {
        const [{ count }] = (await client.query(`SELECT count(*)::bigint::text AS count FROM ${quote(table)}`)).rows as { count: string }[];
        shapes.push({ table, rowCount: Number(count), columns });
      }
      return shapes;
    });
  }

  /** The service's database as a dump read as a stream (see DumpSource). */
  async source(service: Service): Promise<DumpSource> {
    return {
      party: service,
      tables: await this.shapes(service),
      rows: (table) => this.rows(service, table),
      distinctKeys: (parts) => this.distinctKeys(service, parts),
    };
  }

  /**
   * Every row of one table, as text (NULL stays null), columns in the shape's order,
   * streamed through a cursor (pg-cursor) in batches of STREAM_BATCH_ROWS: memory
   * holds one batch, whatever the table's size. One read-only snapshot per table.
   */
  async *rows(service: Service, shape: Pick<TableShape, 'table' | 'columns'>): AsyncGenerator<(string | null)[]> {
    await this.beforeQuery();
    const client = await this.connect(service);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const select = shape.columns.map((column) => `${quote(column.name)}::text`).join(', ');
      const cursor = client.query(new Cursor<(string | null)[]>(`SELECT ${select} FROM ${quote(shape.table)}`, [], { rowMode: 'array' }));
      try {
        for (;;) {
          const batch = await cursor.read(STREAM_BATCH_ROWS);
          if (batch.length === 0) break;
          yield* batch;
        }
      } finally {
        await cursor.close().catch(() => undefined);
        await client.query('COMMIT').catch(() => undefined);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /**
   * How many distinct values the key columns of these tables hold together (rows
   * whose `filled` column is NULL or empty left out): counted by the database, so
   * that a million persons need no set in this process.
   */
  async distinctKeys(service: Service, parts: readonly { table: string; key: string; filled?: string }[]): Promise<number> {
    if (parts.length === 0) return 0;
    const selects = parts.map(
      ({ table, key, filled }) =>
        `SELECT ${quote(key)}::text AS k FROM ${quote(table)} WHERE ${quote(key)} IS NOT NULL${filled ? ` AND coalesce(${quote(filled)}::text, '') <> ''` : ''}`,
    );
    return this.count(service, `SELECT count(*) AS count FROM (${selects.join(' UNION ')}) keys`);
  }

  /** Every row of every table in the public schema, as text, in memory: for small databases only (see `rows` to stream). */
  async dump(service: Service): Promise<TableDump[]> {
    return this.withClient(service, async (client) => {
      const tables = await typedTablesOf(client);
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

  /** Which of these codes the service keeps in a code column (`agency_code`, `portal_code`) of any table. */
  async codesHeld(service: Service, codes: readonly string[]): Promise<Set<string>> {
    return this.withClient(service, async (client) => {
      const held = new Set<string>();
      for (const { table, column } of await columnsOf(client, ['agency_code', 'portal_code'])) {
        const rows = (await client.query(`SELECT DISTINCT ${quote(column)}::text AS code FROM ${quote(table)} WHERE ${quote(column)}::text = ANY($1)`, [codes])).rows as { code: string }[];
        for (const row of rows) held.add(row.code);
      }
      return held;
    });
  }

  /**
   * A point in the database's history: rows written (inserted or updated) after it
   * carry a higher transaction id (`xmin`). Read before something happens, then
   * `writtenSince` lists what it wrote.
   */
  async writeMark(service: Service): Promise<string> {
    const [row] = await this.query<{ xmax: string }>(service, 'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax');
    return row.xmax;
  }

  /** Every row written to the service's tables since the mark, as text, table by table (tables with none left out). */
  async writtenSince(service: Service, mark: string): Promise<{ table: string; rows: Record<string, string | null>[] }[]> {
    return this.withClient(service, async (client) => {
      // xmin is a 32-bit transaction id; the mark is a 64-bit one (epoch and id).
      const since = (BigInt(mark) % 4294967296n).toString();
      const written: { table: string; rows: Record<string, string | null>[] }[] = [];
      for (const [table, columns] of await tablesOf(client)) {
        const select = columns.map((column) => `${quote(column)}::text AS ${quote(column)}`).join(', ');
        const rows = (await client.query(`SELECT ${select} FROM ${quote(table)} WHERE xmin::text::bigint >= $1::bigint`, [since])).rows as Record<string, string | null>[];
        if (rows.length > 0) written.push({ table, rows });
      }
      return written;
    });
  }

  /** Where each needle occurs in the service's whole database: `table.column` names, per needle (one scan per table). */
  async whereFound(service: Service, needles: readonly string[]): Promise<string[][]> {
    return this.withClient(service, async (client) => {
      const places: string[][] = needles.map(() => []);
      if (needles.length === 0) return places;
      for (const [table, columns] of await tablesOf(client)) {
        const probes = columns.flatMap((column) => needles.map((_, index) => `count(*) FILTER (WHERE strpos(${quote(column)}::text, $${index + 1}) > 0)`));
        const [counts] = (await client.query({ text: `SELECT ${probes.join(', ')} FROM ${quote(table)}`, values: [...needles], rowMode: 'array' })).rows as string[][];
        columns.forEach((column, columnIndex) =>
          needles.forEach((_, needleIndex) => {
            if (Number(counts[columnIndex * needles.length + needleIndex]) > 0) places[needleIndex].push(`${table}.${column}`);
          }),
        );
      }
      return places;
    });
  }

  async scan(service: Service): Promise<IdentifierScan> {
    return this.withClient(service, async (client) => ({
      findings: await scanForIdentifiers(async (sql, params) => (await client.query(sql, params)).rows),
    }));
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

/** Every base table of the public schema, with its columns (name and type) in order. */
async function typedTablesOf(client: Client): Promise<Map<string, { name: string; type: string }[]>> {
  const rows = (
    await client.query(
      `SELECT c.table_name, c.column_name, c.data_type
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        ORDER BY c.table_name, c.ordinal_position`,
    )
  ).rows as { table_name: string; column_name: string; data_type: string }[];
  const tables = new Map<string, { name: string; type: string }[]>();
  for (const row of rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), { name: row.column_name, type: row.data_type }]);
  return tables;
}

/** Every base table of the public schema, with its columns in order. */
async function tablesOf(client: Client): Promise<Map<string, string[]>> {
  const rows = (
    await client.query(
      `SELECT c.table_name, c.column_name
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        ORDER BY c.table_name, c.ordinal_position`,
    )
  ).rows as { table_name: string; column_name: string }[];
  const tables = new Map<string, string[]>();
  for (const row of rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
  return tables;
}

async function columnsOf(client: Client, names: readonly string[]): Promise<{ table: string; column: string }[]> {
  const found: { table: string; column: string }[] = [];
  for (const [table, columns] of await tablesOf(client)) for (const column of columns) if (names.includes(column)) found.push({ table, column });
  return found;
}

const BASE64URL_BODY = /^[A-Za-z0-9_-]+$/;

function isBase64UrlChar(char: number): boolean {
  return (
    (char >= 0x41 && char <= 0x5a) || (char >= 0x61 && char <= 0x7a) || (char >= 0x30 && char <= 0x39) || char === 0x2d || char === 0x5f
  );
}

/**
 * Which of `codes` (base64url bodies) occur anywhere in `texts`. Every window of a
 * code's length inside every base64url run of the texts is looked up once, so the
 * search costs about the texts' length, however many codes a seeded agency holds
 * (a substring search per code would cost their product).
 */
export function codesFoundIn(texts: readonly string[], codes: ReadonlySet<string>): string[] {
  const search = new CodeSearch(codes);
  for (const text of texts) search.scan(text);
  return [...search.found];
}

/** The search of `codesFoundIn`, fed one text at a time (a streamed dump's values): `found` gathers the codes seen. */
export class CodeSearch {
  readonly found = new Set<string>();
  private readonly lengths = new Set<number>();
  private readonly others: string[] = [];

  constructor(private readonly codes: ReadonlySet<string>) {
    for (const code of codes) {
      if (BASE64URL_BODY.test(code)) this.lengths.add(code.length);
      else this.others.push(code);
    }
  }

  /** Looks for the codes in one more text; returns those found in it. */
  scan(text: string): string[] {
    const here = new Set<string>();
    for (const code of this.others) if (text.includes(code)) here.add(code);
    if (this.lengths.size > 0) searchWindows(text, this.codes, this.lengths, here);
    for (const code of here) this.found.add(code);
    return [...here];
  }
}

function searchWindows(text: string, codes: ReadonlySet<string>, lengths: ReadonlySet<number>, found: Set<string>): void {
  const shortest = Math.min(...lengths);
  let start = 0;
  for (let end = 0; end <= text.length; end++) {
    if (end < text.length && isBase64UrlChar(text.charCodeAt(end))) continue;
    if (end - start >= shortest) {
      for (const length of lengths) {
        for (let at = start; at + length <= end; at++) {
          const window = text.slice(at, at + length);
          if (codes.has(window)) found.add(window);
        }
      }
    }
    start = end + 1;
  }
}

/** A scan as one line of evidence. */
export function describeScan(scan: IdentifierScan): string {
  const found = scan.findings.map((finding) => `${finding.table}.${finding.column}: ${finding.kind}${finding.rows ? ` (${finding.rows} rows)` : ''}`);
  return found.length === 0 ? 'the identifier scan found nothing' : found.join('; ');
}
