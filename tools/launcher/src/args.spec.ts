import { DEFAULT_TIMEOUT_SECONDS, parseArgs } from './args';

describe('parseArgs', () => {
  it('defaults to a long-running demo on existing data', () => {
    expect(parseArgs([])).toEqual({
      ok: true,
      options: { once: false, fresh: false, verbose: false, help: false, timeoutSeconds: DEFAULT_TIMEOUT_SECONDS },
    });
  });

  it('reads every flag', () => {
    const parsed = parseArgs(['--once', '--fresh', '--verbose', '--timeout', '30']);
    expect(parsed).toEqual({ ok: true, options: { once: true, fresh: true, verbose: true, help: false, timeoutSeconds: 30 } });
  });

  it.each([['--help'], ['-h']])('reads %s', (flag) => {
    expect(parseArgs([flag])).toMatchObject({ ok: true, options: { help: true } });
  });

  it('accepts --timeout=<seconds> and fractions', () => {
    expect(parseArgs(['--timeout=2.5'])).toMatchObject({ ok: true, options: { timeoutSeconds: 2.5 } });
  });

  it.each([
    [['--timeout'], /--timeout needs a positive number of seconds, got nothing/],
    [['--timeout', 'soon'], /got 'soon'/],
    [['--timeout=0'], /got '0'/],
    [['--timeout', '-5'], /got '-5'/],
  ])('rejects a bad timeout %j', (argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('rejects an unknown flag by name', () => {
    expect(parseArgs(['--once', '--onec'])).toEqual({
      ok: false,
      error: "unknown option '--onec' (known: --once, --fresh, --timeout <s>, --verbose, --help)",
    });
  });

  it('rejects positional arguments', () => {
    expect(parseArgs(['tax-agency'])).toMatchObject({ ok: false, error: expect.stringMatching(/^unexpected argument 'tax-agency'/) });
  });

  it('does not treat inherited object keys as flags', () => {
    expect(parseArgs(['constructor']).ok).toBe(false);
    expect(parseArgs(['toString']).ok).toBe(false);
  });
});
