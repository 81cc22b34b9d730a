// What the README says of the containers, asserted on the running federation:
// the isolation ("Check it yourself") and the production settings. Each check
// states a claim and whether it holds, with what was seen; nothing here prints a
// key or a password.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ServiceName } from '@myna/platform';
import { DEFAULT_PORTS } from '@myna/protocol';
import { APP_SERVICES, CARD_READER_SERVICE, REDIS_SERVICE, ROOT, SCENARIOS_SERVICE, databaseService, databaseUrlParts, loadCompose } from '../compose-model';
import { run } from './commands';
import type { ComposeProject, ContainerState } from './compose-project';

export interface Check {
  group: 'isolation' | 'production';
  statement: string;
  holds: boolean;
  detail: string;
}

const compose = loadCompose();
const KEY_FILE = 'service-keys.json';

/** Run inside a service container: what it sees of key folders (names only, and the key file's `service`). */
const KEYS_PROBE = `
const fs = require('node:fs');
const list = (dir) => { try { return fs.readdirSync(dir).sort(); } catch (error) { return 'error ' + error.code; } };
let service;
try { service = JSON.parse(fs.readFileSync('/keys/${KEY_FILE}', 'utf8')).service; } catch (error) { service = 'error ' + error.code; }
const all = fs.existsSync('/keys-all') ? Object.fromEntries(fs.readdirSync('/keys-all').map((name) => [name, list('/keys-all/' + name)])) : {};
console.log(JSON.stringify({ keys: list('/keys'), service, all }));
`;

/** Run inside a service container: which database host names resolve, and which PostgreSQL addresses it can open. */
const NETWORK_PROBE = `
const dns = require('node:dns/promises');
const net = require('node:net');
const { names, hosts } = JSON.parse(process.argv[1]);
const lookup = (name) => dns.lookup(name).then((found) => ({ name, address: found.address }), (error) => ({ name, error: error.code }));
const connect = (host) => new Promise((done) => {
  const socket = net.connect({ host, port: 5432, timeout: 3000 });
  socket.on('connect', () => { socket.destroy(); done({ host, connected: true }); });
  socket.on('timeout', () => { socket.destroy(); done({ host, connected: false, error: 'ETIMEDOUT' }); });
  socket.on('error', (error) => done({ host, connected: false, error: error.code }));
});
// Connections after the lookups: a failing lookup can hold the resolver for seconds.
Promise.all(names.map(lookup)).then(async (lookups) => console.log(JSON.stringify({ lookups, connections: await Promise.all(hosts.map(connect)) })));
`;

/** Run in the federation's image: every package folder under /app/node_modules, and what /app holds. */
const PACKAGES_PROBE = `
const fs = require('node:fs');
const path = require('node:path');
const found = [];
const visit = (dir) => {
  if (fs.existsSync(path.join(dir, 'package.json'))) found.push(path.relative('/app', dir));
  if (fs.existsSync(path.join(dir, 'node_modules'))) walk(path.join(dir, 'node_modules'));
};
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) for (const scoped of fs.readdirSync(path.join(dir, entry.name))) visit(path.join(dir, entry.name, scoped));
    else visit(path.join(dir, entry.name));
  }
};
walk('/app/node_modules');
console.log(JSON.stringify({ packages: found, app: fs.readdirSync('/app').sort() }));
`;

const ROLE_QUERY = `
SELECT json_build_object(
  'superuser', r.rolsuper, 'createdb', r.rolcreatedb, 'createrole', r.rolcreaterole,
  'owns', (SELECT coalesce(json_agg(d.datname ORDER BY d.datname), '[]') FROM pg_database d WHERE d.datdba = r.oid),
  'tables', (SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')),
  'tablesOfOthers', (SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tableowner <> current_user),
  'publicConnect', has_database_privilege('public', current_database(), 'CONNECT'))
FROM pg_roles r WHERE r.rolname = current_user`;

const same = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

