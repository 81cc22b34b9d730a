// Command-line flags of the demo launcher. Pure: no I/O, so it is unit-tested directly.

export interface LaunchOptions {
  /** Exit 0 as soon as every service is healthy (CI smoke test). */
  once: boolean;
  /** Wipe <root>/.data first: databases, Redis state and keys. */
  fresh: boolean;
  /** Show every child's output in the terminal too (request logs, databases, Redis), not only in .data/logs/. */
  verbose: boolean;
  /** Deadline for everything to become healthy. */
  timeoutSeconds: number;
  help: boolean;
}

export type ParsedArgs = { ok: true; options: LaunchOptions } | { ok: false; error: string };

export const DEFAULT_TIMEOUT_SECONDS = 120;

export const USAGE = `Usage: npm run demo -- [options]

Starts every service of the simulator on this machine. Each service gets an
embedded PostgreSQL (PGlite) unless <SERVICE>_DATABASE_URL is set; Redis comes
from REDIS_URL, else a local redis-server is started for the run.

Options:
  --once            exit 0 once every service answers /health, after stopping everything
  --fresh           wipe .data/ first (databases, Redis state, keys)
  --timeout <s>     seconds allowed to reach all-healthy (default ${DEFAULT_TIMEOUT_SECONDS})
  --verbose         show every child's output here too: the services' request logs,
                    the databases' and Redis's (always in .data/logs/<name>.log)
  -h, --help        show this help

Environment:
  <SERVICE>_PORT            e.g. TAX_AGENCY_PORT=5002
  <SERVICE>_DATABASE_URL    e.g. TAX_AGENCY_DATABASE_URL=postgres://…  (else embedded)
  REDIS_URL                 e.g. redis://127.0.0.1:6379  (else a local redis-server)`;

const BOOLEAN_FLAGS = {
  '--once': 'once',
  '--fresh': 'fresh',
  '--verbose': 'verbose',
  '--help': 'help',
  '-h': 'help',
} as const satisfies Record<string, keyof LaunchOptions>;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const options: LaunchOptions = {
    once: false,
    fresh: false,
    verbose: false,
    timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    help: false,
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (Object.hasOwn(BOOLEAN_FLAGS, arg)) {
      options[BOOLEAN_FLAGS[arg as keyof typeof BOOLEAN_FLAGS]] = true;
      continue;
    }
    if (arg === '--timeout' || arg.startsWith('--timeout=')) {
      const value = arg === '--timeout' ? argv[++i] : arg.slice('--timeout='.length);
      const seconds = parseTimeout(value);
      if (seconds === undefined) {
        return { ok: false, error: `--timeout needs a positive number of seconds, got ${value === undefined ? 'nothing' : `'${value}'`}` };
      }
      options.timeoutSeconds = seconds;
      continue;
    }
    const hint = arg.startsWith('-') ? 'unknown option' : 'unexpected argument';
    return { ok: false, error: `${hint} '${arg}' (known: --once, --fresh, --timeout <s>, --verbose, --help)` };
  }
  return { ok: true, options };
}

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  const seconds = Number(value);
  return seconds > 0 ? seconds : undefined;
}
