import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { groupReady } from '@myna/codes';
import { importJWK, type KeyLike } from 'jose';
import { SERVICES, type Service } from '../parties';
import { SERVICE_KEY_FILE_NAME, serviceKeyFileSchema, type ServiceKeyFile } from './service-key-file';

export const SIGNING_ALGORITHM = 'EdDSA';
export const KEY_MANAGEMENT_ALGORITHM = 'ECDH-ES+A256KW';
export const CONTENT_ENCRYPTION_ALGORITHM = 'A256GCM';

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
    readonly decryptionKey: KeyLike | Uint8Array,
    private readonly verifiers: ReadonlyMap<string, PublicKeyEntry>,
    private readonly recipients: ReadonlyMap<Service, PublicKeyEntry>,
    /** This service's libs/codes bundle as JSON, for @myna/codes to parse. */
    readonly codesBundle: unknown,
  ) {}

  static async fromFile(file: ServiceKeyFile): Promise<ServiceKeyRing> {
    // Every service loads its ring before it serves: the place to wait for the group backend (libsodium's WebAssembly).
    await groupReady();
    const verifiers = new Map<string, PublicKeyEntry>();
    const recipients = new Map<Service, PublicKeyEntry>();
    for (const service of SERVICES) {
      const entry = file.directory[service];
      if (!entry) throw new KeyFileError(`key file has no directory entry for ${service}`);
      verifiers.set(entry.signing.kid, { service, kid: entry.signing.kid, key: await importJWK(entry.signing, SIGNING_ALGORITHM) });
      recipients.set(service, {
        service,
        kid: entry.encryption.kid,
        key: await importJWK(entry.encryption, KEY_MANAGEMENT_ALGORITHM),
      });
    }
    return new ServiceKeyRing(
      file.service,
      file.signing.kid,
      await importJWK(file.signing, SIGNING_ALGORITHM),
      file.encryption.kid,
      await importJWK(file.encryption, KEY_MANAGEMENT_ALGORITHM),
      verifiers,
      recipients,
      file.codes,
    );
  }

  /** The service that owns a signing key id, and the key, if the directory knows it. */
  verifierFor(kid: string | undefined): PublicKeyEntry | undefined {
    return kid === undefined ? undefined : this.verifiers.get(kid);
  }

  recipient(service: Service): PublicKeyEntry {
    const entry = this.recipients.get(service);
    if (!entry) throw new KeyFileError(`no encryption key for ${service}`);
    return entry;
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
