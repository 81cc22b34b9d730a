// The whole launch sequence against real Redis and real PGlite servers, with stub
// services (test-fixtures/stub-service.js) standing in for the compiled apps.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { LaunchOptions } from './args';
import { EmbeddedPostgres, findFreePort, startEmbeddedPostgres, Supervisor } from '@myna-tools/federation-host';
import { LauncherEnvironment, runLauncher } from './launcher';
import { SERVICES as SERVICE_NAMES, type Service as ServiceName, databaseUrlVariable, findWorkspaceRoot, portVariable } from '@myna/protocol';
import { LaunchContext, LaunchSteps } from './steps';

const once: LaunchOptions = { once: true, fresh: false, verbose: false, help: false, timeoutSeconds: 60 };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('launcher', () => {
  let root: string;
  let sharedDbDir: string;
  let sharedDbSupervisor: Supervisor;
  let sharedDb: EmbeddedPostgres;
  const ports = {} as Record<ServiceName, number>;
  let readerPort: number;

  beforeAll(async () => {
    // A throwaway workspace whose "compiled services" are the stub.
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-e2e-'));
    fs.writeFileSync(path.join(root, 'nx.json'), '{}');
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"launcher-e2e"}');
    fs.writeFileSync(path.join(root, 'tsconfig.runtime.json'), '{"compilerOptions":{"baseUrl":".","paths":{}}}');
    fs.symlinkSync(path.join(findWorkspaceRoot(__dirname), 'node_modules'), path.join(root, 'node_modules'));
    for (const service of SERVICE_NAMES) {
      const entry = path.join(root, 'dist', 'apps', service, 'src', 'main.js');
      fs.mkdirSync(path.dirname(entry), { recursive: true });
      fs.copyFileSync(path.join(__dirname, 'test-fixtures', 'stub-service.js'), entry);
      ports[service] = await findFreePort();
    }
    const reader = path.join(root, 'dist', 'tools', 'card-reader', 'src', 'main.js');
    fs.mkdirSync(path.dirname(reader), { recursive: true });
    fs.copyFileSync(path.join(__dirname, 'test-fixtures', 'stub-service.js'), reader);
    readerPort = await findFreePort();
    // Five services share one external database, so that only code-issuer's is embedded.
    sharedDbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-e2e-db-'));
    sharedDbSupervisor = new Supervisor();
    sharedDb = await startEmbeddedPostgres(sharedDbSupervisor, {
      name: 'shared-db',
      dataDir: path.join(sharedDbDir, 'pgdata'),
      deadline: Date.now() + 50_000,
      signal: new AbortController().signal,
    });
  }, 60_000);

  afterAll(async () => {
    await sharedDbSupervisor?.stopAll();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(sharedDbDir, { recursive: true, force: true });
  });

  function environmentFor(
    extraEnv: NodeJS.ProcessEnv,
    steps: LaunchSteps,
    onStdout: (text: string) => void,
    onStderr: (text: string) => void,
  ): LauncherEnvironment {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (key !== 'REDIS_URL' && key !== 'DATABASE_URL' && !key.endsWith('_DATABASE_URL') && !/_PORT$/.test(key)) env[key] = value;
    }
    for (const service of SERVICE_NAMES) {
      env[portVariable(service)] = String(ports[service]);
      if (service !== 'code-issuer') env[databaseUrlVariable(service)] = sharedDb.url;
    }
    env.CARD_READER_PORT = String(readerPort);
    return { env: { ...env, ...extraEnv }, root, steps, stdout: onStdout, stderr: onStderr, useColor: false };
  }

  /** Runs the launcher; `whileRunning` is called once it says it is running. */
  async function launch(
    options: LaunchOptions,
    extraEnv: NodeJS.ProcessEnv = {},
    { steps = { beforeServices: [], afterHealthy: [] }, whileRunning }: { steps?: LaunchSteps; whileRunning?: () => void } = {},
  ): Promise<Run> {
    const run: Run = { code: -1, stdout: '', stderr: '' };
    const environment = environmentFor(
      extraEnv,
      steps,
      (text) => {
        if (process.env.ECHO) process.stdout.write(text);
        run.stdout += text;
        if (whileRunning && text.includes('running; press Ctrl-C')) whileRunning();
      },
      (text) => {
        if (process.env.ECHO) process.stdout.write(text);
        run.stderr += text;
      },
    );
    run.code = await runLauncher(options, environment);
    return run;
  }

  /** Processes started from the throwaway workspace (services, their grandchildren, redis, PGlite). */
  function leftovers(): string[] {
    const table = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
    return table.split('\n').filter((line) => line.includes(root));
  }

  it('--once: starts Redis, the embedded database and every service, runs the steps, prints the table, leaves nothing behind', async () => {
    const contexts: Record<string, LaunchContext> = {};
    const steps: LaunchSteps = {
      beforeServices: [{ name: 'key ceremony', run: async (context) => void (contexts.before = context) }],
      afterHealthy: [{ name: 'scenarios', run: async (context) => void (contexts.after = context) }],
    };

    const run = await launch(once, {}, { steps });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('all 6 services healthy after');
    expect(run.stdout).toMatch(
      /launcher\s+│ code-issuer\s+J-LIS code issuer\s+http:\/\/localhost:\d+\s+http:\/\/localhost:\d+\/docs\s+embedded \.data\/code-issuer\/pgdata/,
    );
    expect(run.stdout).toMatch(/│ exchange-hub\s+Information Provision Network hub\s+.*external/);
    expect(run.stdout).toMatch(/│ Redis: redis:\/\/127\.0\.0\.1:\d+ \(local redis-server, state in \.data\/redis\)/);
    // Quiet: no service's lines in the terminal, every one of them in its log file.
    expect(run.stdout).not.toMatch(/^(tax-agency|card-reader|code-issuer-db|redis)\s+│/m);
    const taxLog = fs.readFileSync(path.join(root, '.data', 'logs', 'tax-agency.log'), 'utf8');
    expect(taxLog).toContain(`"msg":"listening on ${ports['tax-agency']}"`);
    expect(taxLog).toContain('"msg":"request completed"');
    expect(fs.readdirSync(path.join(root, '.data', 'logs')).sort()).toEqual(expect.arrayContaining(['card-reader.log', 'code-issuer-db.log', 'tax-agency.log']));
    expect(run.stdout).not.toContain('step: ');

    // Redis as its administrator for the steps; each service its own user (the stubs answered PING as theirs).
    expect(contexts.before.redisUrl).toMatch(/^redis:\/\/myna-admin:[^@]+@127\.0\.0\.1:\d+$/);
    expect(new URL(contexts.before.serviceRedisUrls['tax-agency']).username).toBe('myna-tax-agency');
    expect(contexts.before.services.map((service) => service.plan.name)).toEqual([...SERVICE_NAMES]);
    expect(contexts.before.services[0].databaseUrl).toMatch(/^postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(contexts.before.services[1].databaseUrl).toBe(sharedDb.url);
    expect(contexts.after).toBe(contexts.before);

    expect(fs.existsSync(path.join(root, '.data', 'code-issuer', 'pgdata', 'PG_VERSION'))).toBe(true);
    expect(fs.existsSync(path.join(root, '.data', 'redis', 'appendonlydir'))).toBe(true);
    expect(fs.existsSync(path.join(root, '.data', 'launcher.pid'))).toBe(false);
    expect(leftovers()).toEqual([]);
  }, 90_000);

  it('--verbose: the services’ lines in the terminal too, rendered, and the steps as they start; the health polls hidden', async () => {
    const steps: LaunchSteps = {
      beforeServices: [{ name: 'key ceremony', run: async () => undefined }],
      afterHealthy: [{ name: 'scenarios', run: async () => undefined }],
    };
    const run = await launch({ ...once, verbose: true }, {}, { steps });

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `tax-agency\\s+│ \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[Stub\\] listening on ${ports['tax-agency']} keysDir=${root}/\\.data/keys/tax-agency`,
      ),
    );
    expect(run.stdout).not.toContain('request completed');
    expect(run.stdout.indexOf('step: key ceremony')).toBeLessThan(run.stdout.indexOf('starting services'));
    expect(run.stdout.indexOf('step: scenarios')).toBeGreaterThan(run.stdout.indexOf('all 6 services healthy'));
  }, 90_000);

  it('stops everything and exits 1 when a service fails to start, showing what it said', async () => {
    const run = await launch(once, { STUB_CRASH: 'tax-agency' });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('✗ tax-agency exited with code 3');
    expect(run.stderr).toContain('last output of tax-agency:');
    expect(run.stderr).toContain('Error: tax-agency refuses to start (STUB_CRASH)');
    expect(run.stdout).toContain('everything stopped');
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('gives up at the deadline, naming the service, its last answer and how to wait longer', async () => {
    const run = await launch({ ...once, timeoutSeconds: 10 }, { STUB_UNHEALTHY: 'myna-portal' });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `✗ myna-portal did not become healthy in time: http://127.0.0.1:${ports['myna-portal']}/health answered 503`,
    );
    expect(run.stderr).toContain('(the deadline is 10 s; raise it with --timeout <seconds>)');
    expect(run.stderr).toMatch(/last output of myna-portal:\n.*INFO  \[Stub\] listening on/);
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('runs until SIGINT, then stops services, databases and Redis and exits 0', async () => {
    const run = await launch({ ...once, once: false }, {}, { whileRunning: () => process.emit('SIGINT', 'SIGINT') });

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('SIGINT: stopping');
    expect(run.stdout).toMatch(/launcher\s+│ logs\s+\.data\/logs\/<service>\.log/);
    expect(fs.readFileSync(path.join(root, '.data', 'logs', 'tax-agency.log'), 'utf8')).toContain('"msg":"stopping"');
    expect(run.stdout).toContain('everything stopped');
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('reports a service that dies while running and stops everything with exit 1', async () => {
    const die = () => http.get(`http://127.0.0.1:${ports['health-agency']}/die`).on('error', () => undefined);
    const run = await launch({ ...once, once: false }, {}, { whileRunning: die });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('✗ health-agency exited with code 7');
    expect(run.stderr).toMatch(/FATAL told to die\n.*Error: stub death/);
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('fails --once when a service dies while the steps after start-up run', async () => {
    const steps: LaunchSteps = {
      beforeServices: [],
      afterHealthy: [
        {
          name: 'scenarios',
          run: async ({ signal }) => {
            http.get(`http://127.0.0.1:${ports['pension-agency']}/die`).on('error', () => undefined);
            await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          },
        },
      ],
    };
    const run = await launch(once, {}, { steps });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('✗ pension-agency exited with code 7');
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('refuses to start when a service port is taken, before starting anything', async () => {
    const squatter = http.createServer();
    await new Promise<void>((resolve) => squatter.listen(ports['exchange-hub'], resolve));
    try {
      const run = await launch(once);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `port ${ports['exchange-hub']} (exchange-hub) is in use: stop what listens there, or set EXCHANGE_HUB_PORT`,
      );
      expect(run.stdout).not.toContain('starting Redis');
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('--fresh wipes the demo state first', async () => {
    const marker = path.join(root, '.data', 'keys', 'stale-key.jwk');
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    fs.writeFileSync(marker, '{}');

    const run = await launch({ ...once, fresh: true });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--fresh: wiped .data/');
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.existsSync(path.join(root, '.data', 'code-issuer', 'pgdata', 'PG_VERSION'))).toBe(true);
  }, 90_000);
});
