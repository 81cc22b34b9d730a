import { STATUS_CODES } from 'node:http';
import type { ArgumentsHost } from '@nestjs/common';
import type { Response } from 'express';

/** The body of every typed error this service answers: `{ statusCode, error, reason, message }`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  /** Stable, machine-readable cause. */
  reason: string;
  message: string;
}

export function sendError(host: ArgumentsHost, statusCode: number, reason: string, message: string): void {
  const body: ErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', reason, message };
  host.switchToHttp().getResponse<Response>().status(statusCode).json(body);
}
