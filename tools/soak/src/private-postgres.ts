// "Real PostgreSQL" for the soak without touching the machine's own cluster: a
// private cluster (initdb into a temporary directory, the server in the
// foreground on the soak's port), which the soak may crash and restart at will.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { LaunchError, ManagedProcess, OutputLine, pollUntil, Supervisor } from '@myna-tools/federation-host';

const run = promisify(execFile);
const POSTGRES_ROOT = '/usr/lib/postgresql';

/** The newest PostgreSQL installed under /usr/lib/postgresql (Debian's layout). */
export function postgresBinDir(root = POSTGRES_ROOT): string {
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => path.join(root, version, 'bin')).find((dir) => fs.existsSync(path.join(dir, 'initdb')));
  if (!found) throw new LaunchError(`no PostgreSQL server under ${root}: install one (apt-get install postgresql) or use --databases embedded`);
  return found;
}

/** PostgreSQL refuses to run as root: then the cluster runs as the `postgres` user. */
function asServerUser(command: string, args: readonly string[]): { command: string; args: string[] } {
  if (process.getuid?.() !== 0) return { command, args: [...args] };
  return { command: 'setpriv', args: ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args] };
}

export class PrivatePostgres {
  private server: ManagedProcess | undefined;

  private constructor(
    private readonly supervisor: Supervisor,
    private readonly binDir: string,
    readonly dataDir: string,
    readonly port: number,
    private readonly onLine: (line: OutputLine) => void,
  ) {}

  /** The superuser's URL (trust on 127.0.0.1: the cluster lives and dies with the soak). */
  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async create(supervisor: Supervisor, options: { dir: string; port: number; onLine: (line: OutputLine) => void }): Promise<PrivatePostgres> {
    const binDir = postgresBinDir();
    const dataDir = path.join(options.dir, 'pgdata');
    fs.mkdirSync(options.dir, { recursive: true });
    if (process.getuid?.() === 0) {
      await run('chown', ['-R', 'postgres:postgres', options.dir]);
      // The server user must be able to reach the directory.
      for (let dir = options.dir; dir !== path.dirname(dir); dir = path.dirname(dir)) fs.chmodSync(dir, fs.statSync(dir).mode | 0o011);
    }
    const initdb = asServerUser(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await run(initdb.command, initdb.args);
    const cluster = new PrivatePostgres(supervisor, binDir, dataDir, options.port, options.onLine);
    await cluster.start();
    return cluster;
  }

  /** Starts the server and resolves once it accepts connections. */
  async start(): Promise<void> {
    const server = asServerUser(path.join(this.binDir, 'postgres'), [
      '-D', this.dataDir,
      '-p', String(this.port),
      '-k', this.dataDir,
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=200',
      // The soak crashes processes, not the machine: what a commit wrote reaches the kernel
      // and survives, so fsync can go. Commits stay synchronous: an asynchronous commit
      // would be lost with the server's memory, which the soak's crash does take.
      '-c', 'fsync=off',
      '-c', 'full_page_writes=off',
    ]);
    this.server = this.supervisor.spawn({ name: 'postgres', tier: 'database', command: server.command, args: server.args, cwd: path.dirname(this.dataDir), env: process.env });
    this.server.onLine(this.onLine);
    const up = await pollUntil(async () => ((await this.ping()) ? true : undefined), { deadline: Date.now() + 120_000, intervalMs: 200 });
    if (!up) throw new LaunchError(`the private PostgreSQL on port ${this.port} did not accept connections`, { tail: { source: 'postgres', lines: this.server.tail() } });
    this.server.markReady();
  }

  /** A crash: SIGKILL to the postmaster's whole process group (every backend), then a start with crash recovery. */
  async crashAndRestart(): Promise<void> {
    const server = this.server;
    if (server) {
      server.killNow();
      await server.exited;
    }
    // The shared memory of the killed postmaster goes with its last backend; wait for the pid file to be stale.
    await this.start();
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private async ping(): Promise<boolean> {
    const client = new Client({ connectionString: this.adminUrl, connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
