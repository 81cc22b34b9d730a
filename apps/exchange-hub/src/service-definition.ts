import type { ServiceDefinition } from '@myna/platform';
import { migrations } from './migrations';

export const exchangeHubService: ServiceDefinition = {
  name: 'exchange-hub',
  title: 'Exchange hub (Information Provision Network System)',
  description:
    `Mediates every inquiry between agencies with opaque tokens and blind code translation. Holds metadata and ciphertexts only: never a My Number, a serial, an agency code in the clear or a payload in the clear.`,
  entities: [],
  migrations,
  imports: [],
};
