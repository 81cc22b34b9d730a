import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CARD_ISSUER,
  CertificateError,
  PORTAL_CODE_REQUEST_TYPE,
  PORTAL_CODE_RESPONSE_TYPE,
  PORTAL_CODE_TTL_SECONDS,
  portalCodeResponseClaimsSchema,
  verifyCardStatus,
  type CertificateStatus,
  type IssuerKeyResolver,
} from '@myna/card';
import { SERVICE_CONFIG, SERVICE_KEYS, type ServiceConfig } from '@myna/platform';
import { callService, EnvelopeError, openMessage, sealMessage, ServiceKeyRing } from '@myna/protocol';
import { z } from 'zod';
import { LoginRefusedError } from '../login/login.exception';

const TIMEOUT_MS = 10_000;

/**
 * The portal as a relying party of code-issuer: the certificate's status (signed,
 * with our nonce) and the portal's own code for its holder (sealed both ways).
 * Any doubt fails closed: no answer, no sign-in.
 */
@Injectable()
export class CardIssuerClient {
  /** Only code-issuer's registered signing key vouches for cards. */
  readonly resolveIssuerKey: IssuerKeyResolver = (kid) => {
    const verifier = this.keys.verifierFor(kid);
    return verifier?.service === CARD_ISSUER ? verifier.key : undefined;
  };

  constructor(
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async certificateStatus(serial: string): Promise<CertificateStatus> {
    const nonce = randomBytes(16).toString('base64url');
    const { status, body } = await this.call('GET', `/cards/${serial}/status?nonce=${nonce}`);
    if (status === 404) return 'revoked'; // the issuer does not know it: as good as revoked
    if (status !== 200 || typeof body.statusToken !== 'string') throw new LoginRefusedError('issuer-unavailable', `status check answered ${status}`);
    try {
      return (await verifyCardStatus(body.statusToken, this.resolveIssuerKey, { serial, nonce })).status;
    } catch (error) {
      if (error instanceof CertificateError) throw new LoginRefusedError('issuer-unavailable', `status answer refused: ${error.message}`);
      throw error;
    }
  }

  async portalCode(serial: string): Promise<string> {
    const request = await sealMessage(this.keys, {
      to: CARD_ISSUER,
      type: PORTAL_CODE_REQUEST_TYPE,
      claims: { certificateSerial: serial },
      ttlSeconds: PORTAL_CODE_TTL_SECONDS,
    });
    const { status, body } = await this.call('POST', '/portal-codes', { request });
    if (status === 409 && body.code === 'certificate-not-valid') {
      const current = String(body.reason ?? '').match(/is (suspended|revoked|expired)/)?.[1] as 'suspended' | 'revoked' | 'expired' | undefined;
      throw new LoginRefusedError(`certificate-${current ?? 'revoked'}`);
    }
    if (status !== 200 || typeof body.response !== 'string') throw new LoginRefusedError('issuer-unavailable', `portal code answered ${status}`);
    try {
      const opened = await openMessage(this.keys, body.response, { type: PORTAL_CODE_RESPONSE_TYPE, from: [CARD_ISSUER], maxAgeSeconds: PORTAL_CODE_TTL_SECONDS });
      const claims = portalCodeResponseClaimsSchema.parse(opened.claims);
      if (claims.certificateSerial !== serial) throw new LoginRefusedError('issuer-unavailable', 'portal code answer is about another certificate');
      return claims.portalCode;
    } catch (error) {
      if (error instanceof LoginRefusedError) throw error;
      if (error instanceof EnvelopeError) throw new LoginRefusedError('issuer-unavailable', `portal code answer refused: ${error.code}`);
      throw new LoginRefusedError('issuer-unavailable', 'portal code answer is malformed');
    }
  }

  /** Every event in the lives of the cards of this certificate's holder; empty when the issuer does not know the serial. */
  async cardEvents(serial: string): Promise<CardLifeEvent[]> {
    const { status, body } = await this.call('GET', `/cards/${serial}/events`);
    if (status === 404) return [];
    const parsed = cardEventsSchema.safeParse(body);
    if (status !== 200 || !parsed.success) throw new LoginRefusedError('issuer-unavailable', `card events answered ${status}`);
    return parsed.data.events;
  }

  private async call(method: 'GET' | 'POST', path: string, json?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    try {
      return await callService(this.keys, CARD_ISSUER, `${this.config.peers.codeIssuerUrl}${path}`, { method, json, timeoutMs: TIMEOUT_MS });
    } catch (error) {
      throw new LoginRefusedError('issuer-unavailable', `code-issuer did not answer: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
  }
}

const cardEventsSchema = z.object({
  events: z.array(
    z.object({
      certificateSerial: z.string().regex(/^[0-9A-F]{20}$/),
      kind: z.enum(['issued', 'superseded', 'suspended', 'resumed', 'pin-reset', 'revoked']),
      detail: z.string().max(200).nullable(),
      at: z.iso.datetime(),
    }),
  ).max(1000),
});
export type CardLifeEvent = z.infer<typeof cardEventsSchema>['events'][number];
