import type { Params } from 'nestjs-pino';
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

export function loggerParams(config: ServiceConfig): Params {
  return {
    pinoHttp: {
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
    },
  };
}
