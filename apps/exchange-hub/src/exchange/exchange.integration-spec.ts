import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Queue, type Job, type JobType } from 'bullmq';
import { generateKeyPair, SignJWT, type KeyLike } from 'jose';
import request from 'supertest';
import {
  encryptSubjects,
  generateProcessingSerial,
  issueAgencyCode,
  openSelfAddressed,
  parseCiphertext,
  parseIssuerBundle,
  parsePartyBundle,
  receiveCode,
  type AgencyCode,
  type IssuerBundle,
  type PartyBundle,
  type ProcessingSerial,
} from '@myna/codes';
import { bullConnection, DELIVERY_OPTIONS, MessageSender } from '@myna/messaging';
import {
  ANSWER_DEADLINE_SECONDS,
  CLOCK_SKEW_SECONDS,
  CODE_HOLDERS,
  CODE_ISSUER,
  deadLetterQueue,
  decryptForMe,
  EXCHANGE_HUB,
  inboundQueue,
  LegalTable,
  loadServiceKeyRing,
  MESSAGE_MAX_AGE_SECONDS,
  MESSAGE_TTL_SECONDS,
  MESSAGE_TYPES,
  openMessage,
  openResult,
  resultClaimsSchema,
  commitToHandle,
  decodeHash,
  encodeHash,
  hashLeaf,
  logLeafSchema,
  treeRoot,
  sealMessage,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
  type LogReceipt,
  settle,
  signMessage,
  verifyMessage,
  verifyResult,
  type CodeHolder,
  type DeliveryClaims,
  type ExchangeRecordClaims,
  type ResultClaims,
  type Service,
  type ServiceKeyRing,
} from '@myna/protocol';
import {
  createTestDatabases,
  pollUntil,
  queryAs,
  asOperator,
  httpAs,
  removeTestRedisKeys,
  signedServiceRequest,
  startTestServiceApp,
  TEST_REDIS_PREFIX,
  TEST_REDIS_URL,
  testKeysDir,
} from '@myna/testing';
import { ExchangeLogRepository } from '../exchange-log/exchange-log.repository';
import { PRUNE_GRACE_MS, SeenMessagePruner } from '../housekeeping/seen-message-pruner';
import { ExchangeExpiry } from '../housekeeping/exchange-expiry';
import { LogRetention } from '../housekeeping/log-retention';
import { exchangeHubService } from '../service-definition';
import { OutboundMix } from './outbound-mix';
import { SentMessages } from './sent-messages';
import { HubMessages } from './hub-messages';
import { LogSequencer } from '../transparency-log/log-sequencer';
import { HASHES_PER_ROW, TransparencyLogRepository } from '../transparency-log/transparency-log.repository';
import { HubKeys } from '../hub-keys/hub-keys';
import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { PROOFS_AT_ONCE, PROOFS_WAITING } from '../transparency-log/transparency-log-proofs';

/*
 * The hub for real (its own PostgreSQL database, the machine's Redis as its own
 * ACL user, its inline worker); the test plays every other party with their test
 * keys: it puts messages on their lanes to the hub and reads what the hub puts on
 * the lanes to them. The hub sends at once here (HUB_MIX_ROUND_SECONDS=0); the mix
 * has its own tests at the end.
 */
process.env.HUB_MIX_ROUND_SECONDS = '0';

const HUB = EXCHANGE_HUB;
const PENSION = 'pension-agency' satisfies CodeHolder;
const TAX = 'tax-agency' satisfies CodeHolder;
const HEALTH = 'health-agency' satisfies CodeHolder;
const PORTAL = 'myna-portal' satisfies CodeHolder;
const PEN_TAX_INCOME = { provider: TAX, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' } as const;
const ALL_JOB_STATES: JobType[] = ['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed', 'waiting-children'];

interface ExchangeRow {
  id: string;
  requester: string;
  inquiry_id: string;
  inquiry_job_id: string;
  provider: string;
  provider_handle: string | null;
  portal_handle: string;
  rule: string;
  item: string;
  status: string;
  reason: string | null;
  record_subject: string | null;
  answer_message_id: string | null;
  created_at: Date;
  closed_at: Date | null;
}

interface Person {
  serial: ProcessingSerial;
  codeAt(party: CodeHolder): AgencyCode;
  /** What the party would put in an inquiry to `provider`: its own code for that edge, and for the record (to the portal, or its self key). */
  subjectsFor(party: CodeHolder, provider: CodeHolder): { subject: string; recordSubject: string };
}

let app: INestApplication;
let hubDatabaseUrl: string;
let dropDatabases: () => Promise<void>;
let issuer: IssuerBundle;
const rings = {} as Record<Service, ServiceKeyRing>;
const partyBundles = {} as Record<CodeHolder, PartyBundle>;
const queues = new Map<string, Queue>();
const persons: Person[] = [];

function queue(name: string): Queue {
  let existing = queues.get(name);
  if (!existing) {
    existing = new Queue(name, { connection: bullConnection(TEST_REDIS_URL), prefix: TEST_REDIS_PREFIX });
    queues.set(name, existing);
  }
  return existing;
}

/** The lane from the hub to a party: what the hub sent it. */
const laneTo = (party: CodeHolder) => inboundQueue(party, HUB);

function newPerson(): Person {
  const serial = generateProcessingSerial();
  const person: Person = {
    serial,
    codeAt: (party) => issueAgencyCode(issuer, party, serial),
    subjectsFor: (party, provider) => {
      const [subject, recordSubject] = encryptSubjects(partyBundles[party], issueAgencyCode(issuer, party, serial), [
        provider,
        party === PORTAL ? { self: true } : PORTAL,
      ]);
      return { subject: subject.toText(), recordSubject: recordSubject.toText() };
    },
  };
  persons.push(person);
  return person;
}

interface InquiryFields {
  provider: string;
  rule: string;
  item: string;
  subject: string;
  recordSubject: string;
  inquiryId?: string;
}

function inquiryClaims(fields: InquiryFields) {
  const inquiryId = fields.inquiryId ?? randomUUID();
  return {
    inquiryId,
    claims: {
      inquiryId,
      provider: fields.provider,
      rule: fields.rule,
      item: fields.item,
      parameters: { fiscalYear: 2025 },
      subject: fields.subject,
      recordSubject: fields.recordSubject,
      nonce: randomBytes(16).toString('base64url'),
    },
  };
}

async function signInquiry(from: CodeHolder, fields: InquiryFields): Promise<{ inquiryId: string; token: string }> {
  const { inquiryId, claims } = inquiryClaims(fields);
  const token = await signMessage(rings[from], { to: HUB, type: MESSAGE_TYPES.inquiry, claims, ttlSeconds: MESSAGE_TTL_SECONDS, id: inquiryId });
  return { inquiryId, token };
}

/** A valid inquiry from `from` to tax (or `provider`) about a new person. */
function inquiryAbout(person: Person, from: CodeHolder, request: { provider: CodeHolder; rule: string; item: string } = PEN_TAX_INCOME) {
  return signInquiry(from, { ...request, ...person.subjectsFor(from, request.provider) });
}

/** A JWS built by hand, for the envelopes signMessage would never produce. */
function craftJws(
  signer: { key: KeyLike | Uint8Array; kid: string },
  fields: { iss: string; aud: string; typ: string; jti: string; iat: number; exp: number; claims: Record<string, unknown> },
): Promise<string> {
  return new SignJWT(fields.claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: fields.typ })
    .setIssuer(fields.iss)
    .setAudience(fields.aud)
    .setIssuedAt(fields.iat)
    .setExpirationTime(fields.exp)
    .setJti(fields.jti)
    .sign(signer.key);
}

async function signAnswer(
  from: CodeHolder,
  handle: string,
  options: { requester?: CodeHolder; outcome?: 'answered' | 'no-record'; payload?: string; value?: Record<string, unknown>; item?: string } = {},
): Promise<{ answerId: string; token: string; payload: string }> {
  const requester = options.requester ?? PENSION;
  const outcome = options.outcome ?? 'answered';
  const payload =
    options.payload ??
    (await sealMessage(rings[from], {
      to: requester,
      type: MESSAGE_TYPES.answerPayload,
      claims: { item: options.item ?? 'annual-income', outcome, value: options.value ?? { annualIncome: 3_200_000 } },
      ttlSeconds: MESSAGE_TTL_SECONDS,
    }));
  const answerId = randomUUID();
  const token = await signMessage(rings[from], {
    to: HUB,
    type: MESSAGE_TYPES.answer,
    claims: { handle, outcome, payload },
    ttlSeconds: MESSAGE_TTL_SECONDS,
    id: answerId,
  });
  return { answerId, token, payload };
}

/** Puts a message on a sender's lane to the hub, as that sender (or an attacker with Redis access) would. */
async function enqueue(from: CodeHolder, jobName: string, data: unknown, jobId: string): Promise<void> {
  await queue(inboundQueue(HUB, from)).add(jobName, data, { ...DELIVERY_OPTIONS, jobId });
}

async function exchangeFor(inquiryId: string, status?: string): Promise<ExchangeRow> {
  return pollUntil(
    async () => {
      const [row] = await queryAs<ExchangeRow>(hubDatabaseUrl, 'SELECT * FROM exchange WHERE inquiry_id = $1', [inquiryId]);
      return row && (!status || row.status === status) ? row : undefined;
    },
    { what: `exchange for inquiry ${inquiryId}${status ? ` to be ${status}` : ''}` },
  );
}

async function exchangeRows(where: string, params: unknown[]): Promise<ExchangeRow[]> {
  return queryAs<ExchangeRow>(hubDatabaseUrl, `SELECT * FROM exchange WHERE ${where}`, params);
}

async function jobsOn(queueName: string): Promise<Job[]> {
  return (await queue(queueName).getJobs(ALL_JOB_STATES)).filter(Boolean);
}

/** Every job on every lane from the hub: what the hub has sent. */
async function sentJobCount(): Promise<number> {
  let count = 0;
  for (const holder of CODE_HOLDERS) count += (await jobsOn(laneTo(holder))).length;
  return count;
}

