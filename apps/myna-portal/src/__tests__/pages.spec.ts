import type { ExchangeRecord } from '../exchange-records/exchange-record.entity';
import { escapeHtml, html, SafeHtml } from '@myna/platform';
import { LegalTable } from '@myna/protocol';
import { layout } from '../pages/layout';
import { loginPage } from '../pages/login.page';
import { myInformationPage } from '../pages/my-information.page';
import { fieldName, fieldValue, itemName, partyName } from '../pages/presentation';
import { recordsPage } from '../pages/records.page';
import type { SelfDisclosure } from '../self-disclosure/self-disclosure.entity';

const record = (overrides: Partial<ExchangeRecord> = {}): ExchangeRecord => ({
  handle: '6f1c2d3e-4b5a-4c6d-8e7f-901234567890',
  portalCode: 'ac1.' + 'A'.repeat(43),
  requester: 'pension-agency',
  provider: 'tax-agency',
  rule: 'R-PEN-TAX-INCOME',
  item: 'annual-income',
  procedure: 'National Pension premium exemption: income test (国民年金保険料免除)',
  status: 'permitted',
  reason: null,
  at: new Date('2026-11-27T06:00:00Z'),
  receivedAt: new Date('2026-11-27T06:00:01Z'),
  receipt: null,
  ...overrides,
});

