import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { statementText } from './prepared-statements';

/**
 * TypeORM's own loggers print a failed query's parameters, and those can be My
 * Numbers or serials (at code-issuer). This one logs the failure and the SQL text
 * only, never the parameters.
 */
export class QueryErrorLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('database');

  logQueryError(error: string | Error, query: unknown): void {
    this.logger.error({ sql: statementText(query).slice(0, 500), error: error instanceof Error ? error.message : error }, 'query failed');
  }

  logQuerySlow(time: number, query: unknown): void {
    this.logger.warn({ sql: statementText(query).slice(0, 500), ms: time }, 'slow query');
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  logSchemaBuild(): void {}

  logQuery(): void {}

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
