import {
  loadOperatorCredential,
  operatorClientId,
  OPERATOR_TOKEN_PATH,
  type OperatorCredential,
  type OperatorRole,
  type Service,
  CODE_ISSUER,
  EXCHANGE_HUB,
} from '@myna/protocol';

/** A fresh token is fetched this long before the old one lapses. */
const REFRESH_MARGIN_MS = 30_000;

export interface OperatorAnswer<Body = Record<string, unknown>> {
  status: number;
  body: Body;
  text: string;
  headers: Headers;
}

/** Where the operators' credentials are, and where each service answers. */
export interface OperatorClientOptions {
  /** The operators' credentials folder (the key ceremony's `<keys>/operators`). */
  credentialsDir: string;
  /** Each service's base URL. */
  urls: Readonly<Partial<Record<Service, string>>>;
  /** Per request (default 60 s). */
  timeoutMs?: number;
}

/**
 * An operator at the federation's services, as the tools (seed, bench,
 * scenarios, the demo) act: it holds the operators' credentials, asks each
 * service's token endpoint for a short-lived access token (OAuth 2.0 client
 * credentials) when it needs one, and sends it as a bearer token. Tokens are
 * kept in memory only and never printed.
 */
export class OperatorClient {
  private readonly tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();
  private readonly credentials = new Map<string, Promise<OperatorCredential>>();

  constructor(private readonly options: OperatorClientOptions) {}

  /** A request to `service` as its operator holding `role`. */
  as(service: Service, role: OperatorRole): OperatorAt {
    return new OperatorAt(this, service, role);
  }

  url(service: Service): string {
    const url = this.options.urls[service];
    if (!url) throw new Error(`no URL for ${service}`);
    return url.replace(/\/$/, '');
  }

  /** The bearer token for (service, role), fetched or refreshed when due. */
  async token(service: Service, role: OperatorRole): Promise<string> {
    const clientId = operatorClientId(service, role);
    const cached = this.tokens.get(clientId);
    if (cached) {
      const held = await cached.catch(() => undefined);
      if (held && held.expiresAt - REFRESH_MARGIN_MS > Date.now()) return held.token;
    }
    const fresh = this.fetchToken(service, clientId);
    this.tokens.set(clientId, fresh);
    fresh.catch(() => this.tokens.delete(clientId));
    return (await fresh).token;
  }

  /** Forgets a token the service refused (it may have restarted with rotated credentials). */
  forget(service: Service, role: OperatorRole): void {
    this.tokens.delete(operatorClientId(service, role));
  }

  async request<Body = Record<string, unknown>>(
    service: Service,
    role: OperatorRole | undefined,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<OperatorAnswer<Body>> {
    const send = async () => {
      const headers: Record<string, string> = {};
      if (role) headers.authorization = `Bearer ${await this.token(service, role)}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${this.url(service)}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
      const text = await response.text();
      return { status: response.status, body: parseJson(text) as Body, text, headers: response.headers };
    };
    const answer = await send();
    if (answer.status !== 401 || !role) return answer;
    // An expired or revoked token: one fresh try.
    this.forget(service, role);
    return send();
  }

  private async fetchToken(service: Service, clientId: string): Promise<{ token: string; expiresAt: number }> {
    const credential = await this.credential(clientId);
    const response = await fetch(`${this.url(service)}${OPERATOR_TOKEN_PATH}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(credential.clientId)}:${encodeURIComponent(credential.clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
    });
    const answer = parseJson(await response.text()) as { access_token?: unknown; expires_in?: unknown; reason?: unknown };
    if (response.status !== 200 || typeof answer.access_token !== 'string') {
      throw new Error(`${service} refused ${clientId}'s credentials (${response.status}): ${String(answer.reason ?? 'no reason given')}`);
    }
    return { token: answer.access_token, expiresAt: Date.now() + Number(answer.expires_in ?? 60) * 1000 };
  }

  private credential(clientId: string): Promise<OperatorCredential> {
    let held = this.credentials.get(clientId);
    if (!held) {
      held = loadOperatorCredential(this.options.credentialsDir, clientId);
      this.credentials.set(clientId, held);
      held.catch(() => this.credentials.delete(clientId));
    }
    return held;
  }
}

/** One operator's view of one service. */
export class OperatorAt {
  constructor(
    private readonly client: OperatorClient,
    readonly service: Service,
    readonly role: OperatorRole,
  ) {}

  request<Body = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<OperatorAnswer<Body>> {
    return this.client.request<Body>(this.service, this.role, method, path, body);
  }

  /** The request, which must answer one of `accept`; otherwise an error naming the service's code and reason. */
  async expect<Body = Record<string, unknown>>(method: string, path: string, body: unknown, accept: readonly number[]): Promise<OperatorAnswer<Body>> {
    const answer = await this.request<Body>(method, path, body);
    if (!accept.includes(answer.status)) {
      const { code, reason } = answer.body as { code?: unknown; reason?: unknown };
      throw new Error(`${method} ${this.service} ${path} answered ${answer.status}${code ? ` ${String(code)}` : ''}: ${String(reason ?? answer.text.slice(0, 200))}`);
    }
    return answer;
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

/**
 * The operator whose role a route of the federation is, for tools that call
 * routes by URL (the bench, the federation tests): the register and the card
 * counter are a registrar's; an agency's persons are its records clerk's, its
 * enrolment and inquiries its officer's; the hub's log its auditor's; dead
 * letters everywhere their admin's.
 */
export function operatorRoleFor(service: Service, method: string, path: string): OperatorRole {
  if (path.startsWith('/operator/')) return 'dead-letter-admin';
  if (service === CODE_ISSUER) return 'registrar';
  if (service === EXCHANGE_HUB) return 'hub-auditor';
  if (method === 'GET' && /^\/persons\/[0-9a-f-]{36}$/.test(path)) return 'records-clerk';
  return 'agency-officer';
}

/** The service whose base URL serves `url`, among `urls`. */
export function serviceAt(urls: Readonly<Partial<Record<Service, string>>>, url: string): Service | undefined {
  const origin = new URL(url).origin;
  return (Object.entries(urls) as [Service, string][]).find(([, base]) => new URL(base).origin === origin)?.[0];
}
