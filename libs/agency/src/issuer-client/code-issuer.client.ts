import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, SERVICE_KEYS, type ServiceConfig } from '@myna/platform';
import {
  CODE_ISSUANCE_REQUEST_TYPE,
  CODE_ISSUANCE_RESPONSE_TYPE,
  CODE_ISSUANCE_TTL_SECONDS,
  CODE_ISSUER,
  codeIssuanceResponseClaimsSchema,
  describeIssue,
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
    let response: Response;
    try {
      response = await fetch(`${this.config.peers.codeIssuerUrl}/code-issuance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ request }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new IssuerUnavailableError(`code-issuer did not answer: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
    const body = (await response.json().catch(() => ({}))) as { response?: unknown; reason?: unknown; message?: unknown };
    if (!response.ok || typeof body.response !== 'string') {
      throw new IssuerUnavailableError(`code-issuer refused the request (${response.status}): ${String(body.message ?? body.reason ?? 'no reason given')}`);
    }
    const opened = await openMessage(this.keys, body.response, {
      type: CODE_ISSUANCE_RESPONSE_TYPE,
      from: [CODE_ISSUER],
      maxAgeSeconds: CODE_ISSUANCE_TTL_SECONDS,
    });
    const claims = codeIssuanceResponseClaimsSchema.safeParse(opened.claims);
    if (!claims.success) throw new IssuerUnavailableError(`code-issuer answered malformed results: ${describeIssue(claims.error)}`);
    return new Map(claims.data.results.map((result) => [result.ref, result]));
  }
}
