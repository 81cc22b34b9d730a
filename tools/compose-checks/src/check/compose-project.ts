// docker-compose.yml, run for real under a project name of its own (so that a
// federation the user runs on the same engine is never touched), with the base
// images and published ports given through the file's variables.
import { COMPOSE_FILE, NO_VARIABLES_ENV_FILE, ONE_SHOT_SERVICES, ROOT, SCENARIOS_SERVICE, loadCompose } from '../compose-model';
import { run, runOk, tail, waitFor, type RunOptions } from './commands';
import type { DockerEngine } from './docker-engine';

export interface ContainerState {
  id: string;
  name: string;
  service: string;
  oneOff: boolean;
  status: string;
  exitCode: number;
  health?: string;
  user: string;
  readOnlyRoot: boolean;
  mounts: { type: string; name?: string; source: string; destination: string; rw: boolean }[];
  networks: Record<string, { ipAddress: string; aliases: string[] }>;
  ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
}

interface InspectedContainer {
  Id: string;
  Name: string;
  Config: { User: string; Labels: Record<string, string> };
  State: { Status: string; ExitCode: number; Health?: { Status: string } };
  HostConfig: { ReadonlyRootfs: boolean };
  Mounts: { Type: string; Name?: string; Source: string; Destination: string; RW: boolean }[];
  NetworkSettings: { Networks: Record<string, { IPAddress: string; Aliases: string[] | null }>; Ports: ContainerState['ports'] };
}

/** The containers `up` keeps running: every service but the scenario runner (profile "tools") and the one-shots (the key ceremony, the demo cards), which run once and exit. */
export const LONG_RUNNING_SERVICES = Object.values(loadCompose().services)
  .filter((service) => service.profiles.length === 0 && !ONE_SHOT_SERVICES.includes(service.name))
  .map((service) => service.name);

export class ComposeProject {
  constructor(
    private readonly engine: DockerEngine,
    readonly name: string,
    /** The file's variables: base images, the federation's image, published ports. */
    readonly variables: Record<string, string>,
  ) {}

  get env(): NodeJS.ProcessEnv {
    return { ...this.engine.env, ...this.variables };
  }

  compose(args: readonly string[], options: RunOptions = {}) {
    return run('docker-compose', ['--project-name', this.name, '--file', COMPOSE_FILE, '--env-file', NO_VARIABLES_ENV_FILE, ...args], { cwd: ROOT, env: this.env, ...options });
  }

  async composeOk(args: readonly string[], options: RunOptions = {}): Promise<string> {
    const result = await this.compose(args, options);
    if (result.code !== 0) throw new Error(`docker-compose ${args.join(' ')} exited with ${result.code}:\n${tail(result.stderr || result.stdout, 30)}`);
    return result.stdout;
  }

