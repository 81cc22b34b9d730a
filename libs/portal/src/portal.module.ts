import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@myna/messaging';
import type { ServiceRuntime } from '@myna/platform';
import { EXCHANGE_HUB } from '@myna/protocol';
import { ExchangeRecord } from './exchange-records/exchange-record.entity';
import { ExchangeRecordHandler } from './exchange-records/exchange-record.handler';
import { CreateExchangeRecord1764201900000 } from './migrations/1764201900000-create-exchange-record';
import { PORTAL_CODE_KEYS, portalCodeKeysProvider } from './portal-keys';

export const PORTAL_ENTITIES = [ExchangeRecord];
export const PORTAL_MIGRATIONS = [CreateExchangeRecord1764201900000];

@Module({ providers: [portalCodeKeysProvider], exports: [PORTAL_CODE_KEYS] })
class PortalKeysModule {}

/** MynaPortal: receives every exchange record about citizens, addressed by its own code. */
@Module({})
export class PortalModule {
  static forRuntime(runtime: ServiceRuntime): DynamicModule {
    return {
      module: PortalModule,
      imports: [
        PortalKeysModule,
        MessagingModule.forParty({
          party: 'myna-portal',
          sendsTo: [EXCHANGE_HUB],
          handlers: [ExchangeRecordHandler],
          imports: [PortalKeysModule],
          consume: runtime.consume,
          workers: runtime.config.workers,
        }),
      ],
    };
  }
}
