import type { ServiceKeyRing } from '../keys/key-ring';
import type { Service } from '../parties';
import { signServiceRequest } from './request-signature';

/**
 * One HTTP call from this service to another, signed (RFC 9421) so that the
 * callee knows which service asks. JSON in, JSON out; the caller decides what a
 * status means. Transport failures throw as fetch does.
 */
export async function callService(
  ring: ServiceKeyRing,
  audience: Service,
  url: string,
  options: { method: 'GET' | 'POST'; json?: unknown; timeoutMs: number },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers = await signServiceRequest(ring, audience, {
    method: options.method,
    url,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
  });
  const response = await fetch(url, { method: options.method, headers, body, signal: AbortSignal.timeout(options.timeoutMs) });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, body: typeof answer === 'object' && answer !== null ? answer : {} };
}
