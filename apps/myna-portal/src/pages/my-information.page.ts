import type { SelfDisclosure } from '../self-disclosure/self-disclosure.entity';
import { html, type SafeHtml } from '@myna/platform';
import { csrfField, layout, type PageSession } from './layout';
import { fieldName, fieldValue, japanTime, partyName, recordKindName } from './presentation';

/** My information (自己情報): what each agency answered to the portal's self-disclosure inquiries. */
export function myInformationPage(disclosures: readonly SelfDisclosure[], session: PageSession): string {
  const pending = disclosures.some((disclosure) => disclosure.status === 'pending');
  const sections = disclosures.map(
    (disclosure) => html`<section class="agency" data-provider="${disclosure.provider}" data-status="${disclosure.status}"${disclosure.status === 'pending' ? html` data-pending` : ''}>
  <h2>${partyName(disclosure.provider)}</h2>
  <p class="meta">Asked under rule <code>${disclosure.rule}</code> at ${japanTime(disclosure.requestedAt)}.</p>
  ${answer(disclosure)}
</section>`,
  );
  return layout({
    title: 'My information',
    current: 'my-information',
    session,
    scripts: pending ? ['/assets/portal.js'] : [],
    body: html`
<h1>My information <span lang="ja">(自己情報)</span></h1>
<p class="lead">The portal asks each agency, through the exchange hub and under its own self-disclosure rule, what it holds about you.
Each agency finds you by its own code; the hub relays answers it cannot read. Answers are kept for an hour, and forgotten when you sign out.</p>
<form method="post" action="/my-information" class="ask">
  ${csrfField(session.csrf)}
  <button type="submit">${disclosures.length ? 'Ask the agencies again' : 'Ask the agencies what they hold about me'}</button>
</form>
${pending ? html`<p class="pending-note" role="status">Waiting for the agencies' answers… this page refreshes by itself.</p>` : ''}
${sections}`,
  });
}

function answer(disclosure: SelfDisclosure): SafeHtml {
  switch (disclosure.status) {
    case 'pending':
      return html`<p class="status pending">Waiting for the answer…</p>`;
    case 'no-record':
      return html`<p class="status">This agency holds no record about you.</p>`;
    case 'denied':
      return html`<p class="status denied">Not sent: no legal basis <span lang="ja">(法的根拠なし)</span>. The legal table does not let the portal ask this agency, so the exchange hub refused the inquiry.</p>`;
    case 'failed':
      return html`<p class="status denied">No answer <span lang="ja">(未回答)</span>: ${disclosure.reason ? plainFailure(disclosure.reason) : 'the agency did not answer.'}</p>`;
    case 'answered':
      return html`<p class="status">Answered at ${disclosure.answeredAt ? japanTime(disclosure.answeredAt) : '—'}.</p>${records(disclosure.result ?? {})}`;
  }
}

function records(result: Record<string, unknown>): SafeHtml {
  const kinds = Object.entries(result);
  if (kinds.length === 0) return html`<p>Nothing.</p>`;
  return html`${kinds.map(([kind, rows]) => {
    const list = Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [rows as Record<string, unknown>];
    if (list.length === 0) return html`<h3>${recordKindName(kind)}</h3><p class="empty">None.</p>`;
    const fields = [...new Set(list.flatMap((row) => (row && typeof row === 'object' ? Object.keys(row) : [])))];
    return html`<h3>${recordKindName(kind)}</h3>
<table class="held" data-kind="${kind}">
  <thead><tr>${fields.map((field) => html`<th scope="col">${fieldName(kind, field)}</th>`)}</tr></thead>
  <tbody>${list.map((row) => html`<tr>${fields.map((field) => html`<td>${fieldValue(kind, field, row?.[field])}</td>`)}</tr>`)}</tbody>
</table>`;
  })}`;
}

/** Why an inquiry got no answer, in the citizen's words: the portal's own reasons are already plain; the hub's say an agency did not answer in time. */
function plainFailure(reason: string): string {
  if (/did not answer/.test(reason)) return 'the agency received the inquiry but did not answer in time, so the exchange hub closed it.';
  return reason.endsWith('.') ? reason : `${reason}.`;
}
