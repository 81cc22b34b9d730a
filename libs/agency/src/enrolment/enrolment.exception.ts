/** code-issuer could not be reached or refused this agency's request: not the caller's fault. */
export class IssuerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IssuerUnavailableError';
  }
}

/** The caller's input is invalid (a check digit, a record field); the message says where and why. */
export class InvalidEnrolmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEnrolmentError';
  }
}

export class PersonNotFoundError extends Error {
  constructor(readonly personId: string) {
    super(`no person ${personId} at this agency`);
    this.name = 'PersonNotFoundError';
  }
}
