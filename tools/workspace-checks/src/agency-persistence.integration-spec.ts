import { randomBytes, randomUUID } from 'node:crypto';
import { Column, DataSource, Entity, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { z } from 'zod';
import { MESSAGING_ENTITIES, MessageRejections, RejectedMessageError, RejectedMessageRepository } from '@myna/messaging';
import { createTestDatabases, queryAs } from '@myna/testing';
import {
  AGENCY_ENTITIES,
  AGENCY_MIGRATIONS,
  AgencyPersonRepository,
  defineAgencyDomain,
  InquiryRepository,
  ProvidedExchangeRepository,
  UnknownItemError,
  yenColumn,
} from '@myna/agency';

// libs/agency's persistence on a real PostgreSQL, through its migrations (here, in a
// test project, so that no library depends on the test helpers): enrolment, the
// requester's inquiries, the provider's answers, and refusals.

/** An agency's own table, as each agency app adds one (here a test's): keyed by person and year, as theirs are. */
@Entity({ name: 'contribution' })
class Contribution {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ name: 'fiscal_year', type: 'int' })
  fiscalYear!: number;

  @Column({ name: 'paid_yen', ...yenColumn, nullable: true })
  paidYen!: number | null;
}

class CreateContribution1799000000000 implements MigrationInterface {
  name = 'CreateContribution1799000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE contribution (person_id uuid NOT NULL REFERENCES person (id), fiscal_year int NOT NULL, paid_yen bigint, PRIMARY KEY (person_id, fiscal_year))');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE contribution');
  }
}

const domain = defineAgencyDomain(
  z.strictObject({ contributions: z.array(z.strictObject({ fiscalYear: z.number().int(), paidYen: z.number().int().optional() })).optional() }),
  [{ key: 'contributions', entity: Contribution }],
  {
    'contribution-years': async (manager, personId) => ({ years: (await manager.find(Contribution, { where: { personId } })).map((row) => row.fiscalYear).sort() }),
  },
);

const code = () => `ac1.${randomBytes(32).toString('base64url')}`;

