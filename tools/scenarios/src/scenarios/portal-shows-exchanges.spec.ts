import { shownRecords } from './portal-shows-exchanges.scenario';

describe('reading the portal’s records page', () => {
  it('reads each exchange row, its outcome and its text, whichever attribute marks the outcome', () => {
    const html = `<table><thead><tr><th>When</th></tr></thead><tbody>
      <tr data-handle="e-1" data-status="permitted"><td>Japan Pension Service</td><td><code>R-PEN-TAX-INCOME</code></td></tr>
      <tr class="denied" data-handle="e-2"><td>Municipal tax office</td><td><code>R-TAX-HEA-CLAIMS</code></td><td>Denied (不許可)</td></tr>
      <tr data-handle="e-3"><td>R-HEA-PEN-BENEFIT</td><td><strong>Denied</strong></td></tr>
      <tr data-handle="e-4" data-status="unanswered"><td>R-PEN-TAX-INCOME</td><td>Not answered (未回答)</td></tr>
      <tr data-handle="e-5"><td>R-HEA-TAX-INCOME</td><td>Not answered</td></tr>
    </tbody></table>`;
    expect(shownRecords(html)).toEqual([
      { handle: 'e-1', outcome: 'permitted', text: 'Japan Pension Service R-PEN-TAX-INCOME' },
      { handle: 'e-2', outcome: 'denied', text: 'Municipal tax office R-TAX-HEA-CLAIMS Denied (不許可)' },
      { handle: 'e-3', outcome: 'denied', text: 'R-HEA-PEN-BENEFIT Denied' },
      { handle: 'e-4', outcome: 'unanswered', text: 'R-PEN-TAX-INCOME Not answered (未回答)' },
      { handle: 'e-5', outcome: 'unanswered', text: 'R-HEA-TAX-INCOME Not answered' },
    ]);
  });
});
