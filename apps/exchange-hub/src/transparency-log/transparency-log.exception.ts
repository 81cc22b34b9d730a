import { FederationError } from '@myna/protocol';

/** A proof about a tree the log never had, or about a leaf outside it. */
export class LogRangeError extends FederationError {
  constructor(reason: string) {
    super('log-range', reason, 400);
  }
}

/** The stored leaves cannot make the tree the hub signed: rows are missing. */
export class LogDamagedError extends FederationError {
  constructor(reason: string) {
    super('log-damaged', reason, 503);
  }
}

/** This hub process is computing as many proofs as it may, and as many more wait: the caller may try again shortly. */
export class LogBusyError extends FederationError {
  override readonly retryAfterSeconds = 1;

  constructor() {
    super('log-busy', 'the exchange hub is computing other proofs of its log just now; try again shortly', 503);
  }
}
