// The Docker engine the check runs on: the one already answering (DOCKER_HOST or
// the default socket), or Debian's dockerd started for this run with all of its
// state in a temporary folder, and removed afterwards with everything it made on
// this machine: processes, mounts (network namespaces are mounts too), bridges,
// cgroups and the folder itself. A run that was killed outright leaves that folder
// behind with its owner's pid; the next run removes it (sweepStaleEngines).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { available, run, runOk, tail, waitFor } from './commands';

export const ENGINE_STATE_PREFIX = 'myna-compose-check-';

export interface DockerEngine {
  /** The environment every docker and docker-compose command of the check runs with. */
  env: NodeJS.ProcessEnv;
  startedHere: boolean;
  version: string;
  description: string;
  /** Notes the bridges of the engine's networks, so that even a dead engine's can be removed. */
  rememberNetworks(): Promise<void>;
  /** Stops an engine started here and removes what it made; returns what could not be removed. */
  stop(): Promise<string[]>;
}

type Log = (line: string) => void;

/** Paths dockerd and containerd create outside their state folders; removed again if this run created them. */
const HOST_PATHS = ['/etc/docker/key.json', '/etc/docker', '/run/docker/plugins', '/run/docker', '/run/containerd/s', '/run/containerd'];

const dockerEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  ...extra,
  // The legacy builder reads no `# syntax=` line and pulls nothing it is not given.
  DOCKER_BUILDKIT: '0',
  COMPOSE_DOCKER_CLI_BUILD: '0',
});

async function serverVersion(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const result = await run('docker', ['version', '--format', '{{.Server.Version}}'], { env, timeoutMs: 15_000 }).catch(() => undefined);
  return result?.code === 0 ? result.stdout.trim() : undefined;
}

export async function connectOrStartEngine(log: Log, signal: AbortSignal, options: { mayStart: boolean }): Promise<DockerEngine> {
  if (!(await available('docker'))) throw new Error('the docker command is not installed (apt-get install docker.io)');
  const env = dockerEnv();
  const running = await serverVersion(env);
  if (running) {
    return {
      env,
      startedHere: false,
      version: running,
      description: `the running engine (${process.env.DOCKER_HOST ?? 'default socket'}, dockerd ${running})`,
      rememberNetworks: async () => undefined,
      stop: async () => [],
    };
  }
  if (!options.mayStart) throw new Error('no Docker engine answers: start one (dockerd), or give its socket in DOCKER_HOST');
  if (process.getuid?.() !== 0) {
    throw new Error('no Docker engine answers, and starting one for the run needs root: run as root, or start Docker (dockerd) yourself');
  }
  if (!(await available('dockerd'))) throw new Error('no Docker engine answers and dockerd is not installed (apt-get install docker.io)');
  await sweepStaleEngines(log);
  return startEngine(log, signal);
}

async function startEngine(log: Log, signal: AbortSignal): Promise<DockerEngine> {
  const dir = mkdtempSync(path.join(tmpdir(), ENGINE_STATE_PREFIX));
  writeFileSync(path.join(dir, 'owner.pid'), `${process.pid}\n`);
  writeFileSync(path.join(dir, 'host-paths'), HOST_PATHS.filter((entry) => !existsSync(entry)).join('\n'));
  writeFileSync(path.join(dir, 'daemon.json'), '{}\n');
  const socket = path.join(dir, 'docker.sock');
  const logFile = path.join(dir, 'dockerd.log');
  const out = openSync(logFile, 'a');
  // No firewall rules, no default bridge, no forwarding between interfaces: the
  // engine changes nothing on this machine's network but its own bridges, and
  // containers on different networks cannot route to each other through it.
  const dockerd = spawn(
    'dockerd',
    [
      '--data-root', path.join(dir, 'data'),
      '--exec-root', path.join(dir, 'exec'),
      '--pidfile', path.join(dir, 'dockerd.pid'),
      '--config-file', path.join(dir, 'daemon.json'),
      '--host', `unix://${socket}`,
      '--cgroup-parent', cgroupParent(dir),
      '--iptables=false', '--ip6tables=false', '--ip-forward=false', '--ip-masq=false', '--bridge=none',
      '--log-level=warn',
    ],
    { stdio: ['ignore', out, out], detached: true },
  );
  closeSync(out);
  dockerd.unref();
  let exited: number | null | undefined;
  dockerd.on('exit', (code) => (exited = code));
  dockerd.on('error', () => (exited = -1));

  const env = dockerEnv({ DOCKER_HOST: `unix://${socket}` });
  const engine: DockerEngine = {
    env,
    startedHere: true,
    version: '',
    description: '',
    rememberNetworks: () => rememberBridges(dir, env),
    stop: async () => {
      await engine.rememberNetworks();
      return cleanUpEngineState(dir, log);
    },
  };
  try {
    engine.version = await waitFor(
      async () => {
        if (exited !== undefined) throw new Error(`dockerd exited (${exited}):\n${tail(readFileSync(logFile, 'utf8'))}`);
        return serverVersion(env);
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'dockerd to answer', signal },
    );
  } catch (error) {
    await cleanUpEngineState(dir, log);
    throw error;
  }
  engine.description = `dockerd ${engine.version}, started for this run, state in ${dir}`;
  return engine;
}

/** Notes in the state folder the host bridges of the engine's networks (`br-` and the network id's first 12 digits). */
async function rememberBridges(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const ids = await runOk('docker', ['network', 'ls', '--quiet', '--no-trunc', '--filter', 'driver=bridge'], { env, timeoutMs: 15_000 }).catch(() => '');
  const bridges = ids.split('\n').filter(Boolean).map((id) => `br-${id.slice(0, 12)}`);
  if (bridges.length > 0) appendFileSync(path.join(dir, 'bridges'), `${bridges.join('\n')}\n`);
}

