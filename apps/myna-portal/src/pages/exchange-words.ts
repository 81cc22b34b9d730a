import { html, type SafeHtml } from '@myna/platform';
import type { LegalTable } from '@myna/protocol';
import type { ExchangeRecord } from '../exchange-records/exchange-record.entity';
import { partyName } from './presentation';
import { CODE_ISSUER, EXCHANGE_HUB, HEALTH_AGENCY, MYNA_PORTAL, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';

/** The parties as a sentence names them. */
const IN_A_SENTENCE: Record<string, string> = {
  [TAX_AGENCY]: 'the municipal tax office',
  [PENSION_AGENCY]: 'Japan Pension Service',
  [HEALTH_AGENCY]: 'the health insurer',
  [MYNA_PORTAL]: 'MynaPortal',
  [CODE_ISSUER]: 'J-LIS',
  [EXCHANGE_HUB]: 'the exchange hub',
};

const ITEMS_IN_A_SENTENCE: Record<string, string> = {
  'annual-income': 'your annual income',
  'benefit-status': 'whether you receive a pension',
  'annual-benefit': 'your annual pension',
  'self-disclosure': 'everything it holds about you',
  'medical-claims': 'your medical claims',
  'tax-assessment': 'your resident tax assessment',
};

const party = (name: string) => IN_A_SENTENCE[name] ?? name;
const item = (name: string) => ITEMS_IN_A_SENTENCE[name] ?? name;
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** How one row of *My exchange records* reads: who answered, the rule's procedure, and why it was denied or unanswered. */
export interface ExchangeWords {
  answered: SafeHtml;
  procedure: string;
  /** Plain words, naming no rule: the row's rule column names it. */
  reason?: string;
}

/**
 * Words for a citizen, from what the record says and the legal table: a denied
 * exchange was never sent, so nobody answered it; the reason says what the law
 * allows, not what the hub logged (which names the rule twice, in its own terms).
 */
export function exchangeWords(record: Pick<ExchangeRecord, 'requester' | 'provider' | 'rule' | 'item' | 'procedure' | 'status'>, legalTable: LegalTable): ExchangeWords {
  const rule = legalTable.rules.find((candidate) => candidate.id === record.rule);
  switch (record.status) {
    case 'permitted':
      return { answered: html`${partyName(record.provider)}`, procedure: record.procedure };
    case 'unanswered':
      return {
        answered: html`${partyName(record.provider)}<br><span class="reason">received it, never answered</span>`,
        procedure: record.procedure,
        reason: `${sentence(party(record.provider))} received the request but did not answer in time, so the exchange hub closed it: nothing was provided.`,
      };
    case 'denied': {
      const refused = `The exchange hub refused the request, and ${party(record.provider)} never received it.`;
      return {
        answered: html`<span class="not-sent">Not sent: no legal basis <span lang="ja">(法的根拠なし)</span></span><br><span class="reason">It was addressed to ${partyName(record.provider)}.</span>`,
        procedure: rule ? rule.procedure : 'not in the legal table (根拠規定なし)',
        reason: rule
          ? `That rule lets ${party(rule.requester)} ask ${party(rule.provider)} for ${item(rule.item)} only, not ${party(record.requester)} ask ${party(record.provider)} for ${item(record.item)}. ${refused}`
          : `No law lets ${party(record.requester)} ask ${party(record.provider)} for ${item(record.item)}: the legal table has no such rule. ${refused}`,
      };
    }
  }
}
