import type { EnvelopeRejection } from '@myna/protocol';

export type PortalCodeRefusal = EnvelopeRejection | 'invalid-claims' | 'certificate-not-found' | 'certificate-not-valid';

/** Why the issuer gave the portal no code. Nothing of a refused request is stored. */
export class PortalCodeException extends Error {
  override readonly name = 'PortalCodeException';

  constructor(
    readonly reason: PortalCodeRefusal,
    message: string,
  ) {
    super(message);
  }
}
