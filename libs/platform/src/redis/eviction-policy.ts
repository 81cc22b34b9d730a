import type { Redis } from 'ioredis';

/**
 * BullMQ's production guidance: a Redis that evicts keys under memory pressure
 * silently loses queued messages and their locks. A service refuses to start on one.
 */
export class RedisEvictionPolicyError extends Error {
  override readonly name = 'RedisEvictionPolicyError';
}

/** The maxmemory_policy line of `INFO memory` (readable without the admin-only CONFIG). */
export function evictionPolicyOf(info: string): string | undefined {
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
}

export async function assertNoEviction(redis: Pick<Redis, 'info'>): Promise<void> {
  const policy = evictionPolicyOf(await redis.info('memory'));
  if (policy !== 'noeviction') {
    throw new RedisEvictionPolicyError(
      `Redis maxmemory-policy is ${policy ?? 'unknown'}, not noeviction: it could drop queued messages under memory pressure (set maxmemory-policy noeviction)`,
    );
  }
}
