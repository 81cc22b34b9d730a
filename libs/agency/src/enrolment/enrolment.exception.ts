import { FederationError } from '@myna/protocol';

/** code-issuer could not be reached or refused this agency's request: not the caller's fault. */
export class IssuerUnavailableError extends FederationError {
  constructor(message: string) {
    super('issuer-unavailable', message, 502);
  }
}

/** The caller's input is invalid (a check digit, a record field); the message says where and why. */
export class InvalidEnrolmentError extends FederationError {
  constructor(message: string) {
    super('invalid-input', message, 400);
  }
}

export class PersonNotFoundError extends FederationError {
  constructor(personId: string) {
    super('person-not-found', `no person ${personId} at this agency`, 404);
  }
}
