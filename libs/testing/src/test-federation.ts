import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { findFreePort, type Service } from '@myna/protocol';
import type { ProvisionedDatabase } from '@myna/platform';
import { createTestDatabases } from './test-databases';
import { testKeysDir } from './test-keys';
import { removeTestRedisKeys, TEST_REDIS_PREFIX, testRedisUrlFor } from './test-redis';
import { pollUntil, TEST_REDIS_URL } from './test-run';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Test seams a test may preload into a service's process (`node -r`): faults
 * driven from outside the service's code, which carries no fault switch.
 */
export const FAULT_SEAMS = {
  /** SIGKILL after a provider records its answer, before the answer is sent to the hub. */
  killBeforeAnswerSent: path.join(__dirname, 'faults', 'kill-before-answer-sent.ts'),
} as const;

export interface TestFederation<Name extends Service> {
  urls: Record<Name, string>;
  databases: Record<Name, ProvisionedDatabase>;
  /** Everything each service printed, for a failing test's message. */
  output(service: Name): string;
  /**
   * Starts a separate queue worker process for a service (its `worker.ts`), with extra
   * environment, and optionally test seams preloaded into it (see FAULT_SEAMS).
   */
  startWorker(service: Name, env?: Record<string, string>, options?: { preload?: readonly string[] }): TestProcess;
  stop(): Promise<void>;
}

export interface TestProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  output(): string;
  stop(): Promise<void>;
}

export interface TestFederationOptions<Name extends Service> {
  /** Extra environment per service, e.g. `{ 'tax-agency': { WORKERS: 'off' } }`. */
  env?: Partial<Record<Name, Record<string, string>>>;
}

/** A TCP port free on 127.0.0.1 right now, never one this process handed out before (findFreePort). */
export function freePort(): Promise<number> {
  return findFreePort();
}

/**
 * Starts real service processes (their own entry points, transpiled on the fly),
 * each on its own freshly provisioned database, with the test keys and the
 * machine's Redis; resolves once every /health answers 200.
 */
