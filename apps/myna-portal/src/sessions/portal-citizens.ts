import { Inject, Injectable } from '@nestjs/common';
import type { CitizenSessions, Principal } from '@myna/platform';
import { CardIssuerClient } from '../issuer-client/card-issuer.client';
import { SessionService } from './session.service';

/**
 * Who the citizen of a request is: a live session whose card is still valid at
 * the issuer, checked on every request. A suspended or revoked card ends the
 * session there and then; an issuer that cannot answer refuses the request (it
 * fails closed).
 */
@Injectable()
export class PortalCitizens implements CitizenSessions {
  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(CardIssuerClient) private readonly issuer: CardIssuerClient,
  ) {}

  async resolve(request: { headers: Record<string, string | string[] | undefined> }): Promise<Extract<Principal, { kind: 'citizen' }> | undefined> {
    const cookie = request.headers.cookie;
    const session = await this.sessions.open(typeof cookie === 'string' ? cookie : undefined);
    if (!session) return undefined;
    if ((await this.issuer.certificateStatus(session.certificateSerial)) !== 'valid') {
      await this.sessions.endById(session.id);
      return undefined;
    }
    return { kind: 'citizen', portalCode: session.portalCode, sessionId: session.id, certificateSerial: session.certificateSerial };
  }
}
