import { FederationError } from '../errors/federation-error';

export type EnvelopeRejection =
  | 'malformed'
  | 'algorithm-not-allowed'
  | 'unknown-sender'
  | 'bad-signature'
  | 'impersonation'
  | 'wrong-audience'
  | 'wrong-type'
  | 'expired'
  | 'not-for-me'
  | 'replayed';

/** Who sent it is in doubt → 401; a replay → 409; anything else wrong with the message → 400. */
const STATUS: Readonly<Record<EnvelopeRejection, number>> = {
  'bad-signature': 401,
  impersonation: 401,
  'unknown-sender': 401,
  replayed: 409,
  malformed: 400,
  'algorithm-not-allowed': 400,
  'wrong-audience': 400,
  'wrong-type': 400,
  expired: 400,
  'not-for-me': 400,
};

export function envelopeRejectionStatus(code: EnvelopeRejection): number {
  return STATUS[code];
}

/** Why a message was refused. The message names the reason, never a key or a token. */
export class EnvelopeError extends FederationError {
  constructor(
    override readonly code: EnvelopeRejection,
    message: string,
  ) {
    super(code, message, STATUS[code]);
  }
}
