// Turns children's output into readable, prefixed lines. Services log pino JSON;
// it is rendered as "time LEVEL [context] msg key=value", with errors kept whole.

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_NUMBERS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

// Rendered elsewhere or pure noise in a terminal.
const SKIPPED_FIELDS = new Set([
  'level',
  'time',
  'msg',
  'message',
  'pid',
  'hostname',
  'context',
  'err',
  'error',
  'req',
  'res',
  'responseTime',
  'v',
]);

interface PinoRecord {
  level: number | string;
  time?: number | string;
  msg?: unknown;
  message?: unknown;
  context?: unknown;
  err?: unknown;
  error?: unknown;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  [field: string]: unknown;
}

// Nest's start-up inventory (one line per module and route): shown with --verbose only.
const BOOT_CHATTER_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

export interface RenderOptions {
  /** The child's name: a `service` field repeating it is dropped. */
  source?: string;
  /** Keep Nest's start-up inventory. */
  verbose?: boolean;
}

/**
 * A pino line rendered for a terminal (possibly several lines for a stack trace),
 * `null` for a line to hide (the launcher's own health polls, Nest's start-up
 * inventory), or `undefined` when the text is not a pino record and should be
 * shown as it is.
 */
export function renderPinoLine(text: string, options: RenderOptions = {}): string | null | undefined {
  const record = parseRecord(text);
  if (!record) return undefined;
  const level = levelNumber(record.level);
  const url = record.req?.url;
  if (level < 40 && typeof url === 'string' && /^\/health(\?|$)/.test(url)) return null;
  if (level < 40 && !options.verbose && typeof record.context === 'string' && BOOT_CHATTER_CONTEXTS.has(record.context)) return null;

  const parts = [formatClock(record.time), (LEVELS[level] ?? String(record.level)).padEnd(5)];
  if (typeof record.context === 'string' && record.context) parts.push(`[${record.context}]`);
  const message = record.msg ?? record.message;
  if (message !== undefined && message !== '') parts.push(typeof message === 'string' ? message : JSON.stringify(message));
  if (record.req?.method && url) {
    const status = record.res?.statusCode;
    parts.push(
      `${record.req.method} ${url}${status ? ` ${status}` : ''}${typeof record.responseTime === 'number' ? ` ${record.responseTime}ms` : ''}`,
    );
  }
  for (const [key, value] of Object.entries(record)) {
    if (SKIPPED_FIELDS.has(key) || (key === 'service' && value === options.source)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') parts.push(`${key}=${value}`);
  }

  const lines = [parts.join(' ')];
  const error = errorShape(record.err ?? record.error);
  if (error) {
    // Keep errors visible: the whole stack at error level and above, the message otherwise.
    if (level >= 50 && error.stack) lines.push(...error.stack.split('\n').map((line) => `    ${line}`));
    else lines.push(`    ${error.type ?? 'Error'}: ${error.message ?? ''}`);
  }
  return lines.join('\n');
}

export function formatClock(time: number | string | undefined): string {
  const date = time === undefined ? new Date() : new Date(time);
  if (Number.isNaN(date.getTime())) return String(time);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function parseRecord(text: string): PinoRecord | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const level = (value as { level?: unknown }).level;
    return typeof level === 'number' || typeof level === 'string' ? (value as PinoRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** The level of a pino record (30 info, 40 warn, 50 error…), or undefined when the text is not one. */
export function parsePinoLevel(text: string): number | undefined {
  // pino writes the level first: read it without parsing the whole line (every line of every child passes here).
  const leading = /^\{"level":(\d+),/.exec(text);
  if (leading) return Number(leading[1]);
  const record = parseRecord(text);
  return record ? levelNumber(record.level) : undefined;
}

function levelNumber(level: number | string): number {
  return typeof level === 'number' ? level : (LEVEL_NUMBERS[level.toLowerCase()] ?? 30);
}

function errorShape(value: unknown): { type?: string; message?: string; stack?: string } | undefined {
  if (typeof value === 'string') return { message: value };
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, message, stack } = value as Record<string, unknown>;
  return {
    type: typeof type === 'string' ? type : undefined,
    message: typeof message === 'string' ? message : undefined,
    stack: typeof stack === 'string' ? stack : undefined,
  };
}

const PREFIX_COLORS = [36, 32, 33, 35, 34, 96, 92, 93, 95];

/** Writes lines as "source │ text", one colour per source when writing to a terminal. */
export interface PrefixedOutputOptions {
  /** Prefix width: the longest source name. */
  width: number;
  useColor: boolean;
  verbose?: boolean;
  write: (text: string) => void;
}

export class PrefixedOutput {
  private readonly colors = new Map<string, number>();

  constructor(private readonly options: PrefixedOutputOptions) {}

  /** Renders pino records and prefixes every resulting line. */
  child(source: string, text: string): void {
    const rendered = renderPinoLine(text, { source, verbose: this.options.verbose });
    if (rendered === null) return;
    this.lines(source, rendered ?? text);
  }

  lines(source: string, text: string): void {
    const prefix = this.prefix(source);
    this.options.write(
      text
        .split('\n')
        .map((line) => `${prefix}${line}\n`)
        .join(''),
    );
  }

  private prefix(source: string): string {
    const label = `${source.padEnd(this.options.width)} │ `;
    if (!this.options.useColor) return label;
    if (!this.colors.has(source)) this.colors.set(source, PREFIX_COLORS[this.colors.size % PREFIX_COLORS.length]);
    return `\x1b[${this.colors.get(source)}m${label}\x1b[0m`;
  }
}

/** A child's recent output, rendered for a failure report. */
export function renderTail(lines: readonly string[], source?: string): string[] {
  return lines.flatMap((text) => {
    const rendered = renderPinoLine(text, { source, verbose: true });
    return rendered === null ? [] : (rendered ?? text).split('\n');
  });
}
