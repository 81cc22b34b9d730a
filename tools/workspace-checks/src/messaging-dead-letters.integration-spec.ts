import { Global, Inject, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { parseServiceConfig, SERVICE_CONFIG, SERVICE_KEYS } from '@myna/platform';
import { inboundQueue, JOB_NAMES } from '@myna/protocol';
import { createTestDatabases, pollUntil, queryAs, removeTestRedisKeys, TEST_REDIS_PREFIX, TEST_REDIS_URL, testRedisUrlFor } from '@myna/testing';
import {
  bullConnection,
  DeadLetterService,
  InboundHandler,
  MESSAGING_ENTITIES,
  MessageRejections,
  MessagingModule,
  type InboundJob,
  type InboundMessageHandler,
} from '@myna/messaging';

// libs/messaging's shared worker against real Redis, BullMQ and PostgreSQL (here, in
// a test project, so that no library depends on the test helpers): handlers found by
// their declaration, validation at the edge, retries, refusals recorded, dead letters
// with their reason, and an operator's replay.
const seen: string[] = [];
let flakyFailures = 0;

@Injectable()
@InboundHandler(JOB_NAMES.result)
class ResultProbe implements InboundMessageHandler {
  constructor(@Inject(MessageRejections) private readonly rejections: MessageRejections) {}

  async handle(token: string, job: InboundJob): Promise<void> {
    seen.push(token);
    if (token === 'forged') return this.rejections.reject(job, 'bad-signature', 'signature does not verify');
    if (token === 'flaky' && flakyFailures++ < 2) throw new Error('database briefly unavailable');
  }
}

@Injectable()
@InboundHandler(JOB_NAMES.delivery)
class DeliveryProbe implements InboundMessageHandler {
  async handle(): Promise<void> {}
}

/** The party's own module: it imports the messaging edge and provides its handlers, which the edge finds. */
@Module({})
class TaxHandlersModule {}
const taxHandlersModule = {
  module: TaxHandlersModule,
  imports: [MessagingModule.forParty({ party: 'tax-agency', sendsTo: ['exchange-hub'], consume: true, workers: { concurrency: 2, lockMs: 2000 } })],
  providers: [ResultProbe, DeliveryProbe],
};

/** The platform's config, as tax's own Redis user (limited to tax's lanes). */
function testConfigModule(redisUrl: string) {
  @Global()
  @Module({
    providers: [
      {
        provide: SERVICE_CONFIG,
        useValue: parseServiceConfig('tax-agency', { DATABASE_URL: 'postgres://unused@127.0.0.1/unused', REDIS_URL: redisUrl, REDIS_PREFIX: TEST_REDIS_PREFIX }),
      },
      // The probes open no envelopes: no key file.
      { provide: SERVICE_KEYS, useValue: null },
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
    await queue.add(JOB_NAMES.result, { token: 'fine' }, { jobId: 'msg-fine' });
    await queue.add(JOB_NAMES.result, { token: 'fine' }, { jobId: 'msg-fine' });
    await pollUntil(() => seen.includes('fine'), { what: 'the message to be handled' });
    await pollUntil(async () => (await queue.getJob('msg-fine'))?.finishedOn !== undefined, { what: 'the job to complete' });
    expect(seen.filter((token) => token === 'fine')).toHaveLength(1);
  });

  it('dead-letters a malformed payload at once, with the reason, without calling the handler', async () => {
    await queue.add(JOB_NAMES.result, { token: 'x', extra: 'field' }, { jobId: 'msg-malformed' });
    expect(await deadLetter('msg-malformed')).toMatchObject({ code: 'malformed-payload', reason: expect.stringContaining('malformed payload'), attempts: 1 });
    expect(seen).not.toContain('x');
    expect(await rejections('msg-malformed')).toEqual([{ reason: 'malformed-payload', detail: expect.stringContaining('malformed payload'), job_name: 'result' }]);
  });

  it('dead-letters an unknown job name and a rejected message with their reasons', async () => {
    await queue.add('mystery', { token: 'y' }, { jobId: 'msg-unknown' });
    await queue.add(JOB_NAMES.result, { token: 'forged' }, { jobId: 'msg-forged', attempts: 5 });
    expect(await deadLetter('msg-unknown')).toMatchObject({ code: 'unknown-job', reason: "unknown job name 'mystery'" });
    expect(await deadLetter('msg-forged')).toMatchObject({ code: 'bad-signature', reason: 'signature does not verify', attempts: 1 });
    // Each refusal is recorded in the party's own rejected_message, with the dead letter's code and reason.
    expect(await rejections('msg-unknown')).toEqual([{ reason: 'unknown-job', detail: "unknown job name 'mystery'", job_name: 'mystery' }]);
    expect(await rejections('msg-forged')).toEqual([{ reason: 'bad-signature', detail: 'signature does not verify', job_name: 'result' }]);
  });

  it('retries a transient failure with backoff until it succeeds', async () => {
    await queue.add(JOB_NAMES.result, { token: 'flaky' }, { jobId: 'msg-flaky', attempts: 5, backoff: { type: 'fixed', delay: 50 } });
    await pollUntil(async () => (await queue.getJob('msg-flaky'))?.finishedOn !== undefined, { what: 'the flaky job to complete' });
    expect((await queue.getJob('msg-flaky'))?.attemptsMade).toBe(3);
    expect((await deadLetters.list()).map((letter) => letter.id)).not.toContain('msg-flaky');
  });

  it('replays a dead letter onto the lane it came from, under its original id', async () => {
    await deadLetter('msg-forged');
    const before = seen.filter((token) => token === 'forged').length;
    expect(await deadLetters.replay('msg-forged')).toBe(true);
    await pollUntil(() => seen.filter((token) => token === 'forged').length === before + 1, { what: 'the replayed message to be handled' });
    // It was rejected again, so it is back among the dead letters, its replay counted.
    await pollUntil(async () => (await deadLetter('msg-forged')).replays === 1 && (await deadLetter('msg-forged')).replayedAt === undefined, {
      what: 'the letter to be buried again',
    });
    expect(await deadLetter('msg-forged')).toMatchObject({ code: 'bad-signature', replays: 1 });
    expect(await deadLetters.replay('no-such-letter')).toBe(false);
  });
});
