// Entry point of `npm run demo`: parse flags, run the launcher, exit with its code.
import { USAGE, parseArgs } from './args';
import { runLauncher } from './launcher';

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
