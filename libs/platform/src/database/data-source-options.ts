import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import type { ServiceConfig } from '../config/service-config';
import { QueryErrorLogger } from './query-error-logger';

// TypeORM's own list type: classes or schemas, never a glob pointing into dist/.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityList = MixedList<Function | string | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type MigrationList = Function[];

/** One DataSource per service database: explicit entities and migrations, never synchronize. */
export function serviceDataSourceOptions(
  config: Pick<ServiceConfig, 'database' | 'service'>,
  entities: EntityList,
  migrations: MigrationList,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    entities,
    migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Migrations use gen_random_uuid(), built into PostgreSQL 13+ and PGlite: no extension to install.
    installExtensions: false,
    logging: ['error', 'warn', 'migration'],
    logger: new QueryErrorLogger(),
    maxQueryExecutionTime: 2000,
    applicationName: config.service.name,
    // namedStatements is read by runPrepared (prepared-statements.ts); node-postgres ignores it.
    extra: { max: config.database.poolSize, connectionTimeoutMillis: config.database.connectTimeoutMs, namedStatements: config.database.namedStatements },
  };
}
