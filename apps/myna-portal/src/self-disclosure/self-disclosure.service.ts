import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AgencyCode, encryptSubjects, type PartyBundle } from '@myna/codes';
import { MessageSender } from '@myna/messaging';
import { SERVICE_KEYS } from '@myna/platform';
import {
  EXCHANGE_HUB,
  JOB_NAMES,
  MESSAGE_TTL_SECONDS,
  MESSAGE_TYPES,
  signMessage,
  ServiceKeyRing,
  type LegalRule,
  type LegalTable,
  MYNA_PORTAL,
} from '@myna/protocol';
import { PORTAL_LEGAL_TABLE } from '../portal-core';
import { PORTAL_CODE_KEYS } from '../portal-keys';
import type { SelfDisclosure } from './self-disclosure.entity';
import { SELF_DISCLOSURE_ITEM, SelfDisclosureRepository } from './self-disclosure.repository';

export { SELF_DISCLOSURE_ITEM } from './self-disclosure.repository';
/** Answers are personal data fetched for one look: kept an hour, and forgotten at sign-out. */
const KEEP_ANSWERS_MS = 3600_000;
/** How long a pending batch stops the same citizen sending another. */
const PENDING_GRACE_MS = 60_000;

/**
 * Self-information disclosure (自己情報表示): the portal asks each agency, through
 * the hub and under its own rule, what it holds about the signed-in citizen.
 * The subject is the portal's own code encrypted for its edge to the agency and
 * freshly randomized, exactly as an agency's inquiry carries its own code: the
 * hub translates it blindly, and each agency finds the citizen by its own code.
 * The record subject is the same code under the portal's self key: the hub sends
 * the record of the portal's own inquiry back to it, rerandomized.
 */
@Injectable()
export class SelfDisclosureService {
  private readonly logger = new Logger('self-disclosure');
  private readonly rules: readonly LegalRule[];

  constructor(
    @Inject(SelfDisclosureRepository) private readonly disclosures: SelfDisclosureRepository,
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
    @Inject(PORTAL_CODE_KEYS) private readonly codeKeys: PartyBundle,
    @Inject(MessageSender) private readonly sender: MessageSender,
    @Inject(PORTAL_LEGAL_TABLE) legalTable: LegalTable,
  ) {
    this.rules = legalTable.rules.filter((rule) => rule.requester === MYNA_PORTAL && rule.item === SELF_DISCLOSURE_ITEM);
  }

  /**
   * One inquiry per agency the legal table lets the portal ask; returns the batch
   * id. While a batch asked in the last minute is still pending, asking again
   * returns it instead of sending the same inquiries twice.
   */
  async request(portalCode: string): Promise<string> {
    await this.disclosures.deleteRequestedBefore(new Date(Date.now() - KEEP_ANSWERS_MS));
    const current = await this.latest(portalCode);
    if (current.some((row) => row.status === 'pending' && row.requestedAt.getTime() > Date.now() - PENDING_GRACE_MS)) return current[0].batchId;
    const batchId = randomUUID();
    const code = AgencyCode.parse(portalCode);
    for (const rule of this.rules) {
      const inquiryId = randomUUID();
      const [subject, recordSubject] = encryptSubjects(this.codeKeys, code, [rule.provider, { self: true }]).map((c) => c.toText());
      const token = await signMessage(this.keys, {
        to: EXCHANGE_HUB,
        type: MESSAGE_TYPES.inquiry,
        id: inquiryId,
        ttlSeconds: MESSAGE_TTL_SECONDS,
        claims: {
          inquiryId,
          provider: rule.provider,
          rule: rule.id,
          item: rule.item,
          parameters: {},
          subject,
          recordSubject,
          nonce: randomBytes(16).toString('base64url'),
        },
      });
      await this.disclosures.add({ inquiryId, batchId, portalCode, provider: rule.provider, rule: rule.id, requestedAt: new Date() });
      try {
        await this.sender.send(EXCHANGE_HUB, JOB_NAMES.inquiry, token, inquiryId);
      } catch (error) {
        await this.disclosures.fail(inquiryId, 'the exchange hub queue did not accept the inquiry');
        this.logger.warn({ inquiryId, error: error instanceof Error ? error.message : 'unknown' }, 'self-disclosure inquiry not sent');
      }
    }
    this.logger.log({ batchId, inquiries: this.rules.length }, 'self-disclosure requested');
    return batchId;
  }

  /** The citizen's latest batch, one row per agency. */
  latest(portalCode: string): Promise<SelfDisclosure[]> {
    return this.disclosures.latestBatch(portalCode);
  }

  async forget(portalCode: string): Promise<void> {
    await this.disclosures.forgetCitizen(portalCode);
  }
}
