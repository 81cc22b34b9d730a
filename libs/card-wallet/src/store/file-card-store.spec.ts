import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { generateMyNumber } from '@myna/codes';
import { authenticationMessage, ChipLockedError, IcChip, signCardCertificate, type CardFace, type IssuerPublicKey } from '@myna/card';
import { FileCardStore } from './file-card-store';

const PIN = '4827';
const WRONG = '0000';
const SERIAL = 'ABCDEFABCDEFABCDEFAB';
const message = authenticationMessage('myna-portal', 'nonce-1');

const face: CardFace = {
  myNumber: generateMyNumber(),
  name: 'Sato Hanako',
  address: '1-2-3 Kasumigaseki, Chiyoda-ku, Tokyo',
  dateOfBirth: '1988-02-29',
  gender: 'female',
  photo: `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`,
};

// The chip's own behaviour is tested in libs/card; here, what the demo's files add: owner-only files,
// sealed on disk, and a card's counter and lock shared by every store object (every process) over one folder.
describe('FileCardStore', () => {
  let directory: string;
  let issuerKey: IssuerPublicKey;
  let certify: (publicKey: IssuerPublicKey['jwk']) => Promise<string>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    issuerKey = { kid: 'test-issuer', jwk: { kty: 'OKP', crv: 'Ed25519', x: (await exportJWK(publicKey)).x! } };
    certify = (subjectKey) => {
      const issuedAt = new Date();
      return signCardCertificate({ kid: issuerKey.kid, key: privateKey }, { serial: SERIAL, publicKey: subjectKey, issuedAt, expiresAt: new Date(issuedAt.getTime() + 86_400_000) });
    };
  });

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'myna-cards-'));
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const issue = () => IcChip.issue(new FileCardStore(directory), { cardId: 'card-1', face, pin: PIN, issuerKey, certify });
  /** A "restart": a new store object over the same folder, and the card read from it afresh. */
  const reopen = () => IcChip.open(new FileCardStore(directory), 'card-1');

  it('writes only sealed state, in files and a folder readable by their owner only', async () => {
    await issue();
    const text = readFileSync(path.join(directory, 'card-1.card.json'), 'utf8');
    const record = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(record).sort()).toEqual(['cardId', 'format', 'key', 'state', 'tampered', 'version']);
    for (const fact of [face.myNumber, face.name, face.address, SERIAL, PIN]) expect(text).not.toContain(fact);
    expect(readdirSync(directory).sort()).toEqual(['card-1.card.json', 'store.key']);
    for (const file of readdirSync(directory)) expect(statSync(path.join(directory, file)).mode & 0o777).toBe(0o600);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(await new FileCardStore(directory).list()).toEqual(['card-1']);
  });

  it('keeps the PIN counter and the lock across restarts', async () => {
    await issue();
    await expect((await reopen()).signForAuthentication(WRONG, message)).rejects.toMatchObject({ retriesLeft: 2 });
    expect(await (await reopen()).pinStatus()).toEqual({ retriesLeft: 2, locked: false });
    await (await reopen()).signForAuthentication(WRONG, message).catch(() => undefined);
    await expect((await reopen()).signForAuthentication(WRONG, message)).rejects.toBeInstanceOf(ChipLockedError);
    await expect((await reopen()).signForAuthentication(PIN, message)).rejects.toMatchObject({ code: 'chip-locked' });
  });

  it('counts concurrent wrong tries from separate store objects one by one: three at once lock the chip', async () => {
    await issue();
    const chips = await Promise.all([reopen(), reopen(), reopen()]);
    const outcomes = await Promise.allSettled(chips.map((chip) => chip.signForAuthentication(WRONG, message)));
    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as { code: string }).code : 'signed')).sort()).toEqual([
      'chip-locked',
      'pin-incorrect',
      'pin-incorrect',
    ]);
  });

  it('cannot be opened with another folder’s store key', async () => {
    await issue();
    const other = mkdtempSync(path.join(tmpdir(), 'myna-cards-'));
    try {
      const record = (await new FileCardStore(directory).load('card-1'))!;
      await expect(new FileCardStore(other).unseal('card-1', 'key', record.key!)).rejects.toThrow(/does not open under this store's key/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('makes one store key when two store objects start on an empty folder at once', async () => {
    const [a, b] = [new FileCardStore(directory), new FileCardStore(directory)];
    const [secretA, secretB] = [randomBytes(16), randomBytes(16)];
    const [sealedA, sealedB] = await Promise.all([a.seal('card-1', 'key', secretA), b.seal('card-1', 'key', secretB)]);
    expect(await b.unseal('card-1', 'key', sealedA)).toEqual(secretA);
    expect(await a.unseal('card-1', 'key', sealedB)).toEqual(secretB);
    expect(readdirSync(directory)).toEqual(['store.key']);
  });
});
