import type { Scenario } from '../runner/scenario';
import { allRefused, describeKnocks, knock } from './door-support';
import { EXCHANGE_HUB, PENSION_AGENCY } from '@myna/protocol';

export const hubLogNeedsAuditor: Scenario = {
  name: 'hub-log-needs-auditor',
  claim: 'The hub’s exchange log — who asked whom for what, and when — is for its auditors only.',
  proves:
    'GET /exchanges, GET /exchanges/:id and GET /rejections at the hub refuse no credentials, a made-up token, an agency officer’s genuine token and the hub’s own dead-letter admin; the hub auditor reads them (control)',
  async run(context) {
    const listing = await context.federation.request<{ exchanges: { id: string }[] }>(EXCHANGE_HUB, 'GET', '/exchanges?limit=1', { as: 'hub-auditor', accept: [200] });
    const one = listing.body.exchanges[0]?.id ?? '00000000-0000-4a00-8000-000000000000';
    for (const path of ['/exchanges', `/exchanges/${one}`, '/rejections']) {
      const knocks = await knock(context, EXCHANGE_HUB, 'GET', path, { wrongRoles: ['dead-letter-admin'], otherService: { service: PENSION_AGENCY, role: 'agency-officer' } });
      context.check(`GET ${path.replace(one, '<exchange>')} answers the hub auditor only`, allRefused(knocks) && knocks.every((attempt) => !attempt.text.includes('requester')), describeKnocks(knocks));
    }
    context.check('the hub auditor reads the log (control)', listing.status === 200, `GET /exchanges as the hub auditor: ${listing.status}, ${listing.body.exchanges.length} exchange(s)`);
    return context.conclude();
  },
};
