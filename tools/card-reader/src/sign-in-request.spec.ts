import { authenticationMessage } from '@myna/card';
import { parseSignInRequest } from './sign-in-request';

const PARTIES = new Map([['myna-portal', 'http://localhost:4005']]);
const toBeSigned = (rp = 'myna-portal', nonce = 'n'.repeat(43)) => Buffer.from(authenticationMessage(rp, nonce)).toString('base64url');
const request = (overrides: Record<string, unknown> = {}) => ({
  rp: 'myna-portal',
  challenge: '5f0c0d1e-2a3b-4c5d-8e6f-7a8b9c0d1e2f',
  toBeSigned: toBeSigned(),
  return: 'http://localhost:4005/login/card',
  ...overrides,
});

describe('a sign-in request at the card reader', () => {
  it('is followed for a known relying party, answering at its own origin, asking for a sign-in to itself', () => {
    expect(parseSignInRequest(request(), PARTIES)).toEqual({ relyingParty: 'myna-portal', challengeId: request().challenge, toBeSigned: toBeSigned(), returnTo: 'http://localhost:4005/login/card' });
  });

  it.each([
    ['an unknown relying party', { rp: 'evil-site' }, 'unknown-relying-party'],
    ['an answer sent elsewhere', { return: 'http://localhost:9999/collect' }, 'unknown-relying-party'],
    ['an answer address with a fragment', { return: 'http://localhost:4005/login/card#x' }, 'unknown-relying-party'],
    ['bytes naming another relying party', { toBeSigned: toBeSigned('evil-site') }, 'invalid-sign-in-request'],
    ['bytes that are not a sign-in', { toBeSigned: Buffer.from('transfer 1,000,000 yen').toString('base64url') }, 'invalid-sign-in-request'],
    ['a challenge that is not an id', { challenge: '1' }, 'invalid-sign-in-request'],
    ['an extra field', { pin: '1234' }, 'invalid-sign-in-request'],
  ])('is refused for %s', (_what, overrides, code) => {
    expect(() => parseSignInRequest(request(overrides), PARTIES)).toThrow(expect.objectContaining({ code, status: 400 }));
  });
});
