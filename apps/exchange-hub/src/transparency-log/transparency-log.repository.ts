import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeHash, encodeHash, type Frontier, type LogReceipt } from '@myna/protocol';

/** One signed tree head as the hub stored it. */
export interface StoredTreeHead {
  size: number;
  root: string;
  signed: string;
}

/** A key for pg_advisory_xact_lock: appends to the log are one at a time, across every hub process. */
const APPEND_LOCK = 0x6d796e61_6c6f67n;

/** The hub's log tables: `log_leaf` (append-only) and `log_tree_head` (one row per signed head). */
@Injectable()
export class TransparencyLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` holding the append lock, in one transaction, with the newest head's
   * frontier: what work appends, the head it signs and the receipts it gives commit together.
   */
  async appending<T>(work: (manager: EntityManager, frontier: Frontier) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK.toString()]);
      const [head]: { size: string; frontier: string[] }[] = await manager.query('SELECT size, frontier FROM log_tree_head ORDER BY size DESC LIMIT 1');
      const frontier: Frontier = head ? { size: Number(head.size), subtrees: head.frontier.map(decodeHash) } : { size: 0, subtrees: [] };
      return work(manager, frontier);
    });
  }

  /** Inside `appending`: the new leaves from `first` on, the heads signed over them, and each message's receipt. */
  async append(
    manager: EntityManager,
    first: number,
    leaves: readonly string[],
    heads: readonly { frontier: Frontier; root: string; signed: string }[],
    receipts: ReadonlyMap<string, LogReceipt>,
  ): Promise<void> {
    for (let start = 0; start < leaves.length; start += 1_000) {
      const batch = leaves.slice(start, start + 1_000);
      const values = batch.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ');
      await manager.query(`INSERT INTO log_leaf (idx, leaf) VALUES ${values}`, batch.flatMap((leaf, i) => [first + start + i, leaf]));
    }
    for (let start = 0; start < heads.length; start += 500) {
      const batch = heads.slice(start, start + 500);
      const values = batch.map((_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}, $${4 * i + 4})`).join(', ');
      await manager.query(
        `INSERT INTO log_tree_head (size, root, frontier, signed) VALUES ${values}`,
        batch.flatMap((head) => [head.frontier.size, head.root, head.frontier.subtrees.map(encodeHash), head.signed]),
      );
    }
    for (const [messageId, receipt] of receipts) {
      await manager.query('UPDATE outbound_message SET receipt = $2 WHERE id = $1', [messageId, JSON.stringify(receipt)]);
    }
  }

  /** Receipts already given, by message id (a round that died after logging them). */
  async receiptsOf(manager: EntityManager, messageIds: readonly string[]): Promise<Map<string, LogReceipt>> {
    const rows: { id: string; receipt: LogReceipt }[] = await manager.query('SELECT id, receipt FROM outbound_message WHERE id = ANY($1) AND receipt IS NOT NULL', [[...messageIds]]);
    return new Map(rows.map((row) => [row.id, row.receipt]));
  }

  async latestHead(): Promise<StoredTreeHead | null> {
    const [row]: { size: string; root: string; signed: string }[] = await this.dataSource.query('SELECT size, root, signed FROM log_tree_head ORDER BY size DESC LIMIT 1');
    return row ? { size: Number(row.size), root: row.root, signed: row.signed } : null;
  }

  /** Signed heads, oldest first, from `fromSize` on. */
  async heads(fromSize: number, limit: number): Promise<StoredTreeHead[]> {
    const rows: { size: string; root: string; signed: string }[] = await this.dataSource.query(
      'SELECT size, root, signed FROM log_tree_head WHERE size >= $1 ORDER BY size LIMIT $2',
      [fromSize, limit],
    );
    return rows.map((row) => ({ size: Number(row.size), root: row.root, signed: row.signed }));
  }

  /** The stored leaves with index in [start, end), in index order, as stored: a gap or a changed row shows in the proofs. */
  async leaves(start: number, end: number): Promise<{ index: number; leaf: string }[]> {
    const rows: { idx: string; leaf: string }[] = await this.dataSource.query('SELECT idx, leaf FROM log_leaf WHERE idx >= $1 AND idx < $2 ORDER BY idx', [start, end]);
    return rows.map((row) => ({ index: Number(row.idx), leaf: row.leaf }));
  }
}
