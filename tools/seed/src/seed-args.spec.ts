import path from 'node:path';
import { SERVICES, type FederationFile } from '@myna/protocol';
import { DEFAULT_MAX_REQUEST_BYTES, parseSeedArgs, SeedArgsError, USAGE, type SeedOptions } from './seed-args';

function options(argv: string[], env: Record<string, string> = {}): SeedOptions {
  const command = parseSeedArgs(argv, env);
  if (command.help) throw new Error('expected options, got help');
  return command.options;
}

function problem(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseSeedArgs(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(SeedArgsError);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('parseSeedArgs', () => {
  it('has defaults for everything but --citizens', () => {
    expect(options(['--citizens', '100'])).toEqual({
      citizens: 100,
      seed: 'demo',
      contactData: false,
      resume: false,
      batchSize: 1000,
      agencyBatchSize: 1000,
      concurrency: 4,
      maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
      urls: {
        'code-issuer': 'http://127.0.0.1:4000',
        'tax-agency': 'http://127.0.0.1:4002',
        'pension-agency': 'http://127.0.0.1:4003',
        'health-agency': 'http://127.0.0.1:4004',
      },
      credentialsDir: path.resolve('.data/keys/operators'),
    });
  });

  it('reads every flag, with = or a separate value, and digit grouping', () => {
    const parsed = options([
      '--citizens=10_000_000',
      '--seed', 'tokyo 2025',
      '--contact-data',
      '--resume',
      '--batch-size', '250',
      '--agency-batch-size', '100',
      '--concurrency=8',
      '--max-request-bytes', '5,000,000',
      '--tax-agency-url', 'http://tax.example:8080/',
    ]);
    expect(parsed).toMatchObject({ citizens: 10_000_000, seed: 'tokyo 2025', contactData: true, resume: true, batchSize: 250, agencyBatchSize: 100, concurrency: 8, maxRequestBytes: 5_000_000 });
    expect(parsed.urls['tax-agency']).toBe('http://tax.example:8080');
  });

  it('takes URLs from the environment, and a flag over the environment', () => {
    const env = { CODE_ISSUER_URL: 'http://issuer:4000', HEALTH_AGENCY_URL: 'https://health.example/api/' };
    const parsed = options(['--citizens', '1', '--code-issuer-url', 'http://127.0.0.1:9000'], env);
    expect(parsed.urls['code-issuer']).toBe('http://127.0.0.1:9000');
    expect(parsed.urls['health-agency']).toBe('https://health.example/api');
  });

  it('answers --help without needing --citizens', () => {
    expect(parseSeedArgs(['--help'])).toEqual({ help: true });
    expect(parseSeedArgs(['-h', '--citizens', 'x'])).toEqual({ help: true });
    expect(USAGE).toContain('--contact-data');
  });

  it.each([
    [[], '--citizens N is required'],
    [['--citizens'], '--citizens needs a value: how many citizens, a whole number from 1 to 10,000,000'],
    [['--citizens', '--seed', 'x'], '--citizens needs a value: how many citizens'],
    [['--citizens', '10', '--concurrency', '-h'], '--concurrency needs a value: a whole number from 1 to 64'],
    [['--citizens', '0'], '--citizens must be a whole number from 1 to 10,000,000'],
    [['--citizens', '10000001'], "got '10000001'"],
    [['--citizens', '-5'], "--citizens must be a whole number from 1 to 10,000,000, got '-5'"],
    [['--citizens=-5'], "--citizens must be a whole number from 1 to 10,000,000, got '-5'"],
    [['--citizens', '-0'], "got '-0'"],
    [['--citizens', '-1e3'], "got '-1e3'"],
    [['--citizens', '1e3'], "got '1e3'"],
    [['--citizens=1e3'], "got '1e3'"],
    [['--citizens', '0x10'], "got '0x10'"],
    [['--citizens', ' 5'], "got ' 5'"],
    [['--citizens', 'Infinity'], "got 'Infinity'"],
    [['--citizens='], "got ''"],
    [['--citizens', '10', '--batch-size', '-1'], "--batch-size must be a whole number from 1 to 1,000, got '-1'"],
    [['--citizens', '10', '--concurrency=-2'], "--concurrency must be a whole number from 1 to 64, got '-2'"],
    [['--citizens', '1e6'], "got '1e6'"],
    [['--citizens', '12.5'], "got '12.5'"],
    [['--citizens', '1,00'], "got '1,00'"],
    [['--citizens', '10', '--batch-size', '1001'], '--batch-size must be a whole number from 1 to 1,000'],
    [['--citizens', '10', '--concurrency', '0'], '--concurrency must be a whole number from 1 to 64'],
    [['--citizens', '10', '--agency-batch-size', '0'], '--agency-batch-size must be a whole number from 1 to 1,000'],
    [['--citizens', '10', '--max-request-bytes', '100'], '--max-request-bytes must be a whole number from 10,000'],
    [['--citizens', '10', '--seed', ''], '--seed must not be empty'],
    [['--citizens', '10', '--citzens', '5'], "Unknown option '--citzens'"],
    [['--citizens', '10', 'extra'], "Unexpected argument 'extra'"],
    [['--citizens', '10', '--contact-data=yes'], "Option '--contact-data' does not take an argument"],
    [['--citizens', '10', '--pension-agency-url', 'localhost:4003'], "--pension-agency-url must be an http(s) URL"],
    [['--citizens', '10', '--pension-agency-url', 'not a url'], "--pension-agency-url must be an http(s) URL such as"],
    [['--citizens', '10', '--code-issuer-url', 'http://x:1/?a=b'], 'without query or fragment'],
  ])('refuses %j: %s', (argv, message) => {
    expect(problem(argv)).toContain(message);
  });

  it('takes a value that starts with a dash where any text will do', () => {
    expect(options(['--citizens', '3', '--seed', '-tokyo'])).toMatchObject({ citizens: 3, seed: '-tokyo' });
  });

  it('names the environment variable when its URL is bad', () => {
    expect(problem(['--citizens', '1'], { TAX_AGENCY_URL: 'ftp://tax' })).toBe("TAX_AGENCY_URL='ftp://tax' is not an http(s) base URL");
  });

  it('finds a demo running on other ports: flag, then <SERVICE>_URL, then <SERVICE>_PORT, then its federation.json', () => {
    const demo = {
      format: 'myna/federation', version: 1, launcherPid: process.pid, writtenAt: '', redisUrl: 'redis://x', redisPrefix: 'myna', keysDir: '/k',
      services: Object.fromEntries(SERVICES.map((service, index) => [service, { url: `http://localhost:${5110 + index}`, databaseUrl: 'postgres://x' }])),
    } as FederationFile;
    const command = parseSeedArgs(['--citizens', '1', '--pension-agency-url', 'http://p:1'], { TAX_AGENCY_URL: 'http://t:2', HEALTH_AGENCY_PORT: '5199' }, demo);
    if (command.help) throw new Error('expected options');
    expect(command.options.urls).toEqual({ 'code-issuer': 'http://localhost:5110', 'tax-agency': 'http://t:2', 'pension-agency': 'http://p:1', 'health-agency': 'http://127.0.0.1:5199' });
  });
});
