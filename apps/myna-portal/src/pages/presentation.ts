import { CODE_ISSUER, EXCHANGE_HUB, HEALTH_AGENCY, MYNA_PORTAL, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
/**
 * How the portal names things for a citizen: in English, with the Japanese term
 * in parentheses where a student would meet it.
 */
const PARTIES: Record<string, string> = {
  [TAX_AGENCY]: 'Municipal tax office (市区町村 税務課)',
  [PENSION_AGENCY]: 'Japan Pension Service (日本年金機構)',
  [HEALTH_AGENCY]: 'Health insurer (医療保険者)',
  [MYNA_PORTAL]: 'MynaPortal, at your request (マイナポータル)',
  [CODE_ISSUER]: 'Card and code issuer, J-LIS (地方公共団体情報システム機構)',
  [EXCHANGE_HUB]: 'Information Provision Network System (情報提供ネットワークシステム)',
};

const ITEMS: Record<string, string> = {
  'annual-income': 'Annual income (所得)',
  'benefit-status': 'Pension benefit status (年金受給状況)',
  'annual-benefit': 'Annual pension benefit (年金額)',
  'self-disclosure': 'Everything it holds about you (自己情報)',
  'medical-claims': 'Medical claims (医療費)',
  'tax-assessment': 'Resident tax assessment (住民税 課税)',
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

/** The columns of what agencies hold, by `kind.field` where a field means different things in two kinds, else by field. */
const FIELDS: Record<string, string> = {
  fiscalYear: 'Fiscal year (年度)',
  incomeYen: 'Income (所得)',
  residentTaxYen: 'Resident tax (住民税額)',
  'enrolments.category': 'Insured category (被保険者種別)',
  enrolledOn: 'Enrolled on (資格取得日)',
  monthsPaid: 'Months paid (納付月数)',
  monthsExempt: 'Months exempt (免除月数)',
  'exemptions.status': 'Application (申請状況)',
  'benefits.status': 'Pension (受給状況)',
  annualAmountYen: 'Annual amount (年金額)',
  eligibleFrom: 'Insured from (資格取得日)',
  eligibleUntil: 'Insured until (資格喪失日)',
  serviceMonth: 'Month of care (診療月)',
  amountYen: 'Medical costs (医療費)',
  'costCaps.category': 'Income category (所得区分)',
};

/** Every value an agency keeps as a code, in words, with the term a Japanese notice uses. */
const VALUES: Record<string, Record<string, string>> = {
  'enrolments.category': {
    'category-1': 'Category I: self-employed, students and others (第1号被保険者)',
    'category-2': 'Category II: employees and civil servants (第2号被保険者)',
    'category-3': 'Category III: dependent spouse of an employee (第3号被保険者)',
  },
  'exemptions.status': {
    applied: 'Applied for, not yet decided (申請中)',
    granted: 'Granted (承認)',
    denied: 'Refused (却下)',
  },
  'benefits.status': {
    'not-receiving': 'Not receiving a pension (未受給)',
    receiving: 'Receiving a pension (受給中)',
    suspended: 'Payment suspended (支給停止)',
  },
  'costCaps.category': {
    a: 'a: highest income (区分ア)',
    b: 'b: high income (区分イ)',
    c: 'c: middle income (区分ウ)',
    d: 'd: lower income (区分エ)',
    e: 'e: exempt from resident tax (区分オ)',
  },
};

/** What an empty value means, where it means something. */
const NONE: Record<string, string> = {
  eligibleUntil: 'Still insured (継続中)',
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

/** A column of what an agency holds: `incomeYen` of `incomes` → "Income (所得), yen". */
export function fieldName(kind: string, field: string): string {
  const label = FIELDS[`${kind}.${field}`] ?? FIELDS[field] ?? humanize(field.replace(/Yen$/, ''));
  return /Yen$/.test(field) ? `${label}, yen` : label;
}

/** The words for a value an agency keeps as a code, if it is one. */
export function valueLabel(kind: string, field: string, value: string): string | undefined {
  return VALUES[`${kind}.${field}`]?.[value];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function fieldValue(kind: string, field: string, value: unknown): string {
  if (value === null || value === undefined) return NONE[field] ?? '—';
  if (typeof value === 'number' && /Yen$/.test(field)) return `¥${value.toLocaleString('en-US')}`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  const label = valueLabel(kind, field, text);
  if (label) return label;
  const date = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text);
  if (date && Number(date[2]) >= 1 && Number(date[2]) <= 12) return `${date[3] ? `${Number(date[3])} ` : ''}${MONTHS[Number(date[2]) - 1]} ${date[1]}`;
  return text;
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
