/**
 * What each party receives from the key ceremony, and its strict JSON form. The
 * apps write these objects to files; this library does no I/O. Secret scalars stay
 * wrapped (they print as `[secret]`) until `serialize*` exports them on purpose.
 */
import { CodesError, type CodesSubject } from './codes.exception';
import { edgeKey, type Edge } from './edge';
import type { EdgeFactors } from './edge-factors';
import { ElGamalPublicKey, type ElGamalKeyPair } from './elgamal';
import { multiply, pointsEqual } from './group';
import { parsePartyId, type PartyId } from './party-id';
import { SecretScalar } from './secret-scalar';

/** code-issuer's material: every party's pseudonym key s_A (it computes every code), nothing else. */
export interface IssuerBundle {
  readonly kind: 'issuer';
  readonly pseudonymKeys: ReadonlyMap<PartyId, SecretScalar>;
}

/** The sending end of an edge A → B: x_A→B, held by A alone. */
export interface SendingKey extends ElGamalKeyPair {
  readonly to: PartyId;
}

/** The receiving end of an edge A → B: x_B←A and the closing scalar c_B←A, held by B alone. */
export interface ReceivingKey extends ElGamalKeyPair {
  readonly from: PartyId;
  readonly closingScalar: SecretScalar;
}

/** One agency's (or the portal's) material: the keys of its own edges, and nothing of anyone else's. */
export interface PartyBundle {
  readonly kind: 'party';
  readonly party: PartyId;
  /** Keyed by the receiving party. */
  readonly sending: ReadonlyMap<PartyId, SendingKey>;
  /** Keyed by the sending party. */
  readonly receiving: ReadonlyMap<PartyId, ReceivingKey>;
  /**
   * For a party that addresses codes to itself through the hub (the portal, for the
   * records of its own inquiries): a key pair used for nothing else. The hub only rerandomizes under it.
   */
  readonly selfKey: ElGamalKeyPair | null;
}

/** exchange-hub's material: one set of factors per permitted edge, and the public self keys. */
export interface HubBundle {
  readonly kind: 'hub';
  /** Keyed by `edgeKey(from, to)`. */
  readonly edges: ReadonlyMap<string, EdgeFactors>;
  readonly selfKeys: ReadonlyMap<PartyId, ElGamalPublicKey>;
}

export const ISSUER_BUNDLE_FORMAT = 'myna-codes/issuer-bundle';
export const PARTY_BUNDLE_FORMAT = 'myna-codes/party-bundle';
export const HUB_BUNDLE_FORMAT = 'myna-codes/hub-bundle';
/** 2: edge keys and closing scalars (1 was one ElGamal key per party). */
const VERSION = 2;

export interface IssuerBundleJson {
  format: typeof ISSUER_BUNDLE_FORMAT;
  version: 2;
  pseudonymKeys: Record<PartyId, string>;
}

export interface KeyPairJson {
  secretKey: string;
  publicKey: string;
}

export interface PartyBundleJson {
  format: typeof PARTY_BUNDLE_FORMAT;
  version: 2;
  party: PartyId;
  sending: Record<PartyId, KeyPairJson>;
  receiving: Record<PartyId, KeyPairJson & { closingScalar: string }>;
  selfKey: KeyPairJson | null;
}

export interface EdgeFactorsJson {
  from: PartyId;
  to: PartyId;
  sendingKey: string;
  receivingKey: string;
  reshuffle: string;
  rekey: string;
}

export interface HubBundleJson {
  format: typeof HUB_BUNDLE_FORMAT;
  version: 2;
  edges: EdgeFactorsJson[];
  selfKeys: Record<PartyId, string>;
}

/** The edges a hub bundle holds factors for. */
export function edgesOf(hub: HubBundle): Edge[] {
  return [...hub.edges.values()].map(({ from, to }) => ({ from, to }));
}

