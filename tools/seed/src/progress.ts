import { MultiBar, type SingleBar } from 'cli-progress';
import { AGENCIES, type Agency, HEALTH_AGENCY, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
import type { SeededService } from './seed-args';
import { refusals, type SeedTally } from './seed-run';

const SHORT_NAMES: Record<Agency, string> = { [TAX_AGENCY]: 'tax', [PENSION_AGENCY]: 'pension', [HEALTH_AGENCY]: 'health' };
/** Refusals printed one by one; after that they are only counted. */
export const PRINTED_REFUSALS = 5;

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

function enrolments(tally: SeedTally, agency: Agency): number {
  return tally.agencies[agency].enrolled + tally.agencies[agency].alreadyEnrolled;
}

function totalEnrolments(tally: SeedTally): number {
  return AGENCIES.reduce((sum, agency) => sum + enrolments(tally, agency), 0);
}

/**
 * One progress line: `target` citizens in this run, `elapsedMs` since it began. A
 * citizen is done when its whole batch is; registrations and enrolments show the
 * work inside batches still in flight.
 */
export function formatProgress(tally: SeedTally, target: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (tally.done * 1000) / elapsedMs : 0;
  const remaining = target - tally.done;
  const eta = rate > 0 ? formatDuration((remaining / rate) * 1000) : '?';
  const percent = target > 0 ? ((100 * tally.done) / target).toFixed(1) : '100.0';
  const agencies = AGENCIES.map((agency) => `${SHORT_NAMES[agency]} ${formatCount(enrolments(tally, agency))}`).join(' · ');
  const refused = refusals(tally);
  return (
    `seed: ${formatCount(tally.done)}/${formatCount(target)} citizens done (${percent}%) · registered ${formatCount(tally.registered + tally.alreadyRegistered)} · ${agencies} · ` +
    `${formatCount(rate)} citizens/s · ETA ${eta}${refused ? ` · ${formatCount(refused)} refused` : ''}`
  );
}

export function formatSummary(tally: SeedTally, elapsedMs: number, interrupted: boolean): string {
  const seconds = Math.max(elapsedMs, 1) / 1000;
  const agencies = AGENCIES.map((agency) => {
    const { enrolled, alreadyEnrolled, refused } = tally.agencies[agency];
    const extras = [alreadyEnrolled ? `${formatCount(alreadyEnrolled)} already` : '', refused ? `${formatCount(refused)} refused` : ''].filter(Boolean);
    return `${SHORT_NAMES[agency]} ${formatCount(enrolled)}${extras.length ? ` (+${extras.join(', ')})` : ''}`;
  }).join(', ');
  const registration = [
    `${formatCount(tally.registered)} registered`,
    tally.alreadyRegistered ? `${formatCount(tally.alreadyRegistered)} already registered` : '',
    tally.registerRefused ? `${formatCount(tally.registerRefused)} refused` : '',
  ].filter(Boolean);
  return (
    `seed: ${interrupted ? 'interrupted' : 'done'} in ${formatDuration(elapsedMs)}: ${formatCount(tally.done)} citizens (${registration.join(', ')}); ` +
    `enrolled ${agencies}; ${formatCount(tally.done / seconds)} citizens/s, ${formatCount(totalEnrolments(tally) / seconds)} enrolments/s` +
    `${refusals(tally) ? `; ${formatCount(refusals(tally))} refusals` : ''}`
  );
}

/** What the bar shows beside itself: the progress line without its count and ETA (the bar has them). */
export function formatBarDetail(tally: SeedTally, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (tally.done * 1000) / elapsedMs : 0;
  const agencies = AGENCIES.map((agency) => `${SHORT_NAMES[agency]} ${formatCount(enrolments(tally, agency))}`).join(' · ');
  const refused = refusals(tally);
  return `registered ${formatCount(tally.registered + tally.alreadyRegistered)} · ${agencies} · ${formatCount(rate)}/s${refused ? ` · ${formatCount(refused)} refused` : ''}`;
}

/**
 * Shows progress: on a terminal (`tty`), a bar redrawn in place (cli-progress), with
 * refusals printed above it; otherwise (a log file, a pipe, CI) a plain progress line
 * every `intervalMs`. Either way the first few refusals are printed as they happen.
 */
export class ProgressReporter {
  private timer: NodeJS.Timeout | undefined;
  private printedRefusals = 0;
  private readonly startedAt = Date.now();
  private bars: MultiBar | undefined;
  private bar: SingleBar | undefined;

  constructor(
    private readonly tally: SeedTally,
    private readonly target: number,
    private readonly write: (line: string) => void,
    private readonly intervalMs = 5000,
    private readonly tty?: NodeJS.WritableStream,
  ) {}

  start(): void {
    if (this.tty) {
      this.bars = new MultiBar({
        stream: this.tty,
        format: 'seed {bar} {percentage}% · {value}/{total} citizens · ETA {eta_formatted} · {detail}',
        formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? formatCount(value) : String(value)),
        hideCursor: true,
        etaBuffer: 50,
        fps: 4,
      });
      this.bar = this.bars.create(this.target, 0, { detail: formatBarDetail(this.tally, 0) });
      this.timer = setInterval(() => this.bar?.update(this.tally.done, { detail: formatBarDetail(this.tally, this.elapsedMs()) }), 250);
    } else {
      this.timer = setInterval(() => this.write(formatProgress(this.tally, this.target, this.elapsedMs())), this.intervalMs);
    }
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.bar?.update(this.tally.done, { detail: formatBarDetail(this.tally, this.elapsedMs()) });
    this.bars?.stop();
    this.bars = undefined;
    this.bar = undefined;
  }

  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  refusal(service: SeededService, index: number, reason: string): void {
    this.printedRefusals++;
    if (this.printedRefusals <= PRINTED_REFUSALS) this.say(`seed: ${service} refused citizen #${index}: ${reason}`);
    if (this.printedRefusals === PRINTED_REFUSALS) this.say('seed: further refusals are counted, not printed');
  }

  /** A line above the bar while it is drawn, else a plain line. */
  private say(line: string): void {
    if (this.bars) this.bars.log(`${line}\n`);
    else this.write(line);
  }
}
