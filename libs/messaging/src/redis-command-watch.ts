import { Redis } from 'ioredis';

/**
 * Redis's MONITOR, for the audits that search everything sent to Redis for what
 * must never travel (the federation tests, the queue scenarios).
 *
 * ioredis's own `monitor()` marks its connection as monitoring one microtask
 * after MONITOR's reply. When Redis is busy, the first lines of the feed arrive
 * in the same packet as that reply, so ioredis takes them for replies to
 * commands it never sent and emits "Command queue state error" with the line
 * as its "Last reply". `monitor()` then rejects, and a second such line is an
 * unhandled error that ends the process. Here those lines are read back from
 * the error and delivered like the rest, so nothing is lost and nothing throws;
 * a line that cannot be read back is counted in `unread`.
 */
export interface RedisCommandWatch {
  /** Lines of the feed that ioredis mistook for replies and that could not be read back. */
  readonly unread: number;
  /** Errors of the connection once watching (a dropped connection: commands meanwhile were not seen). */
  readonly errors: readonly Error[];
  stop(): void;
}

const EARLY_LINE = 'Command queue state error. If you can reproduce this, please report it. Last reply: ';

/**
 * Calls `onCommand` with the arguments of every command Redis runs, from before
 * the returned promise resolves until `stop()`.
 */
export async function watchRedisCommands(url: string, onCommand: (args: string[]) => void): Promise<RedisCommandWatch> {
  const connection = new Redis(url, { monitor: true, lazyConnect: true, maxRetriesPerRequest: null });
  let unread = 0;
  const errors: Error[] = [];
  let failed: ((error: Error) => void) | undefined;
  connection.on('monitor', (_time: string, args: string[]) => onCommand(args));
  connection.on('error', (error: Error) => {
    if (error.message.startsWith(EARLY_LINE)) {
      const args = monitorLineArguments(error.message.slice(EARLY_LINE.length));
      if (args) onCommand(args);
      else unread++;
      return;
    }
    if (failed) failed(error);
    else errors.push(error);
  });
  const monitoring = new Promise<void>((resolve, reject) => {
    failed = reject;
    connection.once('monitoring', () => resolve());
  });
  try {
    // The connection's error (ECONNREFUSED, WRONGPASS) comes before connect()'s own "Connection is closed".
    await Promise.all([monitoring, connection.connect()]);
  } catch (error) {
    connection.disconnect();
    throw error;
  }
  failed = undefined;
  return {
    get unread() {
      return unread;
    },
    errors,
    stop: () => connection.disconnect(),
  };
}

/**
 * The arguments of one MONITOR line (`1796580874.713458 [0 127.0.0.1:55822] "set" "k" "v"`),
 * read as ioredis reads the lines it recognises; undefined for anything else.
 */
export function monitorLineArguments(line: string): string[] | undefined {
  const match = /^\d+\.\d+ \[\d+ [^\]]*\] "(.*)"$/s.exec(line);
  if (!match) return undefined;
  return match[1].split('" "').map((argument) => argument.replace(/\\"/g, '"'));
}
