// Decides, from the environment of the launcher (or the soak), what each service gets: its port, its
// database (embedded or external) and the exact environment of its process.
// Pure, so the rules are unit-tested without starting anything.
import * as path from 'node:path';
import { DEMO_CITIZENS, DEMO_PIN } from '@myna/card-wallet';
import {
  CARD_READER,
  MYNA_PORTAL,
  ROSTER,
  SERVICES,
  databaseUrlVariable,
  portVariable,
  readEndpoints,
  urlVariable,
  type DemoLayout,
  type Endpoint,
  type ResolvedEndpoints,
  type RosterEntry,
  type Service,
  EXCHANGE_HUB,
} from '@myna/protocol';
import { LaunchError } from './launch-error';

/**
 * What a service needs on an embedded database: pglite-socket gives all connections one
 * session, so one connection (concurrent ones interleave), a long wait for it, and no
 * named statements (one connection's would collide with another's).
 */
export const EMBEDDED_DATABASE_ENV = { DATABASE_POOL_SIZE: '1', DATABASE_CONNECT_TIMEOUT_MS: '120000', DATABASE_NAMED_STATEMENTS: 'off' } as const;

export type DatabasePlan = { kind: 'embedded'; dataDir: string } | { kind: 'external'; url: string };

export interface ServicePlan extends RosterEntry {
  name: Service;
  port: number;
  database: DatabasePlan;
  keysDir: string;
}

/**
 * Where everything listens: the roster's ports, moved by `<NAME>_PORT`, read as
 * every tool reads them (libs/protocol readEndpoints). A `<NAME>_URL` names a
 * service running elsewhere, which the demo does not start: refused.
 */
function readPorts(env: NodeJS.ProcessEnv, problems: string[]): ResolvedEndpoints {
  const { endpoints, problems: malformed } = readEndpoints(env);
  problems.push(...malformed);
  for (const endpoint of Object.keys(endpoints) as Endpoint[]) {
    if (endpoints[endpoint].source === 'url-variable') {
      problems.push(`${urlVariable(endpoint)} names a service elsewhere; the demo starts its own: unset it (or set ${portVariable(endpoint)})`);
    }
  }
  return endpoints;
}

/** Throws a LaunchError listing every bad or clashing setting at once. */
export function planServices(env: NodeJS.ProcessEnv, paths: DemoLayout): ServicePlan[] {
  const problems: string[] = [];
  const endpoints = readPorts(env, problems);
  const plans = SERVICES.map((name): ServicePlan => {
    const url = env[databaseUrlVariable(name)]?.trim();
    return {
      name,
      ...ROSTER[name],
      port: endpoints[name].port,
      database: url ? { kind: 'external', url } : { kind: 'embedded', dataDir: path.join(paths.dataDir, name, 'pgdata') },
      keysDir: path.join(paths.keysDir, name),
    };
  });

  const byPort = new Map<number, Service[]>();
  for (const plan of plans) byPort.set(plan.port, [...(byPort.get(plan.port) ?? []), plan.name]);
  for (const [port, names] of byPort) {
    if (names.length > 1) problems.push(`port ${port} is given to ${names.join(' and ')}`);
  }

  if (problems.length > 0) throw new LaunchError('bad service configuration', { details: problems });
  return plans;
}

export interface ServiceRuntime {
  databaseUrl: string;
  redisUrl: string;
  /** Where this run's code-issuer listens (agencies enrol through it, the portal asks it for codes). */
  codeIssuerUrl: string;
  /** Where this run's card reader listens (the portal's sign-in page sends citizens there). */
  cardReaderUrl: string;
  /** Where this run's exchange hub listens (the portal fetches its log's proofs there). */
  exchangeHubUrl?: string;
}

/** The demo's card reader: the citizen's device, apart from every service. */
export interface CardReaderPlan {
  port: number;
  cardStoreDir: string;
}

export function planCardReader(env: NodeJS.ProcessEnv, paths: DemoLayout, services: readonly ServicePlan[]): CardReaderPlan {
  const problems: string[] = [];
  const port = readPorts(env, problems)[CARD_READER].port;
  if (problems.length > 0) throw new LaunchError('bad card reader configuration', { details: problems });
  const clash = services.find((plan) => plan.port === port);
  if (clash) throw new LaunchError('bad card reader configuration', { details: [`port ${port} is given to ${clash.name} and the card reader`] });
  return { port, cardStoreDir: paths.cardsDir };
}

