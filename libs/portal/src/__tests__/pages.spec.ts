import type { ExchangeRecord } from '../exchange-records/exchange-record.entity';
import { escapeHtml, html, SafeHtml } from '../pages/html';
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
  ...overrides,
});

describe('the portal pages', () => {
  it('escape every interpolated value, and keep SafeHtml as it is', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const rendered = html`<p>${'<script>alert(1)</script>'}${new SafeHtml('<b>kept</b>')}${[html`<i>${'1 < 2'}</i>`, null, undefined, false]}</p>`;
    expect(rendered.markup).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;<b>kept</b><i>1 &lt; 2</i></p>');
  });

  it('show an exchange record: when, who asked, who answered, which item, rule and procedure, outcome', () => {
    const page = recordsPage([
      record(),
      record({ handle: '7f1c2d3e-4b5a-4c6d-8e7f-901234567890', status: 'denied', reason: 'no rule <b>R-X</b>' }),
      record({ handle: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', status: 'unanswered', reason: 'tax-agency did not answer within 15 minutes' }),
    ]);
    expect(page).toContain('<table id="exchange-records">');
    expect(page).toContain('27 Nov 2026, 15:00:00 JST');
    for (const text of ['Japan Pension Service (日本年金機構)', 'Municipal tax office (市区町村 税務課)', 'Annual income (所得)', 'R-PEN-TAX-INCOME', '国民年金保険料免除', 'Permitted (提供)', 'Denied (不許可)', 'Not answered (未回答)', 'did not answer within 15 minutes']) {
      expect(page).toContain(text);
    }
    expect(page).toContain('no rule &lt;b&gt;R-X&lt;/b&gt;');
    expect(page).not.toContain('<b>R-X</b>');
  });

  it('say so when there is no record yet', () => {
    expect(recordsPage([])).toContain('No exchange of your information has been recorded yet.');
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
      ...overrides,
    });
    const page = myInformationPage([
      disclosure({ result: { incomes: [{ fiscalYear: 2025, incomeYen: 4350000 }], notes: [{ text: '<img src=x onerror=alert(1)>' }] } }),
      disclosure({ provider: 'pension-agency', status: 'pending', rule: 'R-POR-PEN-SELF' }),
    ]);
    expect(page).toContain('¥4,350,000');
    expect(page).toContain('Income (所得)');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('data-provider="pension-agency" data-status="pending" data-pending');
    expect(page).toContain('<script src="/assets/portal.js" defer></script>');
  });

  it('name parties, items and fields for a citizen', () => {
    expect(partyName('health-agency')).toBe('Health insurer (医療保険者)');
    expect(partyName('unknown-party')).toBe('unknown-party');
    expect(itemName('self-disclosure')).toBe('Everything it holds about you (自己情報)');
    expect(fieldName('residentTaxYen')).toBe('Resident tax (yen)');
    expect(fieldValue('incomeYen', 1234567)).toBe('¥1,234,567');
    expect(fieldValue('eligibleUntil', null)).toBe('—');
  });
});
