import { auditSoak, verdictIsClean, type SoakStores } from './soak-audit';

const answered = (): SoakStores => ({
  accepted: [{ requester: 'pension-agency', inquiryId: 'i1' }, { requester: 'tax-agency', inquiryId: 'i2' }],
  requester: [
    { requester: 'pension-agency', id: 'i1', provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', status: 'answered', reason: null },
    { requester: 'tax-agency', id: 'i2', provider: 'health-agency', rule: 'R-TAX-HEA-CLAIMS', status: 'denied', reason: 'no rule' },
  ],
  hub: [
    { requester: 'pension-agency', inquiryId: 'i1', provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', status: 'answered', providerHandle: 'h1', portalHandle: 'p1' },
    { requester: 'tax-agency', inquiryId: 'i2', provider: 'health-agency', rule: 'R-TAX-HEA-CLAIMS', status: 'denied', providerHandle: null, portalHandle: 'p2' },
  ],
  provider: [{ provider: 'tax-agency', handle: 'h1', requester: 'pension-agency', rule: 'R-PEN-TAX-INCOME', outcome: 'answered' }],
  portal: [
    { handle: 'p1', status: 'permitted', requester: 'pension-agency', provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME' },
    { handle: 'p2', status: 'denied', requester: 'tax-agency', provider: 'health-agency', rule: 'R-TAX-HEA-CLAIMS' },
  ],
});

describe('the soak audit', () => {
  it('passes exchanges that are terminal once at all four parties', () => {
    const verdict = auditSoak(answered());
    expect(verdictIsClean(verdict)).toBe(true);
    expect(verdict.figures).toMatchObject({ accepted: 2, inquiries: 2, providerAnswers: 1, portalRecords: 2, byHubStatus: { answered: 1, denied: 1 } });
  });

  it('finds an accepted inquiry the requester lost, and one that never reached the hub', () => {
    const stores = answered();
    stores.accepted.push({ requester: 'health-agency', inquiryId: 'i3' });
    stores.requester.push({ requester: 'health-agency', id: 'i4', provider: 'tax-agency', rule: 'R-HEA-TAX-INCOME', status: 'failed', reason: 'expired' });
    const verdict = auditSoak(stores);
    expect(verdict.lost).toEqual([expect.stringContaining('i3'), expect.stringContaining('i4')]);
  });

  it('counts an inquiry the hub queue refused (the caller got a 503) apart, not as lost', () => {
    const stores = answered();
    stores.requester.push({ requester: 'health-agency', id: 'i4', provider: 'tax-agency', rule: 'R-HEA-TAX-INCOME', status: 'failed', reason: 'the exchange hub queue did not accept the inquiry' });
    const verdict = auditSoak(stores);
    expect(verdictIsClean(verdict)).toBe(true);
    expect(verdict.figures.refusedAtTheDoor).toBe(1);
  });

  it('finds stuck exchanges: pending at the requester, open at the hub', () => {
    const stores = answered();
    stores.requester[0].status = 'pending';
    stores.hub[0].status = 'delivered';
    expect(auditSoak(stores).stuck).toHaveLength(2);
  });

  it('finds doubles: two exchanges for one inquiry, an answer or a record no exchange carries', () => {
    const stores = answered();
    stores.hub.push({ ...stores.hub[0], providerHandle: 'h9', portalHandle: 'p9' });
    stores.provider.push({ ...stores.provider[0], handle: 'h8' });
    stores.portal.push({ ...stores.portal[0], handle: 'p8' });
    const { duplicated } = auditSoak(stores);
    expect(duplicated).toEqual([
      expect.stringContaining('the hub opened 2 exchanges'),
      expect.stringContaining('h8'),
      expect.stringContaining('p8'),
    ]);
  });

  it('finds a missing provider answer or portal record, and a denied exchange that reached the provider', () => {
    const stores = answered();
    stores.provider = [{ provider: 'health-agency', handle: 'hx', requester: 'tax-agency', rule: 'R-TAX-HEA-CLAIMS', outcome: 'answered' }];
    stores.hub[1].providerHandle = 'hx';
    stores.portal.pop();
    const verdict = auditSoak(stores);
    expect(verdict.lost).toEqual([expect.stringContaining('tax-agency holds no answer'), expect.stringContaining('portal holds no record')]);
    expect(verdict.deniedReachedProvider).toEqual([expect.stringContaining('reached health-agency')]);
  });

  it('finds parties that disagree on the outcome', () => {
    const stores = answered();
    stores.requester[0].status = 'no-record';
    stores.portal[1].status = 'permitted';
    expect(auditSoak(stores).inconsistent).toHaveLength(2);
  });
});
