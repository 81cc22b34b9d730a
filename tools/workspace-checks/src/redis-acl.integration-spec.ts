import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { bullConnection, queuesOf } from '@myna/messaging';
import { deadLetterQueue, inboundQueue, SERVICES, type Service } from '@myna/protocol';
import { pollUntil, removeTestRedisKeys, TEST_REDIS_PREFIX, testRedisUrlFor } from '@myna/testing';

// Each service's Redis ACL user (libs/messaging redis-acl.ts) against the real Redis:
// BullMQ works on the service's own lanes, and nothing else is readable or writable.
const queues: Queue[] = [];
const clients: Redis[] = [];
const urls = new Map<Service, string>();

function queueAs(service: Service, name: string): Queue {
  const queue = new Queue(name, { connection: bullConnection(urls.get(service)!), prefix: TEST_REDIS_PREFIX });
  queue.on('error', () => undefined);
  queues.push(queue);
  return queue;
}

function clientAs(service: Service): Redis {
  const client = new Redis(urls.get(service)!, { maxRetriesPerRequest: 0 });
  clients.push(client);
  return client;
}

const refused = async (attempt: () => Promise<unknown>): Promise<string> => {
  try {
    await attempt();
    return 'ALLOWED';
  } catch (error) {
    return error instanceof Error && /NOPERM/.test(error.message) ? 'NOPERM' : `other: ${String(error)}`;
  }
};

beforeAll(async () => {
  for (const service of SERVICES) urls.set(service, await testRedisUrlFor(service));
});

afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
  for (const client of clients) client.disconnect();
  await removeTestRedisKeys();
});

describe('each service’s Redis user', () => {
  it('is a real ACL user of its own (the test Redis can create users)', () => {
    for (const service of SERVICES) expect(new URL(urls.get(service)!).username).toBe(`${TEST_REDIS_PREFIX}-${service}`);
  });

  it('covers exactly the lanes a service sends and receives on, and its dead letters', () => {
    expect(queuesOf('tax-agency').sort()).toEqual(['exchange-hub.from.tax-agency', 'tax-agency.dead-letter', 'tax-agency.from.exchange-hub']);
    expect(queuesOf('exchange-hub')).toContain('exchange-hub.from.pension-agency');
    expect(queuesOf('exchange-hub')).toContain('myna-portal.from.exchange-hub');
    expect(queuesOf('code-issuer')).toEqual([]);
  });

  it('sends on its lane and receives on its own, with BullMQ retries and dead letters', async () => {
    const toTax = queueAs('exchange-hub', inboundQueue('tax-agency', 'exchange-hub'));
    await toTax.add('delivery', { token: 'a' }, { jobId: 'lane-ok', attempts: 2, backoff: { type: 'fixed', delay: 20 } });
    await toTax.add('delivery', { token: 'fail' }, { jobId: 'lane-fail', attempts: 2, backoff: { type: 'fixed', delay: 20 } });
    const handled: string[] = [];
    const worker = new Worker(
      inboundQueue('tax-agency', 'exchange-hub'),
      async (job) => {
        handled.push(String(job.id));
        if (job.data.token === 'fail') throw new Error('refused');
      },
      { connection: bullConnection(urls.get('tax-agency')!), prefix: TEST_REDIS_PREFIX, lockDuration: 2000, stalledInterval: 2000 },
    );
    try {
      // A failed attempt that will be retried already carries its failedReason: wait for the job's final failure.
      await pollUntil(
        async () => {
          const [failing, ok] = await Promise.all([toTax.getJob('lane-fail'), toTax.getJob('lane-ok')]);
          return failing?.failedReason === 'refused' && (await failing.getState()) === 'failed' && ok?.finishedOn !== undefined;
        },
        { what: 'both jobs to finish' },
      );
      const dead = queueAs('tax-agency', deadLetterQueue('tax-agency'));
      await dead.add('delivery', { reason: 'refused' }, { jobId: 'lane-fail' });
      expect((await dead.getJobs(['waiting'])).map((job) => job.id)).toEqual(['lane-fail']);
      expect(handled.filter((id) => id === 'lane-fail')).toHaveLength(2);
    } finally {
      await worker.close();
    }
  });

  it.each<[Service, string]>([
    ['tax-agency', inboundQueue('exchange-hub', 'pension-agency')],
    ['tax-agency', inboundQueue('pension-agency', 'exchange-hub')],
    ['tax-agency', inboundQueue('myna-portal', 'exchange-hub')],
    ['pension-agency', deadLetterQueue('tax-agency')],
    ['myna-portal', inboundQueue('tax-agency', 'exchange-hub')],
    ['code-issuer', inboundQueue('exchange-hub', 'tax-agency')],
    ['exchange-hub', deadLetterQueue('tax-agency')],
  ])('%s can neither read nor write %s', async (service, queueName) => {
    const queue = queueAs(service, queueName);
    expect(await refused(() => queue.add('answer', { token: 'x' }, { jobId: 'squat' }))).toBe('NOPERM');
    expect(await refused(() => queue.getJob('any'))).toBe('NOPERM');
    expect(await refused(() => queue.getJobCounts('waiting'))).toBe('NOPERM');
    const client = clientAs(service);
    expect(await refused(() => client.hgetall(`${TEST_REDIS_PREFIX}:${queueName}:squat`))).toBe('NOPERM');
  });

  it.each(SERVICES)('%s cannot list keys, watch the server or administer it, and can read INFO', async (service) => {
    const client = clientAs(service);
    expect(await refused(() => client.keys('*'))).toBe('NOPERM');
    expect(await refused(() => client.scan('0'))).toBe('NOPERM');
    expect(await refused(() => client.call('CONFIG', 'GET', 'maxmemory-policy'))).toBe('NOPERM');
    expect(await refused(() => client.call('CLIENT', 'LIST'))).toBe('NOPERM');
    expect(await refused(() => client.call('ACL', 'LIST'))).toBe('NOPERM');
    expect(await refused(() => client.call('PUBLISH', 'channel', 'x'))).toBe('NOPERM');
    expect(await client.info('memory')).toContain('maxmemory_policy:');
  });
});
