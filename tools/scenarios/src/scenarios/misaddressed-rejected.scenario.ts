import {
  EXCHANGE_HUB,
  MESSAGE_TTL_SECONDS,
  MESSAGE_TYPES,
  sealMessage,
  signMessage,
  HEALTH_AGENCY,
  PENSION_AGENCY,
  TAX_AGENCY,
} from '@myna/protocol';
import type { Scenario } from '../runner/scenario';
import { agencyCodeOf, agencyRejectionOf, capturedExchange, injectIntoHub, inquiryClaims, insiderKeys, newCitizen, tokenOnLane } from './scenario-support';

export const misaddressedRejected: Scenario = {
  name: 'misaddressed-rejected',
  claim: 'A message is accepted only by the party it is addressed to, from the party it is expected from: a misaddressed message is refused wherever it lands.',
  proves:
    'tax’s opaque token put on health’s lane (not-for-me), pension’s result put on tax’s lane (wrong-audience), an inquiry addressed to tax put on the hub’s lane (wrong-audience), and health answering under a handle issued to tax (misaddressed) are all refused',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen');
    const { inquiry, hubExchange } = await capturedExchange(context, citizen);

    // With Redis's administrator access, no keys needed: real messages, put on the wrong lane.
    const delivery = await tokenOnLane(context, { to: TAX_AGENCY, from: EXCHANGE_HUB }, 'delivery');
    const deliveryJob = `misaddressed-delivery-${context.tag}`;
    await context.queues.inject(HEALTH_AGENCY, EXCHANGE_HUB, 'delivery', { token: delivery }, deliveryJob);
    context.say('attacker', `copies one of the hub's opaque tokens for tax onto the hub's lane to health (job ${deliveryJob})`);
    const healthRefusal = await agencyRejectionOf(context, HEALTH_AGENCY, deliveryJob);
    context.say(HEALTH_AGENCY, `refuses it: ${healthRefusal.reason} — ${healthRefusal.detail}`);
    const healthAnswered = await context.databases.agency(HEALTH_AGENCY).providedCount({ handle: hubExchange.provider_handle });
    context.check(
      'health cannot open a delivery sealed to tax, and answers nothing',
      healthRefusal.reason === 'not-for-me' && healthAnswered === 0,
      `health's database: rejected_message ${healthRefusal.reason}; provided exchanges for it: ${healthAnswered}`,
    );

    const result = await tokenOnLane(context, { to: PENSION_AGENCY, from: EXCHANGE_HUB }, 'result', (claims) => claims?.inquiryId === inquiry.id);
    const resultJob = `misaddressed-result-${context.tag}`;
    await context.queues.inject(TAX_AGENCY, EXCHANGE_HUB, 'result', { token: result }, resultJob);
    context.say('attacker', `copies the hub's result for pension onto the hub's lane to tax (job ${resultJob})`);
    const taxRefusal = await agencyRejectionOf(context, TAX_AGENCY, resultJob);
    context.say(TAX_AGENCY, `refuses it: ${taxRefusal.reason} — ${taxRefusal.detail}`);
    context.check('tax refuses a result addressed to pension', taxRefusal.reason === 'wrong-audience', `tax's database: rejected_message ${taxRefusal.reason}`);

    // With an insider's own keys: correctly signed, wrongly addressed.
    const pension = await insiderKeys(context, PENSION_AGENCY, 'attacker', 'an insider at pension, signing correctly but addressing wrongly');
    const pensionCode = await agencyCodeOf(context, PENSION_AGENCY, citizen.personIds[PENSION_AGENCY]!);
    const toTax = inquiryClaims(pension, pensionCode, { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' });
    await injectIntoHub(context, {
      what: 'a pension inquiry addressed to tax-agency instead of the hub',
      jobName: 'inquiry',
      data: { token: await signMessage(pension, { to: TAX_AGENCY, type: MESSAGE_TYPES.inquiry, claims: toTax.claims, ttlSeconds: MESSAGE_TTL_SECONDS, id: toTax.inquiryId }) },
      jobId: toTax.inquiryId,
      inquiryId: toTax.inquiryId,
      expectedReason: 'wrong-audience',
    });

    const health = await insiderKeys(context, HEALTH_AGENCY, 'attacker', 'an insider at health, answering an exchange that was never delivered to it');
    const payload = await sealMessage(health, {
      to: PENSION_AGENCY,
      type: MESSAGE_TYPES.answerPayload,
      claims: { item: 'annual-income', outcome: 'answered', value: { fiscalYear: 2025, incomeYen: 1 } },
      ttlSeconds: MESSAGE_TTL_SECONDS,
    });
    const answerJob = `misaddressed-answer-${context.tag}`;
    const before = await context.federation.inquiry(PENSION_AGENCY, inquiry.id);
    await injectIntoHub(context, {
      what: `health's answer under the handle the hub issued to tax (health learned it somehow)`,
      jobName: 'answer',
      data: {
        token: await signMessage(health, {
          to: EXCHANGE_HUB,
          type: MESSAGE_TYPES.answer,
          claims: { handle: hubExchange.provider_handle, outcome: 'answered', payload },
          ttlSeconds: MESSAGE_TTL_SECONDS,
          id: answerJob,
        }),
      },
      jobId: answerJob,
      expectedReason: 'misaddressed',
      nothingChanged: async () => {
        const after = await context.federation.inquiry(PENSION_AGENCY, inquiry.id);
        return {
          holds: JSON.stringify(after.result) === JSON.stringify(before.result),
          detail: `pension still holds tax's answer ${JSON.stringify(after.result)}`,
        };
      },
    });
    return context.conclude();
  },
};
