import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { ServiceConfig } from '../config/service-config';

/**
 * Paths pino removes from every log line. Credentials, session cookies, PINs and
 * exchange tokens never reach a log, whatever a handler passes in.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.pin',
  '*.token',
  '*.jws',
  '*.jwe',
  '*.secret',
  '*.privateKey',
  '*.myNumber',
  '*.residenceCode',
  '*.processingSerial',
];

let standardOutput: pino.DestinationStream | undefined;

/**
 * Standard output, written asynchronously: a line goes out at once when no write is
 * under way, and the lines logged meanwhile go out together when it ends, so a busy
 * service makes one write for many lines instead of one system call per line. pino
 * flushes what is left synchronously when the process exits. One per process, however
 * many applications it starts (tests start several).
 */
function logDestination(): pino.DestinationStream {
  standardOutput ??= pino.destination({ dest: 1, sync: false, minLength: 0 });
  return standardOutput;
}

export function loggerParams(config: ServiceConfig): Params {
  return {
    pinoHttp: [{
      level: config.log.level,
      base: { service: config.service.name },
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      // Health probes would drown the log.
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
      serializers: {
        // Query strings may carry identifiers typed by a user; keep only the path.
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: (req.url ?? '').split('?')[0],
        }),
      },
    }, logDestination()],
  };
}
