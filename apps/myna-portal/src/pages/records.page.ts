import type { ExchangeRecord, ExchangeRecordStatus } from '../exchange-records/exchange-record.entity';
import { html, type SafeHtml } from '@myna/platform';
import { MYNA_PORTAL, type LegalTable } from '@myna/protocol';
import type { CardLifeEvent } from '../issuer-client/card-issuer.client';
import { exchangeWords } from './exchange-words';
import { layout, type PageSession } from './layout';
import { itemName, japanTime, partyName } from './presentation';

const OUTCOMES: Record<ExchangeRecordStatus, SafeHtml> = {
  permitted: html`<strong class="permitted">Permitted (提供)</strong>`,
  denied: html`<strong class="denied">Denied (不許可)</strong>`,
  // Delivered to the provider, which never answered: it learned of the inquiry, but gave nothing.
  unanswered: html`<strong class="unanswered">Not answered (未回答)</strong>`,
};

const CARD_EVENTS: Record<CardLifeEvent['kind'], string> = {
  issued: 'Card issued (交付)',
  superseded: 'Replaced by a new card (再交付により失効)',
  suspended: 'Suspended (一時停止)',
  resumed: 'Suspension lifted (一時停止の解除)',
  'pin-reset': 'PIN reset at the counter (暗証番号の再設定)',
  revoked: 'Revoked (失効)',
};

/** My exchange records (情報提供等記録): every exchange about the citizen, permitted, denied or unanswered; and the life of their cards. */
export function recordsPage(
  records: readonly ExchangeRecord[],
  card: { events: readonly CardLifeEvent[]; current: string },
  session: PageSession,
  legalTable: LegalTable,
): string {
  const rows = records.map((record) => {
    const words = exchangeWords(record, legalTable);
    return html`<tr data-handle="${record.handle}" data-status="${record.status}">
      <td><time datetime="${record.at.toISOString()}">${japanTime(record.at)}</time></td>
      <td>${partyName(record.requester)}</td>
      <td>${words.answered}</td>
      <td>${itemName(record.item)}</td>
      <td><code>${record.rule}</code><br><span class="procedure">${words.procedure}</span></td>
      <td>${OUTCOMES[record.status]}
        ${words.reason ? html`<br><span class="reason">${words.reason}</span>` : ''}</td>
      <td>${verifyCell(record)}</td>
    </tr>`;
  });
  const table = records.length
    ? html`<table id="exchange-records">
  <caption>${records.length} ${records.length === 1 ? 'exchange' : 'exchanges'} about you, newest first</caption>
  <thead><tr>
    <th scope="col">When</th><th scope="col">Who asked</th><th scope="col">Who answered</th>
    <th scope="col">Which item</th><th scope="col">Legal rule and procedure</th><th scope="col">Outcome</th><th scope="col">Hub’s log</th>
  </tr></thead>
  <tbody>${rows}</tbody>
</table>`
    : html`<p id="no-records" class="empty">No exchange of your information has been recorded yet.</p>`;
  return layout({
    title: 'My exchange records',
    current: 'records',
    session,
    scripts: ['/assets/log-verify.js'],
    body: html`
<h1>My exchange records <span lang="ja">(情報提供等記録)</span></h1>
<p class="lead">Every time an agency asked another about you through the Information Provision Network System (情報提供ネットワークシステム),
the exchange hub recorded it and told this portal, addressed by the portal's own code for you (機関別符号). Exchanges the legal table
does not permit are refused, and recorded too; so are those the asked agency never answered.</p>
${table}
${cardEvents(card.events, card.current)}`,
  });
}

/** "Verify": the browser checks this record's entry in the hub's log (DESIGN §5, "The log"); records from before the log have none. */
function verifyCell(record: ExchangeRecord): SafeHtml {
  if (!record.receipt) return html`<span class="meta">not logged</span>`;
  return html`<button type="button" class="verify" data-verify="${record.handle}" data-recipient="${MYNA_PORTAL}" data-requester="${record.requester}"
    data-provider="${record.provider}" data-rule="${record.rule}" data-item="${record.item}" data-status="${record.status}">Verify</button>
    <output id="verify-${record.handle}" class="meta verify-result" aria-live="polite"></output>`;
}

/** Every event in the life of the citizen's cards, as the issuer recorded it: the hotline, the counter, a new card. */
function cardEvents(events: readonly CardLifeEvent[], current: string): SafeHtml {
  const rows = [...events].reverse().map(
    (event) => html`<tr data-card-event="${event.kind}">
      <td><time datetime="${event.at}">${japanTime(new Date(event.at))}</time></td>
      <td>${CARD_EVENTS[event.kind]}${event.detail === 'hotline' ? ' through the hotline' : ''}</td>
      <td>card ending ${event.certificateSerial.slice(-4)}${event.certificateSerial === current ? ' (the card you signed in with)' : ''}</td>
    </tr>`,
  );
  return html`<section aria-labelledby="card-events-title">
<h2 id="card-events-title">My cards <span lang="ja">(マイナンバーカード)</span></h2>
<p class="lead">What the card issuer (J-LIS) recorded about your cards: issued, suspended, PIN reset, revoked.</p>
<table id="card-events"><thead><tr><th scope="col">When</th><th scope="col">What happened</th><th scope="col">Which card</th></tr></thead>
<tbody>${rows}</tbody></table>
</section>`;
}
