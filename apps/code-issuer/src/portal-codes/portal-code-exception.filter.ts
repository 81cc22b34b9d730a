import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { sendError } from '../http/error-response';
import { PortalCodeException, type PortalCodeRefusal } from './portal-code.exception';

const STATUS: Readonly<Record<PortalCodeRefusal, HttpStatus>> = {
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
  'certificate-not-found': HttpStatus.NOT_FOUND,
  'certificate-not-valid': HttpStatus.CONFLICT,
};

@Catch(PortalCodeException)
export class PortalCodeExceptionFilter implements ExceptionFilter<PortalCodeException> {
  catch(exception: PortalCodeException, host: ArgumentsHost): void {
    sendError(host, STATUS[exception.reason], exception.reason, exception.message);
  }
}
