// The demo's state directory (<root>/.data): wiped by --fresh, and locked while a
// launcher runs, because two PGlite servers on one directory would corrupt it.
// The lock file also lists the launcher's children, so that the next launcher can
// stop what a killed one (kill -9, OOM) left running on the same directories.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DEMO_DATA_DIR, processIsAlive } from '@myna/protocol';
import { groupAlive, LaunchError, signalGroup } from '@myna-tools/federation-host';

const LOCK_FILE = 'launcher.pid';
const LEFTOVER_GRACE_MS = 10_000;

export interface DataDirLock {
  /** Notes a child process group, for the next launcher should this one be killed. */
  recordChild(pgid: number): void;
  release(): void;
}

/**
 * Takes the lock, or explains who holds it. A lock left by a dead launcher is taken
 * over after stopping the children it lists that still run from this workspace.
 */
export async function lockDataDir(dataDir: string, root: string, say: (message: string) => void): Promise<DataDirLock> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return {
        recordChild: (pgid) => fs.appendFileSync(lockPath, `${pgid}\n`),
        release: () => releaseLock(lockPath),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const [holder, ...children] = readPids(lockPath);
      if (holder !== undefined && isAlive(holder)) {
        throw new LaunchError(`another demo launcher (pid ${holder}) is using ${dataDir}; stop it first`);
      }
      const stopped = await stopLeftovers(children, root);
      if (stopped > 0) say(`stopped ${stopped} process group${stopped === 1 ? '' : 's'} left running by a launcher that was killed`);
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new LaunchError(`could not lock ${dataDir}`);
}

/** Deletes everything in the data directory but the lock. */
export function wipeDataDir(dataDir: string): void {
  if (path.basename(dataDir) !== DEMO_DATA_DIR) throw new Error(`refusing to wipe ${dataDir}`);
  if (!fs.existsSync(dataDir)) return;
  for (const entry of fs.readdirSync(dataDir)) {
    if (entry !== LOCK_FILE) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  }
}

function readPids(lockPath: string): number[] {
  return fs
    .readFileSync(lockPath, 'utf8')
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/**
 * SIGTERM, then SIGKILL, to each listed group whose leader still runs from this
 * workspace. The working-directory check (Linux /proc) keeps a reused pid safe;
 * where it cannot be made, nothing is killed.
 */
async function stopLeftovers(pgids: readonly number[], root: string): Promise<number> {
  const ours = pgids.filter((pgid) => isAlive(pgid) && runsFrom(pgid, root));
  for (const pgid of ours) signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + LEFTOVER_GRACE_MS;
  while (ours.some(groupAlive) && Date.now() < deadline) await delay(50);
  for (const pgid of ours.filter(groupAlive)) signalGroup(pgid, 'SIGKILL');
  return ours.length;
}

function runsFrom(pid: number, root: string): boolean {
  try {
    const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    const realRoot = fs.realpathSync(root);
    return cwd === realRoot || cwd.startsWith(`${realRoot}${path.sep}`);
  } catch {
    return false;
  }
}

function releaseLock(lockPath: string): void {
  try {
    if (readPids(lockPath)[0] === process.pid) fs.rmSync(lockPath);
  } catch {
    // already gone
  }
}

/** A zombie (killed, not yet reaped) counts as dead. */
function isAlive(pid: number): boolean {
  if (!processIsAlive(pid)) return false;
  try {
    // /proc/<pid>/stat is "pid (comm) state …"; comm may contain spaces.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}
