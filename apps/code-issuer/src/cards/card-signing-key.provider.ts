import type { Provider } from '@nestjs/common';
import { exportJWK } from 'jose';
import { ed25519PublicJwkSchema, type IssuerPublicKey, type IssuerSigningKey } from '@myna/card';
import { SERVICE_KEYS } from '@myna/platform';
import type { ServiceKeyRing } from '@myna/protocol';

/** code-issuer's own signing key, which signs card certificates, status answers and PIN-reset authorizations. */
export const CARD_SIGNING_KEY = Symbol('CARD_SIGNING_KEY');
/** Its public half: the trust anchor every chip is personalised with. */
export const CARD_ISSUER_PUBLIC_KEY = Symbol('CARD_ISSUER_PUBLIC_KEY');

export const cardSigningKeyProviders: Provider[] = [
  {
    provide: CARD_SIGNING_KEY,
    inject: [SERVICE_KEYS],
    useFactory: (ring: ServiceKeyRing | null): IssuerSigningKey => {
      if (!ring) throw new Error('code-issuer needs its key file to sign card certificates');
      return { kid: ring.signingKid, key: ring.signingKey };
    },
  },
  {
    provide: CARD_ISSUER_PUBLIC_KEY,
    inject: [SERVICE_KEYS],
    useFactory: async (ring: ServiceKeyRing | null): Promise<IssuerPublicKey> => {
      const own = ring?.verifierFor(ring.signingKid);
      if (!ring || !own) throw new Error("code-issuer's key file lists no public key for its own signing key");
      const { kty, crv, x } = await exportJWK(own.key);
      return { kid: ring.signingKid, jwk: ed25519PublicJwkSchema.parse({ kty, crv, x }) };
    },
  },
];