export async function checkIsolation(project: ComposeProject, containers: Record<string, ContainerState>): Promise<Check[]> {
  const perService = await Promise.all(APP_SERVICES.map((service) => isolationOf(project, containers, service)));
  return perService.flat();
}

async function isolationOf(project: ComposeProject, containers: Record<string, ContainerState>, service: ServiceName): Promise<Check[]> {
  const container = containers[service];
  const checks: Check[] = [];

  // Its own key volume, read-only, and nothing else mounted; only its own key file in it.
  const mounts = container.mounts.map((mount) => `${mount.name ?? mount.source}:${mount.destination}:${mount.rw ? 'rw' : 'ro'}`);
  const seen = JSON.parse(await project.exec(container, ['node', '-e', KEYS_PROBE])) as { keys: string[] | string; service: string; all: Record<string, string[] | string> };
  const othersEmpty = Object.values(seen.all).every((entries) => Array.isArray(entries) && entries.length === 0);
  checks.push({
    group: 'isolation',
    statement: `${service} sees only its own key volume`,
    holds: same(mounts, [`${project.name}_${service}-keys:/keys:ro`]) && same(Array.isArray(seen.keys) ? seen.keys : [], [KEY_FILE]) && seen.service === service && othersEmpty,
    detail: `mounts ${mounts.join(', ')}; /keys holds ${JSON.stringify(seen.keys)} (the key file of ${seen.service}); /keys-all/* ${othersEmpty ? 'empty' : JSON.stringify(seen.all)}`,
  });

  // Every other service's database: no name, and no route to its address; its own: both.
  const others = APP_SERVICES.filter((other) => other !== service);
  const otherAddresses = others.flatMap((other) => Object.values(containers[databaseService(other)].networks).map((network) => network.ipAddress)).filter(Boolean);
  const probe = JSON.parse(
    await project.exec(container, ['node', '-e', NETWORK_PROBE, JSON.stringify({ names: APP_SERVICES.map(databaseService), hosts: [databaseService(service), ...otherAddresses] })]),
  ) as { lookups: { name: string; address?: string; error?: string }[]; connections: { host: string; connected: boolean; error?: string }[] };
  const resolvedOthers = probe.lookups.filter((lookup) => lookup.name !== databaseService(service) && lookup.address);
  const ownResolved = probe.lookups.find((lookup) => lookup.name === databaseService(service))?.address;
  const [own, ...reachedByAddress] = probe.connections;
  const reachedOthers = reachedByAddress.filter((connection) => connection.connected);
  checks.push({
    group: 'isolation',
    statement: `${service} cannot resolve another service's database, nor reach one by its address`,
    holds: resolvedOthers.length === 0 && reachedOthers.length === 0 && reachedByAddress.length === others.length && Boolean(ownResolved) && own.connected,
    detail:
      `${others.map(databaseService).join(', ')}: ${[...new Set(probe.lookups.filter((lookup) => lookup.error).map((lookup) => lookup.error))].join('/')}` +
      `${resolvedOthers.length ? `; RESOLVED ${resolvedOthers.map((lookup) => lookup.name).join(', ')}` : ''}; ` +
      `their ${reachedByAddress.length} addresses: ${reachedOthers.length ? `REACHED ${reachedOthers.map((connection) => connection.host).join(', ')}` : [...new Set(reachedByAddress.map((connection) => connection.error))].join('/')}; ` +
      `its own ${databaseService(service)}: ${ownResolved ?? 'not resolved'}, ${own.connected ? 'connects' : `does not connect (${own.error})`}`,
  });

  // Its role: owns its database and nothing else, no superuser or creation rights, owns every table.
  const { user, database } = databaseUrlParts(compose.services[service].environment.DATABASE_URL);
  const role = JSON.parse(
    await project.exec(containers[databaseService(service)], ['psql', '--no-psqlrc', '--tuples-only', '--no-align', '--username', user, '--dbname', database, '--command', ROLE_QUERY]),
  ) as { superuser: boolean; createdb: boolean; createrole: boolean; owns: string[]; tables: number; tablesOfOthers: number; publicConnect: boolean };
  checks.push({
    group: 'isolation',
    statement: `${service}'s role ${user} owns only its database`,
    holds: same(role.owns, [database]) && !role.superuser && !role.createdb && !role.createrole && role.tables > 0 && role.tablesOfOthers === 0 && !role.publicConnect,
    detail: `owns ${JSON.stringify(role.owns)}; superuser ${role.superuser}, createdb ${role.createdb}, createrole ${role.createrole}; ${role.tables} tables, ${role.tablesOfOthers} owned by another role; PUBLIC may connect: ${role.publicConnect}`,
  });
  return checks;
}

