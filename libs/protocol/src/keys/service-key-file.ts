import { z } from 'zod';
import { registeredOperatorSchema } from '../auth/operators';
import { SERVICES, type Service } from '../parties';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

const publicSigningJwk = z.strictObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: base64url, kid: z.string().min(1), alg: z.literal('EdDSA'), use: z.literal('sig') });
const publicEncryptionJwk = z.strictObject({ kty: z.literal('OKP'), crv: z.literal('X25519'), x: base64url, kid: z.string().min(1), alg: z.literal('ECDH-ES+A256KW'), use: z.literal('enc') });

/** 2: operators' credentials joined the key file. */
export const SERVICE_KEY_FILE_VERSION = 2;

export const serviceKeyFileSchema = z.strictObject({
  format: z.literal('myna/service-keys'),
  version: z.literal(SERVICE_KEY_FILE_VERSION, { error: `must be ${SERVICE_KEY_FILE_VERSION}: this key file is from an older ceremony (npm run demo -- --fresh, or npm run keys -- --force, makes new keys)` }),
  service: z.enum(SERVICES),
  /** This service's own private keys. */
  signing: publicSigningJwk.extend({ d: base64url }),
  encryption: publicEncryptionJwk.extend({ d: base64url }),
  /** This service's share of the pseudonym scheme (libs/codes bundle JSON), if it has one. */
  codes: z.record(z.string(), z.unknown()).optional(),
  /** The operators this service accepts, each with its roles and the SHA-256 of its secret (never the secret). */
  operators: z.array(registeredOperatorSchema),
  /** Every service's public keys: whom to verify and whom to encrypt to. */
  directory: z.record(z.enum(SERVICES), z.strictObject({ signing: publicSigningJwk, encryption: publicEncryptionJwk })),
});

export type ServiceKeyFile = z.infer<typeof serviceKeyFileSchema>;
export type PublicSigningJwk = z.infer<typeof publicSigningJwk>;
export type PublicEncryptionJwk = z.infer<typeof publicEncryptionJwk>;
export type ServiceDirectory = Record<Service, { signing: PublicSigningJwk; encryption: PublicEncryptionJwk }>;

/** Name of the key file inside a service's KEYS_DIR. */
export const SERVICE_KEY_FILE_NAME = 'service-keys.json';
