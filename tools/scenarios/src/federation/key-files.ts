import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KeyFileError, parseServiceKeyFile, SERVICE_KEY_FILE_NAME, ServiceKeyRing, type Service, type ServiceKeyFile } from '@myna/protocol';

/**
 * The key files of the parties a scenario plays, read from a keys folder laid
 * out as the key ceremony writes it (`<dir>/<service>/service-keys.json`). Whoever
 * reads one holds that party's secrets: an insider. Scenarios say so in their trace.
 */
export class KeyFiles {
  private readonly files = new Map<Service, Promise<ServiceKeyFile>>();
  private readonly rings = new Map<Service, Promise<ServiceKeyRing>>();

  constructor(readonly dir: string) {}

  path(service: Service): string {
    return path.join(this.dir, service, SERVICE_KEY_FILE_NAME);
  }

  file(service: Service): Promise<ServiceKeyFile> {
    let file = this.files.get(service);
    if (!file) {
      file = this.read(service);
      file.catch(() => this.files.delete(service));
      this.files.set(service, file);
    }
    return file;
  }

  ring(service: Service): Promise<ServiceKeyRing> {
    let ring = this.rings.get(service);
    if (!ring) {
      ring = this.file(service).then((file) => ServiceKeyRing.fromFile(file));
      ring.catch(() => this.rings.delete(service));
      this.rings.set(service, ring);
    }
    return ring;
  }

  private async read(service: Service): Promise<ServiceKeyFile> {
    const file = this.path(service);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new KeyFileError(`no key file for ${service} at ${file}: give the runner the keys folder with --keys-dir (or SCENARIO_KEYS_DIR)`);
    }
    return parseServiceKeyFile(JSON.parse(text), service);
  }
}
