import type { TableDump } from '../federation/databases';

/**
 * The cross-agency join attack (DESIGN §8): given full dumps of several
 * databases, try every pair of columns across every pair of databases, and
 * every combination of quasi-identifiers, and count how many people each join
 * links one-to-one. Pure: the dumps come in, the counts go out.
 */

export interface PartyDump {
  party: string;
  tables: readonly TableDump[];
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

export function personKeyColumn(table: TableDump): string | undefined {
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

interface IndexedColumn {
  ref: ColumnRef;
  database: number;
  kind: ColumnClass;
  /** value → the one person holding it, or null when several do (or the table is not about persons). */
  owners: Map<string, string | null>;
}

function indexColumn(table: TableDump, column: TableDump['columns'][number], keys: (string | null)[] | undefined): Map<string, string | null> {
  const owners = new Map<string, string | null>();
  column.values.forEach((value, row) => {
    if (value === null || value === '') return;
    const person = keys?.[row] ?? null;
    if (!owners.has(value)) owners.set(value, person);
    else if (owners.get(value) !== person) owners.set(value, null);
  });
  return owners;
}

/** Tables that are the same code in every database, not data: TypeORM's record of the migrations run. */
const SCHEMA_BOOKKEEPING = new Set(['migrations']);

export function runJoinAttack(dumps: readonly PartyDump[]): JoinAttackResult {
  const columns: IndexedColumn[] = [];
  dumps.forEach((dump, database) => {
    for (const table of dump.tables) {
      if (SCHEMA_BOOKKEEPING.has(table.table)) continue;
      const keyColumn = personKeyColumn(table);
      const keys = keyColumn ? table.columns.find((column) => column.name === keyColumn)?.values : undefined;
      for (const column of table.columns) {
        columns.push({
          ref: { party: dump.party, table: table.table, column: column.name },
          database,
          kind: classifyColumn(column.name, column.type),
          owners: indexColumn(table, column, keys),
        });
      }
    }
  });

  // One pass over every value: which columns hold it, and whose it is there.
  const occurrences = new Map<string, { column: number; owner: string | null }[]>();
  columns.forEach((column, index) => {
    for (const [value, owner] of column.owners) {
      const list = occurrences.get(value);
      if (list) list.push({ column: index, owner });
      else occurrences.set(value, [{ column: index, owner }]);
    }
  });

  const pairs = new Map<string, ColumnJoin>();
  for (const [value, list] of occurrences) {
    if (list.length < 2) continue;
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

  let columnPairsTried = 0;
  const perDatabase = dumps.map((_, database) => columns.filter((column) => column.database === database).length);
  for (let i = 0; i < perDatabase.length; i++) for (let j = i + 1; j < perDatabase.length; j++) columnPairsTried += perDatabase[i] * perDatabase[j];

  return {
    databases: dumps.map((dump, database) => ({
      party: dump.party,
      tables: dump.tables.length,
      rows: dump.tables.reduce((sum, table) => sum + table.rowCount, 0),
      columns: perDatabase[database],
    })),
    columnPairsTried,
    joins: [...pairs.values()].sort(byCategoryThenLinked),
    quasiIdentifierJoins: quasiIdentifierJoins(dumps),
    profiles: dumps.map(profileOf),
  };
}

function refKey(ref: ColumnRef): string {
  return `${ref.party}/${ref.table}/${ref.column}`;
}

const CATEGORY_ORDER: JoinCategory[] = ['identifier', 'quasi-identifier', 'attribute'];
function byCategoryThenLinked(a: ColumnJoin, b: ColumnJoin): number {
  return CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) || b.linkedPersons - a.linkedPersons;
}

/** Every non-empty combination of a table's quasi-identifier columns, joined with the same combination elsewhere. */
function quasiIdentifierJoins(dumps: readonly PartyDump[]): QuasiIdentifierJoin[] {
  interface Candidate {
    database: number;
    party: string;
    table: string;
    columns: string[];
    owners: Map<string, string | null>;
  }
  const candidates: Candidate[] = [];
  dumps.forEach((dump, database) => {
    for (const table of dump.tables) {
      const keyColumn = personKeyColumn(table);
      if (!keyColumn) continue;
      const keys = table.columns.find((column) => column.name === keyColumn)!.values;
      const quasi = table.columns.filter((column) => QUASI_IDENTIFIER_COLUMN.test(column.name)).sort((a, b) => a.name.localeCompare(b.name));
      for (const subset of nonEmptySubsets(quasi)) {
        const owners = new Map<string, string | null>();
        for (let row = 0; row < table.rowCount; row++) {
          const parts = subset.map((column) => column.values[row]);
          if (parts.some((part) => part === null || part === '')) continue;
          const value = JSON.stringify(parts.map((part) => normalise(part!)));
          const person = keys[row];
          if (person === null) continue;
          if (!owners.has(value)) owners.set(value, person);
          else if (owners.get(value) !== person) owners.set(value, null);
        }
        candidates.push({ database, party: dump.party, table: table.table, columns: subset.map((column) => column.name), owners });
      }
    }
  });

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
      const [small, large, smallIsLeft] = a.owners.size <= b.owners.size ? [a.owners, b.owners, true] : [b.owners, a.owners, false];
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

function profileOf(dump: PartyDump): DataProfile {
  const persons = new Set<string>();
  const quasiIdentifiers: Record<string, number> = {};
  for (const table of dump.tables) {
    const keyColumn = personKeyColumn(table);
    if (!keyColumn) continue;
    const keys = table.columns.find((column) => column.name === keyColumn)!.values;
    for (const key of keys) if (key !== null) persons.add(key);
    for (const column of table.columns.filter((candidate) => QUASI_IDENTIFIER_COLUMN.test(candidate.name))) {
      const holders = new Set(keys.filter((key, row) => key !== null && column.values[row] !== null && column.values[row] !== ''));
      quasiIdentifiers[`${table.table}.${column.name}`] = holders.size;
    }
  }
  const kept = Math.max(0, ...Object.values(quasiIdentifiers));
  const profile =
    Object.keys(quasiIdentifiers).length === 0
      ? 'no quasi-identifier columns'
      : kept === 0
        ? 'data minimization: no contact data kept'
        : kept >= persons.size
          ? 'contact data: name, address and date of birth kept for everyone'
          : `mixed: contact data kept for ${kept} of ${persons.size} persons`;
  return { party: dump.party, persons: persons.size, quasiIdentifiers, profile };
}
