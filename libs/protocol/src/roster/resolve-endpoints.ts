// Where each service (and the card reader) is, read the same way by the launcher
// and every tool: `<NAME>_URL`, else `<NAME>_PORT` on loopback, else the running
// demo's federation.json, else the roster's default port.
import { readLiveFederationFile, type FederationFile } from './federation-file';
import { CARD_READER, ENDPOINTS, LOOPBACK, defaultUrl, demoLayout, portVariable, urlVariable, type Endpoint } from './roster';
import { findWorkspaceRoot } from './workspace-root';

export interface ResolvedEndpoint {
  /** Base URL without a trailing slash. */
  url: string;
  port: number;
  /** Which source gave it, so that a tool can say where it looked. */
  source: 'url-variable' | 'port-variable' | 'federation-file' | 'default';
}

export type ResolvedEndpoints = Readonly<Record<Endpoint, ResolvedEndpoint>>;

/** Bad `<NAME>_URL` or `<NAME>_PORT` values, every one of them listed. */
export class EndpointSettingError extends Error {
  override readonly name = 'EndpointSettingError';
  constructor(readonly problems: readonly string[]) {
    super(`bad service address: ${problems.join('; ')}`);
  }
}

/** A variable's value as it may be printed: a password in it is replaced. */
function withoutPassword(text: string): string {
  if (!URL.canParse(text)) return text;
  const url = new URL(text);
  if (!url.password) return text;
  url.password = '***';
  return url.toString();
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

function fromFile(endpoint: Endpoint, file: FederationFile | undefined): string | undefined {
  if (!file) return undefined;
  return endpoint === CARD_READER ? file.cardReaderUrl : file.services[endpoint].url;
}

/**
 * Resolves every endpoint. `federation` is the running demo's federation.json
 * (readLiveFederationFile), or undefined: the launcher, which writes it, passes none.
 * Throws an EndpointSettingError naming every malformed variable.
 */
export function resolveEndpoints(env: Readonly<Record<string, string | undefined>>, federation?: FederationFile): ResolvedEndpoints {
  const { endpoints, problems } = readEndpoints(env, federation);
  if (problems.length > 0) throw new EndpointSettingError(problems);
  return endpoints;
}

/** resolveEndpoints, with the malformed variables listed instead of thrown (their endpoints take the default). */
export function readEndpoints(env: Readonly<Record<string, string | undefined>>, federation?: FederationFile): { endpoints: ResolvedEndpoints; problems: string[] } {
  const problems: string[] = [];
  const resolved = {} as Record<Endpoint, ResolvedEndpoint>;
  for (const endpoint of ENDPOINTS) {
    const urlText = env[urlVariable(endpoint)]?.trim();
    const portText = env[portVariable(endpoint)]?.trim();
    const filed = fromFile(endpoint, federation);
    let result: ResolvedEndpoint | undefined;
    if (urlText) {
      const url = URL.canParse(urlText) ? new URL(urlText) : undefined;
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
        problems.push(`${urlVariable(endpoint)}='${withoutPassword(urlText)}' is not an http(s) base URL`);
      } else {
        result = { url: urlText.replace(/\/+$/, ''), port: portOf(url), source: 'url-variable' };
      }
    } else if (portText) {
      const port = Number(portText);
      if (!/^\d+$/.test(portText) || port < 1 || port > 65535) problems.push(`${portVariable(endpoint)}='${portText}' is not a TCP port (1-65535)`);
      else result = { url: `http://${LOOPBACK}:${port}`, port, source: 'port-variable' };
    } else if (filed) {
      const url = filed.replace(/\/+$/, '');
      result = { url, port: portOf(new URL(url)), source: 'federation-file' };
    }
    resolved[endpoint] = result ?? { url: defaultUrl(endpoint), port: portOf(new URL(defaultUrl(endpoint))), source: 'default' };
  }
  return { endpoints: resolved, problems };
}

/**
 * The one function the tools call: the environment over the demo running under
 * `root` (its live `.data/federation.json`) over the roster's defaults.
 */
export function resolveFederationEndpoints(env: Readonly<Record<string, string | undefined>> = process.env, root = findWorkspaceRoot(process.cwd())): ResolvedEndpoints {
  return resolveEndpoints(env, runningDemo(root));
}

/** The federation.json of the demo running under `root`, if its launcher lives. */
export function runningDemo(root = findWorkspaceRoot(process.cwd())): FederationFile | undefined {
  return readLiveFederationFile(demoLayout(root).federationFile);
}
