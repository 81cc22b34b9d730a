import type { Logger } from '@nestjs/common';

/**
 * Runs `task` every `intervalMs` in the background, one run at a time; a failed
 * run is logged and the next one tries again. `stop()` waits for a run under way.
 */
export function runPeriodically(task: () => Promise<unknown>, intervalMs: number, logger: Logger, what: string): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= task()
      .then(() => undefined)
      .catch((error: unknown) => logger.warn(`${what} failed this time: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
