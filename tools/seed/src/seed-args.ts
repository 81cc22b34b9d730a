import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  AGENCIES,
  BULK_BODY_LIMITS,
  CODE_ISSUANCE_MAX_BATCH,
  CODE_ISSUER,
  HEALTH_AGENCY,
  PENSION_AGENCY,
  TAX_AGENCY,
  defaultUrl,
  demoLayout,
  readEndpoints,
  urlVariable,
  type Agency,
  type FederationFile,
} from '@myna/protocol';

/** The services the seed talks to, over HTTP only. */
export type SeededService = typeof CODE_ISSUER | Agency;
export const SEEDED_SERVICES: readonly SeededService[] = [CODE_ISSUER, ...AGENCIES];

export const MAX_CITIZENS = 10_000_000;
/** Both the issuer's batch register and the agencies' batch enrolment take at most this many. */
export const MAX_BATCH_SIZE = CODE_ISSUANCE_MAX_BATCH;
export const MAX_CONCURRENCY = 64;
/**
 * Each enrolment request makes the agency ask the issuer for that many codes. On
 * libsodium the issuer computes several thousand a second, so a whole batch per
 * request (1,000 × 3 agencies × 4 batches in flight: a few seconds' work) stays
 * far inside the agencies' 60 s issuance timeout, and fewer, larger requests cost
 * less CPU per citizen than requests of 250 (measured: about 9 % less).
 */
export const DEFAULT_AGENCY_BATCH_SIZE = MAX_BATCH_SIZE;
/** Just under the agencies' batch enrolment limit (the smallest bulk limit the seed's bodies come near). */
export const DEFAULT_MAX_REQUEST_BYTES = BULK_BODY_LIMITS.personsBatch - 4096;

/** Where the demo's key ceremony leaves the operators' credentials. */
export const DEFAULT_CREDENTIALS_DIR = demoLayout('.').operatorCredentialsDir;
export const CREDENTIALS_VARIABLE = 'OPERATOR_CREDENTIALS_DIR';

/** The variable that names a service's URL (the services themselves use it for peers). */
export { urlVariable };

export const USAGE = `Usage: npm run seed -- --citizens N [options]

Registers N synthetic citizens at code-issuer and enrols them at the agencies
that would know them (health: almost everyone; pension: 20 and over; tax:
earners and pensioners above the deduction), over the services' HTTP APIs.
The population is fictional and deterministic: the same seed gives the same
people, so re-running is safe (already registered and enrolled people are
recognised and skipped) and a larger N extends the same population.

Options:
  --citizens N            how many citizens (1 to ${MAX_CITIZENS.toLocaleString('en-US')}); required
  --seed S                population seed (default: demo)
  --contact-data          agencies keep name, address and date of birth as contact
                          data, as real agencies do (default: they keep only their
                          own code and records: data minimization)
  --resume                skip the citizens an interrupted run certainly finished,
                          judged from the register's count (assumes the register
                          holds only this seed's population)
  --batch-size N          citizens per batch (1 to ${MAX_BATCH_SIZE}, default ${MAX_BATCH_SIZE})
  --concurrency N         batches in flight at once (1 to ${MAX_CONCURRENCY}, default 4)
  --agency-batch-size N   people per enrolment request (1 to ${MAX_BATCH_SIZE}, default ${DEFAULT_AGENCY_BATCH_SIZE}):
                          each costs the issuer one code per person
  --max-request-bytes N   split requests above this size (default ${DEFAULT_MAX_REQUEST_BYTES.toLocaleString('en-US')},
                          just under the services' 8 MB JSON body limit)
  --code-issuer-url URL   else ${urlVariable(CODE_ISSUER)}, else the running demo's, else ${defaultUrl(CODE_ISSUER)}
  --tax-agency-url URL    else ${urlVariable(TAX_AGENCY)}, else the running demo's, else ${defaultUrl(TAX_AGENCY)}
  --pension-agency-url URL else ${urlVariable(PENSION_AGENCY)}, else the running demo's, else ${defaultUrl(PENSION_AGENCY)}
  --health-agency-url URL else ${urlVariable(HEALTH_AGENCY)}, else the running demo's, else ${defaultUrl(HEALTH_AGENCY)}
                          (<SERVICE>_PORT gives http://127.0.0.1:<port>; the running
                          demo is the one .data/federation.json names)
  --credentials DIR       the operators' credentials (the registrar's and each agency
                          officer's); default ${DEFAULT_CREDENTIALS_DIR}, or ${CREDENTIALS_VARIABLE}
  -h, --help              show this help

Start the services first: npm run demo`;

export interface SeedOptions {
  citizens: number;
  seed: string;
  contactData: boolean;
  resume: boolean;
  batchSize: number;
  agencyBatchSize: number;
  concurrency: number;
  maxRequestBytes: number;
  urls: Record<SeededService, string>;
  /** The operators' credentials folder (the key ceremony's `<keys>/operators`). */
  credentialsDir: string;
}

export type SeedCommand = { help: true } | { help: false; options: SeedOptions };

/** A bad command line; the message names the flag and what it needs. */
export class SeedArgsError extends Error {
  override readonly name = 'SeedArgsError';
}