export function serializeIssuerBundle(bundle: IssuerBundle): IssuerBundleJson {
  return {
    format: ISSUER_BUNDLE_FORMAT,
    version: VERSION,
    pseudonymKeys: Object.fromEntries([...bundle.pseudonymKeys].map(([party, key]) => [party, key.exportText()])),
  };
}

const keyPairJson = (pair: ElGamalKeyPair): KeyPairJson => ({ secretKey: pair.secretKey.exportText(), publicKey: pair.publicKey.toText() });

export function serializePartyBundle(bundle: PartyBundle): PartyBundleJson {
  return {
    format: PARTY_BUNDLE_FORMAT,
    version: VERSION,
    party: bundle.party,
    sending: Object.fromEntries([...bundle.sending].map(([to, key]) => [to, keyPairJson(key)])),
    receiving: Object.fromEntries(
      [...bundle.receiving].map(([from, key]) => [from, { ...keyPairJson(key), closingScalar: key.closingScalar.exportText() }]),
    ),
    selfKey: bundle.selfKey ? keyPairJson(bundle.selfKey) : null,
  };
}

export function serializeHubBundle(bundle: HubBundle): HubBundleJson {
  return {
    format: HUB_BUNDLE_FORMAT,
    version: VERSION,
    edges: [...bundle.edges.values()].map((factors) => ({
      from: factors.from,
      to: factors.to,
      sendingKey: factors.sendingKey.toText(),
      receivingKey: factors.receivingKey.toText(),
      reshuffle: factors.reshuffle.exportText(),
      rekey: factors.rekey.exportText(),
    })),
    selfKeys: Object.fromEntries([...bundle.selfKeys].map(([party, key]) => [party, key.toText()])),
  };
}

export function parseIssuerBundle(json: unknown): IssuerBundle {
  const subject = 'issuer-bundle';
  const root = object(json, ['format', 'version', 'pseudonymKeys'], subject, 'issuer bundle');
  header(root, ISSUER_BUNDLE_FORMAT, subject);
  const pseudonymKeys = new Map<PartyId, SecretScalar>();
  for (const [party, text] of entries(root.pseudonymKeys, subject, 'pseudonymKeys')) {
    pseudonymKeys.set(party, at(subject, `pseudonymKeys.${party}`, () => SecretScalar.parse(text)));
  }
  return { kind: 'issuer', pseudonymKeys };
}

export function parsePartyBundle(json: unknown): PartyBundle {
  const subject = 'party-bundle';
  const root = object(json, ['format', 'version', 'party', 'sending', 'receiving', 'selfKey'], subject, 'party bundle');
  header(root, PARTY_BUNDLE_FORMAT, subject);
  const party = at(subject, 'party', () => parsePartyId(root.party, 'party'));
  const publicKeys = new DistinctKeys(subject);

  const sending = new Map<PartyId, SendingKey>();
  for (const [to, entry] of entries(root.sending, subject, 'sending')) {
    if (to === party) throw new CodesError(subject, 'malformed', `party bundle sending.${to} is an edge to itself`);
    sending.set(to, { to, ...keyPair(entry, ['secretKey', 'publicKey'], `sending.${to}`, publicKeys) });
  }
  const receiving = new Map<PartyId, ReceivingKey>();
  for (const [from, entry] of entries(root.receiving, subject, 'receiving')) {
    if (from === party) throw new CodesError(subject, 'malformed', `party bundle receiving.${from} is an edge from itself`);
    const path = `receiving.${from}`;
    const pair = keyPair(entry, ['secretKey', 'publicKey', 'closingScalar'], path, publicKeys);
    const closingScalar = at(subject, `${path}.closingScalar`, () => SecretScalar.parse((entry as Fields).closingScalar));
    receiving.set(from, { from, ...pair, closingScalar });
  }
  const selfKey = root.selfKey === null ? null : keyPair(root.selfKey, ['secretKey', 'publicKey'], 'selfKey', publicKeys);
  return { kind: 'party', party, sending, receiving, selfKey };
}

