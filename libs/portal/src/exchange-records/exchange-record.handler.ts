import { Inject, Injectable, Logger } from '@nestjs/common';
import { openSelfAddressed, parseCiphertext, receiveCode, type PartyBundle } from '@myna/codes';
import { InboundEnvelope, InboundHandler, type InboundJob, type InboundMessageHandler } from '@myna/messaging';
import { EXCHANGE_HUB, exchangeRecordClaimsSchema, JOB_NAMES, MESSAGE_MAX_AGE_SECONDS, MESSAGE_TYPES } from '@myna/protocol';
import { PORTAL_CODE_KEYS } from '../portal-keys';
import { ExchangeRecordRepository } from './exchange-record.repository';

/** DESIGN §5 step 6: the hub tells the portal of every exchange, addressed by the portal's own code. */
@Injectable()
@InboundHandler(JOB_NAMES.exchangeRecord)
export class ExchangeRecordHandler implements InboundMessageHandler {
  private readonly logger = new Logger('exchange-record');

  constructor(
    @Inject(InboundEnvelope) private readonly envelope: InboundEnvelope,
    @Inject(PORTAL_CODE_KEYS) private readonly codeKeys: PartyBundle,
    @Inject(ExchangeRecordRepository) private readonly records: ExchangeRecordRepository,
  ) {}

  async handle(token: string, job: InboundJob): Promise<void> {
    const { claims } = await this.envelope.open(
      job,
      token,
      { type: MESSAGE_TYPES.exchangeRecord, from: [EXCHANGE_HUB], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS },
      exchangeRecordClaimsSchema,
    );
    // Along the requester's edge to the portal, closed with the portal's closing scalar; or, for the
    // portal's own inquiry, the code it addressed to itself.
    const subject = parseCiphertext(claims.subject);
    const portalCode = (claims.requester === PORTAL ? openSelfAddressed(this.codeKeys, subject) : receiveCode(this.codeKeys, claims.requester, subject)).toText();
    await this.records.recordOnce({
      handle: claims.handle,
      portalCode,
      requester: claims.requester,
      provider: claims.provider,
      rule: claims.rule,
      item: claims.item,
      procedure: claims.procedure,
      status: claims.status,
      reason: claims.reason ?? null,
      at: toMinute(new Date(claims.at)),
    });
    this.logger.log({ requester: claims.requester, provider: claims.provider, status: claims.status }, 'exchange recorded');
  }
}

const PORTAL = 'myna-portal';

/** The citizen sees the minute; the second would pair records with the requester's times. */
function toMinute(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}
