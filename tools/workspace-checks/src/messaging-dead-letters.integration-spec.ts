import { randomUUID } from 'node:crypto';
import { Global, Inject, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { parseServiceConfig, SERVICE_CONFIG, SERVICE_KEYS } from '@myna/platform';
import { inboundQueue, JOB_NAMES, loadServiceKeyRing, MESSAGE_TTL_SECONDS, MESSAGE_TYPES, signMessage, type ServiceKeyRing } from '@myna/protocol';
import {
  createTestDatabases,
  pollUntil,
  queryAs,
  removeTestRedisKeys,
  TEST_REDIS_PREFIX,
  TEST_REDIS_URL,
  testKeysDir,
  testRedisUrlFor,
} from '@myna/testing';
import {
  bullConnection,
  DeadLetterService,
  InboundHandler,
  MESSAGING_ENTITIES,
  MessageRejections,
  MessagingModule,
  type InboundMessage,
  type InboundMessageHandler,
} from '@myna/messaging';

// libs/messaging's shared worker against real Redis, BullMQ and PostgreSQL (here, in
// a test project, so that no library depends on the test helpers): handlers found by
// their declaration, every message opened and checked at the edge before a handler
// sees it, retries, refusals recorded, dead letters with their reason, and an
// operator's replay. The messages are real: results the hub signs for tax.
const seen: string[] = [];
let flakyFailures = 0;

@InboundHandler(JOB_NAMES.result)
class ResultProbe implements InboundMessageHandler<'result'> {
  constructor(@Inject(MessageRejections) private readonly rejections: MessageRejections) {}

  async handle({ job, claims }: InboundMessage<'result'>): Promise<void> {
    const label = claims.reason ?? '';
    seen.push(label);
    if (label === 'refuse me') return this.rejections.reject(job, 'unknown-inquiry', `no inquiry ${claims.inquiryId} was made here`);
    if (label === 'flaky' && flakyFailures++ < 2) throw new Error('database briefly unavailable');
  }
}

@InboundHandler(JOB_NAMES.delivery)
class DeliveryProbe implements InboundMessageHandler<'delivery'> {
  async handle(): Promise<void> {}
}

let hubRing: ServiceKeyRing;
let taxRing: ServiceKeyRing;

/** A result the hub signs for tax, its reason a label the probe records. */
function resultFromHub(label: string, claims: Record<string, unknown> = {}): Promise<string> {
  return signMessage(hubRing, {
    to: 'tax-agency',
    type: MESSAGE_TYPES.result,
    ttlSeconds: MESSAGE_TTL_SECONDS,
    claims: { inquiryId: randomUUID(), status: 'denied', reason: label, ...claims },
  });
}

/** The party's own module: it imports the messaging edge and provides its handlers, which the edge finds. */
@Module({})
class TaxHandlersModule {}
const taxHandlersModule = {
  module: TaxHandlersModule,
  imports: [MessagingModule.forParty({ party: 'tax-agency', sendsTo: ['exchange-hub'], consume: true, workers: { concurrency: 2, lockMs: 2000 } })],
  providers: [ResultProbe, DeliveryProbe],
};

/** The platform's config, as tax's own Redis user (limited to tax's lanes), and tax's keys. */
function testConfigModule(redisUrl: string) {
  @Global()
  @Module({
    providers: [
      {
        provide: SERVICE_CONFIG,
        useValue: parseServiceConfig('tax-agency', { DATABASE_URL: 'postgres://unused@127.0.0.1/unused', REDIS_URL: redisUrl, REDIS_PREFIX: TEST_REDIS_PREFIX }),
      },
      { provide: SERVICE_KEYS, useValue: taxRing },
    ],
    exports: [SERVICE_CONFIG, SERVICE_KEYS],
  })
  class TestConfigModule {}
  return TestConfigModule;
}

describe('the inbound worker and its dead letters', () => {
  let context: INestApplicationContext;
  let queue: Queue;
  let deadLetters: DeadLetterService;
  let database: Awaited<ReturnType<typeof createTestDatabases<'messaging'>>>;

  beforeAll(async () => {
    [hubRing, taxRing] = await Promise.all([
      loadServiceKeyRing(testKeysDir('exchange-hub'), 'exchange-hub'),
      loadServiceKeyRing(testKeysDir('tax-agency'), 'tax-agency'),
    ]);
    database = await createTestDatabases(['messaging']);
    context = await NestFactory.createApplicationContext(
      {
        module: class Root {},
        imports: [
          testConfigModule(await testRedisUrlFor('tax-agency')),
          // A throwaway database: the services create rejected_message by migration.
          TypeOrmModule.forRoot({ type: 'postgres', url: database.databases.messaging.url, entities: MESSAGING_ENTITIES, synchronize: true }),
          taxHandlersModule,
        ],
      },
      { logger: false },
    );
    await context.init();
    deadLetters = context.get(DeadLetterService);
    queue = new Queue(inboundQueue('tax-agency', 'exchange-hub'), { connection: bullConnection(TEST_REDIS_URL), prefix: TEST_REDIS_PREFIX });
  });

  afterAll(async () => {
    await queue?.close();
    await context?.close();
    await removeTestRedisKeys();
    await database?.drop();
  });

  const rejections = (jobId: string) =>
    queryAs<{ reason: string; detail: string; job_name: string }>(database.databases.messaging.url, 'SELECT reason, detail, job_name FROM rejected_message WHERE job_id = $1', [jobId]);

  const deadLetter = (id: string) =>
    pollUntil(async () => (await deadLetters.list()).find((letter) => letter.id === id), { what: `dead letter ${id}` });

  it('processes a well-formed message once', async () => {
    const token = await resultFromHub('fine');
    await queue.add(JOB_NAMES.result, { token }, { jobId: 'msg-fine' });
    await queue.add(JOB_NAMES.result, { token }, { jobId: 'msg-fine' });
    await pollUntil(() => seen.includes('fine'), { what: 'the message to be handled' });
    await pollUntil(async () => (await queue.getJob('msg-fine'))?.finishedOn !== undefined, { what: 'the job to complete' });
    expect(seen.filter((label) => label === 'fine')).toHaveLength(1);
  });

  it('dead-letters a malformed payload at once, with the reason, without calling the handler', async () => {
    await queue.add(JOB_NAMES.result, { token: await resultFromHub('extra field'), extra: 'field' }, { jobId: 'msg-malformed' });
    expect(await deadLetter('msg-malformed')).toMatchObject({ code: 'malformed-payload', reason: expect.stringContaining('malformed payload'), attempts: 1 });
    expect(seen).not.toContain('extra field');
    expect(await rejections('msg-malformed')).toEqual([{ reason: 'malformed-payload', detail: expect.stringContaining('malformed payload'), job_name: 'result' }]);
  });

  it('refuses at the edge, before any handler, a forged signature, a signer the protocol does not allow, and claims that break it', async () => {
    const genuine = await resultFromHub('forged');
    const [header, payload, signature] = genuine.split('.');
    const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await queue.add(JOB_NAMES.result, { token: forged }, { jobId: 'msg-forged', attempts: 5 });
    await queue.add(JOB_NAMES.result, { token: await resultFromHub('bad claims', { status: 'maybe' }) }, { jobId: 'msg-bad-claims' });
    // A result tax signed itself: not from the hub, whatever lane it is on.
    const fromTax = await signMessage(taxRing, { to: 'tax-agency', type: MESSAGE_TYPES.result, ttlSeconds: MESSAGE_TTL_SECONDS, claims: { inquiryId: randomUUID(), status: 'denied', reason: 'self-signed' } });
    await queue.add(JOB_NAMES.result, { token: fromTax }, { jobId: 'msg-self-signed' });

    expect(await deadLetter('msg-forged')).toMatchObject({ code: 'bad-signature', attempts: 1 });
    expect(await deadLetter('msg-bad-claims')).toMatchObject({ code: 'invalid-claims', reason: expect.stringContaining('status') });
    expect(await deadLetter('msg-self-signed')).toMatchObject({ code: expect.stringMatching(/^(unknown-sender|impersonation)$/), attempts: 1 });
    expect(seen).not.toContain('forged');
    expect(seen).not.toContain('bad claims');
    expect(seen).not.toContain('self-signed');
    expect(await rejections('msg-bad-claims')).toEqual([{ reason: 'invalid-claims', detail: expect.stringContaining('status'), job_name: 'result' }]);
  });

  it('dead-letters an unknown job name and a message its handler refuses, each recorded with the dead letter’s code and reason', async () => {
    await queue.add('mystery', { token: await resultFromHub('mystery') }, { jobId: 'msg-unknown' });
    await queue.add(JOB_NAMES.result, { token: await resultFromHub('refuse me') }, { jobId: 'msg-refused', attempts: 5 });
    expect(await deadLetter('msg-unknown')).toMatchObject({ code: 'unknown-job', reason: "unknown job name 'mystery'" });
    expect(await deadLetter('msg-refused')).toMatchObject({ code: 'unknown-inquiry', reason: expect.stringMatching(/^no inquiry .* was made here$/), attempts: 1 });
    expect(await rejections('msg-unknown')).toEqual([{ reason: 'unknown-job', detail: "unknown job name 'mystery'", job_name: 'mystery' }]);
    expect(await rejections('msg-refused')).toEqual([{ reason: 'unknown-inquiry', detail: expect.stringMatching(/^no inquiry .* was made here$/), job_name: 'result' }]);
  });

  it('retries a transient failure with backoff until it succeeds', async () => {
    await queue.add(JOB_NAMES.result, { token: await resultFromHub('flaky') }, { jobId: 'msg-flaky', attempts: 5, backoff: { type: 'fixed', delay: 50 } });
    await pollUntil(async () => (await queue.getJob('msg-flaky'))?.finishedOn !== undefined, { what: 'the flaky job to complete' });
    expect((await queue.getJob('msg-flaky'))?.attemptsMade).toBe(3);
    expect((await deadLetters.list()).map((letter) => letter.id)).not.toContain('msg-flaky');
  });

  it('replays a dead letter onto the lane it came from, under its original id', async () => {
    await deadLetter('msg-refused');
    const before = seen.filter((label) => label === 'refuse me').length;
    expect(await deadLetters.replay('msg-refused')).toBe(true);
    await pollUntil(() => seen.filter((label) => label === 'refuse me').length === before + 1, { what: 'the replayed message to be handled' });
    // It was refused again, so it is back among the dead letters, its replay counted.
    await pollUntil(async () => (await deadLetter('msg-refused')).replays === 1 && (await deadLetter('msg-refused')).replayedAt === undefined, {
      what: 'the letter to be buried again',
    });
    expect(await deadLetter('msg-refused')).toMatchObject({ code: 'unknown-inquiry', replays: 1 });
    expect(await deadLetters.replay('no-such-letter')).toBe(false);
  });
});