const tokenOf = (job: Job) => (job.data as { token: string }).token;

function fromHub(type: string) {
  return { type, from: [HUB], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS };
}

/** The delivery the hub sent a provider under a handle: found by opening what is on its lane, as the provider would. */
async function deliveryUnder(provider: CodeHolder, handle: string): Promise<{ job: Job; claims: DeliveryClaims; id: string }> {
  return pollUntil(
    async () => {
      for (const job of await jobsOn(laneTo(provider))) {
        const opened = await openMessage<DeliveryClaims>(rings[provider], tokenOf(job), fromHub(MESSAGE_TYPES.delivery)).catch(() => undefined);
        if (opened?.claims.handle === handle) return { job, claims: opened.claims, id: opened.id };
      }
      return undefined;
    },
    { what: `the delivery under handle ${handle}` },
  );
}

async function resultFor(requester: CodeHolder, inquiryId: string): Promise<{ job: Job; claims: ResultClaims; id: string }> {
  return pollUntil(
    async () => {
      for (const job of await jobsOn(laneTo(requester))) {
        if (job.name !== 'result') continue;
        const verified = await verifyMessage<ResultClaims>(rings[requester], tokenOf(job), fromHub(MESSAGE_TYPES.result));
        if (verified.claims.inquiryId === inquiryId) return { job, claims: verified.claims, id: verified.id };
      }
      return undefined;
    },
    { what: `the result of inquiry ${inquiryId}` },
  );
}

async function recordUnder(handle: string): Promise<{ job: Job; claims: ExchangeRecordClaims }> {
  return pollUntil(
    async () => {
      for (const job of await jobsOn(laneTo(PORTAL))) {
        if (job.name !== 'exchange-record') continue;
        const verified = await verifyMessage<ExchangeRecordClaims>(rings[PORTAL], tokenOf(job), fromHub(MESSAGE_TYPES.exchangeRecord));
        if (verified.claims.handle === handle) return { job, claims: verified.claims };
      }
      return undefined;
    },
    { what: `the portal's record under handle ${handle}` },
  );
}

/** The portal reads a record's subject as it would: along the requester's edge (closed), or under its self key. */
function portalCodeOf(record: ExchangeRecordClaims): AgencyCode {
  const subject = parseCiphertext(record.subject);
  return record.requester === PORTAL ? openSelfAddressed(partyBundles[PORTAL], subject) : receiveCode(partyBundles[PORTAL], record.requester, subject);
}

interface RejectionRow {
  job_id: string;
  job_name: string;
  reason: string;
  detail: string;
  sender: string | null;
}

function rejectionsOf(jobId: string): Promise<RejectionRow[]> {
  return queryAs<RejectionRow>(hubDatabaseUrl, 'SELECT * FROM rejected_message WHERE job_id = $1 ORDER BY received_at', [jobId]);
}

async function rejectionOf(jobId: string): Promise<RejectionRow> {
  return pollUntil(async () => (await rejectionsOf(jobId))[0], { what: `a rejection of job ${jobId}` });
}

async function deadLetterOf(jobId: string): Promise<{ code: string; reason: string; jobName: string; queue: string }> {
  const letter = await pollUntil(() => queue(deadLetterQueue(HUB)).getJob(jobId), { what: `dead letter ${jobId}` });
  return letter.data as { code: string; reason: string; jobName: string; queue: string };
}

async function waitUntilCompleted(from: CodeHolder, jobId: string, after = 0): Promise<void> {
  await pollUntil(
    async () => {
      const job = await queue(inboundQueue(HUB, from)).getJob(jobId);
      return job !== undefined && (await job.getState()) === 'completed' && (job.finishedOn ?? 0) > after;
    },
    { what: `hub job ${jobId} to complete` },
  );
}

const outboxCount = async () => (await queryAs<{ n: number }>(hubDatabaseUrl, 'SELECT count(*)::int AS n FROM outbound_message'))[0].n;

// --- Scanning for identifiers in the clear -------------------------------------------------

/** Every text form in which an identifier could leak: prefixed text, bare base64url, hex. */
function forbiddenForms(): Map<string, string> {
  const forms = new Map<string, string>();
  persons.forEach((person, index) => {
    const serialBytes = Buffer.from(person.serial.toBytes());
    forms.set(person.serial.toText(), `serial of person ${index}`);
    forms.set(serialBytes.toString('base64url'), `serial of person ${index}`);
    forms.set(serialBytes.toString('hex'), `serial of person ${index}`);
    for (const holder of CODE_HOLDERS) {
      const bytes = Buffer.from(person.codeAt(holder).toBytes());
      forms.set(bytes.toString('base64url'), `${holder} code of person ${index}`);
      forms.set(bytes.toString('base64'), `${holder} code of person ${index}`);
      forms.set(bytes.toString('hex'), `${holder} code of person ${index}`);
    }
  });
  return forms;
}

/**
 * The text and every layer inside it: base64url segments decoded (JWS headers and
 * payloads, nested tokens), and JWEs opened with whichever party's key opens them
 * (what each recipient sees must hold no code in the clear either).
 */
