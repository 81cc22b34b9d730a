import { DataSource } from 'typeorm';
import { createTestDatabases, queryAs } from '@myna/testing';
import { EXCHANGE_LOG_ENTITIES } from '../exchange-log/exchange-log.module';
import { OneRejectedMessage1796650000000 } from './1796650000000-one-rejected-message';
import { migrations } from './index';

// The hub's rejected_message moves from sequence numbers to random ids: the rows
// already there keep everything else, each with an id of its own.
describe('the hub’s one rejected_message migration', () => {
  let database: Awaited<ReturnType<typeof createTestDatabases<'hub'>>>;

  beforeAll(async () => {
    database = await createTestDatabases(['hub']);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('gives the refusals recorded before it random ids, keeping their order, reasons and senders', async () => {
    const url = database.databases.hub.url;
    const open = (list: typeof migrations) => new DataSource({ type: 'postgres', url, entities: EXCHANGE_LOG_ENTITIES, migrations: list }).initialize();
    const before = await open(migrations.slice(0, migrations.indexOf(OneRejectedMessage1796650000000)));
    await before.runMigrations({ transaction: 'each' });
    await before.query(`
      INSERT INTO rejected_message (job_id, job_name, reason, detail, sender, message_id, received_at) VALUES
        ('job-1', 'inquiry', 'bad-signature', 'signature does not verify', NULL, NULL, now() - interval '2 minutes'),
        ('job-2', 'answer', 'replayed', 'answer m-2 was already received in another job', 'tax-agency', 'm-2', now() - interval '1 minute')`);
    await before.destroy();

    const after = await open(migrations.slice(0, migrations.indexOf(OneRejectedMessage1796650000000) + 1));
    await after.runMigrations({ transaction: 'each' });
    await after.destroy();

    const rows = await queryAs<{ id: string; job_id: string; reason: string; sender: string | null; message_id: string | null }>(
      url,
      'SELECT id, job_id, reason, sender, message_id FROM rejected_message ORDER BY received_at',
    );
    expect(rows).toEqual([
      { id: expect.stringMatching(/^[0-9a-f-]{36}$/), job_id: 'job-1', reason: 'bad-signature', sender: null, message_id: null },
      { id: expect.stringMatching(/^[0-9a-f-]{36}$/), job_id: 'job-2', reason: 'replayed', sender: 'tax-agency', message_id: 'm-2' },
    ]);
    expect(rows[0].id).not.toBe(rows[1].id);
    const [key] = await queryAs<{ data_type: string }>(url, "SELECT data_type FROM information_schema.columns WHERE table_name = 'rejected_message' AND column_name = 'id'");
    expect(key.data_type).toBe('uuid');
  });
});
