import { envelopeRejectionStatus, FederationError, type EnvelopeRejection } from '@myna/protocol';

export type PortalCodeRefusal = EnvelopeRejection | 'invalid-claims' | 'certificate-not-found' | 'certificate-not-valid';

const STATUS: Partial<Record<PortalCodeRefusal, number>> = {
  'invalid-claims': 400,
  'certificate-not-found': 404,
  'certificate-not-valid': 409,
};

/** Why the issuer gave the portal no code. Nothing of a refused request is stored. */
export class PortalCodeException extends FederationError {
  constructor(
    override readonly code: PortalCodeRefusal,
    message: string,
  ) {
    super(code, message, STATUS[code] ?? envelopeRejectionStatus(code as EnvelopeRejection));
  }
}