  async containers(): Promise<ContainerState[]> {
    const ids = (await runOk('docker', ['ps', '--all', '--quiet', '--no-trunc', '--filter', `label=com.docker.compose.project=${this.name}`], { env: this.env }))
      .split('\n')
      .filter(Boolean);
    if (ids.length === 0) return [];
    const inspected = JSON.parse(await runOk('docker', ['inspect', ...ids], { env: this.env })) as InspectedContainer[];
    return inspected.map((container) => ({
      id: container.Id,
      name: container.Name.replace(/^\//, ''),
      service: container.Config.Labels['com.docker.compose.service'],
      oneOff: container.Config.Labels['com.docker.compose.oneoff'] === 'True',
      status: container.State.Status,
      exitCode: container.State.ExitCode,
      health: container.State.Health?.Status,
      user: container.Config.User,
      readOnlyRoot: container.HostConfig.ReadonlyRootfs,
      mounts: container.Mounts.map((mount) => ({ type: mount.Type, name: mount.Name, source: mount.Source, destination: mount.Destination, rw: mount.RW })),
      networks: Object.fromEntries(
        Object.entries(container.NetworkSettings.Networks).map(([network, settings]) => [network, { ipAddress: settings.IPAddress, aliases: settings.Aliases ?? [] }]),
      ),
      ports: container.NetworkSettings.Ports ?? {},
    }));
  }

  /** The running container of each long-running service. */
  async serviceContainers(): Promise<Record<string, ContainerState>> {
    const running = (await this.containers()).filter((container) => !container.oneOff && container.status === 'running');
    return Object.fromEntries(running.map((container) => [container.service, container]));
  }

  /** Waits until every long-running container is healthy and every one-shot has exited 0; fails early on an exit or an unhealthy one. */
  async waitHealthy(options: { timeoutMs: number; signal: AbortSignal }): Promise<void> {
    await waitFor(
      async () => {
        const containers = (await this.containers()).filter((container) => !container.oneOff);
        const broken = containers.filter(
          (container) =>
            container.health === 'unhealthy' ||
            (container.status === 'exited' && (!ONE_SHOT_SERVICES.includes(container.service) || container.exitCode !== 0)) ||
            container.status === 'dead',
        );
        if (broken.length > 0) throw new Error(`not healthy: ${(await Promise.all(broken.map((container) => this.describe(container)))).join('\n')}`);
        const done = new Set(containers.filter((container) => ONE_SHOT_SERVICES.includes(container.service) && container.status === 'exited').map((container) => container.service));
        const healthy = new Set(containers.filter((container) => container.health === 'healthy').map((container) => container.service));
        return ONE_SHOT_SERVICES.every((service) => done.has(service)) && LONG_RUNNING_SERVICES.every((service) => healthy.has(service)) ? true : undefined;
      },
      { timeoutMs: options.timeoutMs, intervalMs: 1000, what: `every container of ${this.name} to be healthy`, signal: options.signal },
    ).catch(async (error: Error) => {
      if (!/^timed out/.test(error.message)) throw error;
      const pending = (await this.containers()).filter((container) => !container.oneOff && container.health !== 'healthy' && container.status !== 'exited');
      throw new Error(`${error.message}:\n${(await Promise.all(pending.map((container) => this.describe(container)))).join('\n')}`);
    });
  }

  /** A container's state and the end of its log, for an error message. */
  async describe(container: ContainerState): Promise<string> {
    const logs = await run('docker', ['logs', '--tail', '40', container.id], { env: this.env });
    return `--- ${container.service} (${container.status}, exit ${container.exitCode}, health ${container.health ?? 'none'}):\n${tail(`${logs.stdout}${logs.stderr}`, 40)}`;
  }

  /** The scenario runner as the README runs it: `docker compose run --rm scenarios`. */
  runScenarios(args: readonly string[], options: RunOptions) {
    const command = args.length > 0 ? ['node', '-r', 'tsconfig-paths/register', 'dist/tools/scenarios/src/main.js', ...args] : [];
    return this.compose(['run', '--rm', '-T', SCENARIOS_SERVICE, ...command], options);
  }

  /** A command in a one-off scenario-runner container that starts nothing else (`--no-deps`). */
  runInScenariosContainer(command: readonly string[], options: RunOptions = {}) {
    return this.composeOk(['run', '--rm', '--no-deps', '-T', SCENARIOS_SERVICE, ...command], options);
  }

  async exec(container: ContainerState, command: readonly string[], options: RunOptions = {}): Promise<string> {
    return runOk('docker', ['exec', container.id, ...command], { env: this.env, timeoutMs: 60_000, ...options });
  }

  /**
   * `docker-compose down -v`, then whatever a `run` left (docker-compose 1.29's
   * down keeps one-off containers), so that nothing of the project remains.
   */
  async down(): Promise<string[]> {
    const result = await this.compose(['down', '--volumes', '--remove-orphans', '--timeout', '20'], { timeoutMs: 180_000 });
    const left: string[] = [];
    if (result.code !== 0) left.push(`docker-compose down exited with ${result.code}: ${tail(result.stderr, 5)}`);
    const label = `label=com.docker.compose.project=${this.name}`;
    for (const [kind, list, remove] of [
      ['container', ['ps', '--all', '--quiet', '--filter', label], ['rm', '--force', '--volumes']],
      ['volume', ['volume', 'ls', '--quiet', '--filter', label], ['volume', 'rm', '--force']],
      ['network', ['network', 'ls', '--quiet', '--filter', label], ['network', 'rm']],
    ] as const) {
      const ids = (await run('docker', list, { env: this.env })).stdout.split('\n').filter(Boolean);
      if (ids.length > 0) await run('docker', [...remove, ...ids], { env: this.env, timeoutMs: 120_000 });
      const still = (await run('docker', list, { env: this.env })).stdout.split('\n').filter(Boolean);
      left.push(...still.map((id) => `${kind} ${id}`));
    }
    return left;
  }
}
