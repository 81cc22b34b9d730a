import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryDeepPartialEntity } from 'typeorm';
import { AgencyCode, encryptCode, encryptSubjects, generateKeyPair, type PartyBundle } from '@myna/codes';
import { MessageSender } from '@myna/messaging';
import { SERVICE_KEYS } from '@myna/platform';
import { EXCHANGE_HUB, JOB_NAMES, MESSAGE_TTL_SECONDS, MESSAGE_TYPES, signMessage, ServiceKeyRing, type Agency, MYNA_PORTAL } from '@myna/protocol';
import { AGENCY_PARTY, OWN_CODE_KEYS } from '../agency-core';
import { PersonNotFoundError } from '../enrolment/enrolment.exception';
import { AgencyPerson } from '../persons/agency-person.entity';
import { Inquiry, ProvidedExchange } from './exchange.entities';
import { HubUnavailableError, InquiryNotFoundError } from './exchange.exception';
import type { StartInquiryDto } from './start-inquiry.dto';

const PORTAL = MYNA_PORTAL;

/** DESIGN §5 steps 1–2: the requester's side of an exchange. */
@Injectable()
export class InquiryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
    @Inject(OWN_CODE_KEYS) private readonly codeKeys: PartyBundle,
    @Inject(AGENCY_PARTY) private readonly party: Agency,
    @Inject(MessageSender) private readonly sender: MessageSender,
  ) {}

  async start(request: StartInquiryDto): Promise<Inquiry> {
    const person = await this.dataSource.getRepository(AgencyPerson).findOneBy({ id: request.personId });
    if (!person) throw new PersonNotFoundError(request.personId);
    const inquiryId = randomUUID();
    const parameters = request.parameters ?? {};
    // The subject is this agency's own code, encrypted for its edge to the provider and, for the
    // exchange record, for its edge to the portal: only the hub's arithmetic, along those edges,
    // turns it into the provider's (and the portal's) edge pseudonym, which only they can close.
    const code = AgencyCode.parse(person.agencyCode);
    const hasEdge = this.codeKeys.sending.has(request.provider);
    const [record, edge] = encryptSubjects(this.codeKeys, code, hasEdge ? [PORTAL, request.provider] : [PORTAL]);
    // No edge to that provider means no rule permits it: the hub will deny it (and tell the citizen,
    // along the edge to the portal), so the subject goes under a key that no one holds.
    const subject = (edge ?? encryptCode(code, generateKeyPair().publicKey)).toText();
    const recordSubject = record.toText();
    const token = await signMessage(this.keys, {
      to: EXCHANGE_HUB,
      type: MESSAGE_TYPES.inquiry,
      id: inquiryId,
      ttlSeconds: MESSAGE_TTL_SECONDS,
      claims: { inquiryId, provider: request.provider, rule: request.rule, item: request.item, parameters, subject, recordSubject, nonce: randomBytes(16).toString('base64url') },
    });
    const inquiries = this.dataSource.getRepository(Inquiry);
    const inquiry = inquiries.create({ id: inquiryId, personId: person.id, provider: request.provider, rule: request.rule, item: request.item, parameters, status: 'pending', reason: null, result: null, answeredAt: null });
    // One INSERT … RETURNING created_at: save() would first SELECT the new id and wrap the insert in BEGIN/COMMIT.
    const { generatedMaps } = await inquiries.insert(inquiry as QueryDeepPartialEntity<Inquiry>); // jsonb parameters, which TypeORM's typing cannot tell
    Object.assign(inquiry, generatedMaps[0]);
    try {
      await this.sender.send(EXCHANGE_HUB, JOB_NAMES.inquiry, token, inquiryId);
    } catch (error) {
      await inquiries.update(inquiryId, { status: 'failed', reason: 'the exchange hub queue did not accept the inquiry' });
      throw new HubUnavailableError(`the exchange hub queue is unavailable: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
    return inquiry;
  }

  async find(inquiryId: string): Promise<Inquiry> {
    const inquiry = await this.dataSource.getRepository(Inquiry).findOneBy({ id: inquiryId });
    if (!inquiry) throw new InquiryNotFoundError(inquiryId);
    return inquiry;
  }

  /** Every exchange this agency took part in: as requester, and as provider. */
  async exchangeRecords(limit: number) {
    const [requested, provided] = await Promise.all([
      this.dataSource.getRepository(Inquiry).find({ order: { createdAt: 'DESC' }, take: limit }),
      this.dataSource.getRepository(ProvidedExchange).find({
        order: { providedAt: 'DESC' },
        take: limit,
        select: { handle: true, requester: true, rule: true, item: true, personId: true, outcome: true, providedAt: true },
      }),
    ]);
    return {
      agency: this.party,
      requested: requested.map(({ result: _result, ...inquiry }) => inquiry),
      provided,
    };
  }
}
