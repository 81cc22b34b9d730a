import { FederationError } from '@myna/protocol';

/** Why a chip operation failed. Messages never carry a PIN, a key or a My Number. */
export type CardErrorReason =
  | 'pin-incorrect'
  | 'pin-format'
  | 'chip-locked'
  | 'chip-tampered'
  | 'card-not-found'
  | 'card-exists'
  | 'card-data-invalid'
  | 'certificate-invalid'
  | 'pin-reset-refused'
  | 'store-corrupt';

const STATUS: Readonly<Record<CardErrorReason, number>> = {
  'pin-incorrect': 403,
  'pin-format': 400,
  'chip-locked': 423,
  'chip-tampered': 410,
  'card-not-found': 404,
  'card-exists': 409,
  'card-data-invalid': 400,
  'certificate-invalid': 400,
  'pin-reset-refused': 403,
  'store-corrupt': 422,
};

export class CardError extends FederationError {
  constructor(
    override readonly code: CardErrorReason,
    message: string,
    details?: FederationError['details'],
  ) {
    super(code, message, STATUS[code], details);
  }
}

/** A wrong PIN: one try fewer is left (the chip locks when none is). */
export class PinIncorrectError extends CardError {
  constructor(readonly retriesLeft: number) {
    super('pin-incorrect', `wrong PIN: ${retriesLeft} ${retriesLeft === 1 ? 'try' : 'tries'} left before the chip locks`, { retriesLeft });
  }
}

/** The PIN is not 4 digits. The chip refuses it without counting a try, as a reader would refuse to send it. */
export class PinFormatError extends CardError {
  constructor() {
    super('pin-format', 'the PIN must be exactly 4 digits');
  }
}

/** Three wrong PINs: nothing but an issuer-signed reset opens the chip again. */
export class ChipLockedError extends CardError {
  constructor(readonly justLocked = false) {
    super(
      'chip-locked',
      justLocked
        ? 'wrong PIN for the third time: the chip is now locked and only the issuer can reset its PIN'
        : 'the chip is locked after 3 wrong PINs; only the issuer can reset its PIN',
    );
  }
}

/** The chip was tampered with: its key and data are gone, and every operation fails for good. */
export class ChipTamperedError extends CardError {
  constructor() {
    super('chip-tampered', 'the chip was tampered with and has destroyed its contents; it can no longer be used');
  }
}

export class CardNotFoundError extends CardError {
  constructor(readonly cardId: string) {
    super('card-not-found', `no card ${cardId} in this card store`);
  }
}

export class CardExistsError extends CardError {
  constructor(readonly cardId: string) {
    super('card-exists', `a card ${cardId} is already in this card store`);
  }
}

export class CardDataError extends CardError {
  constructor(message: string) {
    super('card-data-invalid', message);
  }
}

/** A certificate that does not verify, or does not bind this chip's key. */
export class CertificateError extends CardError {
  constructor(message: string) {
    super('certificate-invalid', message);
  }
}

/** A PIN-reset authorization the chip does not accept (wrong signer, wrong card, stale or replayed). */
export class PinResetRefusedError extends CardError {
  constructor(message: string) {
    super('pin-reset-refused', message);
  }
}

/** What the store holds for a card cannot be unsealed or parsed (a wrong store key, a damaged file). */
export class CardStoreError extends CardError {
  constructor(message: string) {
    super('store-corrupt', message);
  }
}
