import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { operatorCredentialSchema, type OperatorCredential } from '../auth/operators';
import { SERVICES, type Service } from '../parties';
import { SERVICE_KEY_FILE_NAME, type ServiceKeyFile } from './service-key-file';

/** `<root>/<service>`: the one folder a service (or its container) is given as KEYS_DIR. */
export function serviceKeysDir(root: string, service: Service): string {
  return path.join(root, service);
}

/** `<root>/operators`: the operators' credentials, a folder no service is given. */
export function operatorCredentialsDir(root: string): string {
  return path.join(root, 'operators');
}

/** Whether every service already has a key file under `root`. */
export function serviceKeyFilesExist(root: string): boolean {
  return SERVICES.every((service) => existsSync(path.join(serviceKeysDir(root, service), SERVICE_KEY_FILE_NAME)));
}

/** Writes a JSON secret readable by its owner only, in a folder only its owner can enter. */
async function writeSecretJson(dir: string, name: string, value: unknown): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const target = path.join(dir, name);
  await writeFile(target, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await chmod(target, 0o600);
  return target;
}

/** Writes each service's key file into its own folder, readable by its owner only. */
export async function writeServiceKeyFiles(root: string, files: ReadonlyMap<Service, ServiceKeyFile>): Promise<string[]> {
  const written: string[] = [];
  for (const [service, file] of files) written.push(await writeSecretJson(serviceKeysDir(root, service), SERVICE_KEY_FILE_NAME, file));
  return written;
}

/** Writes each operator's credential to `<root>/operators/<client id>.json`. */
export async function writeOperatorCredentials(root: string, operators: ReadonlyMap<string, OperatorCredential>): Promise<string[]> {
  const written: string[] = [];
  for (const [clientId, credential] of operators) written.push(await writeSecretJson(operatorCredentialsDir(root), `${clientId}.json`, credential));
  return written;
}

/** An operator's credential is missing or unreadable: the key ceremony has not run, or the folder is wrong. */
export class OperatorCredentialError extends Error {
  override readonly name = 'OperatorCredentialError';
}

/** Reads one operator's credential from a credentials folder; errors are one line and name the file. */
export async function loadOperatorCredential(dir: string, clientId: string): Promise<OperatorCredential> {
  const file = path.join(dir, `${clientId}.json`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new OperatorCredentialError(`no readable operator credential at ${file}; run the key ceremony (npm run keys) or point to the operators' folder`);
  }
  const parsed = operatorCredentialSchema.safeParse(json);
  if (!parsed.success) throw new OperatorCredentialError(`operator credential ${file} is malformed at ${parsed.error.issues[0].path.join('.') || '(root)'}`);
  if (parsed.data.clientId !== clientId) throw new OperatorCredentialError(`operator credential ${file} belongs to ${parsed.data.clientId}`);
  return parsed.data;
}