/** `/tmp/myna-compose-check-Ab12` → `/myna-compose-check-Ab12`: the engine's containers' cgroups are under it. */
const cgroupParent = (dir: string) => `/${path.basename(dir)}`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readPid = (file: string): number | undefined => {
  const pid = Number.parseInt(existsSync(file) ? readFileSync(file, 'utf8') : '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};

/** Removes the state of engines whose check was killed before it could clean up. */
export async function sweepStaleEngines(log: Log): Promise<void> {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(ENGINE_STATE_PREFIX)) continue;
    const dir = path.join(tmpdir(), entry);
    // Only a state folder of this tool: it writes owner.pid first thing.
    const owner = readPid(path.join(dir, 'owner.pid'));
    if (owner === undefined || alive(owner)) continue;
    log(`removing the engine state a killed run left behind: ${dir}`);
    await cleanUpEngineState(dir, log);
  }
}

/** The processes of this machine whose command line names `dir` (dockerd, containerd and its shims). */
function processesNaming(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').some((arg) => arg.includes(dir))) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** Every folder of every cgroup hierarchy that holds this engine's containers, deepest first. */
function cgroupDirs(dir: string): string[] {
  const roots = existsSync('/sys/fs/cgroup/cgroup.controllers')
    ? ['/sys/fs/cgroup']
    : readdirSync('/sys/fs/cgroup').map((name) => path.join('/sys/fs/cgroup', name));
  const found: string[] = [];
  const walk = (at: string) => {
    found.push(at);
    for (const entry of readdirSync(at, { withFileTypes: true })) if (entry.isDirectory()) walk(path.join(at, entry.name));
  };
  for (const root of roots) {
    const at = path.join(root, cgroupParent(dir));
    if (existsSync(at)) walk(at);
  }
  return found.sort((a, b) => b.split('/').length - a.split('/').length);
}

function processesInCgroups(dirs: readonly string[]): number[] {
  const pids = new Set<number>();
  for (const at of dirs) {
    try {
      for (const line of readFileSync(path.join(at, 'cgroup.procs'), 'utf8').split('\n')) if (line.trim()) pids.add(Number(line));
    } catch {
      // No such file in this hierarchy.
    }
  }
  return [...pids];
}

/** Mount points at or under `dir`, deepest first (mountinfo escapes spaces and the like as octal). */
export function mountsUnder(dir: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): string[] {
  return mountinfo
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[4].replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))))
    .filter((mountPoint) => mountPoint === dir || mountPoint.startsWith(`${dir}/`))
    .sort((a, b) => b.split('/').length - a.split('/').length);
}

const linkExists = (name: string) => existsSync(`/sys/class/net/${name}`);

async function killAll(pids: readonly number[], graceMs: number) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Gone.
    }
  }
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
}

/**
 * Stops the engine whose state is in `dir` (dockerd stops its containers and
 * containerd), then ends whatever is left of it, unmounts, deletes its bridges and
 * cgroups, and the folder. Returns what is still there afterwards.
 */
export async function cleanUpEngineState(dir: string, log: Log): Promise<string[]> {
  const dockerd = readPid(path.join(dir, 'dockerd.pid'));
  if (dockerd !== undefined && alive(dockerd) && processesNaming(dir).includes(dockerd)) {
    // The bridges of its networks, while it can still say (a killed check may not have noted them).
    await rememberBridges(dir, dockerEnv({ DOCKER_HOST: `unix://${path.join(dir, 'docker.sock')}` }));
    await killAll([dockerd], 45_000);
  }

  await killAll([...new Set([...processesNaming(dir), ...processesInCgroups(cgroupDirs(dir))])], 10_000);

  for (const mountPoint of mountsUnder(dir)) {
    const result = await run('umount', [mountPoint]);
    if (result.code !== 0) await run('umount', ['--lazy', mountPoint]);
  }

  const bridgesFile = path.join(dir, 'bridges');
  const bridges = existsSync(bridgesFile) ? [...new Set(readFileSync(bridgesFile, 'utf8').split('\n').filter(Boolean))] : [];
  for (const bridge of bridges.filter(linkExists)) await run('ip', ['link', 'delete', bridge]);

  for (const at of cgroupDirs(dir)) {
    try {
      rmdirSync(at);
    } catch {
      // Reported below.
    }
  }

  const hostPathsFile = path.join(dir, 'host-paths');
  const created = existsSync(hostPathsFile) ? readFileSync(hostPathsFile, 'utf8').split('\n').filter(Boolean) : [];
  for (const entry of created) {
    try {
      if (statSync(entry).isDirectory()) rmdirSync(entry); // only when empty: another engine may use it
      else unlinkSync(entry);
    } catch {
      // Absent, or in use by another engine.
    }
  }

  const left = [
    ...processesNaming(dir).map((pid) => `process ${pid}`),
    ...mountsUnder(dir).map((mountPoint) => `mount ${mountPoint}`),
    ...bridges.filter(linkExists).map((bridge) => `network interface ${bridge}`),
    ...cgroupDirs(dir).map((at) => `cgroup ${at}`),
  ];
  if (left.length === 0) rmSync(dir, { recursive: true, force: true });
  else log(`could not remove everything of the engine in ${dir}: ${left.join(', ')}`);
  if (existsSync(dir)) left.push(`folder ${dir}`);
  return left;
}
