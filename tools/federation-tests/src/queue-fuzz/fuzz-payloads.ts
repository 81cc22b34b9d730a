// Property-based bad input for every queue consumer: fast-check draws a recipe
// (what to break, and how), then the recipe is made into a BullMQ job with real
// keys, so that envelopes are genuine wherever the break is not in the envelope.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Ciphertext, computeAgencyCode, ElGamalPublicKey, encryptCode, generateProcessingSerial, osRandom, parsePartyBundle, reshuffle, SecretScalar } from '@myna/codes';
import {
  AGENCIES,
  CODE_HOLDERS,
  encryptFor,
  EXCHANGE_HUB,
  JOB_NAMES,
  MYNA_PORTAL,
  LegalTable,
  MESSAGE_TYPES,
  sendersTo,
  signMessage,
  type JobName,
  type Service,
  type ServiceKeyRing,
} from '@myna/protocol';

/** The consumers and what each handles: the hub takes inquiries and answers, agencies deliveries and results, the portal records and results. */
export const CONSUMERS: readonly Service[] = [EXCHANGE_HUB, ...AGENCIES, 'myna-portal'];

export function handledJobs(party: Service, sender: Service): JobName[] {
  if (party === EXCHANGE_HUB) return sender === 'myna-portal' ? [JOB_NAMES.inquiry] : [JOB_NAMES.inquiry, JOB_NAMES.answer];
  if (party === 'myna-portal') return [JOB_NAMES.exchangeRecord, JOB_NAMES.result];
  return [JOB_NAMES.delivery, JOB_NAMES.result];
}

export interface Lane {
  party: Service;
  sender: Service;
}

export const LANES: readonly Lane[] = CONSUMERS.flatMap((party) => sendersTo(party).map((sender) => ({ party, sender })));

export const FUZZ_KINDS = ['malformed', 'wrongly-typed', 'oversized', 'truncated', 'garbage-token', 'wrong-claims', 'misaddressed', 'identity-point'] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

/** What fast-check draws: a lane, a kind of damage, and the numbers and values that shape it. */
export interface FuzzRecipe {
  kind: FuzzKind;
  lane: Lane;
  job: number;
  variant: number;
  cut: number;
  size: number;
  junk: unknown;
  text: string;
}

const NOT_A_PAYLOAD = fc.jsonValue().filter((value) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
  const keys = Object.keys(value);
  return !(keys.length === 1 && keys[0] === 'token' && typeof (value as { token: unknown }).token === 'string' && (value as { token: string }).token.length > 0);
});

export function recipeArbitrary(kinds: readonly FuzzKind[] = FUZZ_KINDS): fc.Arbitrary<FuzzRecipe> {
  return fc.record({
    kind: fc.constantFrom(...kinds),
    lane: fc.constantFrom(...LANES),
    job: fc.nat(),
    variant: fc.nat(),
    cut: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    size: fc.integer({ min: 256 * 1024 + 1, max: 300 * 1024 }),
    junk: NOT_A_PAYLOAD,
    text: fc.string({ minLength: 1, maxLength: 400 }),
  });
}

export interface FuzzJob {
  recipe: FuzzRecipe;
  id: string;
  queue: string;
  name: string;
  data: unknown;
  /** What the party must say, when the recipe decides it (otherwise any refusal with a reason). */
  expectCode?: RegExp;
}

export type KeyRings = Record<Service, ServiceKeyRing>;

const ZERO_POINT = new Uint8Array(32);
const LEGAL_TABLE = LegalTable.load();

/** A valid ciphertext of some code, made with a throwaway key: right shape, unreadable. */
function someCiphertext(): Ciphertext {
  return encryptCode(computeAgencyCode(SecretScalar.random(osRandom), generateProcessingSerial()), ElGamalPublicKey.of(SecretScalar.random(osRandom)));
}

/** A ciphertext with the ristretto identity point as one component (C1 or C2), in the protocol's text form. */
export function identityComponentCiphertext(which: 'c1' | 'c2'): string {
  const bytes = someCiphertext().toBytes();
  bytes.set(ZERO_POINT, which === 'c1' ? 0 : 32);
  return `ct1.${Buffer.from(bytes).toString('base64url')}`;
}

