import {
  OperatorCredentialError,
  type Agency,
  type BasicFacts,
  type OperatorRole,
  CODE_ISSUER,
  HEALTH_AGENCY,
  PENSION_AGENCY,
  TAX_AGENCY,
} from '@myna/protocol';
import type { AgencyRecords } from './agency-records';
import type { SeededService } from './seed-args';

/** What POST /citizens/batch takes per citizen (apps/code-issuer RegisterCitizenDto). */
export type CitizenToRegister = BasicFacts & { myNumber: string };

/** One citizen's result, in request order (apps/code-issuer CitizenRegistrationResultDto). */
export type CitizenRegistration =
  | { status: 'registered'; myNumber: string; residenceCode: string }
  | { status: 'refused'; reason: string; message?: string };

/** What POST /persons/batch takes per person (libs/agency enrolPersonSchema). */
export type PersonToEnrol<A extends Agency = Agency> = BasicFacts & { myNumber: string; keepContactData?: boolean; records?: AgencyRecords[A] };

/** One person's outcome, in request order (libs/agency EnrolmentOutcome). */
export type EnrolmentOutcome =
  | { status: 'enrolled'; personId: string }
  | { status: 'already-enrolled'; personId: string }
  | { status: 'refused'; reason: string };

/** A service could not be reached, or kept failing, after every retry. */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  /** What the operator can do about it. */
  readonly hint: string;

  constructor(
    readonly service: SeededService,
    readonly url: string,
    readonly detail: string,
  ) {
    const hint = `Is the federation running? Start it with \`npm run demo\`, or point the seed at it with --${service}-url.`;
    super(`${service} at ${url}: ${detail}. ${hint}`);
    this.hint = hint;
  }
}

/** A service refused a request outright (4xx) or answered something the seed does not understand: retrying cannot help. */
export class ServiceProtocolError extends Error {
  override readonly name = 'ServiceProtocolError';
  constructor(
    readonly service: SeededService,
    readonly url: string,
    detail: string,
  ) {
    super(`${service} at ${url}: ${detail}`);
  }
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before the second attempt; doubles each time (with jitter), up to MAX_BACKOFF_MS. */
  firstBackoffMs: number;
  timeoutMs: number;
}

export interface RetryPolicies {
  /** Batches: patient, so that a minute of overload does not end hours of seeding. */
  batch: RetryPolicy;
  /** The counts that double as a preflight: quick, so that "not running" is said at once. */
  count: RetryPolicy;
}

const MAX_BACKOFF_MS = 30_000;

export const DEFAULT_RETRY: RetryPolicies = {
  // Waits of about 1, 2, 4, 8, 16, 30 and 30 s: some 90 s before giving up.
  batch: { attempts: 8, firstBackoffMs: 1000, timeoutMs: 120_000 },
  count: { attempts: 3, firstBackoffMs: 500, timeoutMs: 10_000 },
};

type Fetch = typeof fetch;

/** A bearer token for an operator of a service with a role (the tools' OperatorClient.token). */
export type OperatorTokens = (service: SeededService, role: OperatorRole) => Promise<string>;

/** The register is a registrar's; enrolment is an agency officer's. */
const ROLE: Readonly<Record<SeededService, OperatorRole>> = {
  [CODE_ISSUER]: 'registrar',
  [TAX_AGENCY]: 'agency-officer',
  [PENSION_AGENCY]: 'agency-officer',
  [HEALTH_AGENCY]: 'agency-officer',
};

/**
 * The seed's only way into the federation: the services' HTTP APIs, as their
 * operators (a registrar at code-issuer, an officer at each agency). Every
 * call it makes is safe to repeat (registering a supplied My Number twice is a
 * per-citizen refusal, enrolling twice is "already-enrolled"), so a transport
 * error or a 5xx is retried with backoff.
 */
