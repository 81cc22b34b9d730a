/**
 * How the portal names things for a citizen: in English, with the Japanese term
 * in parentheses where a student would meet it.
 */
const PARTIES: Record<string, string> = {
  'tax-agency': 'Municipal tax office (市区町村 税務課)',
  'pension-agency': 'Japan Pension Service (日本年金機構)',
  'health-agency': 'Health insurer (医療保険者)',
  'myna-portal': 'MynaPortal, at your request (マイナポータル)',
  'code-issuer': 'Card and code issuer, J-LIS (地方公共団体情報システム機構)',
  'exchange-hub': 'Information Provision Network System (情報提供ネットワークシステム)',
};

const ITEMS: Record<string, string> = {
  'annual-income': 'Annual income (所得)',
  'benefit-status': 'Pension benefit status (年金受給状況)',
  'annual-benefit': 'Annual pension benefit (年金額)',
  'self-disclosure': 'Everything it holds about you (自己情報)',
  'medical-claims': 'Medical claims (医療費)',
};

const RECORD_KINDS: Record<string, string> = {
  incomes: 'Income (所得)',
  assessments: 'Resident tax assessments (住民税)',
  enrolments: 'Pension enrolment (加入記録)',
  contributions: 'Premium payments (保険料納付)',
  exemptions: 'Premium exemptions (保険料免除)',
  benefits: 'Pension benefits (年金給付)',
  coverage: 'Insurance eligibility (資格)',
  claims: 'Medical claims (医療費)',
  costCaps: 'High-cost medical expense category (高額療養費 所得区分)',
};

export function partyName(party: string): string {
  return PARTIES[party] ?? party;
}

export function itemName(item: string): string {
  return ITEMS[item] ?? item;
}

export function recordKindName(kind: string): string {
  return RECORD_KINDS[kind] ?? humanize(kind);
}

/** `fiscalYear` → "Fiscal year", `incomeYen` → "Income (yen)". */
export function fieldName(field: string): string {
  const yen = /Yen$/.test(field);
  const words = humanize(field.replace(/Yen$/, ''));
  return yen ? `${words} (yen)` : words;
}

export function fieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number' && /Yen$/.test(field)) return `¥${value.toLocaleString('en-US')}`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const JAPAN_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** Times as Japan keeps them. */
export function japanTime(date: Date): string {
  return `${JAPAN_TIME.format(date)} JST`;
}

function humanize(camel: string): string {
  const words = camel.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
