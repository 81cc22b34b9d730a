/**
 * The one error type of the federation. Every refusal a service makes, over HTTP
 * or on a queue, is one of these: a stable machine-readable `code`, a reason in
 * plain words (the Error's message) that never echoes an identifier, a key or a
 * token, and the HTTP status it maps to. Feature errors extend it; one filter turns it into
 * `{ statusCode, code, reason }`, and the messaging edge into a dead letter's
 * `{ code, reason }`.
 */
export class FederationError extends Error {
  /** For a refusal that passes if the caller waits (a busy service): the seconds to say in Retry-After. */
  declare readonly retryAfterSeconds?: number;

  constructor(
    readonly code: string,
    reason: string,
    readonly status: number = 400,
    /** Extra fields a client needs (e.g. PIN tries left); never personal data. */
    readonly details?: Readonly<Record<string, string | number | boolean>>,
  ) {
    super(reason);
    this.name = new.target.name;
  }
}

/** The body of every error response: HTTP and dead letters alike carry `code` and `reason`. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  reason: string;
  [detail: string]: string | number | boolean;
}

export function errorBody(status: number, code: string, reason: string, details?: FederationError['details']): ErrorBody {
  return { ...details, statusCode: status, code, reason };
}
