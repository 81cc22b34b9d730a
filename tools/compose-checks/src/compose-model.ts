// Reads docker-compose.yml and the Dockerfile into plain, normalized shapes, so
// that the checks can state the rules of the container set-up without caring
// which of Compose's equivalent spellings (list or map) the file uses.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SERVICE_NAMES, type ServiceName } from '@myna/platform';
import { CARD_READER, envPrefix } from '@myna/protocol';

export const ROOT = path.resolve(__dirname, '../../..');
export const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
export const DOCKERFILE = path.join(ROOT, 'Dockerfile');
export const DOCKERIGNORE = path.join(ROOT, '.dockerignore');
/** An env file with no variables, for `docker-compose --env-file`: a .env next to docker-compose.yml must not change a check. */
export const NO_VARIABLES_ENV_FILE = path.join(ROOT, 'tools/compose-checks/no-variables.env');

/** The six services, each its own container. */
export const APP_SERVICES: readonly ServiceName[] = SERVICE_NAMES;
export const KEYS_SERVICE = 'keys';
export const REDIS_SERVICE = 'redis';
export const SCENARIOS_SERVICE = 'scenarios';
/** The citizen's card reader (the demo's virtual device), published beside the portal. */
export const CARD_READER_SERVICE = CARD_READER;
/** The one-shot that makes the demo's citizens and puts their cards in the card reader. */
export const DEMO_CARDS_SERVICE = 'demo-cards';
/** Containers `up` runs once to completion (exit 0), before what depends on them starts. */
export const ONE_SHOT_SERVICES: readonly string[] = [KEYS_SERVICE, DEMO_CARDS_SERVICE];

/** `tax-agency` → `tax-agency-db`: the PostgreSQL container holding that service's database. */
export const databaseService = (service: ServiceName): string => `${service}-db`;
/** `tax-agency` → `TAX_AGENCY`, the prefix of the launcher's and the scenario runner's variables. */
export const variablePrefix = (service: ServiceName): string => envPrefix(service);

export interface Mount {
  /** A named volume, or a host path for a bind mount. */
  source: string;
  target: string;
  readOnly: boolean;
  kind: 'volume' | 'bind';
}

export interface HealthCheck {
  test: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeService {
  name: string;
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command: string[];
  environment: Record<string, string>;
  ports: string[];
  mounts: Mount[];
  networks: string[];
  networkMode?: string;
  dependsOn: Record<string, string>;
  healthcheck?: HealthCheck;
  profiles: string[];
  init?: boolean;
  user?: string;
  raw: Record<string, unknown>;
}

export interface ComposeFile {
  raw: Record<string, unknown>;
  services: Record<string, ComposeService>;
  volumes: Record<string, Record<string, unknown>>;
  networks: Record<string, Record<string, unknown>>;
}

type Raw = Record<string, unknown>;

export function loadCompose(file = COMPOSE_FILE): ComposeFile {
  // `<<: *anchor` merge keys, as docker-compose reads them.
  const raw = parse(readFileSync(file, 'utf8'), { merge: true }) as Raw;
  const services = Object.fromEntries(
    Object.entries((raw.services ?? {}) as Record<string, Raw>).map(([name, service]) => [name, normalizeService(name, service)]),
  );
  return {
    raw,
    services,
    volumes: mapOrEmpty(raw.volumes),
    networks: mapOrEmpty(raw.networks),
  };
}

function mapOrEmpty(value: unknown): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries((value ?? {}) as Record<string, unknown>).map(([key, entry]) => [key, (entry ?? {}) as Raw]));
}

function normalizeService(name: string, service: Raw): ComposeService {
  return {
    name,
    image: service.image as string | undefined,
    build: service.build as ComposeService['build'],
    command: normalizeCommand(service.command),
    environment: normalizeEnvironment(service.environment),
    ports: ((service.ports ?? []) as unknown[]).map(String),
    mounts: ((service.volumes ?? []) as unknown[]).map(normalizeMount),
    networks: Array.isArray(service.networks) ? (service.networks as string[]) : Object.keys((service.networks ?? {}) as Raw),
    networkMode: service.network_mode as string | undefined,
    dependsOn: normalizeDependsOn(service.depends_on),
    healthcheck: service.healthcheck as HealthCheck | undefined,
    profiles: (service.profiles ?? []) as string[],
    init: service.init as boolean | undefined,
    user: service.user as string | undefined,
    raw: service,
  };
}

function normalizeCommand(command: unknown): string[] {
  if (command === undefined) return [];
  if (Array.isArray(command)) return command.map(String);
  return String(command).trim().split(/\s+/);
}

function normalizeEnvironment(environment: unknown): Record<string, string> {
  if (!environment) return {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry: string) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment as Raw).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function normalizeMount(mount: unknown): Mount {
  if (typeof mount === 'string') {
    const [source, target, mode] = mount.split(':');
    const kind = /^[./~]/.test(source) ? 'bind' : 'volume';
    return { source, target, readOnly: (mode ?? '').split(',').includes('ro'), kind };
  }
  const long = mount as Raw;
  return {
    source: String(long.source),
    target: String(long.target),
    readOnly: long.read_only === true,
    kind: long.type === 'bind' ? 'bind' : 'volume',
  };
}

function normalizeDependsOn(dependsOn: unknown): Record<string, string> {
  if (!dependsOn) return {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name: string) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(dependsOn as Record<string, Raw | null>).map(([name, entry]) => [name, String(entry?.condition ?? 'service_started')]),
  );
}

/** The variables a value takes from the environment: `${NAME:-default}` → NAME. */
export const interpolatedVariables = (value: string): string[] => [...value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/g)].map((match) => match[1]);

