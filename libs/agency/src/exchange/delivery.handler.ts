import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { parseCiphertext, receiveCode, type PartyBundle } from '@myna/codes';
import { MessageSender, type InboundHandler, type InboundJob } from '@myna/messaging';
import { SERVICE_KEYS } from '@myna/platform';
import {
  decryptForMe,
  deliveryClaimsSchema,
  EXCHANGE_HUB,
  JOB_NAMES,
  MESSAGE_MAX_AGE_SECONDS,
  MESSAGE_TTL_SECONDS,
  MESSAGE_TYPES,
  sealMessage,
  ServiceKeyRing,
  signMessage,
  verifyMessage,
  type Agency,
  type DeliveryClaims,
  type LegalTable,
} from '@myna/protocol';
import { AGENCY_DOMAIN, UnknownItemError, type AgencyDomain } from '../agency-domain';
import { AGENCY_PARTY, LEGAL_TABLE, OWN_CODE_KEYS } from '../agency-core';
import { AgencyPerson } from '../persons/agency-person.entity';
import { ProvidedExchange } from './exchange.entities';
import { checkEnvelope, rejectMessage } from './rejections';

/**
 * DESIGN §5 step 4, the provider's side: open the hub's opaque token, decrypt and
 * close its own code, look up the record, answer under the hub's handle with a
 * payload only the requester can read. One answer per handle, however often the
 * delivery is retried: a retry answers again under the recorded answer id.
 */
@Injectable()
export class DeliveryHandler implements InboundHandler {
  readonly jobName = JOB_NAMES.delivery;
  private readonly logger = new Logger('delivery');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
    @Inject(OWN_CODE_KEYS) private readonly codeKeys: PartyBundle,
    @Inject(AGENCY_PARTY) private readonly party: Agency,
    @Inject(LEGAL_TABLE) private readonly legalTable: LegalTable,
    @Inject(AGENCY_DOMAIN) private readonly domain: AgencyDomain,
    @Inject(MessageSender) private readonly sender: MessageSender,
  ) {}

  async handle(token: string, job: InboundJob): Promise<void> {
    const message = await checkEnvelope(this.dataSource, job, async () =>
      verifyMessage(this.keys, await decryptForMe(this.keys, token), {
        type: MESSAGE_TYPES.delivery,
        from: [EXCHANGE_HUB],
        maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS,
      }),
    );
    const parsed = deliveryClaimsSchema.safeParse(message.claims);
    if (!parsed.success) return rejectMessage(this.dataSource, job, 'malformed', 'delivery claims do not match the protocol');
    const delivery = parsed.data;

    // Defence in depth: the provider checks the legal table too.
    if (!this.legalTable.permits(delivery.requester, this.party, delivery.item, delivery.rule)) {
      return rejectMessage(this.dataSource, job, 'not-permitted', `no rule ${delivery.rule} lets ${delivery.requester} ask ${this.party} for ${delivery.item}`);
    }

    const agencyCode = receiveCode(this.codeKeys, delivery.requester, parseCiphertext(delivery.subject)).toText();
    const person = await this.dataSource.getRepository(AgencyPerson).findOne({ where: { agencyCode }, select: { id: true } });
    let value: Record<string, unknown> | null = null;
    if (person) {
      try {
        value = await this.domain.answer(this.dataSource.manager, person.id, delivery.item, delivery.parameters);
      } catch (error) {
        if (error instanceof UnknownItemError) return rejectMessage(this.dataSource, job, 'unknown-item', error.message);
        throw error;
      }
    }
    const outcome = value === null ? 'no-record' : 'answered';
    const inserted = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ProvidedExchange)
      .values({ handle: delivery.handle, requester: delivery.requester, rule: delivery.rule, item: delivery.item, personId: person?.id ?? null, outcome, answerMessageId: randomUUID(), receipt: delivery.receipt ?? null })
      .orIgnore()
      .returning(['handle'])
      .execute();
    injectFault('after-answer-recorded');
    // A concurrent or earlier attempt may have recorded it first: answer under the id it recorded.
    const provided = await this.dataSource.getRepository(ProvidedExchange).findOneByOrFail({ handle: delivery.handle });
    await this.sender.send(EXCHANGE_HUB, JOB_NAMES.answer, await this.answer(delivery, provided.outcome, value, provided.answerMessageId), provided.answerMessageId);
    const first = (inserted.raw as unknown[]).length > 0;
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

/**
 * Crash-recovery tests kill a worker at the worst moment: after its answer is
 * recorded, before it is sent. Only honoured in the test environment.
 */
function injectFault(point: string): void {
  if (process.env.NODE_ENV === 'test' && process.env.MYNA_FAULT === point) process.kill(process.pid, 'SIGKILL');
}
