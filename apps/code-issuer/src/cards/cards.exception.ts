export type CardRefusal =
  | 'citizen-not-found'
  | 'certificate-not-found'
  | 'certificate-not-valid'
  | 'public-key-already-certified'
  | 'public-key-mismatch'
  | 'identifier-required'
  | 'issuance-conflict';

/** Why the issuer refused a card request. Messages never echo a My Number or a residence code. */
export class CardsException extends Error {
  override readonly name = 'CardsException';

  constructor(
    readonly reason: CardRefusal,
    message: string,
  ) {
    super(message);
  }
}
