import { FederationError } from '@myna/protocol';

/** No credentials at all, or none this route accepts. */
export class UnauthenticatedError extends FederationError {
  constructor(accepted: string) {
    super('unauthenticated', `this route needs ${accepted}`, 401);
  }
}

/** Credentials were given, but they do not hold: a bad or expired token, a bad signature, an unknown client. */
export class InvalidCredentialsError extends FederationError {
  constructor(what: string) {
    super('invalid-credentials', what, 401);
  }
}

/** The caller is known, and may not do this. */
export class ForbiddenError extends FederationError {
  constructor(reason: string) {
    super('forbidden', reason, 403);
  }
}
