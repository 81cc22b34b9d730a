// `.data/federation.json`: what `npm run demo` publishes once every service is
// healthy, so that the tools (seed, bench, scenarios, the card reader) find a
// demo running on ports and databases chosen at start. Readable by its owner
// only: it holds database and Redis URLs with their passwords.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { SERVICES, type Service } from '../parties';
import { CARD_READER, databaseUrlVariable, redisUrlVariable, urlVariable } from './roster';

const serviceEntry = z.object({ url: z.url(), databaseUrl: z.string().min(1) });

export const federationFileSchema = z.object({
  format: z.literal('myna/federation'),
  version: z.literal(1),
  /** The launcher process that wrote it (a stale file names a dead one). */
  launcherPid: z.number().int().positive(),
  writtenAt: z.string(),
  services: z.object(Object.fromEntries(SERVICES.map((service) => [service, serviceEntry])) as Record<Service, typeof serviceEntry>),
  redisUrl: z.string().min(1),
  redisPrefix: z.string().min(1),
  /** Each service's own Redis user (the launcher creates them). */
  serviceRedisUrls: z.record(z.string(), z.string().min(1)).optional(),
  keysDir: z.string().min(1),
  /** The demo's card reader, the citizen's device (absent in a federation without one). */
  cardReaderUrl: z.url().optional(),
});
export type FederationFile = z.infer<typeof federationFileSchema>;

/** Writes the file, readable by its owner only. */
export function writeFederationFile(file: string, content: FederationFile): void {
  writeFileSync(file, `${JSON.stringify(federationFileSchema.parse(content), null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The published federation, or undefined when there is none or it is unreadable. */
export function readFederationFile(file: string): FederationFile | undefined {
  try {
    const parsed = federationFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this id is alive (signal 0 checks without sending anything). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The published federation if the launcher that wrote it is still running; a file left by a dead one is ignored. */
export function readLiveFederationFile(file: string): FederationFile | undefined {
  const content = readFederationFile(file);
  return content && processIsAlive(content.launcherPid) ? content : undefined;
}

/**
 * The federation as environment variables, under the names every tool reads
 * (and docker compose gives the scenario runner): `<SERVICE>_URL`,
 * `<SERVICE>_DATABASE_URL`, `<SERVICE>_REDIS_URL`, `REDIS_URL`, `REDIS_PREFIX`,
 * `CARD_READER_URL`.
 */
export function federationEnv(federation: Pick<FederationFile, 'services' | 'redisUrl' | 'redisPrefix' | 'serviceRedisUrls' | 'cardReaderUrl'>): Record<string, string> {
  const env: Record<string, string> = { REDIS_URL: federation.redisUrl, REDIS_PREFIX: federation.redisPrefix };
  if (federation.cardReaderUrl) env[urlVariable(CARD_READER)] = federation.cardReaderUrl;
  for (const [service, { url, databaseUrl }] of Object.entries(federation.services) as [Service, FederationFile['services'][Service]][]) {
    env[urlVariable(service)] = url;
    env[databaseUrlVariable(service)] = databaseUrl;
    const redisUrl = federation.serviceRedisUrls?.[service];
    if (redisUrl) env[redisUrlVariable(service)] = redisUrl;
  }
  return env;
}
