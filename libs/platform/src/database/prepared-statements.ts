import { createHash } from 'node:crypto';
import { EntityManager, type DataSource } from 'typeorm';

/**
 * A fixed statement of a hot path. Sent by name, PostgreSQL parses it once per
 * connection and, after a few executions, plans it once too. Measured on the
 * exchange's statements, parsing and planning were about half of their time in
 * the server (README, Performance). The name is derived from the text, so two
 * statements never share one and the same text always has the same.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

export function preparedStatement(text: string): PreparedStatement {
  return { name: `myna_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text };
}

/**
 * Whether this DataSource sends statements by name. Off on the embedded
 * database: pglite-socket gives every connection one shared session, where a
 * name prepared by one connection collides with another's (DATABASE_NAMED_STATEMENTS).
 */
function namedStatementsOn(dataSource: DataSource): boolean {
  const extra = (dataSource.options as { extra?: { namedStatements?: unknown } }).extra;
  return extra?.namedStatements !== false;
}

/**
 * Runs a prepared statement through TypeORM's query runner (the same pooling,
 * transaction, error translation and logging as `query()`), handing node-postgres
 * the statement's name with its text. Answers as `query()` does: the rows, or
 * `[rows, affected]` for an UPDATE or a DELETE.
 */
export function runPrepared<Result>(executor: DataSource | EntityManager, statement: PreparedStatement, parameters: readonly unknown[]): Promise<Result> {
  const dataSource = executor instanceof EntityManager ? executor.connection : executor;
  if (!namedStatementsOn(dataSource)) return executor.query(statement.text, [...parameters]);
  // node-postgres takes a query config ({ name, text }) wherever it takes SQL text; TypeORM passes it through unchanged.
  const config = { name: statement.name, text: statement.text } as unknown as string;
  return executor.query(config, [...parameters]);
}

/** The SQL text of what TypeORM was given: a statement's text, or the text itself. */
export function statementText(query: unknown): string {
  if (typeof query === 'string') return query;
  if (typeof query === 'object' && query !== null && typeof (query as { text?: unknown }).text === 'string') return (query as { text: string }).text;
  return String(query);
}
