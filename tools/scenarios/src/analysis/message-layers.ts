import { compactVerify } from 'jose';
import { decryptCode, openSelfAddressed, parseCiphertext, parsePartyBundle, receiveCode, type AgencyCode, type Ciphertext, type PartyBundle } from '@myna/codes';
import { decryptForMe, EnvelopeError, SERVICES, type Service, type ServiceKeyRing } from '@myna/protocol';
import type { CodeCiphertextLayer, DecodedClaim, DecodedLayer, JweLayer, JwsLayer, KeyAttempt } from '../runner/trace-format';
import { shown, shownJson } from './shown';

/**
 * A message taken apart layer by layer, as each party would take it apart with
 * its own keys: the runner tries every key file it holds, through the same
 * functions the services use (decryptForMe, decryptCode), and records what each
 * key opened and why the others did not.
 */

/** The keys of one party whose key file the runner holds. */
export interface HeldKeys {
  service: Service;
  ring: ServiceKeyRing;
  /** Its ElGamal key for codes, when it is a code holder (agencies and the portal). */
  codeKey?: PartyBundle;
}

export function heldKeys(ring: ServiceKeyRing): HeldKeys {
  let codeKey: PartyBundle | undefined;
  try {
    codeKey = parsePartyBundle(ring.codesBundle);
  } catch {
    codeKey = undefined; // the hub and the issuer hold other bundles: no key that decrypts a code
  }
  return { service: ring.service, ring, codeKey };
}

/** A code ciphertext decrypted with each code holder's key: which result is a code that party holds is decided afterwards. */
export interface PendingCode {
  layer: CodeCiphertextLayer;
  candidates: { party: Service; code: string }[];
}

const JWE_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const CODE_CIPHERTEXT = /^ct1\.[A-Za-z0-9_-]{86}$/;
const MAX_DEPTH = 6;

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Header values as the report shows them: strings shortened, objects (a JWE's ephemeral key) with their strings shortened. */
function headerOf(json: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(json).map(([name, value]) => [name, typeof value === 'string' ? shown(value) : shownJson(value)]));
}

