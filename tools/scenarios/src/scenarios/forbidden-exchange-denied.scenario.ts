import { edgeFactorsFor, parseHubBundle } from '@myna/codes';
import { EXCHANGE_HUB, LegalTable, HEALTH_AGENCY, MYNA_PORTAL, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
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
      !table.rules.some((rule) => rule.requester === TAX_AGENCY && rule.provider === HEALTH_AGENCY),
      `tax-agency may ask: ${table.rules.filter((rule) => rule.requester === TAX_AGENCY).map((rule) => `${rule.provider} for ${rule.item} (${rule.id})`).join(', ')}`,
    );
    const citizen = await newCitizen(context, 'a new citizen');
    const healthDeliveriesBefore = await context.queues.jobCount(HEALTH_AGENCY);
    const marks = await markDatabases(context);

    const denied = await exchange(context, TAX_AGENCY, citizen, { provider: HEALTH_AGENCY, rule: 'R-TAX-HEA-CLAIMS', item: 'medical-claims' });
    context.check(
      'tax is told the inquiry is denied, with the reason',
      denied.status === 'denied' && /no rule R-TAX-HEA-CLAIMS/.test(denied.reason ?? ''),
      `status ${denied.status}: ${denied.reason ?? 'no reason'}`,
    );
    const hubRow = await context.databases.hub.exchange(TAX_AGENCY, denied.id);
    context.say(EXCHANGE_HUB, `records exchange ${hubRow?.id ?? '(none)'} as ${hubRow?.status ?? 'nothing'}`);
    context.check(
      'the hub recorded the exchange as denied and issued health no handle: nothing was delivered',
      hubRow?.status === 'denied' && hubRow.provider_handle === null,
      hubRow ? `status ${hubRow.status}, provider handle ${hubRow.provider_handle ?? 'none'}, reason: ${hubRow.reason}` : 'no exchange recorded',
    );
    const provided = await context.databases.agency(HEALTH_AGENCY).providedCount({ requester: TAX_AGENCY });
    const healthDeliveriesAfter = await context.queues.jobCount(HEALTH_AGENCY);
    context.check(
      'health never received the inquiry',
      provided === 0 && healthDeliveriesAfter === healthDeliveriesBefore,
      `health's database: ${provided} exchanges ever provided to tax; health's lanes: ${healthDeliveriesBefore} jobs before, ${healthDeliveriesAfter} after`,
    );
    const record = await portalRecordOf(context, TAX_AGENCY, denied.id).catch(() => undefined);
    context.say(MYNA_PORTAL, `records the exchange as ${record?.status ?? 'nothing'}, addressed by its own code for the citizen`);
    context.check(
      'the citizen’s portal records the denied exchange',
      record?.status === 'denied' && record.requester === TAX_AGENCY && record.provider === HEALTH_AGENCY,
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
          [TAX_AGENCY]: await agencyCodeOf(context, TAX_AGENCY, citizen.personIds[TAX_AGENCY]!),
          [PENSION_AGENCY]: await agencyCodeOf(context, PENSION_AGENCY, citizen.personIds[PENSION_AGENCY]!),
          [HEALTH_AGENCY]: await agencyCodeOf(context, HEALTH_AGENCY, citizen.personIds[HEALTH_AGENCY]!),
          ...(record ? { [MYNA_PORTAL]: record.portal_code } : {}),
        },
      },
    });

    const wrongItem = await exchange(context, PENSION_AGENCY, citizen, { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'tax-assessment' });
    context.check(
      'a permitted rule does not stretch to another item: pension asking tax for the tax assessment under the income rule is denied',
      wrongItem.status === 'denied',
      `status ${wrongItem.status}: ${wrongItem.reason ?? 'no reason'}`,
    );

    // The arithmetic side: the hub holds no factors for tax → health (see hub-breach for what inversion allows).
    try {
      const hub = parseHubBundle((await context.keys.file(EXCHANGE_HUB)).codes);
      context.say('auditor', `reads the hub's key file (${context.keys.path(EXCHANGE_HUB)}) to see which translations it holds`);
      const tax = (await context.keys.file(TAX_AGENCY)).codes as { sending?: Record<string, unknown> } | undefined;
      context.check(
        'no key exists for tax → health: the hub holds no factors for it, and tax no sending key (hub-breach shows no composition of other factors makes one)',
        edgeFactorsFor(hub, TAX_AGENCY, HEALTH_AGENCY) === undefined && !Object.hasOwn(tax?.sending ?? {}, HEALTH_AGENCY),
        `hub: ${edgeFactorsFor(hub, TAX_AGENCY, HEALTH_AGENCY) ? 'factors' : 'no factors'} for tax-agency → health-agency; tax's key file sends to ${Object.keys(tax?.sending ?? {}).join(', ') || 'no one'}`,
      );
    } catch (error) {
      context.measure('the keys for tax → health', `not examined: ${error instanceof Error ? error.message : String(error)}`);
    }
    return context.conclude();
  },
};
