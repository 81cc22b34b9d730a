// A small JSON-over-HTTP client on node:http with keep-alive: cheaper per request
// than fetch, so the load generator takes as little of the machine as it can.
import http from 'node:http';
import https from 'node:https';

export interface JsonResponse {
  status: number;
  body: unknown;
}

/** The service could not be reached at all (refused, reset, timed out): not an HTTP status. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly url: string,
    readonly code: string,
    /** Reset on a reused keep-alive socket before any answer: the server closed it while idle. */
    readonly staleSocket = false,
  ) {
    super(`${url}: ${code}`);
  }
}

export class JsonHttpClient {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly freshHttpAgent = new http.Agent({ keepAlive: false });
  private readonly freshHttpsAgent = new https.Agent({ keepAlive: false });

  constructor(
    maxSockets: number,
    private readonly timeoutMs = 120_000,
    /** The Authorization header for a request, if it needs one (an operator's bearer token). */
    private readonly authorization: (method: 'GET' | 'POST', url: string) => Promise<string | undefined> = async () => undefined,
  ) {
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  get(url: string): Promise<JsonResponse> {
    return this.request('GET', url);
  }

  post(url: string, body: unknown): Promise<JsonResponse> {
    return this.request('POST', url, JSON.stringify(body));
  }

  async request(method: 'GET' | 'POST', url: string, body?: string): Promise<JsonResponse> {
    const authorization = await this.authorization(method, url);
    try {
      return await this.once(method, url, body, authorization);
    } catch (error) {
      // A kept-alive socket the server closed as it went idle: the request never reached it (Node's http docs
      // recommend this one retry), so even a POST is safe to send again, on a fresh socket.
      if (!(error instanceof TransportError && error.staleSocket)) throw error;
      return this.once(method, url, body, authorization, true);
    }
  }

  /** `fresh`: on a new connection, not one from the pool (which may hold more sockets the server closed). */
  private once(method: 'GET' | 'POST', url: string, body: string | undefined, authorization: string | undefined, fresh = false): Promise<JsonResponse> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
      if (authorization) headers.authorization = authorization;
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const request = (secure ? https : http).request(
        target,
        { method, headers, agent: fresh ? (secure ? this.freshHttpsAgent : this.freshHttpAgent) : secure ? this.httpsAgent : this.httpAgent, timeout: this.timeoutMs },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => reject(new TransportError(url, describe(error))));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text.length ? JSON.parse(text) : undefined;
            } catch {
              // Kept as text: the caller reports it.
            }
            resolve({ status: response.statusCode ?? 0, body: parsed });
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error('no answer before the timeout')));
      request.on('error', (error) => {
        const code = describe(error);
        reject(new TransportError(url, code, request.reusedSocket && code === 'ECONNRESET'));
      });
      request.end(body);
    });
  }

  close(): void {
    for (const agent of [this.httpAgent, this.httpsAgent, this.freshHttpAgent, this.freshHttpsAgent]) agent.destroy();
  }
}

function describe(error: unknown): string {
  const failure = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof failure.code === 'string') return failure.code;
  return typeof failure.message === 'string' ? failure.message : String(error);
}

/** ": <code>: <reason>" from a service's error body, when it has one. */
export function errorDetail(body: unknown): string {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : '';
  const { code, reason } = body as { code?: unknown; reason?: unknown };
  const parts = [code, reason].filter((part): part is string => typeof part === 'string' && part.length > 0);
  return parts.length ? `: ${parts.join(': ')}` : '';
}
