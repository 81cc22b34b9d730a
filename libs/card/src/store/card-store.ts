import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { CardDataError, CardStoreError } from '../card.exception';
import { seal, unseal } from './sealing';

/** A card's handle in a store (which slot of the reader it sits in), not anything printed on it. */
export const CARD_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function assertCardId(cardId: unknown): asserts cardId is string {
  if (typeof cardId !== 'string' || !CARD_ID_PATTERN.test(cardId)) {
    throw new CardDataError('card id must be 1-64 lower-case letters, digits and dashes');
  }
}

/**
 * What a store keeps for one chip. Both secret parts are sealed (AES-256-GCM
 * under the store key): the record reveals neither the private key, nor the PIN,
 * nor the card face. After tampering, only the fact remains.
 */
export const sealedChipRecordSchema = z.strictObject({
  format: z.literal('myna-card/sealed-chip'),
  version: z.literal(1),
  cardId: z.string().regex(CARD_ID_PATTERN),
  tampered: z.boolean(),
  /** The chip's private key (PKCS#8), sealed once when the chip was made; null once tampered. */
  key: z.string().nullable(),
  /** Everything else the secure element keeps (card face, certificate, PIN verifier, counter, lock); null once tampered. */
  state: z.string().nullable(),
});
export type SealedChipRecord = z.infer<typeof sealedChipRecordSchema>;

export type SealedPart = 'key' | 'state';

// Per card, across every store object of this process: operations on one chip never interleave.
const queues = new Map<string, Promise<unknown>>();

/**
 * The persistence behind simulated chips. A real chip keeps its key, PIN counter
 * and lock in tamper-resistant hardware; a simulator has to keep them somewhere,
 * so a store holds them sealed under its own key. The seal stops the state being
 * read from a dump, a log or a backup; it is not hardware: whoever holds the
 * store key can open it. Subclasses say where the bytes go.
 */
export abstract class CardStore {
  /** Where this store's cards live, for the per-card lock (two stores on one place share locks). */
  protected abstract readonly location: string;
  protected abstract storeKey(): Promise<KeyObject>;
  protected abstract readRecord(cardId: string): Promise<string | undefined>;
  protected abstract writeRecord(cardId: string, text: string): Promise<void>;
  /** Ids of every card in the store, sorted. */
  abstract list(): Promise<string[]>;

  async load(cardId: string): Promise<SealedChipRecord | undefined> {
    assertCardId(cardId);
    const text = await this.readRecord(cardId);
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CardStoreError(`the stored record of card ${cardId} is not JSON`);
    }
    const parsed = sealedChipRecordSchema.safeParse(json);
    if (!parsed.success || parsed.data.cardId !== cardId) throw new CardStoreError(`the stored record of card ${cardId} is malformed`);
    return parsed.data;
  }

  async save(record: SealedChipRecord): Promise<void> {
    await this.writeRecord(record.cardId, `${JSON.stringify(sealedChipRecordSchema.parse(record))}\n`);
  }

  async seal(cardId: string, part: SealedPart, plaintext: Uint8Array): Promise<string> {
    return seal(await this.storeKey(), `myna-card:${cardId}:${part}`, plaintext);
  }

  async unseal(cardId: string, part: SealedPart, sealed: string): Promise<Buffer> {
    return unseal(await this.storeKey(), `myna-card:${cardId}:${part}`, sealed);
  }

  /** Runs `work` with no other operation on the same card running in this process. */
  async exclusive<T>(cardId: string, work: () => Promise<T>): Promise<T> {
    const lockKey = `${this.location}\u0000${cardId}`;
    const previous = queues.get(lockKey) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(work);
    const tail = run.catch(() => undefined);
    queues.set(lockKey, tail);
    try {
      return await run;
    } finally {
      if (queues.get(lockKey) === tail) queues.delete(lockKey);
    }
  }

  toString(): string {
    return `[CardStore ${this.location}]`;
  }

  toJSON(): string {
    return this.toString();
  }
}

let memoryStores = 0;

/** A store in memory, with a fresh random store key: for tests and one-process simulations. */
export class MemoryCardStore extends CardStore {
  protected readonly location = `memory:${++memoryStores}`;
  readonly #key = createSecretKey(randomBytes(32));
  readonly #records = new Map<string, string>();

  protected async storeKey(): Promise<KeyObject> {
    return this.#key;
  }

  protected async readRecord(cardId: string): Promise<string | undefined> {
    return this.#records.get(cardId);
  }

  protected async writeRecord(cardId: string, text: string): Promise<void> {
    this.#records.set(cardId, text);
  }

  async list(): Promise<string[]> {
    return [...this.#records.keys()].sort();
  }

  /** The raw records, exactly as a dump of the store would show them. */
  dump(): string {
    return [...this.#records.values()].join('');
  }
}
