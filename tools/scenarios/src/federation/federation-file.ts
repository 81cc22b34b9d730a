import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SERVICES, type Service } from '@myna/protocol';
import type { FederationTarget } from './federation-target';

/**
 * `.data/federation.json`: what `npm run demo` publishes once every service is
 * healthy (its `publish federation` step), so that `npm run scenarios` finds a
 * running demo, its embedded databases and its Redis, whose ports are chosen at
 * start. Readable by its owner only: it holds database URLs.
 */
export const FEDERATION_FILE_NAME = 'federation.json';

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

export function federationFilePath(dataDir: string): string {
  return path.join(dataDir, FEDERATION_FILE_NAME);
}

/** The published federation, or undefined when there is none (or it is unreadable: then the demo is treated as not running). */
export async function readFederationFile(file: string): Promise<FederationFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = federationFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function targetFromFederationFile(file: FederationFile, mode: 'running-demo' | 'embedded', keysDir?: string): FederationTarget {
  const urls = {} as Record<Service, string>;
  const databaseUrls = {} as Record<Service, string>;
  for (const service of SERVICES) {
    urls[service] = file.services[service].url.replace(/\/+$/, '');
    databaseUrls[service] = file.services[service].databaseUrl;
  }
  const serviceRedisUrls = Object.fromEntries(SERVICES.flatMap((service) => (file.serviceRedisUrls?.[service] ? [[service, file.serviceRedisUrls[service]]] : [])));
  return { mode, urls, databaseUrls, redisUrl: file.redisUrl, redisPrefix: file.redisPrefix, serviceRedisUrls, keysDir: keysDir ?? file.keysDir, cardReaderUrl: file.cardReaderUrl };
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
