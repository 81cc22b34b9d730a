import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** PostgreSQL's unique_violation SQLSTATE. */
const UNIQUE_VIOLATION = '23505';

/**
 * Whether a query failed on a unique key (of `constraint`, when named): another
 * writer took the key first. node-postgres's error, and TypeORM's QueryFailedError
 * around it, both carry the SQLSTATE and the constraint.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const failed = error as { code?: unknown; constraint?: unknown };
  return failed.code === UNIQUE_VIOLATION && (constraint === undefined || failed.constraint === constraint);
}

/**
 * An entity's columns for a hand-written SELECT, each under its property name
 * (`person_id AS "personId"`), read from TypeORM's metadata: rows come back in the
 * entity's shape without TypeORM building the query. Columns with a transformer
 * are refused, since a plain query would skip it.
 */
export function entityColumns<Entity extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<Entity>, except: readonly (keyof Entity & string)[] = []): string {
  const columns = dataSource.getMetadata(entity).columns.filter((column) => !except.includes(column.propertyName as keyof Entity & string));
  const transformed = columns.find((column) => column.transformer !== undefined);
  if (transformed) throw new Error(`${transformed.propertyName} has a transformer, which a plain SELECT would skip`);
  return columns.map((column) => (column.databaseName === column.propertyName ? column.databaseName : `${column.databaseName} AS "${column.propertyName}"`)).join(', ');
}
