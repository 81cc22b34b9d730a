import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { LOGIN_REFUSALS, LoginRefusedError } from './login.exception';

/** A refused sign-in: its status, a stable reason, and the message the page shows. Never the detail. */
@Catch(LoginRefusedError)
export class LoginExceptionFilter implements ExceptionFilter<LoginRefusedError> {
  catch(error: LoginRefusedError, host: ArgumentsHost): void {
    const { status, message } = LOGIN_REFUSALS[error.reason];
    host.switchToHttp().getResponse<Response>().status(status).setHeader('cache-control', 'no-store').json({ statusCode: status, reason: error.reason, message });
  }
}
