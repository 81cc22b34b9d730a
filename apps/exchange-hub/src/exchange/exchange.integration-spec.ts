import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Queue, type Job, type JobType } from 'bullmq';
import { generateKeyPair, SignJWT, type KeyLike } from 'jose';
import request from 'supertest';
import {
  decryptCode,
  encryptCode,
  generateProcessingSerial,
  issueAgencyCode,
  parseCiphertext,
  parseIssuerBundle,
  parsePartyBundle,
  type AgencyCode,
  type IssuerBundle,
  type PartyBundle,
  type ProcessingSerial,
} from '@myna/codes';
import { bullConnection, DELIVERY_OPTIONS } from '@myna/messaging';
import {
  ANSWER_DEADLINE_SECONDS,
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
  sealMessage,
  settle,
  signMessage,
  verifyMessage,
  verifyResult,
  type AnswerPayloadClaims,
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
  startTestServiceApp,
  TEST_REDIS_PREFIX,
  TEST_REDIS_URL,
  testKeysDir,
} from '@myna/testing';
import { ExchangeLogRepository } from '../exchange-log/exchange-log.repository';
import { PRUNE_GRACE_MS, SeenMessagePruner } from '../housekeeping/seen-message-pruner';
import { ExchangeExpiry } from '../housekeeping/exchange-expiry';
import { exchangeHubService } from '../service-definition';

/*
 * The hub for real (its own PostgreSQL database, the machine's Redis, its inline
 * worker); the test plays every other party with their test keys: it puts
 * messages on the hub's queue and reads what the hub puts on theirs.
 */

const HUB = EXCHANGE_HUB;
const PENSION = 'pension-agency' satisfies CodeHolder;
const TAX = 'tax-agency' satisfies CodeHolder;
const HEALTH = 'health-agency' satisfies CodeHolder;
const PORTAL = 'myna-portal' satisfies CodeHolder;
const PEN_TAX_INCOME = { provider: TAX, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' } as const;
const ALL_JOB_STATES: JobType[] = ['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed', 'waiting-children'];

interface ExchangeRow {
  id: string;
  inquiry_id: string;
  inquiry_job_id: string;
  requester: string;
  provider: string;
  rule: string;
  item: string;
  status: string;
  reason: string | null;
  delivery_token: string | null;
  created_at: Date;
  closed_at: Date | null;
}

interface Person {
  serial: ProcessingSerial;
  codeAt(party: CodeHolder): AgencyCode;
  /** What the party would put in an inquiry: its own code, freshly encrypted to itself. */
  subjectFor(party: CodeHolder): string;
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

function newPerson(): Person {
  const serial = generateProcessingSerial();
  const person: Person = {
    serial,
    codeAt: (party) => issueAgencyCode(issuer, party, serial),
    subjectFor: (party) => encryptCode(issueAgencyCode(issuer, party, serial), partyBundles[party].publicKey).toText(),
  };
  persons.push(person);
  return person;
}

interface InquiryFields {
  provider: string;
  rule: string;
  item: string;
  subject: string;
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
      nonce: randomBytes(16).toString('base64url'),
    },
  };
}

async function signInquiry(from: CodeHolder, fields: InquiryFields): Promise<{ inquiryId: string; token: string }> {
  const { inquiryId, claims } = inquiryClaims(fields);
  const token = await signMessage(rings[from], {
    to: HUB,
    type: MESSAGE_TYPES.inquiry,
    claims,
    ttlSeconds: MESSAGE_TTL_SECONDS,
    id: inquiryId,
  });
  return { inquiryId, token };
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
  exchangeId: string,
  options: { requester?: CodeHolder; outcome?: 'answered' | 'no-record'; payload?: string; value?: Record<string, unknown> } = {},
): Promise<{ answerId: string; token: string; payload: string }> {
  const requester = options.requester ?? PENSION;
  const payload =
    options.payload ??
    (await sealMessage(rings[from], {
      to: requester,
      type: MESSAGE_TYPES.answerPayload,
      claims: { exchangeId, item: 'annual-income', value: options.value ?? { annualIncome: 3_200_000 } },
      ttlSeconds: MESSAGE_TTL_SECONDS,
    }));
  const answerId = randomUUID();
  const token = await signMessage(rings[from], {
    to: HUB,
    alsoTo: [requester],
    type: MESSAGE_TYPES.answer,
    claims: { exchangeId, outcome: options.outcome ?? 'answered', payload },
    ttlSeconds: MESSAGE_TTL_SECONDS,
    id: answerId,
  });
  return { answerId, token, payload };
}

