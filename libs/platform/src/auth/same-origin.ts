import { ForbiddenError } from './access.exception';

/**
 * Refuses a state-changing request that a browser sent from a page of another
 * origin. Browsers say where a request comes from: `Sec-Fetch-Site` (only
 * `same-origin` passes; `same-site` is another port or subdomain, still not this
 * service) and, failing that, `Origin`, which must be this host (`null`, sent
 * from opaque or no-referrer contexts, does not pass). A request with neither
 * (a tool, another service) passes: it carries no cookie a browser added for it.
 */
export function refuseCrossSite(request: { headers: Record<string, string | string[] | undefined> }): void {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    if (site === 'same-origin' || site === 'none') return;
    throw new ForbiddenError('a page of another origin may not send this request');
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host: string | undefined;
  try {
    host = typeof origin === 'string' && origin !== 'null' ? new URL(origin).host : undefined;
  } catch {
    host = undefined;
  }
  if (host === undefined || host !== request.headers.host) throw new ForbiddenError('a page of another origin may not send this request');
}
