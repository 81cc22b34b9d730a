import type { Redis } from 'ioredis';
import { deadLetterQueue, inboundQueue, inboundQueues, SERVICES, sendersTo, type Service } from '@myna/protocol';

/**
 * Each service's own Redis ACL user (DESIGN §9): the keys of the lanes it sends
 * on and receives on and of its dead letters, nothing else. BullMQ keeps a queue
 * under `<prefix>:<queue>:*` and its Lua scripts declare those keys, which EVAL
 * checks as read and write, so each pattern is `~` (both). Found by running
 * BullMQ 6 against Redis 7.0 as such a user (libs/messaging redis-acl tests).
 */
export const REDIS_COMMAND_RULES: readonly string[] = [
  'resetchannels',
  '-@all',
  // What BullMQ's scripts and blocking reads use.
  '+@read',
  '+@write',
  '+@scripting',
  '+@blocking',
  '+@transaction',
  '+@connection',
  // Nothing that administers the server, watches others or lists keys it may not read.
  '-@dangerous',
  '-@admin',
  '-@pubsub',
  '-scan',
  '-randomkey',
  '-keys',
  '-move',
  '-function',
  '-fcall',
  '-fcall_ro',
  '-script|flush',
  '-script|kill',
  // INFO is @dangerous, but BullMQ reads the server version, and the service its maxmemory-policy, from it.
  '+info',
];

/** Queues a service sends on (the receivers' lanes from it), receives on, and buries into. */
export function queuesOf(service: Service): string[] {
  const sendsOn = SERVICES.filter((to) => sendersTo(to).includes(service)).map((to) => inboundQueue(to, service));
  const receives = inboundQueues(service);
  return receives.length === 0 && sendsOn.length === 0 ? [] : [...receives, deadLetterQueue(service), ...sendsOn];
}

/** The ACL user name of a service under a key prefix (one federation per prefix can share a Redis). */
export function redisUserName(service: Service, prefix: string): string {
  return `${prefix}-${service}`;
}

export function redisKeyPatterns(service: Service, prefix: string): string[] {
  return queuesOf(service).map((queue) => `~${prefix}:${queue}:*`);
}

/** `ACL SETUSER <name> <rules…>`: the whole user, from nothing (`reset`), with its password. */
export function redisAclRules(service: Service, prefix: string, password: string): string[] {
  return ['reset', 'on', `>${password}`, ...REDIS_COMMAND_RULES, ...redisKeyPatterns(service, prefix)];
}

/** A redis:// URL as the service's own user. */
export function redisUrlAs(baseUrl: string, username: string, password: string): string {
  const url = new URL(baseUrl);
  url.username = encodeURIComponent(username);
  url.password = encodeURIComponent(password);
  return url.toString().replace(/\/$/, '');
}

/** Creates (or resets) every service's user; `admin` must be allowed ACL SETUSER. */
export async function provisionRedisUsers(admin: Redis, prefix: string, passwords: ReadonlyMap<Service, string>): Promise<void> {
  for (const [service, password] of passwords) {
    await admin.call('ACL', 'SETUSER', redisUserName(service, prefix), ...redisAclRules(service, prefix, password));
  }
}

export async function removeRedisUsers(admin: Redis, prefix: string, services: readonly Service[] = SERVICES): Promise<void> {
  await admin.call('ACL', 'DELUSER', ...services.map((service) => redisUserName(service, prefix)));
}

/** Users of an ACL file (redis-server --aclfile): passwords as SHA-256 hex, as the file wants them. */
export interface RedisAclFileUsers {
  adminPasswordSha256: string;
  healthcheckPasswordSha256: string;
  servicePasswordsSha256: ReadonlyMap<Service, string>;
}

/**
 * The ACL file of a Redis that serves one federation (docker compose): the default
 * user off, an administrator, a health check that may only PING, and each service's user.
 */
export function redisAclFile(prefix: string, users: RedisAclFileUsers): string {
  const lines = [
    'user default off',
    `user ${prefix}-admin on #${users.adminPasswordSha256} ~* &* +@all`,
    `user ${prefix}-healthcheck on #${users.healthcheckPasswordSha256} resetchannels -@all +ping`,
    ...SERVICES.map((service) => {
      const hash = users.servicePasswordsSha256.get(service);
      if (!hash) throw new Error(`no password for ${service}`);
      return `user ${redisUserName(service, prefix)} on #${hash} ${[...REDIS_COMMAND_RULES, ...redisKeyPatterns(service, prefix)].join(' ')}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
