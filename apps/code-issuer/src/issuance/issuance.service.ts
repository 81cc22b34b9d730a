import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_KEYS, type Principal } from '@myna/platform';
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
import { mismatchedFacts } from '../register/basic-facts';
import { ResidenceRegisterRepository, type RegisteredCitizen } from '../register/residence-register.repository';
import { IssuanceException } from './issuance.exception';
import { IssuanceRepository } from './issuance.repository';
import { CodeWorkerPool } from './code-workers';

/** Older requests are refused as expired, whatever their `exp` says. */
export const REQUEST_MAX_AGE_SECONDS = 300;
/** Message ids are the ledger's primary key: a UUID fits many times over. */
export const MESSAGE_ID_MAX_LENGTH = 128;

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
    private readonly codes: CodeWorkerPool,
    private readonly register: ResidenceRegisterRepository,
    private readonly ledger: IssuanceRepository,
  ) {}

  /** Returns the sealed response; throws IssuanceException (and stores nothing) for a refused request. */
  async issue(sealedRequest: string, caller: Principal): Promise<string> {
    const request = await this.open(sealedRequest);
    // The request's signer must be the service whose signed HTTP request carried it.
    if (caller.kind !== 'service' || caller.service !== request.requester) {
      throw new IssuanceException('impersonation', `the request is signed by ${request.requester}, but was sent by another caller`);
    }
    const registered = await this.register.findByMyNumbers(request.persons.map((person) => person.myNumber));
    const byMyNumber = new Map(registered.map((citizen) => [citizen.myNumber, citizen]));

    // Every check first; then the codes of everyone who passed, on the code threads.
    const checked = request.persons.map((person) => ({ person, citizen: byMyNumber.get(person.myNumber) }));
    const refusals = checked.map(({ person, citizen }) => refusalOf(person, citizen));
    const toIssue = checked.flatMap(({ citizen }, index) => (refusals[index] === undefined && citizen ? [citizen] : []));
    const codes = await this.codes.issue(request.requester, toIssue.map((citizen) => citizen.processingSerial));
    let next = 0;
    const results: CodeIssuanceResult[] = checked.map(({ person }, index) => {
      const reason = refusals[index];
      return reason === undefined ? { ref: person.ref, status: 'issued', agencyCode: codes[next++] } : { ref: person.ref, status: 'refused', reason };
    });
    const issuedToCitizenIds = toIssue.map((citizen) => citizen.id);

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
      if (error instanceof EnvelopeError) throw new IssuanceException(error.code, error.message);
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
}

/**
 * The one refusal an agency gets: the same whether the My Number is unknown or a
 * fact differs, so that asking reveals neither whether a person exists nor which
 * fact was wrong (DESIGN §9). Only a registrar, at the register, learns more.
 */
export const NOT_IDENTIFIED = 'not-identified: the residence register holds no citizen with exactly these facts';

/** Why a person is refused, or undefined. */
function refusalOf(person: PersonToIdentify, citizen: RegisteredCitizen | undefined): string | undefined {
  if (!citizen) return NOT_IDENTIFIED;
  return mismatchedFacts(person, citizen.facts).length > 0 ? NOT_IDENTIFIED : undefined;
}
