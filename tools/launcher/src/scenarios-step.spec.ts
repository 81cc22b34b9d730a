import * as path from 'node:path';
import { demoLayout } from '@myna/protocol';
import { federationFile, scenarioReportPage, scenarioRunnerEnv } from './scenarios-step';
import type { ServiceEndpoint } from './steps';

const services = [
  { plan: { name: 'exchange-hub' }, url: 'http://localhost:4001', databaseUrl: 'postgres://postgres:postgres@127.0.0.1:40001/postgres' },
  { plan: { name: 'tax-agency' }, url: 'http://localhost:4002', databaseUrl: 'postgres://postgres:postgres@127.0.0.1:40002/postgres' },
] as unknown as ServiceEndpoint[];
const serviceRedisUrls = { 'exchange-hub': 'redis://myna-exchange-hub:a@127.0.0.1:6380', 'tax-agency': 'redis://myna-tax-agency:b@127.0.0.1:6380' } as never;
const context = { services, redisUrl: 'redis://myna-admin:x@127.0.0.1:6380', serviceRedisUrls, paths: demoLayout('/repo'), cardReaderUrl: 'http://127.0.0.1:4006' };

describe('handing the federation to the scenario runner', () => {
  it('publishes every service, its database, Redis, the queue prefix and the keys folder', () => {
    expect(federationFile(context, {}, 1234)).toMatchObject({
      format: 'myna/federation',
      version: 1,
      launcherPid: 1234,
      services: { 'tax-agency': { url: 'http://localhost:4002', databaseUrl: 'postgres://postgres:postgres@127.0.0.1:40002/postgres' } },
      redisUrl: 'redis://myna-admin:x@127.0.0.1:6380',
      redisPrefix: 'myna',
      serviceRedisUrls,
      keysDir: path.join('/repo/.data', 'keys'),
      cardReaderUrl: 'http://127.0.0.1:4006',
    });
    expect(federationFile(context, { REDIS_PREFIX: 'other' }).redisPrefix).toBe('other');
  });

  it('gives the runner the federation as URLs, the way docker compose does', () => {
    expect(scenarioRunnerEnv(context, { PATH: '/bin' })).toMatchObject({
      PATH: '/bin',
      EXCHANGE_HUB_URL: 'http://localhost:4001',
      TAX_AGENCY_DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:40002/postgres',
      REDIS_URL: 'redis://myna-admin:x@127.0.0.1:6380',
      TAX_AGENCY_REDIS_URL: 'redis://myna-tax-agency:b@127.0.0.1:6380',
      REDIS_PREFIX: 'myna',
      SCENARIO_KEYS_DIR: path.join('/repo/.data', 'keys'),
      CARD_READER_URL: 'http://127.0.0.1:4006',
    });
  });

  it('knows where the runner writes its interactive report, to print it', () => {
    expect(scenarioReportPage('/repo', {})).toBe('/repo/reports/index.html');
    expect(scenarioReportPage('/repo', { SCENARIO_REPORT_DIR: '/tmp/out' })).toBe('/tmp/out/index.html');
    expect(scenarioReportPage('/repo', { SCENARIO_REPORT_DIR: 'elsewhere' })).toBe('/repo/elsewhere/index.html');
  });
});
