import { parseCeremonyArgs, runCeremonyCommand } from './ceremony-command';

runCeremonyCommand(parseCeremonyArgsOrExit())
  .then((lines) => process.stdout.write(`${lines.join('\n')}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`keys: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });

function parseCeremonyArgsOrExit() {
  try {
    return parseCeremonyArgs(process.argv.slice(2), process.cwd());
  } catch (error) {
    process.stderr.write(`keys: ${error instanceof Error ? error.message : String(error)} (see --help)\n`);
    process.exit(2);
  }
}
