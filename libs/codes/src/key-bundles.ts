/**
 * What each party receives from the key ceremony, and its strict JSON form. The
 * apps write these objects to files; this library does no I/O. Secret scalars stay
 * wrapped (they print as `[secret]`) until `serialize*` exports them on purpose.
 */
import { CodesError, type CodesSubject } from './codes.exception';
import { ElGamalPublicKey } from './elgamal';
import { multiply, pointsEqual } from './group';
import type { PairFactors } from './pair-factors';
import { parsePartyId, type PartyId } from './party-id';
import { SecretScalar } from './secret-scalar';

/** code-issuer's material: every party's pseudonym key s_A (it computes every code). */
export interface IssuerBundle {
  readonly kind: 'issuer';
  readonly pseudonymKeys: ReadonlyMap<PartyId, SecretScalar>;
  /** Y_A of every party, so that an issued code can be encrypted to its agency. */
  readonly publicKeys: ReadonlyMap<PartyId, ElGamalPublicKey>;
}

/** One agency's (or the portal's) material: its own ElGamal key pair, nothing else. */
export interface PartyBundle {
  readonly kind: 'party';
  readonly party: PartyId;
  readonly secretKey: SecretScalar;
  readonly publicKey: ElGamalPublicKey;
}

/** exchange-hub's material: public keys, and pair factors for permitted directions only. */
export interface HubBundle {
  readonly kind: 'hub';
  readonly publicKeys: ReadonlyMap<PartyId, ElGamalPublicKey>;
  /** Keyed by `pairKey(requester, provider)`. */
  readonly pairFactors: ReadonlyMap<string, PairFactors>;
}

export const ISSUER_BUNDLE_FORMAT = 'myna-codes/issuer-bundle';
export const PARTY_BUNDLE_FORMAT = 'myna-codes/party-bundle';
export const HUB_BUNDLE_FORMAT = 'myna-codes/hub-bundle';
const VERSION = 1;

export interface IssuerBundleJson {
  format: typeof ISSUER_BUNDLE_FORMAT;
  version: 1;
  parties: Record<PartyId, { pseudonymKey: string; publicKey: string }>;
}

export interface PartyBundleJson {
  format: typeof PARTY_BUNDLE_FORMAT;
  version: 1;
  party: PartyId;
  secretKey: string;
  publicKey: string;
}

export interface PairFactorsJson {
  requester: PartyId;
  provider: PartyId;
  reshuffle: string;
  rekey: string;
}

export interface HubBundleJson {
  format: typeof HUB_BUNDLE_FORMAT;
  version: 1;
  publicKeys: Record<PartyId, string>;
  pairFactors: PairFactorsJson[];
}

/** Party ids cannot contain '>', so this key is unambiguous. */
export function pairKey(requester: PartyId, provider: PartyId): string {
  return `${requester}>${provider}`;
}

export function serializeIssuerBundle(bundle: IssuerBundle): IssuerBundleJson {
  const parties: IssuerBundleJson['parties'] = {};
  for (const [party, pseudonymKey] of bundle.pseudonymKeys) {
    parties[party] = { pseudonymKey: pseudonymKey.exportText(), publicKey: requireKey(bundle.publicKeys, party).toText() };
  }
  return { format: ISSUER_BUNDLE_FORMAT, version: VERSION, parties };
}

export function serializePartyBundle(bundle: PartyBundle): PartyBundleJson {
  return {
    format: PARTY_BUNDLE_FORMAT,
    version: VERSION,
    party: bundle.party,
    secretKey: bundle.secretKey.exportText(),
    publicKey: bundle.publicKey.toText(),
  };
}

export function serializeHubBundle(bundle: HubBundle): HubBundleJson {
  return {
    format: HUB_BUNDLE_FORMAT,
    version: VERSION,
    publicKeys: Object.fromEntries([...bundle.publicKeys].map(([party, key]) => [party, key.toText()])),
    pairFactors: [...bundle.pairFactors.values()].map((factors) => ({
      requester: factors.requester,
      provider: factors.provider,
      reshuffle: factors.reshuffle.exportText(),
      rekey: factors.rekey.exportText(),
    })),
  };
}

export function parseIssuerBundle(json: unknown): IssuerBundle {
  const subject = 'issuer-bundle';
  const root = object(json, ['format', 'version', 'parties'], subject, 'issuer bundle');
  header(root, ISSUER_BUNDLE_FORMAT, subject);
  const pseudonymKeys = new Map<PartyId, SecretScalar>();
  const publicKeys = new Map<PartyId, ElGamalPublicKey>();
  for (const [party, entry] of entries(root.parties, subject, 'parties')) {
    const fields = object(entry, ['pseudonymKey', 'publicKey'], subject, `parties.${party}`);
    pseudonymKeys.set(party, at(subject, `parties.${party}.pseudonymKey`, () => SecretScalar.parse(fields.pseudonymKey)));
    publicKeys.set(party, at(subject, `parties.${party}.publicKey`, () => ElGamalPublicKey.parse(fields.publicKey)));
  }
  return { kind: 'issuer', pseudonymKeys, publicKeys };
}

