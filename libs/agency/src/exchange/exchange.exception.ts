export class InquiryNotFoundError extends Error {
  constructor(readonly inquiryId: string) {
    super(`no inquiry ${inquiryId} at this agency`);
    this.name = 'InquiryNotFoundError';
  }
}

/** The exchange hub's queue could not take the inquiry; it is marked failed and can be retried. */
export class HubUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubUnavailableError';
  }
}
