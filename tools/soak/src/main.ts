// npm run soak -- --help
import * as fs from 'node:fs';
import { findWorkspaceRoot } from '@myna/protocol';
import { parseSoakArgs, SoakArgsError, USAGE } from './soak-args';
import { formatSoakReport, killSoakNow, runSoak } from './soak-run';

async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseSoakArgs(argv);
  } catch (error) {
    if (!(error instanceof SoakArgsError)) throw error;
    process.stderr.write(`soak: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`${signal}: killing everything the soak started`);
      killSoakNow?.();
      process.exit(130);
    });
  }
  const report = await runSoak(options, findWorkspaceRoot(__dirname), say);
  say(formatSoakReport(report));
  if (options.json) {
    fs.writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    say(`report written to ${options.json}`);
  }
  return report.clean ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
