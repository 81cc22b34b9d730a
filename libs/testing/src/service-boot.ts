import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { ServiceDefinition } from '@myna/platform';
import { createTestDatabases, queryAs } from './test-databases';
import { startTestServiceApp } from './service-app';
import { removeTestRedisKeys } from './test-redis';

const byTimestamp = (a: string, b: string) => Number(a.match(/\d+$/)?.[0]) - Number(b.match(/\d+$/)?.[0]);

/**
 * The checks every service must pass when booted for real against its own
 * freshly provisioned database and the machine's Redis.
 */
export function describeServiceBoot(definition: ServiceDefinition): void {
  describe(`${definition.name} boots as a service`, () => {
    let app: INestApplication | undefined;
    let databaseUrl = '';
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const provisioned = await createTestDatabases([definition.name]);
      drop = provisioned.drop;
      databaseUrl = provisioned.databases[definition.name].url;
      app = await startTestServiceApp(definition, databaseUrl);
    });

    afterAll(async () => {
      await app?.close();
      await drop?.();
      await removeTestRedisKeys();
    });

    it('reports its own database and Redis as up on /health', async () => {
      const response = await request(app!.getHttpServer()).get('/health').expect(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    });

    it('serves its OpenAPI description at /docs-json', async () => {
      const response = await request(app!.getHttpServer()).get('/docs-json').expect(200);
      expect(response.body.info.title).toBe(definition.title);
      expect(Object.keys(response.body.paths)).toContain('/health');
    });

    it('has run every one of its migrations, and no synchronize', async () => {
      const rows = await queryAs<{ name: string }>(databaseUrl, 'SELECT name FROM migrations ORDER BY id');
      // TypeORM runs migrations in timestamp order, whatever the order of the list.
      const expected = definition.migrations.map((migration) => migration.name).sort(byTimestamp);
      expect(rows.map((row) => row.name)).toEqual(expected);
    });
  });
}
