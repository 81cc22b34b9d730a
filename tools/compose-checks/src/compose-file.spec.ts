import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { redisAclFile, redisUserName } from '@myna/messaging';
import { serviceEnvSchema, type ServiceName } from '@myna/platform';
import { DEFAULT_PORTS } from '@myna/protocol';
import {
  APP_SERVICES,
  CARD_READER_SERVICE,
  COMPOSE_FILE,
  DEMO_CARDS_SERVICE,
  DOCKERIGNORE,
  KEYS_SERVICE,
  NO_VARIABLES_ENV_FILE,
  ONE_SHOT_SERVICES,
  REDIS_SERVICE,
  ROOT,
  SCENARIOS_SERVICE,
  compiledEntry,
  databaseService,
  databaseUrlParts,
  dockerfileStage,
  dockerignored,
  imageEnvironment,
  interpolatedVariables,
  loadCompose,
  loadDockerfile,
  loadDockerignore,
  parseDockerfile,
  stageEnvironment,
  variablePrefix,
  withDefaults,
} from './compose-model';
import { APP_DOCKERFILE, RUNTIME_FILES } from './check/federation-image';
// tools/run-compiled is plain JavaScript outside every project: it runs before anything is built.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { assetFiles } from '../../run-compiled/build-freshness';

// The rules of the container set-up (issue #7), checked on the files themselves:
// no Docker engine runs where the tests run. The environment each service gets is
// proved separately, by starting the services with it (compose-wiring.integration-spec.ts).
const compose = loadCompose();
const services = compose.services;
const dockerfile = loadDockerfile();
const runtime = dockerfileStage(dockerfile);
const runtimeBase = dockerfileStage(dockerfile, 'runtime-base');
const appDockerfile = parseDockerfile(readFileSync(APP_DOCKERFILE, 'utf8'));
const FEDERATION_SERVICES = [...APP_SERVICES, KEYS_SERVICE, CARD_READER_SERVICE, DEMO_CARDS_SERVICE, SCENARIOS_SERVICE];
/** The variables docker-compose.yml may take from the environment, with the defaults users get. */
const BASE_IMAGE_DEFAULTS: Record<string, string> = {
  NODE_IMAGE: 'node:20-bookworm-slim',
  POSTGRES_IMAGE: 'postgres:16-alpine',
  REDIS_IMAGE: 'redis:7-alpine',
  MYNA_EXCHANGE_IMAGE: 'myna-exchange:local',
};
const PORT_VARIABLES = [...APP_SERVICES.map((name) => `${variablePrefix(name)}_PORT`), 'CARD_READER_PORT'];
/** The two addresses the citizen's browser follows between the portal and the card reader: they move with the published ports. */
const BROWSER_ADDRESSES: Record<string, string> = {
  [`myna-portal.CARD_READER_URL`]: 'http://127.0.0.1:${CARD_READER_PORT:-4006}',
  [`${CARD_READER_SERVICE}.READER_RELYING_PARTIES`]: 'myna-portal=http://localhost:${MYNA_PORTAL_PORT:-4005}',
};
/** The settings a user may change from the shell, with the service's own default. */
const SETTINGS: Record<string, string> = {
  'exchange-hub.HUB_MIX_ROUND_SECONDS': '${HUB_MIX_ROUND_SECONDS:-45}',
};
const AGENCIES_AND_PORTAL: readonly ServiceName[] = APP_SERVICES.filter((service) => service !== 'code-issuer' && service !== 'exchange-hub');
const PLATFORM_VARIABLES = Object.keys(serviceEnvSchema.shape);
/** The variables a service reads beyond the platform's (the README's configuration table). */
const OWN_VARIABLES: Partial<Record<ServiceName, string[]>> = {
  'exchange-hub': ['HUB_MIX_ROUND_SECONDS', 'HUB_LOG_RETENTION_DAYS'],
  'myna-portal': ['CARD_READER_URL', 'EXCHANGE_HUB_URL', 'DEMO_CARD_HOLDERS', 'DEMO_CARD_PIN'],
};

const volumeMounts = (volume: string) =>
  Object.values(services).flatMap((service) => service.mounts.filter((mount) => mount.kind === 'volume' && mount.source === volume).map((mount) => ({ service: service.name, ...mount })));

