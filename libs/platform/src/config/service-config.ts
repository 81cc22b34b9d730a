import { z } from 'zod';

import { CODE_ISSUER, DEFAULT_PORTS, LOOPBACK, SERVICES, type Service } from '@myna/protocol';
import { rateLimitBudgets, RateLimitSettingError, type RateLimitBudgets } from '../auth/rate-limit';

/** The six parties of the federation; each runs as its own service with its own database. */
export const SERVICE_NAMES = SERVICES;
export type ServiceName = Service;

const postgresUrl = z
  .string({ error: 'is required' })
  .min(1, 'is required')
  .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    message: 'must be a postgres:// or postgresql:// URL',
  });

const redisUrl = z
  .string()
  .refine((value) => /^rediss?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    message: 'must be a redis:// or rediss:// URL',
  });

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

/** Environment variables every service reads. Secrets (URLs may hold passwords) are never printed. */
export const serviceEnvSchema = z.object({
  PORT: port.optional(),
  /** Loopback unless told otherwise: containers set 0.0.0.0. */
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: postgresUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  /** Hot-path statements by name, parsed and planned once per connection; `off` where connections share one session (pglite-socket). */
  DATABASE_NAMED_STATEMENTS: z.enum(['on', 'off']).default('on'),
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+$/, 'may hold only letters, digits, _ : -')
    .default('myna'),
  KEYS_DIR: z.string().min(1).optional(),
  CODE_ISSUER_URL: z
    .string()
    .refine((value) => /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value), { message: 'must be an http:// or https:// URL' })
    .optional(),
  WORKERS: z.enum(['inline', 'off']).default('inline'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** How long a worker holds a job before another may take it over (a crashed worker's jobs return after this). */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** A name for this process's workers: BullMQ records it on every job they take (processedBy), so an operator can tell which worker held a job. */
  WORKER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.@:-]{1,64}$/, 'may hold only 1 to 64 letters, digits, _ . @ : -')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

/** The environment, parsed once into a typed, grouped object. */
export interface ServiceConfig {
  service: { name: ServiceName; host: string; port: number; environment: 'development' | 'production' | 'test' };
  database: { url: string; poolSize: number; connectTimeoutMs: number; namedStatements: boolean };
  redis: { url: string; prefix: string };
  keys: { dir?: string };
  peers: { codeIssuerUrl: string };
  /** `inline`: the API process also consumes its queue (the demo); `off`: run `worker.js` separately. */
  workers: { mode: 'inline' | 'off'; concurrency: number; lockMs: number; name?: string };
  log: { level: z.infer<typeof serviceEnvSchema>['LOG_LEVEL'] };
  /** Budgets of the rate-limited edges (sign-in, hotline, token endpoint, enrolment). */
  rateLimits: RateLimitBudgets;
}

export class ConfigurationError extends Error {
  constructor(readonly variable: string, readonly reason: string) {
    super(`${variable} ${reason}`);
    this.name = 'ConfigurationError';
  }
}

/** Parses the environment; throws a ConfigurationError naming the first bad or missing variable. */
export function parseServiceConfig(name: ServiceName, env: NodeJS.ProcessEnv): ServiceConfig {
  const parsed = serviceEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0] ?? 'environment');
    const missing = env[variable] === undefined || env[variable] === '';
    throw new ConfigurationError(variable, missing ? 'is required' : issue.message);
  }
  const v = parsed.data;
  let rateLimits: RateLimitBudgets;
  try {
    rateLimits = rateLimitBudgets(env);
  } catch (error) {
    if (error instanceof RateLimitSettingError) throw new ConfigurationError(error.variable, error.message);
    throw error;
  }
  return {
    service: { name, host: v.HOST, port: v.PORT ?? DEFAULT_PORTS[name], environment: v.NODE_ENV },
    database: { url: v.DATABASE_URL, poolSize: v.DATABASE_POOL_SIZE, connectTimeoutMs: v.DATABASE_CONNECT_TIMEOUT_MS, namedStatements: v.DATABASE_NAMED_STATEMENTS === 'on' },
    redis: { url: v.REDIS_URL, prefix: v.REDIS_PREFIX },
    keys: { dir: v.KEYS_DIR },
    peers: { codeIssuerUrl: (v.CODE_ISSUER_URL ?? `http://${LOOPBACK}:${DEFAULT_PORTS[CODE_ISSUER]}`).replace(/\/$/, '') },
    workers: { mode: v.WORKERS, concurrency: v.WORKER_CONCURRENCY, lockMs: v.WORKER_LOCK_MS, name: v.WORKER_NAME },
    log: { level: v.LOG_LEVEL },
    rateLimits,
  };
}

