import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { openSelfAddressed, parseCiphertext, receiveCode, type PartyBundle } from '@myna/codes';
import { RejectedMessageError, type InboundHandler, type InboundJob } from '@myna/messaging';
import { SERVICE_KEYS } from '@myna/platform';
import {
  EnvelopeError,
  EXCHANGE_HUB,
  exchangeRecordClaimsSchema,
  JOB_NAMES,
  MESSAGE_MAX_AGE_SECONDS,
  MESSAGE_TYPES,
  ServiceKeyRing,
  verifyMessage,
} from '@myna/protocol';
import { PORTAL_CODE_KEYS } from '../portal-keys';
import { ExchangeRecord } from './exchange-record.entity';

/** DESIGN §5 step 6: the hub tells the portal of every exchange, addressed by the portal's own code. */
@Injectable()
export class ExchangeRecordHandler implements InboundHandler {
  readonly jobName = JOB_NAMES.exchangeRecord;
  private readonly logger = new Logger('exchange-record');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
    @Inject(PORTAL_CODE_KEYS) private readonly codeKeys: PartyBundle,
  ) {}

  async handle(token: string, _job: InboundJob): Promise<void> {
    let claims;
    try {
      const message = await verifyMessage(this.keys, token, { type: MESSAGE_TYPES.exchangeRecord, from: [EXCHANGE_HUB], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS });
      claims = exchangeRecordClaimsSchema.parse(message.claims);
    } catch (error) {
      if (error instanceof EnvelopeError) throw new RejectedMessageError(error.code, error.message);
      throw new RejectedMessageError('malformed', 'exchange record claims do not match the protocol');
    }
    // Along the requester's edge to the portal, closed with the portal's closing scalar; or, for the
    // portal's own inquiry, the code it addressed to itself.
    const subject = parseCiphertext(claims.subject);
    const portalCode = (claims.requester === PORTAL ? openSelfAddressed(this.codeKeys, subject) : receiveCode(this.codeKeys, claims.requester, subject)).toText();
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ExchangeRecord)
      .values({
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
        receipt: claims.receipt ?? null,
      })
      .orIgnore()
      .execute();
    this.logger.log({ requester: claims.requester, provider: claims.provider, status: claims.status }, 'exchange recorded');
  }
}

const PORTAL = 'myna-portal';

/** The citizen sees the minute; the second would pair records with the requester's times. */
function toMinute(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}
