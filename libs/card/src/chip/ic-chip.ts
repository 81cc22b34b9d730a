import { generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';
import { inspect } from 'node:util';
import { importJWK } from 'jose';
import { z } from 'zod';
import { describeIssue } from '@myna/protocol';
import {
  CardDataError,
  CardExistsError,
  CardNotFoundError,
  CardStoreError,
  CertificateError,
  ChipLockedError,
  ChipTamperedError,
  PinIncorrectError,
  PinResetRefusedError,
} from '../card.exception';
import {
  certificateSerialSchema,
  ed25519PublicJwkSchema,
  issuerPublicKeySchema,
  publicKeyThumbprint,
  verifyCardCertificate,
  verifyPinResetAuthorization,
  type Ed25519PublicJwk,
  type IssuerPublicKey,
  type PinResetClaims,
} from '../certificates/card-certificate';
import { assertCardId, type CardStore } from '../store/card-store';
import { cardFaceSchema, parseCardFace, type CardFace } from './card-face';
import { assertPinFormat, createPinVerifier, PIN_TRIES, pinMatches } from './pin';

const pinVerifierSchema = z.strictObject({
  algorithm: z.literal('scrypt'),
  N: z.number().int().min(1024),
  r: z.number().int().min(1),
  p: z.number().int().min(1),
  salt: z.string(),
  hash: z.string(),
});

/** Everything the secure element keeps besides the private key. Sealed in the store; never handed out whole. */
const secureStateSchema = z.strictObject({
  face: cardFaceSchema,
  certificate: z.string(),
  certificateSerial: certificateSerialSchema,
  publicKey: ed25519PublicJwkSchema,
  issuerKey: issuerPublicKeySchema,
  pin: pinVerifierSchema,
  retriesLeft: z.number().int().min(0).max(PIN_TRIES),
  locked: z.boolean(),
  pinResetNonce: z.string().nullable(),
});
type SecureState = z.infer<typeof secureStateSchema>;

/**
 * A read of the chip: every readable thing it stores, and nothing else. It also
 * stores its private key and a PIN verifier (salted scrypt hash); those are
 * never readable, by anyone.
 */
export interface ChipContents {
  /** 券面事項: what the card face shows. */
  cardFace: CardFace;
  /** 利用者証明用電子証明書: the certificate and the public half of the key it binds. */
  userAuthentication: { certificateSerial: string; certificate: string; publicKey: Ed25519PublicJwk };
  /** The issuer's public key: the only signer the chip accepts a PIN reset from. */
  issuerKey: IssuerPublicKey;
  pinStatus: PinStatus;
}

/** The exact top-level and nested keys of ChipContents: tests compare a read against them. */
export const CHIP_CONTENT_FIELDS = {
  cardFace: ['myNumber', 'name', 'address', 'dateOfBirth', 'gender', 'photo'],
  userAuthentication: ['certificateSerial', 'certificate', 'publicKey'],
  issuerKey: ['kid', 'jwk'],
  pinStatus: ['retriesLeft', 'locked'],
} as const;

export interface PinStatus {
  retriesLeft: number;
  locked: boolean;
}

export interface IssueChipOptions {
  /** The card's handle in the store. */
  cardId: string;
  face: CardFace;
  /** The holder's chosen 4-digit PIN; only its scrypt hash is kept. */
  pin: string;
  /** The issuer's public key, kept as the chip's trust anchor. */
  issuerKey: IssuerPublicKey;
  /** Asks the issuer to certify the chip's freshly made public key; returns the certificate. */
  certify: (publicKey: Ed25519PublicJwk) => Promise<string>;
}

/** What the chip says about itself in logs and JSON: no card face, no key, no PIN. */
interface ChipSummary {
  cardId: string;
  certificateSerial: string | null;
  pinStatus: PinStatus | null;
  tampered: boolean;
}

const RECORD_FORMAT = 'myna-card/sealed-chip' as const;

/**
 * A simulated My Number Card IC chip. Its private key is made inside it, held as
 * a non-extractable WebCrypto key in a true private field, and used only to sign
 * after the right PIN; no method, serialization or log line gives it out. Its
 * state (PIN counter, lock, tamper flag, key) lives in a CardStore and is re-read
 * before every operation, so it survives restarts and two objects for one card
 * agree.
 */
export class IcChip {
  readonly #store: CardStore;
  readonly #cardId: string;
  #signingKey: webcrypto.CryptoKey | undefined;
  #sealedKey: string | null = null;
  #summary: ChipSummary;

  private constructor(store: CardStore, cardId: string) {
    this.#store = store;
    this.#cardId = cardId;
    this.#summary = { cardId, certificateSerial: null, pinStatus: null, tampered: false };
  }

  /**
   * Makes a new chip: generates its key pair inside, has the issuer certify the
   * public key, checks that the certificate is the issuer's and binds this key,
   * then personalises it with the card face and the PIN.
   */
  static async issue(store: CardStore, options: IssueChipOptions): Promise<IcChip> {
    assertCardId(options.cardId);
    const face = parseCardFace(options.face);
    assertPinFormat(options.pin);
    const issuerKey = issuerPublicKeySchema.safeParse(options.issuerKey);
    if (!issuerKey.success) throw new CardDataError(`issuer key: ${describeIssue(issuerKey.error)}`);
    const anchor = await importJWK(issuerKey.data.jwk, 'EdDSA');

    await store.exclusive(options.cardId, async () => {
      if (await store.load(options.cardId)) throw new CardExistsError(options.cardId);
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const publicJwk = ed25519PublicJwkSchema.parse(pickPublicJwk(publicKey.export({ format: 'jwk' })));
      const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
      try {
        const certificate = await options.certify(publicJwk);
        const certified = await verifyCardCertificate(certificate, (kid) => (kid === issuerKey.data.kid ? anchor : undefined));
        if (certified.publicKey.x !== publicJwk.x) throw new CertificateError("the certificate binds a key other than this chip's");
        const state: SecureState = {
          face,
          certificate,
          certificateSerial: certified.serial,
          publicKey: publicJwk,
          issuerKey: issuerKey.data,
          pin: await createPinVerifier(options.pin),
          retriesLeft: PIN_TRIES,
          locked: false,
          pinResetNonce: null,
        };
        await store.save({
          format: RECORD_FORMAT,
          version: 1,
          cardId: options.cardId,
          tampered: false,
          key: await store.seal(options.cardId, 'key', pkcs8),
          state: await store.seal(options.cardId, 'state', encodeState(state)),
        });
      } finally {
        pkcs8.fill(0);
      }
    });
    return IcChip.open(store, options.cardId);
  }

  /** Puts a stored card in the reader. A tampered card opens, and then refuses everything. */
  static async open(store: CardStore, cardId: string): Promise<IcChip> {
    assertCardId(cardId);
    const chip = new IcChip(store, cardId);
    await store.exclusive(cardId, async () => {
      try {
        await chip.#load();
      } catch (error) {
        if (!(error instanceof ChipTamperedError)) throw error;
      }
    });
    return chip;
  }

  get cardId(): string {
    return this.#cardId;
  }

  /** Everything readable on the chip (see ChipContents). No PIN is needed, as none is to look at a card face. */
  async readContents(): Promise<ChipContents> {
    return this.#operate(async (state) => ({
      cardFace: { ...state.face },
      userAuthentication: { certificateSerial: state.certificateSerial, certificate: state.certificate, publicKey: { ...state.publicKey } },
      issuerKey: { kid: state.issuerKey.kid, jwk: { ...state.issuerKey.jwk } },
      pinStatus: pinStatusOf(state),
    }));
  }

  async pinStatus(): Promise<PinStatus> {
    return this.#operate(async (state) => pinStatusOf(state));
  }

  /**
   * User authentication: after the right PIN, signs `message` (Ed25519) with the
   * chip's private key and returns the signature with the certificate. Every
   * call needs the PIN. The try is counted, and persisted, before the PIN is
   * checked, so cutting the power mid-check cannot give a free guess.
   */
  async signForAuthentication(pin: string, message: Uint8Array): Promise<{ certificate: string; signature: string }> {
    assertPinFormat(pin);
    if (!(message instanceof Uint8Array) || message.length === 0 || message.length > 4096) {
      throw new CardDataError('the message to sign must be 1 to 4096 bytes');
    }
    return this.#operate(async (state) => {
      if (isLocked(state)) throw new ChipLockedError();
      state.retriesLeft -= 1;
      await this.#save(state);
      if (!(await pinMatches(pin, state.pin))) {
        if (state.retriesLeft === 0) {
          state.locked = true;
          await this.#save(state);
          throw new ChipLockedError(true);
        }
        throw new PinIncorrectError(state.retriesLeft);
      }
      state.retriesLeft = PIN_TRIES;
      await this.#save(state);
      const signature = await webcrypto.subtle.sign({ name: 'Ed25519' }, this.#requireKey(), message);
      return { certificate: state.certificate, signature: Buffer.from(signature).toString('base64url') };
    });
  }

  /**
   * The first half of a PIN reset (at the issuer's counter): the chip draws a
   * nonce that the issuer's authorization must carry. Works on a locked chip.
   */
  async beginPinReset(): Promise<PinResetClaims> {
    return this.#operate(async (state) => {
      state.pinResetNonce = randomBytes(16).toString('base64url');
      await this.#save(state);
      return { serial: state.certificateSerial, keyThumbprint: await publicKeyThumbprint(state.publicKey), nonce: state.pinResetNonce };
    });
  }

  /** Accepts a new PIN only with the issuer's signed authorization for this chip and this reset; unlocks the chip. */
  async resetPin(authorization: string, newPin: string): Promise<void> {
    assertPinFormat(newPin);
    await this.#operate(async (state) => {
      if (!state.pinResetNonce) throw new PinResetRefusedError('no PIN reset was begun on this chip');
      try {
        await verifyPinResetAuthorization(authorization, await importJWK(state.issuerKey.jwk, 'EdDSA'), {
          serial: state.certificateSerial,
          keyThumbprint: await publicKeyThumbprint(state.publicKey),
          nonce: state.pinResetNonce,
        });
      } catch (error) {
        if (error instanceof CertificateError) throw new PinResetRefusedError(`PIN reset refused: ${error.message}`);
        throw error;
      }
      state.pin = await createPinVerifier(newPin);
      state.retriesLeft = PIN_TRIES;
      state.locked = false;
      state.pinResetNonce = null;
      await this.#save(state);
    });
  }

  /**
   * What happens when someone probes the chip: it destroys its key and contents.
   * The store keeps only the fact, so the card fails for good, in every process.
   */
  async tamper(): Promise<void> {
    await this.#store.exclusive(this.#cardId, async () => {
      if (!(await this.#store.load(this.#cardId))) throw new CardNotFoundError(this.#cardId);
      await this.#store.save({ format: RECORD_FORMAT, version: 1, cardId: this.#cardId, tampered: true, key: null, state: null });
      this.#destroy();
    });
  }

  toJSON(): ChipSummary {
    return { ...this.#summary, pinStatus: this.#summary.pinStatus && { ...this.#summary.pinStatus } };
  }

  toString(): string {
    const { cardId, certificateSerial, pinStatus, tampered } = this.#summary;
    if (tampered) return `IcChip(card ${cardId}, tampered)`;
    const pin = pinStatus ? (pinStatus.locked ? 'PIN locked' : `${pinStatus.retriesLeft} PIN tries left`) : 'PIN unknown';
    return `IcChip(card ${cardId}, certificate ${certificateSerial ?? 'unknown'}, ${pin})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  /** Runs one chip operation on the latest stored state, with no other operation on this card in between. */
  #operate<T>(work: (state: SecureState) => Promise<T>): Promise<T> {
    return this.#store.exclusive(this.#cardId, async () => work(await this.#load()));
  }

  async #load(): Promise<SecureState> {
    const record = await this.#store.load(this.#cardId);
    if (!record) throw new CardNotFoundError(this.#cardId);
    if (record.tampered || record.key === null || record.state === null) {
      this.#destroy();
      throw new ChipTamperedError();
    }
    if (this.#summary.tampered) throw new ChipTamperedError();
    if (record.key !== this.#sealedKey) await this.#importKey(record.key);
    let json: unknown;
    try {
      json = JSON.parse((await this.#store.unseal(this.#cardId, 'state', record.state)).toString('utf8'));
    } catch (error) {
      if (error instanceof CardStoreError) throw error;
      throw new CardStoreError(`the sealed state of card ${this.#cardId} is not JSON`);
    }
    const state = secureStateSchema.safeParse(json);
    if (!state.success) throw new CardStoreError(`the sealed state of card ${this.#cardId} is malformed`);
    this.#remember(state.data);
    return state.data;
  }

  async #importKey(sealedKey: string): Promise<void> {
    const pkcs8 = await this.#store.unseal(this.#cardId, 'key', sealedKey);
    try {
      this.#signingKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
      this.#sealedKey = sealedKey;
    } finally {
      pkcs8.fill(0);
    }
  }

  async #save(state: SecureState): Promise<void> {
    if (this.#sealedKey === null) throw new ChipTamperedError();
    await this.#store.save({
      format: RECORD_FORMAT,
      version: 1,
      cardId: this.#cardId,
      tampered: false,
      key: this.#sealedKey,
      state: await this.#store.seal(this.#cardId, 'state', encodeState(state)),
    });
    this.#remember(state);
  }

  #requireKey(): webcrypto.CryptoKey {
    if (!this.#signingKey) throw new ChipTamperedError();
    return this.#signingKey;
  }

  #remember(state: SecureState): void {
    this.#summary = { cardId: this.#cardId, certificateSerial: state.certificateSerial, pinStatus: pinStatusOf(state), tampered: false };
  }

  #destroy(): void {
    this.#signingKey = undefined;
    this.#sealedKey = null;
    this.#summary = { cardId: this.#cardId, certificateSerial: null, pinStatus: null, tampered: true };
  }
}

function isLocked(state: SecureState): boolean {
  // A crash between counting the third wrong try and writing the lock still leaves the chip locked.
  return state.locked || state.retriesLeft === 0;
}

function pinStatusOf(state: SecureState): PinStatus {
  return { retriesLeft: state.retriesLeft, locked: isLocked(state) };
}

function encodeState(state: SecureState): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(state));
}

function pickPublicJwk(jwk: webcrypto.JsonWebKey): Ed25519PublicJwk {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x } as Ed25519PublicJwk;
}
