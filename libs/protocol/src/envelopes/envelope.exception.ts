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

/** Why a message was refused. The message names the reason, never a key or a token. */
export class EnvelopeError extends Error {
  constructor(readonly reason: EnvelopeRejection, message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}