describe('docker-compose.yml: the set of containers', () => {
  it('holds only what docker-compose 1.29 accepts at the top level (no `name:`, no `version:`)', () => {
    expect(Object.keys(compose.raw).filter((key) => !key.startsWith('x-')).sort()).toEqual(['networks', 'services', 'volumes']);
  });

  it('has one container per service, one PostgreSQL per database, one Redis, the key ceremony, the card reader, its demo cards and the scenario runner', () => {
    expect(Object.keys(services).sort()).toEqual(
      [...APP_SERVICES, ...APP_SERVICES.map(databaseService), REDIS_SERVICE, KEYS_SERVICE, CARD_READER_SERVICE, DEMO_CARDS_SERVICE, SCENARIOS_SERVICE].sort(),
    );
  });

  it('builds one image from the Dockerfile for the services, the ceremony and the scenarios, on the base image NODE_IMAGE names', () => {
    const images = new Set(FEDERATION_SERVICES.map((name) => services[name].image));
    expect([...images]).toEqual(['${MYNA_EXCHANGE_IMAGE:-myna-exchange:local}']);
    for (const name of FEDERATION_SERVICES) {
      expect([name, services[name].build]).toEqual([name, { context: '.', args: { NODE_IMAGE: '${NODE_IMAGE:-node:20-bookworm-slim}' } }]);
    }
    // The same default as the Dockerfile's own.
    expect(dockerfile.args).toContainEqual({ keyword: 'ARG', args: `NODE_IMAGE=${BASE_IMAGE_DEFAULTS.NODE_IMAGE}` });
  });

  it('runs every container as an unprivileged user, with a read-only root file system, no capabilities and no privilege escalation', () => {
    for (const service of Object.values(services)) {
      expect([service.name, service.raw.read_only, service.raw.cap_drop, service.raw.security_opt]).toEqual([service.name, true, ['ALL'], ['no-new-privileges:true']]);
    }
    // The federation's image has its own user (Dockerfile); the official postgres and redis images start as root unless told.
    for (const name of FEDERATION_SERVICES) expect([name, services[name].user]).toEqual([name, undefined]);
    for (const name of APP_SERVICES) expect(services[databaseService(name)].user).toBe('postgres');
    expect(services[REDIS_SERVICE].user).toBe('redis');
  });

  it('declares every named volume and network it uses, and uses every one it declares', () => {
    const usedVolumes = new Set(Object.values(services).flatMap((service) => service.mounts.filter((m) => m.kind === 'volume').map((m) => m.source)));
    expect([...usedVolumes].sort()).toEqual(Object.keys(compose.volumes).sort());
    const usedNetworks = new Set(Object.values(services).flatMap((service) => service.networks));
    expect([...usedNetworks].sort()).toEqual(Object.keys(compose.networks).sort());
  });

  it('gives a healthcheck to every long-running container, and every `service_healthy` dependency has one', () => {
    for (const name of [...APP_SERVICES, ...APP_SERVICES.map(databaseService), REDIS_SERVICE, CARD_READER_SERVICE]) {
      expect([name, (services[name].healthcheck?.test ?? []).length > 1]).toEqual([name, true]);
    }
    for (const service of Object.values(services)) {
      for (const [dependency, condition] of Object.entries(service.dependsOn)) {
        expect(services[dependency]).toBeDefined();
        expect(['service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect([dependency, services[dependency].healthcheck]).toEqual([dependency, expect.anything()]);
        if (condition === 'service_completed_successfully') expect(ONE_SHOT_SERVICES).toContain(dependency);
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

  it('sets only variables the service reads, in production mode, on its README port on every interface of its container, published on localhost', () => {
    const reads = [...PLATFORM_VARIABLES, ...(OWN_VARIABLES[name] ?? [])];
    for (const variable of Object.keys(env)) expect([variable, reads.includes(variable)]).toEqual([variable, true]);
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: String(DEFAULT_PORTS[name]), REDIS_URL: `redis://myna-${name}:local-only-redis-${name}@redis:6379`, REDIS_PREFIX: 'myna', KEYS_DIR: '/keys' });
    // On the demo's port variable, so that both can be moved the same way.
    const port = DEFAULT_PORTS[name];
    expect(service.ports).toEqual([`127.0.0.1:\${${variablePrefix(name)}_PORT:-${port}}:${port}`]);
    expect(service.ports.map(withDefaults)).toEqual([`127.0.0.1:${port}:${port}`]);
  });

  it(AGENCIES_AND_PORTAL.includes(name) ? 'reaches code-issuer by its container name' : 'is given no code-issuer URL', () => {
    if (AGENCIES_AND_PORTAL.includes(name)) expect(env.CODE_ISSUER_URL).toBe(`http://code-issuer:${DEFAULT_PORTS['code-issuer']}`);
    else expect(env.CODE_ISSUER_URL).toBeUndefined();
  });

  it(name === 'myna-portal' ? 'reaches the exchange hub’s log by its container name' : 'is given no exchange hub URL', () => {
    expect(env.EXCHANGE_HUB_URL).toBe(name === 'myna-portal' ? `http://exchange-hub:${DEFAULT_PORTS['exchange-hub']}` : undefined);
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

  it('is PostgreSQL 16 (POSTGRES_IMAGE) with its own volume, on its service’s internal network only', () => {
    expect(database.image).toBe(`\${POSTGRES_IMAGE:-${BASE_IMAGE_DEFAULTS.POSTGRES_IMAGE}}`);
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

  it('writes nothing but its volume and two in-memory folders (socket and lock file, scratch space)', () => {
    expect(database.raw.tmpfs).toEqual(['/var/run/postgresql', '/tmp']);
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

  it('are not interpolated from the shell (the wiring test starts services with exactly these values): only images, published ports and the hub’s mix round are', () => {
    const text = readFileSync(COMPOSE_FILE, 'utf8');
    expect([...new Set(interpolatedVariables(text))].sort()).toEqual([...Object.keys(BASE_IMAGE_DEFAULTS), ...PORT_VARIABLES, 'HUB_MIX_ROUND_SECONDS'].sort());
    for (const service of Object.values(services)) {
      for (const [variable, value] of Object.entries(service.environment)) {
        const address = BROWSER_ADDRESSES[`${service.name}.${variable}`] ?? SETTINGS[`${service.name}.${variable}`];
        expect([service.name, variable, value]).toEqual([service.name, variable, address ?? expect.not.stringContaining('$')]);
      }
      for (const value of [...service.command, ...(service.healthcheck?.test ?? [])]) expect([service.name, value]).toEqual([service.name, expect.not.stringContaining('$')]);
    }
  });
});

describe('docker-compose.yml: Redis', () => {
  const redis = services[REDIS_SERVICE];

  it('keeps an append-only file and never evicts a queue key', () => {
    expect(redis.image).toBe(`\${REDIS_IMAGE:-${BASE_IMAGE_DEFAULTS.REDIS_IMAGE}}`);
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

  it('writes each service’s key file into that service’s own volume, the operators’ credentials into theirs, and keeps existing keys', () => {
    expect(compiledEntry(keys.command)).toEqual({ source: 'tools/key-ceremony/src/main.ts', args: ['--out', '/keys-all'] });
    expect(keys.command).not.toContain('--force');
    expect(keys.mounts).toEqual([
      ...APP_SERVICES.map((name) => ({ source: `${name}-keys`, target: `/keys-all/${name}`, readOnly: false, kind: 'volume' })),
      { source: 'operator-credentials', target: '/keys-all/operators', readOnly: false, kind: 'volume' },
    ]);
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
      CARD_READER_URL: `http://${CARD_READER_SERVICE}:${services[CARD_READER_SERVICE].environment.PORT}`,
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

  it('reaches every database and waits for every service and the card reader to be healthy, and the demo cards to be made', () => {
    expect(scenarios.networks.sort()).toEqual(['federation', ...APP_SERVICES.map((name) => `${name}-data`)].sort());
    expect(scenarios.dependsOn).toEqual({
      ...Object.fromEntries(APP_SERVICES.map((name) => [name, 'service_healthy'])),
      [CARD_READER_SERVICE]: 'service_healthy',
      [DEMO_CARDS_SERVICE]: 'service_completed_successfully',
    });
  });

  it('reads every key file (as the insiders it plays) and the operators’ credentials (as the operators it plays) but cannot change one, and keeps its reports in a volume', () => {
    expect(scenarios.mounts).toEqual([
      ...APP_SERVICES.map((name) => ({ source: `${name}-keys`, target: `/keys-all/${name}`, readOnly: true, kind: 'volume' })),
      { source: 'operator-credentials', target: '/keys-all/operators', readOnly: true, kind: 'volume' },
      { source: 'scenario-reports', target: '/reports', readOnly: false, kind: 'volume' },
    ]);
  });
});

describe('docker-compose.yml: the card reader', () => {
  const reader = services[CARD_READER_SERVICE];
  const demoCards = services[DEMO_CARDS_SERVICE];
  const portal = services['myna-portal'];

  it('runs the compiled reader on its own port, published on localhost beside the portal, with the cards in its own volume', () => {
    expect(compiledEntry(reader.command)).toEqual({ source: 'tools/card-reader/src/main.ts', args: [] });
    expect(reader.environment).toMatchObject({ HOST: '0.0.0.0', PORT: '4006', CARD_STORE_DIR: '/cards' });
    expect(reader.ports).toEqual(['127.0.0.1:${CARD_READER_PORT:-4006}:4006']);
    expect(reader.mounts).toEqual([{ source: 'card-store', target: '/cards', readOnly: false, kind: 'volume' }]);
    expect(reader.networks).toEqual(['federation']);
    expect(reader.dependsOn).toEqual({});
  });

  it('is where the portal sends the browser, on another host name than the portal’s (no portal cookie reaches it), and it answers only the portal', () => {
    const readerUrl = new URL(withDefaults(portal.environment.CARD_READER_URL));
    const [name, origin] = withDefaults(reader.environment.READER_RELYING_PARTIES).split('=');
    expect([name, new URL(origin).hostname, new URL(origin).port]).toEqual(['myna-portal', 'localhost', portal.environment.PORT]);
    expect([readerUrl.hostname, readerUrl.port]).toEqual(['127.0.0.1', reader.environment.PORT]);
    expect(readerUrl.hostname).not.toBe(new URL(origin).hostname);
  });

  it('gets the demo’s cards from a one-shot that acts with the operators’ credentials (read-only) once the services are healthy', () => {
    expect(compiledEntry(demoCards.command)).toEqual({ source: 'tools/card-reader/src/demo-cards.ts', args: [] });
    expect(demoCards.raw.restart).toBe('no');
    expect(demoCards.mounts).toEqual([
      { source: 'operator-credentials', target: '/keys-all/operators', readOnly: true, kind: 'volume' },
      { source: 'card-store', target: '/cards', readOnly: false, kind: 'volume' },
    ]);
    expect(demoCards.environment).toEqual({
      CODE_ISSUER_URL: services['myna-portal'].environment.CODE_ISSUER_URL,
      ...Object.fromEntries((['tax-agency', 'pension-agency', 'health-agency'] as const).map((name) => [`${variablePrefix(name)}_URL`, `http://${name}:${services[name].environment.PORT}`])),
      OPERATOR_CREDENTIALS_DIR: '/keys-all/operators',
      CARD_STORE_DIR: reader.environment.CARD_STORE_DIR,
    });
    expect(Object.values(demoCards.dependsOn)).toEqual(expect.arrayContaining(['service_healthy']));
    for (const name of ['code-issuer', 'tax-agency', 'pension-agency', 'health-agency'] as const) expect(demoCards.dependsOn[name]).toBe('service_healthy');
  });

  it('is the only container beside the ceremony and the runner to touch the operators’ credentials, and none touches the cards but the reader and its one-shot', () => {
    expect(volumeMounts('operator-credentials').map((mount) => [mount.service, mount.readOnly])).toEqual([
      [KEYS_SERVICE, false],
      [DEMO_CARDS_SERVICE, true],
      [SCENARIOS_SERVICE, true],
    ].sort((a, b) => Object.keys(services).indexOf(a[0] as string) - Object.keys(services).indexOf(b[0] as string)));
    expect(volumeMounts('card-store').map((mount) => mount.service).sort()).toEqual([CARD_READER_SERVICE, DEMO_CARDS_SERVICE].sort());
  });
});

describe('docker-compose.yml: every command runs a file the build compiles', () => {
  const build = ts.parseJsonConfigFileContent(
    ts.readConfigFile(path.join(ROOT, 'tsconfig.build.json'), ts.sys.readFile).config,
    ts.sys,
    ROOT,
  );
  const compiled = new Set(build.fileNames.map((file) => path.relative(ROOT, file)));

  it.each(FEDERATION_SERVICES)('%s', (name) => {
    const { source } = compiledEntry(services[name].command);
    expect([source, existsSync(path.join(ROOT, source))]).toEqual([source, true]);
    expect([source, compiled.has(source)]).toEqual([source, true]);
  });
});

describe('Dockerfile', () => {
  it('has a runtime-base stage on NODE_IMAGE, a build stage, and a runtime stage (the last) on runtime-base', () => {
    expect(dockerfile.stages.map((stage) => [stage.name, stage.from])).toEqual([
      ['runtime-base', '${NODE_IMAGE}'],
      ['build', '${NODE_IMAGE}'],
      ['runtime', 'runtime-base'],
    ]);
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
  });

  it('ships the compiled code, the production dependencies and the runtime tsconfig, and no sources', () => {
    const copies = runtime.instructions.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.args);
    expect(copies.every((args) => args.startsWith('--from=build '))).toBe(true);
    const copied = copies.join(' ');
    for (const item of ['/app/node_modules', '/app/dist', '/app/tsconfig.runtime.json']) expect(copied).toContain(item);
    expect(copied).not.toMatch(/\/app\/(apps|libs|tools)\b/);
  });

  it('sets only NODE_ENV and TS_NODE_PROJECT (the wiring test relies on it)', () => {
    expect(imageEnvironment(dockerfile, runtime)).toEqual({ NODE_ENV: 'production', TS_NODE_PROJECT: '/app/tsconfig.runtime.json' });
  });

  it('prepares the key and report folders for the unprivileged user, so the volumes mounted there are theirs', () => {
    const runs = runtimeBase.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args).join(' ');
    for (const name of [...APP_SERVICES, 'operators']) expect(runs).toContain(`/keys-all/${name}`);
    expect(runs).toMatch(/chown -R node:node \/keys \/keys-all \/reports \/cards/);
  });

  it('reads a build context without local state, dependencies, builds or secrets', () => {
    const ignored = readFileSync(DOCKERIGNORE, 'utf8').split('\n').map((line) => line.trim());
    for (const entry of ['.git', 'node_modules', 'dist', '.data', '.env']) expect(ignored).toContain(entry);
  });

  it('reads a build context holding every file the build stage copies and compiles (so the image compose:check builds from this machine’s build is the same)', () => {
    const patterns = loadDockerignore();
    const build = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(ROOT, 'tsconfig.build.json'), ts.sys.readFile).config, ts.sys, ROOT);
    const needed = [...build.fileNames.map((file) => path.relative(ROOT, file)), 'package.json', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.build.json', 'tsconfig.runtime.json'];
    // npm run build: tools/run-compiled compiles, then copies the pages' web assets beside the compiled code.
    const assets = assetFiles(ROOT);
    needed.push(...assets, 'tools/run-compiled/run-compiled.js', 'tools/run-compiled/build-freshness.js');
    expect(needed.filter((file) => dockerignored(file, patterns))).toEqual([]);
    expect(needed.length).toBeGreaterThan(50);
    expect(assets).toEqual(expect.arrayContaining(['apps/myna-portal/src/pages/assets/portal.css', 'tools/card-reader/src/assets/reader.css']));
  });
});

describe('docker/app/Dockerfile: the image compose:check builds from this machine’s build', () => {
  const stage = appDockerfile.stages.at(-1)!;
  const destinations = (instructions: typeof stage.instructions) =>
    instructions.filter((instruction) => instruction.keyword === 'COPY').flatMap((instruction) => {
      // `COPY a b ./` puts a and b in ./; `COPY dist ./dist` puts dist's contents at ./dist.
      const parts = instruction.args.split(' ').filter((part) => !part.startsWith('--'));
      const [sources, target] = [parts.slice(0, -1), parts.at(-1)!];
      const into = (source: string) => (sources.length === 1 && !target.endsWith('/') ? target : path.posix.join(target, path.posix.basename(source)));
      return sources.map((source) => path.posix.normalize(into(source)));
    });

  it('is the Dockerfile’s runtime stage on its runtime-base stage, with the same files in the same places, user and command', () => {
    expect(appDockerfile.args).toEqual([{ keyword: 'ARG', args: 'RUNTIME_BASE=myna-exchange-runtime-base:local' }]);
    expect(stage.from).toBe('${RUNTIME_BASE}');
    expect(destinations(stage.instructions).sort()).toEqual(destinations(runtime.instructions).sort());
    const rest = (instructions: typeof stage.instructions) => instructions.filter((instruction) => instruction.keyword !== 'COPY');
    expect(rest(stage.instructions)).toEqual(rest(runtime.instructions));
    expect(stageEnvironment(stage)).toEqual({});
  });

  it('copies what compose:check puts in its context: the runtime files, dist and the production node_modules', () => {
    expect(destinations(stage.instructions).sort()).toEqual([...RUNTIME_FILES, 'dist', 'node_modules'].sort());
  });
});

describe('.dockerignore rules', () => {
  it.each([
    ['node_modules', 'node_modules/x/index.js', true],
    ['dist', 'dist', true],
    ['dist', 'apps/x/dist/a.js', false],
    ['**/node_modules', 'libs/a/node_modules/b/c.js', true],
    ['**/*.spec.ts', 'libs/a/src/b.spec.ts', true],
    ['**/*.spec.ts', 'libs/a/src/b.ts', false],
    ['*.log', 'npm.log', true],
    ['*.log', 'logs/npm.log', false],
    ['libs/testing', 'libs/testing/src/index.ts', true],
    ['.env.*', '.env.local', true],
  ])('%s leaves out %s: %s', (pattern, file, ignored) => {
    expect(dockerignored(file, [pattern])).toBe(ignored);
  });

  it('takes a path back with !, the last matching line deciding', () => {
    expect(dockerignored('docs/a.md', ['docs', '!docs/a.md'])).toBe(false);
    expect(dockerignored('docs/b.md', ['docs', '!docs/a.md'])).toBe(true);
    expect(dockerignored('docs/a.md', ['!docs/a.md', 'docs'])).toBe(true);
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

  it('resolves to the official images, and the README’s ports, when none of the file’s variables is set', () => {
    if (!available) return;
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in BASE_IMAGE_DEFAULTS) && !PORT_VARIABLES.includes(name)));
    // No .env either (the README suggests one for the stand-ins).
    const result = spawnSync('docker-compose', ['-f', COMPOSE_FILE, '--env-file', NO_VARIABLES_ENV_FILE, 'config'], { cwd: ROOT, encoding: 'utf8', env });
    expect(result.status).toBe(0);
    const resolved = parse(result.stdout) as { services: Record<string, { image: string; build?: { args?: Record<string, string> }; ports?: unknown[] }> };
    for (const name of APP_SERVICES) {
      expect(resolved.services[databaseService(name)].image).toBe(BASE_IMAGE_DEFAULTS.POSTGRES_IMAGE);
      expect(resolved.services[name].ports).toEqual([`127.0.0.1:${DEFAULT_PORTS[name]}:${DEFAULT_PORTS[name]}/tcp`]);
    }
    expect(resolved.services[REDIS_SERVICE].image).toBe(BASE_IMAGE_DEFAULTS.REDIS_IMAGE);
    expect(resolved.services[CARD_READER_SERVICE].ports).toEqual(['127.0.0.1:4006:4006/tcp']);
    for (const name of FEDERATION_SERVICES) {
      expect(resolved.services[name].image).toBe(BASE_IMAGE_DEFAULTS.MYNA_EXCHANGE_IMAGE);
      expect(resolved.services[name].build?.args).toEqual({ NODE_IMAGE: BASE_IMAGE_DEFAULTS.NODE_IMAGE });
    }
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