export async function startTestFederation<const Name extends Service>(
  services: readonly Name[],
  options: TestFederationOptions<Name> = {},
): Promise<TestFederation<Name>> {
  const { databases, drop } = await createTestDatabases(services);
  const ports = {} as Record<Name, number>;
  for (const service of services) ports[service] = await freePort();
  const urls = Object.fromEntries(services.map((service) => [service, `http://127.0.0.1:${ports[service]}`])) as Record<Name, string>;
  const issuerUrl = (urls as Record<string, string>)['code-issuer'];
  const hubUrl = (urls as Record<string, string>)['exchange-hub'];
  // Each service connects as its own Redis user, limited to its own lanes.
  const redisUrls = {} as Record<Name, string>;
  for (const service of services) redisUrls[service] = await testRedisUrlFor(service);

  const processes: TestProcess[] = [];
  const servers = new Map<Name, TestProcess>();
  const environment = (service: Name, extra: Record<string, string> = {}): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.spec.json'),
    TS_NODE_TRANSPILE_ONLY: 'true',
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_SERVICE_LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    PORT: String(ports[service]),
    DATABASE_URL: databases[service].url,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: redisUrls[service],
    REDIS_PREFIX: TEST_REDIS_PREFIX,
    KEYS_DIR: testKeysDir(service),
    // code-issuer: one code thread compiles the codes library once, not once per core.
    ISSUER_CODE_WORKERS: '1',
    // The hub sends at once: tests that need the mix set HUB_MIX_ROUND_SECONDS themselves.
    HUB_MIX_ROUND_SECONDS: '0',
    ...(issuerUrl ? { CODE_ISSUER_URL: issuerUrl } : {}),
    // The portal fetches the hub log's proofs for the citizen's browser.
    ...(hubUrl && service === 'myna-portal' ? { EXCHANGE_HUB_URL: hubUrl } : {}),
    ...(options.env?.[service] ?? {}),
    ...extra,
  });
  const launch = (service: Name, entry: 'main' | 'worker', extra?: Record<string, string>, preload: readonly string[] = []): TestProcess => {
    const handle = spawnTestProcess(`apps/${service}/src/${entry}.ts`, environment(service, extra), preload);
    processes.push(handle);
    return handle;
  };
  const stop = async () => {
    await Promise.all(processes.map((handle) => handle.stop()));
    await drop();
    await removeTestRedisKeys();
  };

  for (const service of services) servers.set(service, launch(service, 'main'));

  try {
    await Promise.all(
      services.map((service) =>
        pollUntil(
          async () => {
            const server = servers.get(service)!;
            if (server.child.exitCode !== null) throw new Error(`${service} exited with ${server.child.exitCode}: ${server.output()}`);
            const response = await fetch(`${urls[service]}/health`, { signal: AbortSignal.timeout(2000) });
            return response.status === 200;
          },
          { timeoutMs: 180_000, intervalMs: 200, what: `${service} to report healthy` },
        ),
      ),
    );
  } catch (error) {
    const tails = services.map((service) => `--- ${service} ---\n${servers.get(service)!.output().slice(-1500)}`).join('\n');
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${tails}`);
  }

  return {
    urls,
    databases,
    output: (service) => servers.get(service)?.output() ?? '',
    startWorker: (service, env, workerOptions) => launch(service, 'worker', env, workerOptions?.preload),
    stop,
  };
}

/** Runs a TypeScript entry point of the workspace as a child process, after any modules to preload. */
export function spawnTestProcess(entry: string, env: Record<string, string>, preload: readonly string[] = []): TestProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', ...preload.flatMap((module) => ['-r', module]), entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    child,
    exited,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * The demo's card reader (tools/card-reader) as its own process, holding the
 * cards in `cardStoreDir`, signing in to `portalUrl`. It answers at `localhost`,
 * another host than the services' 127.0.0.1, so no portal cookie reaches it.
 */
export async function startTestCardReader(options: { port: number; cardStoreDir: string; portalUrl: string; env?: Record<string, string> }): Promise<TestProcess & { url: string }> {
  const url = `http://localhost:${options.port}`;
  const reader = spawnTestProcess('tools/card-reader/src/main.ts', {
    PATH: process.env.PATH ?? '',
    TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.spec.json'),
    TS_NODE_TRANSPILE_ONLY: 'true',
    HOST: '127.0.0.1',
    PORT: String(options.port),
    CARD_STORE_DIR: options.cardStoreDir,
    READER_RELYING_PARTIES: `myna-portal=${options.portalUrl}`,
    ...options.env,
  });
  try {
    await pollUntil(
      async () => {
        if (reader.child.exitCode !== null) throw new Error(`the card reader exited with ${reader.child.exitCode}: ${reader.output()}`);
        return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the card reader to answer' },
    );
  } catch (error) {
    await reader.stop();
    throw error;
  }
  return Object.assign(reader, { url });
}

/**
 * A whole test federation as an outside client sees it (the scenario runner's
 * "given" target): every service's URL and database, the test Redis with each
 * service's own user, and the folder of the test key files.
 */
export async function federationAsGiven(federation: TestFederation<Service>) {
  const services = Object.keys(federation.urls) as Service[];
  return {
    mode: 'given' as const,
    urls: federation.urls,
    databaseUrls: Object.fromEntries(services.map((service) => [service, federation.databases[service].url])) as Record<Service, string>,
    redisUrl: TEST_REDIS_URL,
    redisPrefix: TEST_REDIS_PREFIX,
    serviceRedisUrls: Object.fromEntries(await Promise.all(services.map(async (service) => [service, await testRedisUrlFor(service)] as const))) as Partial<Record<Service, string>>,
    keysDir: path.dirname(testKeysDir(services[0])),
  };
}
