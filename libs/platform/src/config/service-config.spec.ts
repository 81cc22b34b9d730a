import { RATE_LIMITS } from '../auth/rate-limit';
import { DEFAULT_PORTS } from '@myna/protocol';
import { ConfigurationError, parseServiceConfig } from './service-config';

const minimal = { DATABASE_URL: 'postgres://tax:secret@db.example:5432/tax' };

function errorOf(env: NodeJS.ProcessEnv): string {
  try {
    parseServiceConfig('tax-agency', env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('service configuration', () => {
  it('fills every default from a minimal environment', () => {
    expect(parseServiceConfig('tax-agency', minimal)).toEqual({
      service: { name: 'tax-agency', host: '127.0.0.1', port: DEFAULT_PORTS['tax-agency'], environment: 'production' },
      database: { url: minimal.DATABASE_URL, poolSize: 10, connectTimeoutMs: 10_000, namedStatements: true },
      redis: { url: 'redis://127.0.0.1:6379', prefix: 'myna' },
      keys: { dir: undefined },
      peers: { codeIssuerUrl: 'http://127.0.0.1:4000' },
      workers: { mode: 'inline', concurrency: 16, lockMs: 30_000 },
      log: { level: 'info' },
      rateLimits: RATE_LIMITS,
    });
  });

  it('takes a rate-limit budget from RATE_LIMIT_<KIND>', () => {
    expect(parseServiceConfig('tax-agency', { ...minimal, RATE_LIMIT_SIGN_IN: '5/10' }).rateLimits['sign-in']).toEqual({ limit: 5, ttlSeconds: 10 });
  });

  it.each([
    [{}, 'DATABASE_URL is required'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ ...minimal, PORT: '70000' }, 'PORT must be between 0 and 65535'],
    [{ ...minimal, REDIS_PREFIX: 'a b' }, 'REDIS_PREFIX may hold only letters, digits, _ : -'],
    [{ ...minimal, CODE_ISSUER_URL: 'ftp://x' }, 'CODE_ISSUER_URL must be an http:// or https:// URL'],
    [{ ...minimal, WORKERS: 'sometimes' }, 'WORKERS '],
    [{ ...minimal, WORKER_NAME: 'tax worker\n' }, 'WORKER_NAME may hold only 1 to 64 letters, digits, _ . @ : -'],
    [{ ...minimal, RATE_LIMIT_HOTLINE: 'often' }, 'RATE_LIMIT_HOTLINE must be <limit>/<seconds>'],
  ])('names the variable and the problem: %j', (env, message) => {
    expect(errorOf(env)).toContain(message);
  });

  it('takes the name its workers record on the jobs they take from WORKER_NAME', () => {
    expect(parseServiceConfig('tax-agency', { ...minimal, WORKER_NAME: 'tax-worker@host-2' }).workers.name).toBe('tax-worker@host-2');
  });
});
