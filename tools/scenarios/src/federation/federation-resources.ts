import { Databases } from './databases';
import { FederationClient } from './federation-client';
import { operatorCredentialsDirOf, type FederationTarget } from './federation-target';
import { KeyFiles } from './key-files';
import { QueueAccess } from './queues';

/** Everything a scenario reaches the federation through: its APIs, its databases, its queues, the key files it is given. */
export interface FederationResources {
  readonly target: FederationTarget;
  readonly federation: FederationClient;
  readonly databases: Databases;
  readonly queues: QueueAccess;
  readonly keys: KeyFiles;
}

export function openFederation(target: FederationTarget): FederationResources & { close(): Promise<void> } {
  const queues = new QueueAccess(target.redisUrl, target.redisPrefix);
  return {
    target,
    federation: new FederationClient(target.urls, operatorCredentialsDirOf(target)),
    // An embedded database (pglite-socket) runs every connection's messages through one session, interleaved:
    // a query of the runner's between a service's Parse and Bind would break the service's. So read when the services are quiet.
    databases: new Databases(target.databaseUrls, () => queues.settle()),
    queues,
    keys: new KeyFiles(target.keysDir),
    close: () => queues.close(),
  };
}
