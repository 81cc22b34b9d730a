import type { ExchangeRecord, ExchangeRecordStatus } from '../exchange-records/exchange-record.entity';
import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { itemName, japanTime, partyName } from './presentation';

const OUTCOMES: Record<ExchangeRecordStatus, SafeHtml> = {
  permitted: html`<strong class="permitted">Permitted (提供)</strong>`,
  denied: html`<strong class="denied">Denied (不許可)</strong>`,
  // Delivered to the provider, which never answered: it learned of the inquiry, but gave nothing.
  unanswered: html`<strong class="unanswered">Not answered (未回答)</strong>`,
};

/** My exchange records (情報提供等記録): every exchange about the citizen, permitted, denied or unanswered. */
export function recordsPage(records: readonly ExchangeRecord[]): string {
  const rows = records.map(
    (record) => html`<tr data-handle="${record.handle}" data-status="${record.status}">
      <td><time datetime="${record.at.toISOString()}">${japanTime(record.at)}</time></td>
      <td>${partyName(record.requester)}</td>
      <td>${partyName(record.provider)}</td>
      <td>${itemName(record.item)}</td>
      <td><code>${record.rule}</code><br><span class="procedure">${record.procedure}</span></td>
      <td>${OUTCOMES[record.status]}
        ${record.reason ? html`<br><span class="reason">${record.reason}</span>` : ''}</td>
    </tr>`,
  );
  const table = records.length
    ? html`<table id="exchange-records">
  <caption>${records.length} ${records.length === 1 ? 'exchange' : 'exchanges'} about you, newest first</caption>
  <thead><tr>
    <th scope="col">When</th><th scope="col">Who asked</th><th scope="col">Who answered</th>
    <th scope="col">Which item</th><th scope="col">Legal rule and procedure</th><th scope="col">Outcome</th>
  </tr></thead>
  <tbody>${rows}</tbody>
</table>`
    : html`<p id="no-records" class="empty">No exchange of your information has been recorded yet.</p>`;
  return layout({
    title: 'My exchange records',
    current: 'records',
    signedIn: true,
    body: html`
<h1>My exchange records <span lang="ja">(情報提供等記録)</span></h1>
<p class="lead">Every time an agency asked another about you through the Information Provision Network System (情報提供ネットワークシステム),
the exchange hub recorded it and told this portal, addressed by the portal's own code for you (機関別符号). Exchanges the legal table
does not permit are refused, and recorded too; so are those the asked agency never answered.</p>
${table}`,
  });
}
