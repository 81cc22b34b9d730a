import { runSeedCommand } from './seed-command';

// The first Ctrl-C lets the batches in flight finish (so the summary is exact); a second one quits at once.
let stopRequested = false;
process.on('SIGINT', () => {
  if (stopRequested) process.exit(130);
  stopRequested = true;
  process.stderr.write('seed: stopping after the batches in flight (Ctrl-C again to quit now)\n');
});

runSeedCommand(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stopRequested: () => stopRequested,
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`seed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
