// The cryptographic steps of one exchange (DESIGN §5), timed one by one with the
// real library functions on real key material, in the order the services run
// them: requester → hub → provider → hub → requester, and the portal's record.
// Keys are made and imported once, before timing, as the services do at start-up.
import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  AgencyCode,
  decryptCode,
  encryptCode,
  encryptSubjects,
  generateKeyPair,
  generateProcessingSerial,
  groupReady,
  issueAgencyCode,
  parseCiphertext,
  parseHubBundle,
  parseIssuerBundle,
  parsePartyBundle,
  receiveCode,
  transform,
  translate,
  type GroupBackendName,
  type HubBundle,
  type PartyBundle,
} from '@myna/codes';
import {
  AGENCIES,
  CODE_HOLDERS,
  decryptForMe,
  encryptFor,
  EXCHANGE_HUB,
  LegalTable,
  MESSAGE_MAX_AGE_SECONDS,
  MESSAGE_TTL_SECONDS,
  MESSAGE_TYPES,
  openMessage,
  runServiceKeyCeremony,
  sealMessage,
  ServiceKeyRing,
  SERVICES,
  signMessage,
  verifyMessage,
  type Agency,
  type Service,
  CODE_ISSUER,
  MYNA_PORTAL,
} from '@myna/protocol';

const PORTAL = MYNA_PORTAL;

export type StepParty = 'requester' | 'hub' | 'provider' | 'portal';
/** Group arithmetic (ristretto255 ElGamal, @myna/codes) or JOSE (jose: EdDSA JWS, A256KW JWE under edge keys). */
export type StepKind = 'group' | 'jose';

export interface StepDefinition {
  party: StepParty;
  name: string;
  kind: StepKind;
  /** The library call, as the service makes it. */
  call: string;
}

/** Every cryptographic step of one permitted, answered exchange, in order. */
export const EXCHANGE_STEPS: readonly StepDefinition[] = [
  { party: 'requester', name: 'encrypt own code for the edge and the record', kind: 'group', call: 'encryptSubjects(own bundle, code, [provider, portal])' },
  { party: 'requester', name: 'sign inquiry', kind: 'jose', call: 'signMessage' },
  { party: 'hub', name: 'verify inquiry', kind: 'jose', call: 'verifyMessage' },
  { party: 'hub', name: 'translate requester→provider', kind: 'group', call: 'translate(parseCiphertext(subject))' },
  { party: 'hub', name: 'sign delivery', kind: 'jose', call: 'signMessage' },
  { party: 'hub', name: 'encrypt delivery (opaque token)', kind: 'jose', call: 'encryptFor' },
  { party: 'provider', name: 'decrypt delivery', kind: 'jose', call: 'decryptForMe' },
  { party: 'provider', name: 'verify delivery', kind: 'jose', call: 'verifyMessage' },
  { party: 'provider', name: 'decrypt and close own code', kind: 'group', call: 'receiveCode(parseCiphertext(subject))' },
  { party: 'provider', name: 'seal payload to requester', kind: 'jose', call: 'sealMessage' },
  { party: 'provider', name: 'sign answer', kind: 'jose', call: 'signMessage' },
  { party: 'hub', name: 'verify answer', kind: 'jose', call: 'verifyMessage' },
  { party: 'hub', name: 'sign result', kind: 'jose', call: 'signMessage' },
  { party: 'hub', name: 'translate requester→portal', kind: 'group', call: 'translate(parseCiphertext(recordSubject))' },
  { party: 'hub', name: 'sign exchange record', kind: 'jose', call: 'signMessage' },
  { party: 'requester', name: 'verify result', kind: 'jose', call: 'verifyMessage' },
  { party: 'requester', name: 'open payload', kind: 'jose', call: 'openMessage' },
  { party: 'portal', name: 'verify exchange record', kind: 'jose', call: 'verifyMessage' },
  { party: 'portal', name: 'decrypt and close portal code', kind: 'group', call: 'receiveCode(parseCiphertext(subject))' },
];

interface Person {
  /** The requester's code as it keeps it (text), and the codes the others must end up with. */
  requesterCode: string;
  providerCode: string;
  portalCode: string;
}

export interface CryptoFixture {
  requester: Agency;
  provider: Agency;
  rule: string;
  item: string;
  rings: ReadonlyMap<Service, ServiceKeyRing>;
  requesterCodes: PartyBundle;
  providerCodes: PartyBundle;
  portalCodes: PartyBundle;
  hubCodes: HubBundle;
  people: readonly Person[];
}

/**
 * Runs the key ceremony with a fixed seed, imports every service's key ring once
 * and computes a few people's codes directly at the issuer (to check that each
 * code the chain decrypts is the right one).
 */
