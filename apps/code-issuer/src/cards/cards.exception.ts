import { FederationError } from '@myna/protocol';

export type CardRefusal =
  | 'citizen-not-found'
  | 'certificate-not-found'
  | 'certificate-not-valid'
  | 'public-key-already-certified'
  | 'public-key-mismatch'
  | 'identifier-required'
  | 'issuance-conflict';

const STATUS: Readonly<Record<CardRefusal, number>> = {
  'citizen-not-found': 404,
  'certificate-not-found': 404,
  'certificate-not-valid': 409,
  'public-key-already-certified': 409,
  'public-key-mismatch': 409,
  'identifier-required': 400,
  'issuance-conflict': 409,
};

/** Why the issuer refused a card request. Messages never echo a My Number or a residence code. */
export class CardsException extends FederationError {
  constructor(
    override readonly code: CardRefusal,
    message: string,
  ) {
    super(code, message, STATUS[code]);
  }
}
