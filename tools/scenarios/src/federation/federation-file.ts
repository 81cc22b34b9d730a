import { SERVICES, type FederationFile, type Service } from '@myna/protocol';
import type { FederationTarget } from './federation-target';

// `.data/federation.json` is written by the launcher and read by every tool
// through libs/protocol (roster/federation-file.ts); this turns it into a target.

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
