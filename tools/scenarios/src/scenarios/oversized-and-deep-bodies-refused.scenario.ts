import { LARGEST_LEGITIMATE_BODIES, SERVICES, type Service, CARD_READER, CODE_ISSUER, HEALTH_AGENCY, TAX_AGENCY } from '@myna/protocol';
import type { Scenario } from '../runner/scenario';

/** A body nested this deep would take any recursive validator past its stack. */
const DEPTH = 5_000;

interface Probe {
  what: string;
  status: number;
  code: string;
}

async function post(url: string, body: string, contentType = 'application/json'): Promise<Probe & { url: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body, signal: AbortSignal.timeout(30_000) });
  const answer = (await response.json().catch(() => ({}))) as { code?: unknown };
  return { url, what: '', status: response.status, code: String(answer.code ?? '') };
}

/** `{"citizens":["xxxx…"]}` of exactly `bytes` bytes: well-formed, and of the route's own field. */
function bodyOfSize(field: string, bytes: number): string {
  const shell = `{"${field}":["`.length + '"]}'.length;
  return `{"${field}":["${'x'.repeat(bytes - shell)}"]}`;
}

export const oversizedAndDeepBodiesRefused: Scenario = {
  name: 'oversized-and-deep-bodies-refused',
  claim: 'No service falls over on a malicious body: a body nested thousands deep, or twice the largest legitimate one, is refused with a reason before anyone reads it, credentials or not.',
  proves:
    `every service (and the card reader) answers a JSON body nested ${DEPTH.toLocaleString('en-US')} deep with 400 body-too-deep, malformed JSON with 400, and an oversized body with 413 body-too-large — the bulk routes at twice their largest legitimate body, the others at 64 KiB; no answer is a 5xx, and every service is healthy afterwards`,
  async run(context) {
    const deep = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
    const probes: (Probe & { url: string })[] = [];
    const bases: [string, string][] = [...SERVICES.map((service): [string, string] => [service, context.target.urls[service]]), ...(context.target.cardReaderUrl ? [[CARD_READER, context.target.cardReaderUrl] as [string, string]] : [])];
    for (const [name, base] of bases) {
      const route = name === CARD_READER ? '/sign-in' : '/oauth/token';
      probes.push({ ...(await post(`${base}${route}`, deep)), what: `${name} POST ${route}, nested ${DEPTH} deep` });
      probes.push({ ...(await post(`${base}${route}`, '{"grant_type":')), what: `${name} POST ${route}, malformed JSON` });
      probes.push({ ...(await post(`${base}${route}`, bodyOfSize('x', 64 * 1024))), what: `${name} POST ${route}, 64 KiB` });
    }
    const bulk: [Service, string, string, number][] = [
      [CODE_ISSUER, '/citizens/batch', 'citizens', LARGEST_LEGITIMATE_BODIES.citizensBatch],
      [CODE_ISSUER, '/code-issuance', 'request', LARGEST_LEGITIMATE_BODIES.codeIssuance],
      [TAX_AGENCY, '/persons/batch', 'persons', LARGEST_LEGITIMATE_BODIES.personsBatch],
      [HEALTH_AGENCY, '/persons/batch', 'persons', LARGEST_LEGITIMATE_BODIES.personsBatch],
    ];
    const oversized: (Probe & { url: string })[] = [];
    for (const [service, route, field, legitimate] of bulk) {
      oversized.push({ ...(await post(`${context.target.urls[service]}${route}`, bodyOfSize(field, legitimate * 2))), what: `${service} POST ${route}, ${((legitimate * 2) / 1024).toFixed(0)} KiB (twice the largest legitimate)` });
    }
    const describe = (list: Probe[]) => list.map((probe) => `${probe.what}: ${probe.status} ${probe.code}`).join('; ');
    const deepOnes = probes.filter((probe) => probe.what.includes('nested'));
    const malformed = probes.filter((probe) => probe.what.includes('malformed'));
    const large = [...probes.filter((probe) => probe.what.includes('64 KiB')), ...oversized];
    context.check('a body nested thousands deep is refused with 400 body-too-deep everywhere', deepOnes.every((probe) => probe.status === 400 && probe.code === 'body-too-deep'), describe(deepOnes));
    context.check('malformed JSON is refused with 400 everywhere', malformed.every((probe) => probe.status === 400 && probe.code === 'malformed-json'), describe(malformed));
    context.check('an oversized body is refused with 413 body-too-large everywhere, bulk routes included', large.every((probe) => probe.status === 413 && probe.code === 'body-too-large'), describe(large));
    const all = [...probes, ...oversized];
    const healthy = await Promise.all(SERVICES.map((service) => context.federation.healthy(service)));
    context.check('no answer was a 5xx, and every service is healthy afterwards', all.every((probe) => probe.status < 500) && healthy.every(Boolean), `${all.length} probes, highest status ${Math.max(...all.map((probe) => probe.status))}; healthy: ${healthy.filter(Boolean).length}/${SERVICES.length}`);
    return context.conclude();
  },
};
