import { LogBusyError } from './transparency-log.exception';

/**
 * How many proofs one hub process computes at once, and how many more may wait
 * their turn. A proof is a pass over the whole log (PostgreSQL hashes every leaf,
 * the hub folds the hashes), so however many citizens press Verify or auditors
 * ask, proofs take a bounded share of the machine and exchanges keep the rest.
 * Past the waiting room the caller is told to come back (503 log-busy, Retry-After).
 */
export class ProofGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly atOnce: number,
    private readonly mayWait: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.atOnce) this.running++;
    else if (this.waiting.length < this.mayWait) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else throw new LogBusyError();
    try {
      return await work();
    } finally {
      // The slot passes to the longest waiting, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
