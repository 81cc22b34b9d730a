import { PassThrough } from 'node:stream';
import { formatBarDetail, formatDuration, formatProgress, formatSummary, ProgressReporter } from './progress';
import { emptyTally } from './seed-run';

function tallyOf(done: number) {
  const tally = emptyTally();
  tally.done = done;
  tally.registered = done;
  tally.agencies['tax-agency'].enrolled = Math.round(done * 0.68);
  tally.agencies['pension-agency'].enrolled = Math.round(done * 0.84);
  tally.agencies['health-agency'].enrolled = Math.round(done * 0.98);
  return tally;
}

describe('progress lines', () => {
  it('formats durations', () => {
    expect(formatDuration(4_400)).toBe('4s');
    expect(formatDuration(215_000)).toBe('3m 35s');
    expect(formatDuration(7_380_000)).toBe('2h 03m');
  });

  it('shows citizens, enrolments per agency, rate and ETA', () => {
    expect(formatProgress(tallyOf(12_000), 100_000, 30_000)).toBe(
      'seed: 12,000/100,000 citizens done (12.0%) · registered 12,000 · tax 8,160 · pension 10,080 · health 11,760 · 400 citizens/s · ETA 3m 40s',
    );
    expect(formatProgress(emptyTally(), 10, 0)).toContain('ETA ?');
  });

  it('sums up a run, with what was already there and what was refused', () => {
    const tally = tallyOf(1000);
    tally.alreadyRegistered = 10;
    tally.agencies['health-agency'].alreadyEnrolled = 10;
    tally.agencies['tax-agency'].refused = 2;
    expect(formatSummary(tally, 4_000, false)).toBe(
      'seed: done in 4s: 1,000 citizens (1,000 registered, 10 already registered); ' +
        'enrolled tax 680 (+2 refused), pension 840, health 980 (+10 already); 250 citizens/s, 628 enrolments/s; 2 refusals',
    );
    expect(formatSummary(tally, 4_000, true)).toMatch(/^seed: interrupted in 4s/);
  });

  it('prints the first few refusals, then only counts them', () => {
    const lines: string[] = [];
    const reporter = new ProgressReporter(emptyTally(), 10, (line) => lines.push(line));
    for (let index = 0; index < 8; index++) reporter.refusal('pension-agency', index, 'date of birth differs');
    expect(lines).toEqual([
      ...[0, 1, 2, 3, 4].map((index) => `seed: pension-agency refused citizen #${index}: date of birth differs`),
      'seed: further refusals are counted, not printed',
    ]);
  });

  it('draws a bar on a terminal, with refusals printed above it', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
    let drawn = '';
    terminal.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    const tally = tallyOf(0);
    const lines: string[] = [];
    const reporter = new ProgressReporter(tally, 4_000, (line) => lines.push(line), 5000, terminal);
    reporter.start();
    Object.assign(tally, tallyOf(2_000));
    reporter.refusal('tax-agency', 7, 'not-identified');
    const deadline = Date.now() + 5000;
    while (!drawn.includes('2,000/4,000 citizens') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    reporter.stop();
    expect(drawn).toContain('50% · 2,000/4,000 citizens');
    expect(drawn).toContain('seed: tax-agency refused citizen #7: not-identified\n');
    expect(lines).toEqual([]);
  });

  it('details the bar with registrations and each agency\'s enrolments', () => {
    expect(formatBarDetail(tallyOf(1_000), 2_000)).toBe('registered 1,000 · tax 680 · pension 840 · health 980 · 500/s');
  });
});
