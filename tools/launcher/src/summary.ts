// The table printed once every service is healthy.
import * as path from 'node:path';
import { RedisHandle } from '@myna-tools/federation-host';
import { redactUrl } from '@myna/protocol';
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

/** What the steps after start-up learned, for the closing note. */
export interface ClosingNote {
  /** The demo cards in the card reader, by holder, and their PIN. */
  signIn?: { holders: readonly string[]; pin: string };
  /** The scenario reports this run wrote, relative to the workspace. */
  reports?: { markdown: string; page?: string };
}

/**
 * The demo's last lines before it waits: where the portal is, how to sign in,
 * where the reports and logs are, and how to stop. The last line says it is running.
 */
export function closingLines(note: ClosingNote, where: { portalUrl: string; cardReaderUrl: string; logsDir: string }): string[] {
  const rows: [string, string][] = [['MynaPortal', `${where.portalUrl}/login, press "Sign in with my My Number Card"`]];
  if (note.signIn) {
    const cards = `${note.signIn.holders.length} demo card${note.signIn.holders.length === 1 ? '' : 's'}`;
    rows.push(['sign in', `choose a card at the card reader (${where.cardReaderUrl}: ${cards}, ${note.signIn.holders.join(', ')}); every PIN is ${note.signIn.pin}`]);
  }
  rows.push(['reports', note.reports ? `${note.reports.markdown}${note.reports.page ? `; what each party saw: ${note.reports.page} (open in a browser)` : ''}` : 'none from this run; npm run scenarios plays them']);
  rows.push(['logs', `${where.logsDir}/<service>.log (npm run demo -- --verbose shows them here)`]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return ['─'.repeat(60), ...rows.map(([label, text]) => `${label.padEnd(width)}  ${text}`), 'running; press Ctrl-C to stop everything'];
}