async function enqueue(jobName: string, data: unknown, jobId: string): Promise<void> {
  await queue(inboundQueue(HUB)).add(jobName, data, { ...DELIVERY_OPTIONS, jobId });
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

function waitForJob(party: Service, jobId: string): Promise<Job> {
  return pollUntil(() => queue(inboundQueue(party)).getJob(jobId), { what: `job ${jobId} on ${party}'s queue` });
}

async function jobsOn(queueName: string): Promise<Job[]> {
  return (await queue(queueName).getJobs(ALL_JOB_STATES)).filter(Boolean);
}

/** Every job on every code holder's inbound queue: what the hub has sent. */
async function sentJobCount(): Promise<number> {
  let count = 0;
  for (const holder of CODE_HOLDERS) count += (await jobsOn(inboundQueue(holder))).length;
  return count;
}

interface RejectionRow {
  job_id: string;
  job_name: string;
  reason: string;
  detail: string;
  sender: string | null;
}

function rejectionsOf(jobId: string): Promise<RejectionRow[]> {
  return queryAs<RejectionRow>(hubDatabaseUrl, 'SELECT * FROM rejected_message WHERE job_id = $1 ORDER BY id', [jobId]);
}

async function rejectionOf(jobId: string): Promise<RejectionRow> {
  return pollUntil(async () => (await rejectionsOf(jobId))[0], { what: `a rejection of job ${jobId}` });
}

async function deadLetterOf(jobId: string): Promise<{ code: string; reason: string; jobName: string }> {
  const letter = await pollUntil(() => queue(deadLetterQueue(HUB)).getJob(jobId), { what: `dead letter ${jobId}` });
  return letter.data as { code: string; reason: string; jobName: string };
}

function fromHub(type: string) {
  return { type, from: [HUB], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS };
}

async function waitUntilCompleted(jobId: string, after = 0): Promise<void> {
  await pollUntil(
    async () => {
      const job = await queue(inboundQueue(HUB)).getJob(jobId);
      return job !== undefined && (await job.getState()) === 'completed' && (job.finishedOn ?? 0) > after;
    },
    { what: `hub job ${jobId} to complete` },
  );
}

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
  const names = [inboundQueue(HUB), deadLetterQueue(HUB), ...CODE_HOLDERS.map((holder) => inboundQueue(holder))];
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
  let answer: { answerId: string; token: string; payload: string };

  it('delivers to tax an opaque token that only tax can open, holding exactly tax’s code for the person', async () => {
    person = newPerson();
    const inquiry = await signInquiry(PENSION, { ...PEN_TAX_INCOME, subject: person.subjectFor(PENSION) });
    inquiryId = inquiry.inquiryId;
    await enqueue('inquiry', { token: inquiry.token }, inquiryId);

    exchange = await exchangeFor(inquiryId);
    expect(exchange).toMatchObject({ status: 'delivered', requester: PENSION, provider: TAX, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' });
    expect(exchange.closed_at).toBeNull();

    const deliveries = await pollUntil(async () => {
      const jobs = await jobsOn(inboundQueue(TAX));
      return jobs.length > 0 && jobs;
    });
    expect(deliveries.map((job) => [job.id, job.name])).toEqual([[exchange.id, 'delivery']]);
    const token = (deliveries[0].data as { token: string }).token;
    expect(token.split('.')).toHaveLength(5);
    expect(deliveries[0].data).toEqual({ token: exchange.delivery_token });

    for (const outsider of [PENSION, HEALTH, PORTAL, HUB] as Service[]) {
      await expect(decryptForMe(rings[outsider], token)).rejects.toMatchObject({ code: 'not-for-me' });
    }
    const delivery = await openMessage<DeliveryClaims>(rings[TAX], token, fromHub(MESSAGE_TYPES.delivery));
    expect(delivery.id).toBe(exchange.id);
    expect(delivery.claims).toMatchObject({
      exchangeId: exchange.id,
      requester: PENSION,
      rule: 'R-PEN-TAX-INCOME',
      item: 'annual-income',
      parameters: { fiscalYear: 2025 },
    });
    const taxCode = decryptCode(parseCiphertext(delivery.claims.subject), partyBundles[TAX].secretKey);
    expect(taxCode.equals(person.codeAt(TAX))).toBe(true);
    expect(taxCode.equals(person.codeAt(PENSION))).toBe(false);
  });

  it('relays tax’s answer unchanged to pension in a hub-signed result, and closes the exchange', async () => {
    answer = await signAnswer(TAX, exchange.id);
    await enqueue('answer', { token: answer.token }, answer.answerId);

    const resultJob = await waitForJob(PENSION, `result-${exchange.id}`);
    expect(resultJob.name).toBe('result');
    const result = await verifyMessage<ResultClaims>(rings[PENSION], (resultJob.data as { token: string }).token, fromHub(MESSAGE_TYPES.result));
    expect(result.claims).toMatchObject({ inquiryId, exchangeId: exchange.id, status: 'answered', answer: answer.token });

    // Pension checks tax's own signature and reads the payload the hub could not.
    const relayed = await verifyMessage<{ payload: string }>(rings[PENSION], result.claims.answer!, {
      type: MESSAGE_TYPES.answer,
      from: [TAX],
      maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS,
    });
    const payload = await openMessage<AnswerPayloadClaims>(rings[PENSION], relayed.claims.payload, {
      type: MESSAGE_TYPES.answerPayload,
      from: [TAX],
      maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS,
    });
    expect(payload.claims.value).toEqual({ annualIncome: 3_200_000 });
    await expect(decryptForMe(rings[HUB], relayed.claims.payload)).rejects.toMatchObject({ code: 'not-for-me' });

    const closed = await exchangeFor(inquiryId, 'answered');
    expect(closed.closed_at).toBeInstanceOf(Date);
  });

  it('sends the portal an exchange record addressed by the person’s own portal code', async () => {
    const recordJob = await waitForJob(PORTAL, `record-${exchange.id}`);
    expect(recordJob.name).toBe('exchange-record');
    const record = await verifyMessage<ExchangeRecordClaims>(rings[PORTAL], (recordJob.data as { token: string }).token, fromHub(MESSAGE_TYPES.exchangeRecord));
    expect(record.claims).toMatchObject({
      exchangeId: exchange.id,
      requester: PENSION,
      provider: TAX,
      rule: 'R-PEN-TAX-INCOME',
      item: 'annual-income',
      procedure: LegalTable.load().rules.find((rule) => rule.id === 'R-PEN-TAX-INCOME')!.procedure,
      status: 'permitted',
    });
    const portalCode = decryptCode(parseCiphertext(record.claims.subject), partyBundles[PORTAL].secretKey);
    expect(portalCode.equals(person.codeAt(PORTAL))).toBe(true);
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
      subject: person.subjectFor(TAX),
    });
    await enqueue('inquiry', { token }, inquiryId);

    const exchange = await exchangeFor(inquiryId);
    expect(exchange).toMatchObject({ status: 'denied', requester: TAX, provider: HEALTH, delivery_token: null });
    expect(exchange.reason).toMatch(/^no rule R-TAX-HEA-CLAIMS lets tax-agency ask health-agency for medical-claims/);
    expect(exchange.closed_at).toBeInstanceOf(Date);

    const resultJob = await waitForJob(TAX, `result-${exchange.id}`);
    const result = await verifyMessage<ResultClaims>(rings[TAX], (resultJob.data as { token: string }).token, fromHub(MESSAGE_TYPES.result));
    expect(result.claims).toMatchObject({ inquiryId, exchangeId: exchange.id, status: 'denied', reason: exchange.reason });
    expect(result.claims.answer).toBeUndefined();

    const recordJob = await waitForJob(PORTAL, `record-${exchange.id}`);
    const record = await verifyMessage<ExchangeRecordClaims>(rings[PORTAL], (recordJob.data as { token: string }).token, fromHub(MESSAGE_TYPES.exchangeRecord));
    expect(record.claims).toMatchObject({ status: 'denied', procedure: '(no rule)', reason: exchange.reason, requester: TAX, provider: HEALTH });
    expect(decryptCode(parseCiphertext(record.claims.subject), partyBundles[PORTAL].secretKey).equals(person.codeAt(PORTAL))).toBe(true);

    expect(await jobsOn(inboundQueue(HEALTH))).toEqual([]);
  });

  it('is denied too when the rule exists but does not cover the item asked for', async () => {
    const { inquiryId, token } = await signInquiry(PENSION, { ...PEN_TAX_INCOME, item: 'tax-assessment', subject: newPerson().subjectFor(PENSION) });
    await enqueue('inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId);
    expect(exchange.status).toBe('denied');
    expect(exchange.reason).toBe(
      'no rule R-PEN-TAX-INCOME lets pension-agency ask tax-agency for tax-assessment: R-PEN-TAX-INCOME lets pension-agency ask tax-agency for annual-income only',
    );
    expect(await queue(inboundQueue(TAX)).getJob(exchange.id)).toBeUndefined();
  });
});

