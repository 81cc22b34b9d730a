import { createHash, randomBytes } from 'node:crypto';
import { ed25519, x25519 } from '@noble/curves/ed25519';
import { hmac } from '@noble/hashes/hmac';
import { sha256, sha512 } from '@noble/hashes/sha2';
import {
  runKeyCeremony,
  serializeHubBundle,
  serializeIssuerBundle,
  serializePartyBundle,
  type KeyCeremonyEntropy,
} from '@myna/codes';
import { operatorClientId, SERVICE_OPERATOR_ROLES, type OperatorCredential, type RegisteredOperator } from '../auth/operators';
import type { LegalTable } from '../legal-table/legal-table';
import { CODE_HOLDERS, CODE_ISSUER, EXCHANGE_HUB, SERVICES, type Service } from '../parties';
import { SERVICE_KEY_FILE_VERSION, type PublicEncryptionJwk, type PublicSigningJwk, type ServiceDirectory, type ServiceKeyFile } from './service-key-file';
import { MYNA_PORTAL } from '../parties';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** What the ceremony hands out: one key file per service, one credential per operator. */
export interface KeyCeremonyOutput {
  services: Map<Service, ServiceKeyFile>;
  /** Keyed by client id. */
  operators: Map<string, OperatorCredential>;
}

/** 32 secret bytes: from the seed (deterministic demo keys) or the OS RNG. */
function secretBytes(seed: string | undefined, purpose: string, holder: string): Uint8Array {
  if (seed === undefined) return new Uint8Array(randomBytes(32));
  return hmac(sha512, new TextEncoder().encode(seed), new TextEncoder().encode(`myna-jose-v1:${purpose}:${holder}`)).slice(0, 32);
}

function keyId(service: Service, use: string, publicKey: Uint8Array): string {
  return `${service}:${use}:${b64(sha256(publicKey)).slice(0, 16)}`;
}

/** What a service stores of an operator's secret: its SHA-256 (the secret is 256 random bits, so no slow hash is needed). */
export function operatorSecretHash(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('base64url')}`;
}

/**
 * Fresh credentials for every operator of every service: the credentials the
 * operators hold, and what each service keeps of them. `generation` separates
 * rotations made from one seed.
 */
export function makeOperatorCredentials(seed?: string, generation = 0): { operators: Map<string, OperatorCredential>; registered: Map<Service, RegisteredOperator[]> } {
  const operators = new Map<string, OperatorCredential>();
  const registered = new Map<Service, RegisteredOperator[]>();
  for (const service of SERVICES) {
    const entries: RegisteredOperator[] = [];
    for (const role of SERVICE_OPERATOR_ROLES[service]) {
      const clientId = operatorClientId(service, role);
      const clientSecret = b64(secretBytes(seed, `operator-secret-${generation}`, clientId));
      operators.set(clientId, { format: 'myna/operator-credential', version: 1, service, clientId, clientSecret, roles: [role] });
      entries.push({ clientId, roles: [role], secretHash: operatorSecretHash(clientSecret) });
    }
    registered.set(service, entries);
  }
  return { operators, registered };
}

/**
 * Creates every service's key file: its own JOSE keys, its share of the pseudonym
 * scheme, its operators' secret hashes, and the public directory; and every
 * operator's credential. A trusted dealer: it sees every secret once, and each
 * file holds one holder's secrets only. `seed` makes it deterministic; only demos
 * and tests may use one, since the seed is then every key.
 */
export function runServiceKeyCeremony(legalTable: LegalTable, seed?: string): KeyCeremonyOutput {
  const entropy: KeyCeremonyEntropy | undefined = seed === undefined ? undefined : { seed };
  // The portal addresses the records of its own inquiries to itself (a self key the hub only rerandomizes under).
  const codes = runKeyCeremony({ parties: [...CODE_HOLDERS], edges: legalTable.translationEdges(), selfAddressed: [MYNA_PORTAL] }, entropy);
  const { operators, registered } = makeOperatorCredentials(seed);

  const privates = new Map<Service, { signing: Uint8Array; encryption: Uint8Array }>();
  const directory = {} as ServiceDirectory;
  for (const service of SERVICES) {
    const signing = secretBytes(seed, 'signing', service);
    const encryption = secretBytes(seed, 'encryption', service);
    privates.set(service, { signing, encryption });
    const signingPublic = ed25519.getPublicKey(signing);
    const encryptionPublic = x25519.getPublicKey(encryption);
    const signingJwk: PublicSigningJwk = { kty: 'OKP', crv: 'Ed25519', x: b64(signingPublic), kid: keyId(service, 'sig', signingPublic), alg: 'EdDSA', use: 'sig' };
    const encryptionJwk: PublicEncryptionJwk = { kty: 'OKP', crv: 'X25519', x: b64(encryptionPublic), kid: keyId(service, 'enc', encryptionPublic), alg: 'ECDH-ES+A256KW', use: 'enc' };
    directory[service] = { signing: signingJwk, encryption: encryptionJwk };
  }

  const codesShare = (service: Service): Record<string, unknown> | undefined => {
    if (service === CODE_ISSUER) return { ...serializeIssuerBundle(codes.issuer) };
    if (service === EXCHANGE_HUB) return { ...serializeHubBundle(codes.hub) };
    const bundle = codes.parties.get(service);
    return bundle ? { ...serializePartyBundle(bundle) } : undefined;
  };

  const services = new Map<Service, ServiceKeyFile>();
  for (const service of SERVICES) {
    const own = privates.get(service)!;
    services.set(service, {
      format: 'myna/service-keys',
      version: SERVICE_KEY_FILE_VERSION,
      service,
      signing: { ...directory[service].signing, d: b64(own.signing) },
      encryption: { ...directory[service].encryption, d: b64(own.encryption) },
      codes: codesShare(service),
      operators: registered.get(service) ?? [],
      directory,
    });
  }
  return { services, operators };
}
