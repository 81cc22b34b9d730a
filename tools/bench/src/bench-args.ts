// Command-line flags of the exchange benchmark. Pure: no I/O, so it is unit-tested directly.
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  AGENCIES,
  CODE_ISSUER,
  LegalTable,
  SERVICES,
  defaultUrl,
  demoLayout,
  isAgency,
  readEndpoints,
  urlVariable,
  type Agency,
  type FederationFile,
  type Service,
} from '@myna/protocol';

/** Where each service is when neither a flag, the environment nor a running demo says: the roster's default ports. */
export const DEFAULT_URLS: Readonly<Record<Service, string>> = Object.fromEntries(SERVICES.map((service) => [service, defaultUrl(service)])) as Record<Service, string>;

export const DEFAULT_RULE = 'R-PEN-TAX-INCOME';
export const MAX_EXCHANGES = 10_000_000;
export const MAX_CONCURRENCY = 2_000;
export const MAX_PEOPLE = 100_000;
/** The concurrency levels of a sweep, unless --sweep names others. */
export const DEFAULT_SWEEP = [1, 10, 50, 100] as const;
/** A sweep level runs at most this many exchanges per slot, so that the slow low-concurrency levels stay short. */
export const SWEEP_EXCHANGES_PER_SLOT = 50;
/** Where a sweep writes its chart and figures, unless --out says otherwise. */
export const DEFAULT_SWEEP_OUT = 'reports/bench';

/** The variable that names a service's URL (the services themselves use it for peers). */
export { urlVariable };

export const USAGE = `Usage: npm run bench:exchange -- [options]

Drives exchanges through a running federation (start it with \`npm run demo\`) and
prints throughput and latency percentiles, then what the cryptographic steps of
one exchange cost in this process and the throughput ceiling that implies here.

Load:
  --n N                 exchanges to measure (default 10,000), after the warm-up
  --concurrency C       inquiries in flight at once (default 50); with --rate, the most in flight
  --rate R              open loop: start R inquiries per second whatever is in flight (real
                        traffic; default: a closed loop of C slots). With the hub's mix on,
                        give --deadline room for its rounds (--deadline 300)
  --warmup N            exchanges run first and left out of every figure, as many as start
                        within 30 s (default 3,000: V8 compiles the services' code for
                        the first few thousand)
  --people N            synthetic citizens to register and enrol for the run (default 200)
  --deadline S          seconds an exchange may take before it counts as timed out (default 60)
  --poll-ms MS          least interval between reads of the requester's
                        GET /exchange-records, which show the inquiries that settled
                        (default 100; slower exchanges are polled less often)

Exchange (defaults come from the legal table's rule):
  --rule ID             legal rule (default ${DEFAULT_RULE})
  --requester AGENCY    asking agency (default: the rule's requester)
  --provider AGENCY     answering agency (default: the rule's provider)
  --item ITEM           item asked for (default: the rule's item)

Sweep (\`npm run bench\` runs one with the defaults):
  --sweep [C1,C2,…]     the crypto-only ceiling, then an end-to-end drive at each
                        concurrency (default 1,10,50,100), in one run: throughput,
                        p99, CPU ms per exchange of each process, and the ratio to
                        the ceiling. Each level runs --n exchanges (default 1,000 here),
                        at most ${SWEEP_EXCHANGES_PER_SLOT} per slot (concurrency 1: ${SWEEP_EXCHANGES_PER_SLOT}); the warm-up runs once,
                        at the highest level
  --out PATH            where the sweep writes PATH.svg (the chart) and PATH.json
                        (default ${DEFAULT_SWEEP_OUT}); with no federation running, it
                        prints the crypto-only ceiling and says how to start one

Crypto:
  --crypto-iterations N exchanges' worth of cryptographic steps to time (default 500)
  --crypto-only         time the cryptographic steps only; no federation needed
  The ristretto255 backend of the timed steps is MYNA_GROUP_BACKEND's (sodium, the
  default, or noble, the reference), as in each service.

Output:
  --label TEXT          what runs the federation, printed with the figures
                        (e.g. "embedded PGlite" or "PostgreSQL 15 on 127.0.0.1")
  --json                print one JSON document instead of tables
  -h, --help            show this help

Operators (the bench enrols and inquires as the agencies' officers and registers as code-issuer's registrar):
  --credentials DIR     their credentials; default ${demoLayout('.').operatorCredentialsDir}, or OPERATOR_CREDENTIALS_DIR

Services (flag, else <SERVICE>_URL, else <SERVICE>_PORT, else the running demo's, else the default):
${SERVICES.map((service) => `  --${service}-url URL`.padEnd(26) + `${urlVariable(service)}, default ${DEFAULT_URLS[service]}`).join('\n')}
  (<SERVICE>_PORT gives http://127.0.0.1:<port>; the running demo is the one .data/federation.json names)`;