export async function buildCryptoFixture(exchange: { requester: Agency; provider: Agency; rule: string; item: string }, peopleCount = 16): Promise<CryptoFixture> {
  const files = runServiceKeyCeremony(LegalTable.load(), 'bench').services;
  const rings = new Map<Service, ServiceKeyRing>();
  for (const service of SERVICES) rings.set(service, await ServiceKeyRing.fromFile(files.get(service)!));
  const issuer = parseIssuerBundle(files.get(CODE_ISSUER)!.codes);
  const people = Array.from({ length: peopleCount }, () => {
    const serial = generateProcessingSerial();
    return {
      requesterCode: issueAgencyCode(issuer, exchange.requester, serial).toText(),
      providerCode: issueAgencyCode(issuer, exchange.provider, serial).toText(),
      portalCode: issueAgencyCode(issuer, PORTAL, serial).toText(),
    };
  });
  return {
    ...exchange,
    rings,
    requesterCodes: parsePartyBundle(files.get(exchange.requester)!.codes),
    providerCodes: parsePartyBundle(files.get(exchange.provider)!.codes),
    portalCodes: parsePartyBundle(files.get(PORTAL)!.codes),
    hubCodes: parseHubBundle(files.get(EXCHANGE_HUB)!.codes),
    people,
  };
}

export interface StepTiming extends StepDefinition {
  /** Mean wall-clock milliseconds per exchange. */
  msPerOp: number;
  /**
   * Mean CPU milliseconds of this process per exchange (user + system): what the
   * step costs even when other processes compete for the cores, which wall-clock
   * time does not show.
   */
  cpuMsPerOp: number;
  ops: number;
}

export interface CryptoRun {
  iterations: number;
  /** The ristretto255 backend that did the group arithmetic (MYNA_GROUP_BACKEND). */
  groupBackend: GroupBackendName;
  steps: StepTiming[];
  /** Sum of the steps' wall-clock means: the crypto cost of one exchange. */
  totalMs: number;
  /** Sum of the steps' CPU means. */
  totalCpuMs: number;
  /** What each check confirmed, once per iteration (warm-up included). */
  checks: { providerCodeMatches: number; portalCodeMatches: number; payloadRoundTrips: number; subjectsCarried: number };
}

/** A step's result did not match the direct computation: the chain is wrong, and its timing would mean nothing. */
export class CryptoCheckError extends Error {
  override readonly name = 'CryptoCheckError';
}

/**
 * Runs `warmup` untimed then `iterations` timed exchanges' worth of steps, one
 * exchange after another (each step takes the previous one's output), timing
 * each step with the monotonic clock.
 */
export async function runCryptoSteps(fixture: CryptoFixture, options: { iterations: number; warmup?: number }): Promise<CryptoRun> {
  const groupBackend = await groupReady();
  const warmup = options.warmup ?? Math.min(50, options.iterations);
  const timers: Timers = { wallNs: new Float64Array(EXCHANGE_STEPS.length), cpuUs: new Float64Array(EXCHANGE_STEPS.length) };
  const checks = { providerCodeMatches: 0, portalCodeMatches: 0, payloadRoundTrips: 0, subjectsCarried: 0 };
  for (let i = 0; i < warmup + options.iterations; i++) {
    await oneExchange(fixture, fixture.people[i % fixture.people.length], i < warmup ? undefined : timers, checks);
  }
  const steps = EXCHANGE_STEPS.map((step, index) => ({
    ...step,
    msPerOp: timers.wallNs[index] / 1e6 / options.iterations,
    cpuMsPerOp: timers.cpuUs[index] / 1e3 / options.iterations,
    ops: options.iterations,
  }));
  return {
    iterations: options.iterations,
    groupBackend,
    steps,
    totalMs: steps.reduce((sum, step) => sum + step.msPerOp, 0),
    totalCpuMs: steps.reduce((sum, step) => sum + step.cpuMsPerOp, 0),
    checks,
  };
}

interface Timers {
  wallNs: Float64Array;
  cpuUs: Float64Array;
}

