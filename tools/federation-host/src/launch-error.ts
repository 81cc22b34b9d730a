// A failure the launcher explains to the user and turns into a non-zero exit.
export interface LaunchErrorExtras {
  /** Extra lines of explanation, printed as they are. */
  details?: readonly string[];
  /** The last output of the child at fault, rendered like its live output. */
  tail?: { source: string; lines: readonly string[] };
}

export class LaunchError extends Error {
  readonly details: readonly string[];
  readonly tail: LaunchErrorExtras['tail'];

  constructor(message: string, extras: LaunchErrorExtras = {}) {
    super(message);
    this.name = 'LaunchError';
    this.details = extras.details ?? [];
    this.tail = extras.tail;
  }
}

/** Something was not ready before the launch deadline (--timeout). */
export class DeadlineMissedError extends LaunchError {
  constructor(message: string, extras: LaunchErrorExtras = {}) {
    super(message, extras);
    this.name = 'DeadlineMissedError';
  }
}
