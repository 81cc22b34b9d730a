/** Why a read of the exchange log failed. */
export type ExchangeLogFailure = 'exchange-not-found';

export class ExchangeLogException extends Error {
  override readonly name = 'ExchangeLogException';

  constructor(readonly reason: ExchangeLogFailure, message: string) {
    super(message);
  }
}
