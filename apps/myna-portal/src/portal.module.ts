import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, REQUESTER_INQUIRIES, RequesterResultHandler } from '@myna/messaging';
import { CITIZEN_SESSIONS, type ServiceRuntime } from '@myna/platform';
import { EXCHANGE_HUB, MYNA_PORTAL } from '@myna/protocol';
import { ExchangeRecord } from './exchange-records/exchange-record.entity';
import { ExchangeRecordHandler } from './exchange-records/exchange-record.handler';
import { ExchangeRecordRepository } from './exchange-records/exchange-record.repository';
import { ExchangeRecordsService } from './exchange-records/exchange-records.service';
import { CardIssuerClient } from './issuer-client/card-issuer.client';
import { LoginChallenge } from './login/login-challenge.entity';
import { LoginChallengeRepository } from './login/login-challenge.repository';
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
import { portalLegalTableProvider } from './portal-core';
import { portalCodeKeysProvider } from './portal-keys';
import { parsePortalSettings, PORTAL_SETTINGS } from './portal-settings';
import { SelfDisclosure } from './self-disclosure/self-disclosure.entity';
import { SelfDisclosureRepository } from './self-disclosure/self-disclosure.repository';
import { SelfDisclosureService } from './self-disclosure/self-disclosure.service';
import { PortalSession } from './sessions/portal-session.entity';
import { PortalSessionRepository } from './sessions/portal-session.repository';
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
        MessagingModule.forParty({ party: MYNA_PORTAL, sendsTo: [EXCHANGE_HUB], consume: runtime.consume, workers: runtime.config.workers }),
      ],
      controllers: [LoginController, PagesController, LogVerificationController],
      providers: [
        { provide: PORTAL_SETTINGS, useValue: settings },
        portalCodeKeysProvider,
        portalLegalTableProvider,
        PortalSessionRepository,
        LoginChallengeRepository,
        ExchangeRecordRepository,
        SelfDisclosureRepository,
        SessionService,
        PortalCitizens,
        { provide: CITIZEN_SESSIONS, useExisting: PortalCitizens },
        CardIssuerClient,
        LoginService,
        ExchangeRecordsService,
        SelfDisclosureService,
        // The inbound handlers, where this process consumes the portal's lane: exchange records, and
        // the results of its self-disclosure inquiries, settled as every requester settles them.
        ...(runtime.consume ? [ExchangeRecordHandler, RequesterResultHandler, { provide: REQUESTER_INQUIRIES, useExisting: SelfDisclosureRepository }] : []),
        HubLogClient,
      ],
    };
  }
}