/** The flags, as node:util's parseArgs takes them. */
const SEED_FLAGS = {
  citizens: { type: 'string' },
  seed: { type: 'string', default: 'demo' },
  'contact-data': { type: 'boolean', default: false },
  resume: { type: 'boolean', default: false },
  'batch-size': { type: 'string' },
  'agency-batch-size': { type: 'string' },
  concurrency: { type: 'string' },
  'max-request-bytes': { type: 'string' },
  'code-issuer-url': { type: 'string' },
  'tax-agency-url': { type: 'string' },
  'pension-agency-url': { type: 'string' },
  'health-agency-url': { type: 'string' },
  credentials: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** What each flag that takes a value needs, for the message when it has none. */
const VALUE_NEEDED: Readonly<Record<string, string>> = {
  citizens: `how many citizens, a whole number from 1 to ${MAX_CITIZENS.toLocaleString('en-US')}`,
  seed: 'the population seed, any text',
  'batch-size': `a whole number from 1 to ${MAX_BATCH_SIZE.toLocaleString('en-US')}`,
  'agency-batch-size': `a whole number from 1 to ${MAX_BATCH_SIZE.toLocaleString('en-US')}`,
  concurrency: `a whole number from 1 to ${MAX_CONCURRENCY}`,
  'max-request-bytes': 'a number of bytes',
  credentials: 'a folder',
};

function isFlag(arg: string): boolean {
  if (arg === '-h') return true;
  return arg.startsWith('--') && Object.hasOwn(SEED_FLAGS, arg.slice(2).split('=')[0]);
}

/**
 * Gives each flag that takes a value the argument after it, whatever it looks
 * like (`--citizens -5` becomes `--citizens=-5`), so that an odd number gets the
 * range error rather than node:util's "argument is ambiguous"; a flag followed
 * by another flag, or by nothing, is told what it needs.
 */
function attachValues(argv: readonly string[]): string[] {
  const attached: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (arg === '--') {
      attached.push(...argv.slice(index));
      break;
    }
    if (name === undefined || !Object.hasOwn(SEED_FLAGS, name) || SEED_FLAGS[name as keyof typeof SEED_FLAGS].type !== 'string') {
      attached.push(arg);
      continue;
    }
    const value = argv[index + 1];
    if (value === undefined || isFlag(value)) throw new SeedArgsError(`${arg} needs a value: ${VALUE_NEEDED[name] ?? 'a URL'}`);
    attached.push(`${arg}=${value}`);
    index++;
  }
  return attached;
}

/** `federation`: the running demo (libs/protocol runningDemo), whose URLs come after the flags and the environment. */
export function parseSeedArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}, federation?: FederationFile): SeedCommand {
  let values;
  try {
    ({ values } = parseArgs({ args: attachValues(argv), strict: true, allowPositionals: false, options: SEED_FLAGS }));
  } catch (error) {
    if (error instanceof SeedArgsError) throw error;
    // node:util's messages are clear ("Unknown option '--citzens'"); keep them, without the error code.
    throw new SeedArgsError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };

  if (values.citizens === undefined) throw new SeedArgsError('--citizens N is required');
  const seed = values.seed ?? 'demo';
  if (seed.trim().length === 0) throw new SeedArgsError('--seed must not be empty');

  const { endpoints, problems } = readEndpoints(env, federation);
  const urls = {} as Record<SeededService, string>;
  for (const service of SEEDED_SERVICES) {
    const flag = `${service}-url` as const;
    const given = values[flag];
    urls[service] = given !== undefined ? parseServiceUrl(given, `--${flag}`) : endpoints[service].url;
  }
  if (problems.length > 0) throw new SeedArgsError(problems.join('; '));

  return {
    help: false,
    options: {
      citizens: parseWholeNumber('--citizens', values.citizens, 1, MAX_CITIZENS),
      seed,
      contactData: values['contact-data'] ?? false,
      resume: values.resume ?? false,
      batchSize: parseWholeNumber('--batch-size', values['batch-size'] ?? String(MAX_BATCH_SIZE), 1, MAX_BATCH_SIZE),
      agencyBatchSize: parseWholeNumber('--agency-batch-size', values['agency-batch-size'] ?? String(DEFAULT_AGENCY_BATCH_SIZE), 1, MAX_BATCH_SIZE),
      concurrency: parseWholeNumber('--concurrency', values.concurrency ?? '4', 1, MAX_CONCURRENCY),
      // Large enough for any single person's enrolment (a few kB).
      maxRequestBytes: parseWholeNumber('--max-request-bytes', values['max-request-bytes'] ?? String(DEFAULT_MAX_REQUEST_BYTES), 10_000, 1_000_000_000),
      urls,
      credentialsDir: path.resolve(values.credentials ?? env[CREDENTIALS_VARIABLE] ?? DEFAULT_CREDENTIALS_DIR),
    },
  };
}

function parseWholeNumber(flag: string, text: string, min: number, max: number): number {
  // Digits only, optionally grouped with _ or , (10_000, 10,000).
  const value = /^\d{1,3}([_,]?\d{3})*$|^\d+$/.test(text) ? Number(text.replace(/[_,]/g, '')) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new SeedArgsError(`${flag} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got '${text}'`);
  }
  return value;
}

function parseServiceUrl(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SeedArgsError(`${source} must be an http(s) URL such as ${defaultUrl(CODE_ISSUER)}, got '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SeedArgsError(`${source} must be an http(s) URL, got '${text}'`);
  if (url.search || url.hash) throw new SeedArgsError(`${source} must be a base URL without query or fragment, got '${text}'`);
  return url.href.replace(/\/+$/, '');
}
