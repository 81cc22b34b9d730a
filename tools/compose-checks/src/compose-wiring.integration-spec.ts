import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { provisionRedisUsers } from '@myna/messaging';
import { dropServiceDatabase, type ServiceName } from '@myna/platform';
import { OperatorClient, operatorRoleFor, serviceAt } from '@myna/operator-client';
import { SERVICE_KEY_FILE_NAME } from '@myna/protocol';
import { freePort } from '@myna/testing';
import {
  pollUntil,
  queryAs,
  removeTestRedisKeys,
  spawnTestProcess,
  TEST_ADMIN_DATABASE_URL,
  TEST_REDIS_URL,
  TEST_RUN_ID,
  type TestProcess,
} from '@myna/testing';
import {
  APP_SERVICES,
  KEYS_SERVICE,
  REDIS_SERVICE,
  ROOT,
  compiledEntry,
  databaseService,
  dockerfileStage,
  imageEnvironment,
  loadCompose,
  loadDockerfile,
  withDefaults,
  type ComposeService,
} from './compose-model';

// No Docker engine runs here, so this proves the compose file's wiring another
// way: it plays what `docker compose up` would do, on this machine, with exactly
// the environment, commands and volumes docker-compose.yml gives each container.
// Only what Docker itself would provide is mapped:
// - container host names → 127.0.0.1: the machine's PostgreSQL and Redis stand in
//   for the `<service>-db` and `redis` containers, each service gets a free port;
// - HOST (every interface of the container's own network) → 127.0.0.1;
// - role, database and Redis prefix names get this run's suffix (no collisions);
// - named volumes → folders of a temporary directory;
// - `node -r tsconfig-paths/register dist/<x>.js` → the same entry point from its
//   TypeScript source (ts-node), as every other integration test does.
const compose = loadCompose();
const dockerfile = loadDockerfile();
const runtimeStage = dockerfileStage(dockerfile);
const admin = new URL(TEST_ADMIN_DATABASE_URL);
const redis = new URL(TEST_REDIS_URL);
const REDIS_PREFIX_SUFFIX = `-${TEST_RUN_ID}`;

const citizen = { name: 'Tanaka Yuki', address: '7-8-9 Momiji-dori, Higashi-shi, Example Prefecture', dateOfBirth: '1969-02-14', gender: 'female' };
const INCOME_YEN = 4_321_000;


/** Runs a command to completion; resolves with its exit code and output. */
function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}


/** What Docker provides around a container, played on this machine. */
class StandIn {
  readonly volumesRoot = mkdtempSync(path.join(tmpdir(), 'myna-compose-'));
  readonly ports = {} as Record<ServiceName, number>;
  readonly suffixed = (name: string) => `${name}_${TEST_RUN_ID}`;

  async allocatePorts() {
    for (const service of APP_SERVICES) this.ports[service] = await freePort();
  }

