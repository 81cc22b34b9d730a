import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVICES } from '../parties';
import { writeFederationFile, type FederationFile } from './federation-file';
import { EndpointSettingError, resolveEndpoints, resolveFederationEndpoints } from './resolve-endpoints';
import { CARD_READER, DEFAULT_PORTS, demoLayout } from './roster';

function federation(launcherPid: number, portBase: number): FederationFile {
  return {
    format: 'myna/federation',
    version: 1,
    launcherPid,
    writtenAt: new Date().toISOString(),
    services: Object.fromEntries(SERVICES.map((service, index) => [service, { url: `http://127.0.0.1:${portBase + index}`, databaseUrl: 'postgres://x@127.0.0.1:1/x' }])) as FederationFile['services'],
    redisUrl: 'redis://127.0.0.1:1',
    redisPrefix: 'myna',
    keysDir: '/keys',
    cardReaderUrl: `http://127.0.0.1:${portBase + SERVICES.length}`,
  };
}

describe('resolveEndpoints: environment over federation.json over the roster', () => {
  it('gives the roster default ports on loopback when nothing is set', () => {
    const resolved = resolveEndpoints({});
    for (const service of SERVICES) expect(resolved[service]).toEqual({ url: `http://127.0.0.1:${DEFAULT_PORTS[service]}`, port: DEFAULT_PORTS[service], source: 'default' });
    expect(resolved[CARD_READER].port).toBe(DEFAULT_PORTS[CARD_READER]);
  });

  it('takes the running demo from federation.json over the defaults', () => {
    const resolved = resolveEndpoints({}, federation(process.pid, 5150));
    expect(resolved['exchange-hub']).toEqual({ url: 'http://127.0.0.1:5151', port: 5151, source: 'federation-file' });
    expect(resolved[CARD_READER]).toEqual({ url: 'http://127.0.0.1:5156', port: 5156, source: 'federation-file' });
  });

  it('takes <NAME>_PORT over federation.json, and <NAME>_URL over both', () => {
    const resolved = resolveEndpoints({ TAX_AGENCY_PORT: '5122', TAX_AGENCY_URL: 'https://tax.example/', PENSION_AGENCY_PORT: ' 5123 ', CARD_READER_PORT: '5126' }, federation(process.pid, 5150));
    expect(resolved['tax-agency']).toEqual({ url: 'https://tax.example', port: 443, source: 'url-variable' });
    expect(resolved['pension-agency']).toEqual({ url: 'http://127.0.0.1:5123', port: 5123, source: 'port-variable' });
    expect(resolved[CARD_READER]).toEqual({ url: 'http://127.0.0.1:5126', port: 5126, source: 'port-variable' });
    expect(resolved['health-agency'].source).toBe('federation-file');
  });

  it('never prints a password given in a malformed URL', () => {
    expect(() => resolveEndpoints({ TAX_AGENCY_URL: 'ftp://officer:secret@tax' })).toThrow("TAX_AGENCY_URL='ftp://officer:***@tax/' is not an http(s) base URL");
  });

  it('names every malformed variable at once', () => {
    const attempt = () => resolveEndpoints({ TAX_AGENCY_PORT: '70000', HEALTH_AGENCY_URL: 'ftp://x', MYNA_PORTAL_URL: 'http://x/?q=1', CODE_ISSUER_PORT: 'four' });
    expect(attempt).toThrow(EndpointSettingError);
    try {
      attempt();
    } catch (error) {
      expect((error as EndpointSettingError).problems).toEqual([
        "CODE_ISSUER_PORT='four' is not a TCP port (1-65535)",
        "TAX_AGENCY_PORT='70000' is not a TCP port (1-65535)",
        "HEALTH_AGENCY_URL='ftp://x' is not an http(s) base URL",
        "MYNA_PORTAL_URL='http://x/?q=1' is not an http(s) base URL",
      ]);
    }
  });
});

describe('resolveFederationEndpoints: the workspace demo, if its launcher lives', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'roster-'));
    writeFileSync(path.join(root, 'package.json'), '{}');
    writeFileSync(path.join(root, 'nx.json'), '{}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads a live demo’s federation.json under the workspace root', () => {
    const layout = demoLayout(root);
    mkdirSync(layout.dataDir);
    writeFederationFile(layout.federationFile, federation(process.pid, 5160));
    expect(resolveFederationEndpoints({}, root)['myna-portal']).toEqual({ url: 'http://127.0.0.1:5165', port: 5165, source: 'federation-file' });
    expect(resolveFederationEndpoints({ MYNA_PORTAL_PORT: '5199' }, root)['myna-portal'].source).toBe('port-variable');
  });

  it('ignores a file left by a launcher that is no longer running', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const layout = demoLayout(root);
    mkdirSync(layout.dataDir);
    writeFederationFile(layout.federationFile, federation(dead, 5160));
    expect(resolveFederationEndpoints({}, root)['myna-portal'].source).toBe('default');
  });

  it('ignores a missing or malformed file', () => {
    expect(resolveFederationEndpoints({}, root)['code-issuer'].source).toBe('default');
    mkdirSync(demoLayout(root).dataDir);
    writeFileSync(demoLayout(root).federationFile, '{"format":"other"}');
    expect(resolveFederationEndpoints({}, root)['code-issuer'].source).toBe('default');
  });
});
