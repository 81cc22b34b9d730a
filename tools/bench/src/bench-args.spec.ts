import path from 'node:path';
import { SERVICES, type FederationFile } from '@myna/protocol';
import { BenchArgsError, DEFAULT_URLS, parseBenchArgs, type BenchOptions } from './bench-args';

function options(argv: string[], env: Record<string, string> = {}): BenchOptions {
  const command = parseBenchArgs(argv, env);
  if (command.help) throw new Error('unexpected help');
  return command.options;
}

describe('parseBenchArgs', () => {
  it('defaults to pension asking tax for annual income under R-PEN-TAX-INCOME, 10,000 exchanges at 50', () => {
    const parsed = options([]);
    expect(parsed).toMatchObject({
      n: 10_000,
      concurrency: 50,
      warmup: 3000,
      people: 200,
      deadlineMs: 60_000,
      pollMs: 100,
      rule: 'R-PEN-TAX-INCOME',
      requester: 'pension-agency',
      provider: 'tax-agency',
      item: 'annual-income',
      parameters: { fiscalYear: 2025 },
      cryptoIterations: 500,
      cryptoOnly: false,
      json: false,
      label: undefined,
      ratePerSecond: undefined,
    });
    expect(parsed.urls).toEqual(DEFAULT_URLS);
  });

  it('reads every flag', () => {
    const parsed = options([
      '--n', '10_000', '--concurrency', '8', '--warmup', '0', '--people', '1,000', '--deadline', '5', '--poll-ms', '20',
      '--crypto-iterations', '7', '--crypto-only', '--json', '--label', ' embedded PGlite ',
    ]);
    expect(parsed).toMatchObject({ n: 10_000, concurrency: 8, warmup: 0, people: 1000, deadlineMs: 5000, pollMs: 20, cryptoIterations: 7, cryptoOnly: true, json: true, label: 'embedded PGlite' });
  });

  it('reads an open-loop rate, and refuses one that is not a positive number', () => {
    expect(options(['--rate', '1'])).toMatchObject({ ratePerSecond: 1 });
    expect(options(['--rate', '0.5'])).toMatchObject({ ratePerSecond: 0.5 });
    for (const bad of ['0', '0.0', 'fast', '1e3']) expect(() => options(['--rate', bad])).toThrow(/--rate must be/);
    expect(() => options(['--rate=-1'])).toThrow(/--rate must be/);
  });

  it('takes the exchange from the rule, and item parameters only for income', () => {
    expect(options(['--rule', 'R-HEA-PEN-BENEFIT'])).toMatchObject({ requester: 'health-agency', provider: 'pension-agency', item: 'benefit-status', parameters: {} });
  });

  it('takes service URLs from flags first, then <SERVICE>_URL, and strips a trailing slash', () => {
    const parsed = options(['--tax-agency-url', 'http://127.0.0.1:5102/'], { TAX_AGENCY_URL: 'http://ignored:1', PENSION_AGENCY_URL: 'http://127.0.0.1:5103', CODE_ISSUER_URL: 'http://issuer.test:5100' });
    expect(parsed.urls['tax-agency']).toBe('http://127.0.0.1:5102');
    expect(parsed.urls['pension-agency']).toBe('http://127.0.0.1:5103');
    expect(parsed.urls['code-issuer']).toBe('http://issuer.test:5100');
    expect(parsed.urls['exchange-hub']).toBe(DEFAULT_URLS['exchange-hub']);
  });

  it('sweeps the default levels for a bare --sweep, wherever it stands, and 1,000 exchanges per level unless told', () => {
    expect(options([])).toMatchObject({ sweep: undefined });
    expect(options(['--sweep'])).toMatchObject({ sweep: [1, 10, 50, 100], n: 1000 });
    expect(options(['--sweep', '--n', '500'])).toMatchObject({ sweep: [1, 10, 50, 100], n: 500 });
    expect(options(['--sweep', '100,1, 10,10'])).toMatchObject({ sweep: [1, 10, 100] });
    expect(options(['--sweep', '--sweep', '5,2'])).toMatchObject({ sweep: [2, 5] });
    expect(options(['--sweep', '--out', 'reports/x']).out).toBe(path.resolve('reports/x'));
    expect(options([]).out).toBe(path.resolve('reports/bench'));
  });

  it('refuses a sweep level that is no concurrency, and a sweep with --crypto-only or --rate', () => {
    expect(() => options(['--sweep', '1,0'])).toThrow("--sweep must be a whole number from 1 to 2,000, got '0'");
    expect(() => options(['--sweep', '1,,2'])).toThrow('--sweep must be a whole number');
    expect(() => options(['--sweep', '--crypto-only'])).toThrow('leave out --crypto-only and --rate');
    expect(() => options(['--sweep', '--rate', '2'])).toThrow('leave out --crypto-only and --rate');
  });

  it('returns help for -h and --help', () => {
    expect(parseBenchArgs(['-h'])).toEqual({ help: true });
    expect(parseBenchArgs(['--help', '--n', 'nonsense'])).toEqual({ help: true });
  });

  it.each([
    [['--concurency', '5'], "Unknown option '--concurency'"],
    [['extra'], 'positional'],
    [['--n'], "Option '--n <value>' argument missing"],
    [['--n', '0'], '--n must be a whole number from 1 to 10,000,000'],
    [['--n', '1e4'], "--n must be a whole number from 1 to 10,000,000, got '1e4'"],
    [['--concurrency', '-3'], '--concurrency'],
    [['--people', '2.5'], '--people'],
    [['--poll-ms', '1'], '--poll-ms must be a whole number from 5'],
    [['--rule', 'R-NOPE'], "the legal table has no rule 'R-NOPE'"],
    [['--requester', 'myna-portal'], '--requester must be one of tax-agency, pension-agency, health-agency'],
    [['--provider', 'health-agency'], 'R-PEN-TAX-INCOME does not let pension-agency ask health-agency for annual-income'],
    [['--item', 'medical-claims'], 'every exchange would be denied'],
    [['--tax-agency-url', 'ftp://x'], '--tax-agency-url must be an http(s) URL'],
    [['--tax-agency-url', 'http://x/?q=1'], 'without query or fragment'],
    [['--label', '  '], '--label must not be empty'],
  ])('refuses %j with a message naming the problem', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });

  it('names the environment variable when its URL is bad', () => {
    expect(() => parseBenchArgs([], { HEALTH_AGENCY_URL: 'not a url' })).toThrow("HEALTH_AGENCY_URL='not a url' is not an http(s) base URL");
  });

  it('finds a demo running on other ports through its federation.json, under <SERVICE>_PORT and <SERVICE>_URL', () => {
    const demo = {
      format: 'myna/federation', version: 1, launcherPid: process.pid, writtenAt: '', redisUrl: 'redis://x', redisPrefix: 'myna', keysDir: '/k',
      services: Object.fromEntries(SERVICES.map((service, index) => [service, { url: `http://localhost:${5110 + index}`, databaseUrl: 'postgres://x' }])),
    } as FederationFile;
    const command = parseBenchArgs([], { EXCHANGE_HUB_PORT: '5199' }, undefined, demo);
    if (command.help) throw new Error('expected options');
    expect(command.options.urls['exchange-hub']).toBe('http://127.0.0.1:5199');
    expect(command.options.urls['myna-portal']).toBe('http://localhost:5115');
  });
});