async function oneExchange(fixture: CryptoFixture, person: Person, timers: Timers | undefined, checks: CryptoRun['checks']): Promise<void> {
  const { requester, provider } = fixture;
  const ring = (service: Service) => fixture.rings.get(service)!;
  let index = 0;
  // Times one step; steps run strictly in EXCHANGE_STEPS order.
  const step = async <T>(run: () => T | Promise<T>): Promise<T> => {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const result = await run();
    if (timers) {
      timers.wallNs[index] += Number(process.hrtime.bigint() - start);
      const used = process.cpuUsage(cpu);
      timers.cpuUs[index] += used.user + used.system;
    }
    index++;
    return result;
  };

  // Requester: DESIGN §5 step 2 (libs/agency InquiryService.start).
  const inquiryId = randomUUID();
  const [subject, recordSubject] = await step(() =>
    encryptSubjects(fixture.requesterCodes, AgencyCode.parse(person.requesterCode), [provider, PORTAL]).map((ciphertext) => ciphertext.toText()),
  );
  const inquiryClaims = { inquiryId, provider, rule: fixture.rule, item: fixture.item, parameters: {}, subject, recordSubject, nonce: randomBytes(16).toString('base64url') };
  const inquiry = await step(() =>
    signMessage(ring(requester), { to: EXCHANGE_HUB, type: MESSAGE_TYPES.inquiry, id: inquiryId, ttlSeconds: MESSAGE_TTL_SECONDS, claims: inquiryClaims }),
  );

  // Hub: step 3 (apps/exchange-hub InquiryHandler, BlindTranslator, HubMessages.delivery).
  const hub = ring(EXCHANGE_HUB);
  const received = await step(() => verifyMessage<typeof inquiryClaims>(hub, inquiry, { type: MESSAGE_TYPES.inquiry, from: CODE_HOLDERS, maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }));
  const providerSubject = await step(() => translate(fixture.hubCodes, requester, provider, parseCiphertext(received.claims.subject)).toText());
  const handle = randomUUID();
  const deliveryClaims = { handle, requester, rule: fixture.rule, item: fixture.item, parameters: {}, subject: providerSubject };
  const signedDelivery = await step(() =>
    signMessage(hub, { to: provider, type: MESSAGE_TYPES.delivery, claims: deliveryClaims, ttlSeconds: MESSAGE_TTL_SECONDS, id: randomUUID() }),
  );
  const delivery = await step(() => encryptFor(hub, provider, signedDelivery));

  // Provider: step 4 (libs/agency DeliveryHandler).
  const providerRing = ring(provider);
  const opened = await step(() => decryptForMe(providerRing, delivery));
  const delivered = await step(() => verifyMessage<typeof deliveryClaims>(providerRing, opened, { type: MESSAGE_TYPES.delivery, from: [EXCHANGE_HUB], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }));
  const providerCode = await step(() => receiveCode(fixture.providerCodes, requester, parseCiphertext(delivered.claims.subject)).toText());
  if (providerCode !== person.providerCode) throw new CryptoCheckError(`the provider decrypted a code other than the person's ${provider} code`);
  checks.providerCodeMatches++;
  const value = { fiscalYear: 2025, incomeYen: 4_200_000 };
  const payload = await step(() =>
    sealMessage(providerRing, { to: requester, type: MESSAGE_TYPES.answerPayload, ttlSeconds: MESSAGE_TTL_SECONDS, claims: { item: fixture.item, outcome: 'answered', value } }),
  );
  const answer = await step(() =>
    signMessage(providerRing, {
      to: EXCHANGE_HUB,
      type: MESSAGE_TYPES.answer,
      id: randomUUID(),
      ttlSeconds: MESSAGE_TTL_SECONDS,
      claims: { handle: delivered.claims.handle, outcome: 'answered', payload },
    }),
  );

  // Hub: steps 5–6 (AnswerHandler, HubMessages.result / exchangeRecord, BlindTranslator.forPortal).
  const verifiedAnswer = await step(() => verifyMessage<{ payload: string }>(hub, answer, { type: MESSAGE_TYPES.answer, from: AGENCIES, maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }));
  const result = await step(() =>
    signMessage(hub, {
      to: requester,
      type: MESSAGE_TYPES.result,
      claims: { inquiryId, status: 'answered', payload: verifiedAnswer.claims.payload },
      ttlSeconds: MESSAGE_TTL_SECONDS,
      id: randomUUID(),
    }),
  );
  const portalSubject = await step(() => translate(fixture.hubCodes, requester, PORTAL, parseCiphertext(received.claims.recordSubject)).toText());
  const record = await step(() =>
    signMessage(hub, {
      to: PORTAL,
      type: MESSAGE_TYPES.exchangeRecord,
      claims: { handle: randomUUID(), subject: portalSubject, requester, provider, rule: fixture.rule, item: fixture.item, procedure: 'bench', status: 'permitted', at: new Date().toISOString() },
      ttlSeconds: MESSAGE_TTL_SECONDS,
      id: randomUUID(),
    }),
  );

  // Requester: step 5 (libs/messaging RequesterResultHandler, openResult).
  const requesterRing = ring(requester);
  const verifiedResult = await step(() =>
    verifyMessage<{ payload: string }>(requesterRing, result, { type: MESSAGE_TYPES.result, from: [EXCHANGE_HUB], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }),
  );
  const openedPayload = await step(() =>
    openMessage<{ value: unknown }>(requesterRing, verifiedResult.claims.payload, { type: MESSAGE_TYPES.answerPayload, from: [provider], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }),
  );
  if (!isDeepStrictEqual(openedPayload.claims.value, value)) throw new CryptoCheckError('the requester opened a payload other than the one the provider sealed');
  checks.payloadRoundTrips++;

  // Portal: step 6 (apps/myna-portal ExchangeRecordHandler).
  const portalRing = ring(PORTAL);
  const verifiedRecord = await step(() =>
    verifyMessage<{ subject: string }>(portalRing, record, { type: MESSAGE_TYPES.exchangeRecord, from: [EXCHANGE_HUB], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }),
  );
  const portalCode = await step(() => receiveCode(fixture.portalCodes, requester, parseCiphertext(verifiedRecord.claims.subject)).toText());
  if (portalCode !== person.portalCode) throw new CryptoCheckError("the portal decrypted a code other than the person's portal code");
  checks.portalCodeMatches++;
  if (delivered.claims.subject === providerSubject && verifiedRecord.claims.subject === portalSubject) checks.subjectsCarried++;

  if (index !== EXCHANGE_STEPS.length) throw new Error(`ran ${index} steps, EXCHANGE_STEPS lists ${EXCHANGE_STEPS.length}`);
}

