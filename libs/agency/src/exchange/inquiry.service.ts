import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AgencyCode, encryptCode, encryptSubjects, generateKeyPair, type PartyBundle } from '@myna/codes';
import { MessageSender } from '@myna/messaging';
import { SERVICE_KEYS } from '@myna/platform';
import { EXCHANGE_HUB, JOB_NAMES, MESSAGE_TTL_SECONDS, MESSAGE_TYPES, signMessage, ServiceKeyRing, type Agency, MYNA_PORTAL } from '@myna/protocol';
import { AGENCY_PARTY, OWN_CODE_KEYS } from '../agency-core';
import { PersonNotFoundError } from '../enrolment/enrolment.exception';
import type { Inquiry } from './exchange.entities';
import { HubUnavailableError, InquiryNotFoundError } from './exchange.exception';
import { InquiryRepository } from './inquiry.repository';
import { ProvidedExchangeRepository } from './provided-exchange.repository';
import type { StartInquiryDto } from './start-inquiry.dto';

const PORTAL = MYNA_PORTAL;

/** DESIGN §5 steps 1–2: the requester's side of an exchange. */
@Injectable()
export class InquiryService {
  constructor(
    @Inject(InquiryRepository) private readonly inquiries: InquiryRepository,
    @Inject(ProvidedExchangeRepository) private readonly provided: ProvidedExchangeRepository,
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
    @Inject(OWN_CODE_KEYS) private readonly codeKeys: PartyBundle,
    @Inject(AGENCY_PARTY) private readonly party: Agency,
    @Inject(MessageSender) private readonly sender: MessageSender,
  ) {}

  async start(request: StartInquiryDto): Promise<Inquiry> {
    const inquiryId = randomUUID();
    const parameters = request.parameters ?? {};
    // Recorded first, with the person's code read in the same statement; marked failed below if it cannot be sent.
    const created = await this.inquiries.create({ id: inquiryId, personId: request.personId, provider: request.provider, rule: request.rule, item: request.item, parameters });
    if (created === null) throw new PersonNotFoundError(request.personId);
    let token: string;
    try {
      token = await this.signedInquiry(inquiryId, created.agencyCode, request, parameters);
    } catch (error) {
      await this.inquiries.fail(inquiryId, 'the inquiry could not be prepared');
      throw error;
    }
    try {
      await this.sender.send(EXCHANGE_HUB, JOB_NAMES.inquiry, token, inquiryId);
    } catch (error) {
      await this.inquiries.fail(inquiryId, 'the exchange hub queue did not accept the inquiry');
      throw new HubUnavailableError(`the exchange hub queue is unavailable: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
    return created.inquiry;
  }

  /** The signed INQUIRY: its subject is this agency's code for the person, encrypted along its edges. */
  private async signedInquiry(inquiryId: string, agencyCode: string, request: StartInquiryDto, parameters: Record<string, unknown>): Promise<string> {
    // The subject is this agency's own code, encrypted for its edge to the provider and, for the
    // exchange record, for its edge to the portal: only the hub's arithmetic, along those edges,
    // turns it into the provider's (and the portal's) edge pseudonym, which only they can close.
    const code = AgencyCode.parse(agencyCode);
    const hasEdge = this.codeKeys.sending.has(request.provider);
    const [record, edge] = encryptSubjects(this.codeKeys, code, hasEdge ? [PORTAL, request.provider] : [PORTAL]);
    // No edge to that provider means no rule permits it: the hub will deny it (and tell the citizen,
    // along the edge to the portal), so the subject goes under a key that no one holds.
    const subject = (edge ?? encryptCode(code, generateKeyPair().publicKey)).toText();
    const recordSubject = record.toText();
    return signMessage(this.keys, {
      to: EXCHANGE_HUB,
      type: MESSAGE_TYPES.inquiry,
      id: inquiryId,
      ttlSeconds: MESSAGE_TTL_SECONDS,
      claims: { inquiryId, provider: request.provider, rule: request.rule, item: request.item, parameters, subject, recordSubject, nonce: randomBytes(16).toString('base64url') },
    });
  }

  async find(inquiryId: string): Promise<Inquiry> {
    const inquiry = await this.inquiries.find(inquiryId);
    if (!inquiry) throw new InquiryNotFoundError(inquiryId);
    return inquiry;
  }

  /** Every exchange this agency took part in: as requester, and as provider. */
  async exchangeRecords(limit: number) {
    const [requested, provided] = await Promise.all([this.inquiries.newest(limit), this.provided.newest(limit)]);
    return {
      agency: this.party,
      requested,
      provided,
    };
  }
}
