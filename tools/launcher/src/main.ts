// Entry point of `npm run demo`: parse flags, run the launcher, exit with its code.
// The launcher is loaded only after the flags are checked: --help and a bad flag answer at once.
import { USAGE, parseArgs } from './args';

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`demo: ${parsed.error}\nSee: npm run demo -- --help\n`);
    return 2;
  }
  if (parsed.options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand
  const { runLauncher } = require('./launcher') as typeof import('./launcher');
  return runLauncher(parsed.options);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
