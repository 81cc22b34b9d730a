/**
 * A message that can never be processed (a forged signature, a replay, a bad
 * payload): it is not retried but dead-lettered at once with this reason.
 */
export class RejectedMessageError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'RejectedMessageError';
  }
}
