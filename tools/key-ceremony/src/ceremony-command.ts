import path from 'node:path';
import { parseArgs } from 'node:util';
import { LegalTable, runServiceKeyCeremony, serviceKeyFilesExist, writeServiceKeyFiles } from '@myna/protocol';

export const USAGE = `Usage: npm run keys -- [--seed SEED] [--out DIR] [--force]

Creates every service's key material (the key ceremony) and writes each service's
own key file to DIR/<service>/service-keys.json (default DIR: .data/keys).

  --seed SEED  deterministic keys, for demos and tests only: the seed is every key
  --out DIR    where to write (default .data/keys)
  --force      replace existing key files (every service must then restart)`;

export interface CeremonyOptions {
  seed?: string;
  out: string;
  force: boolean;
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
      help: { type: 'boolean', default: false },
    },
  });
  if (values.seed !== undefined && values.seed.length === 0) throw new Error('--seed must not be empty');
  return { seed: values.seed, out: path.resolve(cwd, values.out ?? '.data/keys'), force: values.force ?? false, help: values.help ?? false };
}

/** Runs the ceremony; returns the lines to print. Refuses to replace keys unless forced. */
export async function runCeremonyCommand(options: CeremonyOptions): Promise<string[]> {
  if (options.help) return [USAGE];
  if (serviceKeyFilesExist(options.out) && !options.force) {
    return [`key files already exist under ${options.out}; keeping them (use --force to replace every key)`];
  }
  const files = runServiceKeyCeremony(LegalTable.load(), options.seed);
  const written = await writeServiceKeyFiles(options.out, files);
  return [
    `key ceremony done${options.seed === undefined ? '' : ' (deterministic seed: demo and test use only)'}:`,
    ...written.map((file) => `  ${file}`),
    'Each service reads only its own folder (KEYS_DIR). The ceremony was a trusted dealer: it held every secret once.',
  ];
}