describe('the agency module’s persistence, on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabases<'agency'>>>;
  let dataSource: DataSource;
  let url: string;
  let persons: AgencyPersonRepository;
  let inquiries: InquiryRepository;
  let provided: ProvidedExchangeRepository;

  const open = (migrations: AgencyMigrations) =>
    new DataSource({ type: 'postgres', url, entities: [...AGENCY_ENTITIES, Contribution], migrations, extra: { max: 4 } }).initialize();
  type AgencyMigrations = (typeof AGENCY_MIGRATIONS)[number][];

  beforeAll(async () => {
    database = await createTestDatabases(['agency']);
    url = database.databases.agency.url;
    // The migrations before the one rejected_message, a refusal recorded as agencies did then, then the rest.
    const before = await open(AGENCY_MIGRATIONS.slice(0, AGENCY_MIGRATIONS.findIndex((migration) => migration.name === 'OneRejectedMessage1796650000000')));
    await before.runMigrations({ transaction: 'each' });
    await before.query(`INSERT INTO rejected_message (id, job_id, job_name, reason, detail) VALUES (gen_random_uuid(), 'old-job', 'delivery', 'bad-signature', 'signature does not verify')`);
    await before.destroy();
    dataSource = await open([...AGENCY_MIGRATIONS, CreateContribution1799000000000]);
    await dataSource.runMigrations({ transaction: 'each' });
    persons = new AgencyPersonRepository(dataSource, domain);
    inquiries = new InquiryRepository(dataSource);
    provided = new ProvidedExchangeRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('keeps the refusals recorded before the one rejected_message, with no verified sender', async () => {
    expect(await queryAs(url, `SELECT job_id, reason, detail, sender, message_id FROM rejected_message WHERE job_id = 'old-job'`)).toEqual([
      { job_id: 'old-job', reason: 'bad-signature', detail: 'signature does not verify', sender: null, message_id: null },
    ]);
  });

  it('records a refusal in the shared entity, and throws it with the same code and reason for the dead letter', async () => {
    expect(MESSAGING_ENTITIES.every((entity) => AGENCY_ENTITIES.includes(entity))).toBe(true);
    const rejections = new MessageRejections(new RejectedMessageRepository(dataSource), 'tax-agency');
    const refusal = rejections.reject({ id: 'job-1', name: 'delivery' }, 'not-permitted', 'no rule\nlets that', { from: 'exchange-hub', id: 'message-1' });
    await expect(refusal).rejects.toThrow(RejectedMessageError);
    await expect(refusal).rejects.toMatchObject({ code: 'not-permitted', message: 'no rule lets that', status: 422 });
    expect(await new RejectedMessageRepository(dataSource).forJob('job-1')).toEqual([
      expect.objectContaining({ jobName: 'delivery', reason: 'not-permitted', detail: 'no rule lets that', sender: 'exchange-hub', messageId: 'message-1' }),
    ]);
  });

  it('enrols a batch once: new persons with their records and contact data, known codes left as they were', async () => {
    const [a, b] = [code(), code()];
    const first = await persons.enrol([
      { agencyCode: a, contact: { name: 'Sato Hanako', address: 'Tokyo', dateOfBirth: '1980-04-01' }, records: { contributions: [{ fiscalYear: 2024, paidYen: 198_000 }, { fiscalYear: 2025 }] } },
      { agencyCode: b, contact: null, records: undefined },
    ]);
    expect(first.get(a)).toEqual({ personId: expect.any(String), fresh: true });
    expect(first.get(b)).toEqual({ personId: expect.any(String), fresh: true });

    const again = await persons.enrol([{ agencyCode: a, contact: null, records: { contributions: [{ fiscalYear: 1999 }] } }]);
    expect(again.get(a)).toEqual({ personId: first.get(a)!.personId, fresh: false });

    const personA = first.get(a)!.personId;
    expect(await persons.idByAgencyCode(a)).toBe(personA);
    expect(await persons.idByAgencyCode(code())).toBeNull();
    expect(await persons.findById(personA)).toMatchObject({ agencyCode: a, contactName: 'Sato Hanako', contactDateOfBirth: '1980-04-01' });
    expect(await persons.findById(first.get(b)!.personId)).toMatchObject({ contactName: null });
    // The second enrolment's records were not added.
    expect(await persons.records(personA)).toEqual({
      contributions: expect.arrayContaining([
        { fiscalYear: 2024, paidYen: 198_000 },
        { fiscalYear: 2025, paidYen: null },
      ]),
    });
    expect(await persons.answer(personA, 'contribution-years', {})).toEqual({ years: [2024, 2025] });
    await expect(persons.answer(personA, 'medical-claims', {})).rejects.toThrow(UnknownItemError);
    expect(await persons.count()).toBeGreaterThanOrEqual(2);
  });

  it('stores a batch whole or not at all: a record its column cannot hold refuses the batch, persons included', async () => {
    const [a, b] = [code(), code()];
    const before = await persons.count();
    await expect(
      persons.enrol([
        { agencyCode: a, contact: null, records: { contributions: [{ fiscalYear: 2024 }] } },
        { agencyCode: b, contact: null, records: { contributions: [{ fiscalYear: 2 ** 40 }] } },
      ]),
    ).rejects.toThrow(/out of range for type integer/);
    expect(await persons.count()).toBe(before);
    expect(await persons.idByAgencyCode(a)).toBeNull();
  });

  it('matches a result to the inquiry it answers: the same in the process that made it as in another that reads it back, and settled once settled', async () => {
    const [enrolled] = [...(await persons.enrol([{ agencyCode: code(), contact: null, records: undefined }])).values()];
    const asked = { id: randomUUID(), personId: enrolled.personId, provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: {} };
    expect(await inquiries.create(asked)).not.toBeNull();
    const elsewhere = new InquiryRepository(dataSource);
    const pending = { provider: 'tax-agency', item: 'annual-income', status: 'pending' };
    expect(await inquiries.awaited(asked.id)).toEqual(pending);
    expect(await elsewhere.awaited(asked.id)).toEqual(pending);

    await inquiries.settle(asked.id, { status: 'no-record', result: null }, null);
    const settled = { provider: 'tax-agency', item: 'annual-income', status: 'no-record' };
    expect(await inquiries.awaited(asked.id)).toEqual(settled);
    expect(await elsewhere.awaited(asked.id)).toEqual(settled);

    // Settled by another process: this one's memory of it is only a hint, and settling again changes nothing.
    const raced = { ...asked, id: randomUUID() };
    await inquiries.create(raced);
    await elsewhere.settle(raced.id, { status: 'answered', result: { incomeYen: 1 } }, null);
    await inquiries.settle(raced.id, { status: 'denied', reason: 'late' }, null);
    expect(await inquiries.awaited(raced.id)).toEqual({ provider: 'tax-agency', item: 'annual-income', status: 'answered' });

    const failed = { ...asked, id: randomUUID() };
    await inquiries.create(failed);
    await inquiries.fail(failed.id, 'the inquiry could not be prepared');
    expect(await inquiries.awaited(failed.id)).toMatchObject({ status: 'failed' });
    expect(await inquiries.awaited(randomUUID())).toBeNull();
  });

  it('settles an inquiry once: a second result for it changes nothing', async () => {
    const agencyCode = code();
    const [enrolled] = [...(await persons.enrol([{ agencyCode, contact: null, records: undefined }])).values()];
    const created = await inquiries.create({ id: randomUUID(), personId: enrolled.personId, provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: {} });
    // The person's code comes back with the new inquiry, for its subject.
    expect(created?.agencyCode).toBe(agencyCode);
    const inquiry = created!.inquiry;
    expect(await inquiries.find(inquiry.id)).toMatchObject({ status: 'pending', result: null, answeredAt: null });

    await inquiries.settle(inquiry.id, { status: 'answered', result: { incomeYen: 4_200_000 } }, null);
    await inquiries.settle(inquiry.id, { status: 'denied', reason: 'replayed result' }, null);
    expect(await inquiries.find(inquiry.id)).toMatchObject({ status: 'answered', result: { incomeYen: 4_200_000 }, reason: null, answeredAt: expect.any(Date) });

    const failing = (await inquiries.create({ id: randomUUID(), personId: enrolled.personId, provider: 'health-agency', rule: 'R-X', item: 'x', parameters: {} }))!.inquiry;
    await inquiries.fail(failing.id, 'the exchange hub queue did not accept the inquiry');
    expect(await inquiries.find(failing.id)).toMatchObject({ status: 'failed', reason: 'the exchange hub queue did not accept the inquiry' });
    expect((await inquiries.newest(50)).map((row) => row.id)).toEqual(expect.arrayContaining([inquiry.id, failing.id]));

    // About a person not enrolled here: nothing is written.
    const stranger = randomUUID();
    expect(await inquiries.create({ id: stranger, personId: randomUUID(), provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: {} })).toBeNull();
    expect(await inquiries.find(stranger)).toBeNull();
  });

  it('settles an inquiry on the page it was written to (a HOT update: no index entry written), its result and receipt included', async () => {
    const [enrolled] = [...(await persons.enrol([{ agencyCode: code(), contact: null, records: undefined }])).values()];
    const asked: string[] = [];
    for (let i = 0; i < 24; i++) {
      const created = await inquiries.create({ id: randomUUID(), personId: enrolled.personId, provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: { fiscalYear: 2025 } });
      asked.push(created!.inquiry.id);
    }
    const pages = async () =>
      (await queryAs<{ id: string; page: string }>(url, `SELECT id, (ctid::text::point)[0]::text AS page FROM inquiry WHERE id = ANY($1::uuid[]) ORDER BY id`, [asked]))
        .map((row) => `${row.id} on page ${row.page}`);
    const written = await pages();
    // A receipt as large as the hub's (about 680 bytes: the leaf, the nonce and the signed tree head).
    const receipt = { leaf: randomBytes(240).toString('base64url'), index: 7, nonce: randomBytes(16).toString('base64url'), treeHead: randomBytes(240).toString('base64url') };
    for (const id of asked) await inquiries.settle(id, { status: 'answered', result: { incomeYen: 4_200_000 } }, receipt);
    // Without room to settle, 17 of the 24 move. With it, a row moves only when PostgreSQL could not yet
    // prune its page's dead versions: it may not while any transaction, in any database (a backend
    // starting up, say, on a busy server), might still see them. So a few may move; most may not.
    const settled = await pages();
    const moved = settled.filter((where) => !written.includes(where));
    expect(settled).toHaveLength(written.length);
    expect(moved.length).toBeLessThanOrEqual(asked.length / 4);
    const [options] = await queryAs<{ reloptions: string[] }>(url, `SELECT reloptions FROM pg_class WHERE relname = 'inquiry'`);
    expect(options.reloptions).toEqual(['fillfactor=17']);
  });

  it('records what it gave under a handle once, however many deliveries race for it, and lists it without the answer id', async () => {
    const handle = randomUUID();
    const given = { handle, requester: 'pension-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', personId: null, outcome: 'no-record' as const, receipt: null };
    const attempts = await Promise.all([provided.recordOnce(given), provided.recordOnce(given), provided.recordOnce(given)]);
    expect(attempts.filter((attempt) => attempt.first)).toHaveLength(1);
    expect(new Set(attempts.map((attempt) => attempt.provided.answerMessageId)).size).toBe(1);
    const listed = (await provided.newest(100)).find((row) => row.handle === handle);
    expect(listed).toMatchObject({ requester: 'pension-agency', outcome: 'no-record' });
    expect((listed as Record<string, unknown>).answerMessageId).toBeUndefined();
    // Kept to the minute (DESIGN §5, timing).
    expect(listed!.providedAt.getSeconds()).toBe(0);
  });
});
