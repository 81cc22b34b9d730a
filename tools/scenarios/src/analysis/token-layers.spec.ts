import { CompactEncrypt, compactDecrypt, generateKeyPair, SignJWT } from 'jose';
import { codeForms, findSecrets, readableParts } from './token-layers';

const MY_NUMBER = '123456789018';
const CODE = 'ac1.HrB8rnm_kNccl7K-G9uTadhMF8H5Zu2QyrdMewTOikE';

async function jws(claims: Record<string, unknown>): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'test+jwt' }).sign(privateKey);
}

describe('searching messages the way an eavesdropper would', () => {
  const secrets = [{ form: MY_NUMBER, label: 'a My Number' }, ...codeForms(CODE, 'a code')];

  it('finds a secret in plain text, inside a JWS payload, and inside a JWS nested in a JWS', async () => {
    expect(await findSecrets(`note: ${MY_NUMBER}`, secrets)).toEqual(['a My Number']);
    expect(await findSecrets(JSON.stringify({ token: await jws({ subject: CODE }) }), secrets)).toEqual(['a code']);
    const inner = await jws({ myNumber: MY_NUMBER });
    expect(await findSecrets(await jws({ answer: inner }), secrets)).toEqual(['a My Number']);
  });

  it('finds a code without its prefix, in standard base64 and in hex', async () => {
    const bytes = Buffer.from(CODE.slice(4), 'base64url');
    expect(await findSecrets(`x${bytes.toString('base64')}x`, secrets)).toEqual(['a code']);
    expect(await findSecrets(await jws({ hex: bytes.toString('hex') }), secrets)).toEqual(['a code']);
  });

  it('cannot see inside a JWE without the key, and can with an opener', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'X25519' });
    const jwe = await new CompactEncrypt(new TextEncoder().encode(await jws({ myNumber: MY_NUMBER })))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'tax-agency:enc:x' })
      .encrypt(publicKey);
    expect(await findSecrets(jwe, secrets)).toEqual([]);
    const open = async (token: string) => new TextDecoder().decode((await compactDecrypt(token, privateKey)).plaintext);
    expect(await findSecrets(jwe, secrets, open)).toEqual(['a My Number']);
    expect(readableParts(jwe)).toEqual({ kind: 'JWE', header: expect.objectContaining({ kid: 'tax-agency:enc:x', enc: 'A256GCM' }) });
  });

  it('lists what a JWS shows to anyone: its header and claim names', async () => {
    expect(readableParts(await jws({ rule: 'R-PEN-TAX-INCOME', subject: 'ct1.x' }))).toEqual({
      kind: 'JWS',
      header: { alg: 'EdDSA', typ: 'test+jwt' },
      claims: ['rule', 'subject'],
    });
  });
});
