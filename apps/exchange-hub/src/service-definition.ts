import type { ServiceDefinition } from '@myna/platform';
import { ExchangeModule } from './exchange/exchange.module';
import { EXCHANGE_LOG_ENTITIES, ExchangeLogModule } from './exchange-log/exchange-log.module';
import { migrations } from './migrations';
import { EXCHANGE_HUB } from '@myna/protocol';
import { TransparencyLogModule } from './transparency-log/transparency-log.module';

export const exchangeHubService: ServiceDefinition = {
  name: EXCHANGE_HUB,
  title: 'Exchange hub (Information Provision Network System)',
  description:
    `Mediates every inquiry between agencies with opaque tokens and blind code translation. Holds metadata and ciphertexts only: never a My Number, a serial, an agency code in the clear or a payload in the clear.`,
  entities: EXCHANGE_LOG_ENTITIES,
  migrations,
  imports: (runtime) => [ExchangeModule.register(runtime), ExchangeLogModule.register(runtime), TransparencyLogModule],
  usesKeys: true,
};
