import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LegalTable, runServiceKeyCeremony, SERVICE_KEY_FILE_NAME, SERVICES, type Service } from '@myna/protocol';

let keysRoot: string | undefined;

/**
 * Runs the key ceremony once per test process (fixed seed) and writes each
 * service's key file to its own folder; returns the folder for `service`.
 */
export function testKeysDir(service: Service): string {
  if (!keysRoot) {
    keysRoot = mkdtempSync(path.join(tmpdir(), 'myna-test-keys-'));
    const files = runServiceKeyCeremony(LegalTable.load(), 'myna-test-keys');
    for (const name of SERVICES) {
      const dir = path.join(keysRoot, name);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(path.join(dir, SERVICE_KEY_FILE_NAME), JSON.stringify(files.get(name)), { mode: 0o600 });
    }
  }
  return path.join(keysRoot, service);
}
