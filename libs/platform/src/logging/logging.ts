import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import { pinoHttp, type HttpLogger, type Options as HttpLogOptions } from 'pino-http';
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

/** What every line says and hides, and which requests get a line of their own. */
function logOptions(config: ServiceConfig): HttpLogOptions {
  return {
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
  };
}

/**
 * nestjs-pino's logger for the application's own lines (its `Logger`, which Nest and
 * every `new Logger(context)` write through), and no middleware of its own: its
 * middleware runs each request inside an AsyncLocalStorage, and on Node.js 20 one
 * AsyncLocalStorage used once turns on async hooks for the rest of the process, a hook
 * call on every promise of every queue job and query, about 5 % of the services' CPU
 * per exchange. Each request still gets its access line, from AccessLogModule.
 */
export function loggerParams(config: ServiceConfig): Params {
  return { pinoHttp: [logOptions(config), logDestination()], forRoutes: [] };
}

/** One line per request (id, method, path, status, time), with the same redaction; a line logged while serving it is not tied to it. */
export function accessLogMiddleware(config: ServiceConfig, destination: pino.DestinationStream = logDestination()): HttpLogger {
  return pinoHttp(logOptions(config), destination);
}

const ACCESS_LOG = Symbol('ACCESS_LOG');

/** Mounts accessLogMiddleware on every route, where nestjs-pino's middleware was. */
@Module({})
export class AccessLogModule implements NestModule {
  static register(config: ServiceConfig): DynamicModule {
    return { module: AccessLogModule, providers: [{ provide: ACCESS_LOG, useValue: accessLogMiddleware(config) }] };
  }

  constructor(@Inject(ACCESS_LOG) private readonly middleware: HttpLogger) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