describe('the portal pages', () => {
  it('escape every interpolated value, and keep SafeHtml as it is', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const rendered = html`<p>${'<script>alert(1)</script>'}${new SafeHtml('<b>kept</b>')}${[html`<i>${'1 < 2'}</i>`, null, undefined, false]}</p>`;
    expect(rendered.markup).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;<b>kept</b><i>1 &lt; 2</i></p>');
  });

  const session = { csrf: 'c'.repeat(43) };
  const noCards = { events: [], current: 'ABCDEF0123456789ABCD' };
  const legalTable = LegalTable.load();
  const rowOf = (page: string, handle: string) => page.slice(page.indexOf(`data-handle="${handle}"`), page.indexOf('</tr>', page.indexOf(`data-handle="${handle}"`)));

  it('show an exchange record: when, who asked, who answered, which item, rule and procedure, outcome', () => {
    const page = recordsPage(
      [record(), record({ handle: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', status: 'unanswered', reason: 'tax-agency did not answer within 15 minutes' })],
      noCards,
      session,
      legalTable,
    );
    expect(page).toContain('<table id="exchange-records">');
    expect(page).toContain('27 Nov 2026, 15:00:00 JST');
    for (const text of ['Japan Pension Service (日本年金機構)', 'Municipal tax office (市区町村 税務課)', 'Annual income (所得)', 'R-PEN-TAX-INCOME', '国民年金保険料免除', 'Permitted (提供)', 'Not answered (未回答)']) {
      expect(page).toContain(text);
    }
    expect(rowOf(page, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d')).toContain('The municipal tax office received the request but did not answer in time, so the exchange hub closed it: nothing was provided.');
  });

  it('say a denied exchange was not sent, and why in plain words, naming its rule once', () => {
    const denied = record({
      handle: '7f1c2d3e-4b5a-4c6d-8e7f-901234567890',
      requester: 'tax-agency',
      provider: 'health-agency',
      rule: 'R-TAX-HEA-CLAIMS',
      item: 'medical-claims',
      procedure: '(no rule)',
      status: 'denied',
      reason: 'no rule R-TAX-HEA-CLAIMS lets tax-agency ask health-agency for medical-claims: the legal table has no rule R-TAX-HEA-CLAIMS',
    });
    const stretched = record({ handle: '8f1c2d3e-4b5a-4c6d-8e7f-901234567890', item: 'tax-assessment', status: 'denied', reason: 'no rule <b>R-X</b>' });
    const page = recordsPage([denied, stretched], noCards, session, legalTable);

    const row = rowOf(page, denied.handle);
    expect(row).toContain('Not sent: no legal basis');
    expect(row).toContain('It was addressed to Health insurer (医療保険者).');
    expect(row).toContain('not in the legal table (根拠規定なし)');
    expect(row).toContain('No law lets the municipal tax office ask the health insurer for your medical claims: the legal table has no such rule. The exchange hub refused the request, and the health insurer never received it.');
    expect(row.split('R-TAX-HEA-CLAIMS').length - 1).toBe(1);
    expect(row).not.toContain('tax-agency ask');

    const other = rowOf(page, stretched.handle);
    expect(other).toContain('That rule lets Japan Pension Service ask the municipal tax office for your annual income only, not Japan Pension Service ask the municipal tax office for your resident tax assessment.');
    expect(other.split('R-PEN-TAX-INCOME').length - 1).toBe(1);
    expect(page).not.toContain('R-X');
  });

  it('offer Verify on a record the hub logged, with what the browser checks its entry against, and load only the portal’s own script for it', () => {
    const receipt = { leaf: '{}', index: 7, nonce: 'A'.repeat(22), treeHead: 'h.p.s' };
    const page = recordsPage([record({ receipt }), record({ handle: '7a1c2d3e-4b5a-4c6d-8e7f-901234567891' })], noCards, session, legalTable);
    expect(page).toContain(
      '<button type="button" class="verify" data-verify="6f1c2d3e-4b5a-4c6d-8e7f-901234567890" data-recipient="myna-portal" data-requester="pension-agency"\n    data-provider="tax-agency" data-rule="R-PEN-TAX-INCOME" data-item="annual-income" data-status="permitted">Verify</button>',
    );
    expect(page).toContain('<output id="verify-6f1c2d3e-4b5a-4c6d-8e7f-901234567890"');
    expect(page.match(/data-verify=/g)).toHaveLength(1);
    expect(page).toContain('not logged');
    expect(page).toContain('<script src="/assets/log-verify.js" defer></script>');
    // The receipt itself stays on the server until the citizen asks.
    expect(page).not.toContain('h.p.s');
  });

  it('say so when there is no record yet', () => {
    expect(recordsPage([], noCards, session, legalTable)).toContain('No exchange of your information has been recorded yet.');
  });

  it('show who is signed in, with the photo on their card, and the portal’s icon', () => {
    const photo = `data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}`;
    const page = layout({ title: 'x', session: { csrf: session.csrf, holder: { name: 'Sato <Hanako>', photo } }, body: html`` });
    expect(page).toContain(`<p class="holder" id="signed-in-as"><img src="${photo}" alt="" width="36" height="48"><span>Signed in as <strong>Sato &lt;Hanako&gt;</strong></span></p>`);
    expect(page).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">');
    expect(layout({ title: 'x', body: html`` })).not.toContain('Signed in as');
  });

  it('name the demo cards and their PIN on the sign-in page when the portal runs as the demo, and nothing of the kind otherwise', () => {
    const demo = loginPage({ cardReader: true, demoSignIn: { holders: ['Sato Hanako', 'Suzuki Ichiro', 'Tanaka Yui'], pin: '1234' } });
    expect(demo).toContain('<strong class="demo-card">Sato Hanako</strong>, <strong class="demo-card">Suzuki Ichiro</strong> or <strong class="demo-card">Tanaka Yui</strong>');
    expect(demo).toContain('Every demo card\'s PIN is <strong class="demo-pin">1234</strong>');
    const real = loginPage({ cardReader: true });
    expect(real).not.toMatch(/demo|PIN is|1234/i);
  });

  it('show the life of the citizen’s cards, and carry the session’s token in every form', () => {
    const page = recordsPage(
      [],
      {
        current: 'ABCDEF0123456789ABCD',
        events: [
          { certificateSerial: '0000000000000000AAAA', kind: 'issued', detail: null, at: '2026-01-01T00:00:00Z' },
          { certificateSerial: '0000000000000000AAAA', kind: 'suspended', detail: 'hotline', at: '2026-02-01T00:00:00Z' },
          { certificateSerial: 'ABCDEF0123456789ABCD', kind: 'issued', detail: null, at: '2026-03-01T00:00:00Z' },
        ],
      },
      session,
      legalTable,
    );
    expect(page).toContain('Suspended (一時停止) through the hotline');
    expect(page).toContain('card ending ABCD (the card you signed in with)');
    expect(page).toContain('card ending AAAA');
    expect(page).toContain(`<input type="hidden" name="csrf" value="${session.csrf}">`);
  });

  it('show what an agency answered as text, whatever it answered, and pending answers as pending', () => {
    const disclosure = (overrides: Partial<SelfDisclosure>): SelfDisclosure => ({
      inquiryId: '1',
      batchId: 'b',
      portalCode: 'ac1.x',
      provider: 'tax-agency',
      rule: 'R-POR-TAX-SELF',
      status: 'answered',
      result: null,
      reason: null,
      requestedAt: new Date('2026-11-27T06:00:00Z'),
      answeredAt: new Date('2026-11-27T06:00:02Z'),
      receipt: null,
      ...overrides,
    });
    const page = myInformationPage(
      [
        disclosure({ result: { incomes: [{ fiscalYear: 2025, incomeYen: 4350000 }], notes: [{ text: '<img src=x onerror=alert(1)>' }] } }),
        disclosure({ provider: 'pension-agency', status: 'pending', rule: 'R-POR-PEN-SELF' }),
      ],
      session,
    );
    expect(page).toContain('¥4,350,000');
    expect(page).toContain('Income (所得)');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('data-provider="pension-agency" data-status="pending" data-pending');
    expect(page).toContain('<script src="/assets/portal.js" defer></script>');
  });

  it('name parties, items, fields and values for a citizen, with the Japanese term', () => {
    expect(partyName('health-agency')).toBe('Health insurer (医療保険者)');
    expect(partyName('unknown-party')).toBe('unknown-party');
    expect(itemName('self-disclosure')).toBe('Everything it holds about you (自己情報)');
    expect(fieldName('assessments', 'residentTaxYen')).toBe('Resident tax (住民税額), yen');
    expect(fieldName('enrolments', 'category')).toBe('Insured category (被保険者種別)');
    expect(fieldName('costCaps', 'category')).toBe('Income category (所得区分)');
    expect(fieldValue('incomes', 'incomeYen', 1234567)).toBe('¥1,234,567');
    expect(fieldValue('coverage', 'eligibleUntil', null)).toBe('Still insured (継続中)');
    expect(fieldValue('claims', 'serviceMonth', '2025-06')).toBe('Jun 2025');
    expect(fieldValue('coverage', 'eligibleFrom', '2008-04-01')).toBe('1 Apr 2008');
    expect(fieldValue('enrolments', 'category', 'category-1')).toBe('Category I: self-employed, students and others (第1号被保険者)');
    expect(fieldValue('benefits', 'status', 'not-receiving')).toBe('Not receiving a pension (未受給)');
    expect(fieldValue('exemptions', 'status', 'applied')).toBe('Applied for, not yet decided (申請中)');
    expect(fieldValue('costCaps', 'category', 'c')).toBe('c: middle income (区分ウ)');
  });
});
