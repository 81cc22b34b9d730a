import type { DumpSource, TableDump, TableShape } from '../federation/databases';
export type { DumpSource } from '../federation/databases';
import { BloomFilter } from './bloom-filter';

/**
 * The cross-agency join attack (DESIGN §8): given full dumps of several
 * databases, try every pair of columns across every pair of databases, and
 * every combination of quasi-identifiers, and count how many people each join
 * links one-to-one. The dumps come in, the counts go out.
 *
 * It streams, so that seeded databases (millions of rows) fit in bounded memory:
 * a first pass puts every value of each database in a Bloom filter (about ten
 * bits a value); a second pass keeps only the values that another database's
 * filter may hold, with the person holding each; only those are compared. A false
 * positive costs a little memory, never a wrong count: every kept value is
 * compared exactly.
 */

/** A dump held in memory (small databases, tests). */
export interface PartyDump {
  party: string;
  tables: readonly TableDump[];
}

/** A dump in memory, read as a stream. */
export function inMemorySource(dump: PartyDump): DumpSource {
  const byName = new Map(dump.tables.map((table) => [table.table, table]));
  return {
    party: dump.party,
    tables: dump.tables.map((table) => ({ table: table.table, rowCount: table.rowCount, columns: table.columns.map(({ name, type }) => ({ name, type })) })),
    async *rows(shape) {
      const table = byName.get(shape.table)!;
      for (let row = 0; row < table.rowCount; row++) yield table.columns.map((column) => column.values[row]);
    },
    async distinctKeys(parts) {
      const keys = new Set<string>();
      for (const { table, key, filled } of parts) {
        const dumped = byName.get(table)!;
        const keyValues = dumped.columns.find((column) => column.name === key)!.values;
        const filledValues = filled === undefined ? undefined : dumped.columns.find((column) => column.name === filled)!.values;
        keyValues.forEach((value, row) => {
          if (value !== null && (filledValues === undefined || (filledValues[row] ?? '') !== '')) keys.add(value);
        });
      }
      return keys.size;
    },
  };
}

/**
 * What a join on a column links, judged by the column and the value:
 * - identifier: a column or value that identifies a person or an exchange (codes,
 *   ids, handles, message and job ids, ciphertexts, signed or sealed tokens, anything
 *   shaped like a My Number, residence code or serial) — no two dumps may share one;
 * - quasi-identifier: name, address, date of birth — measured, with the data profile;
 * - attribute: amounts, dates, statuses, public constants — coincidences, not identities.
 */
export type JoinCategory = 'identifier' | 'quasi-identifier' | 'attribute';

export interface ColumnRef {
  party: string;
  table: string;
  column: string;
}

export interface ColumnJoin {
  left: ColumnRef;
  right: ColumnRef;
  category: JoinCategory;
  /** Distinct values present in both columns. */
  sharedValues: number;
  /** Values that belong to exactly one person on each side: each is one person linked across the two databases. */
  linkedPersons: number;
  /** The linked (left person, right person) pairs, as the person keys of each database. */
  linked: [string, string][];
}

export interface QuasiIdentifierJoin {
  left: { party: string; table: string };
  right: { party: string; table: string };
  columns: string[];
  sharedValues: number;
  linkedPersons: number;
  linked: [string, string][];
}

export interface DataProfile {
  party: string;
  /** Distinct persons the database keys its rows by. */
  persons: number;
  /** Per quasi-identifier column (`table.column`): how many persons have it filled. */
  quasiIdentifiers: Record<string, number>;
  /** data minimization / contact data / mixed: what the agency keeps to write to people. */
  profile: string;
}

export interface JoinAttackResult {
  databases: { party: string; tables: number; rows: number; columns: number }[];
  /** Every column pair across every pair of databases that was tried. */
  columnPairsTried: number;
  /** Column pairs that shared at least one value, by category. */
  joins: ColumnJoin[];
  quasiIdentifierJoins: QuasiIdentifierJoin[];
  profiles: DataProfile[];
}

const QUASI_IDENTIFIER_COLUMN = /(^|_)(name|address|date_of_birth|birth_?date|dob)$/;
const IDENTIFIER_COLUMN = /(^|_)(id|code|number|serial|handle|token|signature)$|my_?number|residence|serial|kojin/;
/**
 * A value shaped like an identifier, whatever column it sits in: a code, ciphertext or serial; a national
 * identifier; a UUID (ids, handles, message and job ids); a JWS or JWE (its signature is unique); or any
 * long run of base64url with a digit in it (keys, signatures, nonces).
 */
