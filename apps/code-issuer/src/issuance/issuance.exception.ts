import { envelopeRejectionStatus, FederationError, type EnvelopeRejection } from '@myna/protocol';

/** Why a whole code-issuance request was refused: its envelope, or claims that break the message format. */
export type IssuanceRejection = EnvelopeRejection | 'invalid-claims';

/** A refused request. Nothing of it is stored. The message names the problem, never an identifier or a key. */
export class IssuanceException extends FederationError {
  constructor(
    override readonly code: IssuanceRejection,
    message: string,
  ) {
    super(code, message, code === 'invalid-claims' ? 400 : envelopeRejectionStatus(code));
  }
}
