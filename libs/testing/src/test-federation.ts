import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Service } from '@myna/protocol';
import type { ProvisionedDatabase } from '@myna/platform';
import { createTestDatabases } from './test-databases';
import { testKeysDir } from './test-keys';
import { removeTestRedisKeys, TEST_REDIS_PREFIX } from './test-redis';
import { pollUntil, TEST_REDIS_URL } from './test-run';

const ROOT = path.resolve(__dirname, '../../..');

export interface TestFederation<Name extends Service> {
  urls: Record<Name, string>;
  databases: Record<Name, ProvisionedDatabase>;
  /** Everything each service printed, for a failing test's message. */
  output(service: Name): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts real service processes (their own entry points, transpiled on the fly),
 * each on its own freshly provisioned database, with the test keys and the
 * machine's Redis; resolves once every /health answers 200.
 */
export async function startTestFederation<const Name extends Service>(services: readonly Name[]): Promise<TestFederation<Name>> {
  const { databases, drop } = await createTestDatabases(services);
  const ports = {} as Record<Name, number>;
  for (const service of services) ports[service] = await freePort();
  const urls = Object.fromEntries(services.map((service) => [service, `http://127.0.0.1:${ports[service]}`])) as Record<Name, string>;
  const issuerUrl = (urls as Record<string, string>)['code-issuer'];

  const children = new Map<Name, ChildProcess>();
  const outputs = new Map<Name, string>();
  const stop = async () => {
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await drop();
    await removeTestRedisKeys();
  };

  for (const service of services) {
    const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', `apps/${service}/src/main.ts`], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.spec.json'),
        TS_NODE_TRANSPILE_ONLY: 'true',
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.TEST_SERVICE_LOG_LEVEL ?? 'warn',
        HOST: '127.0.0.1',
        PORT: String(ports[service]),
        DATABASE_URL: databases[service].url,
        DATABASE_POOL_SIZE: '4',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: TEST_REDIS_PREFIX,
        KEYS_DIR: testKeysDir(service),
        ...(issuerUrl ? { CODE_ISSUER_URL: issuerUrl } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    outputs.set(service, '');
    const collect = (chunk: Buffer) => outputs.set(service, (outputs.get(service) ?? '') + chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    children.set(service, child);
  }

  try {
    await Promise.all(
      services.map((service) =>
        pollUntil(
          async () => {
            const child = children.get(service)!;
            if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}: ${outputs.get(service)}`);
            const response = await fetch(`${urls[service]}/health`, { signal: AbortSignal.timeout(2000) });
            return response.status === 200;
          },
          { timeoutMs: 90_000, intervalMs: 200, what: `${service} to report healthy` },
        ),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return { urls, databases, output: (service) => outputs.get(service) ?? '', stop };
}
