import { LegalTable } from './legal-table';
import legalTableJson from './legal-basis-table.json';

describe('the legal-basis table', () => {
  const table = LegalTable.load();

  it('permits the exchanges of the design and self-disclosure to the portal', () => {
    expect(table.permits('pension-agency', 'tax-agency', 'annual-income', 'R-PEN-TAX-INCOME')).toBeDefined();
    expect(table.permits('health-agency', 'tax-agency', 'annual-income', 'R-HEA-TAX-INCOME')).toBeDefined();
    expect(table.permits('health-agency', 'pension-agency', 'benefit-status', 'R-HEA-PEN-BENEFIT')).toBeDefined();
    expect(table.permits('tax-agency', 'pension-agency', 'annual-benefit', 'R-TAX-PEN-BENEFIT')).toBeDefined();
    for (const agency of ['tax-agency', 'pension-agency', 'health-agency']) {
      expect(table.rules.some((rule) => rule.requester === 'myna-portal' && rule.provider === agency)).toBe(true);
    }
  });

  it('has no rule letting tax ask health for medical claims', () => {
    expect(table.rules.some((rule) => rule.requester === 'tax-agency' && rule.provider === 'health-agency')).toBe(false);
  });

  it('refuses a rule under another rule’s id, or the wrong requester', () => {
    expect(table.permits('health-agency', 'tax-agency', 'annual-income', 'R-PEN-TAX-INCOME')).toBeUndefined();
  });

  it.each([
    ['a duplicate id', (rules: object[]) => [...rules, rules[0]], /duplicate rule id/],
    ['an unknown party', (rules: object[]) => [{ ...rules[0], provider: 'police' }], /provider/],
    ['a self-pair', (rules: object[]) => [{ ...rules[0], provider: 'pension-agency' }], /with itself/],
    ['an extra field', (rules: object[]) => [{ ...rules[0], wildcard: true }], /wildcard|unrecognized/i],
  ])('rejects %s with a reason', (_what, mutate, reason) => {
    expect(() => LegalTable.parse({ ...legalTableJson, rules: mutate(legalTableJson.rules) })).toThrow(reason);
  });
});
