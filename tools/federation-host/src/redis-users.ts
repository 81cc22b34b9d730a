// Each service's own Redis user (DESIGN §9): created at every start (Redis keeps
// its users in memory), with passwords drawn for the run; then the default user,
// which may do anything without a password, is switched off.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { provisionRedisUsers, redisUrlAs, redisUserName } from '@myna/messaging';
import { DEFAULT_REDIS_PREFIX, SERVICES, type Service } from '@myna/protocol';

export interface RedisAccess {
  /** The launcher's and the auditor's (the scenarios'): everything, as Redis's administrator. */
  adminUrl: string;
  /** Each service's own, limited to the lanes it sends and receives on. */
  serviceUrls: Record<Service, string>;
  /** Why the services share one connection, when they must. */
  shared?: string;
}

/** The prefix of every key the services use: REDIS_PREFIX, else the default. */
export function redisPrefix(env: NodeJS.ProcessEnv): string {
  return env.REDIS_PREFIX?.trim() || DEFAULT_REDIS_PREFIX;
}

const password = () => randomBytes(24).toString('base64url');

/** On the demo's own redis-server: an admin user, one user per service, and the default user off. */
export async function secureLocalRedis(url: string, prefix: string): Promise<RedisAccess> {
  const admin = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await admin.connect();
    const adminPassword = password();
    await admin.call('ACL', 'SETUSER', 'myna-admin', 'reset', 'on', `>${adminPassword}`, '~*', '&*', '+@all');
    const serviceUrls = await serviceUsers(admin, url, prefix);
    await admin.call('ACL', 'SETUSER', 'default', 'off');
    return { adminUrl: redisUrlAs(url, 'myna-admin', adminPassword), serviceUrls };
  } finally {
    admin.disconnect();
  }
}

/**
 * On a Redis given by REDIS_URL: users for the services when that URL may create them;
 * otherwise every service connects with REDIS_URL itself, and the launcher says so.
 */
export async function provisionExternalRedis(url: string, prefix: string): Promise<RedisAccess> {
  const admin = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await admin.connect();
    return { adminUrl: url, serviceUrls: await serviceUsers(admin, url, prefix) };
  } catch (error) {
    if (!(error instanceof Error) || !/NOPERM|unknown command/i.test(error.message)) throw error;
    const serviceUrls = Object.fromEntries(SERVICES.map((service) => [service, url])) as Record<Service, string>;
    return { adminUrl: url, serviceUrls, shared: 'REDIS_URL may not create users (ACL SETUSER): every service connects with it, unseparated' };
  } finally {
    admin.disconnect();
  }
}

async function serviceUsers(admin: Redis, url: string, prefix: string): Promise<Record<Service, string>> {
  const passwords = new Map(SERVICES.map((service) => [service, password()]));
  await provisionRedisUsers(admin, prefix, passwords);
  return Object.fromEntries(SERVICES.map((service) => [service, redisUrlAs(url, redisUserName(service, prefix), passwords.get(service)!)])) as Record<Service, string>;
}