export class FederationClient {
  constructor(
    readonly urls: Readonly<Record<SeededService, string>>,
    private readonly tokens: OperatorTokens,
    private readonly retry: RetryPolicies = DEFAULT_RETRY,
    private readonly fetchImpl: Fetch = fetch,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async citizenCount(): Promise<number> {
    return this.count(CODE_ISSUER, '/citizens/count');
  }

  async personCount(agency: Agency): Promise<number> {
    return this.count(agency, '/persons/count');
  }

  /** `body` is the JSON of `{ citizens: [...] }`, already serialised (see RequestPacker). */
  async registerCitizens(body: string, expected: number): Promise<CitizenRegistration[]> {
    const answer = await this.request(CODE_ISSUER, 'POST', '/citizens/batch', this.retry.batch, body);
    const results = (answer as { results?: unknown })?.results;
    if (!Array.isArray(results) || results.length !== expected || !results.every(isRegistration)) {
      throw this.protocolError(CODE_ISSUER, `POST /citizens/batch: expected ${expected} results in order, got ${describe(results)}`);
    }
    return results;
  }

  /** `body` is the JSON of `{ persons: [...] }`, already serialised (see RequestPacker). */
  async enrolPersons(agency: Agency, body: string, expected: number): Promise<EnrolmentOutcome[]> {
    const answer = await this.request(agency, 'POST', '/persons/batch', this.retry.batch, body);
    const outcomes = (answer as { outcomes?: unknown })?.outcomes;
    if (!Array.isArray(outcomes) || outcomes.length !== expected || !outcomes.every(isOutcome)) {
      throw this.protocolError(agency, `POST /persons/batch: expected ${expected} outcomes in order, got ${describe(outcomes)}`);
    }
    return outcomes;
  }

  private async count(service: SeededService, path: string): Promise<number> {
    const answer = await this.request(service, 'GET', path, this.retry.count);
    const count = (answer as { count?: unknown })?.count;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw this.protocolError(service, `GET ${path}: expected { count }, got ${describe(answer)}`);
    return count;
  }

  private async request(service: SeededService, method: 'GET' | 'POST', path: string, policy: RetryPolicy, body?: string): Promise<unknown> {
    const url = `${this.urls[service]}${path}`;
    let lastProblem = '';
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      if (attempt > 1) await this.sleep(Math.min(policy.firstBackoffMs * 2 ** (attempt - 2), MAX_BACKOFF_MS) * (0.75 + Math.random() / 2));
      let response: Response;
      try {
        const authorization = `Bearer ${await this.tokens(service, ROLE[service])}`;
        response = await this.fetchImpl(url, {
          method,
          headers: body === undefined ? { accept: 'application/json', authorization } : { accept: 'application/json', 'content-type': 'application/json', authorization },
          body,
          signal: AbortSignal.timeout(policy.timeoutMs),
        });
      } catch (error) {
        // No credential to sign in with: retrying cannot help.
        if (error instanceof OperatorCredentialError) throw this.protocolError(service, error.message);
        lastProblem = transportProblem(error);
        continue;
      }
      const text = await response.text().catch(() => '');
      if (response.ok) {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw this.protocolError(service, `${method} ${path} answered ${response.status} with a body that is not JSON`);
        }
      }
      const problem = `${method} ${path} answered ${response.status}${errorReason(text)}`;
      // 408/429 and 5xx may pass (a restarting service, an overloaded issuer); any other 4xx is the seed's or the API's mistake.
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        lastProblem = problem;
        continue;
      }
      const hint = response.status === 413 ? ' (lower --max-request-bytes to the service\'s JSON body limit)' : '';
      throw this.protocolError(service, `${problem}${hint}`);
    }
    throw new ServiceUnavailableError(
      service,
      this.urls[service],
`${method} ${path} failed ${policy.attempts} times; last: ${lastProblem}`);
  }

  private protocolError(service: SeededService, detail: string): ServiceProtocolError {
    return new ServiceProtocolError(service, this.urls[service], detail);
  }
}

function isRegistration(value: unknown): value is CitizenRegistration {
  const result = value as Partial<Record<string, unknown>> | null;
  if (typeof result !== 'object' || result === null) return false;
  if (result.status === 'registered') return typeof result.myNumber === 'string';
  return result.status === 'refused' && typeof result.reason === 'string';
}

function isOutcome(value: unknown): value is EnrolmentOutcome {
  const outcome = value as Partial<Record<string, unknown>> | null;
  if (typeof outcome !== 'object' || outcome === null) return false;
  if (outcome.status === 'enrolled' || outcome.status === 'already-enrolled') return typeof outcome.personId === 'string';
  return outcome.status === 'refused' && typeof outcome.reason === 'string';
}

/** fetch's errors may come from another realm (Jest), so they are read by shape, not instanceof. */
function transportProblem(error: unknown): string {
  const failure = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') return 'no answer before the timeout';
  for (const candidate of [failure.cause?.code, failure.cause?.message, failure.message]) {
    if (typeof candidate === 'string' && candidate.length > 0) return candidate;
  }
  return String(error);
}

/** ": <code>: <reason>" from a service's error body, when it has one. */
function errorReason(text: string): string {
  try {
    const body = JSON.parse(text) as { code?: unknown; reason?: unknown };
    const parts = [body.code, body.reason].filter((part) => typeof part === 'string' && part.length > 0);
    return parts.length ? `: ${parts.join(': ')}` : '';
  } catch {
    return '';
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
