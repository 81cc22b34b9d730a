import { type DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES, MessagingModule, REQUESTER_INQUIRIES, RequesterResultHandler } from '@myna/messaging';
import type { ServiceRuntime } from '@myna/platform';
import { BULK_BODY_LIMITS, EXCHANGE_HUB, type Agency } from '@myna/protocol';
import { agencyCoreProviders } from './agency-core';
import { AGENCY_DOMAIN, type AgencyDomain } from './agency-domain';
import { EnrolmentController } from './enrolment/enrolment.controller';
import { EnrolmentService } from './enrolment/enrolment.service';
import { DeliveryHandler } from './exchange/delivery.handler';
import { Inquiry, ProvidedExchange } from './exchange/exchange.entities';
import { InquiryController } from './exchange/inquiry.controller';
import { InquiryRepository } from './exchange/inquiry.repository';
import { InquiryService } from './exchange/inquiry.service';
import { ProvidedExchangeRepository } from './exchange/provided-exchange.repository';
import { CodeIssuerClient } from './issuer-client/code-issuer.client';
import { CreateAgencyPerson1764201600000 } from './migrations/1764201600000-create-agency-person';
import { CreateAgencyExchange1764201800000 } from './migrations/1764201800000-create-agency-exchange';
import { IndexExchangeListings1795830000000 } from './migrations/1795830000000-index-exchange-listings';
import { PerPartyHandles1796100000000 } from './migrations/1796100000000-per-party-handles';
import { LogReceipts1796600000000 } from './migrations/1796600000000-log-receipts';
import { OneRejectedMessage1796650000000 } from './migrations/1796650000000-one-rejected-message';
import { InquiryRoomToSettle1796800000000 } from './migrations/1796800000000-inquiry-room-to-settle';
import { AgencyPerson } from './persons/agency-person.entity';
import { AgencyPersonRepository } from './persons/agency-person.repository';
import { PersonsService } from './persons/persons.service';

/** Batch enrolment takes bulk bodies; every other agency route stays small. */
export const AGENCY_BULK_ROUTES = { '/persons/batch': BULK_BODY_LIMITS.personsBatch };

/** Entities and migrations every agency's database starts with; agencies add their own after these. */
export const AGENCY_ENTITIES = [AgencyPerson, Inquiry, ProvidedExchange, ...MESSAGING_ENTITIES];
export const AGENCY_MIGRATIONS = [
  CreateAgencyPerson1764201600000,
  CreateAgencyExchange1764201800000,
  IndexExchangeListings1795830000000,
  PerPartyHandles1796100000000,
  LogReceipts1796600000000,
  OneRejectedMessage1796650000000,
  InquiryRoomToSettle1796800000000,
];

/**
 * The one agency module: enrolment, code storage, the inquiry outbox and the
 * provider's inbox. Each agency configures it with its name and its domain.
 */
@Module({})
export class AgencyModule {
  static forAgency(party: Agency, domain: AgencyDomain, runtime: ServiceRuntime): DynamicModule {
    return {
      module: AgencyModule,
      imports: [MessagingModule.forParty({ party, sendsTo: [EXCHANGE_HUB], consume: runtime.consume, workers: runtime.config.workers })],
      controllers: [EnrolmentController, InquiryController],
      providers: [
        { provide: AGENCY_DOMAIN, useValue: domain },
        ...agencyCoreProviders(party),
        AgencyPersonRepository,
        InquiryRepository,
        ProvidedExchangeRepository,
        PersonsService,
        EnrolmentService,
        CodeIssuerClient,
        InquiryService,
        // The inbound handlers, where this process consumes the agency's lanes: its deliveries
        // (as provider), and the results of its inquiries, settled as every requester settles them.
        ...(runtime.consume ? [DeliveryHandler, RequesterResultHandler, { provide: REQUESTER_INQUIRIES, useExisting: InquiryRepository }] : []),
      ],
    };
  }
}