interface LockFile {
  packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean; peer?: boolean; link?: boolean }>;
}

export async function checkProduction(project: ComposeProject, image: string, allContainers: ContainerState[]): Promise<Check[]> {
  const checks: Check[] = [];
  const containers = allContainers.filter((container) => !container.oneOff);

  // Non-root: every process of every running container, and the user of the key ceremony that ran.
  const rootProcesses: string[] = [];
  const users: string[] = [];
  const tops = await Promise.all(
    containers.map(async (container) => (container.status === 'running' ? (await run('docker', ['top', container.id, '-o', 'pid,uid,args'], { env: project.env })).stdout : '')),
  );
  containers.forEach((container, at) => {
    users.push(`${container.service} ${container.user || 'root'}`);
    if (!container.user || ['root', '0'].includes(container.user.split(':')[0])) rootProcesses.push(`${container.service} (image user ${container.user || 'root'})`);
    for (const line of tops[at].split('\n').slice(1).filter(Boolean)) {
      const [pid, uid, ...args] = line.trim().split(/\s+/);
      if (uid === '0') rootProcesses.push(`${container.service}: pid ${pid} ${args.join(' ')}`);
    }
  });
  checks.push({
    group: 'production',
    statement: `every container runs as an unprivileged user (${containers.length} containers)`,
    holds: rootProcesses.length === 0 && containers.length > 0,
    detail: rootProcesses.length ? `as root: ${rootProcesses.join('; ')}` : [...new Set(users.map((entry) => entry.split(' ')[1]))].join(', '),
  });

  const writable = containers.filter((container) => !container.readOnlyRoot).map((container) => container.service);
  checks.push({
    group: 'production',
    statement: 'every container has a read-only root file system',
    holds: writable.length === 0,
    detail: writable.length ? `writable: ${writable.join(', ')}` : `${containers.length} of ${containers.length} read-only`,
  });

  // The federation's image: production dependencies only, all of them, and no sources.
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as LockFile;
  const entries = Object.entries(lock.packages).filter(([at, entry]) => at.startsWith('node_modules/') && !entry.link);
  const devOnly = entries.filter(([, entry]) => entry.dev).map(([at]) => at);
  const production = entries.filter(([, entry]) => !entry.dev && !entry.optional && !entry.devOptional && !entry.peer).map(([at]) => at);
  const shipped = JSON.parse(
    (await run('docker', ['run', '--rm', '--network', 'none', '--read-only', image, 'node', '-e', PACKAGES_PROBE], { env: project.env, timeoutMs: 120_000 })).stdout,
  ) as { packages: string[]; app: string[] };
  const present = new Set(shipped.packages);
  const devShipped = devOnly.filter((at) => present.has(at));
  const missing = production.filter((at) => !present.has(at));
  checks.push({
    group: 'production',
    statement: "the federation's image holds every production dependency and no dev dependency",
    holds: devShipped.length === 0 && missing.length === 0 && shipped.packages.length > 0,
    detail: `${shipped.packages.length} packages; dev-only in the lock file: ${devOnly.length}, shipped: ${devShipped.length ? devShipped.slice(0, 10).join(', ') : 0}; production missing: ${missing.length ? missing.slice(0, 10).join(', ') : 0}`,
  });
  const expectedApp = ['dist', 'node_modules', 'package-lock.json', 'package.json', 'tsconfig.runtime.json'];
  checks.push({
    group: 'production',
    statement: "the federation's image holds compiled code, not sources",
    holds: same(shipped.app, expectedApp),
    detail: `/app: ${shipped.app.join(', ')}`,
  });

  // Redis: never evicts a queue key, keeps an append-only file.
  const redis = containers.find((container) => container.service === REDIS_SERVICE && container.status === 'running');
  // As Redis's administrator (the default user is off): the scenario runner's credentials.
  const admin = new URL(compose.services[SCENARIOS_SERVICE].environment.REDIS_URL);
  const asAdmin = ['--no-auth-warning', '--user', decodeURIComponent(admin.username), '--pass', decodeURIComponent(admin.password)];
  const setting = async (name: string) => (redis ? (await project.exec(redis, ['redis-cli', ...asAdmin, 'config', 'get', name])).trim().split('\n')[1] : undefined);
  const [policy, appendOnly] = [await setting('maxmemory-policy'), await setting('appendonly')];
  const anonymous = redis ? await run('docker', ['exec', redis.id, 'redis-cli', 'ping'], { env: project.env }) : undefined;
  const anonymousAnswer = `${anonymous?.stdout ?? ''}${anonymous?.stderr ?? ''}`.trim();
  checks.push({
    group: 'production',
    statement: 'Redis refuses a client without a user of its own (the default user is off)',
    holds: anonymous !== undefined && !anonymousAnswer.includes('PONG') && /NOAUTH|NOPERM|WRONGPASS|disabled/i.test(anonymousAnswer),
    detail: `redis-cli ping without credentials: ${anonymousAnswer.split('\n')[0] || 'no answer'}`,
  });
  checks.push({
    group: 'production',
    statement: 'Redis never evicts (noeviction) and keeps an append-only file',
    holds: policy === 'noeviction' && appendOnly === 'yes',
    detail: `maxmemory-policy ${policy}, appendonly ${appendOnly}`,
  });

  // Published on 127.0.0.1 only, and answering there: the services and the citizen's card reader.
  const published: string[] = [];
  let answering = 0;
  let localOnly = true;
  const listening: [string, string][] = [
    ...APP_SERVICES.map((service): [string, string] => [service, String(DEFAULT_PORTS[service])]),
    [CARD_READER_SERVICE, compose.services[CARD_READER_SERVICE].environment.PORT],
  ];
  let readerPage = '';
  for (const [service, port] of listening) {
    const bindings = containers.find((container) => container.service === service)?.ports[`${port}/tcp`] ?? [];
    for (const binding of bindings) {
      if (service === CARD_READER_SERVICE) readerPage = await fetch(`http://127.0.0.1:${binding.HostPort}/`, { signal: AbortSignal.timeout(5000) }).then((response) => response.text(), () => '');
      published.push(`${service} ${binding.HostIp}:${binding.HostPort}`);
      if (binding.HostIp !== '127.0.0.1') localOnly = false;
      const response = await fetch(`http://127.0.0.1:${binding.HostPort}/health`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
      if (response?.status === 200) answering += 1;
    }
  }
  checks.push({
    group: 'production',
    statement: 'each service and the card reader is published on 127.0.0.1 only, and answers /health there',
    holds: localOnly && published.length === listening.length && answering === listening.length,
    detail: `${published.join(', ')}; ${answering} answered 200`,
  });

  // The demo-cards one-shot made the demo's citizens and left their cards in the reader.
  const ready = [...readerPage.matchAll(/data-state="ready"/g)].length;
  checks.push({
    group: 'production',
    statement: 'the card reader holds the demo citizens’ cards, ready to sign in',
    holds: ready > 0,
    detail: `${ready} ready card(s) on the reader's page`,
  });
  return checks;
}