export function parsePartyBundle(json: unknown): PartyBundle {
  const subject = 'party-bundle';
  const root = object(json, ['format', 'version', 'party', 'secretKey', 'publicKey'], subject, 'party bundle');
  header(root, PARTY_BUNDLE_FORMAT, subject);
  const party = at(subject, 'party', () => parsePartyId(root.party, 'party'));
  const secretKey = at(subject, 'secretKey', () => SecretScalar.parse(root.secretKey));
  const publicKey = at(subject, 'publicKey', () => ElGamalPublicKey.parse(root.publicKey));
  if (!ElGamalPublicKey.of(secretKey).equals(publicKey)) {
    throw new CodesError(subject, 'key-mismatch', 'party bundle publicKey does not match its secretKey');
  }
  return { kind: 'party', party, secretKey, publicKey };
}

export function parseHubBundle(json: unknown): HubBundle {
  const subject = 'hub-bundle';
  const root = object(json, ['format', 'version', 'publicKeys', 'pairFactors'], subject, 'hub bundle');
  header(root, HUB_BUNDLE_FORMAT, subject);
  const publicKeys = new Map<PartyId, ElGamalPublicKey>();
  for (const [party, text] of entries(root.publicKeys, subject, 'publicKeys')) {
    publicKeys.set(party, at(subject, `publicKeys.${party}`, () => ElGamalPublicKey.parse(text)));
  }
  if (!Array.isArray(root.pairFactors)) throw new CodesError(subject, 'malformed', 'hub bundle pairFactors must be an array');
  const pairFactors = new Map<string, PairFactors>();
  root.pairFactors.forEach((entry: unknown, index: number) => {
    const path = `pairFactors[${index}]`;
    const fields = object(entry, ['requester', 'provider', 'reshuffle', 'rekey'], subject, path);
    const requester = at(subject, `${path}.requester`, () => parsePartyId(fields.requester, 'requester'));
    const provider = at(subject, `${path}.provider`, () => parsePartyId(fields.provider, 'provider'));
    const requesterKey = publicKeys.get(requester);
    const providerKey = publicKeys.get(provider);
    if (!requesterKey || !providerKey) {
      throw new CodesError(subject, 'unknown-party', `hub bundle ${path} names a party without a public key`);
    }
    if (requester === provider) throw new CodesError(subject, 'malformed', `hub bundle ${path} pairs a party with itself`);
    if (pairFactors.has(pairKey(requester, provider))) {
      throw new CodesError(subject, 'duplicate', `hub bundle ${path} repeats a pair`);
    }
    const reshuffle = at(subject, `${path}.reshuffle`, () => SecretScalar.parse(fields.reshuffle));
    const rekey = at(subject, `${path}.rekey`, () => SecretScalar.parse(fields.rekey));
    // k_AB is checkable from public data (Y_B = k_AB · Y_A): a corrupted file fails here, not mid-exchange.
    if (!pointsEqual(multiply(requesterKey.groupElement(), rekey.reveal()), providerKey.groupElement())) {
      throw new CodesError(subject, 'key-mismatch', `hub bundle ${path}.rekey does not map the requester's key to the provider's`);
    }
    pairFactors.set(pairKey(requester, provider), { requester, provider, reshuffle, rekey });
  });
  return { kind: 'hub', publicKeys, pairFactors };
}

function requireKey<T>(map: ReadonlyMap<PartyId, T>, party: PartyId): T {
  const value = map.get(party);
  if (value === undefined) throw new CodesError('issuer-bundle', 'unknown-party', `no public key for party '${party}'`);
  return value;
}

type Fields = Record<string, unknown>;

/** A plain object with exactly these keys: a missing or extra field is an error, not a default. */
function object(value: unknown, keys: readonly string[], subject: CodesSubject, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CodesError(subject, 'malformed', `${path} must be a JSON object`);
  }
  const fields = value as Fields;
  const missing = keys.filter((key) => !Object.prototype.hasOwnProperty.call(fields, key));
  if (missing.length > 0) throw new CodesError(subject, 'malformed', `${path} is missing ${missing.join(', ')}`);
  if (Object.keys(fields).length !== keys.length) {
    throw new CodesError(subject, 'malformed', `${path} has fields other than ${keys.join(', ')}`);
  }
  return fields;
}

function header(root: Fields, format: string, subject: CodesSubject): void {
  if (root.format !== format) throw new CodesError(subject, 'malformed', `format must be '${format}'`);
  if (root.version !== VERSION) throw new CodesError(subject, 'malformed', `version must be ${VERSION}`);
}

/** The entries of a JSON object keyed by party id. */
function entries(value: unknown, subject: CodesSubject, path: string): Array<[PartyId, unknown]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CodesError(subject, 'malformed', `${path} must be a JSON object keyed by party id`);
  }
  return Object.entries(value).map(([party, entry]) => [at(subject, path, () => parsePartyId(party, 'key')), entry]);
}

/** Runs a nested parse and reports its failure against the bundle, at this path, keeping the reason. */
function at<T>(subject: CodesSubject, path: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CodesError) throw new CodesError(subject, error.reason, `${path}: ${error.message}`);
    throw error;
  }
}
