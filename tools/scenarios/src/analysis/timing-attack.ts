/**
 * The timing attack on two parties' dumps (issue 13, Build 4): with no shared
 * identifier left, an exchange's records at two parties can still be paired by
 * when they were written, or by the order the rows sit in. The attacker:
 * - keeps only rows that can be the same exchange (same rule, same pair of parties);
 * - is given the true median delay between the two sides (the best delay it could learn);
 * - pairs mutual nearest neighbours on the shifted times, ties broken by row order;
 * - or does the same with each row's position in physical row order for its time (sequential
 *   keys and insertion order stand in for time), shifted by the true median offset.
 * Pure: rows and the hub's map of handles come in, counts go out. The ground truth
 * (which rows really are one exchange) is the hub's log, which only the auditor holds.
 */

/** One party's record of an exchange, as its dump shows it. */
export interface ExchangeRow {
  /** The party's own handle for the exchange (inquiry id, or the handle the hub issued it). */
  handle: string;
  requester: string;
  provider: string;
  rule: string;
  /** Stored times, in ms since the epoch, by column (null when not set). */
  times: Record<string, number | null>;
  /** Position in the table's physical row order. */
  order: number;
}

export interface ExchangeTable {
  party: string;
  table: string;
  rows: readonly ExchangeRow[];
}

/** The hub's log: which handles are one exchange. */
export interface HandleMap {
  /** Every handle of one exchange, one per party that stores one. */
  handles: readonly string[];
}

export interface TimingJoin {
  left: { party: string; table: string; column: string };
  right: { party: string; table: string; column: string };
  /** Exchanges present on both sides (the most the attack could re-link). */
  common: number;
  /** Pairs the attack proposed. */
  paired: number;
  /** Of those, the ones that are truly one exchange. */
  correct: number;
  /** correct / common. */
  rate: number;
  /** The delay the attacker was given (right − left, median over the true pairs), ms. */
  delayMs: number | null;
}

export interface TimingAttackResult {
  joins: TimingJoin[];
  /**
   * For each pair of parties' tables that hold records of common exchanges: how many,
   * and the best re-link rate over every pair of their time columns and row order.
   */
  byTablePair: { left: string; right: string; common: number; bestRate: number; best: string }[];
}

const ROW_ORDER = '(row order)';

export function runTimingAttack(tables: readonly ExchangeTable[], truth: readonly HandleMap[]): TimingAttackResult {
  const same = new Map<string, string>();
  for (const { handles } of truth) for (const handle of handles) same.set(handle, handles.join('|'));
  const joins: TimingJoin[] = [];
  for (let i = 0; i < tables.length; i++) {
    for (let j = i + 1; j < tables.length; j++) {
      if (tables[i].party === tables[j].party) continue;
      joins.push(...joinTables(tables[i], tables[j], same));
    }
  }
  const byPair = new Map<string, TimingAttackResult['byTablePair'][number]>();
  for (const join of joins) {
    const left = `${join.left.party} ${join.left.table}`;
    const right = `${join.right.party} ${join.right.table}`;
    const entry = byPair.get(`${left}|${right}`) ?? { left, right, common: join.common, bestRate: -1, best: '' };
    if (join.rate > entry.bestRate) {
      entry.bestRate = join.rate;
      entry.best = join.left.column === ROW_ORDER ? 'row order' : `${join.left.column} × ${join.right.column}`;
    }
    byPair.set(`${left}|${right}`, entry);
  }
  return { joins, byTablePair: [...byPair.values()].sort((a, b) => b.common - a.common) };
}

