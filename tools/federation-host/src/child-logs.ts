// Every child's output, kept whole in a file of its own (.data/logs/<child>.log),
// so that the terminal can stay quiet: the services' per-request lines, the
// databases', Redis's and the key ceremony's output are there, as they printed it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePinoLevel } from './log-format';
import type { OutputLine } from './process-supervisor';

/** What the terminal shows of a child's output, besides the launcher's own lines. */
export type Verbosity = 'quiet' | 'verbose';

/** Children whose every line belongs in the terminal: the scenario runner's one line per scenario, and its summary. */
const ALWAYS_SHOWN = new Set(['scenarios']);
const ERROR_LEVEL = 50;

/**
 * At the default verbosity a child's line reaches the terminal only when it is
 * the scenario runner's, went to stderr, or is a log record at error level or
 * above: a healthy run prints none. With --verbose, every line does.
 */
export function showsInTerminal(line: OutputLine, verbosity: Verbosity): boolean {
  if (verbosity === 'verbose' || ALWAYS_SHOWN.has(line.source) || line.stream === 'stderr') return true;
  const level = parsePinoLevel(line.text);
  return level !== undefined && level >= ERROR_LEVEL;
}

/** How long a line may wait to be written, and how much may wait: lines are written in batches, not one system call each. */
const FLUSH_AFTER_MS = 50;
const FLUSH_AT_CHARS = 64 * 1024;

/** One file per child under `dir`, begun afresh by each run, readable by its owner only. */
export class ChildLogs {
  private readonly files = new Map<string, number>();
  private readonly pending = new Map<number, string[]>();
  private pendingChars = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly dir: string) {}

  fileOf(source: string): string {
    return path.join(this.dir, `${source.replace(/[^A-Za-z0-9_-]/g, '_')}.log`);
  }

  write(line: OutputLine): void {
    let fd = this.files.get(line.source);
    if (fd === undefined) {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      fd = fs.openSync(this.fileOf(line.source), 'w', 0o600);
      this.files.set(line.source, fd);
    }
    const lines = this.pending.get(fd) ?? [];
    if (lines.length === 0) this.pending.set(fd, lines);
    lines.push(line.text);
    this.pendingChars += line.text.length + 1;
    if (this.pendingChars >= FLUSH_AT_CHARS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS).unref();
  }

  /** Writes every waiting line now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [fd, lines] of this.pending) if (lines.length > 0) fs.writeSync(fd, `${lines.join('\n')}\n`);
    this.pending.clear();
    this.pendingChars = 0;
  }

  close(): void {
    this.flush();
    for (const fd of this.files.values()) fs.closeSync(fd);
    this.files.clear();
  }
}
