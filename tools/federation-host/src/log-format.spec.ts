import { formatClock, PrefixedOutput, renderPinoLine, renderTail } from './log-format';

const time = new Date(2026, 10, 27, 9, 5, 7, 42).getTime(); // local time, so the clock reads 09:05:07.042

describe('renderPinoLine', () => {
  it('renders time, level, context and message compactly', () => {
    const line = JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', context: 'Bootstrap', msg: 'listening on 4002' });
    expect(renderPinoLine(line)).toBe('09:05:07.042 INFO  [Bootstrap] listening on 4002');
  });

  it('keeps simple extra fields as key=value and drops pid and hostname', () => {
    const line = JSON.stringify({
      level: 40,
      time,
      pid: 1,
      hostname: 'h',
      msg: 'retrying',
      queue: 'exchange',
      attempt: 2,
      nested: { a: 1 },
    });
    expect(renderPinoLine(line)).toBe('09:05:07.042 WARN  retrying queue=exchange attempt=2');
  });

  it('shows the whole stack of an error', () => {
    const line = JSON.stringify({
      level: 50,
      time,
      msg: 'query failed',
      err: { type: 'QueryFailedError', message: 'boom', stack: 'QueryFailedError: boom\n    at run (x.js:1:1)' },
    });
    expect(renderPinoLine(line)).toBe('09:05:07.042 ERROR query failed\n    QueryFailedError: boom\n        at run (x.js:1:1)');
  });

  it('shows the message of an error logged below error level', () => {
    const line = JSON.stringify({
      level: 40,
      time,
      msg: 'job rejected',
      err: { type: 'ZodError', message: 'bad payload', stack: 'ZodError…' },
    });
    expect(renderPinoLine(line)).toBe('09:05:07.042 WARN  job rejected\n    ZodError: bad payload');
  });

  it('summarises an HTTP request log', () => {
    const line = JSON.stringify({
      level: 30,
      time,
      msg: 'request completed',
      req: { method: 'POST', url: '/exchanges' },
      res: { statusCode: 202 },
      responseTime: 12,
    });
    expect(renderPinoLine(line)).toBe('09:05:07.042 INFO  request completed POST /exchanges 202 12ms');
  });

  it("hides the launcher's own health polls but not failing ones", () => {
    const poll = (level: number) =>
      JSON.stringify({ level, time, msg: 'request completed', req: { method: 'GET', url: '/health' }, res: { statusCode: 200 } });
    expect(renderPinoLine(poll(30))).toBeNull();
    expect(renderPinoLine(poll(50))).toMatch(/ERROR request completed GET \/health/);
  });

  it("hides Nest's start-up inventory unless verbose, but keeps its start and its warnings", () => {
    const inventory = JSON.stringify({ level: 30, time, context: 'RouterExplorer', msg: 'Mapped {/persons, POST} route' });
    expect(renderPinoLine(inventory)).toBeNull();
    expect(renderPinoLine(inventory, { verbose: true })).toBe('09:05:07.042 INFO  [RouterExplorer] Mapped {/persons, POST} route');
    expect(renderPinoLine(JSON.stringify({ level: 40, time, context: 'InstanceLoader', msg: 'slow' }))).toBe(
      '09:05:07.042 WARN  [InstanceLoader] slow',
    );
    expect(
      renderPinoLine(JSON.stringify({ level: 30, time, context: 'NestApplication', msg: 'Nest application successfully started' })),
    ).not.toBeNull();
  });

  it('drops a service field that repeats the prefix', () => {
    const line = JSON.stringify({ level: 30, time, msg: 'up', service: 'tax-agency' });
    expect(renderPinoLine(line, { source: 'tax-agency' })).toBe('09:05:07.042 INFO  up');
    expect(renderPinoLine(line, { source: 'exchange-hub' })).toBe('09:05:07.042 INFO  up service=tax-agency');
  });

  it('accepts level labels', () => {
    expect(renderPinoLine(JSON.stringify({ level: 'error', time, msg: 'x' }))).toBe('09:05:07.042 ERROR x');
  });

  it.each([['plain text'], ['{not json'], ['{"no":"level"}'], ['[1,2]'], ['']])('leaves %j alone', (text) => {
    expect(renderPinoLine(text)).toBeUndefined();
  });
});

describe('formatClock', () => {
  it('accepts ISO strings and reports an unparsable time as it is', () => {
    expect(formatClock(new Date(time).toISOString())).toBe('09:05:07.042');
    expect(formatClock('yesterday')).toBe('yesterday');
  });
});

describe('PrefixedOutput', () => {
  it('prefixes every line of a rendered record with a padded source', () => {
    const written: string[] = [];
    const output = new PrefixedOutput({ width: 12, useColor: false, write: (text) => written.push(text) });
    output.child('tax-agency', JSON.stringify({ level: 60, time, msg: 'dying', err: { stack: 'Error: x\n    at y' } }));
    output.child('tax-agency', JSON.stringify({ level: 30, time, msg: 'request completed', req: { url: '/health' } }));
    output.child('redis', 'Ready to accept connections');
    expect(written.join('')).toBe(
      'tax-agency   │ 09:05:07.042 FATAL dying\n' +
        'tax-agency   │     Error: x\n' +
        'tax-agency   │         at y\n' +
        'redis        │ Ready to accept connections\n',
    );
  });

  it('colours the prefix when asked', () => {
    const written: string[] = [];
    new PrefixedOutput({ width: 5, useColor: true, write: (text) => written.push(text) }).lines('redis', 'up');
    expect(written).toEqual(['\x1b[36mredis │ \x1b[0mup\n']);
  });
});

describe('renderTail', () => {
  it('renders pino records and plain lines, dropping health polls', () => {
    const poll = JSON.stringify({ level: 30, time, req: { url: '/health' } });
    expect(renderTail(['Error: DATABASE_URL is not a URL', poll, JSON.stringify({ level: 50, time, msg: 'x' })])).toEqual([
      'Error: DATABASE_URL is not a URL',
      '09:05:07.042 ERROR x',
    ]);
  });
});
