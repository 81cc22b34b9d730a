// The soak's own federation, built from the launcher's parts (its supervisor,
// service plans and environments, embedded databases, Redis users), but with
// every process restartable: each service runs as an API process and, where it
// consumes queues, a separate worker, so that either can be killed alone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { provisionServiceDatabase } from '@myna/platform';
import { CODE_ISSUER, databaseUrlVariable, type DemoLayout, EXCHANGE_HUB, HEALTH_AGENCY, MYNA_PORTAL, PENSION_AGENCY, portVariable, type Service, SERVICES as SERVICE_NAMES, TAX_AGENCY } from '@myna/protocol';
import { ChildLogs, EMBEDDED_DATABASE_ENV, type EmbeddedPostgres, initialiseDataDirs, keyCeremonyEntry, LaunchError, ManagedProcess, OutputLine, pingRedis, planServices, pollUntil, type RedisAccess, redisPrefix, secureLocalRedis, serviceEntry, serviceEnv, type ServicePlan, startEmbeddedPostgres, Supervisor, waitForHealthy } from '@myna-tools/federation-host';
import type { ProcessRole } from './fault-schedule';
import { PrivatePostgres } from './private-postgres';

/** Services that consume queues (code-issuer has none). */
export const WORKER_SERVICES: readonly Service[] = [EXCHANGE_HUB, TAX_AGENCY, PENSION_AGENCY, HEALTH_AGENCY, MYNA_PORTAL];

export interface SoakFederationOptions {
  root: string;
  /** The soak's temporary directory: keys, databases, Redis's AOF, logs. */
  dir: string;
  portBase: number;
  databases: 'postgres' | 'embedded';
  say: (line: string) => void;
}

interface Slot {
  service: Service;
  role: ProcessRole;
  process: ManagedProcess;
  /** Set while the soak itself is taking the process down. */
  expectedDeath: boolean;
  restarts: number;
}

export class SoakFederation {
  readonly urls = {} as Record<Service, string>;
  readonly databaseUrls = {} as Record<Service, string>;
  readonly keysDir: string;
  readonly supervisor = new Supervisor();
  /** Processes that died without being killed by the soak. */
  readonly unexpectedDeaths: string[] = [];
  private readonly logs: ChildLogs;
  private readonly slots = new Map<string, Slot>();
  private readonly embedded = new Map<Service, EmbeddedPostgres>();
  private cluster: PrivatePostgres | undefined;
  private redis: ManagedProcess | undefined;
  private access: RedisAccess | undefined;
  private plans: ServicePlan[] = [];
  private closing = false;

  private constructor(private readonly options: SoakFederationOptions) {
    this.keysDir = path.join(options.dir, 'keys');
    this.logs = new ChildLogs(path.join(options.dir, 'logs'));
  }

  get redisPort(): number {
    return this.options.portBase + 10;
  }

  get redisAdminUrl(): string {
    return this.access!.adminUrl;
  }

  get redisPrefix(): string {
    return redisPrefix(process.env);
  }

  private get separateWorkers(): boolean {
    return this.options.databases === 'postgres';
  }

  /** The demo's layout, with every state folder under the soak's own directory. */
  get paths(): DemoLayout {
    const dir = this.options.dir;
    return {
      root: this.options.root,
      dataDir: dir,
      keysDir: this.keysDir,
      operatorCredentialsDir: path.join(this.keysDir, 'operators'),
      federationFile: path.join(dir, 'federation.json'),
      logsDir: path.join(dir, 'logs'),
      cardsDir: path.join(dir, 'cards'),
    };
  }

  /** Processes the soak may kill: every service's API process and every worker. */
  get processes(): { service: Service; role: ProcessRole }[] {
    return [...this.slots.values()].map(({ service, role }) => ({ service, role }));
  }

  restartsOf(service: Service, role: ProcessRole): number {
    return this.slots.get(`${service}:${role}`)?.restarts ?? 0;
  }

  static async start(options: SoakFederationOptions): Promise<SoakFederation> {
    const federation = new SoakFederation(options);
    try {
      await federation.startAll();
      return federation;
    } catch (error) {
      await federation.stop();
      throw error;
    }
  }

  private show = (line: OutputLine) => this.logs.write(line);

