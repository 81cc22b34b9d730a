import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  demoLayout,
  LegalTable,
  makeOperatorCredentials,
  operatorCredentialsDir,
  parseServiceKeyFile,
  runServiceKeyCeremony,
  SERVICE_KEY_FILE_NAME,
  serviceKeyFilesExist,
  serviceKeysDir,
  SERVICES,
  writeOperatorCredentials,
  writeServiceKeyFiles,
  type Service,
  type ServiceKeyFile,
} from '@myna/protocol';

export const USAGE = `Usage: npm run keys -- [--seed SEED] [--out DIR] [--force | --rotate-operators]

Creates every service's key material (the key ceremony) and writes each service's
own key file to DIR/<service>/service-keys.json, and each operator's credential to
DIR/operators/<service>.<role>.json (default DIR: .data/keys).

  --seed SEED          deterministic keys, for demos and tests only: the seed is every key
  --out DIR            where to write (default .data/keys)
  --force              replace existing key files (every service must then restart,
                       and agency codes change: start from empty databases)
  --rotate-operators   new secrets for every operator only; service keys and codes are
                       kept. Restart the services to revoke the old secrets (their
                       access tokens lapse within 5 minutes)`;

export interface CeremonyOptions {
  seed?: string;
  out: string;
  force: boolean;
  rotateOperators: boolean;
  help: boolean;
}

export function parseCeremonyArgs(argv: string[], cwd: string): CeremonyOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      seed: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      'rotate-operators': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.seed !== undefined && values.seed.length === 0) throw new Error('--seed must not be empty');
  if (values.force && values['rotate-operators']) throw new Error('--force and --rotate-operators cannot be combined');
  return {
    seed: values.seed,
    out: path.resolve(cwd, values.out ?? demoLayout('.').keysDir),
    force: values.force ?? false,
    rotateOperators: values['rotate-operators'] ?? false,
    help: values.help ?? false,
  };
}

/** Runs the ceremony; returns the lines to print. Refuses to replace keys unless forced. */
export async function runCeremonyCommand(options: CeremonyOptions): Promise<string[]> {
  if (options.help) return [USAGE];
  if (options.rotateOperators) return rotateOperators(options);
  if (serviceKeyFilesExist(options.out) && !options.force) {
    return [`key files already exist under ${options.out}; keeping them (use --force to replace every key)`];
  }
  const { services, operators } = runServiceKeyCeremony(LegalTable.load(), options.seed);
  const written = await writeServiceKeyFiles(options.out, services);
  const credentials = await writeOperatorCredentials(options.out, operators);
  return [
    `key ceremony done${options.seed === undefined ? '' : ' (deterministic seed: demo and test use only)'}:`,
    ...written.map((file) => `  ${file}`),
    `operators' credentials (${credentials.length}): ${operatorCredentialsDir(options.out)}/`,
    'Each service reads only its own folder (KEYS_DIR); no service reads the operators\' folder. The ceremony was a trusted dealer: it held every secret once.',
  ];
}

/** New operator secrets; each service's key file keeps its keys and gets the new secret hashes. */
async function rotateOperators(options: CeremonyOptions): Promise<string[]> {
  if (!serviceKeyFilesExist(options.out)) throw new Error(`no key files under ${options.out} to rotate operators in; run the ceremony first`);
  const generation = Date.now();
  const { operators, registered } = makeOperatorCredentials(options.seed, generation);
  const files = new Map<Service, ServiceKeyFile>();
  for (const service of SERVICES) {
    const json: unknown = JSON.parse(await readFile(path.join(serviceKeysDir(options.out, service), SERVICE_KEY_FILE_NAME), 'utf8'));
    files.set(service, { ...parseServiceKeyFile(json, service), operators: registered.get(service) ?? [] });
  }
  await writeServiceKeyFiles(options.out, files);
  const credentials = await writeOperatorCredentials(options.out, operators);
  return [
    `operators' credentials rotated (${credentials.length}) in ${operatorCredentialsDir(options.out)}/`,
    'Restart every service: until then it accepts the old secrets. Tokens already issued lapse within 5 minutes.',
  ];
}
