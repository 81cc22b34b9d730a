import { EXCHANGE_HUB, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
import type { Scenario } from '../runner/scenario';
import { capturedExchange, injectIntoHub, newCitizen } from './scenario-support';

export const replayRejected: Scenario = {
  name: 'replay-rejected',
  claim: 'The hub rejects replayed messages: a real, correctly signed inquiry or answer sent again is refused, and the exchange happens once.',
  proves: 'a captured inquiry and a captured answer, re-enqueued by someone with Redis access, are refused as replayed; one exchange, one answer, one delivery',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen', { at: [TAX_AGENCY, PENSION_AGENCY] });
    const { inquiry, inquiryToken, hubExchange } = await capturedExchange(context, citizen);
    const exchangeId = hubExchange.id;
    const providedRows = () => context.databases.agency(TAX_AGENCY).providedCount({ handle: hubExchange.provider_handle });

    await injectIntoHub(context, {
      what: 'the captured inquiry again, byte for byte',
      jobName: 'inquiry',
      data: { token: inquiryToken },
      jobId: `${inquiry.id}-replay-${context.tag}`,
      expectedReason: 'replayed',
      nothingChanged: async () => {
        const exchanges = await context.databases.hub.exchangeCountForInquiries([inquiry.id]);
        const provided = await providedRows();
        return { holds: exchanges === 1 && provided === 1, detail: `exchanges for the inquiry: ${exchanges}; tax answered it ${provided} time(s)` };
      },
    });

    const answerJob = hubExchange.answer_message_id ?? '';
    const answerToken = await context.queues.tokenOf(EXCHANGE_HUB, TAX_AGENCY, answerJob);
    if (!answerToken) throw new Error(`tax's answer ${answerJob} is no longer on tax's lane to the hub`);
    context.say('attacker', `reads tax's signed answer off tax's lane to the hub (job ${answerJob})`);
    const before = await context.databases.hub.exchangeById(exchangeId);
    const closedAt = before?.closed_at;
    if (!before || !closedAt) throw new Error(`the hub has no closed exchange ${exchangeId}`);
    await injectIntoHub(context, {
      what: 'the captured answer again',
      jobName: 'answer',
      data: { token: answerToken },
      jobId: `${answerJob}-replay-${context.tag}`,
      expectedReason: 'replayed',
      nothingChanged: async () => {
        const after = await context.databases.hub.exchangeById(exchangeId);
        const settled = await context.federation.inquiry(PENSION_AGENCY, inquiry.id);
        const same = after !== undefined && after.status === before.status && after.answer_message_id === before.answer_message_id && after.closed_at?.getTime() === closedAt.getTime();
        return { holds: same && settled.status === 'answered', detail: `the exchange is still ${after?.status ?? 'gone'}, closed once; pension's inquiry is ${settled.status}` };
      },
    });
    return context.conclude();
  },
};
