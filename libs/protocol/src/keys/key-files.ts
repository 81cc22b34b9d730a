import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SERVICES, type Service } from '../parties';
import { SERVICE_KEY_FILE_NAME, type ServiceKeyFile } from './service-key-file';

/** `<root>/<service>`: the one folder a service (or its container) is given as KEYS_DIR. */
export function serviceKeysDir(root: string, service: Service): string {
  return path.join(root, service);
}

/** Whether every service already has a key file under `root`. */
export function serviceKeyFilesExist(root: string): boolean {
  return SERVICES.every((service) => existsSync(path.join(serviceKeysDir(root, service), SERVICE_KEY_FILE_NAME)));
}

/** Writes each service's key file into its own folder, readable by its owner only. */
export async function writeServiceKeyFiles(root: string, files: ReadonlyMap<Service, ServiceKeyFile>): Promise<string[]> {
  const written: string[] = [];
  for (const [service, file] of files) {
    const dir = serviceKeysDir(root, service);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const target = path.join(dir, SERVICE_KEY_FILE_NAME);
    await writeFile(target, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await chmod(target, 0o600);
    written.push(target);
  }
  return written;
}
