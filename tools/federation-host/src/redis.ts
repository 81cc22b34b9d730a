// Redis for the run: REDIS_URL when set, else a local redis-server whose state
// lives in .data/redis (AOF), else a clear message on how to get one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { redactUrl } from '@myna/protocol';
import { DeadlineMissedError, LaunchError } from './launch-error';
import { pollUntil } from './poll';
import { findFreePort } from './ports';
import { ChildExitedError, ManagedProcess, OutputLine, Supervisor, whileRunning } from './process-supervisor';

export const REDIS_SERVER_BINARY = 'redis-server';
const PORT_ATTEMPTS = 3;

export type RedisHandle =
  { origin: 'external'; url: string } | { origin: 'local'; url: string; port: number; dataDir: string; process: ManagedProcess };

export interface LocalRedisOptions {
  dataDir: string;
  deadline: number;
  signal: AbortSignal;
  onLine?: (line: OutputLine) => void;
  /** Absolute path or a name found on PATH. */
  binary?: string;
}

export function redisMissingMessage(): LaunchError {
  return new LaunchError('no Redis: REDIS_URL is not set and there is no redis-server on PATH', {
    details: [
      'Any one of these works:',
      '  - point the demo at a running Redis:  REDIS_URL=redis://127.0.0.1:6379 npm run demo',
      '  - install Redis:  sudo apt-get install redis-server  (Debian/Ubuntu)  or  brew install redis  (macOS)',
      '  - run everything in containers instead:  docker compose up  (needs nothing else installed)',
    ],
  });
}

export type RedisPlan = { origin: 'external'; url: string } | { origin: 'local'; binary: string };

/** REDIS_URL if set, else redis-server from PATH; throws the how-to-get-one message otherwise. Decided before anything starts. */
export function planRedis(env: NodeJS.ProcessEnv): RedisPlan {
  const url = env.REDIS_URL?.trim();
  if (url) return { origin: 'external', url };
  const binary = findOnPath(REDIS_SERVER_BINARY, env.PATH);
  if (!binary) throw redisMissingMessage();
  return { origin: 'local', binary };
}

/** Checks that REDIS_URL answers, or starts the local redis-server. */
export async function provideRedis(plan: RedisPlan, supervisor: Supervisor, options: LocalRedisOptions): Promise<RedisHandle> {
  if (plan.origin === 'external') {
    const { url } = plan;
    const answered = await pollUntil(async () => ((await pingRedis(url)) === 'PONG' ? true : undefined), {
      deadline: Math.min(options.deadline, Date.now() + 10_000),
      signal: options.signal,
    });
    if (!answered) throw new LaunchError(`REDIS_URL=${redactUrl(url)} does not answer PING: ${await pingRedis(url)}`);
    return { origin: 'external', url };
  }
  return startLocalRedis(supervisor, { ...options, binary: plan.binary });
}

/** Starts redis-server on a free 127.0.0.1 port and resolves once it answers PING. */
export async function startLocalRedis(supervisor: Supervisor, options: LocalRedisOptions): Promise<RedisHandle & { origin: 'local' }> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const url = `redis://127.0.0.1:${port}`;
    const child = supervisor.spawn({
      name: 'redis',
      tier: 'redis',
      command: options.binary ?? REDIS_SERVER_BINARY,
      // AOF without RDB snapshots: demo state survives a restart, like the databases.
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        options.dataDir,
        '--appendonly',
        'yes',
        '--save',
        '',
        // BullMQ's production guidance, which every service checks at start-up.
        '--maxmemory-policy',
        'noeviction',
        '--daemonize',
        'no',
      ],
      cwd: options.dataDir,
      env: process.env,
    });
    if (options.onLine) child.onLine(options.onLine);
    try {
      const answered = await whileRunning(child, options.signal, (signal) =>
        pollUntil(async () => ((await pingRedis(url)) === 'PONG' ? true : undefined), {
          deadline: options.deadline,
          intervalMs: 100,
          signal,
        }),
      );
      if (!answered) {
        await child.stop();
        throw new DeadlineMissedError(`redis-server did not answer PING in time on ${url}`, {
          tail: { source: child.name, lines: child.tail() },
        });
      }
      child.markReady();
      return { origin: 'local', url, port, dataDir: options.dataDir, process: child };
    } catch (error) {
      // Another process took the port between our check and redis's bind: try another.
      const portTaken = error instanceof ChildExitedError && child.tail().some((line) => /Address already in use/i.test(line));
      if (!portTaken || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

/** 'PONG', or why there was no answer. */
export async function pingRedis(url: string): Promise<string> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined); // reported through the rejected promise below
  try {
    await client.connect();
    return await client.ping();
  } catch (error) {
    return (error as Error).message;
  } finally {
    // After a failed connect, disconnect() would hold the event loop for 2 s.
    if (client.status !== 'end') client.disconnect();
  }
}

export function findOnPath(binary: string, searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

