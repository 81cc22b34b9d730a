import type { INestApplication } from '@nestjs/common';
import { createServiceApp, parseServiceConfig, type ServiceDefinition } from '@myna/platform';
import { TEST_REDIS_PREFIX, testRedisUrlFor } from './test-redis';
import { testKeysDir } from './test-keys';

/** Boots a service's real Nest application against the given database and the machine's Redis, as the service's own Redis user. */
export async function startTestServiceApp(
  definition: ServiceDefinition,
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<INestApplication> {
  const config = parseServiceConfig(definition.name, {
    PORT: '0',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: await testRedisUrlFor(definition.name),
    REDIS_PREFIX: TEST_REDIS_PREFIX,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    KEYS_DIR: testKeysDir(definition.name),
    ...env,
  });
  const app = await createServiceApp(definition, config);
  await app.init();
  return app;
}
