import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { EnvelopeError } from '@myna/protocol';
import { InvalidEnrolmentError, IssuerUnavailableError, PersonNotFoundError } from './enrolment/enrolment.exception';
import { HubUnavailableError, InquiryNotFoundError } from './exchange/exchange.exception';

/** Maps the agency module's typed errors to HTTP once, with a reason and never a stack. */
@Catch(InvalidEnrolmentError, IssuerUnavailableError, PersonNotFoundError, EnvelopeError, InquiryNotFoundError, HubUnavailableError)
export class AgencyExceptionFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, reason] =
      error instanceof InvalidEnrolmentError
        ? [HttpStatus.BAD_REQUEST, 'invalid-input']
        : error instanceof PersonNotFoundError || error instanceof InquiryNotFoundError
          ? [HttpStatus.NOT_FOUND, 'not-found']
          : error instanceof HubUnavailableError
            ? [HttpStatus.SERVICE_UNAVAILABLE, 'hub-unavailable']
          : error instanceof EnvelopeError
            ? [HttpStatus.BAD_GATEWAY, `issuer-answer-${error.reason}`]
            : [HttpStatus.BAD_GATEWAY, 'issuer-unavailable'];
    response.status(status).json({ statusCode: status, reason, message: error.message });
  }
}
