import { JOB_NAMES } from '@myna/protocol';
import type { InboundHandler } from './inbound-handler';
import { indexHandlers } from './inbound-processor';
import { bullConnection } from './redis-connection';

const handler = (jobName: InboundHandler['jobName']): InboundHandler => ({ jobName, handle: async () => undefined });

describe('the inbound worker’s set-up', () => {
  it('indexes one handler per job name', () => {
    const handlers = indexHandlers([handler(JOB_NAMES.delivery), handler(JOB_NAMES.result)]);
    expect([...handlers.keys()]).toEqual(['delivery', 'result']);
  });

  it('refuses to start with two handlers for one job name', () => {
    expect(() => indexHandlers([handler(JOB_NAMES.result), handler(JOB_NAMES.result)])).toThrow("two handlers for job 'result'");
  });

  it('reads BullMQ connection options from a Redis URL, credentials and database included', () => {
    expect(bullConnection('rediss://user:p%40ss@cache.example:6380/2')).toEqual({
      host: 'cache.example',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
      maxRetriesPerRequest: null,
    });
  });
});
