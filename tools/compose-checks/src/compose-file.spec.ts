import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { redisAclFile, redisUserName } from '@myna/messaging';
import { DEFAULT_PORTS, serviceEnvSchema, type ServiceName } from '@myna/platform';
import {
  APP_SERVICES,
  COMPOSE_FILE,
  DOCKERIGNORE,
  KEYS_SERVICE,
  REDIS_SERVICE,
  ROOT,
  SCENARIOS_SERVICE,
  compiledEntry,
  databaseService,
  databaseUrlParts,
  loadCompose,
  loadDockerfile,
  stageEnvironment,
  variablePrefix,
} from './compose-model';

// The rules of the container set-up (issue #7), checked on the files themselves:
// no Docker engine runs where the tests run. The environment each service gets is
// proved separately, by starting the services with it (compose-wiring.integration-spec.ts).
const compose = loadCompose();
const services = compose.services;
const dockerfile = loadDockerfile();
const runtime = dockerfile.stages[dockerfile.stages.length - 1];
const AGENCIES_AND_PORTAL: readonly ServiceName[] = APP_SERVICES.filter((service) => service !== 'code-issuer' && service !== 'exchange-hub');
const PLATFORM_VARIABLES = Object.keys(serviceEnvSchema.shape);

const volumeMounts = (volume: string) =>
  Object.values(services).flatMap((service) => service.mounts.filter((mount) => mount.kind === 'volume' && mount.source === volume).map((mount) => ({ service: service.name, ...mount })));

