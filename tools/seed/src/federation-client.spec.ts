import { OperatorCredentialError } from '@myna/protocol';
import { FederationClient, ServiceProtocolError, ServiceUnavailableError } from './federation-client';

const URLS = {
  'code-issuer': 'http://127.0.0.1:4000',
  'tax-agency': 'http://127.0.0.1:4002',
  'pension-agency': 'http://127.0.0.1:4003',
  'health-agency': 'http://127.0.0.1:4004',
};
const POLICY = { attempts: 3, firstBackoffMs: 100, timeoutMs: 1000 };
const RETRY = { batch: POLICY, count: POLICY };
/** Tokens as the operator client would give them: one per (service, role). */
const TOKENS = async (service: string, role: string) => `token-of-${service}.${role}`;

type Answer = { status: number; body: unknown } | Error;

/** A fetch that plays the given answers in order and records each call. */
function scriptedFetch(answers: Answer[]) {
  const calls: { url: string; method: string; body?: string; authorization?: string }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, method: String(init.method), body: init.body as string | undefined, authorization: (init.headers as Record<string, string>).authorization });
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers scripted');
    if (answer instanceof Error) throw answer;
    return new Response(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body), { status: answer.status });
  }) as typeof fetch;
  return { fetchImpl, calls };
}

function refused(): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4002'), { code: 'ECONNREFUSED' }) });
}

describe('FederationClient', () => {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  beforeEach(() => waits.splice(0));

  it('posts a batch and returns the outcomes in order', async () => {
    const { fetchImpl, calls } = scriptedFetch([{ status: 200, body: { outcomes: [{ status: 'enrolled', personId: 'p1' }, { status: 'refused', reason: 'name differs' }] } }]);
    const client = new FederationClient(URLS, TOKENS, RETRY, fetchImpl, sleep);
    await expect(client.enrolPersons('tax-agency', '{"persons":[]}', 2)).resolves.toEqual([
      { status: 'enrolled', personId: 'p1' },
      { status: 'refused', reason: 'name differs' },
    ]);
    expect(calls).toEqual([{ url: 'http://127.0.0.1:4002/persons/batch', method: 'POST', body: '{"persons":[]}', authorization: 'Bearer token-of-tax-agency.agency-officer' }]);
  });

  it('calls the register as its registrar, and gives up at once without a credential', async () => {
    const { fetchImpl, calls } = scriptedFetch([{ status: 200, body: { count: 3 } }]);
    await expect(new FederationClient(URLS, TOKENS, RETRY, fetchImpl, sleep).citizenCount()).resolves.toBe(3);
    expect(calls[0].authorization).toBe('Bearer token-of-code-issuer.registrar');
    const missing = async () => {
      throw new OperatorCredentialError('no readable operator credential at /nowhere/code-issuer.registrar.json');
    };
    await expect(new FederationClient(URLS, missing, RETRY, fetchImpl, sleep).citizenCount()).rejects.toThrow(/no readable operator credential/);
    expect(waits).toEqual([]);
  });

  it('retries a refused connection and a 503 with growing backoff, then succeeds', async () => {
    const { fetchImpl, calls } = scriptedFetch([refused(), { status: 503, body: { reason: 'starting' } }, { status: 200, body: { count: 7 } }]);
    const client = new FederationClient(URLS, TOKENS, RETRY, fetchImpl, sleep);
    await expect(client.citizenCount()).resolves.toBe(7);
    expect(calls).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThan(waits[0]);
  });

  it('is patient with batches and quick with the preflight counts', async () => {
    const { fetchImpl, calls } = scriptedFetch([refused(), refused(), { status: 200, body: { count: 1 } }]);
    const client = new FederationClient(URLS, TOKENS, { batch: POLICY, count: { ...POLICY, attempts: 2 } }, fetchImpl, sleep);
    await expect(client.citizenCount()).rejects.toThrow('failed 2 times');
    expect(calls).toHaveLength(2);
  });

  it('caps the backoff', async () => {
    const { fetchImpl } = scriptedFetch(Array.from({ length: 10 }, refused));
    const client = new FederationClient(URLS, TOKENS, { batch: { attempts: 10, firstBackoffMs: 1000, timeoutMs: 1000 }, count: POLICY }, fetchImpl, sleep);
    await expect(client.registerCitizens('{}', 1)).rejects.toThrow(ServiceUnavailableError);
    expect(Math.max(...waits)).toBeLessThanOrEqual(30_000 * 1.25);
  });

  it('gives up after the last attempt, naming the service, its URL and how to start the federation', async () => {
    const { fetchImpl } = scriptedFetch([refused(), refused(), refused()]);
    const client = new FederationClient(URLS, TOKENS, RETRY, fetchImpl, sleep);
    const error = await client.personCount('tax-agency').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toBe(
      'tax-agency at http://127.0.0.1:4002: GET /persons/count failed 3 times; last: ECONNREFUSED. ' +
        'Is the federation running? Start it with `npm run demo`, or point the seed at it with --tax-agency-url.',
    );
  });

  it('reports the last 5xx with the service’s reason', async () => {
    const body = { statusCode: 502, code: 'issuer-unavailable', reason: 'code-issuer did not answer' };
    const { fetchImpl } = scriptedFetch([{ status: 502, body }, { status: 502, body }, { status: 502, body }]);
    const client = new FederationClient(URLS, TOKENS, RETRY, fetchImpl, sleep);
    await expect(client.enrolPersons('health-agency', '{}', 1)).rejects.toThrow(
      'health-agency at http://127.0.0.1:4004: POST /persons/batch failed 3 times; last: POST /persons/batch answered 502: issuer-unavailable: code-issuer did not answer. Is',
    );
  });

  it('does not retry a 4xx: the request itself is wrong', async () => {
    const { fetchImpl, calls } = scriptedFetch([{ status: 400, body: { statusCode: 400, code: 'invalid-request', reason: 'citizens.0.gender must be one of female, male, other' } }]);
    const client = new FederationClient(URLS, TOKENS, RETRY, fetchImpl, sleep);
    const error = await client.registerCitizens('{}', 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceProtocolError);
    expect((error as Error).message).toBe('code-issuer at http://127.0.0.1:4000: POST /citizens/batch answered 400: invalid-request: citizens.0.gender must be one of female, male, other');
    expect(calls).toHaveLength(1);
  });

  it('says what to do about a body too large', async () => {
    const { fetchImpl } = scriptedFetch([{ status: 413, body: { statusCode: 413, message: 'request entity too large' } }]);
    const client = new FederationClient(URLS, TOKENS, RETRY, fetchImpl, sleep);
    await expect(client.enrolPersons('pension-agency', '{}', 1)).rejects.toThrow('lower --max-request-bytes');
  });

  it('refuses answers that do not match the request', async () => {
    const { fetchImpl } = scriptedFetch([
      { status: 200, body: { registered: 1, refused: 0, results: [{ status: 'registered', myNumber: '1', residenceCode: '2' }] } },
      { status: 200, body: { outcomes: [{ status: 'maybe' }] } },
      { status: 200, body: 'not json' },
    ]);
    const client = new FederationClient(URLS, TOKENS, RETRY, fetchImpl, sleep);
    await expect(client.registerCitizens('{}', 2)).rejects.toThrow('POST /citizens/batch: expected 2 results in order, got an array of 1');
    await expect(client.enrolPersons('tax-agency', '{}', 1)).rejects.toThrow(ServiceProtocolError);
    await expect(client.citizenCount()).rejects.toThrow('GET /citizens/count answered 200 with a body that is not JSON');
  });
});