const IDENTIFIER_VALUE =
  /^(ac1\.|ct1\.|ps1\.|pk1\.|sk1\.)|^[0-9]{11,12}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^eyJ[A-Za-z0-9_-]*\.|^(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{22,}$/i;
/** Person keys: the person table's id; elsewhere the person_id foreign key, or the portal's own code. */
const PERSON_KEY_COLUMNS = ['person_id', 'portal_code'];
const MAX_LINKED_PAIRS = 100_000;

export function personKeyColumn(table: Pick<TableShape, 'table' | 'columns'>): string | undefined {
  if (table.table === 'person' && table.columns.some((column) => column.name === 'id')) return 'id';
  return PERSON_KEY_COLUMNS.find((name) => table.columns.some((column) => column.name === name));
}

export type ColumnClass = 'identifier' | 'quasi-identifier' | 'attribute';

export function classifyColumn(name: string, type: string): ColumnClass {
  if (QUASI_IDENTIFIER_COLUMN.test(name)) return 'quasi-identifier';
  if (IDENTIFIER_COLUMN.test(name) || type === 'uuid') return 'identifier';
  return 'attribute';
}

/**
 * Values with no digit (party names, rule ids, statuses) or under five
 * characters name categories, not people: a match on them links no one.
 */
const DISTINCTIVE = /^(?=.*[0-9]).{5,}$/s;

/** Row numbers (1, 2, 3…) recur in every database by construction: the same number means different rows. */
const ROW_NUMBER = /^[0-9]{1,10}$/;

function categoryOf(value: string, left: ColumnClass, right: ColumnClass): JoinCategory {
  if (IDENTIFIER_VALUE.test(value)) return 'identifier';
  if (left === 'quasi-identifier' && right === 'quasi-identifier') return 'quasi-identifier';
  if (ROW_NUMBER.test(value)) return 'attribute';
  if (left === 'identifier' || right === 'identifier') return 'identifier';
  return 'attribute';
}

/** Tables that are the same code in every database, not data: TypeORM's record of the migrations run. */
const SCHEMA_BOOKKEEPING = new Set(['migrations']);

interface ColumnInfo {
  ref: ColumnRef;
  database: number;
  kind: ColumnClass;
}

/** One table of one database as the passes read it: where its columns sit in the attack's list, and its quasi-identifier subsets. */
interface TablePlan {
  shape: TableShape;
  /** Index in `columns` of each of the table's columns; -1 for bookkeeping tables (read for nothing). */
  columnIndex: number[];
  /** Position of the person key in a row, or -1. */
  keyAt: number;
  /** Each non-empty combination of the table's quasi-identifier columns: its candidate index and the positions it reads. */
  quasi: { candidate: number; positions: number[] }[];
}

interface QuasiCandidate {
  database: number;
  party: string;
  table: string;
  columns: string[];
  /** A key that tells this combination of columns in a filter: values only join with the same combination. */
  tag: string;
}

type Owners = Map<string, string | null>;

/** Keeps `person` as the value's one owner, or null once a second person holds it. */
function own(owners: Owners, value: string, person: string | null): void {
  if (!owners.has(value)) owners.set(value, person);
  else if (owners.get(value) !== person) owners.set(value, null);
}

export async function runJoinAttack(sources: readonly DumpSource[]): Promise<JoinAttackResult> {
  const columns: ColumnInfo[] = [];
  const quasiCandidates: QuasiCandidate[] = [];
  const plans: TablePlan[][] = sources.map((source, database) =>
    source.tables.map((shape) => {
      const keyColumn = personKeyColumn(shape);
      const keyAt = keyColumn ? shape.columns.findIndex((column) => column.name === keyColumn) : -1;
      const bookkeeping = SCHEMA_BOOKKEEPING.has(shape.table);
      const columnIndex = shape.columns.map((column) => {
        if (bookkeeping) return -1;
        columns.push({ ref: { party: source.party, table: shape.table, column: column.name }, database, kind: classifyColumn(column.name, column.type) });
        return columns.length - 1;
      });
      const quasi: TablePlan['quasi'] = [];
      if (keyAt >= 0) {
        const quasiColumns = shape.columns
          .map((column, position) => ({ name: column.name, position }))
          .filter((column) => QUASI_IDENTIFIER_COLUMN.test(column.name))
          .sort((a, b) => a.name.localeCompare(b.name));
        for (const subset of nonEmptySubsets(quasiColumns)) {
          const names = subset.map((column) => column.name);
          quasiCandidates.push({ database, party: source.party, table: shape.table, columns: names, tag: `\u0001${names.join(',')}\u0001` });
          quasi.push({ candidate: quasiCandidates.length - 1, positions: subset.map((column) => column.position) });
        }
      }
      return { shape, columnIndex, keyAt, quasi };
    }),
  );

  // Pass 1: every value (and every quasi-identifier combination) of each database, in its own filter.
  const filters: BloomFilter[] = [];
  for (const [database, source] of sources.entries()) {
    const cells = plans[database].reduce((sum, plan) => sum + plan.shape.rowCount * (plan.shape.columns.length + plan.quasi.length), 0);
    const filter = new BloomFilter(cells);
    await readValues(source, plans[database], quasiCandidates, (value) => filter.add(value), (tagged) => filter.add(tagged));
    filters.push(filter);
  }

  // Pass 2: the values another database may hold, with whose they are in each column.
  const shared = new Map<string, Map<number, string | null>>();
  const quasiOwners: Owners[] = quasiCandidates.map(() => new Map());
  for (const [database, source] of sources.entries()) {
    const others = filters.filter((_, index) => index !== database);
    const elsewhere = (value: string) => {
      if (others.length === 0) return false;
      const hashed = BloomFilter.hash(value);
      return others.some((filter) => filter.hasHashed(hashed));
    };
    await readValues(
      source,
      plans[database],
      quasiCandidates,
      (value, column, person) => {
        if (!elsewhere(value)) return;
        let byColumn = shared.get(value);
        if (!byColumn) shared.set(value, (byColumn = new Map()));
        if (!byColumn.has(column)) byColumn.set(column, person);
        else if (byColumn.get(column) !== person) byColumn.set(column, null);
      },
      (tagged, candidate, person, value) => {
        if (elsewhere(tagged)) own(quasiOwners[candidate], value, person);
      },
    );
  }
  filters.length = 0;

  const pairs = new Map<string, ColumnJoin>();
  for (const [value, byColumn] of shared) {
    if (byColumn.size < 2) continue;
    const list = [...byColumn].map(([column, owner]) => ({ column, owner }));
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i];
        const b = list[j];
        const left = columns[a.column];
        const right = columns[b.column];
        if (left.database === right.database) continue;
        const [first, second, firstOwner, secondOwner] = left.database < right.database ? [left, right, a.owner, b.owner] : [right, left, b.owner, a.owner];
        const category = categoryOf(value, first.kind, second.kind);
        const key = `${refKey(first.ref)}|${refKey(second.ref)}|${category}`;
        let join = pairs.get(key);
        if (!join) {
          join = { left: first.ref, right: second.ref, category, sharedValues: 0, linkedPersons: 0, linked: [] };
          pairs.set(key, join);
        }
        join.sharedValues += 1;
        if (firstOwner !== null && secondOwner !== null && (category !== 'attribute' || DISTINCTIVE.test(value))) {
          join.linkedPersons += 1;
          if (join.linked.length < MAX_LINKED_PAIRS && category !== 'attribute') join.linked.push([firstOwner, secondOwner]);
        }
      }
    }
  }
  shared.clear();

  let columnPairsTried = 0;
  const perDatabase = sources.map((_, database) => columns.filter((column) => column.database === database).length);
  for (let i = 0; i < perDatabase.length; i++) for (let j = i + 1; j < perDatabase.length; j++) columnPairsTried += perDatabase[i] * perDatabase[j];

  const profiles: DataProfile[] = [];
  for (const source of sources) profiles.push(await profileOf(source));
  return {
    databases: sources.map((source, database) => ({
      party: source.party,
      tables: source.tables.length,
      rows: source.tables.reduce((sum, table) => sum + table.rowCount, 0),
      columns: perDatabase[database],
    })),
    columnPairsTried,
    joins: [...pairs.values()].sort(byCategoryThenLinked),
    quasiIdentifierJoins: quasiIdentifierJoins(quasiCandidates, quasiOwners),
    profiles,
  };
}

