import { randomBytes } from 'node:crypto';
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
import type { LegalTable } from '../legal-table/legal-table';
import { CODE_HOLDERS, CODE_ISSUER, EXCHANGE_HUB, SERVICES, type Service } from '../parties';
import type { PublicEncryptionJwk, PublicSigningJwk, ServiceDirectory, ServiceKeyFile } from './service-key-file';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** A 32-byte private key: from the seed (deterministic demo keys) or the OS RNG. */
function privateKeyBytes(seed: string | undefined, purpose: string, service: Service): Uint8Array {
  if (seed === undefined) return new Uint8Array(randomBytes(32));
  return hmac(sha512, new TextEncoder().encode(seed), new TextEncoder().encode(`myna-jose-v1:${purpose}:${service}`)).slice(0, 32);
}

function keyId(service: Service, use: string, publicKey: Uint8Array): string {
  return `${service}:${use}:${b64(sha256(publicKey)).slice(0, 16)}`;
}

/**
 * Creates every service's key file: its own JOSE keys, its share of the pseudonym
 * scheme, and the public directory. A trusted dealer: it sees every secret once,
 * and each file holds one service's secrets only. `seed` makes it deterministic;
 * only demos and tests may use one, since the seed is then every key.
 */
export function runServiceKeyCeremony(legalTable: LegalTable, seed?: string): Map<Service, ServiceKeyFile> {
  const entropy: KeyCeremonyEntropy | undefined = seed === undefined ? undefined : { seed };
  // The portal addresses the records of its own inquiries to itself (a self key the hub only rerandomizes under).
  const codes = runKeyCeremony({ parties: [...CODE_HOLDERS], edges: legalTable.translationEdges(), selfAddressed: ['myna-portal'] }, entropy);

  const privates = new Map<Service, { signing: Uint8Array; encryption: Uint8Array }>();
  const directory = {} as ServiceDirectory;
  for (const service of SERVICES) {
    const signing = privateKeyBytes(seed, 'signing', service);
    const encryption = privateKeyBytes(seed, 'encryption', service);
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

  const files = new Map<Service, ServiceKeyFile>();
  for (const service of SERVICES) {
    const own = privates.get(service)!;
    files.set(service, {
      format: 'myna/service-keys',
      version: 1,
      service,
      signing: { ...directory[service].signing, d: b64(own.signing) },
      encryption: { ...directory[service].encryption, d: b64(own.encryption) },
      codes: codesShare(service),
      directory,
    });
  }
  return files;
}
