import { SERVICES } from '@myna/protocol';
import { databaseUrlVariable, targetFromEnv, targetToEnv, urlVariable } from './federation-target';

function completeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { REDIS_URL: 'redis://redis:6379' };
  SERVICES.forEach((service, index) => {
    env[urlVariable(service)] = `http://${service}:${4000 + index}/`;
    env[databaseUrlVariable(service)] = `postgres://${service}:secret@${service}-db:5432/${service.replace(/-/g, '_')}`;
  });
  return env;
}

describe('the federation named by the environment', () => {
  it('is absent when no service URL is set (the runner then looks for the demo)', () => {
    expect(targetFromEnv({ REDIS_URL: 'redis://x:6379' }, '/keys')).toEqual({ kind: 'absent' });
  });

  it('reads every service URL, database URL, Redis and the default prefix (the compose path)', () => {
    const result = targetFromEnv(completeEnv(), '/keys');
    expect(result.kind).toBe('target');
    if (result.kind !== 'target') return;
    expect(result.target).toMatchObject({ mode: 'given', redisUrl: 'redis://redis:6379', redisPrefix: 'myna', keysDir: '/keys' });
    expect(result.target.urls['exchange-hub']).toBe('http://exchange-hub:4001');
    expect(result.target.databaseUrls['tax-agency']).toBe('postgres://tax-agency:secret@tax-agency-db:5432/tax_agency');
    expect(targetFromEnv(targetToEnv(result.target), '/keys')).toEqual(result);
  });

  it('names every missing or malformed variable at once', () => {
    const env = completeEnv();
    delete env.PENSION_AGENCY_DATABASE_URL;
    env.MYNA_PORTAL_URL = 'ftp://portal';
    env.REDIS_PREFIX = 'my prefix';
    expect(targetFromEnv(env, '/keys')).toEqual({
      kind: 'invalid',
      problems: ['PENSION_AGENCY_DATABASE_URL is not set', "MYNA_PORTAL_URL='ftp://portal' is not an http(s) base URL", 'REDIS_PREFIX must be 1-64 letters, digits, dots, dashes or underscores'],
    });
  });
});