  private async startAll(): Promise<void> {
    const { say, dir, portBase } = this.options;
    fs.mkdirSync(dir, { recursive: true });
    say(`key ceremony into ${this.keysDir}…`);
    await this.runKeyCeremony();

    say(`Redis on 127.0.0.1:${this.redisPort} (its own AOF and users file under ${dir})…`);
    const redisDir = path.join(dir, 'redis');
    fs.mkdirSync(redisDir, { recursive: true });
    fs.writeFileSync(path.join(redisDir, 'users.acl'), '');
    await this.startRedis();
    const prefix = redisPrefix(process.env);
    this.access = await secureLocalRedis(`redis://127.0.0.1:${this.redisPort}`, prefix);
    // Redis keeps users in memory: saved to its users file, they survive its restarts.
    const admin = new Redis(this.access.adminUrl, { maxRetriesPerRequest: 1 });
    await admin.call('ACL', 'SAVE');
    admin.disconnect();

    if (this.options.databases === 'postgres') {
      say(`a private PostgreSQL cluster on 127.0.0.1:${portBase + 11}…`);
      this.cluster = await PrivatePostgres.create(this.supervisor, { dir: path.join(dir, 'postgres'), port: portBase + 11, onLine: this.show });
      for (const service of SERVICE_NAMES) this.databaseUrls[service] = (await provisionServiceDatabase(this.cluster.adminUrl, `soak_${service}`)).url;
    } else {
      say('six embedded databases (PGlite)…');
      const dirs = SERVICE_NAMES.map((service) => path.join(dir, service, 'pgdata'));
      await initialiseDataDirs(this.supervisor, dirs, { templateDir: path.join(dir, '.pgdata-template'), deadline: Date.now() + 300_000, signal: new AbortController().signal, onLine: this.show });
      await Promise.all(SERVICE_NAMES.map((service, index) => this.startEmbedded(service, portBase + 12 + index)));
    }

    const env: NodeJS.ProcessEnv = { ...process.env };
    SERVICE_NAMES.forEach((service, index) => {
      env[portVariable(service)] = String(portBase + index);
      env[databaseUrlVariable(service)] = this.databaseUrls[service];
    });
    this.plans = planServices(env, this.paths).map((plan) => ({ ...plan, keysDir: path.join(this.keysDir, plan.name) }));
    for (const plan of this.plans) this.urls[plan.name] = `http://127.0.0.1:${plan.port}`;

    // pglite-socket serves all of a database's connections through one session: one process per
    // embedded database, which consumes its queues itself. On PostgreSQL, workers run apart.
    say(this.separateWorkers ? 'services: one API process each, and a worker for each that consumes queues…' : 'services: one process each, consuming its queues itself (an embedded database takes one process)…');
    for (const plan of this.plans) {
      const consumes = WORKER_SERVICES.includes(plan.name);
      this.spawn(plan.name, consumes && !this.separateWorkers ? 'service' : 'api');
      if (consumes && this.separateWorkers) this.spawn(plan.name, 'worker');
    }
    await Promise.all(this.plans.map((plan) => this.waitHealthy(plan.name, Date.now() + 300_000)));
  }

  private async runKeyCeremony(): Promise<void> {
    const ceremony = this.supervisor.spawn({
      name: 'key-ceremony',
      tier: 'service',
      command: process.execPath,
      args: ['-r', 'tsconfig-paths/register', keyCeremonyEntry(this.options.root), '--out', this.keysDir],
      cwd: this.options.root,
      env: { ...process.env, TS_NODE_PROJECT: path.join(this.options.root, 'tsconfig.runtime.json') },
    });
    ceremony.onLine(this.show);
    const exit = await ceremony.exited;
    if (exit.code !== 0) throw new LaunchError(`the key ceremony ${ceremony.describeExit()}`, { tail: { source: ceremony.name, lines: ceremony.tail() } });
  }

  private async startRedis(): Promise<void> {
    const redisDir = path.join(this.options.dir, 'redis');
    this.redis = this.supervisor.spawn({
      name: 'redis',
      tier: 'redis',
      command: 'redis-server',
      args: [
        '--port', String(this.redisPort), '--bind', '127.0.0.1', '--dir', redisDir,
        '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction',
        '--aclfile', path.join(redisDir, 'users.acl'), '--daemonize', 'no',
      ],
      cwd: redisDir,
      env: process.env,
    });
    this.redis.onLine(this.show);
    // After a restart the default user is off: its administrator asks.
    const url = this.access?.adminUrl ?? `redis://127.0.0.1:${this.redisPort}`;
    const answered = await pollUntil(async () => ((await pingRedis(url)) === 'PONG' ? true : undefined), { deadline: Date.now() + 60_000, intervalMs: 100 });
    if (!answered) throw new LaunchError(`redis-server did not answer on port ${this.redisPort}`, { tail: { source: 'redis', lines: this.redis.tail() } });
    this.redis.markReady();
  }