describe('docker-compose.yml: the set of containers', () => {
  it('holds only what docker-compose 1.29 accepts at the top level (no `name:`, no `version:`)', () => {
    expect(Object.keys(compose.raw).filter((key) => !key.startsWith('x-')).sort()).toEqual(['networks', 'services', 'volumes']);
  });

  it('has one container per service, one PostgreSQL per database, one Redis, the key ceremony and the scenario runner', () => {
    expect(Object.keys(services).sort()).toEqual(
      [...APP_SERVICES, ...APP_SERVICES.map(databaseService), REDIS_SERVICE, KEYS_SERVICE, SCENARIOS_SERVICE].sort(),
    );
  });

  it('builds one image from the Dockerfile for the services, the ceremony and the scenarios', () => {
    const ours = [...APP_SERVICES, KEYS_SERVICE, SCENARIOS_SERVICE];
    const images = new Set(ours.map((name) => services[name].image));
    expect(images.size).toBe(1);
    for (const name of ours) expect([name, services[name].build]).toEqual([name, '.']);
  });

  it('declares every named volume and network it uses, and uses every one it declares', () => {
    const usedVolumes = new Set(Object.values(services).flatMap((service) => service.mounts.filter((m) => m.kind === 'volume').map((m) => m.source)));
    expect([...usedVolumes].sort()).toEqual(Object.keys(compose.volumes).sort());
    const usedNetworks = new Set(Object.values(services).flatMap((service) => service.networks));
    expect([...usedNetworks].sort()).toEqual(Object.keys(compose.networks).sort());
  });

  it('gives a healthcheck to every long-running container, and every `service_healthy` dependency has one', () => {
    for (const name of [...APP_SERVICES, ...APP_SERVICES.map(databaseService), REDIS_SERVICE]) {
      expect([name, (services[name].healthcheck?.test ?? []).length > 1]).toEqual([name, true]);
    }
    for (const service of Object.values(services)) {
      for (const [dependency, condition] of Object.entries(service.dependsOn)) {
        expect(services[dependency]).toBeDefined();
        expect(['service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect([dependency, services[dependency].healthcheck]).toEqual([dependency, expect.anything()]);
        if (condition === 'service_completed_successfully') expect(dependency).toBe(KEYS_SERVICE);
      }
    }
  });
});

describe.each(APP_SERVICES)('docker-compose.yml: %s', (name) => {
  const service = services[name];
  const database = services[databaseService(name)];
  const env = service.environment;

  it('runs its compiled main, with its queue workers inline', () => {
    expect(service.command).toEqual(['node', '-r', 'tsconfig-paths/register', `dist/apps/${name}/src/main.js`]);
    expect(env.WORKERS ?? 'inline').toBe('inline');
    expect(service.init).toBe(true);
    expect(service.profiles).toEqual([]);
  });

  it('sets only variables the service reads, in production mode, on its README port, published on localhost', () => {
    for (const variable of Object.keys(env)) expect([variable, PLATFORM_VARIABLES.includes(variable)]).toEqual([variable, true]);
    expect(env).toMatchObject({ NODE_ENV: 'production', PORT: String(DEFAULT_PORTS[name]), REDIS_URL: `redis://myna-${name}:local-only-redis-${name}@redis:6379`, REDIS_PREFIX: 'myna', KEYS_DIR: '/keys' });
    expect(service.ports).toEqual([`127.0.0.1:${DEFAULT_PORTS[name]}:${DEFAULT_PORTS[name]}`]);
  });

  it(AGENCIES_AND_PORTAL.includes(name) ? 'reaches code-issuer by its container name' : 'is given no code-issuer URL', () => {
    if (AGENCIES_AND_PORTAL.includes(name)) expect(env.CODE_ISSUER_URL).toBe(`http://code-issuer:${DEFAULT_PORTS['code-issuer']}`);
    else expect(env.CODE_ISSUER_URL).toBeUndefined();
  });

  it('connects to its own PostgreSQL container, as the role the container creates for it', () => {
    const url = databaseUrlParts(env.DATABASE_URL);
    expect(url).toEqual({
      user: database.environment.SERVICE_DB_NAME,
      password: database.environment.SERVICE_DB_PASSWORD,
      host: databaseService(name),
      port: '5432',
      database: database.environment.SERVICE_DB_NAME,
    });
    expect(database.environment.SERVICE_DB_NAME).toBe(name.replace(/-/g, '_'));
  });

  it('shares a network with its own database and no other', () => {
    for (const other of APP_SERVICES) {
      const shared = services[databaseService(other)].networks.filter((network) => service.networks.includes(network));
      expect([other, shared.length > 0]).toEqual([other, other === name]);
    }
    expect(service.networks).toContain('federation');
  });

  it('mounts only its own key volume, read-only, at KEYS_DIR', () => {
    expect(service.mounts).toEqual([{ source: `${name}-keys`, target: '/keys', readOnly: true, kind: 'volume' }]);
    // Also mounted by the ceremony that writes it and, read-only, by the scenario runner.
    expect(volumeMounts(`${name}-keys`).map(({ service, target, readOnly }) => ({ service, target, readOnly }))).toEqual([
      { service: KEYS_SERVICE, target: `/keys-all/${name}`, readOnly: false },
      { service: name, target: '/keys', readOnly: true },
      { service: SCENARIOS_SERVICE, target: `/keys-all/${name}`, readOnly: true },
    ].sort((a, b) => Object.keys(services).indexOf(a.service) - Object.keys(services).indexOf(b.service)));
  });

  it('starts after the key ceremony has finished and its database and Redis are healthy', () => {
    expect(service.dependsOn).toEqual({
      [KEYS_SERVICE]: 'service_completed_successfully',
      [databaseService(name)]: 'service_healthy',
      [REDIS_SERVICE]: 'service_healthy',
      ...(AGENCIES_AND_PORTAL.includes(name) ? { 'code-issuer': 'service_healthy' } : {}),
    });
  });

  it('is healthy when its own /health answers 200 on its PORT', () => {
    const test = service.healthcheck!.test;
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(test[3]).toContain("fetch('http://127.0.0.1:'+process.env.PORT+'/health')");
  });
});

describe.each(APP_SERVICES)('docker-compose.yml: the database of %s', (name) => {
  const database = services[databaseService(name)];

  it('is PostgreSQL 16 with its own volume, on its service’s internal network only', () => {
    expect(database.image).toMatch(/^postgres:16(\.\d+)*-alpine$/);
    const data = database.mounts.find((mount) => mount.target === '/var/lib/postgresql/data');
    expect(data).toEqual({ source: `${name}-db-data`, target: '/var/lib/postgresql/data', readOnly: false, kind: 'volume' });
    expect(volumeMounts(`${name}-db-data`).map((mount) => mount.service)).toEqual([databaseService(name)]);
    expect(database.networks).toEqual([`${name}-data`]);
    expect(compose.networks[`${name}-data`]).toEqual({ internal: true });
    expect(database.ports).toEqual([]);
  });

  it('creates the service’s role and database with the init script, read-only', () => {
    expect(database.mounts).toContainEqual({
      source: './docker/postgres/init-service-database.sh',
      target: '/docker-entrypoint-initdb.d/10-service-database.sh',
      readOnly: true,
      kind: 'bind',
    });
    expect(Object.keys(database.environment).sort()).toEqual(['POSTGRES_PASSWORD', 'SERVICE_DB_NAME', 'SERVICE_DB_PASSWORD']);
  });

  it('is healthy only once it accepts TCP connections to the service’s database', () => {
    const db = database.environment.SERVICE_DB_NAME;
    expect(database.healthcheck!.test).toEqual(['CMD', 'pg_isready', '-h', '127.0.0.1', '-p', '5432', '-U', db, '-d', db]);
  });
});

describe('docker-compose.yml: credentials', () => {
  const databases = APP_SERVICES.map((name) => services[databaseService(name)].environment);

  it('differ for every database: role, database, service password and superuser password', () => {
    const distinct = (values: string[]) => expect(new Set(values).size).toBe(values.length);
    distinct(databases.map((env) => env.SERVICE_DB_NAME));
    distinct(databases.map((env) => env.SERVICE_DB_PASSWORD));
    distinct(databases.map((env) => env.POSTGRES_PASSWORD));
    distinct([...databases.map((env) => env.SERVICE_DB_PASSWORD), ...databases.map((env) => env.POSTGRES_PASSWORD)]);
    for (const env of databases) expect(env.SERVICE_DB_PASSWORD.length).toBeGreaterThanOrEqual(12);
  });

  it('are not interpolated from the shell (the wiring test starts services with exactly these values)', () => {
    expect(readFileSync(COMPOSE_FILE, 'utf8')).not.toContain('$');
  });
});

describe('docker-compose.yml: Redis', () => {
  const redis = services[REDIS_SERVICE];

  it('keeps an append-only file and never evicts a queue key', () => {
    expect(redis.image).toMatch(/^redis:7(\.\d+)*-alpine$/);
    const command = redis.command.join(' ');
    expect(command).toMatch(/^redis-server /);
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
  });

  it('has its own volume and answers PING, as a user that may do nothing else, when healthy', () => {
    expect(redis.mounts).toEqual([
      { source: 'redis-data', target: '/data', readOnly: false, kind: 'volume' },
      { source: './docker/redis/users.acl', target: '/etc/redis/users.acl', readOnly: true, kind: 'bind' },
    ]);
    expect(redis.healthcheck!.test.join(' ')).toContain('redis-cli --no-auth-warning --user myna-healthcheck --pass local-only-redis-healthcheck ping');
    expect(redis.networks).toEqual(['federation']);
  });

  it('serves each service as its own ACL user (docker/redis/users.acl, as libs/messaging defines the users), the default user off', () => {
    expect(redis.command.join(' ')).toContain('--aclfile /etc/redis/users.acl');
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const password = (url: string) => decodeURIComponent(new URL(url).password);
    const expected = redisAclFile('myna', {
      adminPasswordSha256: sha(password(services[SCENARIOS_SERVICE].environment.REDIS_URL)),
      healthcheckPasswordSha256: sha(/--pass (\S+)/.exec(redis.healthcheck!.test.join(' '))![1]),
      servicePasswordsSha256: new Map(APP_SERVICES.map((name) => [name, sha(password(services[name].environment.REDIS_URL))])),
    });
    expect(readFileSync(path.join(ROOT, 'docker/redis/users.acl'), 'utf8')).toBe(expected);
    for (const name of APP_SERVICES) expect(new URL(services[name].environment.REDIS_URL).username).toBe(redisUserName(name, 'myna'));
  });
});

describe('docker-compose.yml: the key ceremony', () => {
  const keys = services[KEYS_SERVICE];

  it('writes each service’s key file into that service’s own volume, and keeps existing keys', () => {
    expect(compiledEntry(keys.command)).toEqual({ source: 'tools/key-ceremony/src/main.ts', args: ['--out', '/keys-all'] });
    expect(keys.command).not.toContain('--force');
    expect(keys.mounts).toEqual(APP_SERVICES.map((name) => ({ source: `${name}-keys`, target: `/keys-all/${name}`, readOnly: false, kind: 'volume' })));
  });

  it('runs once, with no network', () => {
    expect(keys.networkMode).toBe('none');
    expect(keys.raw.restart).toBe('no');
    expect(keys.environment).toEqual({});
  });
});

describe('docker-compose.yml: the scenario runner', () => {
  const scenarios = services[SCENARIOS_SERVICE];

  it('is not started by `up` (profile "tools"), only by `run --rm scenarios`', () => {
    expect(scenarios.profiles).toEqual(['tools']);
    for (const [name, service] of Object.entries(services)) if (name !== SCENARIOS_SERVICE) expect([name, service.profiles]).toEqual([name, []]);
  });

  it('runs the compiled scenario runner', () => {
    expect(compiledEntry(scenarios.command)).toEqual({ source: 'tools/scenarios/src/main.ts', args: [] });
  });

  it('is given every service’s URL, database URL and Redis user, Redis as its administrator, its keys and report folders, and nothing else', () => {
    const expected: Record<string, string> = {
      REDIS_URL: 'redis://myna-admin:local-only-redis-admin@redis:6379',
      SCENARIO_KEYS_DIR: '/keys-all',
      SCENARIO_REPORT_DIR: '/reports',
    };
    for (const name of APP_SERVICES) {
      expected[`${variablePrefix(name)}_URL`] = `http://${name}:${services[name].environment.PORT}`;
      expected[`${variablePrefix(name)}_DATABASE_URL`] = services[name].environment.DATABASE_URL;
      expected[`${variablePrefix(name)}_REDIS_URL`] = services[name].environment.REDIS_URL;
    }
    expect(scenarios.environment).toEqual(expected);
  });

  it('reaches every database and waits for every service to be healthy', () => {
    expect(scenarios.networks.sort()).toEqual(['federation', ...APP_SERVICES.map((name) => `${name}-data`)].sort());
    expect(scenarios.dependsOn).toEqual(Object.fromEntries(APP_SERVICES.map((name) => [name, 'service_healthy'])));
  });

  it('reads every key file (as the insiders it plays) but cannot change one, and keeps its reports in a volume', () => {
    expect(scenarios.mounts).toEqual([
      ...APP_SERVICES.map((name) => ({ source: `${name}-keys`, target: `/keys-all/${name}`, readOnly: true, kind: 'volume' })),
      { source: 'scenario-reports', target: '/reports', readOnly: false, kind: 'volume' },
    ]);
  });
});

describe('docker-compose.yml: every command runs a file the build compiles', () => {
  const build = ts.parseJsonConfigFileContent(
    ts.readConfigFile(path.join(ROOT, 'tsconfig.build.json'), ts.sys.readFile).config,
    ts.sys,
    ROOT,
  );
  const compiled = new Set(build.fileNames.map((file) => path.relative(ROOT, file)));

  it.each([...APP_SERVICES, KEYS_SERVICE, SCENARIOS_SERVICE])('%s', (name) => {
    const { source } = compiledEntry(services[name].command);
    expect([source, existsSync(path.join(ROOT, source))]).toEqual([source, true]);
    expect([source, compiled.has(source)]).toEqual([source, true]);
  });
});

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile.stages.map((stage) => stage.name)).toEqual(expect.arrayContaining(['build', 'runtime']));
  });

  it('installs from the lock file, builds everything, then keeps production dependencies only', () => {
    const build = dockerfile.stages.find((stage) => stage.name === 'build')!;
    const runs = build.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args).join(' && ');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/npm run build\b/);
    expect(runs).toMatch(/npm prune --omit=dev\b/);
    expect(runs.indexOf('npm run build')).toBeLessThan(runs.indexOf('npm prune'));
  });

  it('runs as an unprivileged user', () => {
    const users = runtime.instructions.filter((instruction) => instruction.keyword === 'USER').map((instruction) => instruction.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
    for (const service of Object.values(services)) expect([service.name, service.user]).toEqual([service.name, undefined]);
  });

  it('ships the compiled code, the production dependencies and the runtime tsconfig, and no sources', () => {
    const copies = runtime.instructions.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.args);
    expect(copies.every((args) => args.startsWith('--from=build '))).toBe(true);
    const copied = copies.join(' ');
    for (const item of ['/app/node_modules', '/app/dist', '/app/tsconfig.runtime.json']) expect(copied).toContain(item);
    expect(copied).not.toMatch(/\/app\/(apps|libs|tools)\b/);
  });

  it('sets only NODE_ENV and TS_NODE_PROJECT (the wiring test relies on it)', () => {
    expect(stageEnvironment(runtime)).toEqual({ NODE_ENV: 'production', TS_NODE_PROJECT: '/app/tsconfig.runtime.json' });
  });

  it('prepares the key and report folders for the unprivileged user, so the volumes mounted there are theirs', () => {
    const runs = runtime.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args).join(' ');
    for (const name of APP_SERVICES) expect(runs).toContain(`/keys-all/${name}`);
    expect(runs).toMatch(/chown -R node:node \/keys \/keys-all \/reports/);
  });

  it('reads a build context without local state, dependencies, builds or secrets', () => {
    const ignored = readFileSync(DOCKERIGNORE, 'utf8').split('\n').map((line) => line.trim());
    for (const entry of ['.git', 'node_modules', 'dist', '.data', '.env']) expect(ignored).toContain(entry);
  });
});

