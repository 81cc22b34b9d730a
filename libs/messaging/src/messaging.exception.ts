import { FederationError } from '@myna/protocol';

/**
 * A message that can never be processed (a forged signature, a replay, a bad
 * payload): it is not retried but dead-lettered at once with this code and reason.
 */
export class RejectedMessageError extends FederationError {
  constructor(code: string, reason: string) {
    super(code, reason, 422);
  }
}
