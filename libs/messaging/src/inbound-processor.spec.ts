import { UnrecoverableError } from 'bullmq';
import { readDeadLetterReason } from './inbound-processor';
import { bullConnection } from './redis-connection';

describe('the inbound worker’s set-up', () => {
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

  it('reads a refusal’s code and reason back from its failure, and calls any other failure processing-failed', () => {
    expect(readDeadLetterReason(new UnrecoverableError('replayed: inquiry 1 was already received'))).toEqual({ code: 'replayed', reason: 'inquiry 1 was already received' });
    expect(readDeadLetterReason(new Error('connection reset'))).toEqual({ code: 'processing-failed', reason: 'connection reset' });
  });
});