/** Enc(Y, identity) = (r·G, r·Y): well formed, both components proper points, but it decrypts to no code. */
export function encryptedIdentity(publicKey: ElGamalPublicKey): string {
  const r = SecretScalar.random(osRandom);
  const rG = ElGamalPublicKey.of(r).groupElement();
  const rY = reshuffle(Ciphertext.of(publicKey.groupElement(), publicKey.groupElement()), r).c2;
  return Ciphertext.of(rG, rY).toText();
}

const pick = <T>(items: readonly T[], index: number): T => items[index % items.length];

/**
 * Claims of the right shape for a job which, sent intact, are still refused, so a
 * break that happens to leave them valid changes nothing: an inquiry whose id is not
 * its message's, a delivery an agency asks of itself, an answer and a result for
 * handles and inquiries never issued, a record from a party that is no code holder.
 * `readable` makes a delivery or record that the party acts on up to its subject.
 */
function plausibleClaims(name: JobName, lane: Lane, subject = someCiphertext().toText(), readable = false): Record<string, unknown> {
  switch (name) {
    case JOB_NAMES.inquiry: {
      const provider = AGENCIES.find((agency) => agency !== lane.sender)!;
      return { inquiryId: randomUUID(), provider, rule: 'R-FUZZ', item: 'annual-income', parameters: {}, subject, recordSubject: someCiphertext().toText(), nonce: randomUUID() };
    }
    case JOB_NAMES.answer:
      return { handle: randomUUID(), outcome: 'no-record', payload: 'not-a-sealed-payload' };
    case JOB_NAMES.delivery: {
      const rule = LEGAL_TABLE.rules.find((candidate) => candidate.provider === lane.party)!;
      return readable
        ? { handle: randomUUID(), requester: rule.requester, rule: rule.id, item: rule.item, parameters: {}, subject }
        : { handle: randomUUID(), requester: lane.party, rule: rule.id, item: rule.item, parameters: {}, subject };
    }
    case JOB_NAMES.result:
      return { inquiryId: randomUUID(), status: 'denied', reason: 'fuzz' };
    default:
      return { handle: randomUUID(), subject, requester: readable ? 'tax-agency' : EXCHANGE_HUB, provider: 'pension-agency', rule: 'R-FUZZ', item: 'annual-income', procedure: 'fuzz', status: 'denied', at: new Date().toISOString() };
  }
}

const TYPES: Record<string, string> = {
  [JOB_NAMES.inquiry]: MESSAGE_TYPES.inquiry,
  [JOB_NAMES.answer]: MESSAGE_TYPES.answer,
  [JOB_NAMES.delivery]: MESSAGE_TYPES.delivery,
  [JOB_NAMES.result]: MESSAGE_TYPES.result,
  [JOB_NAMES.exchangeRecord]: MESSAGE_TYPES.exchangeRecord,
};

/** Signs as `from`, for `to`; a delivery is also encrypted for `sealedFor` (the protocol's JWE ∘ JWS). */
async function envelope(keys: KeyRings, name: JobName, from: Service, to: Service, id: string, claims: Record<string, unknown>, sealedFor: Service = to): Promise<string> {
  const signed = await signMessage(keys[from], { to, type: TYPES[name], id, ttlSeconds: 60, claims });
  return name === JOB_NAMES.delivery ? encryptFor(keys[from], sealedFor, signed) : signed;
}

