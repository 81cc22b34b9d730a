import path from 'node:path';
import { DEFAULT_REDIS_PREFIX, SERVICES, databaseUrlVariable, federationEnv, readEndpoints, redisUrlVariable, urlVariable, type FederationFile, type Service } from '@myna/protocol';

/** Where the federation under test is, and what an auditor holds of it. */
export interface FederationTarget {
  /** given: URLs from the environment (docker compose, any deployment); running-demo: a demo found running; embedded: one started for this run. */
  mode: 'given' | 'running-demo' | 'embedded';
  urls: Record<Service, string>;
  /** Each service's own DATABASE_URL: the auditor's database dumps. */
  databaseUrls: Record<Service, string>;
  redisUrl: string;
  /** The services' REDIS_PREFIX: queues live under `<prefix>:<queue>`. */
  redisPrefix: string;
  /** Each service's own Redis user, when given: an insider's credentials (redis-isolation plays them). */
  serviceRedisUrls: Partial<Record<Service, string>>;
  /** A folder with `<service>/service-keys.json`: the key files of the parties the runner plays. */
  keysDir: string;
  /** The citizen's card reader, when the federation has one (CARD_READER_URL). */
  cardReaderUrl?: string;
}

/** The operators' credentials the runner acts with: OPERATOR_CREDENTIALS_DIR, else the key ceremony's `<keys>/operators`. */
export function operatorCredentialsDirOf(target: Pick<FederationTarget, 'keysDir'>, env: NodeJS.ProcessEnv = process.env): string {
  return env.OPERATOR_CREDENTIALS_DIR?.trim() || path.join(target.keysDir, 'operators');
}

/** The variables' names are the roster's (libs/protocol). */
export { databaseUrlVariable, urlVariable };

export type TargetFromEnv =
  | { kind: 'absent' }
  | { kind: 'target'; target: FederationTarget }
  | { kind: 'invalid'; problems: string[] };

/**
 * The federation the environment names: every `<SERVICE>_URL`, every
 * `<SERVICE>_DATABASE_URL` and `REDIS_URL` (REDIS_PREFIX defaults to the
 * services' own default). Absent when no service URL is set; invalid, naming
 * every missing or malformed variable, when only some are.
 */
export function targetFromEnv(env: NodeJS.ProcessEnv, keysDir: string): TargetFromEnv {
  const given = SERVICES.filter((service) => env[urlVariable(service)]?.trim());
  if (given.length === 0) return { kind: 'absent' };

  const problems: string[] = [];
  const read = (variable: string, protocols: readonly string[]): string => {
    const value = env[variable]?.trim();
    if (!value) {
      problems.push(`${variable} is not set`);
      return '';
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      problems.push(`${variable} is not a URL`);
      return '';
    }
    if (!protocols.includes(url.protocol)) problems.push(`${variable} must be a ${protocols.join(' or ')} URL`);
    return value.replace(/\/+$/, '');
  };

  // Service URLs are read as every tool reads them (libs/protocol readEndpoints), but
  // here each must be given: the auditor needs the databases that go with them.
  const endpoints = readEndpoints(env);
  const urls = {} as Record<Service, string>;
  const databaseUrls = {} as Record<Service, string>;
  for (const service of SERVICES) {
    const malformed = endpoints.problems.find((problem) => problem.startsWith(`${urlVariable(service)}=`));
    if (malformed) problems.push(malformed);
    else if (endpoints.endpoints[service].source !== 'url-variable') problems.push(`${urlVariable(service)} is not set`);
    urls[service] = endpoints.endpoints[service].url;
    databaseUrls[service] = read(databaseUrlVariable(service), ['postgres:', 'postgresql:']);
  }
  const redisUrl = read('REDIS_URL', ['redis:', 'rediss:']);
  // Optional: each service's own Redis user (REDIS_URL is then the administrator's).
  const serviceRedisUrls: Partial<Record<Service, string>> = {};
  for (const service of SERVICES) if (env[redisUrlVariable(service)]?.trim()) serviceRedisUrls[service] = read(redisUrlVariable(service), ['redis:', 'rediss:']);
  const redisPrefix = env.REDIS_PREFIX?.trim() || DEFAULT_REDIS_PREFIX;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(redisPrefix)) problems.push('REDIS_PREFIX must be 1-64 letters, digits, dots, dashes or underscores');

  if (problems.length > 0) return { kind: 'invalid', problems };
  const cardReaderUrl = env.CARD_READER_URL?.trim() ? read('CARD_READER_URL', ['http:', 'https:']) : undefined;
  if (problems.length > 0) return { kind: 'invalid', problems };
  return { kind: 'target', target: { mode: 'given', urls, databaseUrls, redisUrl, redisPrefix, serviceRedisUrls, keysDir, ...(cardReaderUrl ? { cardReaderUrl } : {}) } };
}

/** The environment a child process needs to reach the same federation (the launcher's scenario step uses the same names). */
export function targetToEnv(target: FederationTarget): Record<string, string> {
  const services = Object.fromEntries(SERVICES.map((service) => [service, { url: target.urls[service], databaseUrl: target.databaseUrls[service] }])) as FederationFile['services'];
  return { ...federationEnv({ ...target, services }), SCENARIO_KEYS_DIR: target.keysDir };
}

