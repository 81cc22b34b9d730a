import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@myna/messaging';
import { CITIZEN_SESSIONS, type ServiceRuntime } from '@myna/platform';
import { EXCHANGE_HUB } from '@myna/protocol';
import { ExchangeRecord } from './exchange-records/exchange-record.entity';
import { ExchangeRecordHandler } from './exchange-records/exchange-record.handler';
import { ExchangeRecordsService } from './exchange-records/exchange-records.service';
import { CardIssuerClient } from './issuer-client/card-issuer.client';
import { LoginChallenge } from './login/login-challenge.entity';
import { LoginController } from './login/login.controller';
import { LoginService } from './login/login.service';
import { CreateExchangeRecord1764201900000 } from './migrations/1764201900000-create-exchange-record';
import { CreateSignInAndSelfDisclosure1795761038252 } from './migrations/1795761038252-create-sign-in-and-self-disclosure';
import { UnansweredExchangeRecords1795831000000 } from './migrations/1795831000000-unanswered-exchange-records';
import { PortalHandles1796100000000 } from './migrations/1796100000000-per-party-handles';
import { BindSignInAndSessionsToCards1796400000000 } from './migrations/1796400000000-bind-sign-in-and-sessions-to-cards';
import { SealTheCardHolderInSessions1796500000000 } from './migrations/1796500000000-seal-the-card-holder-in-sessions';
import { LogReceipts1796600000000 } from './migrations/1796600000000-log-receipts';
import { HubLogClient } from './log-verification/hub-log.client';
import { LogVerificationController } from './log-verification/log-verification.controller';
import { PagesController } from './pages/pages.controller';
import { portalLegalTableProvider, PORTAL_LEGAL_TABLE } from './portal-core';
import { PORTAL_CODE_KEYS, portalCodeKeysProvider } from './portal-keys';
import { parsePortalSettings, PORTAL_SETTINGS } from './portal-settings';
import { DisclosureResultHandler } from './self-disclosure/disclosure-result.handler';
import { SelfDisclosure } from './self-disclosure/self-disclosure.entity';
import { SelfDisclosureService } from './self-disclosure/self-disclosure.service';
import { PortalSession } from './sessions/portal-session.entity';
import { PortalCitizens } from './sessions/portal-citizens';
import { SessionService } from './sessions/session.service';

export const PORTAL_ENTITIES = [ExchangeRecord, LoginChallenge, PortalSession, SelfDisclosure];
export const PORTAL_MIGRATIONS = [
  CreateExchangeRecord1764201900000,
  CreateSignInAndSelfDisclosure1795761038252,
  UnansweredExchangeRecords1795831000000,
  PortalHandles1796100000000,
  BindSignInAndSessionsToCards1796400000000,
  SealTheCardHolderInSessions1796500000000,
  LogReceipts1796600000000,
];

@Module({ providers: [portalCodeKeysProvider, portalLegalTableProvider], exports: [PORTAL_CODE_KEYS, PORTAL_LEGAL_TABLE] })
class PortalKeysModule {}

/**
 * MynaPortal: receives every exchange record about citizens, addressed by its
 * own code; signs citizens in with their card; shows their exchange records and
 * asks the agencies, under its self-disclosure rules, what they hold.
 */
@Module({})
export class PortalModule {
  static forRuntime(runtime: ServiceRuntime, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const settings = parsePortalSettings(runtime.config, env);
    return {
      module: PortalModule,
      imports: [
        PortalKeysModule,
        MessagingModule.forParty({
          party: 'myna-portal',
          sendsTo: [EXCHANGE_HUB],
          handlers: [ExchangeRecordHandler, DisclosureResultHandler],
          imports: [PortalKeysModule],
          consume: runtime.consume,
          workers: runtime.config.workers,
        }),
      ],
      controllers: [LoginController, PagesController, LogVerificationController],
      providers: [
        { provide: PORTAL_SETTINGS, useValue: settings },
        SessionService,
        PortalCitizens,
        { provide: CITIZEN_SESSIONS, useExisting: PortalCitizens },
        CardIssuerClient,
        LoginService,
        ExchangeRecordsService,
        SelfDisclosureService,
        HubLogClient,
      ],
    };
  }
}
