import { edgeFactorsFor, parseHubBundle } from '@myna/codes';
import { EXCHANGE_HUB, LegalTable } from '@myna/protocol';
import type { Scenario } from '../runner/scenario';
import { markDatabases, showExchangeViews } from './exchange-views';
import { agencyCodeOf, exchange, newCitizen, portalRecordOf } from './scenario-support';

export const forbiddenExchangeDenied: Scenario = {
  name: 'forbidden-exchange-denied',
  claim:
    'Agencies can exchange only what the legal-basis table permits: tax asking health for medical claims is denied and recorded, the citizen sees the denial in the portal, and health never receives the request.',
  proves:
    'tax → health (R-TAX-HEA-CLAIMS) and a permitted rule used for another item are denied by the hub with a reason, recorded as denied at the hub and the portal, and nothing reaches the provider',
  async run(context) {
    const table = LegalTable.load();
    context.check(
      'the legal table has no rule letting tax ask health for anything',
      !table.rules.some((rule) => rule.requester === 'tax-agency' && rule.provider === 'health-agency'),
      `tax-agency may ask: ${table.rules.filter((rule) => rule.requester === 'tax-agency').map((rule) => `${rule.provider} for ${rule.item} (${rule.id})`).join(', ')}`,
    );
    const citizen = await newCitizen(context, 'a new citizen');
    const healthDeliveriesBefore = await context.queues.jobCount('health-agency');
    const marks = await markDatabases(context);

    const denied = await exchange(context, 'tax-agency', citizen, { provider: 'health-agency', rule: 'R-TAX-HEA-CLAIMS', item: 'medical-claims' });
    context.check(
      'tax is told the inquiry is denied, with the reason',
      denied.status === 'denied' && /no rule R-TAX-HEA-CLAIMS/.test(denied.reason ?? ''),
      `status ${denied.status}: ${denied.reason ?? 'no reason'}`,
    );
    const hubRow = await context.databases.hub.exchange('tax-agency', denied.id);
    context.say('exchange-hub', `records exchange ${hubRow?.id ?? '(none)'} as ${hubRow?.status ?? 'nothing'}`);
    context.check(
      'the hub recorded the exchange as denied and issued health no handle: nothing was delivered',
      hubRow?.status === 'denied' && hubRow.provider_handle === null,
      hubRow ? `status ${hubRow.status}, provider handle ${hubRow.provider_handle ?? 'none'}, reason: ${hubRow.reason}` : 'no exchange recorded',
    );
    const provided = await context.databases.agency('health-agency').providedCount({ requester: 'tax-agency' });
    const healthDeliveriesAfter = await context.queues.jobCount('health-agency');
    context.check(
      'health never received the inquiry',
      provided === 0 && healthDeliveriesAfter === healthDeliveriesBefore,
      `health's database: ${provided} exchanges ever provided to tax; health's lanes: ${healthDeliveriesBefore} jobs before, ${healthDeliveriesAfter} after`,
    );
    const record = await portalRecordOf(context, 'tax-agency', denied.id).catch(() => undefined);
    context.say('myna-portal', `records the exchange as ${record?.status ?? 'nothing'}, addressed by its own code for the citizen`);
    context.check(
      'the citizen’s portal records the denied exchange',
      record?.status === 'denied' && record.requester === 'tax-agency' && record.provider === 'health-agency',
      record ? `${record.requester} → ${record.provider}, ${record.rule}: ${record.status}` : 'no record',
    );
    await showExchangeViews(context, marks, {
      variant: 'denied',
      title: 'Tax asks health for the citizen’s medical claims (denied: no rule permits it)',
      outcome: `tax-agency’s inquiry: ${denied.status}${denied.reason ? `, ${denied.reason}` : ''}`,
      secrets: {
        myNumber: citizen.myNumber,
        residenceCode: citizen.residenceCode,
        codes: {
          'tax-agency': await agencyCodeOf(context, 'tax-agency', citizen.personIds['tax-agency']!),
          'pension-agency': await agencyCodeOf(context, 'pension-agency', citizen.personIds['pension-agency']!),
          'health-agency': await agencyCodeOf(context, 'health-agency', citizen.personIds['health-agency']!),
          ...(record ? { 'myna-portal': record.portal_code } : {}),
        },
      },
    });

    const wrongItem = await exchange(context, 'pension-agency', citizen, { provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'tax-assessment' });
    context.check(
      'a permitted rule does not stretch to another item: pension asking tax for the tax assessment under the income rule is denied',
      wrongItem.status === 'denied',
      `status ${wrongItem.status}: ${wrongItem.reason ?? 'no reason'}`,
    );

    // The arithmetic side: the hub holds no factors for tax → health (see hub-breach for what inversion allows).
    try {
      const hub = parseHubBundle((await context.keys.file(EXCHANGE_HUB)).codes);
      context.say('auditor', `reads the hub's key file (${context.keys.path(EXCHANGE_HUB)}) to see which translations it holds`);
      const tax = (await context.keys.file('tax-agency')).codes as { sending?: Record<string, unknown> } | undefined;
      context.check(
        'no key exists for tax → health: the hub holds no factors for it, and tax no sending key (hub-breach shows no composition of other factors makes one)',
        edgeFactorsFor(hub, 'tax-agency', 'health-agency') === undefined && !Object.hasOwn(tax?.sending ?? {}, 'health-agency'),
        `hub: ${edgeFactorsFor(hub, 'tax-agency', 'health-agency') ? 'factors' : 'no factors'} for tax-agency → health-agency; tax's key file sends to ${Object.keys(tax?.sending ?? {}).join(', ') || 'no one'}`,
      );
    } catch (error) {
      context.measure('the keys for tax → health', `not examined: ${error instanceof Error ? error.message : String(error)}`);
    }
    return context.conclude();
  },
};
