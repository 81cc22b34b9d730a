import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { generateMyNumber } from '@myna/codes';
import { signCardCertificate, signPinResetAuthorization, type CardFace, type Ed25519PublicJwk, type IssuerPublicKey, type PinResetClaims } from '../index';

/** A stand-in for code-issuer's signing key, for the chip's unit tests. */
export interface TestIssuer {
  key: IssuerPublicKey;
  privateKey: KeyLike;
  publicKey: KeyLike;
  certified: Ed25519PublicJwk[];
  certify(publicKey: Ed25519PublicJwk, options?: { serial?: string; validDays?: number }): Promise<string>;
  authorizeReset(reset: PinResetClaims): Promise<string>;
}

export async function createTestIssuer(kid = 'test-issuer'): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  const issuer: TestIssuer = {
    key: { kid, jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x! } },
    privateKey,
    publicKey,
    certified: [],
    async certify(subjectKey, options = {}) {
      issuer.certified.push(subjectKey);
      const issuedAt = new Date();
      return signCardCertificate(
        { kid, key: privateKey },
        {
          serial: options.serial ?? randomBytes(10).toString('hex').toUpperCase(),
          publicKey: subjectKey,
          issuedAt,
          expiresAt: new Date(issuedAt.getTime() + (options.validDays ?? 365) * 86_400_000),
        },
      );
    },
    authorizeReset: (reset) => signPinResetAuthorization({ kid, key: privateKey }, reset),
  };
  return issuer;
}

/** A tiny valid PNG-free photo: an SVG with the holder's initials. */
export const TEST_PHOTO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="5"><text>HS</text></svg>').toString('base64')}`;

export function testFace(overrides: Partial<CardFace> = {}): CardFace {
  return {
    myNumber: generateMyNumber(),
    name: 'Sato Hanako',
    address: '1-2-3 Kasumigaseki, Chiyoda-ku, Tokyo',
    dateOfBirth: '1988-02-29',
    gender: 'female',
    photo: TEST_PHOTO,
    ...overrides,
  };
}
