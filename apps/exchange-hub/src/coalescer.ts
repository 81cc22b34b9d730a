/**
 * Shares one run of `work` among the callers that ask while a run is in flight:
 * the next run takes everything asked for meanwhile, in the order it was asked
 * for, and each of those callers gets that run's result (or its error). One run
 * at a time, so many concurrent handlers cost one database round trip, not one
 * each.
 */
export class Coalescer<T, R> {
  private waiting: { items: readonly T[]; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly work: (items: readonly T[]) => Promise<R>) {}

  run(items: readonly T[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        const result = await this.work(batch.flatMap((entry) => entry.items));
        for (const entry of batch) entry.resolve(result);
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    // Cleared in the same turn as the last look at the queue: a later call starts a new run.
    this.running = undefined;
  }
}
