import { FederationError } from '@myna/protocol';

export class InquiryNotFoundError extends FederationError {
  constructor(inquiryId: string) {
    super('inquiry-not-found', `no inquiry ${inquiryId} at this agency`, 404);
  }
}

/** The exchange hub's queue could not take the inquiry; it is marked failed and can be retried. */
export class HubUnavailableError extends FederationError {
  constructor(message: string) {
    super('hub-unavailable', message, 503);
  }
}
