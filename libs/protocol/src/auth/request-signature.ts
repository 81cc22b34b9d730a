import { createHash, randomBytes, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { httpbis } from 'http-message-signatures';
import type { ServiceKeyRing } from '../keys/key-ring';
import type { Service } from '../parties';

/**
 * A service calling another over HTTP signs the request (RFC 9421 HTTP Message
 * Signatures, Ed25519) with its own signing key: method, path, query and the
 * body's digest (RFC 9530 Content-Digest), with a creation time, a 60-second
 * expiry, a nonce, and a tag naming the service it is meant for. The callee
 * checks the signature against the directory, and so knows which service asks.
 */
export const REQUEST_SIGNATURE_LABEL = 'myna';
export const REQUEST_SIGNATURE_TTL_SECONDS = 60;
/** How far a caller's clock may run ahead of the callee's. */
export const REQUEST_SIGNATURE_SKEW_SECONDS = 5;
const ALGORITHM = 'ed25519';

export function requestSignatureTag(audience: Service): string {
  return `myna-request:${audience}`;
}

/** `sha-256=:<base64>:` of a body (RFC 9530). */
export function contentDigest(body: Buffer | string): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

export interface SignedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Adds Content-Digest, Signature-Input and Signature headers to a request this service makes to `audience`. */
export async function signServiceRequest(ring: ServiceKeyRing, audience: Service, request: SignedRequest): Promise<Record<string, string>> {
  const headers: Record<string, string> = { ...request.headers };
  const fields = ['@method', '@path', '@query'];
  if (request.body !== undefined) {
    headers['content-digest'] = contentDigest(request.body);
    fields.push('content-digest');
  }
  const created = new Date(Math.floor(Date.now() / 1000) * 1000);
  const signed = await httpbis.signMessage(
    {
      key: { id: ring.signingKid, alg: ALGORITHM, sign: async (data) => edSign(null, data, ring.signingKey as KeyObject) },
      name: REQUEST_SIGNATURE_LABEL,
      fields,
      params: ['created', 'expires', 'nonce', 'keyid', 'alg', 'tag'],
      paramValues: {
        created,
        expires: new Date(created.getTime() + REQUEST_SIGNATURE_TTL_SECONDS * 1000),
        nonce: randomBytes(16).toString('base64url'),
        tag: requestSignatureTag(audience),
      },
    },
    { method: request.method, url: request.url, headers },
  );
  // Header names in lower case, as every HTTP stack hands them to a server.
  return Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
}

export interface VerifiedServiceRequest {
  service: Service;
  keyId: string;
  nonce: string;
  /** Seconds since the epoch after which the signature is void. */
  expires: number;
}

export class RequestSignatureError extends Error {}

/**
 * Checks a request's signature as `audience`: exactly one signature, labelled
 * `myna`, by a key in the directory, Ed25519 only, over method, path, query and
 * (when there is a body) a Content-Digest that matches the body, created within
 * the last 60 seconds and meant for this service. Replays are the caller's to
 * refuse (by key id and nonce, until `expires`).
 */
export async function verifyServiceRequest(
  ring: ServiceKeyRing,
  audience: Service,
  request: { method: string; url: string; headers: Record<string, string | string[] | undefined>; rawBody?: Buffer },
): Promise<VerifiedServiceRequest> {
  const headers = Object.fromEntries(Object.entries(request.headers).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
  const input = String(headers['signature-input'] ?? '');
  if (!new RegExp(`^${REQUEST_SIGNATURE_LABEL}=\\(`).test(input) || /,\s*[A-Za-z*][\w*.-]*=\(/.test(input)) {
    throw new RequestSignatureError(`expected exactly one signature labelled ${REQUEST_SIGNATURE_LABEL}`);
  }
  const hasBody = request.rawBody !== undefined && request.rawBody.length > 0;
  if (hasBody && headers['content-digest'] !== contentDigest(request.rawBody!)) {
    throw new RequestSignatureError('Content-Digest is missing or does not match the body');
  }
  let signer: { service: Service; keyId: string; nonce: string; expires: number } | undefined;
  let refusal = 'the signature is not acceptable';
  const verified = await httpbis
    .verifyMessage(
      {
        requiredParams: ['created', 'expires', 'nonce', 'keyid', 'alg', 'tag'],
        requiredFields: ['@method', '@path', '@query', ...(hasBody ? ['content-digest'] : [])],
        maxAge: REQUEST_SIGNATURE_TTL_SECONDS,
        notAfter: Math.floor(Date.now() / 1000) + REQUEST_SIGNATURE_SKEW_SECONDS,
        keyLookup: async (params) => {
          const owner = ring.verifierFor(typeof params.keyid === 'string' ? params.keyid : undefined);
          if (!owner) {
            refusal = 'the key id is not in the directory';
            return null;
          }
          if (params.tag !== requestSignatureTag(audience)) {
            refusal = `the signature is not meant for ${audience}`;
            return null;
          }
          const created = params.created instanceof Date ? params.created.getTime() / 1000 : Number.NaN;
          const expires = Number(params.expires);
          if (!(expires > created) || expires - created > REQUEST_SIGNATURE_TTL_SECONDS) {
            refusal = `the signature must expire within ${REQUEST_SIGNATURE_TTL_SECONDS} seconds of its creation`;
            return null;
          }
          signer = { service: owner.service, keyId: owner.kid, nonce: String(params.nonce ?? ''), expires };
          return { id: owner.kid, algs: [ALGORITHM], verify: async (data, signature) => edVerify(null, data, owner.key as KeyObject, signature) };
        },
      },
      { method: request.method, url: request.url, headers },
    )
    .catch((error: unknown) => {
      throw new RequestSignatureError(error instanceof Error ? `the signature is not acceptable: ${error.message}` : refusal);
    });
  if (verified !== true || !signer) throw new RequestSignatureError(refusal);
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(signer.nonce)) throw new RequestSignatureError('the nonce must be 16 to 64 base64url characters');
  return signer;
}
