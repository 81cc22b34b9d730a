import { Redis } from 'ioredis';
import { TEST_REDIS_URL, TEST_RUN_ID } from './test-run';

/** The Redis key prefix this test run owns. */
export const TEST_REDIS_PREFIX = `${TEST_RUN_ID}`;

/** Deletes every key this test run wrote under its prefix. */
export async function removeTestRedisKeys(url = TEST_REDIS_URL, prefix = TEST_REDIS_PREFIX): Promise<number> {
  const redis = new Redis(url);
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) removed += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}
