import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { issueAgencyCode, type IssuerBundle } from '@myna/codes';
import { SERVICE_KEYS } from '@myna/platform';
import {
  AGENCIES,
  CODE_ISSUANCE_REQUEST_TYPE,
  CODE_ISSUANCE_RESPONSE_TYPE,
  CODE_ISSUANCE_TTL_SECONDS,
  codeIssuanceRequestClaimsSchema,
  describeIssue,
  EnvelopeError,
  isAgency,
  openMessage,
  sealMessage,
  ServiceKeyRing,
  type Agency,
  type CodeIssuanceRequestClaims,
  type CodeIssuanceResponseClaims,
  type CodeIssuanceResult,
} from '@myna/protocol';
import { mismatchedFacts, type BasicFact } from '../register/basic-facts';
import { ResidenceRegisterRepository, type RegisteredCitizen } from '../register/residence-register.repository';
import { IssuanceException } from './issuance.exception';
import { IssuanceRepository } from './issuance.repository';
import { ISSUER_BUNDLE } from './issuer-bundle.provider';

/** Older requests are refused as expired, whatever their `exp` says. */
export const REQUEST_MAX_AGE_SECONDS = 300;
/** Message ids are the ledger's primary key: a UUID fits many times over. */
export const MESSAGE_ID_MAX_LENGTH = 128;
/** Each code costs a scalar multiplication (milliseconds in JavaScript): let other requests in between chunks. */
const PERSONS_PER_TURN = 50;

type PersonToIdentify = CodeIssuanceRequestClaims['persons'][number];

interface IssuanceRequest {
  id: string;
  requester: Agency;
  persons: PersonToIdentify[];
}

/**
 * Answers an agency's code-issuance request: each person must be in the register
 * under that My Number with all four basic facts equal; then the issuer computes
 * the agency's code from the person's processing serial and seals the answer to
 * that agency alone.
 */
@Injectable()
export class IssuanceService {
  constructor(
    // usesKeys: the platform refuses to start without the ring.
    @Inject(SERVICE_KEYS) private readonly ring: ServiceKeyRing,
    @Inject(ISSUER_BUNDLE) private readonly issuerBundle: IssuerBundle,
    private readonly register: ResidenceRegisterRepository,
    private readonly ledger: IssuanceRepository,
  ) {}

  /** Returns the sealed response; throws IssuanceException (and stores nothing) for a refused request. */
  async issue(sealedRequest: string): Promise<string> {
    const request = await this.open(sealedRequest);
    const registered = await this.register.findByMyNumbers(request.persons.map((person) => person.myNumber));
    const byMyNumber = new Map(registered.map((citizen) => [citizen.myNumber, citizen]));

    const results: CodeIssuanceResult[] = [];
    const issuedToCitizenIds: string[] = [];
    for (const [index, person] of request.persons.entries()) {
      if (index > 0 && index % PERSONS_PER_TURN === 0) await yieldToEventLoop();
      const citizen = byMyNumber.get(person.myNumber);
      const result = this.answer(person, citizen, request.requester);
      results.push(result);
      if (result.status === 'issued' && citizen) issuedToCitizenIds.push(citizen.id);
    }

    const claims: CodeIssuanceResponseClaims = { requestId: request.id, results };
    const response = await sealMessage(this.ring, {
      to: request.requester,
      type: CODE_ISSUANCE_RESPONSE_TYPE,
      claims,
      ttlSeconds: CODE_ISSUANCE_TTL_SECONDS,
    });
    const recorded = await this.ledger.record({
      requestId: request.id,
      requester: request.requester,
      personCount: request.persons.length,
      refusedCount: results.length - issuedToCitizenIds.length,
      issuedToCitizenIds,
    });
    if (recorded === 'replayed') throw new IssuanceException('replayed', 'this request message id has already been answered');
    return response;
  }

  private async open(sealedRequest: string): Promise<IssuanceRequest> {
    let message;
    try {
      message = await openMessage(this.ring, sealedRequest, {
        type: CODE_ISSUANCE_REQUEST_TYPE,
        from: AGENCIES,
        maxAgeSeconds: REQUEST_MAX_AGE_SECONDS,
      });
    } catch (error) {
      if (error instanceof EnvelopeError) throw new IssuanceException(error.reason, error.message);
      throw error;
    }
    if (message.id.length > MESSAGE_ID_MAX_LENGTH) {
      throw new IssuanceException('malformed', `message id must be at most ${MESSAGE_ID_MAX_LENGTH} characters`);
    }
    // openMessage accepted only AGENCIES; the guard makes the type say so.
    if (!isAgency(message.from)) throw new IssuanceException('unknown-sender', `${message.from} may not request agency codes`);
    const claims = codeIssuanceRequestClaimsSchema.safeParse(message.claims);
    if (!claims.success) throw new IssuanceException('invalid-claims', describeIssue(claims.error));
    return { id: message.id, requester: message.from, persons: claims.data.persons };
  }

  /** One person's result. Refusals name what failed, never the My Number or what the register holds. */
  private answer(person: PersonToIdentify, citizen: RegisteredCitizen | undefined, requester: Agency): CodeIssuanceResult {
    if (!citizen) return { ref: person.ref, status: 'refused', reason: 'no citizen with this My Number' };
    const mismatched = mismatchedFacts(person, citizen.facts);
    if (mismatched.length > 0) return { ref: person.ref, status: 'refused', reason: mismatchReason(mismatched) };
    const agencyCode = issueAgencyCode(this.issuerBundle, requester, citizen.processingSerial);
    return { ref: person.ref, status: 'issued', agencyCode: agencyCode.toText() };
  }
}

/** "address does not match …", "name and gender do not match …". */
export function mismatchReason(facts: readonly BasicFact[]): string {
  const list = facts.length === 1 ? facts[0] : `${facts.slice(0, -1).join(', ')} and ${facts[facts.length - 1]}`;
  return `${list} ${facts.length === 1 ? 'does' : 'do'} not match the residence register`;
}
