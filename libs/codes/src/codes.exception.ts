/** What was being read or computed when a check failed. */
export type CodesSubject =
  | 'my-number'
  | 'residence-code'
  | 'processing-serial'
  | 'agency-code'
  | 'ciphertext'
  | 'public-key'
  | 'secret-scalar'
  | 'party-id'
  | 'pair-factors'
  | 'key-ceremony'
  | 'issuer-bundle'
  | 'party-bundle'
  | 'hub-bundle'
  | 'random-source';

/** Machine-readable cause, stable across releases: callers map it to a transport error. */
export type CodesErrorReason =
  | 'wrong-type'
  | 'wrong-length'
  | 'not-digits'
  | 'check-digit-mismatch'
  | 'bad-prefix'
  | 'bad-base64url'
  | 'non-canonical'
  | 'identity-point'
  | 'zero-scalar'
  | 'key-mismatch'
  | 'unknown-party'
  | 'duplicate'
  | 'pair-not-permitted'
  | 'malformed';

/**
 * The one error type of this library. Messages say exactly what is wrong but never
 * echo the input: it may be a My Number, a serial or a secret scalar.
 */
export class CodesError extends Error {
  override readonly name = 'CodesError';

  constructor(
    readonly subject: CodesSubject,
    readonly reason: CodesErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export function isCodesError(value: unknown): value is CodesError {
  return value instanceof CodesError;
}
