import { Inject, Logger } from '@nestjs/common';
import { parseCiphertext, receiveCode, type PartyBundle } from '@myna/codes';
import { InboundHandler, MessageRejections, MessageSender, type InboundMessage, type InboundMessageHandler } from '@myna/messaging';
import { SERVICE_KEYS } from '@myna/platform';
import {
  EXCHANGE_HUB,
  JOB_NAMES,
  MESSAGE_TTL_SECONDS,
  MESSAGE_TYPES,
  sealMessage,
  ServiceKeyRing,
  signMessage,
  type Agency,
  type DeliveryClaims,
  type LegalTable,
} from '@myna/protocol';
import { UnknownItemError } from '../agency-domain';
import { AGENCY_PARTY, LEGAL_TABLE, OWN_CODE_KEYS } from '../agency-core';
import { AgencyPersonRepository } from '../persons/agency-person.repository';
import { ProvidedExchangeRepository } from './provided-exchange.repository';

/**
 * DESIGN §5 step 4, the provider's side: given the hub's opaque token (opened at the edge), decrypt and
 * close its own code, look up the record, answer under the hub's handle with a
 * payload only the requester can read. One answer per handle, however often the
 * delivery is retried: a retry answers again under the recorded answer id.
 */
@InboundHandler(JOB_NAMES.delivery)
export class DeliveryHandler implements InboundMessageHandler<'delivery'> {
  private readonly logger = new Logger('delivery');

  constructor(
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
    @Inject(OWN_CODE_KEYS) private readonly codeKeys: PartyBundle,
    @Inject(AGENCY_PARTY) private readonly party: Agency,
    @Inject(LEGAL_TABLE) private readonly legalTable: LegalTable,
    @Inject(AgencyPersonRepository) private readonly persons: AgencyPersonRepository,
    @Inject(ProvidedExchangeRepository) private readonly providedExchanges: ProvidedExchangeRepository,
    @Inject(MessageSender) private readonly sender: MessageSender,
    @Inject(MessageRejections) private readonly rejections: MessageRejections,
  ) {}

  async handle({ job, message, claims: delivery }: InboundMessage<'delivery'>): Promise<void> {

    // Defence in depth: the provider checks the legal table too.
    if (!this.legalTable.permits(delivery.requester, this.party, delivery.item, delivery.rule)) {
      return this.rejections.reject(job, 'not-permitted', `no rule ${delivery.rule} lets ${delivery.requester} ask ${this.party} for ${delivery.item}`, message);
    }

    const agencyCode = receiveCode(this.codeKeys, delivery.requester, parseCiphertext(delivery.subject)).toText();
    const personId = await this.persons.idByAgencyCode(agencyCode);
    let value: Record<string, unknown> | null = null;
    if (personId) {
      try {
        value = await this.persons.answer(personId, delivery.item, delivery.parameters);
      } catch (error) {
        if (error instanceof UnknownItemError) return this.rejections.reject(job, 'unknown-item', error.message, message);
        throw error;
      }
    }
    const outcome = value === null ? 'no-record' : 'answered';
    // A concurrent or earlier attempt may have recorded it first: answer under the id it recorded.
    const { provided, first } = await this.providedExchanges.recordOnce({
      handle: delivery.handle,
      requester: delivery.requester,
      rule: delivery.rule,
      item: delivery.item,
      personId,
      outcome,
      receipt: delivery.receipt ?? null,
    });
    await this.sender.send(EXCHANGE_HUB, JOB_NAMES.answer, await this.answer(delivery, provided.outcome, value, provided.answerMessageId), provided.answerMessageId);
    this.logger.log({ requester: delivery.requester, rule: delivery.rule, item: delivery.item, outcome, again: !first || undefined }, 'answered');
  }

  /** The answer for the hub: the provider's handle, and the value sealed to the requester (signed inside, so the hub cannot alter it). */
  private async answer(delivery: DeliveryClaims, outcome: 'answered' | 'no-record', value: Record<string, unknown> | null, id: string): Promise<string> {
    const payload = await sealMessage(this.keys, {
      to: delivery.requester,
      type: MESSAGE_TYPES.answerPayload,
      ttlSeconds: MESSAGE_TTL_SECONDS,
      claims: { item: delivery.item, outcome, value: value ?? {} },
    });
    return signMessage(this.keys, {
      to: EXCHANGE_HUB,
      type: MESSAGE_TYPES.answer,
      id,
      ttlSeconds: MESSAGE_TTL_SECONDS,
      claims: { handle: delivery.handle, outcome, payload },
    });
  }
}
