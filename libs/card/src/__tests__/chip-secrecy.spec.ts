import type * as crypto from 'node:crypto';
import { inspect } from 'node:util';
import { serialize } from 'node:v8';
import { authenticationMessage, IcChip, MemoryCardStore, type CardFace } from '../index';
import { createTestIssuer, testFace } from './test-issuer';

const PIN = '4827';
const SERIAL = 'ABCDEFABCDEFABCDEFAB';

/** The forms a leaked private key would take: the JWK `d`, and its PKCS#8 DER in base64, base64url and hex. */
function privateKeyForms(privateKey: crypto.KeyObject): string[] {
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const d = privateKey.export({ format: 'jwk' }).d!;
  return [d, Buffer.from(d, 'base64url').toString('hex'), der.toString('base64'), der.toString('base64url'), der.toString('hex')];
}

/** The PIN standing on its own (not by chance inside a base64 or hex run). */
const pinAlone = new RegExp(`(?<![A-Za-z0-9_+/-])${PIN}(?![A-Za-z0-9_+/-])`);

describe('what the chip never reveals: its private key and its PIN', () => {
  let store: MemoryCardStore;
  let face: CardFace;
  let chip: IcChip;
  let secrets: string[];
  const printed: string[] = [];
  const errorViews: string[] = [];

  beforeAll(async () => {
    store = new MemoryCardStore();
    const issuer = await createTestIssuer();
    // The test alone watches the key being made, to know what to search for.
    const generated: crypto.KeyObject[] = [];
    // The module object itself (a namespace import would be a frozen copy of it).
    const cryptoModule = jest.requireActual<typeof crypto>('node:crypto');
    const real = cryptoModule.generateKeyPairSync;
    const spy = jest.spyOn(cryptoModule, 'generateKeyPairSync').mockImplementation(((...args: Parameters<typeof real>) => {
      const pair = (real as (...a: unknown[]) => { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject })(...args);
      generated.push(pair.privateKey);
      return pair;
    }) as typeof real);
    for (const stream of [process.stdout, process.stderr]) {
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      });
    }

    face = testFace();
    chip = await IcChip.issue(store, {
      cardId: 'card-1',
      face,
      pin: PIN,
      issuerKey: issuer.key,
      certify: (publicKey) => issuer.certify(publicKey, { serial: SERIAL }),
    });
    spy.mockRestore();
    expect(generated).toHaveLength(1);
    secrets = privateKeyForms(generated[0]);

    // Every kind of operation, so that whatever they might print or persist is there to search.
    await chip.signForAuthentication(PIN, authenticationMessage('myna-portal', 'n1'));
    await chip.signForAuthentication('1111', authenticationMessage('myna-portal', 'n2')).catch((error: unknown) => errorViews.push(inspect(error), JSON.stringify(error), String(error)));
    await chip.readContents();
    await chip.beginPinReset();
  });

  afterAll(() => {
    jest.restoreAllMocks();
  });

  const expectNoSecret = (text: string) => {
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(pinAlone);
  };

  it('has nothing to give: no own properties, no methods that return the key or the PIN', () => {
    expect(Object.getOwnPropertyNames(chip)).toEqual([]);
    expect(Object.getOwnPropertySymbols(chip)).toEqual([]);
    const methods = Object.getOwnPropertyNames(IcChip.prototype).filter((name) => name !== 'constructor');
    expect(methods.sort()).toEqual(['beginPinReset', 'cardId', 'pinStatus', 'readContents', 'resetPin', 'signForAuthentication', 'tamper', 'toJSON', 'toString'].sort());
  });

  it('serializes to public facts only: JSON, string, inspect, structured clone, v8', () => {
    const views = [
      JSON.stringify(chip),
      String(chip),
      `${chip}`,
      inspect(chip, { showHidden: true, depth: Infinity, getters: true }),
      JSON.stringify(structuredClone(chip)),
      serialize(chip).toString('latin1'),
      serialize(chip).toString('hex'),
    ];
    for (const view of views) {
      expectNoSecret(view);
      // Logs must not carry the holder's My Number either.
      expect(view).not.toContain(face.myNumber);
    }
    expect(chip.toJSON()).toEqual({ cardId: 'card-1', certificateSerial: SERIAL, pinStatus: { retriesLeft: 2, locked: false }, tampered: false });
  });

  it('reads out no secret', async () => {
    expectNoSecret(JSON.stringify(await chip.readContents()));
  });

  it('prints nothing at all while it works, and its errors name no secret', () => {
    expect(printed).toEqual([]);
    expect(errorViews.join('\n')).toContain('wrong PIN: 2 tries left');
    for (const view of errorViews) expectNoSecret(view);
  });

  // The file store's files, and their modes, are checked in libs/card-wallet.
  it('persists only sealed state: a dump of the store shows no key, PIN, My Number or name', () => {
    const text = store.dump();
    const record = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(record).sort()).toEqual(['cardId', 'format', 'key', 'state', 'tampered', 'version']);
    expect(record.key).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(record.state).toMatch(/^[A-Za-z0-9_-]+$/);
    expectNoSecret(text);
    for (const fact of [face.myNumber, face.name, face.address, SERIAL]) expect(text).not.toContain(fact);
  });

  it('keeps the PIN, even inside the seal, only as a salted scrypt hash', async () => {
    const record = (await store.load('card-1'))!;
    const state = JSON.parse((await store.unseal('card-1', 'state', record.state!)).toString('utf8'));
    expect(Object.keys(state.pin).sort()).toEqual(['N', 'algorithm', 'hash', 'p', 'r', 'salt']);
    expect(state.pin.algorithm).toBe('scrypt');
    expect(JSON.stringify(state)).not.toMatch(pinAlone);
    for (const secret of secrets) expect(JSON.stringify(state)).not.toContain(secret);
  });

  it('cannot be unsealed with another store’s key', async () => {
    const record = (await store.load('card-1'))!;
    await expect(new MemoryCardStore().unseal('card-1', 'key', record.key!)).rejects.toThrow(/does not open under this store's key/);
  });
});