  private async startEmbedded(service: Service, port: number): Promise<void> {
    const database = await startEmbeddedPostgres(this.supervisor, {
      name: `${service}-db`,
      dataDir: path.join(this.options.dir, service, 'pgdata'),
      deadline: Date.now() + 300_000,
      signal: new AbortController().signal,
      onLine: this.show,
      port,
    });
    this.embedded.set(service, database);
    this.databaseUrls[service] = database.url;
  }

  private spawn(service: Service, role: ProcessRole): void {
    const plan = this.plans.find((candidate) => candidate.name === service)!;
    const runtime = {
      databaseUrl: this.databaseUrls[service],
      redisUrl: this.access!.serviceUrls[service],
      codeIssuerUrl: this.urls[CODE_ISSUER],
      cardReaderUrl: 'http://127.0.0.1:1',
    };
    const env = {
      ...serviceEnv(plan, runtime, this.paths, { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }),
      ...(WORKER_SERVICES.includes(service) && role === 'api' ? { WORKERS: 'off' } : {}),
      // As the demo runs on PGlite (the launcher's plan sees an external URL here).
      ...(this.separateWorkers ? {} : EMBEDDED_DATABASE_ENV),
    };
    const entry = role === 'worker' ? serviceEntry(service, this.paths).replace(/main\.js$/, 'worker.js') : serviceEntry(service, this.paths);
    const child = this.supervisor.spawn({
      name: role === 'worker' ? `${service}-worker` : service,
      tier: 'service',
      command: process.execPath,
      args: ['-r', 'tsconfig-paths/register', entry],
      cwd: this.options.root,
      env,
    });
    child.onLine(this.show);
    const key = `${service}:${role}`;
    const slot: Slot = { service, role, process: child, expectedDeath: false, restarts: this.slots.get(key)?.restarts ?? 0 };
    this.slots.set(key, slot);
    void child.exited.then(() => {
      if (this.closing || this.slots.get(key) !== slot) return;
      if (!slot.expectedDeath) {
        this.unexpectedDeaths.push(`${child.name} ${child.describeExit()} at ${new Date().toISOString()}: ${child.tail().slice(-3).join(' | ')}`);
        // As a process manager would: start it again.
        slot.restarts++;
        setTimeout(() => !this.closing && this.spawn(service, role), 1000);
      }
    });
  }

  private async waitHealthy(service: Service, deadline: number): Promise<void> {
    await waitForHealthy(`${this.urls[service]}/health`, service, { deadline });
  }

  /** SIGKILL, then a new process, as a process manager would start one. */
  async kill(service: Service, role: ProcessRole): Promise<void> {
    const key = `${service}:${role}`;
    const slot = this.slots.get(key);
    if (!slot) throw new Error(`no ${role} process for ${service}`);
    slot.expectedDeath = true;
    slot.process.killNow();
    await slot.process.exited;
    slot.restarts++;
    this.spawn(service, role);
    // A process with HTTP is back when it answers /health; a worker has no door to knock on.
    if (role !== 'worker') await this.waitHealthy(service, Date.now() + 120_000);
  }

  /** SIGKILL to redis-server, then a start on the same AOF and users file. */
  async restartRedis(): Promise<void> {
    const redis = this.redis!;
    redis.killNow();
    await redis.exited;
    await this.startRedis();
  }

  async restartPostgres(service?: Service): Promise<void> {
    if (this.cluster) return this.cluster.crashAndRestart();
    const target = service ?? SERVICE_NAMES[0];
    const database = this.embedded.get(target)!;
    database.process.killNow();
    await database.process.exited;
    await this.startEmbedded(target, database.port);
  }

  /** Every API healthy and every process running (after the faults). */
  async waitAllHealthy(deadline: number): Promise<void> {
    await Promise.all(this.plans.map((plan) => this.waitHealthy(plan.name, deadline)));
  }

  async stop(): Promise<void> {
    this.closing = true;
    await this.supervisor.stopAll();
    this.logs.close();
  }
}
