// An embedded PostgreSQL per service: PGlite served to the ordinary `pg` driver by
// the pglite-server of @electric-sql/pglite-socket, run as a child process because
// PGlite is ESM-only and the launcher is CommonJS.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DeadlineMissedError, LaunchError } from './launch-error';
import { ChildExitedError, ManagedProcess, OutputLine, Supervisor, whileRunning } from './process-supervisor';
import { embeddedDatabaseUrl } from './service-plan';
import { findFreePort } from './ports';

const PACKAGE = '@electric-sql/pglite-socket';
const READY_LINE = 'PGLiteSocketServer listening on';
const PORT_ATTEMPTS = 3;
// The services' pool size: PGlite serializes these on one session, but refuses extra ones.
export const DEFAULT_MAX_CONNECTIONS = 10;

export interface EmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string;
  process: ManagedProcess;
}

export interface EmbeddedPostgresOptions {
  /** Shown as the output prefix, e.g. `tax-agency-db`. */
  name: string;
  /** Persistent PGlite directory; created on first use. */
  dataDir: string;
  deadline: number;
  signal: AbortSignal;
  maxConnections?: number;
  onLine?: (line: OutputLine) => void;
  /** A fixed port (a restart keeps its clients' URL); a free one otherwise. */
  port?: number;
}

/** One line per client connection: noise, never shown nor kept. */
export function isPgliteNoise(text: string): boolean {
  return text.startsWith('Client connected from');
}

export async function startEmbeddedPostgres(supervisor: Supervisor, options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const script = pgliteServerScript();
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort());
    const child = supervisor.spawn({
      name: options.name,
      tier: 'database',
      command: process.execPath,
      args: [
        script,
        '--db',
        options.dataDir,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--max-connections',
        String(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS),
      ],
      cwd: path.dirname(options.dataDir),
      env: process.env,
      isNoise: isPgliteNoise,
    });
    if (options.onLine) child.onLine(options.onLine);
    try {
      await whileRunning(child, options.signal, (signal) =>
        child.waitForLine((text) => text.includes(READY_LINE), AbortSignal.any([signal, deadlineSignal(options.deadline)])),
      );
      child.markReady();
      return { url: embeddedDatabaseUrl(port), port, dataDir: options.dataDir, process: child };
    } catch (error) {
      const portTaken = error instanceof ChildExitedError && child.tail().some((line) => line.includes('EADDRINUSE'));
      if (portTaken && attempt < PORT_ATTEMPTS) continue;
      if (!child.hasExited) await child.stop();
      if (error instanceof ChildExitedError) {
        throw new LaunchError(error.message, {
          tail: error.tail,
          details: [`if ${options.dataDir} is damaged, 'npm run demo -- --fresh' starts again from empty databases`],
        });
      }
      if ((error as Error).name === 'TimeoutError') {
        throw new DeadlineMissedError(`${options.name} (pglite-server) was not listening before the deadline`, {
          tail: { source: child.name, lines: child.tail() },
        });
      }
      throw error;
    }
  }
}

export interface InitialiseOptions {
  /** Scratch directory for the template; removed afterwards. */
  templateDir: string;
  deadline: number;
  signal: AbortSignal;
  onLine?: (line: OutputLine) => void;
}

/**
 * Creates the missing (or empty) data directories by initialising one template and
 * copying it. initdb is the slow, CPU-bound part of a cold start: six PGlite inits
 * at once took 40 s on two cores; one init and five copies take a fraction of that.
 * A cleanly stopped cluster directory is safe to copy. Returns how many were created.
 */
export async function initialiseDataDirs(supervisor: Supervisor, dataDirs: readonly string[], options: InitialiseOptions): Promise<number> {
  const missing = dataDirs.filter((dir) => !fs.existsSync(dir) || fs.readdirSync(dir).length === 0);
  // A single directory initialises just as fast in place.
  if (missing.length < 2) return 0;
  fs.rmSync(options.templateDir, { recursive: true, force: true });
  const template = await startEmbeddedPostgres(supervisor, { ...options, name: 'template-db', dataDir: options.templateDir });
  await template.process.stop();
  if (template.process.describeExit() !== 'exited with code 0') {
    throw new LaunchError(`the template database did not shut down cleanly: it ${template.process.describeExit()}`, {
      tail: { source: template.process.name, lines: template.process.tail() },
    });
  }
  for (const dir of missing) {
    // Copy beside, then rename: an interrupted copy never looks like a database.
    const staging = `${dir}.partial`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(options.templateDir, staging, { recursive: true });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  }
  fs.rmSync(options.templateDir, { recursive: true, force: true });
  return missing.length;
}

/** The pglite-server script, found through the package's own `bin` entry. */
export function pgliteServerScript(): string {
  let dir = path.dirname(require.resolve(PACKAGE));
  for (;;) {
    const manifestPath = path.join(dir, 'package.json');
    if (fs.existsSync(manifestPath)) {
      const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { name?: string; bin?: Record<string, string> };
      const bin = manifest.bin?.['pglite-server'];
      if (manifest.name === PACKAGE && bin) return path.join(dir, bin);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new LaunchError(`cannot find the pglite-server script of ${PACKAGE}; run npm ci`);
    dir = parent;
  }
}

function deadlineSignal(deadline: number): AbortSignal {
  return AbortSignal.timeout(Math.max(0, deadline - Date.now()));
}
