import { HttpStatus } from '@nestjs/common';
import { CardError, ChipLockedError, PinIncorrectError } from '@myna/card';
import { FederationError } from '@myna/protocol';

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
  switch (error.code) {
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

/** The chip's refusal as the reader answers it: the same code, in words for the card holder. */
export function readerRefusal(error: CardError): FederationError {
  const { status, message } = readerMessage(error);
  return new FederationError(error.code, message, status, error.details);
}
