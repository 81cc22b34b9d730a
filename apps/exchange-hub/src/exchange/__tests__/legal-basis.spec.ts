import { LegalTable } from '@myna/protocol';
import { decideLegalBasis } from '../legal-basis';

describe('decideLegalBasis', () => {
  const table = LegalTable.load();

  it('permits exactly the (requester, provider, item, rule) of a rule, and returns the rule', () => {
    const decision = decideLegalBasis(table, { requester: 'pension-agency', provider: 'tax-agency', item: 'annual-income', rule: 'R-PEN-TAX-INCOME' });
    expect(decision).toMatchObject({ permitted: true, rule: { id: 'R-PEN-TAX-INCOME' } });
  });

  it('denies tax → health for medical claims, naming what was asked and that no such rule exists', () => {
    expect(decideLegalBasis(table, { requester: 'tax-agency', provider: 'health-agency', item: 'medical-claims', rule: 'R-TAX-HEA-CLAIMS' })).toEqual({
      permitted: false,
      reason: 'no rule R-TAX-HEA-CLAIMS lets tax-agency ask health-agency for medical-claims: the legal table has no rule R-TAX-HEA-CLAIMS',
    });
  });

  it.each([
    ['another requester', { requester: 'health-agency', provider: 'tax-agency', item: 'annual-income' }],
    ['another provider', { requester: 'pension-agency', provider: 'health-agency', item: 'annual-income' }],
    ['another item', { requester: 'pension-agency', provider: 'tax-agency', item: 'tax-assessment' }],
    ['the reverse direction', { requester: 'tax-agency', provider: 'pension-agency', item: 'annual-income' }],
  ])('denies a real rule id used for %s, saying what the rule does permit', (_label, request) => {
    const decision = decideLegalBasis(table, { ...request, rule: 'R-PEN-TAX-INCOME' });
    expect(decision.permitted).toBe(false);
    if (!decision.permitted) {
      expect(decision.reason).toBe(
        `no rule R-PEN-TAX-INCOME lets ${request.requester} ask ${request.provider} for ${request.item}: ` +
          'R-PEN-TAX-INCOME lets pension-agency ask tax-agency for annual-income only',
      );
    }
  });
});