/** A value as docker-compose resolves it when none of its variables is set: `${NAME:-default}` → default. */
export const withDefaults = (value: string): string => value.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?\}/g, (_, fallback: string | undefined) => fallback ?? '');

/** A `postgres://user:password@host:port/db` URL, split. */
export function databaseUrlParts(url: string): { user: string; password: string; host: string; port: string; database: string } {
  const parsed = new URL(url);
  return {
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    host: parsed.hostname,
    port: parsed.port || '5432',
    database: parsed.pathname.replace(/^\//, ''),
  };
}

// ---- Dockerfile

export interface DockerfileInstruction {
  keyword: string;
  args: string;
}

export interface DockerfileStage {
  from: string;
  name?: string;
  instructions: DockerfileInstruction[];
}

/** Splits a Dockerfile into stages of instructions (comments dropped, continuations joined). */
export function parseDockerfile(text: string): { args: DockerfileInstruction[]; stages: DockerfileStage[] } {
  const logical: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    // Comment lines are dropped, also inside a continued instruction (as Docker does).
    if (/^\s*#/.test(line)) continue;
    const continued = /\\\s*$/.test(line);
    current += `${line.replace(/\\\s*$/, '')} `;
    if (!continued) {
      if (current.trim()) logical.push(current.trim().replace(/\s+/g, ' '));
      current = '';
    }
  }
  if (current.trim()) logical.push(current.trim());

  const args: DockerfileInstruction[] = [];
  const stages: DockerfileStage[] = [];
  for (const instruction of logical) {
    const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(instruction) ?? [];
    const entry = { keyword: keyword.toUpperCase(), args: rest };
    if (entry.keyword === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(rest) ?? [];
      stages.push({ from, name, instructions: [] });
    } else if (stages.length === 0) {
      args.push(entry);
    } else {
      stages[stages.length - 1].instructions.push(entry);
    }
  }
  return { args, stages };
}

/** The stage an image is built from by default (the last), or by name (`--target`). */
export function dockerfileStage(dockerfile: { stages: DockerfileStage[] }, name?: string): DockerfileStage {
  const stage = name === undefined ? dockerfile.stages.at(-1) : dockerfile.stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`no stage ${name ?? ''} in the Dockerfile`);
  return stage;
}

/** The variables an image has from the ENV instructions of its stage and of the stages it is built on (`FROM <stage>`). */
export function imageEnvironment(dockerfile: { stages: DockerfileStage[] }, stage: DockerfileStage): Record<string, string> {
  const base = dockerfile.stages.find((candidate) => candidate.name === stage.from && candidate !== stage);
  return { ...(base ? imageEnvironment(dockerfile, base) : {}), ...stageEnvironment(stage) };
}

/** The variables a stage's ENV instructions set (`ENV A=1 B=2` form). */
export function stageEnvironment(stage: DockerfileStage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((instruction) => instruction.keyword === 'ENV')) {
    for (const [, key, value] of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) env[key] = value.replace(/^"|"$/g, '');
  }
  return env;
}

export function loadDockerfile(file = DOCKERFILE) {
  return parseDockerfile(readFileSync(file, 'utf8'));
}

// ---- .dockerignore

/**
 * Whether the build context leaves out `relativePath`, by the rules of a
 * .dockerignore: `*` and `?` within one path segment, `**` across any number,
 * a pattern also leaves out everything under what it matches, `!` takes a path
 * back, and the last matching line decides.
 */
export function dockerignored(relativePath: string, patterns: readonly string[]): boolean {
  const segments = relativePath.split('/');
  const candidates = segments.map((_, at) => segments.slice(0, at + 1).join('/'));
  let ignored = false;
  for (const line of patterns) {
    const pattern = line.trim();
    if (!pattern || pattern.startsWith('#')) continue;
    const exception = pattern.startsWith('!');
    const regex = dockerignoreRegex(path.posix.normalize((exception ? pattern.slice(1) : pattern).replace(/^\/+|\/+$/g, '')));
    if (candidates.some((candidate) => regex.test(candidate))) ignored = !exception;
  }
  return ignored;
}

function dockerignoreRegex(pattern: string): RegExp {
  let source = '';
  for (let at = 0; at < pattern.length; at += 1) {
    const char = pattern[at];
    if (pattern.startsWith('**/', at)) {
      source += '(?:.*/)?';
      at += 2;
    } else if (pattern.startsWith('**', at)) {
      source += '.*';
      at += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export const loadDockerignore = (file = DOCKERIGNORE): string[] => readFileSync(file, 'utf8').split('\n');

// ---- commands

/** How every container in the compose file starts node: compiled code, paths resolved by tsconfig-paths. */
export const NODE_PREFIX = ['node', '-r', 'tsconfig-paths/register'] as const;

/**
 * `node -r tsconfig-paths/register dist/<project>/src/main.js [args]` → the
 * TypeScript source it was compiled from, and the arguments.
 */
export function compiledEntry(command: readonly string[]): { source: string; args: string[] } {
  const prefix = command.slice(0, NODE_PREFIX.length);
  if (prefix.join(' ') !== NODE_PREFIX.join(' ')) throw new Error(`command does not start with "${NODE_PREFIX.join(' ')}": ${command.join(' ')}`);
  const entry = command[NODE_PREFIX.length];
  const match = /^dist\/(.+)\.js$/.exec(entry ?? '');
  if (!match) throw new Error(`command does not run a compiled file under dist/: ${command.join(' ')}`);
  return { source: `${match[1]}.ts`, args: command.slice(NODE_PREFIX.length + 1) };
}