export interface BenchOptions {
  n: number;
  concurrency: number;
  warmup: number;
  people: number;
  deadlineMs: number;
  pollMs: number;
  /** Open loop at this rate; undefined: closed loop. */
  ratePerSecond: number | undefined;
  rule: string;
  requester: Agency;
  provider: Agency;
  item: string;
  /** Sent with every inquiry: the latest fiscal year for income, nothing otherwise. */
  parameters: Record<string, string | number | boolean>;
  cryptoIterations: number;
  cryptoOnly: boolean;
  /** Concurrency levels to sweep, ascending; undefined: one drive at `concurrency`. */
  sweep: number[] | undefined;
  /** Sweep output, without extension (.svg and .json are written). */
  out: string;
  label: string | undefined;
  json: boolean;
  urls: Record<Service, string>;
  /** The operators' credentials folder (the key ceremony's `<keys>/operators`). */
  credentialsDir: string;
}

export type BenchCommand = { help: true } | { help: false; options: BenchOptions };

/** A bad command line; the message names the flag and what it needs. */
export class BenchArgsError extends Error {
  override readonly name = 'BenchArgsError';
}

/** The fiscal year asked about, and the year the synthetic incomes are recorded for. */
export const BENCH_FISCAL_YEAR = 2025;

const urlFlags = Object.fromEntries(SERVICES.map((service) => [`${service}-url`, { type: 'string' as const }]));