function describeFailure(error: unknown): string {
  if (error instanceof EnvelopeError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export class MessageDecoder {
  readonly pending: PendingCode[] = [];

  constructor(private readonly keys: readonly HeldKeys[]) {}

  get keysHeld(): Service[] {
    return this.keys.map((held) => held.service);
  }

  /** Decodes a token as it sat on a queue. Code ciphertexts stay pending until `resolveCodes`. */
  async decode(token: string, depth = 0): Promise<DecodedLayer> {
    if (depth < MAX_DEPTH && JWE_SHAPE.test(token)) {
      const header = decodeJson(token.split('.')[0]);
      if (header) return this.decodeJwe(token, header, depth);
    }
    if (depth < MAX_DEPTH && JWS_SHAPE.test(token)) {
      const [headerPart, payloadPart] = token.split('.');
      const header = decodeJson(headerPart);
      const payload = decodeJson(payloadPart);
      if (header && payload) return this.decodeJws(token, header, payload, depth);
    }
    if (CODE_CIPHERTEXT.test(token)) return this.decodeCodeCiphertext(token);
    return { kind: 'opaque', value: shown(token) };
  }

  /** Which party's key, if any, opened each code ciphertext: the one whose result is a code that party holds. */
  async resolveCodes(holdsCodes: (party: Service, codes: string[]) => Promise<ReadonlySet<string>>): Promise<void> {
    const byParty = new Map<Service, Set<string>>();
    for (const pending of this.pending) {
      for (const { party, code } of pending.candidates) byParty.set(party, (byParty.get(party) ?? new Set()).add(code));
    }
    const held = new Map<Service, ReadonlySet<string>>();
    for (const [party, codes] of byParty) held.set(party, await holdsCodes(party, [...codes]));
    for (const { layer, candidates } of this.pending) {
      // A party holds several code keys (one per edge it sends or receives on): it opened the ciphertext if one of them gave a code it holds.
      for (const party of new Set(candidates.map((candidate) => candidate.party))) {
        const code = candidates.find((candidate) => candidate.party === party && (held.get(party)?.has(candidate.code) ?? false))?.code;
        layer.attempts.push(code ? { party, opened: true } : { party, opened: false, reason: 'decrypting with its keys gives no code it holds' });
        if (code) layer.code = shown(code);
      }
    }
    this.pending.length = 0;
  }

  private async decodeJws(token: string, header: Record<string, unknown>, payload: Record<string, unknown>, depth: number): Promise<JwsLayer> {
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const verifier = this.keys.length > 0 ? this.keys[0].ring.verifierFor(kid) : undefined;
    let signature: JwsLayer['signature'];
    if (header.alg === 'none') signature = 'none';
    else if (this.keys.length === 0) signature = 'not-checked';
    else if (!verifier) signature = 'unknown-key';
    else signature = await compactVerify(token, verifier.key, { algorithms: ['EdDSA'] }).then(
      () => 'valid' as const,
      () => 'invalid' as const,
    );
    const claims: DecodedClaim[] = [];
    for (const [name, value] of Object.entries(payload)) {
      if (typeof value === 'string' && (JWE_SHAPE.test(value) || JWS_SHAPE.test(value) || CODE_CIPHERTEXT.test(value))) {
        const layer = await this.decode(value, depth + 1);
        claims.push(layer.kind === 'opaque' ? { name, value: shown(value) } : { name, layer });
      } else {
        claims.push({ name, value: typeof value === 'string' ? shown(value) : shownJson(value) });
      }
    }
    return { kind: 'jws', header: headerOf(header), ...(verifier ? { signer: verifier.service } : {}), signature, claims };
  }

  private async decodeJwe(token: string, header: Record<string, unknown>, depth: number): Promise<JweLayer> {
    const ciphertext = token.split('.')[3];
    const recipient = this.keys.length > 0 ? SERVICES.find((service) => this.keys[0].ring.recipient(service).kid === header.kid) : undefined;
    const attempts: KeyAttempt[] = [];
    let inner: DecodedLayer | undefined;
    for (const held of this.keys) {
      try {
        const plaintext = await decryptForMe(held.ring, token);
        attempts.push({ party: held.service, opened: true });
        inner ??= await this.decode(plaintext, depth + 1);
      } catch (error) {
        attempts.push({ party: held.service, opened: false, reason: describeFailure(error) });
      }
    }
    return {
      kind: 'jwe',
      header: headerOf(header),
      ...(recipient ? { recipient } : {}),
      ciphertext: shown(ciphertext),
      ciphertextLength: ciphertext.length,
      attempts,
      ...(inner ? { inner } : {}),
    };
  }

  private decodeCodeCiphertext(text: string): CodeCiphertextLayer {
    const layer: CodeCiphertextLayer = { kind: 'code-ciphertext', ciphertext: shown(text), attempts: [] };
    const candidates: PendingCode['candidates'] = [];
    const ciphertext = parseCiphertext(text);
    for (const held of this.keys) {
      if (!held.codeKey) continue;
      try {
        candidates.push(...codeCandidates(held.codeKey, ciphertext).map((code) => ({ party: held.service, code: code.toText() })));
      } catch (error) {
        layer.attempts.push({ party: held.service, opened: false, reason: describeFailure(error) });
      }
    }
    this.pending.push({ layer, candidates });
    return layer;
  }
}

/**
 * What each of a party's code keys makes of a ciphertext: its own code under a
 * sending key (what it sent), the closed code under a receiving key (what it
 * received along that edge), and under its self key. Only a right key gives a code
 * the party holds.
 */
function codeCandidates(bundle: PartyBundle, ciphertext: Ciphertext): AgencyCode[] {
  return [
    ...[...bundle.sending.values()].map((key) => decryptCode(ciphertext, key.secretKey)),
    ...[...bundle.receiving.keys()].map((from) => receiveCode(bundle, from, ciphertext)),
    ...(bundle.selfKey ? [openSelfAddressed(bundle, ciphertext)] : []),
  ];
}
