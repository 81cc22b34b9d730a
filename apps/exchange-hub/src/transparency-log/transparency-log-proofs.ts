import { Inject, Injectable } from '@nestjs/common';
import { consistencyRanges, encodeHash, inclusionRanges, type PackedHashes } from '@myna/protocol';
import { proveTogether } from './prove-together';
import { ProofGate } from './proof-gate';
import { LogDamagedError, LogRangeError } from './transparency-log.exception';
import { TransparencyLogRepository, type StoredTreeHead } from './transparency-log.repository';

/** Proofs one hub process computes at once, and requests that may wait for their turn (ProofGate). */
export const PROOFS_AT_ONCE = 1;
export const PROOFS_WAITING = 8;

/**
 * Proofs about the log (RFC 9162 §2.1.3, §2.1.4), computed from the leaves as they
 * are stored: whoever changes, removes or reorders a row gets proofs that no
 * longer hold against the heads the hub signed. Each proof hashes every leaf up to
 * the tree's size (PostgreSQL hashes the rows; the hub folds 32 bytes a leaf into
 * the proof's subtrees), so it is linear in the log in time but not in memory; the
 * heads' frontiers keep appends logarithmic. Proving gives the event loop a turn
 * every few thousand leaves (proveTogether), a receipt's proofs share one pass, and
 * one request is proven at a time (ProofGate).
 */
@Injectable()
export class TransparencyLogProofs {
  private readonly gate = new ProofGate(PROOFS_AT_ONCE, PROOFS_WAITING);

  constructor(@Inject(TransparencyLogRepository) private readonly log: TransparencyLogRepository) {}

  latestHead(): Promise<StoredTreeHead | null> {
    return this.log.latestHead();
  }

  /** The audit path, and the hash of the leaf the log now holds at `index`: a verifier compares it with its own copy. */
  async inclusion(index: number, size: number): Promise<{ proof: string[]; leafHash: string }> {
    const { inclusion, leafHash } = await this.receipt(index, size, size);
    return { proof: inclusion, leafHash };
  }

  async consistency(first: number, second: number): Promise<string[]> {
    await this.assertSigned(second);
    if (first > second) throw new LogRangeError(`a tree of ${first} cannot precede a tree of ${second}`);
    return this.gate.run(async () => {
      const [proof] = await proveTogether(await this.leafHashes(second), [consistencyRanges(first, second)]);
      return proof.map(encodeHash);
    });
  }

  /**
   * What the holder of a receipt checks, in one pass over the leaves: the inclusion
   * of leaf `index` in the signed tree of `size`, the hash of the leaf the log holds
   * there, and consistency into that tree from its receipt's own tree (`first`) and,
   * if given, from the tree it last verified (`since`).
   */
  async receipt(index: number, size: number, first: number, since?: number): Promise<{ inclusion: string[]; leafHash: string; fromFirst: string[]; fromSince: string[] | null }> {
    await this.assertSigned(size);
    if (index >= size) throw new LogRangeError(`leaf ${index} is not in a tree of ${size}`);
    for (const older of since === undefined ? [first] : [first, since]) {
      if (older > size) throw new LogRangeError(`a tree of ${older} cannot precede a tree of ${size}`);
    }
    return this.gate.run(async () => {
      const hashes = await this.leafHashes(size);
      const leafHash = hashes.at(index);
      if (leafHash === undefined) throw new LogDamagedError(`the log holds no leaf ${index}`);
      const [inclusion, fromFirst, fromSince] = await proveTogether(hashes, [
        inclusionRanges(index, size),
        consistencyRanges(first, size),
        since === undefined ? [] : consistencyRanges(since, size),
      ]);
      return {
        inclusion: inclusion.map(encodeHash),
        leafHash: encodeHash(leafHash),
        fromFirst: fromFirst.map(encodeHash),
        fromSince: since === undefined ? null : fromSince.map(encodeHash),
      };
    });
  }

  private async assertSigned(size: number): Promise<void> {
    const latest = await this.log.latestHead();
    if (!latest || size > latest.size) throw new LogRangeError(`the hub has signed no tree of ${size} leaves`);
  }

  private async leafHashes(size: number): Promise<PackedHashes> {
    const { held, hashes } = await this.log.leafHashes(size);
    if (held < size) throw new LogDamagedError(`the log holds ${held} of the ${size} leaves its tree head covers`);
    return hashes;
  }
}
