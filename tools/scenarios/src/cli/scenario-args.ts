// Command-line flags of the scenario runner. Pure but for scenarioNamesIn: unit-tested directly.
import { readdirSync } from 'node:fs';

export interface ScenarioOptions {
  /** Scenario names to run, in the order given; empty: all of them. */
  names: string[];
  list: boolean;
  /** One line per scenario instead of the narrated trace (the demo uses it). */
  summary: boolean;
  reportDir?: string;
  keysDir?: string;
  scenarioTimeoutSeconds: number;
  /** Show the embedded demo's own output while it starts. */
  verbose: boolean;
  help: boolean;
}

export type ParsedScenarioArgs = { ok: true; options: ScenarioOptions } | { ok: false; error: string };

export const DEFAULT_SCENARIO_TIMEOUT_SECONDS = 300;

export const USAGE = `Usage: npm run scenarios -- [NAME...] [options]

Plays the auditor's scenarios against a running federation and ends each with
PASS or FAIL and the evidence; writes reports/scenarios.json,
reports/scenarios.md and reports/index.html (a run of some scenarios writes
reports/scenarios-<names>.json, .md and .html beside them); exits non-zero
when any scenario fails.

Which federation:
  - the one the environment names, when <SERVICE>_URL is set (docker compose,
    any deployment): CODE_ISSUER_URL, EXCHANGE_HUB_URL, TAX_AGENCY_URL,
    PENSION_AGENCY_URL, HEALTH_AGENCY_URL, MYNA_PORTAL_URL, each service's
    <SERVICE>_DATABASE_URL (an auditor reads the databases), REDIS_URL and
    REDIS_PREFIX (default myna);
  - else the demo running on this machine (npm run demo publishes .data/federation.json);
  - else an embedded demo started for the run and stopped afterwards.

Options:
  --list             list the scenarios and what each proves
  --summary          one line per scenario instead of the narrated trace
  --report-dir DIR   where the reports go (default: SCENARIO_REPORT_DIR, else reports/)
  --keys-dir DIR     key files of the parties the runner plays, <DIR>/<service>/service-keys.json
                     (default: SCENARIO_KEYS_DIR, else the demo's .data/keys)
  --timeout S        seconds allowed per scenario (default ${DEFAULT_SCENARIO_TIMEOUT_SECONDS})
  --verbose          show the embedded demo's output while it starts
  -h, --help         show this help`;

export function parseScenarioArgs(argv: readonly string[], known: readonly string[]): ParsedScenarioArgs {
  const options: ScenarioOptions = { names: [], list: false, summary: false, scenarioTimeoutSeconds: DEFAULT_SCENARIO_TIMEOUT_SECONDS, verbose: false, help: false };
  const value = (flag: string, index: number, arg: string): string | undefined => (arg.includes('=') ? arg.slice(flag.length + 1) : argv[index + 1]);

  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const flag = arg.split('=')[0];
    switch (flag) {
      case '--list':
        options.list = true;
        continue;
      case '--summary':
        options.summary = true;
        continue;
      case '--verbose':
        options.verbose = true;
        continue;
      case '-h':
      case '--help':
        options.help = true;
        continue;
      case '--report-dir':
      case '--keys-dir':
      case '--timeout': {
        const given = value(flag, index, arg);
        if (!arg.includes('=')) index++;
        if (!given || given.startsWith('--')) return { ok: false, error: `${flag} needs a value` };
        if (flag === '--report-dir') options.reportDir = given;
        else if (flag === '--keys-dir') options.keysDir = given;
        else {
          const seconds = Number(given);
          if (!/^\d+(\.\d+)?$/.test(given) || seconds <= 0) return { ok: false, error: `--timeout needs a positive number of seconds, got '${given}'` };
          options.scenarioTimeoutSeconds = seconds;
        }
        continue;
      }
    }
    if (arg.startsWith('-')) return { ok: false, error: `unknown option '${arg}'` };
    if (!known.includes(arg)) return { ok: false, error: `no scenario '${arg}' (known: ${known.join(', ')})` };
    if (!options.names.includes(arg)) options.names.push(arg);
  }
  return { ok: true, options };
}

/**
 * The scenarios' names from their files (`<name>.scenario.ts`, one scenario per
 * file, named after it), so that a misspelt name is refused without loading
 * every scenario and what it imports.
 */
export function scenarioNamesIn(folder: string): string[] {
  return readdirSync(folder)
    .map((file) => /^(.+)\.scenario\.(ts|js)$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}
