import { html, type SafeHtml } from '@myna/platform';
import { CODE_ISSUER, EXCHANGE_HUB, HEALTH_AGENCY, MYNA_PORTAL, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';

/**
 * How the report names things: in English, with the Japanese term in
 * parentheses where a student would meet it (as MynaPortal does).
 */
export const PARTY_NAMES: Record<string, string> = {
  [CODE_ISSUER]: 'Card and code issuer, J-LIS (地方公共団体情報システム機構)',
  [EXCHANGE_HUB]: 'Information Provision Network System (情報提供ネットワークシステム)',
  [TAX_AGENCY]: 'Municipal tax office (市区町村 税務課)',
  [PENSION_AGENCY]: 'Japan Pension Service (日本年金機構)',
  [HEALTH_AGENCY]: 'Health insurer (医療保険者)',
  [MYNA_PORTAL]: 'MynaPortal (マイナポータル)',
  attacker: 'An attacker with access to Redis (the runner, playing it)',
  unknown: 'Someone whose signature did not verify',
};

/** Short names for the diagrams. */
export const PARTY_SHORT: Record<string, string> = {
  [CODE_ISSUER]: 'issuer',
  [EXCHANGE_HUB]: 'hub',
  [TAX_AGENCY]: 'tax',
  [PENSION_AGENCY]: 'pension',
  [HEALTH_AGENCY]: 'health',
  [MYNA_PORTAL]: 'portal',
  attacker: 'attacker',
  unknown: 'unknown',
};

/** Each party's colour: dark enough for white text on it and for lines on white (contrast ≥ 4.5:1). */
export const PARTY_COLOURS: Record<string, string> = {
  [CODE_ISSUER]: '#6a4c9c',
  [EXCHANGE_HUB]: '#4a4f5c',
  [TAX_AGENCY]: '#00677f',
  [PENSION_AGENCY]: '#2b6e2f',
  [HEALTH_AGENCY]: '#9a4500',
  [MYNA_PORTAL]: '#0b5fb3',
  attacker: '#b3261e',
  unknown: '#b3261e',
};

export const MESSAGE_NAMES: Record<string, string> = {
  inquiry: 'inquiry (情報照会)',
  delivery: 'delivery of the inquiry to the provider',
  answer: 'answer (情報提供)',
  result: 'result to the requester (照会結果)',
  'exchange-record': 'exchange record for the portal (情報提供等記録)',
};

export const partyName = (party: string) => PARTY_NAMES[party] ?? party;
export const partyShort = (party: string) => PARTY_SHORT[party] ?? party;
export const partyColour = (party: string) => PARTY_COLOURS[party] ?? '#4a4f5c';
export const messageName = (jobName: string) => MESSAGE_NAMES[jobName] ?? jobName;

const JAPANESE_IN_PARENTHESES = /\(([^()]*[\u3000-\u30ff\u3400-\u9fff][^()]*)\)/g;

/** A label whose Japanese terms (in parentheses) are marked `lang="ja"`, for screen readers and fonts. */
export function withJapanese(text: string): SafeHtml {
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const match of text.matchAll(JAPANESE_IN_PARENTHESES)) {
    parts.push(html`${text.slice(last, match.index)}<span lang="ja">(${match[1]})</span>`);
    last = match.index! + match[0].length;
  }
  parts.push(html`${text.slice(last)}`);
  return html`${parts}`;
}

const JAPAN_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function japanTime(iso: string): string {
  return `${JAPAN_TIME.format(new Date(iso))} JST`;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
