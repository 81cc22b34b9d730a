import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { provisionRedisUsers, redisUrlAs, redisUserName, removeRedisUsers } from '@myna/messaging';
import { SERVICES, type Service } from '@myna/protocol';
import { TEST_REDIS_URL, TEST_RUN_ID } from './test-run';

/** The Redis key prefix this test run owns. */
export const TEST_REDIS_PREFIX = `${TEST_RUN_ID}`;

const passwords = new Map<Service, string>(SERVICES.map((service) => [service, randomBytes(18).toString('base64url')]));

/**
 * The REDIS_URL a service under test connects with: its own ACL user, limited to
 * its lanes' keys under this run's prefix (created on first use). Falls back to
 * TEST_REDIS_URL itself when that connection may not create users.
 */
export async function testRedisUrlFor(service: Service): Promise<string> {
  const admin = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await admin.connect();
    await provisionRedisUsers(admin, TEST_REDIS_PREFIX, new Map([[service, passwords.get(service)!]]));
    return redisUrlAs(TEST_REDIS_URL, redisUserName(service, TEST_REDIS_PREFIX), passwords.get(service)!);
  } catch (error) {
    if (error instanceof Error && /NOPERM/.test(error.message)) return TEST_REDIS_URL;
    throw error;
  } finally {
    admin.disconnect();
  }
}

/** Deletes every key this test run wrote under its prefix, and its Redis users. */
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
    await removeRedisUsers(redis, prefix).catch(() => undefined);
  } finally {
    redis.disconnect();
  }
  return removed;
}