/**
 * Streams one database: each non-empty value with its column (its index in the
 * attack's list) and the row's person, and each filled quasi-identifier
 * combination of a person's row, normalised and tagged with its columns.
 */
async function readValues(
  source: DumpSource,
  plans: readonly TablePlan[],
  candidates: readonly QuasiCandidate[],
  onValue: (value: string, column: number, person: string | null) => void,
  onQuasi: (tagged: string, candidate: number, person: string, value: string) => void,
): Promise<void> {
  for (const plan of plans) {
    if (plan.columnIndex.every((index) => index < 0)) continue;
    for await (const row of source.rows(plan.shape)) {
      const person = plan.keyAt >= 0 ? row[plan.keyAt] : null;
      row.forEach((value, position) => {
        if (value !== null && value !== '') onValue(value, plan.columnIndex[position], person);
      });
      if (person === null) continue;
      for (const { candidate, positions } of plan.quasi) {
        const parts = positions.map((position) => row[position]);
        if (parts.some((part) => part === null || part === '')) continue;
        const value = JSON.stringify(parts.map((part) => normalise(part!)));
        onQuasi(candidates[candidate].tag + value, candidate, person, value);
      }
    }
  }
}

function refKey(ref: ColumnRef): string {
  return `${ref.party}/${ref.table}/${ref.column}`;
}

