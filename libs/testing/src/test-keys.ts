import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  LegalTable,
  operatorClientId,
  operatorCredentialsDir,
  runServiceKeyCeremony,
  SERVICE_KEY_FILE_NAME,
  SERVICES,
  type KeyCeremonyOutput,
  type OperatorCredential,
  type OperatorRole,
  type Service,
} from '@myna/protocol';

let keysRoot: string | undefined;
let ceremony: KeyCeremonyOutput | undefined;

/** The test process's ceremony (fixed seed), written once: each service's key file in its own folder, the operators' in theirs. */
function testCeremony(): { root: string; output: KeyCeremonyOutput } {
  if (!keysRoot || !ceremony) {
    keysRoot = mkdtempSync(path.join(tmpdir(), 'myna-test-keys-'));
    ceremony = runServiceKeyCeremony(LegalTable.load(), 'myna-test-keys');
    for (const name of SERVICES) {
      const dir = path.join(keysRoot, name);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(path.join(dir, SERVICE_KEY_FILE_NAME), JSON.stringify(ceremony.services.get(name)), { mode: 0o600 });
    }
    const operators = operatorCredentialsDir(keysRoot);
    mkdirSync(operators, { recursive: true, mode: 0o700 });
    for (const [clientId, credential] of ceremony.operators) {
      writeFileSync(path.join(operators, `${clientId}.json`), JSON.stringify(credential), { mode: 0o600 });
    }
  }
  return { root: keysRoot, output: ceremony };
}

/** The folder holding `service`'s key file (its KEYS_DIR). */
export function testKeysDir(service: Service): string {
  return path.join(testCeremony().root, service);
}

/** The folder holding every operator's credential, as the key ceremony lays it out. */
export function testOperatorCredentialsDir(): string {
  return operatorCredentialsDir(testCeremony().root);
}

/** One operator's credential from the test ceremony. */
export function testOperatorCredential(service: Service, role: OperatorRole): OperatorCredential {
  const credential = testCeremony().output.operators.get(operatorClientId(service, role));
  if (!credential) throw new Error(`${service} grants no role ${role}`);
  return credential;
}
