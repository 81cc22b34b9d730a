import { z } from 'zod';
import { AUTHENTICATION_CONTEXT } from '@myna/card';
import { FederationError } from '@myna/protocol';

/** What a relying party asks the reader to have a card sign, as it arrives in the sign-in link. */
export interface SignInRequest {
  relyingParty: string;
  challengeId: string;
  toBeSigned: string;
  /** Where the signed answer goes back to: an origin the reader knows for this relying party. */
  returnTo: string;
}

const requestSchema = z.strictObject({
  rp: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
  challenge: z.uuid(),
  toBeSigned: z.string().regex(/^[A-Za-z0-9_-]{1,512}$/),
  return: z.string().max(2048),
});

/**
 * Checks a sign-in request before any card is shown: a relying party the reader
 * knows, an answer address at that party's own origin, and bytes to sign that
 * are an authentication message naming that very party. So a page elsewhere can
 * neither use the reader to sign something else nor have the answer sent to it.
 */
export function parseSignInRequest(input: Record<string, unknown>, relyingParties: ReadonlyMap<string, string>): SignInRequest {
  const parsed = requestSchema.safeParse(input);
  if (!parsed.success) throw new FederationError('invalid-sign-in-request', 'this sign-in link is not one the card reader can follow', 400);
  const { rp, challenge, toBeSigned } = parsed.data;
  const origin = relyingParties.get(rp);
  let returnTo: URL;
  try {
    returnTo = new URL(parsed.data.return);
  } catch {
    throw new FederationError('invalid-sign-in-request', 'the sign-in link has no valid address to return to', 400);
  }
  if (!origin || returnTo.origin !== origin || returnTo.hash !== '') {
    throw new FederationError('unknown-relying-party', `the card reader signs in only to the services it knows, at their own address`, 400);
  }
  const [context, named, nonce, ...rest] = Buffer.from(toBeSigned, 'base64url').toString('utf8').split('\n');
  if (context !== AUTHENTICATION_CONTEXT || named !== rp || !/^[A-Za-z0-9_-]{16,128}$/.test(nonce ?? '') || rest.length > 0) {
    throw new FederationError('invalid-sign-in-request', 'what the card is asked to sign is not a sign-in to this service', 400);
  }
  return { relyingParty: rp, challengeId: challenge, toBeSigned, returnTo: returnTo.toString() };
}