const CATEGORY_ORDER: JoinCategory[] = ['identifier', 'quasi-identifier', 'attribute'];
function byCategoryThenLinked(a: ColumnJoin, b: ColumnJoin): number {
  return CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) || b.linkedPersons - a.linkedPersons;
}

/** Every non-empty combination of a table's quasi-identifier columns, joined with the same combination elsewhere (only shared values were kept). */
function quasiIdentifierJoins(candidates: readonly QuasiCandidate[], owners: readonly Owners[]): QuasiIdentifierJoin[] {
  const joins: QuasiIdentifierJoin[] = [];
  for (let i = 0; i < candidates.length; i++) {
    for (let j = i + 1; j < candidates.length; j++) {
      const a = candidates[i];
      const b = candidates[j];
      if (a.database === b.database || a.columns.join() !== b.columns.join()) continue;
      const join: QuasiIdentifierJoin = {
        left: { party: a.party, table: a.table },
        right: { party: b.party, table: b.table },
        columns: a.columns,
        sharedValues: 0,
        linkedPersons: 0,
        linked: [],
      };
      const [small, large, smallIsLeft] = owners[i].size <= owners[j].size ? [owners[i], owners[j], true] : [owners[j], owners[i], false];
      for (const [value, owner] of small) {
        if (!large.has(value)) continue;
        join.sharedValues += 1;
        const other = large.get(value)!;
        if (owner !== null && other !== null) {
          join.linkedPersons += 1;
          if (join.linked.length < MAX_LINKED_PAIRS) join.linked.push(smallIsLeft ? [owner, other] : [other, owner]);
        }
      }
      joins.push(join);
    }
  }
  return joins.sort((a, b) => b.columns.length - a.columns.length || b.linkedPersons - a.linkedPersons);
}

/** Case and spacing do not stop a join. */
function normalise(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function nonEmptySubsets<T>(items: readonly T[]): T[][] {
  const subsets: T[][] = [];
  for (let mask = 1; mask < 1 << items.length; mask++) subsets.push(items.filter((_, index) => mask & (1 << index)));
  return subsets;
}

/** Persons, and per quasi-identifier column how many persons have it filled: counted by the source (the database), not in memory. */
async function profileOf(source: DumpSource): Promise<DataProfile> {
  const keyed = source.tables.flatMap((table) => {
    const key = personKeyColumn(table);
    return key ? [{ table, key }] : [];
  });
  const persons = await source.distinctKeys(keyed.map(({ table, key }) => ({ table: table.table, key })));
  const quasiIdentifiers: Record<string, number> = {};
  for (const { table, key } of keyed) {
    for (const column of table.columns.filter((candidate) => QUASI_IDENTIFIER_COLUMN.test(candidate.name))) {
      quasiIdentifiers[`${table.table}.${column.name}`] = await source.distinctKeys([{ table: table.table, key, filled: column.name }]);
    }
  }
  const kept = Math.max(0, ...Object.values(quasiIdentifiers));
  const profile =
    Object.keys(quasiIdentifiers).length === 0
      ? 'no quasi-identifier columns'
      : kept === 0
        ? 'data minimization: no contact data kept'
        : kept >= persons
          ? 'contact data: name, address and date of birth kept for everyone'
          : `mixed: contact data kept for ${kept} of ${persons} persons`;
  return { party: source.party, persons, quasiIdentifiers, profile };
}
