// Waiting without fixed sleeps: ask again every `intervalMs` until an answer, a deadline or an abort.
import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions {
  /** Epoch milliseconds. */
  deadline: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

/** The probe's first defined answer, or undefined when the deadline passes. Rejects on abort. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T | undefined> {
  const { deadline, intervalMs = 200, signal } = options;
  for (;;) {
    signal?.throwIfAborted();
    const answer = await probe();
    if (answer !== undefined) return answer;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    // timers/promises rejects with a generic AbortError; callers want the abort's reason.
    await delay(Math.min(intervalMs, left), undefined, { signal }).catch((error: unknown) => {
      signal?.throwIfAborted();
      throw error;
    });
  }
}
