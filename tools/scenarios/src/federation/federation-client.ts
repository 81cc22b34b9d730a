import { OperatorClient } from '@myna/operator-client';
import type { Agency, BasicFacts, CodeHolder, OperatorRole, Service } from '@myna/protocol';
import { pollUntil } from '../runner/poll';
import { CODE_ISSUER, EXCHANGE_HUB } from '@myna/protocol';

export interface HttpAnswer<Body = Record<string, unknown>> {
  status: number;
  body: Body;
  headers: Headers;
  /** The raw text (HTML pages are not JSON). */
  text: string;
}

export class UnexpectedAnswerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'UnexpectedAnswerError';
  }
}

export interface RegisteredCitizen extends BasicFacts {
  myNumber: string;
  residenceCode: string;
}

export interface InquiryView {
  id: string;
  personId: string;
  provider: string;
  rule: string;
  item: string;
  status: 'pending' | 'answered' | 'no-record' | 'denied' | 'failed';
  reason: string | null;
  result: Record<string, unknown> | null;
}

export interface InquiryRequest {
  provider: CodeHolder;
  rule: string;
  item: string;
  parameters?: Record<string, string | number | boolean>;
}

const REQUEST_TIMEOUT_MS = 30_000;

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  accept?: readonly number[];
  form?: boolean;
  /** Sent by the service's operator with this role (a bearer token from its token endpoint); without it, by anyone. */
  as?: OperatorRole;
}

/**
 * The federation's HTTP APIs, as its operators, a citizen's browser or an
 * outsider use them. Nothing here reaches a database. The operators'
 * credentials are the key ceremony's (`<keys>/operators`), and are used only
 * where a request says `as`.
 */
export class FederationClient {
  readonly operators: OperatorClient;

  constructor(
    readonly urls: Readonly<Record<Service, string>>,
    credentialsDir: string,
  ) {
    this.operators = new OperatorClient({ credentialsDir, urls });
  }

  async request<Body = Record<string, unknown>>(service: Service, method: 'GET' | 'POST', path: string, options: RequestOptions = {}): Promise<HttpAnswer<Body>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.as) headers.authorization = `Bearer ${await this.operators.token(service, options.as)}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = options.form ? 'application/x-www-form-urlencoded' : 'application/json';
      body = options.form ? new URLSearchParams(options.body as Record<string, string>).toString() : JSON.stringify(options.body);
    }
    const url = `${this.urls[service]}${path}`;
    const response = await fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    let json: unknown = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = {};
    }
    if (options.accept && !options.accept.includes(response.status)) {
      const { code, reason } = json as { code?: unknown; reason?: unknown };
      throw new UnexpectedAnswerError(response.status, `${method} ${service} ${path} answered ${response.status}${code ? ` ${String(code)}` : ''}: ${String(reason ?? text.slice(0, 200))}`);
    }
    return { status: response.status, body: json as Body, headers: response.headers, text };
  }

  async healthy(service: Service): Promise<boolean> {
    try {
      return (await fetch(`${this.urls[service]}/health`, { signal: AbortSignal.timeout(3000) })).status === 200;
    } catch {
      return false;
    }
  }

  /** Registers a citizen at code-issuer; the issuer draws the My Number and the residence code. */
  async registerCitizen(facts: BasicFacts): Promise<RegisteredCitizen> {
    const { body } = await this.request<{ myNumber: string; residenceCode: string }>(CODE_ISSUER, 'POST', '/citizens', { body: facts, accept: [201], as: 'registrar' });
    return { ...facts, myNumber: body.myNumber, residenceCode: body.residenceCode };
  }

  /** Enrols a person at an agency as a form would: the My Number once, then only the agency's own code is kept. Returns the agency's person id. */
  async enrol(
    agency: Agency,
    citizen: RegisteredCitizen,
    options: { records?: Record<string, unknown>; keepContactData?: boolean } = {},
  ): Promise<string> {
    const { name, address, dateOfBirth, gender, myNumber } = citizen;
    const { body } = await this.request<{ status: string; personId: string }>(agency, 'POST', '/persons', {
      body: { name, address, dateOfBirth, gender, myNumber, ...options },
      accept: [200, 201],
      as: 'agency-officer',
    });
    return body.personId;
  }

  async startInquiry(requester: Agency, personId: string, request: InquiryRequest): Promise<string> {
    const { body } = await this.request<{ inquiryId: string }>(requester, 'POST', '/inquiries', { body: { personId, ...request }, accept: [202], as: 'agency-officer' });
    return body.inquiryId;
  }

  async inquiry(requester: Agency, inquiryId: string): Promise<InquiryView> {
    return (await this.request<InquiryView>(requester, 'GET', `/inquiries/${inquiryId}`, { accept: [200], as: 'agency-officer' })).body;
  }

  /** Asks through the requester's API and waits until the inquiry is settled (answered, no-record, denied or failed). */
  async inquire(requester: Agency, personId: string, request: InquiryRequest): Promise<InquiryView> {
    const inquiryId = await this.startInquiry(requester, personId, request);
    return this.settled(requester, inquiryId);
  }

  settled(requester: Agency, inquiryId: string): Promise<InquiryView> {
    return pollUntil(
      async () => {
        const inquiry = await this.inquiry(requester, inquiryId);
        return inquiry.status === 'pending' ? undefined : inquiry;
      },
      // The hub's mix may hold the delivery and the result for a round each.
      { timeoutMs: 180_000, intervalMs: 200, what: `inquiry ${inquiryId} at ${requester} to be settled` },
    );
  }

  /** The hub's refusals, newest first (GET /rejections): never the tokens themselves. */
  async hubRejections(limit = 500): Promise<HubRejection[]> {
    return (await this.request<{ rejections: HubRejection[] }>(EXCHANGE_HUB, 'GET', `/rejections?limit=${limit}`, { accept: [200], as: 'hub-auditor' })).body.rejections;
  }

  async deadLetters(service: Service): Promise<DeadLetterView[]> {
    return (await this.request<{ deadLetters: DeadLetterView[] }>(service, 'GET', '/operator/dead-letters', { accept: [200], as: 'dead-letter-admin' })).body.deadLetters;
  }
}

export interface HubRejection {
  id: string;
  jobId: string;
  jobName: string;
  reason: string;
  detail: string;
  sender: string | null;
  messageId: string | null;
  receivedAt: string;
}

export interface DeadLetterView {
  id: string;
  queue: string;
  jobName: string;
  code: string;
  reason: string;
  replays: number;
}
