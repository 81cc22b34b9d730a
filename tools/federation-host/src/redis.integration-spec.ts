import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { LaunchError } from './launch-error';
import { findFreePort } from './ports';
import { Supervisor } from './process-supervisor';
import { planRedis, provideRedis, startLocalRedis } from './redis';
import { secureLocalRedis } from './redis-users';
import { processIsAlive } from '@myna/protocol';

const isRunning = (pid: number | undefined): boolean => pid !== undefined && processIsAlive(pid);

async function withClient<T>(url: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

describe('local redis-server', () => {
  let dataDir: string;
  let supervisor: Supervisor;
  const signal = new AbortController().signal;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-redis-'));
    supervisor = new Supervisor();
  });

  afterEach(async () => {
    await supervisor.stopAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on a free 127.0.0.1 port, answers PING, and leaves no process once stopped', async () => {
    const redis = await startLocalRedis(supervisor, { dataDir, deadline: Date.now() + 20_000, signal });
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await withClient(redis.url, (client) => client.ping())).toBe('PONG');
    const pid = redis.process.pid;
    expect(isRunning(pid)).toBe(true);

    await redis.process.stop();

    expect(isRunning(pid)).toBe(false);
    expect(redis.process.describeExit()).toBe('exited with code 0');
  });

  it('keeps its data in the directory across restarts (append-only file, no snapshots)', async () => {
    const first = await startLocalRedis(supervisor, { dataDir, deadline: Date.now() + 20_000, signal });
    await withClient(first.url, (client) => client.set('demo:serial', '42'));
    expect(await withClient(first.url, (client) => client.config('GET', 'save'))).toEqual(['save', '']);
    await first.process.stop();
    expect(fs.existsSync(path.join(dataDir, 'appendonlydir'))).toBe(true);

    const second = await startLocalRedis(supervisor, { dataDir, deadline: Date.now() + 20_000, signal });
    expect(await withClient(second.url, (client) => client.get('demo:serial'))).toBe('42');
  });

  it('uses REDIS_URL when set instead of starting one', async () => {
    const local = await startLocalRedis(supervisor, { dataDir, deadline: Date.now() + 20_000, signal });
    const plan = planRedis({ REDIS_URL: local.url, PATH: dataDir });
    expect(plan).toEqual({ origin: 'external', url: local.url });
    const provided = await provideRedis(plan, supervisor, { dataDir, deadline: Date.now() + 5_000, signal });
    expect(provided).toEqual({ origin: 'external', url: local.url });
  });

  it('says so when REDIS_URL does not answer, without printing its password', async () => {
    const port = await findFreePort();
    const url = `redis://:hunter2@127.0.0.1:${port}`;
    const failure = provideRedis(planRedis({ REDIS_URL: url }), supervisor, { dataDir, deadline: Date.now() + 1_000, signal });
    await expect(failure).rejects.toThrow(LaunchError);
    await expect(failure).rejects.toThrow(`REDIS_URL=redis://:***@127.0.0.1:${port} does not answer PING`);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it('finds redis-server on PATH', () => {
    const plan = planRedis({ PATH: `${dataDir}${path.delimiter}${process.env.PATH}` });
    expect(plan).toEqual({ origin: 'local', binary: expect.stringMatching(/\/redis-server$/) });
  });

  it('explains how to get Redis when there is none', () => {
    let error: unknown;
    try {
      planRedis({ PATH: dataDir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LaunchError);
    expect((error as LaunchError).message).toBe('no Redis: REDIS_URL is not set and there is no redis-server on PATH');
    const advice = (error as LaunchError).details.join('\n');
    expect(advice).toContain('REDIS_URL=redis://127.0.0.1:6379 npm run demo');
    expect(advice).toContain('apt-get install redis-server');
    expect(advice).toContain('brew install redis');
    expect(advice).toContain('docker compose up');
  });
});

describe('the demo’s Redis users', () => {
  let dataDir: string;
  let supervisor: Supervisor;
  const signal = new AbortController().signal;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-redis-users-'));
    supervisor = new Supervisor();
  });

  afterEach(async () => {
    await supervisor.stopAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to evict, gives each service its own user on its own lanes, and switches the password-less default user off', async () => {
    const redis = await startLocalRedis(supervisor, { dataDir, deadline: Date.now() + 20_000, signal });
    const access = await secureLocalRedis(redis.url, 'myna');
    expect(await withClient(access.adminUrl, (client) => client.config('GET', 'maxmemory-policy'))).toEqual(['maxmemory-policy', 'noeviction']);
    // Without credentials, the bare protocol: the default user is off.
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(redis.port, '127.0.0.1', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        resolve(data.toString());
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(reply).toMatch(/^-NOAUTH/);
    expect(new URL(access.serviceUrls['tax-agency']).username).toBe('myna-tax-agency');
    expect(await withClient(access.serviceUrls['tax-agency'], (client) => client.hset('myna:exchange-hub.from.tax-agency:x', 'a', '1'))).toBe(1);
    await expect(withClient(access.serviceUrls['tax-agency'], (client) => client.hget('myna:exchange-hub.from.pension-agency:x', 'a'))).rejects.toThrow(/NOPERM/);
    expect(new Set(Object.values(access.serviceUrls)).size).toBe(6);
  });
});
