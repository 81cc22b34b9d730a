import { FederationError } from '@myna/protocol';

/** No exchange with that id in the hub's log. */
export class ExchangeNotFoundError extends FederationError {
  constructor(exchangeId: string) {
    super('exchange-not-found', `no exchange ${exchangeId}`, 404);
  }
}
