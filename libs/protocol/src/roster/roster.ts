// The roster: every party's role and default port, the card reader beside them,
// the names of the variables that move them, and where the demo keeps its state.
// Written once; the services, the launcher and every tool read it from here.
import path from 'node:path';
import { operatorCredentialsDir } from '../keys/key-files';
import { CODE_ISSUER, EXCHANGE_HUB, HEALTH_AGENCY, MYNA_PORTAL, PENSION_AGENCY, SERVICES, TAX_AGENCY, type Service } from '../parties';

export interface RosterEntry {
  /** The real-world role, as the demo's table of services shows it. */
  readonly role: string;
  /** Where it listens unless `<SERVICE>_PORT` (or a deployment) says otherwise. */
  readonly defaultPort: number;
}

/** The six services of the federation, in the order they are listed to the user. */
export const ROSTER: Readonly<Record<Service, RosterEntry>> = {
  [CODE_ISSUER]: { role: 'J-LIS code issuer', defaultPort: 4000 },
  [EXCHANGE_HUB]: { role: 'Information Provision Network hub', defaultPort: 4001 },
  [TAX_AGENCY]: { role: 'municipal tax office', defaultPort: 4002 },
  [PENSION_AGENCY]: { role: 'Japan Pension Service', defaultPort: 4003 },
  [HEALTH_AGENCY]: { role: 'health insurer', defaultPort: 4004 },
  [MYNA_PORTAL]: { role: 'MynaPortal', defaultPort: 4005 },
};

/** The citizen's card reader: not a party of the federation, but the demo runs it beside them. */
export const CARD_READER = 'card-reader' as const;
export const CARD_READER_DEFAULT_PORT = 4006;

/** Everything the demo listens on: the services and the card reader. */
export type Endpoint = Service | typeof CARD_READER;
export const ENDPOINTS: readonly Endpoint[] = [...SERVICES, CARD_READER];

export const DEFAULT_PORTS: Readonly<Record<Endpoint, number>> = {
  ...(Object.fromEntries(SERVICES.map((service) => [service, ROSTER[service].defaultPort])) as Record<Service, number>),
  [CARD_READER]: CARD_READER_DEFAULT_PORT,
};

/** Services listen on loopback outside containers; default URLs point there. */
export const LOOPBACK = '127.0.0.1';

export function defaultUrl(endpoint: Endpoint): string {
  return `http://${LOOPBACK}:${DEFAULT_PORTS[endpoint]}`;
}

/** `tax-agency` → `TAX_AGENCY`, the prefix of its environment variables. */
export function envPrefix(endpoint: Endpoint): string {
  return endpoint.toUpperCase().replace(/-/g, '_');
}
export const urlVariable = (endpoint: Endpoint): string => `${envPrefix(endpoint)}_URL`;
export const portVariable = (endpoint: Endpoint): string => `${envPrefix(endpoint)}_PORT`;
export const databaseUrlVariable = (service: Service): string => `${envPrefix(service)}_DATABASE_URL`;
export const redisUrlVariable = (service: Service): string => `${envPrefix(service)}_REDIS_URL`;

/** The services' REDIS_PREFIX unless told otherwise: queues live under `<prefix>:`. */
export const DEFAULT_REDIS_PREFIX = 'myna';

/** Where the demo keeps its state, under the workspace root. */
export interface DemoLayout {
  root: string;
  /** Embedded databases, Redis's AOF, keys, cards, logs, federation.json. */
  dataDir: string;
  /** The key ceremony's output: `<service>/service-keys.json` and `operators/`. */
  keysDir: string;
  /** The operators' credentials, a folder no service is given. */
  operatorCredentialsDir: string;
  /** Where the launcher publishes the running federation (see federation-file.ts). */
  federationFile: string;
  /** One log per child of the launcher. */
  logsDir: string;
  /** The card reader's store of demo cards. */
  cardsDir: string;
}

/** The demo's state folder, under the workspace root. */
export const DEMO_DATA_DIR = '.data';

/** `demoLayout('.')` gives the paths relative to the workspace root, for defaults and help texts. */
export function demoLayout(root: string): DemoLayout {
  const dataDir = path.join(root, DEMO_DATA_DIR);
  const keysDir = path.join(dataDir, 'keys');
  return {
    root,
    dataDir,
    keysDir,
    operatorCredentialsDir: operatorCredentialsDir(keysDir),
    federationFile: path.join(dataDir, 'federation.json'),
    logsDir: path.join(dataDir, 'logs'),
    cardsDir: path.join(dataDir, 'cards'),
  };
}
