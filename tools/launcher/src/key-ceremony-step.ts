// Before the first start there are no keys: run the key ceremony (tools/key-ceremony,
// `npm run keys`) as its own short-lived process, so that the trusted dealer's
// memory, which held every party's secrets, is gone when it exits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LaunchError, keyCeremonyEntry } from '@myna-tools/federation-host';
import type { LaunchContext, LaunchStep } from './steps';

/** Runs the ceremony into .data/keys when that folder is missing; leaves existing keys alone. */
export const keyCeremonyStep: LaunchStep = {
  name: 'key ceremony',
  async run({ paths, supervisor, show, log }: LaunchContext): Promise<void> {
    const keysDir = paths.keysDir;
    if (fs.existsSync(keysDir)) return log(`keys: using ${path.relative(paths.root, keysDir)}/ (npm run demo -- --fresh makes new ones)`);
    const entry = keyCeremonyEntry(paths.root);
    if (!fs.existsSync(entry))
      throw new LaunchError(`no keys in ${keysDir} and the key ceremony is not built (${entry}); run npm run build`);
    const ceremony = supervisor.spawn({
      name: 'key-ceremony',
      tier: 'service',
      command: process.execPath,
      args: ['-r', 'tsconfig-paths/register', entry, '--out', keysDir],
      cwd: paths.root,
      env: { ...process.env, TS_NODE_PROJECT: path.join(paths.root, 'tsconfig.runtime.json') },
    });
    ceremony.onLine(show);
    const exit = await ceremony.exited;
    if (exit.code !== 0) {
      throw new LaunchError(`the key ceremony ${ceremony.describeExit()}`, { tail: { source: ceremony.name, lines: ceremony.tail() } });
    }
    log(`keys: the key ceremony made them in ${path.relative(paths.root, keysDir)}/ (one key file per service; the operators' credentials in operators/)`);
  },
};
