// Entry point of `npm run scenarios`. Only the flags are read up front, so that
// --help and a bad argument answer at once; playing loads the rest (play.ts).
import path from 'node:path';
import { parseScenarioArgs, scenarioNamesIn, USAGE } from './cli/scenario-args';

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseScenarioArgs(argv, scenarioNamesIn(path.join(__dirname, 'scenarios')));
  if (!parsed.ok) {
    err(`scenarios: ${parsed.error}\nSee: npm run scenarios -- --help\n`);
    return 2;
  }
  if (parsed.options.help) {
    out(`${USAGE}\n`);
    return 0;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand
  const { playScenarios } = require('./play') as typeof import('./play');
  return playScenarios(parsed.options);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`scenarios: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