/** The group arithmetic of one exchange under each scheme, in CPU ms: timed in the same run, on the same codes. */
export interface SchemeComparison {
  iterations: number;
  /** One ElGamal key per party (before issue 13): 1 encryption, 2 translations, 2 decryptions. */
  onePartyKeyCpuMs: number;
  /** Edge keys and closing scalars: an encryption for two edges, 2 translations, 2 decryptions that close. */
  edgeKeysCpuMs: number;
}

/**
 * Prices what edge keys and closing scalars add to an exchange, against the scheme
 * they replaced, rebuilt here from the same primitives (one key pair per party and
 * factors x_B/x_A: the hub's arithmetic is the same four multiplications).
 */
export function compareSchemes(fixture: CryptoFixture, iterations: number): SchemeComparison {
  const { requester, provider } = fixture;
  const parties = { requester: generateKeyPair(), provider: generateKeyPair(), portal: generateKeyPair() };
  const toProvider = { ...fixture.hubCodes.edges.get(`${requester}>${provider}`)!, receivingKey: parties.provider.publicKey };
  const toPortal = { ...fixture.hubCodes.edges.get(`${requester}>${PORTAL}`)!, receivingKey: parties.portal.publicKey };
  const cpuMs = (run: (person: Person) => void): number => {
    for (let i = 0; i < Math.min(20, iterations); i++) run(fixture.people[i % fixture.people.length]);
    const start = process.cpuUsage();
    for (let i = 0; i < iterations; i++) run(fixture.people[i % fixture.people.length]);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000 / iterations;
  };
  return {
    iterations,
    onePartyKeyCpuMs: cpuMs((person) => {
      const subject = encryptCode(AgencyCode.parse(person.requesterCode), parties.requester.publicKey);
      decryptCode(transform(subject, toProvider), parties.provider.secretKey);
      decryptCode(transform(subject, toPortal), parties.portal.secretKey);
    }),
    edgeKeysCpuMs: cpuMs((person) => {
      const [subject, recordSubject] = encryptSubjects(fixture.requesterCodes, AgencyCode.parse(person.requesterCode), [provider, PORTAL]);
      receiveCode(fixture.providerCodes, requester, translate(fixture.hubCodes, requester, provider, subject));
      receiveCode(fixture.portalCodes, requester, translate(fixture.hubCodes, requester, PORTAL, recordSubject));
    }),
  };
}

export interface CryptoBreakdown {
  byKind: Record<StepKind, number>;
  byParty: Record<StepParty, number>;
}

/** Totals by kind and by party, of wall-clock ('wall') or CPU ('cpu') milliseconds. */
export function breakdown(run: CryptoRun, clock: 'wall' | 'cpu' = 'wall'): CryptoBreakdown {
  const byKind: Record<StepKind, number> = { group: 0, jose: 0 };
  const byParty: Record<StepParty, number> = { requester: 0, hub: 0, provider: 0, portal: 0 };
  for (const step of run.steps) {
    const ms = clock === 'wall' ? step.msPerOp : step.cpuMsPerOp;
    byKind[step.kind] += ms;
    byParty[step.party] += ms;
  }
  return { byKind, byParty };
}
