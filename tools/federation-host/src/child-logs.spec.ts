import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChildLogs, showsInTerminal } from './child-logs';

const record = (level: number, msg: string) => JSON.stringify({ level, time: 0, msg });

describe('what the terminal shows of a child', () => {
  it('quietly: the scenario lines, stderr and errors; a request log or a warning only in the file', () => {
    const quiet = (source: string, text: string, stream: 'stdout' | 'stderr' = 'stdout') => showsInTerminal({ source, text, stream }, 'quiet');
    expect(quiet('scenarios', '  PASS  hub-breach   1.0 s')).toBe(true);
    expect(quiet('tax-agency', 'configuration error', 'stderr')).toBe(true);
    expect(quiet('tax-agency', record(50, 'query failed'))).toBe(true);
    expect(quiet('tax-agency', record(60, 'fatal'))).toBe(true);
    expect(quiet('tax-agency', record(30, 'request completed'))).toBe(false);
    expect(quiet('exchange-hub', record(40, 'message rejected'))).toBe(false);
    expect(quiet('card-reader', '[Nest] 1 - LOG [NestFactory] Starting Nest application...')).toBe(false);
    expect(quiet('tax-agency-db', 'listening')).toBe(false);
  });

  it('verbosely: every line', () => {
    expect(showsInTerminal({ source: 'tax-agency', text: record(30, 'request completed'), stream: 'stdout' }, 'verbose')).toBe(true);
  });
});

describe('the children’s log files', () => {
  it('keep every line of each child in a file of its own, begun afresh by each run and readable by its owner only', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'child-logs-')), 'logs');
    try {
      const first = new ChildLogs(dir);
      first.write({ source: 'tax-agency', stream: 'stdout', text: record(30, 'old run') });
      first.close();
      const logs = new ChildLogs(dir);
      logs.write({ source: 'tax-agency', stream: 'stdout', text: record(30, 'request completed') });
      logs.write({ source: 'tax-agency', stream: 'stderr', text: 'a warning' });
      logs.write({ source: 'exchange-hub', stream: 'stdout', text: record(40, 'message rejected') });
      logs.close();
      expect(fs.readFileSync(logs.fileOf('tax-agency'), 'utf8')).toBe(`${record(30, 'request completed')}\na warning\n`);
      expect(fs.readFileSync(path.join(dir, 'exchange-hub.log'), 'utf8')).toBe(`${record(40, 'message rejected')}\n`);
      expect(fs.statSync(path.join(dir, 'tax-agency.log')).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
