import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { json, urlencoded } from 'express';
import { FederationExceptionFilter } from '../errors/federation-exception.filter';

/** Deeper than any message of the protocol (the deepest legitimate body nests 5 levels). */
export const MAX_JSON_DEPTH = 32;
/** Every route's limit, unless it is one of the service's bulk routes (twice the largest other legitimate body, a sealed portal-code request). */
export const DEFAULT_BODY_LIMIT_BYTES = 32 * 1024;

/** A body nested deeper than MAX_JSON_DEPTH: refused before it is parsed, so no validator recurses into it. */
class BodyTooDeepError extends Error {
  readonly status = 400;
  readonly expose = true;
  readonly type = 'entity.too.deep';
  constructor() {
    super(`the request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/** Scans JSON text for its nesting depth without parsing it (brackets inside strings do not count). */
export function jsonDepthExceeds(body: Buffer, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}

/**
 * Parses JSON and form bodies with limits: a byte limit per route (the bulk
 * routes get theirs, every other route 64 KiB) and a depth limit, keeping the
 * raw bytes for request signatures. A refused body gets the same error body as
 * every other refusal (400 or 413, never a 5xx).
 */
export function installBodyParsers(app: INestApplication, bulkRoutes: Readonly<Record<string, number>>): void {
  const verify = (request: Request & { rawBody?: Buffer }, _response: Response, body: Buffer) => {
    if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) throw new BodyTooDeepError();
    request.rawBody = body;
  };
  for (const [route, limit] of Object.entries(bulkRoutes)) app.use(route, json({ limit, verify }));
  app.use(json({ limit: DEFAULT_BODY_LIMIT_BYTES, verify }));
  app.use(urlencoded({ extended: false, limit: DEFAULT_BODY_LIMIT_BYTES, parameterLimit: 50, verify }));
  const filter = new FederationExceptionFilter();
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const body = filter.toBody(error);
    response.status(body.statusCode).json(body);
  });
}
