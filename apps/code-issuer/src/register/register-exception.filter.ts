import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { sendError } from '../http/error-response';
import { RegisterException } from './register.exception';

/** Maps the register's refusals to HTTP once: every one is a conflict with what is registered. */
@Catch(RegisterException)
export class RegisterExceptionFilter implements ExceptionFilter<RegisterException> {
  catch(exception: RegisterException, host: ArgumentsHost): void {
    sendError(host, HttpStatus.CONFLICT, exception.reason, exception.message);
  }
}