async function layersOf(text: string, depth = 0): Promise<string[]> {
  const layers = [text];
  if (depth > 5) return layers;
  for (const jwe of text.match(/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){4}/g) ?? []) {
    for (const holder of [...CODE_HOLDERS, HUB] as Service[]) {
      const opened = await decryptForMe(rings[holder], jwe).catch(() => undefined);
      if (opened) layers.push(...(await layersOf(opened, depth + 1)));
    }
  }
  for (const segment of text.match(/[A-Za-z0-9_-]{16,}/g) ?? []) {
    const decoded = Buffer.from(segment, 'base64url').toString('utf8');
    if (/^[\x20-\x7e\s]+$/.test(decoded) && /[{"]/.test(decoded)) layers.push(...(await layersOf(decoded, depth + 1)));
  }
  return layers;
}

async function leaksIn(text: string): Promise<string[]> {
  const forms = forbiddenForms();
  const leaks = new Set<string>();
  for (const layer of await layersOf(text)) {
    for (const [form, what] of forms) if (layer.includes(form)) leaks.add(what);
  }
  return [...leaks];
}

async function hubDatabaseText(): Promise<{ rows: number; text: string }> {
  const tables = await queryAs<{ table_name: string }>(
    hubDatabaseUrl,
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const rows: string[] = [];
  for (const { table_name } of tables) {
    const result = await queryAs<{ row: string }>(hubDatabaseUrl, `SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
    rows.push(...result.map((entry) => entry.row));
  }
  return { rows: rows.length, text: rows.join('\n') };
}

async function allJobsText(): Promise<{ jobs: number; text: string }> {
  const names = [...CODE_HOLDERS.map((holder) => inboundQueue(HUB, holder)), deadLetterQueue(HUB), ...CODE_HOLDERS.map(laneTo)];
  const texts: string[] = [];
  for (const name of names) {
    for (const job of await jobsOn(name)) texts.push(JSON.stringify({ id: job.id, name: job.name, data: job.data }));
  }
  return { jobs: texts.length, text: texts.join('\n') };
}

// -------------------------------------------------------------------------------------------

beforeAll(async () => {
  const { databases, drop } = await createTestDatabases([HUB]);
  dropDatabases = drop;
  hubDatabaseUrl = databases[HUB].url;
  app = await startTestServiceApp(exchangeHubService, hubDatabaseUrl);
  for (const service of [...CODE_HOLDERS, CODE_ISSUER, HUB] as Service[]) {
    rings[service] = await loadServiceKeyRing(testKeysDir(service), service);
  }
  for (const holder of CODE_HOLDERS) partyBundles[holder] = parsePartyBundle(rings[holder].codesBundle);
  issuer = parseIssuerBundle(rings[CODE_ISSUER].codesBundle);
});

afterAll(async () => {
  await Promise.all([...queues.values()].map((entry) => entry.close()));
  await app?.close();
  await dropDatabases?.();
  await removeTestRedisKeys();
});

describe('a permitted exchange: pension asks tax for annual income', () => {
  let person: Person;
  let inquiryId: string;
  let exchange: ExchangeRow;
  let delivery: Awaited<ReturnType<typeof deliveryUnder>>;

  it('delivers to tax, under a handle of tax’s own, an opaque token that only tax can open, holding what only tax closes into its code', async () => {
    person = newPerson();
    const inquiry = await inquiryAbout(person, PENSION);
    inquiryId = inquiry.inquiryId;
    await enqueue(PENSION, 'inquiry', { token: inquiry.token }, inquiryId);

    exchange = await exchangeFor(inquiryId);
    expect(exchange).toMatchObject({ status: 'delivered', requester: PENSION, provider: TAX, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' });
    expect(exchange.closed_at).toBeNull();
    expect(new Set([exchange.id, exchange.inquiry_id, exchange.provider_handle, exchange.portal_handle]).size).toBe(4);

    const jobs = await pollUntil(async () => {
      const found = await jobsOn(laneTo(TAX));
      return found.length > 0 && found;
    });
    expect(jobs).toHaveLength(1);
    const token = tokenOf(jobs[0]);
    expect(token.split('.')).toHaveLength(5);
    for (const outsider of [PENSION, HEALTH, PORTAL, HUB] as Service[]) {
      await expect(decryptForMe(rings[outsider], token)).rejects.toMatchObject({ code: 'not-for-me' });
    }
    delivery = await deliveryUnder(TAX, exchange.provider_handle!);
    // The job id is the message id: random, and neither the exchange id nor any handle.
    expect(jobs[0].id).toBe(delivery.id);
    expect([exchange.id, exchange.inquiry_id, exchange.provider_handle, exchange.portal_handle]).not.toContain(delivery.id);
    expect(delivery.claims).toMatchObject({ handle: exchange.provider_handle, requester: PENSION, rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: { fiscalYear: 2025 } });
    expect(JSON.stringify(delivery.claims)).not.toContain(inquiryId);
    const taxCode = receiveCode(partyBundles[TAX], PENSION, parseCiphertext(delivery.claims.subject));
    expect(taxCode.equals(person.codeAt(TAX))).toBe(true);
    expect(taxCode.equals(person.codeAt(PENSION))).toBe(false);
  });

  it('relays tax’s sealed payload to pension in a result that names only pension’s inquiry, and closes the exchange', async () => {
    const answer = await signAnswer(TAX, exchange.provider_handle!);
    await enqueue(TAX, 'answer', { token: answer.token }, answer.answerId);

    const result = await resultFor(PENSION, inquiryId);
    expect(resultClaimsSchema.parse(result.claims)).toEqual({ inquiryId, status: 'answered', payload: answer.payload, receipt: expect.any(Object) });
    expect(JSON.stringify(result.claims)).not.toContain(exchange.provider_handle!);
    // Pension checks tax's own signature inside and reads the payload the hub could not.
    const opened = await openResult(rings[PENSION], await verifyResult(rings[PENSION], tokenOf(result.job)), { provider: TAX, item: 'annual-income' });
    expect(opened).toEqual({ status: 'answered', value: { annualIncome: 3_200_000 } });
    await expect(decryptForMe(rings[HUB], answer.payload)).rejects.toMatchObject({ code: 'not-for-me' });
    await expect(openResult(rings[PENSION], result.claims, { provider: HEALTH, item: 'annual-income' })).rejects.toMatchObject({ code: 'unknown-sender' });
    await expect(openResult(rings[PENSION], result.claims, { provider: TAX, item: 'benefit-status' })).rejects.toMatchObject({ code: 'malformed' });

    const closed = await exchangeFor(inquiryId, 'answered');
    expect(closed.closed_at).toBeInstanceOf(Date);
    expect(closed.answer_message_id).toBe(answer.answerId);
  });

  it('sends the portal an exchange record under the portal’s handle, addressed by the person’s own portal code', async () => {
    const record = await recordUnder(exchange.portal_handle);
    expect(record.claims).toMatchObject({
      handle: exchange.portal_handle,
      requester: PENSION,
      provider: TAX,
      rule: 'R-PEN-TAX-INCOME',
      item: 'annual-income',
      procedure: LegalTable.load().rules.find((rule) => rule.id === 'R-PEN-TAX-INCOME')!.procedure,
      status: 'permitted',
    });
    expect(portalCodeOf(record.claims).equals(person.codeAt(PORTAL))).toBe(true);
  });

  it('deletes the ciphertexts it relayed once the exchange is closed: nothing is left in its database but metadata and handles', async () => {
    const closed = await exchangeFor(inquiryId, 'answered');
    expect(closed.record_subject).toBeNull();
    await pollUntil(async () => (await outboxCount()) === 0, { what: 'the outbox to empty' });
    const database = await hubDatabaseText();
    expect(database.text).not.toMatch(/ct1\./);
    // No message is left; the log's signed tree heads are the hub's public statements, not messages.
    expect(database.text.replace(/"signed":"eyJ[A-Za-z0-9_.-]+"/g, '')).not.toMatch(/eyJ/);
  });

  it('keeps no code or serial in the clear: not in any hub table, not in any job it sent or received', async () => {
    // The scanner itself finds a code when there is one, even inside a signed token.
    const planted = await signMessage(rings[TAX], { to: HUB, type: 'test+jwt', claims: { code: person.codeAt(TAX).toText() }, ttlSeconds: 60 });
    expect(await leaksIn(`{"token":"${planted}"}`)).toEqual(['tax-agency code of person 0']);

    const database = await hubDatabaseText();
    expect(database.rows).toBeGreaterThanOrEqual(4); // migrations, exchange, seen inquiry and answer
    expect(database.text).toContain(exchange.id);
    expect(await leaksIn(database.text)).toEqual([]);

    const jobs = await allJobsText();
    expect(jobs.jobs).toBeGreaterThanOrEqual(5); // inquiry, answer, delivery, result, record
    expect(await leaksIn(jobs.text)).toEqual([]);
  });
});

describe('a forbidden exchange: tax asks health for medical claims', () => {
  it('is denied with a reason, recorded, answered to tax and recorded for the portal; health gets nothing', async () => {
    const person = newPerson();
    const { inquiryId, token } = await signInquiry(TAX, {
      provider: HEALTH,
      rule: 'R-TAX-HEA-CLAIMS',
      item: 'medical-claims',
      // Tax has no edge to health: the best it can send is its code for another edge.
      ...person.subjectsFor(TAX, PENSION),
    });
    await enqueue(TAX, 'inquiry', { token }, inquiryId);

    const exchange = await exchangeFor(inquiryId);
    expect(exchange).toMatchObject({ status: 'denied', requester: TAX, provider: HEALTH, provider_handle: null, record_subject: null });
    expect(exchange.reason).toMatch(/^no rule R-TAX-HEA-CLAIMS lets tax-agency ask health-agency for medical-claims/);
    expect(exchange.closed_at).toBeInstanceOf(Date);

    const result = await resultFor(TAX, inquiryId);
    expect(resultClaimsSchema.parse(result.claims)).toEqual({ inquiryId, status: 'denied', reason: exchange.reason, receipt: expect.any(Object) });

    const record = await recordUnder(exchange.portal_handle);
    expect(record.claims).toMatchObject({ status: 'denied', procedure: '(no rule)', reason: exchange.reason, requester: TAX, provider: HEALTH });
    expect(portalCodeOf(record.claims).equals(person.codeAt(PORTAL))).toBe(true);

    expect(await jobsOn(laneTo(HEALTH))).toEqual([]);
  });

  it('is denied too when the rule exists but does not cover the item asked for', async () => {
    const sentToTax = (await jobsOn(laneTo(TAX))).length;
    const { inquiryId, token } = await inquiryAbout(newPerson(), PENSION, { ...PEN_TAX_INCOME, item: 'tax-assessment' });
    await enqueue(PENSION, 'inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId);
    expect(exchange.status).toBe('denied');
    expect(exchange.reason).toBe(
      'no rule R-PEN-TAX-INCOME lets pension-agency ask tax-agency for tax-assessment: R-PEN-TAX-INCOME lets pension-agency ask tax-agency for annual-income only',
    );
    await resultFor(PENSION, inquiryId);
    expect(await jobsOn(laneTo(TAX))).toHaveLength(sentToTax);
  });
});

describe('the portal asking for self-information disclosure', () => {
  it('delivers tax’s code to tax, and returns the portal its own code under its self key, rerandomized', async () => {
    const person = newPerson();
    const subjects = person.subjectsFor(PORTAL, TAX);
    const { inquiryId, token } = await signInquiry(PORTAL, { provider: TAX, rule: 'R-POR-TAX-SELF', item: 'self-disclosure', ...subjects });
    await enqueue(PORTAL, 'inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId, 'delivered');

    const delivery = await deliveryUnder(TAX, exchange.provider_handle!);
    expect(receiveCode(partyBundles[TAX], PORTAL, parseCiphertext(delivery.claims.subject)).equals(person.codeAt(TAX))).toBe(true);

    const answer = await signAnswer(TAX, exchange.provider_handle!, { requester: PORTAL, outcome: 'no-record', value: {}, item: 'self-disclosure' });
    await enqueue(TAX, 'answer', { token: answer.token }, answer.answerId);
    expect((await resultFor(PORTAL, inquiryId)).claims.status).toBe('no-record');

    const record = await recordUnder(exchange.portal_handle);
    expect(record.claims.subject).not.toBe(subjects.recordSubject);
    expect(portalCodeOf(record.claims).equals(person.codeAt(PORTAL))).toBe(true);
    expect((await exchangeFor(inquiryId)).status).toBe('no-record');
  });
});

describe('messages the hub refuses: recorded with the reason, dead-lettered, nothing delivered', () => {
  interface Case {
    from: CodeHolder;
    jobName: string;
    data: unknown;
    jobId: string;
    inquiryId?: string;
  }

  async function validInquiry(from: CodeHolder = PENSION): Promise<{ inquiryId: string; token: string }> {
    return inquiryAbout(newPerson(), from);
  }
  const pensionFields = () => ({ ...PEN_TAX_INCOME, ...newPerson().subjectsFor(PENSION, TAX) });

  const now = () => Math.floor(Date.now() / 1000);
  const pensionSigner = () => ({ key: rings[PENSION].signingKey, kid: rings[PENSION].signingKid });
  const asPension = (inquiryId: string, data: unknown): Case => ({ from: PENSION, jobName: 'inquiry', data, jobId: inquiryId, inquiryId });

  const cases: Array<[string, string, () => Promise<Case>]> = [
    [
      'a forged signature',
      'bad-signature',
      async () => {
        const { inquiryId, token } = await validInquiry();
        const [header, payload, signature] = token.split('.');
        const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
        return asPension(inquiryId, { token: `${header}.${payload}.${flipped}` });
      },
    ],
    [
      'an expired inquiry',
      'expired',
      async () => {
        const { inquiryId, claims } = inquiryClaims(pensionFields());
        const token = await craftJws(pensionSigner(), { iss: PENSION, aud: HUB, typ: MESSAGE_TYPES.inquiry, jti: inquiryId, iat: now() - 400, exp: now() - 100, claims });
        return asPension(inquiryId, { token });
      },
    ],
    [
      'an inquiry that claims to live longer than the protocol allows (it would outlive the replay guard)',
      'expiry-too-far',
      async () => {
        const { inquiryId, claims } = inquiryClaims(pensionFields());
        const token = await craftJws(pensionSigner(), {
          iss: PENSION, aud: HUB, typ: MESSAGE_TYPES.inquiry, jti: inquiryId, iat: now(), exp: now() + MESSAGE_TTL_SECONDS + CLOCK_SKEW_SECONDS + 120, claims,
        });
        return asPension(inquiryId, { token });
      },
    ],
    [
      'an unsigned inquiry (alg none)',
      'algorithm-not-allowed',
      async () => {
        const { inquiryId, claims } = inquiryClaims(pensionFields());
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const token = `${part({ alg: 'none', typ: MESSAGE_TYPES.inquiry })}.${part({ ...claims, iss: PENSION, aud: HUB, iat: now(), exp: now() + 60, jti: inquiryId })}.`;
        return asPension(inquiryId, { token });
      },
    ],
    [
      'an agency whose key is not in the directory',
      'unknown-sender',
      async () => {
        const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        const { inquiryId, claims } = inquiryClaims(pensionFields());
        const token = await craftJws({ key: privateKey, kid: 'rogue-agency:sig:AAAAAAAAAAAAAAAA' }, { iss: PENSION, aud: HUB, typ: MESSAGE_TYPES.inquiry, jti: inquiryId, iat: now(), exp: now() + 60, claims });
        return asPension(inquiryId, { token });
      },
    ],
    [
      'health signing an inquiry as pension (impersonation)',
      'impersonation',
      async () => {
        const { inquiryId, claims } = inquiryClaims(pensionFields());
        const token = await craftJws({ key: rings[HEALTH].signingKey, kid: rings[HEALTH].signingKid }, { iss: PENSION, aud: HUB, typ: MESSAGE_TYPES.inquiry, jti: inquiryId, iat: now(), exp: now() + 60, claims });
        return asPension(inquiryId, { token });
      },
    ],
    [
      'pension’s own inquiry put on tax’s lane',
      'wrong-lane',
      async () => {
        const { inquiryId, token } = await validInquiry();
        return { from: TAX, jobName: 'inquiry', data: { token }, jobId: inquiryId, inquiryId };
      },
    ],
    [
      'an inquiry addressed to another service',
      'wrong-audience',
      async () => {
        const { inquiryId, claims } = inquiryClaims(pensionFields());
        const token = await signMessage(rings[PENSION], { to: TAX, type: MESSAGE_TYPES.inquiry, claims, ttlSeconds: 60, id: inquiryId });
        return asPension(inquiryId, { token });
      },
    ],
    [
      'job data that is not { token }',
      'malformed-payload',
      async () => {
        const { inquiryId, token } = await validInquiry();
        return asPension(inquiryId, { token, inquiry: 'extra' });
      },
    ],
    [
      'a job name no handler knows',
      'unknown-job',
      async () => {
        const { inquiryId, token } = await validInquiry();
        return { ...asPension(inquiryId, { token }), jobName: 'delivery' };
      },
    ],
    [
      'a correctly signed inquiry with bad claims',
      'invalid-claims',
      async () => {
        const inquiryId = randomUUID();
        const token = await signMessage(rings[PENSION], {
          to: HUB,
          type: MESSAGE_TYPES.inquiry,
          claims: { inquiryId, provider: TAX, rule: 'income please', item: 'annual-income', subject: 'my number 123456789012', nonce: 'n' },
          ttlSeconds: 60,
          id: inquiryId,
        });
        return asPension(inquiryId, { token });
      },
    ],
    [
      'an inquiry whose message id is not its inquiryId',
      'invalid-claims',
      async () => {
        const { inquiryId, claims } = inquiryClaims(pensionFields());
        const messageId = randomUUID();
        const token = await signMessage(rings[PENSION], { to: HUB, type: MESSAGE_TYPES.inquiry, claims, ttlSeconds: 60, id: messageId });
        return { ...asPension(inquiryId, { token }), jobId: messageId };
      },
    ],
  ];

  it.each(cases)('%s → %s', async (_label, reason, build) => {
    const rejected = await build();
    const sentBefore = await sentJobCount();
    await enqueue(rejected.from, rejected.jobName, rejected.data, rejected.jobId);

    const rejection = await rejectionOf(rejected.jobId);
    expect(rejection).toMatchObject({ job_name: rejected.jobName, reason });
    expect(rejection.detail.length).toBeGreaterThan(5);
    const letter = await deadLetterOf(rejected.jobId);
    expect(letter.jobName).toBe(rejected.jobName);
    expect(letter.code).toBe(reason);
    expect(letter.queue).toBe(inboundQueue(HUB, rejected.from));
    expect(letter.reason.length).toBeGreaterThan(5);

    if (rejected.inquiryId) expect(await exchangeRows('inquiry_id = $1', [rejected.inquiryId])).toEqual([]);
    expect(await sentJobCount()).toBe(sentBefore);
    expect(await rejectionsOf(rejected.jobId)).toHaveLength(1);
  });

  it('a replay: the same inquiry again under another job id', async () => {
    const { inquiryId, token } = await validInquiry();
    await enqueue(PENSION, 'inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId);
    await deliveryUnder(TAX, exchange.provider_handle!);
    const sentBefore = await sentJobCount();

    await enqueue(PENSION, 'inquiry', { token }, `${inquiryId}-again`);
    expect(await rejectionOf(`${inquiryId}-again`)).toMatchObject({ reason: 'replayed', sender: PENSION });
    expect(await deadLetterOf(`${inquiryId}-again`)).toMatchObject({ code: 'replayed', reason: expect.stringMatching(/already received/) });
    expect(await exchangeRows('inquiry_id = $1', [inquiryId])).toHaveLength(1);
    expect(await sentJobCount()).toBe(sentBefore);
  });

  it('one sender cannot take another’s message id first: replay ids are kept per sender', async () => {
    const person = newPerson();
    const { inquiryId, token } = await inquiryAbout(person, PENSION);
    // Tax knows (or guesses) pension's next inquiry id and signs a message of its own under it first.
    const squatter = await signAnswer(TAX, randomUUID());
    const squat = await signMessage(rings[TAX], { to: HUB, type: MESSAGE_TYPES.answer, claims: { handle: randomUUID(), outcome: 'no-record', payload: squatter.payload }, ttlSeconds: 60, id: inquiryId });
    await enqueue(TAX, 'answer', { token: squat }, `squat-${inquiryId}`);
    expect(await rejectionOf(`squat-${inquiryId}`)).toMatchObject({ reason: 'unknown-exchange' });

    await enqueue(PENSION, 'inquiry', { token }, inquiryId);
    expect((await exchangeFor(inquiryId)).status).toBe('delivered');
    expect(await rejectionsOf(inquiryId)).toEqual([]);
  });

  it('answers that do not fit the exchange: from another agency, not sealed to the requester, an unknown handle, or a second answer', async () => {
    const { inquiryId, token } = await validInquiry();
    await enqueue(PENSION, 'inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId);
    const handle = exchange.provider_handle!;
    await deliveryUnder(TAX, handle);

    const fromHealth = await signAnswer(HEALTH, handle);
    await enqueue(HEALTH, 'answer', { token: fromHealth.token }, fromHealth.answerId);
    expect(await rejectionOf(fromHealth.answerId)).toMatchObject({ reason: 'misaddressed', sender: HEALTH, job_name: 'answer' });
    await deadLetterOf(fromHealth.answerId);

    const inTheClear = await signAnswer(TAX, handle, { payload: 'annual income: 3,200,000 yen' });
    await enqueue(TAX, 'answer', { token: inTheClear.token }, inTheClear.answerId);
    expect(await rejectionOf(inTheClear.answerId)).toMatchObject({ reason: 'payload-not-sealed' });

    const sealedToTax = await signAnswer(TAX, handle, { payload: await sealMessage(rings[TAX], { to: TAX, type: MESSAGE_TYPES.answerPayload, claims: {}, ttlSeconds: 60 }) });
    await enqueue(TAX, 'answer', { token: sealedToTax.token }, sealedToTax.answerId);
    expect(await rejectionOf(sealedToTax.answerId)).toMatchObject({ reason: 'payload-not-sealed' });

    // The portal's handle, or the requester's inquiry id, is not a handle the provider was given.
    for (const notTaxs of [exchange.portal_handle, inquiryId, exchange.id]) {
      const unknown = await signAnswer(TAX, notTaxs);
      await enqueue(TAX, 'answer', { token: unknown.token }, unknown.answerId);
      expect(await rejectionOf(unknown.answerId)).toMatchObject({ reason: 'unknown-exchange' });
    }

    expect((await exchangeFor(inquiryId)).status).toBe('delivered');

    const first = await signAnswer(TAX, handle);
    await enqueue(TAX, 'answer', { token: first.token }, first.answerId);
    await resultFor(PENSION, inquiryId);
    const second = await signAnswer(TAX, handle, { outcome: 'no-record' });
    await enqueue(TAX, 'answer', { token: second.token }, second.answerId);
    expect(await rejectionOf(second.answerId)).toMatchObject({ reason: 'already-answered' });
    expect((await exchangeFor(inquiryId)).status).toBe('answered');
  });
});

describe('idempotency', () => {
  /** Removes a finished hub job and puts it back under the same id, as after a crash before the acknowledgement. */
  async function runAgain(from: CodeHolder, jobName: string, token: string, jobId: string): Promise<void> {
    const previous = (await queue(inboundQueue(HUB, from)).getJob(jobId))!;
    const finishedOn = previous.finishedOn!;
    await previous.remove();
    await enqueue(from, jobName, { token }, jobId);
    await waitUntilCompleted(from, jobId, finishedOn);
  }

  it('the same inquiry job processed twice yields one exchange and one delivery', async () => {
    const { inquiryId, token } = await validInquiryFor();
    await enqueue(PENSION, 'inquiry', { token }, inquiryId);
    await waitUntilCompleted(PENSION, inquiryId);
    const exchange = await exchangeFor(inquiryId);
    const delivery = await deliveryUnder(TAX, exchange.provider_handle!);

    await runAgain(PENSION, 'inquiry', token, inquiryId);
    expect(await exchangeRows('inquiry_id = $1', [inquiryId])).toEqual([exchange]);
    expect((await jobsOn(laneTo(TAX))).filter((job) => job.id === delivery.id)).toHaveLength(1);
    expect(await rejectionsOf(inquiryId)).toEqual([]);
  });

  it('a crash between recording and sending loses nothing: the outbox sends what was committed', async () => {
    const { inquiryId, token } = await validInquiryFor();
    const sender = app.get(MessageSender);
    const send = jest.spyOn(sender, 'send').mockRejectedValueOnce(new Error('Redis went away'));
    try {
      await enqueue(PENSION, 'inquiry', { token }, inquiryId);
      const exchange = await exchangeFor(inquiryId);
      // The job's retry finds the inquiry seen in the same job: the mix's next round sends the delivery.
      await app.get(OutboundMix).round(new Date(Date.now() + 60_000));
      await deliveryUnder(TAX, exchange.provider_handle!);
      expect(await outboxCount()).toBe(0);
    } finally {
      send.mockRestore();
    }
  });

  it('the same answer job processed twice closes the exchange once and sends one result', async () => {
    const { inquiryId, token } = await validInquiryFor();
    await enqueue(PENSION, 'inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId);
    const answer = await signAnswer(TAX, exchange.provider_handle!);
    await enqueue(TAX, 'answer', { token: answer.token }, answer.answerId);
    await waitUntilCompleted(TAX, answer.answerId);
    const closed = await exchangeFor(inquiryId, 'answered');
    await resultFor(PENSION, inquiryId);
    await recordUnder(exchange.portal_handle);
    const sent = await sentJobCount();

    await runAgain(TAX, 'answer', answer.token, answer.answerId);
    expect(await exchangeFor(inquiryId)).toEqual(closed);
    expect(await sentJobCount()).toBe(sent);
    expect(await rejectionsOf(answer.answerId)).toEqual([]);
  });

  it('two jobs carrying the same inquiry at once: one exchange, one delivery, one replay refused', async () => {
    const { inquiryId, token } = await validInquiryFor();
    const jobIds = [`${inquiryId}-a`, `${inquiryId}-b`];
    await queue(inboundQueue(HUB, PENSION)).addBulk(jobIds.map((jobId) => ({ name: 'inquiry', data: { token }, opts: { ...DELIVERY_OPTIONS, jobId } })));

    const exchange = await exchangeFor(inquiryId);
    const refused = await pollUntil(async () => {
      const rows = [...(await rejectionsOf(jobIds[0])), ...(await rejectionsOf(jobIds[1]))];
      return rows.length > 0 && rows;
    });
    expect(refused.map((row) => row.reason)).toEqual(['replayed']);
    expect(refused[0].job_id).not.toBe(exchange.inquiry_job_id);
    await waitUntilCompleted(PENSION, exchange.inquiry_job_id);
    expect(await exchangeRows('inquiry_id = $1', [inquiryId])).toHaveLength(1);
    await deliveryUnder(TAX, exchange.provider_handle!);
  });

  function validInquiryFor() {
    return inquiryAbout(newPerson(), PENSION);
  }
});

describe('the HTTP API', () => {
  let auditorHeaders: { authorization: string };
  beforeAll(async () => {
    auditorHeaders = await asOperator(app, HUB, 'hub-auditor');
  });
  const auditor = () => httpAs(app, auditorHeaders);

  it('answers the hub auditor only: nobody without a token, not the dead-letter admin, not another service’s operator', async () => {
    for (const path of ['/exchanges', `/exchanges/${randomUUID()}`, '/rejections']) {
      expect((await request(app.getHttpServer()).get(path).expect(401)).body).toMatchObject({ code: 'unauthenticated' });
      await request(app.getHttpServer()).get(path).set(await asOperator(app, HUB, 'dead-letter-admin')).expect(403);
    }
    await request(app.getHttpServer()).get('/operator/dead-letters').set(auditorHeaders).expect(403);
    await request(app.getHttpServer()).get('/operator/dead-letters').set(await asOperator(app, HUB, 'dead-letter-admin')).expect(200);
  });

  it('GET /exchanges lists exchanges as metadata: no party’s handle, no ciphertext, no token', async () => {
    const rows = await exchangeRows('true', []);
    const response = await auditor().get('/exchanges?limit=500').expect(200);
    const listed = response.body.exchanges as Array<Record<string, unknown>>;
    expect(listed.map((entry) => entry.id).sort()).toEqual(rows.map((row) => row.id).sort());
    for (const entry of listed) {
      expect(Object.keys(entry).sort()).toEqual(['closedAt', 'createdAt', 'id', 'item', 'provider', 'reason', 'requester', 'rule', 'status']);
    }
    for (const row of rows) {
      for (const handle of [row.inquiry_id, row.provider_handle, row.portal_handle]) if (handle) expect(response.text).not.toContain(handle);
    }
    expect(response.text).not.toMatch(/ct1\.|eyJ/);
    expect(listed).toContainEqual(expect.objectContaining({ requester: TAX, provider: HEALTH, status: 'denied', rule: 'R-TAX-HEA-CLAIMS' }));

    const denied = await auditor().get('/exchanges?status=denied').expect(200);
    expect(denied.body.exchanges.length).toBeGreaterThanOrEqual(2);
    expect(denied.body.exchanges.every((entry: { status: string }) => entry.status === 'denied')).toBe(true);

    const one = await auditor().get(`/exchanges/${rows[0].id}`).expect(200);
    expect(one.body).toMatchObject({ id: rows[0].id, status: rows[0].status });
    expect(one.text).not.toContain(rows[0].inquiry_id);
    expect(one.text).not.toMatch(/ct1\.|eyJ/);
  });

  it('answers 404 with a reason for an unknown exchange and 400 for bad input', async () => {
    const missing = await auditor().get(`/exchanges/${randomUUID()}`).expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'exchange-not-found' });
    await auditor().get('/exchanges/not-a-uuid').expect(400);
    await auditor().get('/exchanges?limit=0').expect(400);
    await auditor().get('/exchanges?status=lost').expect(400);
  });

  it('GET /rejections lists refused messages with their reasons, never their tokens', async () => {
    const response = await auditor().get('/rejections?limit=100').expect(200);
    const reasons = new Set((response.body.rejections as Array<{ reason: string }>).map((entry) => entry.reason));
    for (const reason of ['bad-signature', 'expired', 'expiry-too-far', 'replayed', 'impersonation', 'unknown-sender', 'malformed-payload', 'misaddressed', 'wrong-lane']) {
      expect(reasons).toContain(reason);
    }
    expect(response.text).not.toMatch(/eyJ/);
  });

  it('describes its endpoints in the OpenAPI document', async () => {
    const docs = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/exchanges', '/exchanges/{id}', '/rejections', '/operator/dead-letters', '/operator/dead-letters/{id}/replay']),
    );
  });
});

describe('housekeeping: the replay guard', () => {
  interface SeenRow {
    sender: string;
    id: string;
    expires_at: Date;
  }
  const seenRows = () => queryAs<SeenRow>(hubDatabaseUrl, 'SELECT sender, id, expires_at FROM seen_message');
  const key = (row: SeenRow) => `${row.sender}/${row.id}`;

  it('forgets a message id only after its message has expired, and the expired message stays refused', async () => {
    const { inquiryId, claims } = inquiryClaims({ ...PEN_TAX_INCOME, ...newPerson().subjectsFor(PENSION, TAX) });
    const token = await signMessage(rings[PENSION], { to: HUB, type: MESSAGE_TYPES.inquiry, claims, ttlSeconds: 2, id: inquiryId });
    await enqueue(PENSION, 'inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId);
    await deliveryUnder(TAX, exchange.provider_handle!);
    const expiresAt = (await seenRows()).find((row) => row.id === inquiryId && row.sender === PENSION)!.expires_at.getTime();
    const pruner = app.get(SeenMessagePruner);

    // Pruning as if at time `now` removes exactly the ids that expired a grace period before it.
    async function pruneAt(now: number): Promise<void> {
      const before = await seenRows();
      const expired = before.filter((row) => row.expires_at.getTime() < now - PRUNE_GRACE_MS).map(key);
      expect(await pruner.prune(new Date(now))).toBe(expired.length);
      const after = (await seenRows()).map(key);
      expect(after.sort()).toEqual(before.map(key).filter((id) => !expired.includes(id)).sort());
    }
    await pruneAt(expiresAt + PRUNE_GRACE_MS - 1_000);
    expect((await seenRows()).map((row) => row.id)).toContain(inquiryId);
    await pruneAt(expiresAt + PRUNE_GRACE_MS + 1_000);
    expect((await seenRows()).map((row) => row.id)).not.toContain(inquiryId);

    // Its id forgotten, the message comes again once it has expired: refused as expired, not delivered twice.
    await pollUntil(() => Date.now() > expiresAt + 1_000, { what: 'the inquiry to expire', timeoutMs: 10_000 });
    const sentBefore = await sentJobCount();
    await enqueue(PENSION, 'inquiry', { token }, `${inquiryId}-late`);
    expect(await rejectionOf(`${inquiryId}-late`)).toMatchObject({ reason: 'expired' });
    expect(await exchangeRows('inquiry_id = $1', [inquiryId])).toHaveLength(1);
    expect(await sentJobCount()).toBe(sentBefore);
  });

  it('prunes in batches until every expired id is gone', async () => {
    await queryAs(
      hubDatabaseUrl,
      `INSERT INTO seen_message (id, sender, job_id, expires_at)
       SELECT 'old-' || n, 'pension-agency', 'job-' || n, now() - interval '1 day' FROM generate_series(1, 7) AS n`,
    );
    // One cut-off for the whole check: no row can cross it between counting and pruning.
    const cutoff = new Date(Date.now() - PRUNE_GRACE_MS);
    const expired = (await seenRows()).filter((row) => row.expires_at < cutoff).length;
    expect(expired).toBeGreaterThanOrEqual(7);
    expect(await app.get(ExchangeLogRepository).pruneSeenMessages(cutoff, 3)).toBe(expired);
    expect((await seenRows()).filter((row) => row.expires_at < cutoff)).toEqual([]);
  });
});

describe('housekeeping: an exchange nobody answers', () => {
  it('is closed as expired once no answer could be accepted any more; the requester and the citizen are told', async () => {
    const person = newPerson();
    const { inquiryId, token } = await inquiryAbout(person, PENSION);
    await enqueue(PENSION, 'inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId, 'delivered');
    await deliveryUnder(TAX, exchange.provider_handle!);
    const expiry = app.get(ExchangeExpiry);
    const deliveredAt = exchange.created_at.getTime();

    // Until the deadline an answer could still arrive: the exchange stays open.
    await expiry.sweep(new Date(deliveredAt + ANSWER_DEADLINE_SECONDS * 1000 - 5_000));
    expect((await exchangeFor(inquiryId)).status).toBe('delivered');

    expect(await expiry.sweep(new Date(deliveredAt + ANSWER_DEADLINE_SECONDS * 1000 + 5_000))).toBeGreaterThanOrEqual(1);
    const expired = await exchangeFor(inquiryId, 'expired');
    expect(expired.closed_at).toBeInstanceOf(Date);
    expect(expired.record_subject).toBeNull();

    // Pension learns that tax never answered, through the same result path as any other outcome.
    const result = await resultFor(PENSION, inquiryId);
    expect(result.claims).toMatchObject({ inquiryId, status: 'expired' });
    expect(result.claims.payload).toBeUndefined();
    const opened = await openResult(rings[PENSION], result.claims, { provider: TAX, item: 'annual-income' });
    expect(settle(opened)).toEqual({ status: 'failed', reason: expect.stringMatching(/^tax-agency did not answer within 15 minutes/) });

    // The citizen sees that tax was asked about them, and gave nothing.
    const record = await recordUnder(exchange.portal_handle);
    expect(record.claims).toMatchObject({ requester: PENSION, provider: TAX, status: 'unanswered', reason: result.claims.reason });
    expect(portalCodeOf(record.claims).equals(person.codeAt(PORTAL))).toBe(true);

    // Tax answering after all is refused; nothing more is sent.
    const sentBefore = await sentJobCount();
    const late = await signAnswer(TAX, exchange.provider_handle!);
    await enqueue(TAX, 'answer', { token: late.token }, late.answerId);
    expect(await rejectionOf(late.answerId)).toMatchObject({ reason: 'exchange-expired', sender: TAX });

    // A later sweep closes nothing again, and sends nothing new.
    expect(await expiry.sweep(new Date(deliveredAt + ANSWER_DEADLINE_SECONDS * 1000 + 5_000))).toBe(0);
    expect(await sentJobCount()).toBe(sentBefore);
  });

  it('is refused as expired when another hub process closed it, though this one opened it and remembers it open', async () => {
    const { inquiryId, token } = await inquiryAbout(newPerson(), PENSION);
    await enqueue(PENSION, 'inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId, 'delivered');
    await deliveryUnder(TAX, exchange.provider_handle!);
    // Another process: a repository of its own on the same database, which never opened this exchange.
    const elsewhere = new ExchangeLogRepository(app.get(DataSource));
    expect(await elsewhere.findByProviderHandle(exchange.provider_handle!)).toMatchObject({ id: exchange.id, status: 'delivered' });
    const closing = { status: 'expired' as const, answerMessageId: null, closedAt: new Date(), reason: 'closed by another hub process' };
    expect(await elsewhere.close({ id: exchange.id, providerHandle: exchange.provider_handle }, closing, [])).toBe('closed');

    const sentBefore = await sentJobCount();
    const late = await signAnswer(TAX, exchange.provider_handle!);
    await enqueue(TAX, 'answer', { token: late.token }, late.answerId);
    expect(await rejectionOf(late.answerId)).toMatchObject({ reason: 'exchange-expired', sender: TAX });
    expect((await exchangeFor(inquiryId)).status).toBe('expired');
    expect(await sentJobCount()).toBe(sentBefore);
  });
});

describe('housekeeping: the log’s retention period', () => {
  it('keeps metadata 7 years by default, then deletes closed exchanges and old rejections; open ones stay', async () => {
    const retention = app.get(LogRetention);
    const open = await exchangeRows(`status = 'delivered'`, []);
    const closed = await exchangeRows(`status <> 'delivered'`, []);
    expect(closed.length).toBeGreaterThan(0);
    expect(await retention.prune(new Date(Date.now() + 6 * 365 * 24 * 3600_000))).toEqual({ exchanges: 0, rejections: 0 });

    const pruned = await retention.prune(new Date(Date.now() + 8 * 365 * 24 * 3600_000));
    expect(pruned.exchanges).toBe(closed.length);
    expect(pruned.rejections).toBeGreaterThan(0);
    expect((await exchangeRows('true', [])).map((row) => row.id).sort()).toEqual(open.map((row) => row.id).sort());
  });
});

describe('the mix', () => {
  it('sends a round’s messages all at once, in an order unrelated to the order they were queued in', async () => {
    const mix = new OutboundMix(app.get(ExchangeLogRepository), app.get(MessageSender), { mixRoundMs: 30_000, logRetentionDays: 1 }, app.get(LogSequencer), app.get(HubMessages), app.get(SentMessages));
    const orders: string[][] = [];
    for (let round = 0; round < 3; round++) {
      const queued = Array.from({ length: 20 }, () => randomUUID());
      for (const id of queued) {
        await queryAs(hubDatabaseUrl, `INSERT INTO outbound_message (id, recipient, job_name, token) VALUES ($1, 'health-agency', 'delivery', $2)`, [id, `token-${id}`]);
      }
      // With the mix on, a handler's release sends nothing: the round does.
      await mix.release([]);
      expect(await queue(laneTo(HEALTH)).getWaitingCount()).toBe(0);
      expect(await mix.round(new Date(Date.now() + 1_000))).toBe(20);
      // The lane's wait list holds them newest first: reversed, the order they were sent in.
      const order = (await queue(laneTo(HEALTH)).getWaiting(0, 19)).map((job) => String(job.id)).reverse();
      expect(new Set(order)).toEqual(new Set(queued));
      orders.push(order);
      expect(order).not.toEqual(queued);
      await queue(laneTo(HEALTH)).drain();
    }
    expect(new Set(orders.map((order) => order.join())).size).toBe(3);
    expect(await outboxCount()).toBe(0);
  });

  it('logs a round’s messages in the order it sends them, not the order they were queued in, and a retried round keeps their leaves', async () => {
    const mix = new OutboundMix(app.get(ExchangeLogRepository), app.get(MessageSender), { mixRoundMs: 30_000, logRetentionDays: 1 }, app.get(LogSequencer), app.get(HubMessages), app.get(SentMessages));
    const facts = { requester: HEALTH, provider: TAX, rule: 'R-HEA-TAX-INCOME', item: 'annual-income' } as const;
    const drafts = Array.from({ length: 20 }, () => app.get(HubMessages).result(HEALTH, { inquiryId: randomUUID(), status: 'denied', reason: 'a test' }, facts));
    for (const draft of drafts) {
      await queryAs(hubDatabaseUrl, 'INSERT INTO outbound_message (id, recipient, job_name, draft) VALUES ($1, $2, $3, $4)', [draft.id, draft.recipient, draft.jobName, JSON.stringify(draft.draft)]);
    }
    // A round that logged them and died before sending: the next gives them the same leaves, and appends none.
    const logged = await app.get(LogSequencer).issueReceipts(drafts);
    const again = await app.get(LogSequencer).issueReceipts(drafts);
    expect(again.map((message) => message.receipt)).toEqual(logged.map((message) => message.receipt));

    expect(await mix.round(new Date(Date.now() + 1_000))).toBe(20);
    const sent = (await queue(laneTo(HEALTH)).getWaiting(0, 19)).reverse();
    const claims = await Promise.all(sent.map(async (job) => (await verifyResult(rings[HEALTH], tokenOf(job)))));
    const indices = claims.map((claim) => claim.receipt!.index);
    // The round found them logged already (here in the order they were queued): it sent them under those leaves.
    expect(indices.sort((a, b) => a - b)).toEqual(logged.map((message) => message.receipt!.index));
    await queue(laneTo(HEALTH)).drain();

    // A fresh round logs as it sends: the indices run in the order the lane received them.
    const fresh = Array.from({ length: 20 }, () => app.get(HubMessages).result(HEALTH, { inquiryId: randomUUID(), status: 'denied', reason: 'a test' }, facts));
    for (const draft of fresh) {
      await queryAs(hubDatabaseUrl, 'INSERT INTO outbound_message (id, recipient, job_name, draft) VALUES ($1, $2, $3, $4)', [draft.id, draft.recipient, draft.jobName, JSON.stringify(draft.draft)]);
    }
    expect(await mix.round(new Date(Date.now() + 1_000))).toBe(20);
    const freshSent = (await queue(laneTo(HEALTH)).getWaiting(0, 19)).reverse();
    const freshIndices = await Promise.all(freshSent.map(async (job) => (await verifyResult(rings[HEALTH], tokenOf(job))).receipt!.index));
    // The indices run in the lane's order (whichever end the wait list starts from), so they follow the send order…
    const ascending = [...freshIndices].sort((a, b) => a - b);
    expect([ascending, [...ascending].reverse()]).toContainEqual(freshIndices);
    expect(ascending[19] - ascending[0]).toBe(19);
    // …and not the order the messages were queued in.
    const byIndex = freshSent.map((job, i) => ({ id: String(job.id), index: freshIndices[i] })).sort((a, b) => a.index - b.index);
    expect(byIndex.map((entry) => entry.id)).not.toEqual(fresh.map((draft) => draft.id));
    await queue(laneTo(HEALTH)).drain();
    expect(await outboxCount()).toBe(0);
  });
});

describe('the transparency log', () => {
  const auditor = async () => httpAs(app, await asOperator(app, HUB, 'hub-auditor'));

  async function proveIncluded(receipt: LogReceipt): Promise<boolean> {
    const latest = (await (await auditor()).get('/log/tree-head').expect(200)).body as { size: number; root: string; signed: string };
    const head = await verifyTreeHead(rings[PORTAL], latest.signed);
    const { proof, leafHash } = (await (await auditor()).get(`/log/proofs/inclusion?index=${receipt.index}&size=${head.size}`).expect(200)).body as { proof: string[]; leafHash: string };
    const then = await verifyTreeHead(rings[PORTAL], receipt.treeHead);
    const consistency = (await (await auditor()).get(`/log/proofs/consistency?first=${then.size}&second=${head.size}`).expect(200)).body as { proof: string[] };
    return (
      leafHash === encodeHash(hashLeaf(receipt.leaf)) &&
      verifyInclusion(hashLeaf(receipt.leaf), receipt.index, head.size, proof.map(decodeHash), decodeHash(head.root)) &&
      verifyConsistency(then.size, head.size, consistency.proof.map(decodeHash), decodeHash(then.root), decodeHash(head.root))
    );
  }

  it('gives every recipient a receipt of its own: its leaf, whose commitment only its handle opens, proven in the newest signed tree', async () => {
    const person = newPerson();
    const { inquiryId, token } = await inquiryAbout(person, PENSION);
    await enqueue(PENSION, 'inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId, 'delivered');
    const delivery = await deliveryUnder(TAX, exchange.provider_handle!);
    const answer = await signAnswer(TAX, exchange.provider_handle!);
    await enqueue(TAX, 'answer', { token: answer.token }, answer.answerId);
    const result = await resultFor(PENSION, inquiryId);
    const record = await recordUnder(exchange.portal_handle);

    const received = [
      { party: TAX, handle: exchange.provider_handle!, receipt: delivery.claims.receipt, event: 'delivered', status: 'delivered' },
      { party: PENSION, handle: inquiryId, receipt: result.claims.receipt, event: 'closed', status: 'answered' },
      { party: PORTAL, handle: exchange.portal_handle, receipt: record.claims.receipt, event: 'closed', status: 'permitted' },
    ];
    for (const { party, handle, receipt, event, status } of received) {
      if (!receipt) throw new Error(`${party} got no receipt`);
      const leaf = logLeafSchema.parse(JSON.parse(receipt.leaf));
      expect(leaf).toMatchObject({ event, to: party, requester: PENSION, provider: TAX, rule: 'R-PEN-TAX-INCOME', item: 'annual-income', status });
      expect(leaf.commitment).toBe(commitToHandle(handle, receipt.nonce));
      // No handle in the clear: not this party's, not another's.
      for (const other of received) expect(receipt.leaf).not.toContain(other.handle);
      expect(await proveIncluded(receipt)).toBe(true);
    }
    // Nothing one party keeps is kept by another: leaves, indices, nonces and tree heads all differ.
    for (const field of ['leaf', 'index', 'nonce', 'treeHead'] as const) {
      expect(new Set(received.map(({ receipt }) => receipt![field])).size).toBe(3);
    }
  });

  it('gives a receipt’s holder its inclusion and consistency proofs in one answer, the same as asked one by one', async () => {
    const [row] = await queryAs<{ idx: string }>(hubDatabaseUrl, 'SELECT idx FROM log_leaf ORDER BY idx LIMIT 1 OFFSET 2');
    const head = (await (await auditor()).get('/log/tree-head').expect(200)).body as { size: number };
    const index = Number(row.idx);
    const first = index + 1;
    const since = Math.max(1, head.size - 1);
    const together = (await (await auditor()).get(`/log/proofs/receipt?index=${index}&size=${head.size}&first=${first}&since=${since}`).expect(200)).body as { inclusion: string[]; leafHash: string; fromFirst: string[]; fromSince: string[] | null };
    const inclusion = (await (await auditor()).get(`/log/proofs/inclusion?index=${index}&size=${head.size}`).expect(200)).body as { proof: string[]; leafHash: string };
    const fromFirst = (await (await auditor()).get(`/log/proofs/consistency?first=${first}&second=${head.size}`).expect(200)).body as { proof: string[] };
    const fromSince = (await (await auditor()).get(`/log/proofs/consistency?first=${since}&second=${head.size}`).expect(200)).body as { proof: string[] };
    expect(together).toEqual({ inclusion: inclusion.proof, leafHash: inclusion.leafHash, fromFirst: fromFirst.proof, fromSince: fromSince.proof });
    const withoutSince = (await (await auditor()).get(`/log/proofs/receipt?index=${index}&size=${head.size}&first=${first}`).expect(200)).body as { fromSince: unknown };
    expect(withoutSince.fromSince).toBeNull();
  });

  it('shows a changed, removed or reordered leaf: the proofs no longer hold against the heads the hub signed', async () => {
    const [row] = await queryAs<{ idx: string; leaf: string }>(hubDatabaseUrl, 'SELECT idx, leaf FROM log_leaf ORDER BY idx LIMIT 1 OFFSET 1');
    const head = (await (await auditor()).get('/log/tree-head').expect(200)).body as { size: number; root: string; signed: string };
    const receipt: LogReceipt = { leaf: row.leaf, index: Number(row.idx), nonce: 'A'.repeat(22), treeHead: head.signed };
    expect(await proveIncluded(receipt)).toBe(true);

    await queryAs(hubDatabaseUrl, `UPDATE log_leaf SET leaf = replace(leaf, '"status":"', '"status":"x') WHERE idx = 0`);
    expect(await proveIncluded(receipt)).toBe(false);
    await queryAs(hubDatabaseUrl, `UPDATE log_leaf SET leaf = replace(leaf, '"status":"x', '"status":"') WHERE idx = 0`);
    expect(await proveIncluded(receipt)).toBe(true);

    const swap = async () => {
      for (const [from, to] of [[0, 1e9], [2, 0], [1e9, 2]]) await queryAs(hubDatabaseUrl, 'UPDATE log_leaf SET idx = $2 WHERE idx = $1', [from, to]);
    };
    await swap();
    expect(await proveIncluded(receipt)).toBe(false);
    await swap();

    // The newest leaf changed: the signed tree still holds the original, and the hub no longer does.
    const [last] = await queryAs<{ idx: string; leaf: string }>(hubDatabaseUrl, 'SELECT idx, leaf FROM log_leaf ORDER BY idx DESC LIMIT 1');
    const lastReceipt: LogReceipt = { leaf: last.leaf, index: Number(last.idx), nonce: 'A'.repeat(22), treeHead: head.signed };
    expect(await proveIncluded(lastReceipt)).toBe(true);
    await queryAs(hubDatabaseUrl, `UPDATE log_leaf SET leaf = replace(leaf, '"status":"', '"status":"x') WHERE idx = $1`, [last.idx]);
    expect(await proveIncluded(lastReceipt)).toBe(false);
    await queryAs(hubDatabaseUrl, 'UPDATE log_leaf SET leaf = $2 WHERE idx = $1', [last.idx, last.leaf]);

    const [removed] = await queryAs<{ idx: string; leaf: string }>(hubDatabaseUrl, 'DELETE FROM log_leaf WHERE idx = 0 RETURNING idx, leaf');
    const damaged = await (await auditor()).get(`/log/proofs/inclusion?index=${receipt.index}&size=${head.size}`);
    expect(damaged.status).toBe(503);
    expect(damaged.body).toMatchObject({ code: 'log-damaged' });
    await queryAs(hubDatabaseUrl, 'INSERT INTO log_leaf (idx, leaf) VALUES ($1, $2)', [removed.idx, removed.leaf]);
    expect(await proveIncluded(receipt)).toBe(true);
  });

  it('has PostgreSQL hash the stored leaves as hashLeaf does, in index order across its rows of hashes, and count the rows it found', async () => {
    const repository = new TransparencyLogRepository(app.get(DataSource));
    const [{ logged }] = await queryAs<{ logged: number }>(hubDatabaseUrl, 'SELECT count(*)::int AS logged FROM log_leaf');
    // More leaves than one row of hashes holds, some of them not ASCII: the hash is of the leaf's UTF-8 bytes.
    const added = HASHES_PER_ROW + 100;
    await queryAs(hubDatabaseUrl, `INSERT INTO log_leaf (idx, leaf) SELECT $1::bigint + i, 'leaf ' || i || CASE WHEN i % 7 = 0 THEN ' 東京都 é' ELSE '' END FROM generate_series(0, $2::int - 1) AS i`, [logged, added]);
    try {
      const rows = await queryAs<{ leaf: string }>(hubDatabaseUrl, 'SELECT leaf FROM log_leaf ORDER BY idx');
      expect(rows).toHaveLength(logged + added);
      const all = await repository.leafHashes(rows.length);
      expect(all.held).toBe(rows.length);
      expect(all.hashes.length).toBe(rows.length);
      const mismatched = rows.filter((row, index) => encodeHash(all.hashes.at(index)!) !== encodeHash(hashLeaf(row.leaf)));
      expect(mismatched).toEqual([]);
      expect(encodeHash(treeRoot(all.hashes))).toBe(encodeHash(treeRoot(rows.map((row) => hashLeaf(row.leaf)))));

      const first = await repository.leafHashes(logged + HASHES_PER_ROW + 1);
      expect(first.held).toBe(logged + HASHES_PER_ROW + 1);
      expect(encodeHash(treeRoot(first.hashes))).toBe(encodeHash(treeRoot(rows.slice(0, logged + HASHES_PER_ROW + 1).map((row) => hashLeaf(row.leaf)))));

      await queryAs(hubDatabaseUrl, 'DELETE FROM log_leaf WHERE idx = $1', [logged + 5]);
      expect((await repository.leafHashes(rows.length)).held).toBe(rows.length - 1);
    } finally {
      await queryAs(hubDatabaseUrl, 'DELETE FROM log_leaf WHERE idx >= $1', [logged]);
    }
  });

  it('computes one proof at a time, lets a few more wait, and tells the rest to come back (503 log-busy, Retry-After)', async () => {
    const head = (await (await auditor()).get('/log/tree-head').expect(200)).body as { size: number };
    const as = await auditor();
    const ask = () => as.get(`/log/proofs/consistency?first=1&second=${head.size}`).then((answer) => answer);
    // Hold the leaves: the first proof waits in PostgreSQL, so every proof asked meanwhile finds the gate taken.
    const holder = new Client({ connectionString: hubDatabaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE log_leaf IN ACCESS EXCLUSIVE MODE');
      const first = ask();
      await pollUntil(async () => {
        const [row] = await queryAs<{ waiting: number }>(hubDatabaseUrl, `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM log_leaf%'`);
        return row.waiting > 0 ? true : undefined;
      }, { timeoutMs: 10_000, what: 'the first proof waiting for the leaves' });
      const extra = 3;
      const answered: number[] = [];
      const more = Array.from({ length: PROOFS_WAITING + extra }, () => ask().then((answer) => (answered.push(answer.status), answer)));
      // Those beyond the waiting room are answered at once, while the others still wait.
      await pollUntil(async () => (answered.length >= extra ? true : undefined), { timeoutMs: 10_000, what: 'the refusals' });
      expect(answered).toEqual(Array(extra).fill(503));
      await holder.query('COMMIT');
      const answers = await Promise.all([first, ...more]);
      const busy = answers.filter((answer) => answer.status === 503);
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(PROOFS_AT_ONCE + PROOFS_WAITING);
      expect(busy).toHaveLength(extra);
      for (const refused of busy) {
        expect(refused.body).toMatchObject({ statusCode: 503, code: 'log-busy' });
        expect(refused.headers['retry-after']).toBe('1');
      }
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  it('stays one log when two hub processes append at once: a leaf per message, no gap, every head the root of the leaves before it', async () => {
    // Two sequencers, each with its own repository, as two hub processes would have: each shares
    // appends among its own callers, and the two race for the same next index.
    const processes = [0, 1].map(() => new LogSequencer(new TransparencyLogRepository(app.get(DataSource)), app.get(HubKeys), new SentMessages(new ExchangeLogRepository(app.get(DataSource)))));
    const facts = { requester: HEALTH, provider: TAX, rule: 'R-HEA-TAX-INCOME', item: 'annual-income' } as const;
    const rounds = Array.from({ length: 12 }, () => Array.from({ length: 5 }, () => app.get(HubMessages).result(HEALTH, { inquiryId: randomUUID(), status: 'denied', reason: 'a test' }, facts)));
    for (const draft of rounds.flat()) {
      await queryAs(hubDatabaseUrl, 'INSERT INTO outbound_message (id, recipient, job_name, draft) VALUES ($1, $2, $3, $4)', [draft.id, draft.recipient, draft.jobName, JSON.stringify(draft.draft)]);
    }
    const logged = (await Promise.all(rounds.map((round, index) => processes[index % 2].issueReceipts(round)))).flat();
    const receipts = logged.map((message) => message.receipt!);
    expect(new Set(receipts.map((receipt) => receipt.index)).size).toBe(rounds.flat().length);

    const rows = await queryAs<{ idx: string; leaf: string }>(hubDatabaseUrl, 'SELECT idx, leaf FROM log_leaf ORDER BY idx');
    expect(rows.map((row) => Number(row.idx))).toEqual(rows.map((_, index) => index));
    const hashes = rows.map((row) => hashLeaf(row.leaf));
    for (const receipt of receipts) {
      expect(rows[receipt.index].leaf).toBe(receipt.leaf);
      const head = await verifyTreeHead(rings[PORTAL], receipt.treeHead);
      expect(head.size).toBe(receipt.index + 1);
      expect(head.root).toBe(encodeHash(treeRoot(hashes.slice(0, head.size))));
    }
    const heads = await queryAs<{ size: string; root: string }>(hubDatabaseUrl, 'SELECT size, root FROM log_tree_head ORDER BY size');
    for (const head of heads) expect(head.root).toBe(encodeHash(treeRoot(hashes.slice(0, Number(head.size)))));
    await queryAs(hubDatabaseUrl, 'DELETE FROM outbound_message WHERE id = ANY($1)', [logged.map((message) => message.id)]);
  });

  it('deletes the rows of messages already sent in the statement of the next append, and puts them back when that append loses its indices', async () => {
    /** Rows that never wait long enough to be deleted on their own: only an append deletes them here. */
    class AppendOnlySentMessages extends SentMessages {
      protected override readonly forgetWithinMs = 3_600_000;
    }
    const repository = new ExchangeLogRepository(app.get(DataSource));
    const deletesOnTheirOwn = jest.spyOn(repository, 'deleteOutbound');
    const sent = new AppendOnlySentMessages(repository);
    const log = new TransparencyLogRepository(app.get(DataSource));
    const sequencer = new LogSequencer(log, app.get(HubKeys), sent);
    const facts = { requester: HEALTH, provider: TAX, rule: 'R-HEA-TAX-INCOME', item: 'annual-income' } as const;
    const draft = () => app.get(HubMessages).result(HEALTH, { inquiryId: randomUUID(), status: 'denied', reason: 'a test' }, facts);
    const queue = async (messages: { id: string; recipient: string; jobName: string; draft: unknown }[]) => {
      for (const message of messages) {
        await queryAs(hubDatabaseUrl, 'INSERT INTO outbound_message (id, recipient, job_name, draft) VALUES ($1, $2, $3, $4)', [message.id, message.recipient, message.jobName, JSON.stringify(message.draft)]);
      }
    };
    const stored = async (ids: string[]) => (await queryAs<{ id: string }>(hubDatabaseUrl, 'SELECT id FROM outbound_message WHERE id = ANY($1)', [ids])).map((row) => row.id).sort();
    try {
      const first = [draft(), draft()];
      await queue(first);
      await sequencer.issueReceipts(first);
      sent.add(first.map((message) => message.id));
      expect(await stored(first.map((message) => message.id))).toHaveLength(2);

      // Another hub process appends between this one's read of the head and its append: that append
      // finds its indices taken, writes and deletes nothing, and leaves the sent rows to the next attempt.
      const second = [draft()];
      const elsewhere = [draft()];
      await queue([...second, ...elsewhere]);
      const other = new LogSequencer(new TransparencyLogRepository(app.get(DataSource)), app.get(HubKeys), new SentMessages(new ExchangeLogRepository(app.get(DataSource))));
      const readHead = log.startAppend.bind(log);
      jest.spyOn(log, 'startAppend').mockImplementationOnce(async (ids) => {
        const start = await readHead(ids);
        await other.issueReceipts(elsewhere);
        return start;
      });
      const appends = jest.spyOn(log, 'append');
      await sequencer.issueReceipts(second);
      expect(appends).toHaveBeenCalledTimes(2);
      expect(await appends.mock.results[0].value).toBe('taken');
      expect(await appends.mock.results[1].value).toBe('appended');
      // Both attempts carried the sent rows; the one that committed deleted them, in no statement of their own.
      expect(appends.mock.calls.map((call) => call[4])).toEqual([first.map((message) => message.id), first.map((message) => message.id)]);
      expect(await stored(first.map((message) => message.id))).toEqual([]);
      expect(await stored(second.map((message) => message.id))).toEqual(second.map((message) => message.id));
      expect(sent.take()).toEqual([]);
      expect(deletesOnTheirOwn).not.toHaveBeenCalled();

      // With no append to come, a flush deletes them on their own.
      sent.add(second.map((message) => message.id));
      await sent.flush();
      expect(await stored(second.map((message) => message.id))).toEqual([]);
      expect(deletesOnTheirOwn).toHaveBeenCalledWith(second.map((message) => message.id));
      await queryAs(hubDatabaseUrl, 'DELETE FROM outbound_message WHERE id = ANY($1)', [elsewhere.map((message) => message.id)]);
    } finally {
      jest.restoreAllMocks();
      await sent.beforeApplicationShutdown();
    }
  });

  it('answers tree heads and proofs to the hub auditor and the portal only; the leaves and every head to the auditor only', async () => {
    const reads = ['/log/tree-head', '/log/proofs/inclusion?index=0&size=1', '/log/proofs/consistency?first=0&second=1', '/log/proofs/receipt?index=0&size=1&first=1'];
    const auditorOnly = ['/log/tree-heads', '/log/leaves'];
    for (const path of [...reads, ...auditorOnly]) {
      expect((await request(app.getHttpServer()).get(path).expect(401)).body).toMatchObject({ code: 'unauthenticated' });
      await request(app.getHttpServer()).get(path).set(await asOperator(app, HUB, 'dead-letter-admin')).expect(403);
      await signedServiceRequest(app, rings[TAX], HUB, 'GET', path).expect(403);
      await (await auditor()).get(path).expect(200);
    }
    for (const path of reads) await signedServiceRequest(app, rings[PORTAL], HUB, 'GET', path).expect(200);
    for (const path of auditorOnly) await signedServiceRequest(app, rings[PORTAL], HUB, 'GET', path).expect(403);
    expect((await (await auditor()).get('/log/proofs/inclusion?index=-1&size=1').expect(400)).body).toMatchObject({ statusCode: 400 });
    expect((await (await auditor()).get('/log/proofs/inclusion?index=0&size=999999999').expect(400)).body).toMatchObject({ code: 'log-range' });
    for (const bad of ['index=1&size=1&first=1', 'index=0&size=1&first=2', 'index=0&size=1&first=1&since=2', 'index=0&size=999999999&first=1']) {
      expect((await (await auditor()).get(`/log/proofs/receipt?${bad}`).expect(400)).body).toMatchObject({ code: 'log-range' });
    }
    for (const bad of ['index=0&size=1', 'index=0&size=1&first=0', 'index=0&size=1&first=1&since=x', 'index=a&size=1&first=1']) {
      expect((await (await auditor()).get(`/log/proofs/receipt?${bad}`).expect(400)).body).toMatchObject({ statusCode: 400 });
    }
  });
});
