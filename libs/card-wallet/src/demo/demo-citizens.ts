import { IcChip, issuerPublicKeySchema, maskMyNumber } from '@myna/card';
import { myNumberCheckDigit } from '@myna/codes';
import type { OperatorClient } from '@myna/operator-client';
import type { Agency, BasicFacts } from '@myna/protocol';
import { FileCardStore } from '../store/file-card-store';
import { demoPhoto } from './demo-photo';
import { CODE_ISSUER, HEALTH_AGENCY, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';

/** Every demo card's PIN. Printed by the demo: these are simulated cards. */
export const DEMO_PIN = '1234';

export interface DemoCitizen extends BasicFacts {
  /** The card's handle in the demo card store. */
  cardId: string;
  myNumber: string;
  /** What each agency holds about them (its enrolment records). */
  records: Record<Agency, Record<string, unknown[]>>;
}

/** A valid My Number from 11 fixed digits: the same demo people on every run. */
function myNumberFrom(base: string): string {
  return `${base}${myNumberCheckDigit(base)}`;
}

export const DEMO_CITIZENS: readonly DemoCitizen[] = [
  {
    cardId: 'demo-sato-hanako',
    myNumber: myNumberFrom('31415926535'),
    name: 'Sato Hanako',
    address: '1-2-3 Kasumigaseki, Chiyoda-ku, Tokyo',
    dateOfBirth: '1988-04-12',
    gender: 'female',
    records: {
      [TAX_AGENCY]: { incomes: [{ fiscalYear: 2024, incomeYen: 4_200_000 }, { fiscalYear: 2025, incomeYen: 4_350_000 }], assessments: [{ fiscalYear: 2025, residentTaxYen: 214_000 }] },
      [PENSION_AGENCY]: {
        enrolments: [{ category: 'category-1', enrolledOn: '2008-04-01' }],
        contributions: [{ fiscalYear: 2025, monthsPaid: 9, monthsExempt: 3 }],
        exemptions: [{ fiscalYear: 2025, status: 'applied' }],
        benefits: [{ status: 'not-receiving', annualAmountYen: 0 }],
      },
      [HEALTH_AGENCY]: {
        coverage: [{ eligibleFrom: '2008-04-01', eligibleUntil: null }],
        claims: [{ serviceMonth: '2025-06', amountYen: 12_400 }, { serviceMonth: '2025-09', amountYen: 3_800 }],
        costCaps: [{ fiscalYear: 2025, category: 'c' }],
      },
    },
  },
  {
    cardId: 'demo-suzuki-ichiro',
    myNumber: myNumberFrom('27182818284'),
    name: 'Suzuki Ichiro',
    address: '4-5-6 Umeda, Kita-ku, Osaka',
    dateOfBirth: '1957-10-10',
    gender: 'male',
    records: {
      [TAX_AGENCY]: { incomes: [{ fiscalYear: 2025, incomeYen: 2_100_000 }] },
      [PENSION_AGENCY]: { enrolments: [{ category: 'category-2', enrolledOn: '1980-04-01' }], benefits: [{ status: 'receiving', annualAmountYen: 1_980_000 }] },
      [HEALTH_AGENCY]: { coverage: [{ eligibleFrom: '2022-10-10', eligibleUntil: null }], costCaps: [{ fiscalYear: 2025, category: 'd' }] },
    },
  },
  {
    cardId: 'demo-tanaka-yui',
    myNumber: myNumberFrom('16180339887'),
    name: 'Tanaka Yui',
    address: '7-8-9 Sakae, Naka-ku, Nagoya',
    dateOfBirth: '1996-02-29',
    gender: 'other',
    records: {
      [TAX_AGENCY]: { incomes: [{ fiscalYear: 2025, incomeYen: 3_050_000 }] },
      [PENSION_AGENCY]: { enrolments: [{ category: 'category-1', enrolledOn: '2016-02-01' }], contributions: [{ fiscalYear: 2025, monthsPaid: 12, monthsExempt: 0 }] },
      [HEALTH_AGENCY]: { coverage: [{ eligibleFrom: '2016-02-01', eligibleUntil: null }] },
    },
  },
];

export interface ProvisionDemoCitizensOptions {
  /** Acts as code-issuer's registrar and as each agency's officer, with their credentials. */
  operators: OperatorClient;
  /** The demo card store (`.data/cards`): the same folder the card reader reads. */
  cardStoreDir: string;
  /** Default: DEMO_PIN ('1234') for every card. */
  pin?: string;
  /** Start a few exchanges for each new card, so the portal has records to show (default true). */
  seedExchanges?: boolean;
  citizens?: readonly DemoCitizen[];
  log?: (line: string) => void;
}

export interface DemoCard {
  cardId: string;
  holder: string;
  myNumber: string;
  maskedMyNumber: string;
  pin: string;
  certificateSerial: string;
  /** Whether this run made the card (false: it was already in the store). */
  created: boolean;
  personIds: Record<Agency, string>;
  /** Inquiries started for this card: their ids at the requesting agency. */
  inquiries: { requester: Agency; inquiryId: string }[];
}

/** The exchanges a new demo card starts with: two permitted, one the legal table denies. */
const DEMO_EXCHANGES: readonly { requester: Agency; provider: Agency; rule: string; item: string; firstCitizenOnly?: boolean }[] = [
  { requester: PENSION_AGENCY, provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' },
  { requester: HEALTH_AGENCY, provider: PENSION_AGENCY, rule: 'R-HEA-PEN-BENEFIT', item: 'benefit-status' },
  { requester: TAX_AGENCY, provider: HEALTH_AGENCY, rule: 'R-TAX-HEA-CLAIMS', item: 'medical-claims', firstCitizenOnly: true },
];

const AGENCIES_IN_ORDER: readonly Agency[] = [TAX_AGENCY, PENSION_AGENCY, HEALTH_AGENCY];

/**
 * Makes the demo's citizens with cards, through the services' APIs, as a
 * municipal office would: a registrar registers each at code-issuer, officers
 * enrol them at the agencies (which obtain their own codes and forget the My
 * Number), then the registrar issues a card whose chip makes its own key and
 * has code-issuer certify it. Safe to run on every start: what exists is kept
 * (a card already in the store is not re-issued).
 */
export async function provisionDemoCitizens(options: ProvisionDemoCitizensOptions): Promise<DemoCard[]> {
  const pin = options.pin ?? DEMO_PIN;
  const log = options.log ?? (() => undefined);
  const store = new FileCardStore(options.cardStoreDir);
  const registrar = options.operators.as(CODE_ISSUER, 'registrar');
  const officer = (agency: Agency) => options.operators.as(agency, 'agency-officer');
  // The trust anchor each new chip is personalised with: the issuer's public signing key.
  const published = (await registrar.expect('GET', '/cards/issuer-key', undefined, [200])).body;
  const issuerKey = issuerPublicKeySchema.parse({ kid: published.kid, jwk: published.jwk });
  const existing = new Set(await store.list());

  // Citizens are independent of each other, and so are one citizen's three enrolments.
  const cards = await Promise.all(
    (options.citizens ?? DEMO_CITIZENS).map(async (citizen, index): Promise<DemoCard> => {
      const facts: BasicFacts = { name: citizen.name, address: citizen.address, dateOfBirth: citizen.dateOfBirth, gender: citizen.gender };
      // 409: registered by an earlier run, which is what we want.
      await registrar.expect('POST', '/citizens', { ...facts, myNumber: citizen.myNumber }, [201, 409]);
      const enrolled = await Promise.all(
        AGENCIES_IN_ORDER.map((agency) => officer(agency).expect('POST', '/persons', { ...facts, myNumber: citizen.myNumber, records: citizen.records[agency] }, [200, 201])),
      );
      const personIds = Object.fromEntries(AGENCIES_IN_ORDER.map((agency, at) => [agency, String(enrolled[at].body.personId)])) as Record<Agency, string>;

      const created = !existing.has(citizen.cardId);
      const chip = created
        ? await IcChip.issue(store, {
            cardId: citizen.cardId,
            face: { ...facts, myNumber: citizen.myNumber, photo: demoPhoto(citizen.name, index) },
            pin,
            issuerKey,
            certify: async (publicKey) => String((await registrar.expect('POST', '/cards', { myNumber: citizen.myNumber, publicKey }, [201])).body.certificate),
          })
        : await IcChip.open(store, citizen.cardId);
      const certificateSerial = (await chip.readContents()).userAuthentication.certificateSerial;

      const inquiries: DemoCard['inquiries'] = [];
      if (created && (options.seedExchanges ?? true)) {
        for (const exchange of DEMO_EXCHANGES.filter((candidate) => !candidate.firstCitizenOnly || index === 0)) {
          const started = await officer(exchange.requester).expect('POST', '/inquiries', {
            personId: personIds[exchange.requester],
            provider: exchange.provider,
            rule: exchange.rule,
            item: exchange.item,
          }, [202]);
          inquiries.push({ requester: exchange.requester, inquiryId: String(started.body.inquiryId) });
        }
      }
      return { cardId: citizen.cardId, holder: citizen.name, myNumber: citizen.myNumber, maskedMyNumber: maskMyNumber(citizen.myNumber), pin, certificateSerial, created, personIds, inquiries };
    }),
  );

  log(`demo cards (every PIN is ${pin}; a simulated card locks after 3 wrong PINs):`);
  for (const card of cards) {
    log(`  ${card.holder.padEnd(16)} ${card.maskedMyNumber}  card ${card.cardId}, certificate ${card.certificateSerial}${card.created ? ' (new)' : ''}`);
  }
  return cards;
}
