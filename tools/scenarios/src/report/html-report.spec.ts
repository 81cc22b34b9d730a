import { computeAgencyCode, encryptSubjects, generateProcessingSerial, parseHubBundle, parseIssuerBundle, parsePartyBundle, translate } from '@myna/codes';
import { encryptFor, loadServiceKeyRing, MESSAGE_TYPES, signMessage, SERVICES, type Service, type ServiceKeyRing } from '@myna/protocol';
import { testKeysDir } from '@myna/testing';
import { heldKeys, MessageDecoder } from '../analysis/message-layers';
import type { FederationTarget } from '../federation/federation-target';
import type { ScenarioResult, TraceEntry } from '../runner/scenario';
import type { TracedMessage } from '../runner/trace-format';
import { renderHtml } from './html-report';
import { buildReport } from './scenario-report';

// The page from a trace whose message was made and decoded with the test ceremony's real keys.
const target = { mode: 'given', urls: Object.fromEntries(SERVICES.map((service) => [service, `http://${service}:4000`])), databaseUrls: {}, redisUrl: 'redis://r', redisPrefix: 'myna', keysDir: '/k' } as unknown as FederationTarget;

let page: string;
let taxCode: string;

/** The markup of one element, from its opening tag to the end of the section or article it opens. */
function element(markup: string, start: string, end: string): string {
  const from = markup.indexOf(start);
  if (from === -1) throw new Error(`no ${start}`);
  return markup.slice(from, markup.indexOf(end, from) + end.length);
}

beforeAll(async () => {
  const rings = new Map<Service, ServiceKeyRing>();
  for (const service of SERVICES) rings.set(service, await loadServiceKeyRing(testKeysDir(service), service));
  const issuer = parseIssuerBundle(rings.get('code-issuer')!.codesBundle);
  const serial = generateProcessingSerial();
  const code = computeAgencyCode(issuer.pseudonymKeys.get('tax-agency')!, serial);
  taxCode = code.toText();
  // Pension's subject for its edge to tax, as the hub's delivery carries it: translated along that edge.
  const pensionCode = computeAgencyCode(issuer.pseudonymKeys.get('pension-agency')!, serial);
  const [sent] = encryptSubjects(parsePartyBundle(rings.get('pension-agency')!.codesBundle), pensionCode, ['tax-agency']);
  const subject = translate(parseHubBundle(rings.get('exchange-hub')!.codesBundle), 'pension-agency', 'tax-agency', sent).toText();
  const delivery = await encryptFor(
    rings.get('exchange-hub')!,
    'tax-agency',
    await signMessage(rings.get('exchange-hub')!, {
      to: 'tax-agency',
      type: MESSAGE_TYPES.delivery,
      claims: { exchangeId: 'e-1', requester: 'pension-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: {}, subject },
      ttlSeconds: 60,
    }),
  );
  const decoder = new MessageDecoder(SERVICES.filter((service) => service !== 'health-agency').map((service) => heldKeys(rings.get(service)!)));
  const layers = await decoder.decode(delivery);
  await decoder.resolveCodes(async (party, codes) => new Set(party === 'tax-agency' ? codes.filter((candidate) => candidate === taxCode) : []));
  const message: TracedMessage = {
    queue: 'tax-agency.inbound',
    jobId: 'e-1',
    jobName: 'delivery',
    from: 'exchange-hub',
    to: 'tax-agency',
    sentAt: '2026-01-01T00:00:01.000Z',
    timeKind: 'sent',
    outcome: 'processed',
    refused: false,
    token: 'eyJ…',
    tokenLength: delivery.length,
    keysHeld: decoder.keysHeld,
    layers,
  };
  const trace: TraceEntry[] = [
    { atMs: 5, kind: 'say', actor: 'attacker', text: 'writes <script>alert(1)</script> into a trace line' },
    { atMs: 10, kind: 'message', actor: 'exchange-hub', text: 'delivery: exchange-hub → tax-agency', message },
    { atMs: 20, kind: 'check', text: 'a check: held', holds: true },
  ];
  const result: ScenarioResult = {
    name: 'a-scenario',
    claim: 'A claim (機関別符号)',
    proves: 'what it proves',
    verdict: 'PASS',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1000,
    evidence: [{ kind: 'check', statement: 'a check', holds: true, detail: 'held' }],
    trace,
  };
  page = renderHtml(buildReport([result], target, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:02Z')));
});

describe('reports/index.html', () => {
  it('is one self-contained page: no script, no external file, no address of the federation', () => {
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(page).not.toContain('http://tax-agency:4000');
  });

  it('escapes what the trace says', () => {
    expect(page).toContain('writes &lt;script&gt;alert(1)&lt;/script&gt; into a trace line');
  });

  it('links each arrow of the diagram to the panel of its message', () => {
    expect(page).toContain('<a href="#s-a-scenario-m1" aria-label="1. delivery: delivery of the inquiry to the provider from exchange-hub to tax-agency, processed.');
    expect(page).toContain('<section class="message-panel" id="s-a-scenario-m1"');
  });

  it('shows the recipient’s own code in the recipient’s card only, and says whose key the others lack', () => {
    const panel = element(page, '<section class="message-panel"', '</section>');
    const shortened = `${taxCode.slice(0, 16)}…${taxCode.slice(-6)}`;
    const card = (party: string) => element(panel, `<article class="view${party === 'tax-agency' ? ' opens' : ''}" data-party="${party}"`, '</article>');
    expect(card('tax-agency')).toContain(shortened);
    expect(card('tax-agency')).toContain('Decrypts it to its own code');
    for (const party of ['code-issuer', 'exchange-hub', 'pension-agency', 'myna-portal']) {
      expect(card(party)).not.toContain(taxCode.slice(0, 14));
      expect(card(party)).toContain('Cannot open: not its key');
    }
    expect(card('health-agency')).toContain('Not tried:</strong> the auditor did not hold health-agency’s key file');
    expect(element(panel, '<div class="anyone"', '<h5 class="views-title">')).not.toContain(taxCode.slice(0, 14));
  });

  it('marks Japanese terms as Japanese', () => {
    expect(page).toContain('A claim <span lang="ja">(機関別符号)</span>');
  });
});
