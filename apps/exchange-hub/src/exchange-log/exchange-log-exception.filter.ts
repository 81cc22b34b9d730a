import { STATUS_CODES } from 'node:http';
import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ExchangeLogException, type ExchangeLogFailure } from './exchange-log.exception';

const STATUS: Readonly<Record<ExchangeLogFailure, HttpStatus>> = {
  'exchange-not-found': HttpStatus.NOT_FOUND,
};

/** `{ statusCode, error, reason, message }`, like every typed error of the federation. */
@Catch(ExchangeLogException)
export class ExchangeLogExceptionFilter implements ExceptionFilter<ExchangeLogException> {
  catch(exception: ExchangeLogException, host: ArgumentsHost): void {
    const statusCode = STATUS[exception.reason];
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(statusCode)
      .json({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', reason: exception.reason, message: exception.message });
  }
}