describe('docker-compose config (docker-compose 1.29, as in CI)', () => {
  const found = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
  const available = found.status === 0;

  it('accepts the file', () => {
    if (!available) {
      // Everything above checks the file without it; CI installs Debian's docker-compose.
      console.warn('docker-compose is not installed: skipping `docker-compose config -q` (apt-get install docker-compose)');
      return;
    }
    const result = spawnSync('docker-compose', ['-f', COMPOSE_FILE, 'config', '-q'], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr.trim() }).toEqual({ status: 0, stderr: '' });
  });

  it('keeps the services, the scenario runner’s profile and every depends_on condition when it resolves the file', () => {
    if (!available) return;
    const result = spawnSync('docker-compose', ['-f', COMPOSE_FILE, 'config'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const resolved = parse(result.stdout) as { services: Record<string, { profiles?: string[]; depends_on?: Record<string, { condition: string }> }> };
    expect(Object.keys(resolved.services).sort()).toEqual(Object.keys(services).sort());
    expect(resolved.services[SCENARIOS_SERVICE].profiles).toEqual(['tools']);
    for (const service of Object.values(services)) {
      const conditions = Object.fromEntries(Object.entries(resolved.services[service.name].depends_on ?? {}).map(([name, entry]) => [name, entry.condition]));
      expect([service.name, conditions]).toEqual([service.name, service.dependsOn]);
    }
  });
});
