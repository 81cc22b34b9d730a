import { BadRequestException, type ArgumentsHost } from '@nestjs/common';
import { FederationError } from '@myna/protocol';
import { FederationExceptionFilter, isDependencyOutage } from './federation-exception.filter';

/** A pg DatabaseError as node-postgres raises it, wrapped as TypeORM's QueryFailedError wraps it. */
function queryFailed(sqlState: string, message: string): Error {
  const driverError = Object.assign(new Error(message), { code: sqlState });
  return Object.assign(new Error(message), { name: 'QueryFailedError', driverError, code: sqlState });
}

function answer(error: unknown): { status: number; headers: Record<string, string>; body: unknown } {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const response = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new FederationExceptionFilter().catch(error, host);
  return sent;
}

describe('FederationExceptionFilter', () => {
  it.each([
    ['a PostgreSQL shutting down (57P01)', queryFailed('57P01', 'terminating connection due to administrator command')],
    ['a PostgreSQL starting up (57P03)', queryFailed('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', queryFailed('08006', 'connection failure')],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection node-postgres lost', new Error('Connection terminated unexpectedly')],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
    ['a Redis connection ioredis closed', new Error('Connection is closed.')],
  ])('answers %s with 503 dependency-unavailable and Retry-After, without its detail', (_, error) => {
    expect(isDependencyOutage(error)).toBe(true);
    const sent = answer(error);
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('2');
    expect(sent.body).toEqual({ statusCode: 503, code: 'dependency-unavailable', reason: expect.stringContaining('try again') });
    expect(JSON.stringify(sent.body)).not.toContain((error as Error).message);
  });

  it.each([
    ['a unique violation', queryFailed('23505', 'duplicate key value violates unique constraint')],
    ['an invalid uuid', queryFailed('22P02', 'invalid input syntax for type uuid')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'boom'],
  ])('answers %s with 500 internal-error, its detail only in the log', (_, error) => {
    expect(isDependencyOutage(error)).toBe(false);
    const sent = answer(error);
    expect(sent.status).toBe(500);
    expect(sent.headers['retry-after']).toBeUndefined();
    expect(sent.body).toEqual({ statusCode: 500, code: 'internal-error', reason: 'the service failed to handle this request' });
  });

  it('keeps the code and reason of typed errors and of Nest’s own', () => {
    const answered = answer(new FederationError('already-answered', 'that exchange is already answered', 409));
    expect(answered.body).toEqual({ statusCode: 409, code: 'already-answered', reason: 'that exchange is already answered' });
    expect(answered.headers['retry-after']).toBeUndefined();
    expect(answer(new BadRequestException(['personId must be a UUID'])).body).toEqual({ statusCode: 400, code: 'invalid-request', reason: 'personId must be a UUID' });
  });

  it('says Retry-After for a typed refusal that passes if the caller waits, with the seconds it names', () => {
    class Busy extends FederationError {
      override readonly retryAfterSeconds = 3;
      constructor() {
        super('busy', 'busy just now; try again shortly', 503);
      }
    }
    const sent = answer(new Busy());
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('3');
    expect(sent.body).toEqual({ statusCode: 503, code: 'busy', reason: 'busy just now; try again shortly' });
  });
});
