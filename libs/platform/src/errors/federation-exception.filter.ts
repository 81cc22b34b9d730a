import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isCodesError } from '@myna/codes';
import { errorBody, FederationError, type ErrorBody } from '@myna/protocol';

/** Codes for the statuses Nest and Express raise themselves (unknown route, validation, throttling, body limits). */
const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'body-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
};

/**
 * The one exception filter: every error a service answers has the same body,
 * `{ statusCode, code, reason }`. Typed errors carry their own; Nest's and the
 * body parser's are given a code by status; an outage of the service's database
 * or Redis is a 503 with Retry-After (the caller may simply try again); anything
 * else is a 500 whose detail stays in the log, never in the answer.
 */
@Catch()
export class FederationExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const body = this.toBody(error);
    const retryAfter = body.code === DEPENDENCY_UNAVAILABLE ? RETRY_AFTER_SECONDS : error instanceof FederationError ? error.retryAfterSeconds : undefined;
    if (retryAfter !== undefined) response.setHeader('retry-after', String(retryAfter));
    response.status(body.statusCode).json(body);
  }

  toBody(error: unknown): ErrorBody {
    if (error instanceof FederationError) return errorBody(error.status, error.code, error.message, error.details);
    if (isCodesError(error)) return errorBody(HttpStatus.BAD_REQUEST, error.reason, error.message);
    if (error instanceof HttpException) return fromHttpException(error);
    const status = httpErrorStatus(error);
    if (status !== undefined) {
      const { code, reason } = bodyParserRefusal(error, status);
      return errorBody(status, code, reason);
    }
    if (isDependencyOutage(error)) {
      // Expected while a database or Redis restarts: one line, without a stack.
      this.logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'a dependency is unavailable');
      return errorBody(HttpStatus.SERVICE_UNAVAILABLE, DEPENDENCY_UNAVAILABLE, 'the service cannot reach what it depends on (its database, its queue or another service) just now; try again shortly');
    }
    this.logger.error({ err: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) }, 'unhandled error');
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'internal-error', 'the service failed to handle this request');
  }
}

const DEPENDENCY_UNAVAILABLE = 'dependency-unavailable';
const RETRY_AFTER_SECONDS = 2;

/** PostgreSQL's SQLSTATEs for a server that is going away, starting, or full: class 08 (connection exception) and these. */
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors of a connection to a database or Redis that is down. */
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
/** node-postgres's and ioredis's own messages for a lost or refused connection, which carry no code. */
const UNAVAILABLE_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Connection is closed|Reached the max retries per request limit|Stream isn't writeable)/;

/**
 * Whether an error is the service's database or Redis being unreachable (a restart,
 * a crash, a full pool), not a fault of the request or of the code: the pg error
 * (or TypeORM's QueryFailedError around it) by its SQLSTATE, a socket error by its
 * code, node-postgres and ioredis by their messages.
 */
export function isDependencyOutage(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError, message } = error as { code?: unknown; driverError?: { code?: unknown; message?: unknown }; message?: unknown };
  const codes = [code, driverError?.code].filter((value): value is string => typeof value === 'string');
  if (codes.some((value) => value.startsWith('08') || PG_UNAVAILABLE.has(value) || SOCKET_UNAVAILABLE.has(value))) return true;
  return [message, driverError?.message].some((value) => typeof value === 'string' && UNAVAILABLE_MESSAGE.test(value));
}

function fromHttpException(error: HttpException): ErrorBody {
  const status = error.getStatus();
  const answer = error.getResponse();
  const fields = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  const code = typeof fields.code === 'string' ? fields.code : (CODE_OF_STATUS[status] ?? (status >= 500 ? 'internal-error' : 'invalid-request'));
  const message = fields.reason ?? fields.message ?? (typeof answer === 'string' ? answer : error.message);
  const reason = Array.isArray(message) ? message.join('; ') : String(message || STATUS_CODES[status] || 'refused');
  return errorBody(status, code, reason);
}

/** body-parser and raw-body errors are http-errors objects: a 4xx `status` and a `type`. */
function httpErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true ? status : undefined;
}

const BODY_REFUSALS: Readonly<Record<string, { code: string; reason: string }>> = {
  'entity.too.large': { code: 'body-too-large', reason: 'the request body is larger than this route accepts' },
  'entity.too.deep': { code: 'body-too-deep', reason: 'the request body nests deeper than any message of this service' },
  'entity.parse.failed': { code: 'malformed-json', reason: 'the request body is not valid JSON' },
  'parameters.too.many': { code: 'too-many-parameters', reason: 'the form has more fields than any form of this service' },
  'encoding.unsupported': { code: 'unsupported-encoding', reason: 'the request body encoding is not supported' },
  'charset.unsupported': { code: 'unsupported-encoding', reason: 'the request body charset is not supported' },
};

function bodyParserRefusal(error: unknown, status: number): { code: string; reason: string } {
  const type = String((error as { type?: unknown }).type ?? '');
  return BODY_REFUSALS[type] ?? { code: CODE_OF_STATUS[status] ?? 'invalid-request', reason: STATUS_CODES[status] ?? 'refused' };
}