export function parseHubBundle(json: unknown): HubBundle {
  const subject = 'hub-bundle';
  const root = object(json, ['format', 'version', 'edges', 'selfKeys'], subject, 'hub bundle');
  header(root, HUB_BUNDLE_FORMAT, subject);
  const publicKeys = new DistinctKeys(subject);
  if (!Array.isArray(root.edges)) throw new CodesError(subject, 'malformed', 'hub bundle edges must be an array');
  const edges = new Map<string, EdgeFactors>();
  root.edges.forEach((entry: unknown, index: number) => {
    const path = `edges[${index}]`;
    const fields = object(entry, ['from', 'to', 'sendingKey', 'receivingKey', 'reshuffle', 'rekey'], subject, path);
    const from = at(subject, `${path}.from`, () => parsePartyId(fields.from, 'from'));
    const to = at(subject, `${path}.to`, () => parsePartyId(fields.to, 'to'));
    if (from === to) throw new CodesError(subject, 'malformed', `hub bundle ${path} joins a party to itself`);
    if (edges.has(edgeKey(from, to))) throw new CodesError(subject, 'duplicate', `hub bundle ${path} repeats an edge`);
    const sendingKey = publicKeys.add(`${path}.sendingKey`, fields.sendingKey);
    const receivingKey = publicKeys.add(`${path}.receivingKey`, fields.receivingKey);
    const reshuffle = at(subject, `${path}.reshuffle`, () => SecretScalar.parse(fields.reshuffle));
    const rekey = at(subject, `${path}.rekey`, () => SecretScalar.parse(fields.rekey));
    // k is checkable from public data (Y_B←A = k · Y_A→B): a corrupted file fails here, not mid-exchange.
    if (!pointsEqual(multiply(sendingKey.groupElement(), rekey.reveal()), receivingKey.groupElement())) {
      throw new CodesError(subject, 'key-mismatch', `hub bundle ${path}.rekey does not map the edge's sending key to its receiving key`);
    }
    edges.set(edgeKey(from, to), { from, to, sendingKey, receivingKey, reshuffle, rekey });
  });
  const selfKeys = new Map<PartyId, ElGamalPublicKey>();
  for (const [party, text] of entries(root.selfKeys, subject, 'selfKeys')) selfKeys.set(party, publicKeys.add(`selfKeys.${party}`, text));
  return { kind: 'hub', edges, selfKeys };
}

/** Public keys seen so far in one bundle: no two edges (or self keys) may share one. */
class DistinctKeys {
  private readonly seen = new Set<string>();

  constructor(private readonly subject: CodesSubject) {}

  add(path: string, text: unknown): ElGamalPublicKey {
    const key = at(this.subject, path, () => ElGamalPublicKey.parse(text));
    if (this.seen.has(key.toText())) throw new CodesError(this.subject, 'duplicate', `${path} is a key another edge already uses`);
    this.seen.add(key.toText());
    return key;
  }
}

function keyPair(value: unknown, keys: readonly string[], path: string, publicKeys: DistinctKeys): ElGamalKeyPair {
  const subject = 'party-bundle';
  const fields = object(value, keys, subject, path);
  const secretKey = at(subject, `${path}.secretKey`, () => SecretScalar.parse(fields.secretKey));
  const publicKey = publicKeys.add(`${path}.publicKey`, fields.publicKey);
  if (!ElGamalPublicKey.of(secretKey).equals(publicKey)) {
    throw new CodesError(subject, 'key-mismatch', `party bundle ${path}.publicKey does not match its secretKey`);
  }
  return { secretKey, publicKey };
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
  if (root.version !== VERSION) {
    const hint = root.version === 1 ? ' (a key file from before edge keys: run the key ceremony again, with fresh data)' : '';
    throw new CodesError(subject, 'malformed', `version must be ${VERSION}${hint}`);
  }
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
