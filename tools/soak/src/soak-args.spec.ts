import { parseSoakArgs, SoakArgsError } from './soak-args';
import { faultSchedule } from './fault-schedule';

describe('soak arguments', () => {
  it('takes the documented flags, in both spellings', () => {
    const options = parseSoakArgs(['--exchanges', '10000', '--rate=20', '--fault-interval', '15', '--seed', '7', '--json', 'r.json', '--databases', 'embedded']);
    expect(options).toMatchObject({ exchanges: 10000, rate: 20, faultIntervalSeconds: 15, seed: 7, json: 'r.json', databases: 'embedded' });
    // One fault per interval of the drive when --faults is not given: 10000 / 20 s / 15 s.
    expect(options.faults).toBe(33);
    expect(parseSoakArgs(['--faults', '3']).faults).toBe(3);
  });

  it.each([
    [['--exchanges', '0'], /between/],
    [['--rate', 'fast'], /number/],
    [['--databases', 'mysql'], /postgres or embedded/],
    [['--json'], /file name/],
    [['--bogus'], /unknown argument --bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSoakArgs(argv)).toThrow(SoakArgsError);
    expect(() => parseSoakArgs(argv)).toThrow(message);
  });
});

describe('the fault schedule', () => {
  const processes = [
    { service: 'tax-agency', role: 'worker' },
    { service: 'exchange-hub', role: 'api' },
  ] as const;

  it('is the same for the same seed, and another for another seed', () => {
    const draw = (seed: number) => faultSchedule({ seed, count: 12, intervalMs: 1000, processes, databases: 'cluster' });
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });

  it('brings up every kind of fault in every round, in rising time', () => {
    const schedule = faultSchedule({ seed: 1, count: 4, intervalMs: 1000, processes, databases: 'cluster' });
    expect(new Set(schedule.map(({ fault }) => JSON.stringify(fault)))).toEqual(
      new Set([
        JSON.stringify({ kind: 'kill', service: 'tax-agency', role: 'worker' }),
        JSON.stringify({ kind: 'kill', service: 'exchange-hub', role: 'api' }),
        JSON.stringify({ kind: 'restart-redis' }),
        JSON.stringify({ kind: 'restart-postgres' }),
      ]),
    );
    const times = schedule.map(({ atMs }) => atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (let index = 1; index < times.length; index++) expect(times[index] - times[index - 1]).toBeGreaterThanOrEqual(500);
  });
});
