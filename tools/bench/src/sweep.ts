// A sweep: the crypto-only ceiling and one end-to-end drive per concurrency level,
// as one JSON document, readable tables, and an SVG chart.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SWEEP_EXCHANGES_PER_SLOT } from './bench-args';
import { sweepChart, type ChartInput } from './chart';
import { table, type BenchReport, type CpuFigures, type CryptoFigures, type DriveFigures, type MachineInfo, type SetupFigures } from './report';

export interface SweepLevel {
  concurrency: number;
  drive: DriveFigures;
  cpu?: CpuFigures;
}

export interface SweepReport {
  exchange: BenchReport['exchange'];
  machine: MachineInfo;
  setup?: SetupFigures;
  crypto: CryptoFigures;
  levels: SweepLevel[];
  /** Why no level ran: the federation could not be reached (the crypto ceiling alone was measured). */
  unreachable?: string;
}

/** Exchanges measured at one level: --n, but at most SWEEP_EXCHANGES_PER_SLOT per slot. */
export function sweepCount(n: number, concurrency: number): number {
  return Math.max(1, Math.min(n, concurrency * SWEEP_EXCHANGES_PER_SLOT));
}

/** The level with the most throughput, and its share of the crypto ceiling. */
export function bestLevel(report: SweepReport): { level: SweepLevel; ratio: number } | undefined {
  const best = [...report.levels].sort((a, b) => b.drive.throughputPerSecond - a.drive.throughputPerSecond)[0];
  if (!best) return undefined;
  return { level: best, ratio: report.crypto.ceilingPerSecond > 0 ? best.drive.throughputPerSecond / report.crypto.ceilingPerSecond : 0 };
}

/** A process group's name for tables and the chart: Redis without its address, a database's backends by the database. */
export function processName(group: string): string {
  if (group.startsWith('redis-server')) return 'redis-server';
  return group.replace(/^postgres backend \((.*)\)$/, 'postgres ($1)');
}

/** CPU ms per exchange of each federation process at a level (groups of one name summed). */
export function federationCpu(level: SweepLevel): Record<string, number> {
  const out: Record<string, number> = {};
  for (const group of level.cpu?.groups ?? []) {
    if (group.scope !== 'federation') continue;
    const name = processName(group.group);
    out[name] = (out[name] ?? 0) + group.msPerExchange;
  }
  return out;
}

const fixed = (value: number, digits: number) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value: number | undefined) => (value === undefined ? '–' : value >= 100 ? fixed(value, 0) : value >= 10 ? fixed(value, 1) : fixed(value, 2));
const percent = (value: number) => `${fixed(value * 100, 1)} %`;

function machineLine(machine: MachineInfo): string {
  return `${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}; load average at start ${machine.loadAverageAtStart.map((value) => value.toFixed(2)).join(' ')}`;
}

