import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { CardError, ChipLockedError, PinIncorrectError } from '../card.exception';

/** What the reader shows its user: the chip's answer in plain words (and the Japanese term on real readers). */
export function readerMessage(error: CardError): { status: number; message: string } {
  if (error instanceof PinIncorrectError) {
    const tries = `${error.retriesLeft} ${error.retriesLeft === 1 ? 'try' : 'tries'}`;
    return { status: HttpStatus.FORBIDDEN, message: `Wrong PIN (暗証番号が違います). ${tries} left before the card locks.` };
  }
  if (error instanceof ChipLockedError) {
    const why = error.justLocked ? 'Wrong PIN for the third time: the card is now locked' : 'This card is locked after 3 wrong PINs';
    return {
      status: HttpStatus.LOCKED,
      message: `${why} (暗証番号ロック). Even the right PIN is refused now. Only the issuer can reset the PIN: in the real system, at your municipal office.`,
    };
  }
  switch (error.reason) {
    case 'chip-tampered':
      return { status: HttpStatus.GONE, message: "This card's chip destroyed its contents after tampering. It can no longer be used." };
    case 'card-not-found':
      return { status: HttpStatus.NOT_FOUND, message: 'There is no such card in the reader.' };
    case 'pin-format':
      return { status: HttpStatus.BAD_REQUEST, message: 'Enter the 4-digit PIN.' };
    case 'store-corrupt':
      return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'The reader cannot read this card.' };
    default:
      return { status: HttpStatus.BAD_REQUEST, message: 'The card refused the request.' };
  }
}

@Catch(CardError)
export class CardReaderExceptionFilter implements ExceptionFilter<CardError> {
  catch(error: CardError, host: ArgumentsHost): void {
    const { status, message } = readerMessage(error);
    const extra = error instanceof PinIncorrectError ? { retriesLeft: error.retriesLeft } : {};
    host.switchToHttp().getResponse<Response>().status(status).setHeader('cache-control', 'no-store').json({ statusCode: status, reason: error.reason, message, ...extra });
  }
}
