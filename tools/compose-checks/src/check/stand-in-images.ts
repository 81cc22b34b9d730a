// The base images, where no registry can be reached: stand-ins for the official
// node, postgres and redis images, made from Debian's packages
// (docker/stand-ins/rootfs.sh, run by mmdebstrap on this machine) and finished by
// docker/stand-ins/<name>/Dockerfile. The root file systems are cached between
// runs (in ~/.cache/myna-exchange/stand-ins, keyed by the recipe), so that a
// fresh engine only imports them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../compose-model';
import { available, CommandFailed, run, runOk, tail } from './commands';
import { mountsUnder, type DockerEngine } from './docker-engine';

export type StandInName = 'node' | 'postgres' | 'redis';

export interface StandIn {
  name: StandInName;
  /** The variable of docker-compose.yml and the Dockerfile that names this base image. */
  variable: 'NODE_IMAGE' | 'POSTGRES_IMAGE' | 'REDIS_IMAGE';
  tag: string;
  /** Prints what the image runs, for the summary. */
  versionCommand: string[];
}

export const STAND_INS: readonly StandIn[] = [
  { name: 'node', variable: 'NODE_IMAGE', tag: 'myna-stand-in/node:20-trixie', versionCommand: ['node', '--version'] },
  { name: 'postgres', variable: 'POSTGRES_IMAGE', tag: 'myna-stand-in/postgres:15-bookworm', versionCommand: ['postgres', '--version'] },
  { name: 'redis', variable: 'REDIS_IMAGE', tag: 'myna-stand-in/redis:7-bookworm', versionCommand: ['redis-server', '--version'] },
];

export const STAND_INS_DIR = path.join(ROOT, 'docker/stand-ins');
const ROOTFS_SCRIPT = path.join(STAND_INS_DIR, 'rootfs.sh');
const RECIPE_LABEL = 'org.myna-exchange.stand-in.recipe';

export function standInCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'myna-exchange', 'stand-ins');
}

const digest = (...parts: (string | Buffer)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
};

/** What the root file system is made from: the script and the stand-in's name. */
export const rootfsKey = (name: StandInName) => digest(readFileSync(ROOTFS_SCRIPT), name);

/** What the image is made from: the root file system and the stand-in's folder. */
export function imageKey(name: StandInName): string {
  const dir = path.join(STAND_INS_DIR, name);
  const files = readdirSync(dir).sort();
  return digest(rootfsKey(name), ...files.flatMap((file) => [file, readFileSync(path.join(dir, file))]));
}

export interface StandInBuilt {
  standIn: StandIn;
  /** `image`: the engine had it; `rootfs`: imported from the cache; `debian`: made from Debian's packages now. */
  from: 'image' | 'rootfs' | 'debian';
  sizeBytes: number;
  version: string;
}

interface BuildOptions {
  rebuild: boolean;
  log: (line: string) => void;
  signal: AbortSignal;
}

/** Builds the three at once; if one fails, ends the others and waits for them before failing. */
export async function buildStandIns(engine: DockerEngine, options: BuildOptions): Promise<StandInBuilt[]> {
  const group = new AbortController();
  const signal = AbortSignal.any([options.signal, group.signal]);
  const settled = await Promise.allSettled(
    STAND_INS.map((standIn) =>
      buildStandIn(engine, standIn, { ...options, signal }).catch((error: unknown) => {
        group.abort(error);
        throw error;
      }),
    ),
  );
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw options.signal.aborted ? options.signal.reason : group.signal.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<StandInBuilt>).value);
}

async function buildStandIn(engine: DockerEngine, standIn: StandIn, options: BuildOptions): Promise<StandInBuilt> {
  const { env } = engine;
  const key = imageKey(standIn.name);
  let from: StandInBuilt['from'] = 'image';
  const label = await run('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${RECIPE_LABEL}"}}`, standIn.tag], { env });
  if (options.rebuild || label.code !== 0 || label.stdout.trim() !== key) {
    const tarball = path.join(standInCacheDir(), `${standIn.name}-${rootfsKey(standIn.name)}.tar`);
    from = 'rootfs';
    if (options.rebuild || !existsSync(tarball)) {
      await makeRootfs(standIn.name, tarball, options);
      from = 'debian';
    }
    const rootfsTag = `myna-stand-in/${standIn.name}-rootfs:${rootfsKey(standIn.name)}`;
    await runOk('docker', ['import', tarball, rootfsTag], { env, signal: options.signal, timeoutMs: 300_000 });
    await runOk(
      'docker',
      ['build', '--quiet', '--network', 'none', '--build-arg', `ROOTFS=${rootfsTag}`, '--label', `${RECIPE_LABEL}=${key}`, '--tag', standIn.tag, path.join(STAND_INS_DIR, standIn.name)],
      { env, signal: options.signal, timeoutMs: 300_000 },
    );
    // The stand-in keeps the root file system as its first layer; only the name goes.
    await run('docker', ['image', 'rm', rootfsTag], { env });
  }
  const [size, version] = await Promise.all([
    runOk('docker', ['image', 'inspect', '--format', '{{.Size}}', standIn.tag], { env }),
    runOk('docker', ['run', '--rm', '--network', 'none', '--entrypoint', standIn.versionCommand[0], standIn.tag, ...standIn.versionCommand.slice(1)], { env, signal: options.signal }),
  ]);
  return { standIn, from, sizeBytes: Number(size.trim()), version: version.trim().split('\n')[0] };
}

/** Runs rootfs.sh into the cache (mmdebstrap, as root), replacing older root file systems of that stand-in. */
async function makeRootfs(name: StandInName, tarball: string, options: BuildOptions): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error(`making the ${name} stand-in from Debian's packages needs root (mmdebstrap); or build it once as root`);
  if (!(await available('mmdebstrap'))) throw new Error('mmdebstrap is not installed (apt-get install mmdebstrap)');
  const dir = path.dirname(tarball);
  mkdirSync(dir, { recursive: true });
  const partial = `${tarball}.partial`;
  const logFile = `${tarball}.log`;
  rmSync(logFile, { force: true });
  options.log(`making the ${name} stand-in from Debian's packages (mmdebstrap; log ${logFile})`);
  const result = await run(ROOTFS_SCRIPT, [name, partial], { signal: options.signal, timeoutMs: 900_000, logFile, outputToLogOnly: true, killGraceMs: 60_000 })
    .catch((error: unknown) => {
      rmSync(partial, { force: true });
      throw error;
    })
    .finally(() => removeChrootLeftovers(logFile));
  if (result.code !== 0) {
    rmSync(partial, { force: true });
    throw new CommandFailed({ ...result, stderr: tail(readFileSync(logFile, 'utf8'), 30) });
  }
  for (const old of readdirSync(dir)) if (old.startsWith(`${name}-`) && old.endsWith('.tar')) rmSync(path.join(dir, old), { force: true });
  renameSync(partial, tarball);
}

/**
 * mmdebstrap unmounts and removes its chroot when it ends, even on SIGTERM; if it
 * was killed before it could, this does it (the log names the chroot).
 */
async function removeChrootLeftovers(logFile: string): Promise<void> {
  const chroot = /using (\/\S+) as tempdir/.exec(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')?.[1];
  if (!chroot || !existsSync(chroot)) return;
  for (const mountPoint of mountsUnder(chroot)) {
    if ((await run('umount', [mountPoint])).code !== 0) await run('umount', ['--lazy', mountPoint]);
  }
  if (mountsUnder(chroot).length === 0) rmSync(chroot, { recursive: true, force: true });
}
