import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  authenticationMessage,
  CARD_CERTIFICATE_TYPE,
  CardExistsError,
  CertificateError,
  CHIP_CONTENT_FIELDS,
  ChipLockedError,
  ChipTamperedError,
  IcChip,
  MemoryCardStore,
  PinFormatError,
  PinIncorrectError,
  PinResetRefusedError,
  verifyAuthenticationSignature,
  verifyCardCertificate,
  type CardStore,
} from '../index';
import { createTestIssuer, testFace, type TestIssuer } from './test-issuer';

const PIN = '4827';
const WRONG = '0000';
const message = authenticationMessage('myna-portal', 'nonce-1');

describe('IcChip', () => {
  let issuer: TestIssuer;
  /** The secure element's memory: chips come and go, the store stays (the file store's own tests are in libs/card-wallet). */
  let store: MemoryCardStore;

  beforeAll(async () => {
    issuer = await createTestIssuer();
  });

  beforeEach(() => {
    store = new MemoryCardStore();
  });

  const issue = (store: CardStore, cardId = 'card-1', face = testFace()) =>
    IcChip.issue(store, { cardId, face, pin: PIN, issuerKey: issuer.key, certify: (publicKey) => issuer.certify(publicKey) });

  /** A "restart": a new chip object, read from the store afresh. */
  const reopen = (cardId = 'card-1') => IcChip.open(store, cardId);

  describe('reading the chip', () => {
    it('returns exactly the allowed contents: the card face, the certificate and its key, the issuer key, the PIN status', async () => {
      const face = testFace();
      const chip = await issue(store, 'card-1', face);

      const contents = await chip.readContents();

      expect(Object.keys(contents).sort()).toEqual(Object.keys(CHIP_CONTENT_FIELDS).sort());
      for (const [part, fields] of Object.entries(CHIP_CONTENT_FIELDS)) {
        expect(Object.keys(contents[part as keyof typeof contents]).sort()).toEqual([...fields].sort());
      }
      expect(contents.cardFace).toEqual(face);
      expect(contents.pinStatus).toEqual({ retriesLeft: 3, locked: false });
      expect(contents.issuerKey).toEqual(issuer.key);
      expect(contents.userAuthentication.publicKey).toEqual(issuer.certified.at(-1));
      expect(Object.keys(contents.userAuthentication.publicKey).sort()).toEqual(['crv', 'kty', 'x']);
    });

    it('holds no tax, pension or medical data, and no field beyond the card face', async () => {
      const chip = await issue(new MemoryCardStore());
      const keys = keysAtEveryDepth(await chip.readContents());
      const allowed = [...Object.keys(CHIP_CONTENT_FIELDS), ...Object.values(CHIP_CONTENT_FIELDS).flat(), 'kty', 'crv', 'x'];
      expect([...new Set(keys)].sort()).toEqual([...new Set(allowed)].sort());
      for (const word of ['income', 'tax', 'pension', 'benefit', 'contribution', 'exemption', 'medical', 'claim', 'insurance', 'coverage', 'yen']) {
        expect(keys.join(' ').toLowerCase()).not.toContain(word);
      }
      await expect(
        IcChip.issue(new MemoryCardStore(), {
          cardId: 'card-2',
          face: { ...testFace(), incomeYen: 5_000_000 } as never,
          pin: PIN,
          issuerKey: issuer.key,
          certify: (publicKey) => issuer.certify(publicKey),
        }),
      ).rejects.toThrow(/card face/);
    });

    it('reads back exactly what it stores, from a new chip object too', async () => {
      const face = testFace({ name: 'Jos\u00e9 Garc\u00eda', address: '東京都千代田区千代田1-1' });
      const first = await (await issue(store, 'card-1', face)).readContents();
      expect(await (await reopen()).readContents()).toEqual(first);
      expect(first.cardFace).toEqual(face);
    });

    it('has a certificate from the issuer, binding its public key and a serial, without the My Number or any fact about the holder', async () => {
      const face = testFace();
      const contents = await (await issue(new MemoryCardStore(), 'card-1', face)).readContents();
      const { certificate, certificateSerial, publicKey } = contents.userAuthentication;

      const verified = await verifyCardCertificate(certificate, (kid) => (kid === issuer.key.kid ? issuer.publicKey : undefined));
      expect(verified).toMatchObject({ serial: certificateSerial, publicKey });
      expect(decodeProtectedHeader(certificate)).toMatchObject({ alg: 'EdDSA', typ: CARD_CERTIFICATE_TYPE });
      const claims = JSON.stringify(decodeJwt(certificate));
      for (const fact of [face.myNumber, face.name, face.address, face.dateOfBirth, face.gender]) expect(claims).not.toContain(fact);
    });
  });

  describe('the PIN', () => {
    it('is needed for every signature, and a right PIN gives a signature the certificate key verifies', async () => {
      const chip = await issue(new MemoryCardStore());
      const { publicKey } = (await chip.readContents()).userAuthentication;

      const first = await chip.signForAuthentication(PIN, message);
      expect(verifyAuthenticationSignature(publicKey, message, first.signature)).toBe(true);
      expect(verifyAuthenticationSignature(publicKey, authenticationMessage('myna-portal', 'nonce-2'), first.signature)).toBe(false);
      await expect(chip.signForAuthentication(WRONG, message)).rejects.toBeInstanceOf(PinIncorrectError);
      const second = await chip.signForAuthentication(PIN, message);
      expect(second.certificate).toBe(first.certificate);
    });

    it('counts wrong tries down, and a right PIN before the lock resets the counter', async () => {
      const chip = await issue(new MemoryCardStore());
      await expect(chip.signForAuthentication(WRONG, message)).rejects.toMatchObject({ code: 'pin-incorrect', retriesLeft: 2 });
      await expect(chip.signForAuthentication('9999', message)).rejects.toMatchObject({ code: 'pin-incorrect', retriesLeft: 1 });
      await chip.signForAuthentication(PIN, message);
      expect(await chip.pinStatus()).toEqual({ retriesLeft: 3, locked: false });
    });

    it('locks after 3 wrong PINs, refuses the right PIN then, and keeps counter and lock in the store, for every chip object', async () => {
      const chip = await issue(store);
      await expect(chip.signForAuthentication(WRONG, message)).rejects.toMatchObject({ retriesLeft: 2 });
      expect(await (await reopen()).pinStatus()).toEqual({ retriesLeft: 2, locked: false });

      const restarted = await reopen();
      await expect(restarted.signForAuthentication(WRONG, message)).rejects.toMatchObject({ retriesLeft: 1 });
      expect(await (await reopen()).pinStatus()).toEqual({ retriesLeft: 1, locked: false });

      const third = (await reopen()).signForAuthentication(WRONG, message);
      await expect(third).rejects.toBeInstanceOf(ChipLockedError);
      await expect(third).rejects.toMatchObject({ justLocked: true });

      const afterLock = await reopen();
      expect(await afterLock.pinStatus()).toEqual({ retriesLeft: 0, locked: true });
      await expect(afterLock.signForAuthentication(PIN, message)).rejects.toMatchObject({ code: 'chip-locked', justLocked: false });
      // The old object sees the lock too: the store, not the object, is the secure element.
      await expect(chip.signForAuthentication(PIN, message)).rejects.toBeInstanceOf(ChipLockedError);
    });

    it('counts concurrent wrong tries one by one: three at once lock the chip', async () => {
      await issue(store);
      const [a, b, c] = await Promise.all([reopen(), reopen(), IcChip.open(store, 'card-1')]);
      const outcomes = await Promise.allSettled([a, b, c].map((chip) => chip.signForAuthentication(WRONG, message)));
      const reasons = outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as { code: string }).code : 'signed'));
      expect(reasons.sort()).toEqual(['chip-locked', 'pin-incorrect', 'pin-incorrect']);
      expect(await (await reopen()).pinStatus()).toEqual({ retriesLeft: 0, locked: true });
    });

    it.each(['123', '12345', '12a4', '', ' 4827'])('refuses %j as a PIN without counting a try', async (pin) => {
      const chip = await issue(new MemoryCardStore());
      await expect(chip.signForAuthentication(pin, message)).rejects.toBeInstanceOf(PinFormatError);
      expect(await chip.pinStatus()).toEqual({ retriesLeft: 3, locked: false });
    });
  });

  describe('PIN reset by the issuer', () => {
    async function lockedChip(store: CardStore = new MemoryCardStore()) {
      const chip = await issue(store);
      for (let i = 0; i < 3; i++) await chip.signForAuthentication(WRONG, message).catch(() => undefined);
      expect(await chip.pinStatus()).toEqual({ retriesLeft: 0, locked: true });
      return chip;
    }

    it('unlocks the chip with the issuer’s authorization for this chip and this reset, and takes the new PIN', async () => {
      const chip = await lockedChip(store);
      const reset = await chip.beginPinReset();
      await chip.resetPin(await issuer.authorizeReset(reset), '7319');

      const restarted = await reopen();
      expect(await restarted.pinStatus()).toEqual({ retriesLeft: 3, locked: false });
      await expect(restarted.signForAuthentication(PIN, message)).rejects.toBeInstanceOf(PinIncorrectError);
      await expect(restarted.signForAuthentication('7319', message)).resolves.toHaveProperty('signature');
    });

    it('refuses an authorization used twice, one for another chip, one signed by someone else, and one with no reset begun', async () => {
      const chip = await lockedChip();
      await expect(chip.resetPin(await issuer.authorizeReset({ serial: '0'.repeat(20), keyThumbprint: 'x', nonce: 'y' }), '1111')).rejects.toThrow(
        /no PIN reset was begun/,
      );

      const reset = await chip.beginPinReset();
      const other = await lockedChip();
      const otherReset = await other.beginPinReset();
      await expect(chip.resetPin(await issuer.authorizeReset(otherReset), '1111')).rejects.toThrow(/another card/);
      const impostor = await createTestIssuer(issuer.key.kid);
      await expect(chip.resetPin(await impostor.authorizeReset(reset), '1111')).rejects.toThrow(/signature does not verify/);

      const authorization = await issuer.authorizeReset(reset);
      await chip.resetPin(authorization, '1111');
      await chip.signForAuthentication(WRONG, message).catch(() => undefined);
      await chip.beginPinReset();
      await expect(chip.resetPin(authorization, '2222')).rejects.toBeInstanceOf(PinResetRefusedError);
      expect(await chip.pinStatus()).toEqual({ retriesLeft: 2, locked: false });
    });
  });

  describe('tampering', () => {
    it('makes every chip operation fail for good, in this object and in a new one', async () => {
      const chip = await issue(store);
      const reset = await chip.beginPinReset();
      const authorization = await issuer.authorizeReset(reset);
      await chip.tamper();

      for (const chipNow of [chip, await reopen()]) {
        await expect(chipNow.readContents()).rejects.toBeInstanceOf(ChipTamperedError);
        await expect(chipNow.pinStatus()).rejects.toBeInstanceOf(ChipTamperedError);
        await expect(chipNow.signForAuthentication(PIN, message)).rejects.toBeInstanceOf(ChipTamperedError);
        await expect(chipNow.beginPinReset()).rejects.toBeInstanceOf(ChipTamperedError);
        await expect(chipNow.resetPin(authorization, '1111')).rejects.toBeInstanceOf(ChipTamperedError);
        expect(chipNow.toJSON()).toEqual({ cardId: 'card-1', certificateSerial: null, pinStatus: null, tampered: true });
      }
      const record = await store.load('card-1');
      expect(record).toEqual({ format: 'myna-card/sealed-chip', version: 1, cardId: 'card-1', tampered: true, key: null, state: null });
    });
  });

  describe('issuance', () => {
    it('refuses a certificate that binds another key, or is not the issuer’s, and keeps nothing', async () => {
      const store = new MemoryCardStore();
      const base = { cardId: 'card-1', face: testFace(), pin: PIN, issuerKey: issuer.key };
      const stranger = await IcChip.issue(new MemoryCardStore(), { ...base, certify: (publicKey) => issuer.certify(publicKey) });
      const strangerKey = (await stranger.readContents()).userAuthentication.publicKey;

      await expect(IcChip.issue(store, { ...base, certify: () => issuer.certify(strangerKey) })).rejects.toThrow(/binds a key other/);
      const impostor = await createTestIssuer('someone-else');
      await expect(IcChip.issue(store, { ...base, certify: (publicKey) => impostor.certify(publicKey) })).rejects.toBeInstanceOf(CertificateError);
      await expect(IcChip.issue(store, { ...base, certify: (publicKey) => issuer.certify(publicKey, { validDays: -1 }) })).rejects.toThrow(/expired/);
      expect(await store.list()).toEqual([]);
    });

    it('refuses a second card under the same id', async () => {
      const store = new MemoryCardStore();
      await issue(store);
      await expect(issue(store)).rejects.toBeInstanceOf(CardExistsError);
    });
  });
});

function keysAtEveryDepth(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysAtEveryDepth(inner)]);
}
