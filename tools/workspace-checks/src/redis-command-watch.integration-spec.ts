import { Redis } from 'ioredis';
import { watchRedisCommands, type RedisCommandWatch } from '@myna/messaging';
import { pollUntil, removeTestRedisKeys, TEST_REDIS_PREFIX, TEST_REDIS_URL } from '@myna/testing';

// libs/messaging redis-command-watch.ts against the real Redis, kept busy the way a
// running federation keeps it: ioredis's own monitor() loses the race between
// MONITOR's reply and the first lines of the feed, and then rejects or throws.
describe('watching every command sent to Redis', () => {
  const flooder = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  let flooding = true;
  let rounds = 0;
  let flood: Promise<void>;

  beforeAll(() => {
    flood = (async () => {
      for (let round = 0; flooding; round = ++rounds) {
        const pipeline = flooder.pipeline();
        for (let index = 0; index < 50; index++) pipeline.set(`${TEST_REDIS_PREFIX}:watch:flood:${index}`, String(round));
        await pipeline.exec();
      }
    })();
  });

  afterAll(async () => {
    flooding = false;
    await flood;
    await removeTestRedisKeys(TEST_REDIS_URL, `${TEST_REDIS_PREFIX}:watch`);
    flooder.disconnect();
  });

  it('starts every time while Redis is busy, and sees each command sent after it started', async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const seen: string[] = [];
      const marker = `${TEST_REDIS_PREFIX}:watch:after:${attempt}`;
      let watch: RedisCommandWatch | undefined;
      try {
        watch = await watchRedisCommands(TEST_REDIS_URL, (args) => {
          if (args.some((arg) => arg.startsWith(`${TEST_REDIS_PREFIX}:watch:`))) seen.push(args.join(' '));
        });
        await flooder.set(marker, 'after');
        // Its own command, and the flood's.
        await pollUntil(async () => seen.includes(`set ${marker} after`) && seen.some((command) => command.includes(':watch:flood:')), {
          what: `the watch to see ${marker} and the flood`,
        });
        expect({ unread: watch.unread, errors: watch.errors }).toEqual({ unread: 0, errors: [] });
      } finally {
        watch?.stop();
      }
    }
  });

  it('kept Redis busy throughout', () => {
    expect(rounds).toBeGreaterThan(20);
  });

  it('refuses to start against a Redis that is not there, with the reason', async () => {
    await expect(watchRedisCommands('redis://127.0.0.1:1', () => undefined)).rejects.toThrow(/ECONNREFUSED/);
  });
});
