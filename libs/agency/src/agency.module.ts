import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@myna/messaging';
import type { ServiceRuntime } from '@myna/platform';
import { BULK_BODY_LIMITS, EXCHANGE_HUB, type Agency } from '@myna/protocol';
import { agencyCoreProviders, AGENCY_PARTY, LEGAL_TABLE, OWN_CODE_KEYS } from './agency-core';
import { AGENCY_DOMAIN, type AgencyDomain } from './agency-domain';
import { EnrolmentController } from './enrolment/enrolment.controller';
import { EnrolmentService } from './enrolment/enrolment.service';
import { DeliveryHandler } from './exchange/delivery.handler';
import { Inquiry, ProvidedExchange, RejectedMessage } from './exchange/exchange.entities';
import { InquiryController } from './exchange/inquiry.controller';
import { InquiryService } from './exchange/inquiry.service';
import { ResultHandler } from './exchange/result.handler';
import { CodeIssuerClient } from './issuer-client/code-issuer.client';
import { CreateAgencyPerson1764201600000 } from './migrations/1764201600000-create-agency-person';
import { CreateAgencyExchange1764201800000 } from './migrations/1764201800000-create-agency-exchange';
import { IndexExchangeListings1795830000000 } from './migrations/1795830000000-index-exchange-listings';
import { PerPartyHandles1796100000000 } from './migrations/1796100000000-per-party-handles';
import { LogReceipts1796600000000 } from './migrations/1796600000000-log-receipts';
import { AgencyPerson } from './persons/agency-person.entity';
import { PersonsService } from './persons/persons.service';

/** Batch enrolment takes bulk bodies; every other agency route stays small. */
export const AGENCY_BULK_ROUTES = { '/persons/batch': BULK_BODY_LIMITS.personsBatch };

/** Entities and migrations every agency's database starts with; agencies add their own after these. */
export const AGENCY_ENTITIES = [AgencyPerson, Inquiry, ProvidedExchange, RejectedMessage];
export const AGENCY_MIGRATIONS = [
  CreateAgencyPerson1764201600000,
  CreateAgencyExchange1764201800000,
  IndexExchangeListings1795830000000,
  PerPartyHandles1796100000000,
  LogReceipts1796600000000,
];

@Module({})
class AgencyCoreModule {}

/**
 * The one agency module: enrolment, code storage, the inquiry outbox and the
 * provider's inbox. Each agency configures it with its name and its domain.
 */
@Module({})
export class AgencyModule {
  static forAgency(party: Agency, domain: AgencyDomain, runtime: ServiceRuntime): DynamicModule {
    const core: DynamicModule = {
      module: AgencyCoreModule,
      providers: [{ provide: AGENCY_DOMAIN, useValue: domain }, ...agencyCoreProviders(party), PersonsService],
      exports: [AGENCY_DOMAIN, AGENCY_PARTY, OWN_CODE_KEYS, LEGAL_TABLE, PersonsService],
    };
    const messaging = MessagingModule.forParty({
      party,
      sendsTo: [EXCHANGE_HUB],
      handlers: [DeliveryHandler, ResultHandler],
      imports: [core],
      consume: runtime.consume,
      workers: runtime.config.workers,
    });
    return {
      module: AgencyModule,
      imports: [core, messaging],
      controllers: [EnrolmentController, InquiryController],
      providers: [EnrolmentService, CodeIssuerClient, InquiryService],
    };
  }
}
