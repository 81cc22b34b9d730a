// The table printed once every service is healthy.
import * as path from 'node:path';
import { redactUrl, RedisHandle } from './redis';
import { ServiceEndpoint } from './steps';

export function summaryLines(services: readonly ServiceEndpoint[], redis: RedisHandle, root: string): string[] {
  const header = ['service', 'role', 'URL', 'docs', 'database'];
  const rows = services.map(({ plan, url }) => [
    plan.name,
    plan.role,
    url,
    `${url}/docs`,
    plan.database.kind === 'embedded' ? `embedded ${path.relative(root, plan.database.dataDir)}` : 'external',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const format = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  const redisLine =
    redis.origin === 'local'
      ? `Redis: ${redis.url} (local redis-server, state in ${path.relative(root, redis.dataDir)})`
      : `Redis: ${redactUrl(redis.url)} (external)`;
  return [format(header), format(widths.map((width) => '─'.repeat(width))), ...rows.map(format), '', redisLine];
}
