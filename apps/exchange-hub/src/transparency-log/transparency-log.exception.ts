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