function joinTables(left: ExchangeTable, right: ExchangeTable, same: ReadonlyMap<string, string>): TimingJoin[] {
  // Only rows that could be one exchange: the same rule between the same two parties.
  const groups = new Map<string, { left: ExchangeRow[]; right: ExchangeRow[] }>();
  for (const [side, table] of [['left', left], ['right', right]] as const) {
    for (const row of table.rows) {
      const key = `${row.rule}|${row.requester}|${row.provider}`;
      const group = groups.get(key) ?? { left: [], right: [] };
      group[side].push(row);
      groups.set(key, group);
    }
  }
  const columns = (table: ExchangeTable) => [...new Set(table.rows.flatMap((row) => Object.keys(row.times)))];
  const joins: TimingJoin[] = [];
  const pairs: [string, string][] = [[ROW_ORDER, ROW_ORDER], ...columns(left).flatMap((a) => columns(right).map((b): [string, string] => [a, b]))];
  for (const [leftColumn, rightColumn] of pairs) {
    let common = 0;
    let paired = 0;
    let correct = 0;
    const delays: number[] = [];
    for (const group of groups.values()) {
      if (group.left.length === 0 || group.right.length === 0) continue;
      const leftByExchange = new Map(group.left.filter((a) => same.has(a.handle)).map((a) => [same.get(a.handle)!, a]));
      const truePairs = group.right.flatMap((b) => {
        const a = same.has(b.handle) ? leftByExchange.get(same.get(b.handle)!) : undefined;
        return a ? [[a, b] as const] : [];
      });
      common += truePairs.length;
      const proposed = byTime(group.left, group.right, leftColumn, rightColumn, truePairs, delays);
      paired += proposed.length;
      correct += proposed.filter(([a, b]) => same.has(a.handle) && same.get(a.handle) === same.get(b.handle)).length;
    }
    if (common === 0) continue;
    joins.push({
      left: { party: left.party, table: left.table, column: leftColumn },
      right: { party: right.party, table: right.table, column: rightColumn },
      common,
      paired,
      correct,
      rate: correct / common,
      delayMs: delays.length ? median(delays) : null,
    });
  }
  return joins;
}

/** Mutual nearest neighbours after shifting the left side by the true median delay; ties go by row order. */
function byTime(
  left: readonly ExchangeRow[],
  right: readonly ExchangeRow[],
  leftColumn: string,
  rightColumn: string,
  truePairs: readonly (readonly [ExchangeRow, ExchangeRow])[],
  delays: number[],
): [ExchangeRow, ExchangeRow][] {
  const timed = (rows: readonly ExchangeRow[], column: string) =>
    rows
      .map((row) => (column === ROW_ORDER ? { ...row, times: { ...row.times, [ROW_ORDER]: row.order } } : row))
      .filter((row) => row.times[column] != null)
      .sort((x, y) => x.times[column]! - y.times[column]! || x.order - y.order);
  const a = timed(left, leftColumn);
  const b = timed(right, rightColumn);
  if (a.length === 0 || b.length === 0) return [];
  const at = (row: ExchangeRow, column: string) => (column === ROW_ORDER ? row.order : row.times[column]);
  const known = truePairs.filter(([x, y]) => at(x, leftColumn) != null && at(y, rightColumn) != null).map(([x, y]) => at(y, rightColumn)! - at(x, leftColumn)!);
  const delay = known.length ? median(known) : 0;
  delays.push(...known);
  // Equal times are ordered by row order on both sides: the i-th of a run of equal times pairs with the i-th
  // of the nearest run on the other side, the best the attacker can do with them.
  const nearest = (from: readonly ExchangeRow[], fromColumn: string, shift: number, to: readonly ExchangeRow[], toColumn: string) => {
    let runStart = 0;
    return from.map((row, index) => {
      if (index > 0 && row.times[fromColumn] !== from[index - 1].times[fromColumn]) runStart = index;
      const target = row.times[fromColumn]! + shift;
      let lo = 0;
      let hi = to.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (to[mid].times[toColumn]! < target) lo = mid + 1;
        else hi = mid;
      }
      const best = lo > 0 && Math.abs(to[lo - 1].times[toColumn]! - target) <= Math.abs(to[lo].times[toColumn]! - target) ? lo - 1 : lo;
      let first = best;
      while (first > 0 && to[first - 1].times[toColumn] === to[best].times[toColumn]) first--;
      let last = best;
      while (last < to.length - 1 && to[last + 1].times[toColumn] === to[best].times[toColumn]) last++;
      return Math.min(first + (index - runStart), last);
    });
  };
  const forward = nearest(a, leftColumn, delay, b, rightColumn);
  const backward = nearest(b, rightColumn, -delay, a, leftColumn);
  return a.flatMap((row, index): [ExchangeRow, ExchangeRow][] => (backward[forward[index]] === index ? [[row, b[forward[index]]]] : []));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
