import { Inject, Logger } from '@nestjs/common';
import { openSelfAddressed, parseCiphertext, receiveCode, type PartyBundle } from '@myna/codes';
import { InboundHandler, type InboundMessage, type InboundMessageHandler } from '@myna/messaging';
import { JOB_NAMES, MYNA_PORTAL } from '@myna/protocol';
import { PORTAL_CODE_KEYS } from '../portal-keys';
import { ExchangeRecordRepository } from './exchange-record.repository';

/** DESIGN §5 step 6: the hub tells the portal of every exchange, addressed by the portal's own code. */
@InboundHandler(JOB_NAMES.exchangeRecord)
export class ExchangeRecordHandler implements InboundMessageHandler<'exchange-record'> {
  private readonly logger = new Logger('exchange-record');

  constructor(
    @Inject(PORTAL_CODE_KEYS) private readonly codeKeys: PartyBundle,
    @Inject(ExchangeRecordRepository) private readonly records: ExchangeRecordRepository,
  ) {}

  async handle({ claims }: InboundMessage<'exchange-record'>): Promise<void> {
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
      receipt: claims.receipt ?? null,
      reason: claims.reason ?? null,
      at: toMinute(new Date(claims.at)),
    });
    this.logger.log({ requester: claims.requester, provider: claims.provider, status: claims.status }, 'exchange recorded');
  }
}

const PORTAL = MYNA_PORTAL;

/** The citizen sees the minute; the second would pair records with the requester's times. */
function toMinute(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}
