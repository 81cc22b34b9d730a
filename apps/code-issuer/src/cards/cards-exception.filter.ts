import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { sendError } from '../http/error-response';
import { CardsException, type CardRefusal } from './cards.exception';

const STATUS: Readonly<Record<CardRefusal, HttpStatus>> = {
  'citizen-not-found': HttpStatus.NOT_FOUND,
  'certificate-not-found': HttpStatus.NOT_FOUND,
  'certificate-not-valid': HttpStatus.CONFLICT,
  'public-key-already-certified': HttpStatus.CONFLICT,
  'public-key-mismatch': HttpStatus.CONFLICT,
  'identifier-required': HttpStatus.BAD_REQUEST,
  'issuance-conflict': HttpStatus.CONFLICT,
};

@Catch(CardsException)
export class CardsExceptionFilter implements ExceptionFilter<CardsException> {
  catch(exception: CardsException, host: ArgumentsHost): void {
    sendError(host, STATUS[exception.reason], exception.reason, exception.message);
  }
}
