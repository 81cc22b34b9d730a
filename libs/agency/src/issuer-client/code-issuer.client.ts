import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, SERVICE_KEYS, type ServiceConfig } from '@myna/platform';
import {
  CODE_ISSUANCE_REQUEST_TYPE,
  CODE_ISSUANCE_RESPONSE_TYPE,
  CODE_ISSUANCE_TTL_SECONDS,
  callService,
  CODE_ISSUER,
  codeIssuanceResponseClaimsSchema,
  describeIssue,
  EnvelopeError,
  openMessage,
  sealMessage,
  ServiceKeyRing,
  type CodeIssuanceRequestClaims,
  type CodeIssuanceResult,
} from '@myna/protocol';
import { IssuerUnavailableError } from '../enrolment/enrolment.exception';

/** Asks code-issuer for this agency's codes: a sealed request, a sealed answer only this agency can open. */
@Injectable()
export class CodeIssuerClient {
  constructor(
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async issueCodes(persons: CodeIssuanceRequestClaims['persons']): Promise<Map<string, CodeIssuanceResult>> {
    const request = await sealMessage(this.keys, {
      to: CODE_ISSUER,
      type: CODE_ISSUANCE_REQUEST_TYPE,
      claims: { persons },
      ttlSeconds: CODE_ISSUANCE_TTL_SECONDS,
    });
    let answer: { status: number; body: Record<string, unknown> };
    try {
      answer = await callService(this.keys, CODE_ISSUER, `${this.config.peers.codeIssuerUrl}/code-issuance`, {
        method: 'POST',
        json: { request },
        timeoutMs: 60_000,
      });
    } catch (error) {
      throw new IssuerUnavailableError(`code-issuer did not answer: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
    const body = answer.body;
    if (answer.status !== 200 || typeof body.response !== 'string') {
      throw new IssuerUnavailableError(`code-issuer refused the request (${answer.status}): ${String(body.reason ?? body.code ?? 'no reason given')}`);
    }
    const opened = await openMessage(this.keys, body.response, {
      type: CODE_ISSUANCE_RESPONSE_TYPE,
      from: [CODE_ISSUER],
      maxAgeSeconds: CODE_ISSUANCE_TTL_SECONDS,
    }).catch((error: unknown) => {
      // The issuer's answer failed our checks: the caller's request was fine, the upstream was not.
      if (error instanceof EnvelopeError) throw new IssuerUnavailableError(`code-issuer's answer was refused (${error.code})`);
      throw error;
    });
    const claims = codeIssuanceResponseClaimsSchema.safeParse(opened.claims);
    if (!claims.success) throw new IssuerUnavailableError(`code-issuer answered malformed results: ${describeIssue(claims.error)}`);
    return new Map(claims.data.results.map((result) => [result.ref, result]));
  }
}
