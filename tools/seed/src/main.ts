// Entry point of `npm run seed`. The command line is checked before the rest of
// the seed (HTTP clients, the population) is loaded: --help and a bad argument answer at once.
import { runningDemo } from '@myna/protocol';
import { parseSeedArgs, SeedArgsError, USAGE } from './seed-args';

// The first Ctrl-C lets the batches in flight finish (so the summary is exact); a second one quits at once.
let stopRequested = false;
process.on('SIGINT', () => {
  if (stopRequested) process.exit(130);
  stopRequested = true;
  process.stderr.write('seed: stopping after the batches in flight (Ctrl-C again to quit now)\n');
});

async function main(argv: readonly string[]): Promise<number> {
  try {
    if (parseSeedArgs(argv, process.env, runningDemo()).help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
  } catch (error) {
    if (!(error instanceof SeedArgsError)) throw error;
    process.stderr.write(`seed: ${error.message} (see --help)\n`);
    return 2;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand
  const { runSeedCommand } = require('./seed-command') as typeof import('./seed-command');
  return runSeedCommand(argv, process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stopRequested: () => stopRequested,
    // A bar on a terminal; plain lines in a log or a pipe.
    tty: process.stderr.isTTY ? process.stderr : undefined,
  }, runningDemo());
}

main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`seed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
