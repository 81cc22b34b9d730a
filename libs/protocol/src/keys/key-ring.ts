import { createSecretKey, diffieHellman, hkdfSync, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { groupReady } from '@myna/codes';
import { importJWK, type KeyLike } from 'jose';
import type { RegisteredOperator } from '../auth/operators';
import { SERVICES, type Service } from '../parties';
import { SERVICE_KEY_FILE_NAME, serviceKeyFileSchema, type ServiceKeyFile } from './service-key-file';

export const SIGNING_ALGORITHM = 'EdDSA';
/**
 * Sealed messages wrap a fresh content key under the sender→recipient edge key
 * (A256KW), not under a fresh ECDH-ES agreement per message: a quarter of the
 * cost, with the trade-off written down in libs/protocol/README.md.
 */
export const KEY_MANAGEMENT_ALGORITHM = 'A256KW';
export const CONTENT_ENCRYPTION_ALGORITHM = 'A256GCM';
/** What the key files' X25519 keys are declared for (their JWK `alg`); the ring derives the edge keys from them. */
export const ENCRYPTION_KEY_ALGORITHM = 'ECDH-ES+A256KW';
const EDGE_KEY_SALT = 'myna-jose-v1:edge-key';

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

interface PublicKeyEntry {
  service: Service;
  kid: string;
  key: KeyLike | Uint8Array;
}

/** The key that wraps content keys on one direction of one edge, and the services at its ends. */
export interface EdgeKey {
  from: Service;
  to: Service;
  key: KeyObject;
}

/**
 * K(A→B) = HKDF-SHA256(X25519(a, B) = X25519(b, A), info = A>B and both key ids):
 * A and B alone can compute it, each direction has its own, and a new key pair on
 * either side gives a new one.
 */
function edgeKey(shared: Buffer, from: Service, fromKid: string, to: Service, toKid: string): EdgeKey {
  const info = `${from}>${to}|${fromKid}|${toKid}`;
  return { from, to, key: createSecretKey(Buffer.from(hkdfSync('sha256', shared, EDGE_KEY_SALT, info, 32))) };
}

/**
 * One service's keys, imported once at start-up: its own signing and decryption
 * keys, and every service's public keys indexed by key id. Never built per request.
 */
export class ServiceKeyRing {
  private constructor(
    readonly service: Service,
    readonly signingKid: string,
    readonly signingKey: KeyLike | Uint8Array,
    readonly decryptionKid: string,
    private readonly verifiers: ReadonlyMap<string, PublicKeyEntry>,
    private readonly recipients: ReadonlyMap<Service, PublicKeyEntry>,
    /** K(this→S) for every service S, by S. */
    private readonly sendingKeys: ReadonlyMap<Service, EdgeKey>,
    /** K(S→this) for every service S, by S's encryption key id. */
    private readonly receivingKeys: ReadonlyMap<string, EdgeKey>,
    /** This service's libs/codes bundle as JSON, for @myna/codes to parse. */
    readonly codesBundle: unknown,
    /** The operators this service accepts (client id, roles, secret hash). */
    readonly operators: readonly RegisteredOperator[] = [],
  ) {}

  static async fromFile(file: ServiceKeyFile): Promise<ServiceKeyRing> {
    // Every service loads its ring before it serves: the place to wait for the group backend (libsodium's WebAssembly).
    await groupReady();
    const decryptionKey = await importJWK(file.encryption, ENCRYPTION_KEY_ALGORITHM);
    const verifiers = new Map<string, PublicKeyEntry>();
    const recipients = new Map<Service, PublicKeyEntry>();
    const sendingKeys = new Map<Service, EdgeKey>();
    const receivingKeys = new Map<string, EdgeKey>();
    for (const service of SERVICES) {
      const entry = file.directory[service];
      if (!entry) throw new KeyFileError(`key file has no directory entry for ${service}`);
      verifiers.set(entry.signing.kid, { service, kid: entry.signing.kid, key: await importJWK(entry.signing, SIGNING_ALGORITHM) });
      const encryptionKey = await importJWK(entry.encryption, ENCRYPTION_KEY_ALGORITHM);
      recipients.set(service, { service, kid: entry.encryption.kid, key: encryptionKey });
      // One X25519 agreement per peer, at start-up; none per message.
      const shared = diffieHellman({ privateKey: decryptionKey as KeyObject, publicKey: encryptionKey as KeyObject });
      sendingKeys.set(service, edgeKey(shared, file.service, file.encryption.kid, service, entry.encryption.kid));
      receivingKeys.set(entry.encryption.kid, edgeKey(shared, service, entry.encryption.kid, file.service, file.encryption.kid));
    }
    return new ServiceKeyRing(
      file.service,
      file.signing.kid,
      await importJWK(file.signing, SIGNING_ALGORITHM),
      file.encryption.kid,
      verifiers,
      recipients,
      sendingKeys,
      receivingKeys,
      file.codes,
      file.operators,
    );
  }

  /** The service that owns a signing key id, and the key, if the directory knows it. */
  verifierFor(kid: string | undefined): PublicKeyEntry | undefined {
    return kid === undefined ? undefined : this.verifiers.get(kid);
  }

  /** A service's encryption key: its `kid` names the recipient of what is sealed to it. */
  recipient(service: Service): PublicKeyEntry {
    const entry = this.recipients.get(service);
    if (!entry) throw new KeyFileError(`no encryption key for ${service}`);
    return entry;
  }

  /** K(this→service), which wraps the content keys of what this service seals to it. */
  sendingKey(service: Service): EdgeKey {
    const edge = this.sendingKeys.get(service);
    if (!edge) throw new KeyFileError(`no edge key to ${service}`);
    return edge;
  }

  /** K(sender→this), for the sender whose encryption key id a sealed message names (`skid`). */
  receivingKeyFrom(senderKid: string | undefined): EdgeKey | undefined {
    return senderKid === undefined ? undefined : this.receivingKeys.get(senderKid);
  }

  toString(): string {
    return `[ServiceKeyRing ${this.service}]`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Parses a key file's JSON, naming the first bad field; checks it belongs to `service`. */
export function parseServiceKeyFile(json: unknown, service: Service): ServiceKeyFile {
  const parsed = serviceKeyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KeyFileError(`key file is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (parsed.data.service !== service) {
    throw new KeyFileError(`key file belongs to ${parsed.data.service}, not ${service}`);
  }
  return parsed.data;
}

/** Reads `<dir>/service-keys.json` and imports it. Errors are one line and name the file. */
export async function loadServiceKeyRing(dir: string, service: Service): Promise<ServiceKeyRing> {
  const file = path.join(dir, SERVICE_KEY_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new KeyFileError(`no key file at ${file}; run the key ceremony first (npm run keys)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyFileError(`key file ${file} is not valid JSON`);
  }
  return ServiceKeyRing.fromFile(parseServiceKeyFile(json, service));
}
