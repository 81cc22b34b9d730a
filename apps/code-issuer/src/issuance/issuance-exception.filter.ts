import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { sendError } from '../http/error-response';
import { IssuanceException, type IssuanceRejection } from './issuance.exception';

/** Who sent it is in doubt → 401; a replay → 409; anything else wrong with the request → 400. */
const STATUS: Readonly<Record<IssuanceRejection, HttpStatus>> = {
  'bad-signature': HttpStatus.UNAUTHORIZED,
  impersonation: HttpStatus.UNAUTHORIZED,
  'unknown-sender': HttpStatus.UNAUTHORIZED,
  replayed: HttpStatus.CONFLICT,
  malformed: HttpStatus.BAD_REQUEST,
  expired: HttpStatus.BAD_REQUEST,
  'wrong-audience': HttpStatus.BAD_REQUEST,
  'wrong-type': HttpStatus.BAD_REQUEST,
  'not-for-me': HttpStatus.BAD_REQUEST,
  'algorithm-not-allowed': HttpStatus.BAD_REQUEST,
  'invalid-claims': HttpStatus.BAD_REQUEST,
};

@Catch(IssuanceException)
export class IssuanceExceptionFilter implements ExceptionFilter<IssuanceException> {
  catch(exception: IssuanceException, host: ArgumentsHost): void {
    sendError(host, STATUS[exception.reason], exception.reason, exception.message);
  }
}