/**
 * The hub's mix round in the demo, unless HUB_MIX_ROUND_SECONDS is set: short, so
 * that the scenarios and the portal's records follow within seconds. A service's
 * own default (45 s) is what defeats the timing attack (README, "Timing").
 */
export const DEMO_MIX_ROUND_SECONDS = '2';

/** The line the demo prints about the hub's mix round it runs with. */
export function mixRoundLine(inherited: NodeJS.ProcessEnv): string {
  const given = inherited.HUB_MIX_ROUND_SECONDS?.trim();
  if (given) return `hub mix: rounds of ${given} s (HUB_MIX_ROUND_SECONDS)`;
  return `hub mix: rounds of ${DEMO_MIX_ROUND_SECONDS} s for the demo; the services' default, 45 s, defeats the timing attack (HUB_MIX_ROUND_SECONDS=45 npm run demo)`;
}

/**
 * The environment a service process starts with: the launcher's own, minus every
 * party's database URL (an agency has no business seeing another's credentials),
 * plus the contract variables of the apps.
 */
export function serviceEnv(
  plan: ServicePlan,
  runtime: ServiceRuntime,
  paths: DemoLayout,
  inherited: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...inherited };
  for (const service of SERVICES) delete env[databaseUrlVariable(service)];
  return {
    ...env,
    NODE_ENV: 'development',
    TS_NODE_PROJECT: path.join(paths.root, 'tsconfig.runtime.json'),
    PORT: String(plan.port),
    DATABASE_URL: runtime.databaseUrl,
    REDIS_URL: runtime.redisUrl,
    CODE_ISSUER_URL: runtime.codeIssuerUrl,
    KEYS_DIR: plan.keysDir,
    CARD_READER_URL: runtime.cardReaderUrl,
    ...(plan.name === MYNA_PORTAL && runtime.exchangeHubUrl ? { EXCHANGE_HUB_URL: runtime.exchangeHubUrl } : {}),
    ...(plan.name === EXCHANGE_HUB && !inherited.HUB_MIX_ROUND_SECONDS?.trim() ? { HUB_MIX_ROUND_SECONDS: DEMO_MIX_ROUND_SECONDS } : {}),
    // The portal runs as the demo: its sign-in page names the demo cards and their PIN.
    ...(plan.name === MYNA_PORTAL ? { DEMO_CARD_HOLDERS: DEMO_CITIZENS.map((citizen) => citizen.name).join(','), DEMO_CARD_PIN: DEMO_PIN } : {}),
    // pglite-socket serves every connection through one backend session, and the
    // extended-protocol messages of concurrent connections interleave (queries then
    // answer each other's statements). One connection per service, and patience.
    ...(plan.database.kind === 'embedded' ? EMBEDDED_DATABASE_ENV : {}),
  };
}

/** The card reader's environment: its port, the demo's card store, and the portal it signs in to. */
export function cardReaderEnv(plan: CardReaderPlan, portalUrl: string, paths: DemoLayout, inherited: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...inherited };
  for (const service of SERVICES) delete env[databaseUrlVariable(service)];
  return {
    ...env,
    TS_NODE_PROJECT: path.join(paths.root, 'tsconfig.runtime.json'),
    PORT: String(plan.port),
    HOST: '127.0.0.1',
    CARD_STORE_DIR: plan.cardStoreDir,
    READER_RELYING_PARTIES: `${MYNA_PORTAL}=${portalUrl}`,
  };
}

/** Where a compiled service's entry point lives. */
export function serviceEntry(service: Service, paths: DemoLayout): string {
  return path.join(paths.root, 'dist', 'apps', service, 'src', 'main.js');
}

/** Where the compiled key ceremony's entry point lives (tools/key-ceremony). */
export function keyCeremonyEntry(root: string): string {
  return path.join(root, 'dist', 'tools', 'key-ceremony', 'src', 'main.js');
}

export function embeddedDatabaseUrl(port: number): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}
