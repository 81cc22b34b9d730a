import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CardStore, CardStoreError, CARD_ID_PATTERN } from '@myna/card';

const KEY_FILE = 'store.key';
const CARD_SUFFIX = '.card.json';

/**
 * The demo's card store: one file per card under a folder (`.data/cards/` in the
 * demo), each readable by its owner only (0600), sealed under `store.key`. It
 * stands in for the tamper-resistant chips in the citizens' wallets. It is not
 * one: the store key sits beside the cards, so anyone who can read this folder
 * as its owner can open them. The seal keeps the key, the PIN and the card face
 * out of dumps, backups, greps and logs; the PIN is also scrypt-hashed inside it.
 */
export class FileCardStore extends CardStore {
  protected readonly location: string;
  #key: Promise<KeyObject> | undefined;

  constructor(readonly directory: string) {
    super();
    this.location = path.resolve(directory);
  }

  /** The folder and its key are created on first use, not on construction. */
  protected storeKey(): Promise<KeyObject> {
    this.#key ??= this.loadOrCreateKey().catch((error: unknown) => {
      this.#key = undefined;
      throw error;
    });
    return this.#key;
  }

  protected async readRecord(cardId: string): Promise<string | undefined> {
    try {
      return await readFile(this.cardFile(cardId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Written to a temporary file and renamed: a crash leaves the old record or the new one, never half of one. */
  protected async writeRecord(cardId: string, text: string): Promise<void> {
    await this.ensureDirectory();
    const target = this.cardFile(cardId);
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, text, { mode: 0o600 });
      await chmod(temporary, 0o600);
      await rename(temporary, target);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.location);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((name) => name.endsWith(CARD_SUFFIX))
      .map((name) => name.slice(0, -CARD_SUFFIX.length))
      .filter((cardId) => CARD_ID_PATTERN.test(cardId))
      .sort();
  }

  cardFile(cardId: string): string {
    return path.join(this.location, `${cardId}${CARD_SUFFIX}`);
  }

  private async ensureDirectory(): Promise<void> {
    await mkdir(this.location, { recursive: true, mode: 0o700 });
  }

  private async loadOrCreateKey(): Promise<KeyObject> {
    await this.ensureDirectory();
    const file = path.join(this.location, KEY_FILE);
    const candidate = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      // Written whole, then linked into place: of two processes creating the store at once,
      // one key wins and both read it; nobody ever reads a half-written key.
      await writeFile(candidate, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      await link(candidate, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(candidate).catch(() => undefined);
    }
    const bytes = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
    if (bytes.length !== 32) throw new CardStoreError(`${file} does not hold a 32-byte store key`);
    return createSecretKey(bytes);
  }
}
