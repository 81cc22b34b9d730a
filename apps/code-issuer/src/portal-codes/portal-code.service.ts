import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  PORTAL_CODE_REQUEST_TYPE,
  PORTAL_CODE_RESPONSE_TYPE,
  PORTAL_CODE_TTL_SECONDS,
  portalCodeRequestClaimsSchema,
  type PortalCodeResponseClaims,
} from '@myna/card';
import { issueAgencyCode, type IssuerBundle } from '@myna/codes';
import { SERVICE_KEYS } from '@myna/platform';
import { describeIssue, EnvelopeError, openMessage, sealMessage, ServiceKeyRing, MYNA_PORTAL } from '@myna/protocol';
import { CardsRepository } from '../cards/cards.repository';
import { ISSUER_BUNDLE } from '../issuance/issuer-bundle.provider';
import { PortalCodeException } from './portal-code.exception';

const PORTAL = MYNA_PORTAL;
const MESSAGE_ID_MAX_LENGTH = 128;

/**
 * The portal's code for the holder of a card certificate that is valid now. Only
 * myna-portal may ask (a request it signed, sealed to the issuer); only
 * myna-portal can read the answer. The portal learns its own code and nothing
 * else: no My Number, no serial of the residence register.
 */
@Injectable()
export class PortalCodeService {
  private readonly logger = new Logger('portal-codes');

  constructor(
    @Inject(SERVICE_KEYS) private readonly ring: ServiceKeyRing,
    @Inject(ISSUER_BUNDLE) private readonly issuerBundle: IssuerBundle,
    private readonly cards: CardsRepository,
  ) {}

  async issue(sealedRequest: string): Promise<string> {
    let message;
    try {
      message = await openMessage(this.ring, sealedRequest, { type: PORTAL_CODE_REQUEST_TYPE, from: [PORTAL], maxAgeSeconds: PORTAL_CODE_TTL_SECONDS });
    } catch (error) {
      if (error instanceof EnvelopeError) throw new PortalCodeException(error.code, error.message);
      throw error;
    }
    if (message.id.length > MESSAGE_ID_MAX_LENGTH) throw new PortalCodeException('malformed', `message id must be at most ${MESSAGE_ID_MAX_LENGTH} characters`);
    const claims = portalCodeRequestClaimsSchema.safeParse(message.claims);
    if (!claims.success) throw new PortalCodeException('invalid-claims', describeIssue(claims.error));
    const { certificateSerial } = claims.data;

    const holder = await this.cards.findHolder(certificateSerial);
    if (!holder) throw new PortalCodeException('certificate-not-found', `no card certificate ${certificateSerial}`);
    const status = holder.status === 'valid' && holder.expiresAt <= new Date() ? 'expired' : holder.status;
    if (status !== 'valid') throw new PortalCodeException('certificate-not-valid', `the certificate is ${status}`);

    const portalCode = issueAgencyCode(this.issuerBundle, PORTAL, holder.processingSerial).toText();
    const claimsOut: PortalCodeResponseClaims = { requestId: message.id, certificateSerial, portalCode };
    const response = await sealMessage(this.ring, { to: PORTAL, type: PORTAL_CODE_RESPONSE_TYPE, claims: { ...claimsOut }, ttlSeconds: PORTAL_CODE_TTL_SECONDS });
    if ((await this.cards.recordPortalCodeIssuance(message.id, holder.citizenId)) === 'replayed') {
      throw new PortalCodeException('replayed', 'this request message id has already been answered');
    }
    this.logger.log({ certificateSerial }, 'portal code issued');
    return response;
  }
}