  /** A named volume is a folder of the temporary directory. */
  volumeDir(volume: string): string {
    const dir = path.join(this.volumesRoot, 'volumes', volume);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /**
   * A container's file system is a folder of the temporary directory in which
   * each of its volume mounts is a link to that volume's folder: a path in the
   * container is then the same path under that folder.
   */
  hostPath(service: ComposeService, containerPath: string): string {
    const root = path.join(this.volumesRoot, 'containers', service.name);
    if (!existsSync(root)) {
      for (const mount of service.mounts.filter((candidate) => candidate.kind === 'volume')) {
        const at = path.join(root, mount.target);
        mkdirSync(path.dirname(at), { recursive: true });
        symlinkSync(this.volumeDir(mount.source), at, 'dir');
      }
      mkdirSync(root, { recursive: true });
    }
    return path.join(root, containerPath);
  }

  /** A URL naming a container → the same URL on this machine; anything else unchanged. */
  url(value: string): string {
    if (!URL.canParse(value)) return value;
    const url = new URL(value);
    const host = url.hostname;
    if (!(host in compose.services)) return value;
    if (host === REDIS_SERVICE) {
      url.hostname = redis.hostname;
      url.port = redis.port || '6379';
      // Its users, with this run's prefix in their names as in their keys (provisioned in beforeAll).
      if (url.username) url.username = decodeURIComponent(url.username).replace(/^myna-/, `myna${REDIS_PREFIX_SUFFIX}-`);
    } else if (APP_SERVICES.some((service) => databaseService(service) === host)) {
      if (url.port && url.port !== '5432') throw new Error(`${value}: PostgreSQL containers listen on 5432`);
      url.hostname = admin.hostname;
      url.port = admin.port || '5432';
      url.username = this.suffixed(decodeURIComponent(url.username));
      url.pathname = `/${this.suffixed(url.pathname.slice(1))}`;
    } else if ((APP_SERVICES as readonly string[]).includes(host)) {
      const service = host as ServiceName;
      if (url.port !== compose.services[service].environment.PORT) throw new Error(`${value}: ${service} listens on ${compose.services[service].environment.PORT}`);
      url.hostname = '127.0.0.1';
      url.port = String(this.ports[service]);
    } else {
      throw new Error(`${value}: no stand-in for the ${host} container`);
    }
    return url.toString().replace(/\/$/, value.endsWith('/') ? '/' : '');
  }

  /** The environment a container's process starts with, mapped as described at the top. */
  environment(service: ComposeService): Record<string, string> {
    const image = imageEnvironment(dockerfile, runtimeStage);
    const env: Record<string, string> = {
      ...image,
      // The compiled code resolves @myna/* with tsconfig.runtime.json; its sources with this one.
      TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.spec.json'),
      TS_NODE_TRANSPILE_ONLY: 'true',
      PATH: process.env.PATH ?? '',
    };
    // A value naming a published port (the browser's addresses) takes the port's default, as with no variable set.
    for (const [variable, value] of Object.entries(service.environment).map(([name, declared]) => [name, withDefaults(declared)])) {
      if (variable === 'PORT') env[variable] = String(this.ports[service.name as ServiceName]);
      else if (variable === 'HOST') env[variable] = '127.0.0.1';
      else if (variable === 'REDIS_PREFIX') env[variable] = `${value}${REDIS_PREFIX_SUFFIX}`;
      else if (value.startsWith('/')) env[variable] = this.hostPath(service, value);
      else env[variable] = this.url(value);
    }
    return env;
  }

  /** A container's command, from sources: arguments that are paths in the container are mapped too. */
  command(service: ComposeService): { entry: string; args: string[] } {
    const { source, args } = compiledEntry(service.command);
    return { entry: source, args: args.map((arg) => (arg.startsWith('/') ? this.hostPath(service, arg) : arg)) };
  }
}

describe('docker-compose.yml wiring: each container’s environment, played on this machine', () => {
  const standIn = new StandIn();
  const processes = new Map<ServiceName, TestProcess>();
  const envs = {} as Record<ServiceName, Record<string, string>>;
  const provisioned: string[] = [];
  let keyFiles: Record<string, string>;

  /** The key file in the service's own volume, `<service>-keys`. */
  const keyFileOf = (service: ServiceName) => path.join(standIn.volumeDir(`${service}-keys`), SERVICE_KEY_FILE_NAME);
  const readKeyFiles = () => Object.fromEntries(APP_SERVICES.map((service) => [service, readFileSync(keyFileOf(service), 'utf8')]));
  const urlOf = (service: ServiceName) => `http://127.0.0.1:${standIn.ports[service]}`;
  const output = (service: ServiceName) => processes.get(service)?.output() ?? '';

  const runKeyCeremony = async () => {
    const keys = compose.services[KEYS_SERVICE];
    const { entry, args } = standIn.command(keys);
    return run(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', entry, ...args], standIn.environment(keys));
  };

  beforeAll(async () => {
    await standIn.allocatePorts();

    // The `<service>-db` containers: the init script, run as the superuser, creates
    // the service's role and database with the compose file's names and password.
    for (const service of APP_SERVICES) {
      const database = compose.services[databaseService(service)];
      const name = standIn.suffixed(database.environment.SERVICE_DB_NAME);
      provisioned.push(name);
      const init = database.mounts.find((mount) => mount.target.startsWith('/docker-entrypoint-initdb.d/'))!;
      const result = await run('sh', [path.resolve(ROOT, init.source)], {
        PATH: process.env.PATH ?? '',
        ...database.environment,
        SERVICE_DB_NAME: name,
        POSTGRES_USER: decodeURIComponent(admin.username) || 'postgres',
        POSTGRES_DB: admin.pathname.slice(1) || 'postgres',
        PGHOST: admin.hostname,
        PGPORT: admin.port || '5432',
        ...(admin.password ? { PGPASSWORD: decodeURIComponent(admin.password) } : {}),
      });
      expect({ service, ...result }).toEqual({ service, code: 0, output: '' });
    }

    // The `redis` container's users (docker/redis/users.acl), for this run's prefix, with the compose file's passwords.
    const redisAdmin = new Redis(TEST_REDIS_URL);
    try {
      await provisionRedisUsers(
        redisAdmin,
        `myna${REDIS_PREFIX_SUFFIX}`,
        new Map(APP_SERVICES.map((service) => [service, decodeURIComponent(new URL(compose.services[service].environment.REDIS_URL).password)])),
      );
    } finally {
      redisAdmin.disconnect();
    }

    // The `keys` container, twice: as `up` runs it, then as a restart would.
    const first = await runKeyCeremony();
    expect({ ...first, output: first.code === 0 ? '' : first.output }).toEqual({ code: 0, output: '' });
    keyFiles = readKeyFiles();

    for (const service of APP_SERVICES) {
      envs[service] = standIn.environment(compose.services[service]);
      processes.set(service, spawnTestProcess(standIn.command(compose.services[service]).entry, envs[service]));
    }
    await Promise.all(
      APP_SERVICES.map((service) =>
        pollUntil(
          async () => {
            const child = processes.get(service)!.child;
            if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}: ${output(service)}`);
            return (await fetch(`${urlOf(service)}/health`, { signal: AbortSignal.timeout(2000) })).status === 200;
          },
          { timeoutMs: 180_000, intervalMs: 250, what: `${service} to report healthy` },
        ).catch((error: Error) => {
          throw new Error(`${error.message}\n--- ${service} said:\n${output(service).slice(-4000)}`);
        }),
      ),
    );
  }, 300_000);

  afterAll(async () => {
    await Promise.all([...processes.values()].map((child) => child.stop()));
    for (const name of provisioned) await dropServiceDatabase(TEST_ADMIN_DATABASE_URL, name).catch(() => undefined);
    await removeTestRedisKeys(TEST_REDIS_URL, `myna${REDIS_PREFIX_SUFFIX}`);
    rmSync(standIn.volumesRoot, { recursive: true, force: true });
  });

  it('maps nothing but host names, ports, names and volume paths: every other value is the compose file’s', () => {
    for (const service of APP_SERVICES) {
      const declared = compose.services[service].environment;
      const given = envs[service];
      expect(Object.keys(given).sort()).toEqual([...new Set([...Object.keys(declared), 'NODE_ENV', 'TS_NODE_PROJECT', 'TS_NODE_TRANSPILE_ONLY', 'PATH'])].sort());
      for (const variable of ['NODE_ENV', 'WORKERS']) expect([service, variable, given[variable]]).toEqual([service, variable, declared[variable]]);
      expect(new URL(given.DATABASE_URL).password).toBe(new URL(declared.DATABASE_URL).password);
    }
  });

  it('the key ceremony wrote each service’s key file into that service’s volume only, and a second run keeps them', async () => {
    for (const service of APP_SERVICES) {
      expect(realpathSync(envs[service].KEYS_DIR)).toBe(realpathSync(path.dirname(keyFileOf(service))));
      expect(JSON.parse(keyFiles[service])).toMatchObject({ service });
    }
    const again = await runKeyCeremony();
    expect(again.code).toBe(0);
    expect(again.output).toContain('keeping them');
    expect(readKeyFiles()).toEqual(keyFiles);
  });

  it('each service is healthy by its compose healthcheck command', async () => {
    const results = await Promise.all(
      APP_SERVICES.map(async (service) => {
        const [kind, command, ...args] = compose.services[service].healthcheck!.test;
        expect(kind).toBe('CMD');
        const result = await run(command === 'node' ? process.execPath : command, args, envs[service]);
        return { service, code: result.code };
      }),
    );
    expect(results).toEqual(APP_SERVICES.map((service) => ({ service, code: 0 })));
  });

  it('each service’s role reaches its own database and no other', async () => {
    const tax = envs['tax-agency'].DATABASE_URL;
    await expect(queryAs(tax, 'SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    const elsewhere = new URL(tax);
    elsewhere.pathname = new URL(envs['code-issuer'].DATABASE_URL).pathname;
    const client = new Client({ connectionString: elsewhere.toString() });
    await expect(client.connect()).rejects.toThrow(/permission denied|not have CONNECT privilege/);
    await client.end().catch(() => undefined);
    const [role] = await queryAs<{ rolsuper: boolean }>(tax, 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    expect(role.rolsuper).toBe(false);
  });

  it('the wires between containers work: enrolment through CODE_ISSUER_URL, an exchange through Redis and the hub (its mix rounds on)', async () => {
    // The operators act with the credentials the ceremony left in their own volume.
    const urls = Object.fromEntries(APP_SERVICES.map((service) => [service, urlOf(service)]));
    const operators = new OperatorClient({ credentialsDir: standIn.volumeDir('operator-credentials'), urls });
    const post = async (url: string, body: unknown) => {
      const target = new URL(url);
      const service = serviceAt(urls, url)!;
      const answer = await operators.request(service, operatorRoleFor(service, 'POST', target.pathname), 'POST', target.pathname, body);
      return { status: answer.status, body: answer.body };
    };
    const registered = await post(`${urlOf('code-issuer')}/citizens`, citizen);
    expect(registered.status).toBe(201);
    const myNumber = registered.body.myNumber as string;

    const tax = await post(`${urlOf('tax-agency')}/persons`, { ...citizen, myNumber, records: { incomes: [{ fiscalYear: 2025, incomeYen: INCOME_YEN }] } });
    expect(tax).toMatchObject({ status: 201, body: { status: 'enrolled' } });
    const pension = await post(`${urlOf('pension-agency')}/persons`, { ...citizen, myNumber });
    expect(pension).toMatchObject({ status: 201, body: { status: 'enrolled' } });

    const started = await post(`${urlOf('pension-agency')}/inquiries`, {
      personId: pension.body.personId,
      provider: 'tax-agency',
      rule: 'R-PEN-TAX-INCOME',
      item: 'annual-income',
      parameters: { fiscalYear: 2025 },
    });
    expect(started.status).toBe(202);
    const answered = await pollUntil(
      async () => {
        const { body } = await operators.request('pension-agency', 'agency-officer', 'GET', `/inquiries/${started.body.inquiryId as string}`);
        return body.status !== 'pending' ? body : undefined;
      },
      // The hub's mix is on, as compose runs it: the delivery and the result each wait for a round.
      { timeoutMs: 150_000, intervalMs: 200, what: 'the inquiry to settle' },
    );
    expect(answered).toMatchObject({ status: 'answered', result: { fiscalYear: 2025, incomeYen: INCOME_YEN } });

    const records = await pollUntil(
      async () => {
        const rows = await queryAs(envs['myna-portal'].DATABASE_URL, 'SELECT requester, provider, status FROM exchange_record');
        return rows.length > 0 ? rows : undefined;
      },
      { timeoutMs: 150_000, what: 'the portal to receive the exchange record' },
    );
    expect(records).toEqual([{ requester: 'pension-agency', provider: 'tax-agency', status: 'permitted' }]);
  }, 360_000);
});
