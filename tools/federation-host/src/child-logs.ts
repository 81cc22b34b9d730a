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

/** One file per child under `dir`, begun afresh by each run, readable by its owner only. */
export class ChildLogs {
  private readonly files = new Map<string, number>();

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
    fs.writeSync(fd, `${line.text}\n`);
  }

  close(): void {
    for (const fd of this.files.values()) fs.closeSync(fd);
    this.files.clear();
  }
}