/** Makes a drawn recipe into a job on the party's lane. */
export async function buildFuzzJob(recipe: FuzzRecipe, keys: KeyRings): Promise<FuzzJob> {
  const { lane } = recipe;
  const id = randomUUID();
  const queue = `${lane.party}.from.${lane.sender}`;
  const jobs = handledJobs(lane.party, lane.sender);
  const name = pick(jobs, recipe.job);
  const job = (data: unknown, extra: Partial<FuzzJob> = {}): FuzzJob => ({ recipe, id, queue, name, data, ...extra });
  const genuine = (claims: Record<string, unknown> = plausibleClaims(name, lane)) => envelope(keys, name, lane.sender, lane.party, id, claims);

  switch (recipe.kind) {
    case 'malformed':
      return job(recipe.junk, { expectCode: /^malformed-payload$/ });
    case 'wrongly-typed': {
      const tokens: unknown[] = [recipe.variant, recipe.variant % 2 === 0, null, [recipe.text], { token: recipe.text }, ''];
      const data = recipe.variant % 7 === 6 ? { token: await genuine(), [recipe.text === 'token' ? 'extra' : recipe.text]: recipe.junk ?? 0 } : { token: pick(tokens, recipe.variant) };
      return job(data, { expectCode: /^malformed-payload$/ });
    }
    case 'oversized':
      return job({ token: 'e'.repeat(recipe.size) }, { expectCode: /^malformed-payload$/ });
    case 'truncated': {
      const token = await genuine();
      const cut = Math.max(1, Math.floor(recipe.cut * token.length));
      return job({ token: token.slice(0, cut) });
    }
    case 'garbage-token':
      return job({ token: recipe.variant % 2 ? recipe.text : `${recipe.text}.${recipe.text}.${recipe.text}` });
    case 'wrong-claims': {
      const junk = typeof recipe.junk === 'object' && recipe.junk !== null && !Array.isArray(recipe.junk) ? (recipe.junk as Record<string, unknown>) : { value: recipe.junk };
      // The portal drops a well-formed result for an inquiry it does not keep (it forgets them at sign-out): on its
      // result lane the junk replaces a required claim, so that what is sent is refused rather than dropped.
      const replaceable = name === JOB_NAMES.result && lane.party === MYNA_PORTAL ? ['inquiryId', 'status'] : Object.keys(plausibleClaims(name, lane));
      const claims = Object.fromEntries(Object.entries({ ...plausibleClaims(name, lane), ...junk, [pick(replaceable, recipe.variant)]: recipe.junk }).filter(([key]) => !['iss', 'aud', 'iat', 'exp', 'jti', 'nbf', 'sub', '__proto__'].includes(key)));
      return job({ token: await genuine(claims) });
    }
    case 'misaddressed': {
      const others = CONSUMERS.filter((party) => party !== lane.party && party !== lane.sender);
      const stranger = pick(CODE_HOLDERS.filter((holder) => holder !== lane.sender && holder !== lane.party), recipe.variant);
      switch (recipe.variant % 4) {
        case 0: // signed by the lane's sender, but for another party
          return job({ token: await envelope(keys, name, lane.sender, pick(others, recipe.job), id, plausibleClaims(name, lane)) });
        case 1: // genuine, but signed by someone who may not write this lane
          return job({ token: await envelope(keys, name, stranger, lane.party, id, plausibleClaims(name, lane)) });
        case 2: // a job name no handler of this party knows
          return { recipe, id, queue, name: `${recipe.text.replace(/[^a-z-]/gi, '').slice(0, 20) || 'x'}-unknown`, data: { token: await genuine() }, expectCode: /^unknown-job$/ };
        default: // for this party's job kind, but sealed or signed for another party
          return job({ token: await envelope(keys, name, lane.sender, pick(others, recipe.variant), id, plausibleClaims(name, lane), pick(others, recipe.variant)) });
      }
    }
    case 'identity-point': {
      const component = recipe.variant % 2 === 0 ? 'c1' : 'c2';
      if (lane.party === EXCHANGE_HUB) {
        // The hub reads the inquiry's ciphertexts: an identity component must be refused there.
        const claims = { ...plausibleClaims(JOB_NAMES.inquiry, lane, identityComponentCiphertext(component)), inquiryId: id };
        return { recipe, id, queue, name: JOB_NAMES.inquiry, data: { token: await envelope(keys, JOB_NAMES.inquiry, lane.sender, lane.party, id, claims) }, expectCode: /^invalid-claims$/ };
      }
      // An agency or the portal decrypts the subject: an identity component, or a proper ciphertext of the identity under its own key for the edge.
      const subjectName = lane.party === 'myna-portal' ? JOB_NAMES.exchangeRecord : JOB_NAMES.delivery;
      const claims = plausibleClaims(subjectName, lane, undefined, true);
      const requester = claims.requester as Service;
      const bundle = parsePartyBundle(keys[lane.party].codesBundle);
      const receiving = bundle.receiving.get(requester);
      claims.subject = recipe.variant % 3 === 2 && receiving ? encryptedIdentity(receiving.publicKey) : identityComponentCiphertext(component);
      return { recipe, id, queue, name: subjectName, data: { token: await envelope(keys, subjectName, EXCHANGE_HUB, lane.party, id, claims) }, expectCode: /^invalid-subject$/ };
    }
  }
}
