import type { Scenario } from '../runner/scenario';
import { allRefused, describeKnocks, knock } from './door-support';
import { newCitizen } from './scenario-support';
import { PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';

export const inquiryNeedsCredentials: Scenario = {
  name: 'inquiry-needs-credentials',
  claim: 'Only an agency’s own officers can make an inquiry in its name: no outsider, and no other agency, can ask the hub anything as it.',
  proves:
    'POST /inquiries at pension, for one of pension’s persons under pension’s own rule, is refused without credentials, with a made-up token, with tax’s genuine officer token and with pension’s records clerk; nothing reaches the hub (its exchange log does not grow) and pension records no inquiry',
  async run(context) {
    const citizen = await newCitizen(context, 'a citizen', { at: [TAX_AGENCY, PENSION_AGENCY] });
    const personId = citizen.personIds[PENSION_AGENCY]!;
    const count = async () => {
      const hub = await context.databases.hub.exchangeCount();
      const pension = await context.databases.agency(PENSION_AGENCY).inquiryCount(personId);
      return { hub, pension };
    };
    const before = await count();
    context.say('attacker', 'asks for tax’s income record of a pension person, in pension’s name, under R-PEN-TAX-INCOME');
    const knocks = await knock(context, PENSION_AGENCY, 'POST', '/inquiries', {
      body: { personId, provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: { fiscalYear: 2025 } },
      wrongRoles: ['records-clerk', 'dead-letter-admin'],
      otherService: { service: TAX_AGENCY, role: 'agency-officer' },
    });
    context.check('no one but pension’s officers can inquire in pension’s name', allRefused(knocks), describeKnocks(knocks));
    await context.queues.settle();
    const after = await count();
    context.check(
      'nothing of it reached the hub, and pension recorded no inquiry',
      after.hub === before.hub && after.pension === before.pension,
      `hub exchanges ${before.hub} → ${after.hub}; pension inquiries for the person ${before.pension} → ${after.pension}`,
    );
    return context.conclude();
  },
};
