import type { Scenario } from '../runner/scenario';
import { allRefused, describeKnocks, knock } from './door-support';
import { exchange, newCitizen } from './scenario-support';
import { PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';

export const agencyRecordsLocked: Scenario = {
  name: 'agency-records-locked',
  claim: 'An agency’s records answer its own operators only: no outsider, and no other agency, reads its persons, its results or its exchange records.',
  proves:
    'pension’s GET /persons/:id, GET /inquiries/:id (a result tax answered) and GET /exchange-records refuse no credentials, a made-up token and tax’s genuine officer token, and each answers only the role it is for; no refusal carries the person’s records or the answer; pension’s own operators read them (control)',
  async run(context) {
    const citizen = await newCitizen(context, 'a citizen', { at: [TAX_AGENCY, PENSION_AGENCY] });
    const settled = await exchange(context, PENSION_AGENCY, citizen, { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: { fiscalYear: 2025 } });
    const personId = citizen.personIds[PENSION_AGENCY]!;
    const income = String(citizen.incomeYen);

    const doors = [
      { what: 'a person’s records', path: `/persons/${personId}`, wrongRoles: ['agency-officer', 'dead-letter-admin'] as const, rightRole: 'records-clerk' as const },
      { what: 'an inquiry’s result', path: `/inquiries/${settled.id}`, wrongRoles: ['records-clerk', 'dead-letter-admin'] as const, rightRole: 'agency-officer' as const },
      { what: 'the exchange records', path: '/exchange-records', wrongRoles: ['records-clerk', 'dead-letter-admin'] as const, rightRole: 'agency-officer' as const },
    ];
    for (const door of doors) {
      context.say('attacker', `asks pension-agency for ${door.what} (GET ${door.path.replace(personId, '<person>').replace(settled.id, '<inquiry>')})`);
      const knocks = await knock(context, PENSION_AGENCY, 'GET', door.path, { wrongRoles: door.wrongRoles, otherService: { service: TAX_AGENCY, role: 'agency-officer' } });
      context.check(
        `pension’s ${door.what} answer no outsider, no other agency’s officer, and no operator of another role`,
        allRefused(knocks) && knocks.every((attempt) => !attempt.text.includes(income) && !attempt.text.includes(personId)),
        describeKnocks(knocks),
      );
      const own = await context.federation.request(PENSION_AGENCY, 'GET', door.path, { as: door.rightRole });
      context.check(`pension’s ${door.rightRole} reads ${door.what} (control)`, own.status === 200, `GET as pension’s ${door.rightRole}: ${own.status}`);
    }
    return context.conclude();
  },
};