export function parseBenchArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  legalTable: LegalTable = LegalTable.load(),
  /** The running demo (libs/protocol runningDemo): its URLs come after the flags and the environment. */
  federation?: FederationFile,
): BenchCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      // A bare --sweep (last, or before another flag) sweeps the default levels.
      args: argv.flatMap((arg, index) => (arg === '--sweep' && (index === argv.length - 1 || argv[index + 1].startsWith('-')) ? [arg, 'default'] : [arg])),
      strict: true,
      allowPositionals: false,
      options: {
        n: { type: 'string' },
        concurrency: { type: 'string' },
        warmup: { type: 'string' },
        people: { type: 'string' },
        deadline: { type: 'string' },
        'poll-ms': { type: 'string' },
        rate: { type: 'string' },
        rule: { type: 'string' },
        requester: { type: 'string' },
        provider: { type: 'string' },
        item: { type: 'string' },
        'crypto-iterations': { type: 'string' },
        'crypto-only': { type: 'boolean', default: false },
        sweep: { type: 'string' },
        out: { type: 'string' },
        label: { type: 'string' },
        json: { type: 'boolean', default: false },
        credentials: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        ...urlFlags,
      },
    }));
  } catch (error) {
    // node:util's messages are clear ("Unknown option '--concurency'"); keep them, without the error code.
    throw new BenchArgsError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };
  const text = (flag: string) => values[flag] as string | undefined;

  const ruleId = text('rule') ?? DEFAULT_RULE;
  const rule = legalTable.rules.find((candidate) => candidate.id === ruleId);
  if (!rule) {
    throw new BenchArgsError(`--rule: the legal table has no rule '${ruleId}' (known: ${legalTable.rules.map((known) => known.id).join(', ')})`);
  }
  const requester = parseAgency('--requester', text('requester') ?? rule.requester);
  const provider = parseAgency('--provider', text('provider') ?? rule.provider);
  const item = text('item') ?? rule.item;
  if (!legalTable.permits(requester, provider, item, ruleId)) {
    throw new BenchArgsError(
      `${ruleId} does not let ${requester} ask ${provider} for ${item} (it lets ${rule.requester} ask ${rule.provider} for ${rule.item}); every exchange would be denied`,
    );
  }

  const { endpoints, problems } = readEndpoints(env, federation);
  const urls = {} as Record<Service, string>;
  for (const service of SERVICES) {
    const flag = `${service}-url`;
    const given = text(flag);
    urls[service] = given !== undefined ? parseServiceUrl(given, `--${flag}`) : endpoints[service].url;
  }
  if (problems.length > 0) throw new BenchArgsError(problems.join('; '));

  const sweep = text('sweep') === undefined ? undefined : parseSweep(text('sweep')!);
  if (sweep && (values['crypto-only'] === true || text('rate') !== undefined)) throw new BenchArgsError('--sweep drives closed loops at each concurrency: leave out --crypto-only and --rate');
  const n = parseWholeNumber('--n', text('n') ?? (sweep ? '1000' : '10000'), 1, MAX_EXCHANGES);
  const label = text('label');
  if (label !== undefined && label.trim().length === 0) throw new BenchArgsError('--label must not be empty');

  return {
    help: false,
    options: {
      n,
      concurrency: parseWholeNumber('--concurrency', text('concurrency') ?? '50', 1, MAX_CONCURRENCY),
      warmup: parseWholeNumber('--warmup', text('warmup') ?? '3000', 0, MAX_EXCHANGES),
      people: parseWholeNumber('--people', text('people') ?? '200', 1, MAX_PEOPLE),
      deadlineMs: parseWholeNumber('--deadline', text('deadline') ?? '60', 1, 3600) * 1000,
      pollMs: parseWholeNumber('--poll-ms', text('poll-ms') ?? '100', 5, 10_000),
      ratePerSecond: text('rate') === undefined ? undefined : parseRate(text('rate')!),
      rule: ruleId,
      requester,
      provider,
      item,
      parameters: item === 'annual-income' ? { fiscalYear: BENCH_FISCAL_YEAR } : {},
      cryptoIterations: parseWholeNumber('--crypto-iterations', text('crypto-iterations') ?? '500', 1, 1_000_000),
      cryptoOnly: values['crypto-only'] === true,
      sweep,
      out: path.resolve(text('out') ?? DEFAULT_SWEEP_OUT),
      label: label?.trim(),
      json: values.json === true,
      urls,
      credentialsDir: path.resolve(text('credentials') ?? env.OPERATOR_CREDENTIALS_DIR ?? demoLayout('.').operatorCredentialsDir),
    },
  };
}

/** "1,10,50,100": distinct whole numbers from 1 to MAX_CONCURRENCY, sorted; "" or "default": the default levels. */
export function parseSweep(text: string): number[] {
  if (text.trim() === '' || text.trim() === 'default') return [...DEFAULT_SWEEP];
  const levels = text.split(',').map((part) => parseWholeNumber('--sweep', part.trim(), 1, MAX_CONCURRENCY));
  return [...new Set(levels)].sort((a, b) => a - b);
}

function parseAgency(flag: string, value: string): Agency {
  if (!isAgency(value)) throw new BenchArgsError(`${flag} must be one of ${AGENCIES.join(', ')}, got '${value}'`);
  return value;
}

/** Exchanges per second: a positive decimal up to 10,000. */
function parseRate(text: string): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(value > 0 && value <= 10_000)) throw new BenchArgsError(`--rate must be a number of exchanges per second above 0 and at most 10,000, got '${text}'`);
  return value;
}

/** Digits, optionally grouped with _ or , (10_000, 10,000). */
export function parseWholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = /^\d{1,3}([_,]\d{3})*$|^\d+$/.test(text) ? Number(text.replace(/[_,]/g, '')) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new BenchArgsError(`${flag} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got '${text}'`);
  }
  return value;
}

function parseServiceUrl(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BenchArgsError(`${source} must be an http URL such as ${defaultUrl(CODE_ISSUER)}, got '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BenchArgsError(`${source} must be an http(s) URL, got '${text}'`);
  if (url.search || url.hash) throw new BenchArgsError(`${source} must be a base URL without query or fragment, got '${text}'`);
  return url.href.replace(/\/+$/, '');
}
