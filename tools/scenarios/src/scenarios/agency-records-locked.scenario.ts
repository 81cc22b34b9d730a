import type { Scenario } from '../runner/scenario';
import { allRefused, describeKnocks, knock } from './door-support';
import { exchange, newCitizen } from './scenario-support';

export const agencyRecordsLocked: Scenario = {
  name: 'agency-records-locked',
  claim: 'An agency’s records answer its own operators only: no outsider, and no other agency, reads its persons, its results or its exchange records.',
  proves:
    'pension’s GET /persons/:id, GET /inquiries/:id (a result tax answered) and GET /exchange-records refuse no credentials, a made-up token and tax’s genuine officer token, and each answers only the role it is for; no refusal carries the person’s records or the answer; pension’s own operators read them (control)',
  async run(context) {
    const citizen = await newCitizen(context, 'a citizen', { at: ['tax-agency', 'pension-agency'] });
    const settled = await exchange(context, 'pension-agency', citizen, { provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: { fiscalYear: 2025 } });
    const personId = citizen.personIds['pension-agency']!;
    const income = String(citizen.incomeYen);

    const doors = [
      { what: 'a person’s records', path: `/persons/${personId}`, wrongRoles: ['agency-officer', 'dead-letter-admin'] as const, rightRole: 'records-clerk' as const },
      { what: 'an inquiry’s result', path: `/inquiries/${settled.id}`, wrongRoles: ['records-clerk', 'dead-letter-admin'] as const, rightRole: 'agency-officer' as const },
      { what: 'the exchange records', path: '/exchange-records', wrongRoles: ['records-clerk', 'dead-letter-admin'] as const, rightRole: 'agency-officer' as const },
    ];
    for (const door of doors) {
      context.say('attacker', `asks pension-agency for ${door.what} (GET ${door.path.replace(personId, '<person>').replace(settled.id, '<inquiry>')})`);
      const knocks = await knock(context, 'pension-agency', 'GET', door.path, { wrongRoles: door.wrongRoles, otherService: { service: 'tax-agency', role: 'agency-officer' } });
      context.check(
        `pension’s ${door.what} answer no outsider, no other agency’s officer, and no operator of another role`,
        allRefused(knocks) && knocks.every((attempt) => !attempt.text.includes(income) && !attempt.text.includes(personId)),
        describeKnocks(knocks),
      );
      const own = await context.federation.request('pension-agency', 'GET', door.path, { as: door.rightRole });
      context.check(`pension’s ${door.rightRole} reads ${door.what} (control)`, own.status === 200, `GET as pension’s ${door.rightRole}: ${own.status}`);
    }
    return context.conclude();
  },
};