export function formatSweep(report: SweepReport): string {
  const { exchange, machine, crypto } = report;
  const out: string[] = [];
  out.push(`Exchange bench sweep: ${exchange.requester} asks ${exchange.provider} for ${exchange.item} under ${exchange.rule}`);
  out.push(`Machine: ${machineLine(machine)}`);
  out.push(`Federation: ${machine.label ?? '(no --label given: say what runs the databases, e.g. --label "PostgreSQL 15")'}`);
  out.push(
    '',
    `Crypto-only ceiling: ${fixed(crypto.ceilingPerSecond, 0)} exchanges/s (${crypto.cores} cores × 1000 / ${fixed(crypto.totalCpuMs, 3)} CPU ms of ` +
      `cryptography per exchange, ristretto255 on ${crypto.groupBackend}; group ${fixed(crypto.byKind.group.ms, 3)} ms, JOSE ${fixed(crypto.byKind.jose.ms, 3)} ms)`,
  );
  if (report.unreachable) {
    out.push('', 'No end-to-end run: the federation could not be reached.', report.unreachable);
    return out.join('\n');
  }
  if (report.setup) out.push(`Setup (excluded): ${report.setup.registered} citizens registered and enrolled in ${report.setup.seconds.toFixed(1)} s`);
  out.push('');
  out.push(
    table(
      [
        ['concurrency', 'exchanges', 'exchanges/s', 'of ceiling', 'p50 ms', 'p99 ms', 'not completed', 'federation CPU ms/exchange'],
        ...report.levels.map((level) => [
          String(level.concurrency),
          String(level.drive.exchanges),
          fixed(level.drive.throughputPerSecond, 1),
          percent(crypto.ceilingPerSecond > 0 ? level.drive.throughputPerSecond / crypto.ceilingPerSecond : 0),
          ms(level.drive.serverLatencyMs?.p50),
          ms(level.drive.serverLatencyMs?.p99),
          String(level.drive.failures),
          level.cpu ? ms(level.cpu.federationMsPerExchange) : '–',
        ]),
      ],
      new Set([0, 1, 2, 3, 4, 5, 6, 7]),
    ),
  );
  out.push('  (latency: the requester\'s own answeredAt − createdAt)');

  const perLevel = report.levels.map(federationCpu);
  const names = [...new Set(perLevel.flatMap((cpu) => Object.keys(cpu)))].sort(
    (a, b) => perLevel.reduce((sum, cpu) => sum + (cpu[b] ?? 0), 0) - perLevel.reduce((sum, cpu) => sum + (cpu[a] ?? 0), 0),
  );
  if (names.length) {
    out.push('', 'CPU ms per exchange, by process (from /proc):');
    out.push(
      table(
        [
          ['process', ...report.levels.map((level) => `c=${level.concurrency}`)],
          ...names.map((name) => [name, ...perLevel.map((cpu) => ms(cpu[name]))]),
          ['federation', ...report.levels.map((level) => (level.cpu ? ms(level.cpu.federationMsPerExchange) : '–'))],
          ['other processes on the machine (share)', ...report.levels.map((level) => (level.cpu ? percent(level.cpu.otherMachineShare) : '–'))],
        ],
        new Set(report.levels.map((_, index) => index + 1)),
      ),
    );
  }
  const best = bestLevel(report);
  if (best) {
    out.push(
      '',
      `Ratio: ${fixed(best.level.drive.throughputPerSecond, 1)} exchanges/s end to end (concurrency ${best.level.concurrency}) ÷ ` +
        `${fixed(crypto.ceilingPerSecond, 0)} crypto-only = ${percent(best.ratio)} of the ceiling`,
    );
  }
  return out.join('\n');
}

export function chartInput(report: SweepReport): ChartInput {
  const best = bestLevel(report);
  const { exchange, machine, crypto } = report;
  return {
    title: `Exchange bench: ${exchange.requester} asks ${exchange.provider} for ${exchange.item}`,
    notes: [
      `${machineLine(machine)}${machine.label ? `; ${machine.label}` : ''}`,
      `crypto-only ceiling ${fixed(crypto.ceilingPerSecond, 0)}/s (${fixed(crypto.totalCpuMs, 2)} CPU ms per exchange)` +
        (best ? `; best end to end ${fixed(best.level.drive.throughputPerSecond, 1)}/s at concurrency ${best.level.concurrency} = ${percent(best.ratio)} of it` : ''),
    ],
    levels: report.levels.map((level) => ({
      concurrency: level.concurrency,
      throughputPerSecond: level.drive.throughputPerSecond,
      p99Ms: level.drive.serverLatencyMs?.p99,
      cpuMsPerExchange: federationCpu(level),
    })),
  };
}

/** Writes `<out>.svg` and `<out>.json`; returns their paths. */
export function writeSweep(report: SweepReport, out: string): string[] {
  mkdirSync(path.dirname(out), { recursive: true });
  const files = [`${out}.svg`, `${out}.json`];
  writeFileSync(files[0], sweepChart(chartInput(report)));
  writeFileSync(files[1], `${JSON.stringify(report, null, 2)}\n`);
  return files;
}