describe('the portal asking for self-information disclosure', () => {
  it('delivers tax’s code to tax and addresses the record by the portal code, re-randomized', async () => {
    const person = newPerson();
    const subject = person.subjectFor(PORTAL);
    const { inquiryId, token } = await signInquiry(PORTAL, { provider: TAX, rule: 'R-POR-TAX-SELF', item: 'self-disclosure', subject });
    await enqueue('inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId, 'delivered');

    const delivery = await openMessage<DeliveryClaims>(rings[TAX], (await waitForJob(TAX, exchange.id)).data.token, fromHub(MESSAGE_TYPES.delivery));
    expect(decryptCode(parseCiphertext(delivery.claims.subject), partyBundles[TAX].secretKey).equals(person.codeAt(TAX))).toBe(true);

    const answer = await signAnswer(TAX, exchange.id, { requester: PORTAL, outcome: 'no-record', value: {} });
    await enqueue('answer', { token: answer.token }, answer.answerId);
    const result = await verifyMessage<ResultClaims>(rings[PORTAL], (await waitForJob(PORTAL, `result-${exchange.id}`)).data.token, fromHub(MESSAGE_TYPES.result));
    expect(result.claims.status).toBe('no-record');

    const record = await verifyMessage<ExchangeRecordClaims>(rings[PORTAL], (await waitForJob(PORTAL, `record-${exchange.id}`)).data.token, fromHub(MESSAGE_TYPES.exchangeRecord));
    expect(record.claims.subject).not.toBe(subject);
    expect(decryptCode(parseCiphertext(record.claims.subject), partyBundles[PORTAL].secretKey).equals(person.codeAt(PORTAL))).toBe(true);
    expect((await exchangeFor(inquiryId)).status).toBe('no-record');
  });
});

describe('messages the hub refuses: recorded with the reason, dead-lettered, nothing delivered', () => {
  interface Case {
    jobName: string;
    data: unknown;
    jobId: string;
    inquiryId?: string;
  }

  async function validInquiry(from: CodeHolder = PENSION): Promise<{ inquiryId: string; token: string }> {
    return signInquiry(from, { ...PEN_TAX_INCOME, subject: newPerson().subjectFor(from) });
  }

  const now = () => Math.floor(Date.now() / 1000);
  const pensionSigner = () => ({ key: rings[PENSION].signingKey, kid: rings[PENSION].signingKid });

  const cases: Array<[string, string, () => Promise<Case>]> = [
    [
      'a forged signature',
      'bad-signature',
      async () => {
        const { inquiryId, token } = await validInquiry();
        const [header, payload, signature] = token.split('.');
        const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
        return { jobName: 'inquiry', data: { token: `${header}.${payload}.${flipped}` }, jobId: inquiryId, inquiryId };
      },
    ],
    [
      'an expired inquiry',
      'expired',
      async () => {
        const { inquiryId, claims } = inquiryClaims({ ...PEN_TAX_INCOME, subject: newPerson().subjectFor(PENSION) });
        const token = await craftJws(pensionSigner(), {
          iss: PENSION, aud: HUB, typ: MESSAGE_TYPES.inquiry, jti: inquiryId, iat: now() - 400, exp: now() - 100, claims,
        });
        return { jobName: 'inquiry', data: { token }, jobId: inquiryId, inquiryId };
      },
    ],
    [
      'an unsigned inquiry (alg none)',
      'algorithm-not-allowed',
      async () => {
        const { inquiryId, claims } = inquiryClaims({ ...PEN_TAX_INCOME, subject: newPerson().subjectFor(PENSION) });
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const token = `${part({ alg: 'none', typ: MESSAGE_TYPES.inquiry })}.${part({ ...claims, iss: PENSION, aud: HUB, iat: now(), exp: now() + 60, jti: inquiryId })}.`;
        return { jobName: 'inquiry', data: { token }, jobId: inquiryId, inquiryId };
      },
    ],
    [
      'an agency whose key is not in the directory',
      'unknown-sender',
      async () => {
        const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        const { inquiryId, claims } = inquiryClaims({ ...PEN_TAX_INCOME, subject: newPerson().subjectFor(PENSION) });
        const token = await craftJws({ key: privateKey, kid: 'rogue-agency:sig:AAAAAAAAAAAAAAAA' }, {
          iss: PENSION, aud: HUB, typ: MESSAGE_TYPES.inquiry, jti: inquiryId, iat: now(), exp: now() + 60, claims,
        });
        return { jobName: 'inquiry', data: { token }, jobId: inquiryId, inquiryId };
      },
    ],
    [
      'health signing an inquiry as pension (impersonation)',
      'impersonation',
      async () => {
        const { inquiryId, claims } = inquiryClaims({ ...PEN_TAX_INCOME, subject: newPerson().subjectFor(PENSION) });
        const token = await craftJws({ key: rings[HEALTH].signingKey, kid: rings[HEALTH].signingKid }, {
          iss: PENSION, aud: HUB, typ: MESSAGE_TYPES.inquiry, jti: inquiryId, iat: now(), exp: now() + 60, claims,
        });
        return { jobName: 'inquiry', data: { token }, jobId: inquiryId, inquiryId };
      },
    ],
    [
      'an inquiry addressed to another service',
      'wrong-audience',
      async () => {
        const { inquiryId, claims } = inquiryClaims({ ...PEN_TAX_INCOME, subject: newPerson().subjectFor(PENSION) });
        const token = await signMessage(rings[PENSION], { to: TAX, type: MESSAGE_TYPES.inquiry, claims, ttlSeconds: 60, id: inquiryId });
        return { jobName: 'inquiry', data: { token }, jobId: inquiryId, inquiryId };
      },
    ],
    [
      'job data that is not { token }',
      'malformed-payload',
      async () => {
        const { inquiryId, token } = await validInquiry();
        return { jobName: 'inquiry', data: { token, inquiry: 'extra' }, jobId: inquiryId, inquiryId };
      },
    ],
    [
      'a job name no handler knows',
      'unknown-job',
      async () => {
        const { inquiryId, token } = await validInquiry();
        return { jobName: 'delivery', data: { token }, jobId: inquiryId, inquiryId };
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
        return { jobName: 'inquiry', data: { token }, jobId: inquiryId, inquiryId };
      },
    ],
    [
      'an inquiry whose message id is not its inquiryId',
      'invalid-claims',
      async () => {
        const { inquiryId, claims } = inquiryClaims({ ...PEN_TAX_INCOME, subject: newPerson().subjectFor(PENSION) });
        const messageId = randomUUID();
        const token = await signMessage(rings[PENSION], { to: HUB, type: MESSAGE_TYPES.inquiry, claims, ttlSeconds: 60, id: messageId });
        return { jobName: 'inquiry', data: { token }, jobId: messageId, inquiryId };
      },
    ],
  ];

  it.each(cases)('%s → %s', async (_label, reason, build) => {
    const rejected = await build();
    const sentBefore = await sentJobCount();
    await enqueue(rejected.jobName, rejected.data, rejected.jobId);

    const rejection = await rejectionOf(rejected.jobId);
    expect(rejection).toMatchObject({ job_name: rejected.jobName, reason });
    expect(rejection.detail.length).toBeGreaterThan(5);
    const letter = await deadLetterOf(rejected.jobId);
    expect(letter.jobName).toBe(rejected.jobName);
    expect(letter.code).toBe(reason);
    expect(letter.reason.length).toBeGreaterThan(5);

    if (rejected.inquiryId) expect(await exchangeRows('inquiry_id = $1', [rejected.inquiryId])).toEqual([]);
    expect(await sentJobCount()).toBe(sentBefore);
    expect(await rejectionsOf(rejected.jobId)).toHaveLength(1);
  });

  it('a replay: the same inquiry again under another job id', async () => {
    const { inquiryId, token } = await validInquiry();
    await enqueue('inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId);
    await waitForJob(TAX, exchange.id);
    const sentBefore = await sentJobCount();

    await enqueue('inquiry', { token }, `${inquiryId}-again`);
    expect(await rejectionOf(`${inquiryId}-again`)).toMatchObject({ reason: 'replayed', sender: PENSION });
    expect(await deadLetterOf(`${inquiryId}-again`)).toMatchObject({ code: 'replayed', reason: expect.stringMatching(/already received/) });
    expect(await exchangeRows('inquiry_id = $1', [inquiryId])).toHaveLength(1);
    expect(await sentJobCount()).toBe(sentBefore);
  });

  it('answers that do not fit the exchange: from another agency, not sealed to the requester, or a second answer', async () => {
    const { inquiryId, token } = await validInquiry();
    await enqueue('inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId);
    await waitForJob(TAX, exchange.id);

    const fromHealth = await signAnswer(HEALTH, exchange.id);
    await enqueue('answer', { token: fromHealth.token }, fromHealth.answerId);
    expect(await rejectionOf(fromHealth.answerId)).toMatchObject({ reason: 'misaddressed', sender: HEALTH, job_name: 'answer' });
    await deadLetterOf(fromHealth.answerId);

    const inTheClear = await signAnswer(TAX, exchange.id, { payload: 'annual income: 3,200,000 yen' });
    await enqueue('answer', { token: inTheClear.token }, inTheClear.answerId);
    expect(await rejectionOf(inTheClear.answerId)).toMatchObject({ reason: 'payload-not-sealed' });

    const sealedToTax = await signAnswer(TAX, exchange.id, { payload: await sealMessage(rings[TAX], { to: TAX, type: MESSAGE_TYPES.answerPayload, claims: {}, ttlSeconds: 60 }) });
    await enqueue('answer', { token: sealedToTax.token }, sealedToTax.answerId);
    expect(await rejectionOf(sealedToTax.answerId)).toMatchObject({ reason: 'payload-not-sealed' });

    const unknown = await signAnswer(TAX, randomUUID());
    await enqueue('answer', { token: unknown.token }, unknown.answerId);
    expect(await rejectionOf(unknown.answerId)).toMatchObject({ reason: 'unknown-exchange' });

    expect((await exchangeFor(inquiryId)).status).toBe('delivered');
    expect(await queue(inboundQueue(PENSION)).getJob(`result-${exchange.id}`)).toBeUndefined();

    const first = await signAnswer(TAX, exchange.id);
    await enqueue('answer', { token: first.token }, first.answerId);
    await waitForJob(PENSION, `result-${exchange.id}`);
    const second = await signAnswer(TAX, exchange.id, { outcome: 'no-record' });
    await enqueue('answer', { token: second.token }, second.answerId);
    expect(await rejectionOf(second.answerId)).toMatchObject({ reason: 'already-answered' });
    expect((await exchangeFor(inquiryId)).status).toBe('answered');
  });

  it('an answer for a denied exchange', async () => {
    const { inquiryId, token } = await signInquiry(TAX, { provider: HEALTH, rule: 'R-TAX-HEA-CLAIMS', item: 'medical-claims', subject: newPerson().subjectFor(TAX) });
    await enqueue('inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId, 'denied');
    const answer = await signAnswer(HEALTH, exchange.id, { requester: TAX });
    await enqueue('answer', { token: answer.token }, answer.answerId);
    expect(await rejectionOf(answer.answerId)).toMatchObject({ reason: 'not-delivered' });
  });
});

describe('idempotency', () => {
  /** Removes a finished hub job and puts it back under the same id, as after a crash before the acknowledgement. */
  async function runAgain(jobName: string, token: string, jobId: string): Promise<void> {
    const previous = (await queue(inboundQueue(HUB)).getJob(jobId))!;
    const finishedOn = previous.finishedOn!;
    await previous.remove();
    await enqueue(jobName, { token }, jobId);
    await waitUntilCompleted(jobId, finishedOn);
  }

  it('the same inquiry job processed twice yields one exchange and one delivery, re-sent unchanged if it was lost', async () => {
    const { inquiryId, token } = await signInquiry(PENSION, { ...PEN_TAX_INCOME, subject: newPerson().subjectFor(PENSION) });
    await enqueue('inquiry', { token }, inquiryId);
    await waitUntilCompleted(inquiryId);
    const exchange = await exchangeFor(inquiryId);
    const deliveriesOnTax = async () => (await jobsOn(inboundQueue(TAX))).filter((job) => job.id === exchange.id);

    await runAgain('inquiry', token, inquiryId);
    expect(await exchangeRows('inquiry_id = $1', [inquiryId])).toHaveLength(1);
    expect(await deliveriesOnTax()).toHaveLength(1);

    // As if the hub had crashed after recording the exchange but before sending it.
    await (await queue(inboundQueue(TAX)).getJob(exchange.id))!.remove();
    await runAgain('inquiry', token, inquiryId);
    const deliveries = await deliveriesOnTax();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].data).toEqual({ token: exchange.delivery_token });
    expect(await exchangeRows('inquiry_id = $1', [inquiryId])).toEqual([exchange]);
    expect(await rejectionsOf(inquiryId)).toEqual([]);
  });

  it('the same answer job processed twice closes the exchange once and sends one result, re-sent unchanged if it was lost', async () => {
    const { inquiryId, token } = await signInquiry(PENSION, { ...PEN_TAX_INCOME, subject: newPerson().subjectFor(PENSION) });
    await enqueue('inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId);
    const answer = await signAnswer(TAX, exchange.id);
    await enqueue('answer', { token: answer.token }, answer.answerId);
    await waitUntilCompleted(answer.answerId);
    const closed = await exchangeFor(inquiryId, 'answered');
    const result = await waitForJob(PENSION, `result-${exchange.id}`);
    const record = await waitForJob(PORTAL, `record-${exchange.id}`);

    await runAgain('answer', answer.token, answer.answerId);
    expect(await exchangeFor(inquiryId)).toEqual(closed);
    expect((await jobsOn(inboundQueue(PENSION))).filter((job) => job.id === `result-${exchange.id}`)).toHaveLength(1);

    await result.remove();
    await record.remove();
    await runAgain('answer', answer.token, answer.answerId);
    expect((await waitForJob(PENSION, `result-${exchange.id}`)).data).toEqual(result.data);
    expect((await waitForJob(PORTAL, `record-${exchange.id}`)).data).toEqual(record.data);
    expect(await exchangeFor(inquiryId)).toEqual(closed);
    expect(await rejectionsOf(answer.answerId)).toEqual([]);
  });

  it('two jobs carrying the same inquiry at once: one exchange, one delivery, one replay refused', async () => {
    const { inquiryId, token } = await signInquiry(PENSION, { ...PEN_TAX_INCOME, subject: newPerson().subjectFor(PENSION) });
    const jobIds = [`${inquiryId}-a`, `${inquiryId}-b`];
    await queue(inboundQueue(HUB)).addBulk(jobIds.map((jobId) => ({ name: 'inquiry', data: { token }, opts: { ...DELIVERY_OPTIONS, jobId } })));

    const exchange = await exchangeFor(inquiryId);
    const refused = await pollUntil(async () => {
      const rows = [...(await rejectionsOf(jobIds[0])), ...(await rejectionsOf(jobIds[1]))];
      return rows.length > 0 && rows;
    });
    expect(refused.map((row) => row.reason)).toEqual(['replayed']);
    expect(refused[0].job_id).not.toBe(exchange.inquiry_job_id);
    await waitUntilCompleted(exchange.inquiry_job_id);
    expect(await exchangeRows('inquiry_id = $1', [inquiryId])).toHaveLength(1);
    expect((await jobsOn(inboundQueue(TAX))).filter((job) => job.id === exchange.id)).toHaveLength(1);
  });
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

  it('GET /exchanges lists exchanges as metadata, without ciphertexts or tokens', async () => {
    const rows = await exchangeRows('true', []);
    const response = await auditor().get('/exchanges?limit=500').expect(200);
    const listed = response.body.exchanges as Array<Record<string, unknown>>;
    expect(listed.map((entry) => entry.id).sort()).toEqual(rows.map((row) => row.id).sort());
    for (const entry of listed) {
      expect(Object.keys(entry).sort()).toEqual(['closedAt', 'createdAt', 'id', 'inquiryId', 'item', 'provider', 'reason', 'requester', 'rule', 'status']);
    }
    expect(response.text).not.toMatch(/ct1\.|eyJ/);
    expect(listed).toContainEqual(expect.objectContaining({ requester: TAX, provider: HEALTH, status: 'denied', rule: 'R-TAX-HEA-CLAIMS' }));

    const denied = await auditor().get('/exchanges?status=denied').expect(200);
    expect(denied.body.exchanges.length).toBeGreaterThanOrEqual(2);
    expect(denied.body.exchanges.every((entry: { status: string }) => entry.status === 'denied')).toBe(true);

    const one = await auditor().get(`/exchanges/${rows[0].id}`).expect(200);
    expect(one.body).toMatchObject({ id: rows[0].id, inquiryId: rows[0].inquiry_id, status: rows[0].status });
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
    for (const reason of ['bad-signature', 'expired', 'replayed', 'impersonation', 'unknown-sender', 'malformed-payload', 'misaddressed']) {
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
    id: string;
    expires_at: Date;
  }
  const seenRows = () => queryAs<SeenRow>(hubDatabaseUrl, 'SELECT id, expires_at FROM seen_message');

  it('forgets a message id only after its message has expired, and the expired message stays refused', async () => {
    const { inquiryId, claims } = inquiryClaims({ ...PEN_TAX_INCOME, subject: newPerson().subjectFor(PENSION) });
    const token = await signMessage(rings[PENSION], { to: HUB, type: MESSAGE_TYPES.inquiry, claims, ttlSeconds: 2, id: inquiryId });
    await enqueue('inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId);
    await waitForJob(TAX, exchange.id);
    const expiresAt = (await seenRows()).find((row) => row.id === inquiryId)!.expires_at.getTime();
    const pruner = app.get(SeenMessagePruner);

    // Pruning as if at time `now` removes exactly the ids that expired a grace period before it.
    async function pruneAt(now: number): Promise<void> {
      const before = await seenRows();
      const expired = before.filter((row) => row.expires_at.getTime() < now - PRUNE_GRACE_MS).map((row) => row.id);
      expect(await pruner.prune(new Date(now))).toBe(expired.length);
      const after = (await seenRows()).map((row) => row.id);
      expect(after.sort()).toEqual(before.map((row) => row.id).filter((id) => !expired.includes(id)).sort());
    }
    await pruneAt(expiresAt + PRUNE_GRACE_MS - 1_000);
    expect((await seenRows()).map((row) => row.id)).toContain(inquiryId);
    await pruneAt(expiresAt + PRUNE_GRACE_MS + 1_000);
    expect((await seenRows()).map((row) => row.id)).not.toContain(inquiryId);

    // Its id forgotten, the message comes again once it has expired: refused as expired, not delivered twice.
    await pollUntil(() => Date.now() > expiresAt + 1_000, { what: 'the inquiry to expire', timeoutMs: 10_000 });
    const sentBefore = await sentJobCount();
    await enqueue('inquiry', { token }, `${inquiryId}-late`);
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
    const { inquiryId, token } = await signInquiry(PENSION, { ...PEN_TAX_INCOME, subject: person.subjectFor(PENSION) });
    await enqueue('inquiry', { token }, inquiryId);
    const exchange = await exchangeFor(inquiryId, 'delivered');
    await waitForJob(TAX, exchange.id);
    const expiry = app.get(ExchangeExpiry);
    const deliveredAt = exchange.created_at.getTime();

    // Until the deadline an answer could still arrive: the exchange stays open.
    await expiry.sweep(new Date(deliveredAt + ANSWER_DEADLINE_SECONDS * 1000 - 5_000));
    expect((await exchangeFor(inquiryId)).status).toBe('delivered');

    expect(await expiry.sweep(new Date(deliveredAt + ANSWER_DEADLINE_SECONDS * 1000 + 5_000))).toBeGreaterThanOrEqual(1);
    const expired = await exchangeFor(inquiryId, 'expired');
    expect(expired.closed_at).toBeInstanceOf(Date);

    // Pension learns that tax never answered, through the same result path as any other outcome.
    const resultJob = await waitForJob(PENSION, `result-${exchange.id}`);
    const resultToken = (resultJob.data as { token: string }).token;
    const result = await verifyResult(rings[PENSION], resultToken);
    expect(result).toMatchObject({ inquiryId, exchangeId: exchange.id, status: 'expired' });
    expect(result.answer).toBeUndefined();
    const opened = await openResult(rings[PENSION], result, TAX);
    expect(settle(opened)).toEqual({ status: 'failed', reason: expect.stringMatching(/^tax-agency did not answer within 15 minutes/) });

    // The citizen sees that tax was asked about them, and gave nothing.
    const recordJob = await waitForJob(PORTAL, `record-${exchange.id}`);
    const record = await verifyMessage<ExchangeRecordClaims>(rings[PORTAL], (recordJob.data as { token: string }).token, fromHub(MESSAGE_TYPES.exchangeRecord));
    expect(record.claims).toMatchObject({ exchangeId: exchange.id, requester: PENSION, provider: TAX, status: 'unanswered', reason: result.reason });
    expect(decryptCode(parseCiphertext(record.claims.subject), partyBundles[PORTAL].secretKey).equals(person.codeAt(PORTAL))).toBe(true);

    // Tax answering after all is refused; the requester's result stays as it was.
    const late = await signAnswer(TAX, exchange.id);
    await enqueue('answer', { token: late.token }, late.answerId);
    expect(await rejectionOf(late.answerId)).toMatchObject({ reason: 'exchange-expired', sender: TAX });
    expect(((await waitForJob(PENSION, `result-${exchange.id}`)).data as { token: string }).token).toBe(resultToken);

    // A later sweep closes nothing again, and sends nothing new.
    const sentBefore = await sentJobCount();
    expect(await expiry.sweep(new Date(deliveredAt + ANSWER_DEADLINE_SECONDS * 1000 + 5_000))).toBe(0);
    expect(await sentJobCount()).toBe(sentBefore);
  });
});
