import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUniqueViolation, preparedStatement, runPrepared } from '@myna/platform';
import { decodeHash, encodeHash, PackedHashes, type Frontier, type LogReceipt } from '@myna/protocol';

/** One signed tree head as the hub stored it. */
export interface StoredTreeHead {
  size: number;
  root: string;
  signed: string;
}

/** What an append starts from: the newest head's frontier, and the receipts some messages were already given. */
export interface AppendStart {
  frontier: Frontier;
  given: Map<string, LogReceipt>;
}

const START_APPEND = preparedStatement(
  `SELECT (SELECT json_build_object('size', size, 'frontier', frontier) FROM log_tree_head ORDER BY size DESC LIMIT 1) AS head,
          (SELECT coalesce(json_agg(json_build_object('id', id, 'receipt', receipt)), '[]'::json)
             FROM outbound_message WHERE id = ANY($1::uuid[]) AND receipt IS NOT NULL) AS given`,
);

const APPEND = preparedStatement(
  `WITH leaves AS (
     INSERT INTO log_leaf (idx, leaf) SELECT * FROM unnest($1::bigint[], $2::text[])
   ), heads AS (
     INSERT INTO log_tree_head (size, root, frontier, signed)
     SELECT head.size, head.root, string_to_array(head.frontier, ','), head.signed
       FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) AS head (size, root, frontier, signed)
   ), forgotten AS (
     DELETE FROM outbound_message WHERE id = ANY($9::uuid[])
   )
   UPDATE outbound_message SET receipt = given.receipt
     FROM unnest($7::uuid[], $8::jsonb[]) AS given (id, receipt)
    WHERE outbound_message.id = given.id`,
);

/** Leaf hashes come back this many to a row: 256 KiB each. */
export const HASHES_PER_ROW = 8192;

/**
 * SHA-256(0x00 ‖ leaf) of every stored leaf below a size (RFC 9162's leaf hash of
 * the leaf's UTF-8 bytes, as hashLeaf computes it), hashed by PostgreSQL from the
 * rows as they are and sent back end to end, in index order, with how many rows
 * there were.
 */
const LEAF_HASHES = preparedStatement(
  `SELECT count(*)::int AS held,
          string_agg(sha256(decode('00', 'hex') || convert_to(leaf, 'UTF8')), ''::bytea ORDER BY idx) AS hashes
     FROM log_leaf
    WHERE idx >= 0 AND idx < $1
    GROUP BY idx / ${HASHES_PER_ROW}
    ORDER BY idx / ${HASHES_PER_ROW}`,
);

/**
 * The hub's log tables: `log_leaf` (append-only) and `log_tree_head` (one row per
 * signed head). Appends are optimistic: an append reads the newest head, computes
 * and signs what follows it, and writes it all in one statement; leaf indices and
 * tree sizes are primary keys, so of two appends that started from the same head
 * (two hub processes) one writes and the other is told to start again. Two round
 * trips per append, and no lock held while the hub hashes and signs.
 */
@Injectable()
export class TransparencyLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The newest head's frontier, and the receipts already given to any of these messages (a round that died after logging them). */
  async startAppend(messageIds: readonly string[]): Promise<AppendStart> {
    const [row]: { head: { size: number; frontier: string[] } | null; given: { id: string; receipt: LogReceipt }[] }[] = await runPrepared(this.dataSource, START_APPEND, [[...messageIds]]);
    const frontier: Frontier = row.head ? { size: Number(row.head.size), subtrees: row.head.frontier.map(decodeHash) } : { size: 0, subtrees: [] };
    return { frontier, given: new Map(row.given.map((entry) => [entry.id, entry.receipt])) };
  }

  /**
   * Writes the leaves from index `first` on, the heads signed over them and each
   * message's receipt, and deletes the outbox rows of messages already sent (`forgotten`),
   * in one statement: all or nothing. 'taken' when another append wrote at those
   * indices first (then nothing was written).
   */
  async append(
    first: number,
    leaves: readonly string[],
    heads: readonly { frontier: Frontier; root: string; signed: string }[],
    receipts: ReadonlyMap<string, LogReceipt>,
    forgotten: readonly string[] = [],
  ): Promise<'appended' | 'taken'> {
    try {
      await runPrepared(this.dataSource, APPEND, [
          leaves.map((_, i) => first + i),
          [...leaves],
          heads.map((head) => head.frontier.size),
          heads.map((head) => head.root),
          // base64url hashes hold no comma
          heads.map((head) => head.frontier.subtrees.map(encodeHash).join(',')),
          heads.map((head) => head.signed),
          [...receipts.keys()],
        [...receipts.values()].map((receipt) => JSON.stringify(receipt)),
        [...forgotten],
      ]);
      return 'appended';
    } catch (error) {
      // Another append took the same leaf index or tree size first.
      if (isUniqueViolation(error)) return 'taken';
      throw error;
    }
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

  /**
   * The leaf hashes of the first `size` leaves as stored, and how many rows were
   * found: fewer than `size` when a row is missing. A proof over them reads every
   * leaf (a changed row shows) but keeps 32 bytes a leaf, not the leaf.
   */
  async leafHashes(size: number): Promise<{ held: number; hashes: PackedHashes }> {
    const rows: { held: number; hashes: Buffer }[] = await runPrepared(this.dataSource, LEAF_HASHES, [size]);
    return {
      held: rows.reduce((sum, row) => sum + row.held, 0),
      hashes: new PackedHashes(Buffer.concat(rows.map((row) => row.hashes))),
    };
  }

  /** The stored leaves with index in [start, end), in index order, as stored: a gap or a changed row shows in the proofs. */
  async leaves(start: number, end: number): Promise<{ index: number; leaf: string }[]> {
    const rows: { idx: string; leaf: string }[] = await this.dataSource.query('SELECT idx, leaf FROM log_leaf WHERE idx >= $1 AND idx < $2 ORDER BY idx', [start, end]);
    return rows.map((row) => ({ index: Number(row.idx), leaf: row.leaf }));
  }
}
