import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { SERVICE_NAMES } from '@myna/platform';
import { createTestDatabases, freePort, pollUntil, testKeysDir } from '@myna/testing';

const root = path.resolve(__dirname, '../../..');

/** Starts a service's real entry point with exactly the given environment. */
function startService(service: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', `apps/${service}/src/main.ts`],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          TS_NODE_PROJECT: path.join(root, 'tsconfig.spec.json'),
          TS_NODE_TRANSPILE_ONLY: 'true',
          ...env,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

const good = { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://svc@127.0.0.1:5432/svc' };

describe('a service refuses to start on bad configuration, with one line naming the variable', () => {
  it.each(SERVICE_NAMES)('%s: a malformed DATABASE_URL', async (service) => {
    const { code, stderr } = await startService(service, { ...good, DATABASE_URL: 'mysql://somewhere/db' });
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      `${service}: configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL`,
    ]);
  });

  it('a missing DATABASE_URL', async () => {
    const { code, stderr } = await startService('tax-agency', { REDIS_URL: good.REDIS_URL });
    expect(code).not.toBe(0);
    expect(stderr.trim()).toBe('tax-agency: configuration error: DATABASE_URL is required');
  });

  it.each([
    ['PORT', 'eighty', 'PORT must be a number'],
    ['REDIS_URL', 'http://127.0.0.1:6379', 'REDIS_URL must be a redis:// or rediss:// URL'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL '],
  ])('a bad %s', async (variable, value, message) => {
    const { code, stderr } = await startService('exchange-hub', { ...good, [variable]: value });
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`exchange-hub: configuration error: ${message}`);
  });
});

describe('the exchange hub’s own settings', () => {
  it.each([
    ['HUB_MIX_ROUND_SECONDS', '-1', 'HUB_MIX_ROUND_SECONDS must be 0 (off) or more'],
    ['HUB_LOG_RETENTION_DAYS', '1.5', 'HUB_LOG_RETENTION_DAYS must be a whole number of days'],
  ])('a bad %s', async (variable, value, message) => {
    const { code, stderr } = await startService('exchange-hub', { ...good, KEYS_DIR: testKeysDir('exchange-hub'), [variable]: value });
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`exchange-hub: configuration error: ${message}`);
  });
});

describe('a Redis that may evict keys', () => {
  let redis: ChildProcess | undefined;
  let port = 0;
  let databases: Awaited<ReturnType<typeof createTestDatabases<'tax-agency'>>> | undefined;

  beforeAll(async () => {
    port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
    await pollUntil(
      async () => {
        const client = new Redis(port, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        client.on('error', () => undefined);
        try {
          return (await client.ping().catch(() => undefined)) === 'PONG';
        } finally {
          client.disconnect();
        }
      },
      { what: 'the evicting redis-server to answer' },
    );
    databases = await createTestDatabases(['tax-agency']);
  });

  afterAll(async () => {
    redis?.kill('SIGTERM');
    await databases?.drop();
  });

  it('is refused at start-up with one line naming the policy', async () => {
    const { code, stderr } = await startService('tax-agency', {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      DATABASE_URL: databases!.databases['tax-agency'].url,
      KEYS_DIR: testKeysDir('tax-agency'),
      LOG_LEVEL: 'silent',
    });
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n').filter((line) => line.includes('tax-agency:'))).toEqual([
      'tax-agency: failed to start: Redis maxmemory-policy is allkeys-lru, not noeviction: it could drop queued messages under memory pressure (set maxmemory-policy noeviction)',
    ]);
  });
});

