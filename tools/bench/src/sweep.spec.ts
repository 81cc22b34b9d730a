import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXCHANGE_STEPS, type CryptoRun } from './crypto-steps';
import type { ExchangeSample } from './driver';
import { cpuFigures, cryptoFigures, driveFigures, type MachineInfo } from './report';
import { bestLevel, federationCpu, formatSweep, sweepCount, writeSweep, type SweepLevel, type SweepReport } from './sweep';

const machine: MachineInfo = { cores: 2, cpuModel: 'Test CPU', node: '20.0.0', platform: 'Linux', memoryGiB: 8, label: 'PostgreSQL 15', loadAverageAtStart: [1, 2, 3] };
const exchange = { requester: 'pension-agency', provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income' };

/** 2 ms of CPU per exchange in all: a ceiling of 1,000/s on 2 cores. */
function crypto() {
  const steps = EXCHANGE_STEPS.map((step) => ({ ...step, cpuMsPerOp: 2 / EXCHANGE_STEPS.length, msPerOp: 2 / EXCHANGE_STEPS.length, ops: 10 }));
  const run: CryptoRun = {
    iterations: 10,
    groupBackend: 'sodium',
    steps,
    totalMs: 2,
    totalCpuMs: 2,
    checks: { providerCodeMatches: 10, portalCodeMatches: 10, payloadRoundTrips: 10, subjectsCarried: 10 },
  };
  return cryptoFigures(run, 2);
}

/** `count` answered exchanges over `wallMs`, each taking `serverMs`; the hub spends 3 ms, its database 1 ms, Redis 0.5 ms on each. */
function level(concurrency: number, count: number, wallMs: number, serverMs: number): SweepLevel {
  const samples: ExchangeSample[] = Array.from({ length: count }, (_, index) => ({ outcome: 'answered', serverMs, clientMs: serverMs + 5, settledAtMs: (index * wallMs) / count }));
  const drive = driveFigures({ samples, wallMs, listPolls: 1, singlePolls: 0, failedPolls: 0 }, { concurrency, warmup: 0 });
  const cpu = cpuFigures(
    {
      windowMs: wallMs,
      cores: 2,
      machineBusy: 0.5,
      servicesFound: ['exchange-hub'],
      groups: [
        { group: 'exchange-hub', scope: 'federation', cpuMs: 3 * count, switches: { voluntary: 0, involuntary: 0 }, machineShare: 0.2 },
        { group: 'postgres backend (hub)', scope: 'federation', cpuMs: 1 * count, switches: { voluntary: 0, involuntary: 0 }, machineShare: 0.1 },
        { group: 'redis-server 127.0.0.1:41234', scope: 'federation', cpuMs: 0.5 * count, switches: { voluntary: 0, involuntary: 0 }, machineShare: 0.05 },
        { group: 'bench (this process)', scope: 'bench', cpuMs: 0.1 * count, switches: { voluntary: 0, involuntary: 0 }, machineShare: 0.01 },
        { group: 'other: node', scope: 'other', cpuMs: 9 * count, switches: { voluntary: 0, involuntary: 0 }, machineShare: 0.14 },
      ],
    },
    drive.completed,
  );
  return { concurrency, drive, cpu };
}

const report: SweepReport = { exchange, machine, crypto: crypto(), levels: [level(1, 50, 5000, 80), level(10, 400, 4000, 95), level(50, 600, 5000, 700)] };

describe('sweepCount', () => {
  it('runs --n exchanges at a level, at most 50 per slot, and at least one', () => {
    expect(sweepCount(1000, 1)).toBe(50);
    expect(sweepCount(1000, 10)).toBe(500);
    expect(sweepCount(1000, 50)).toBe(1000);
    expect(sweepCount(7, 100)).toBe(7);
  });
});

describe('federationCpu', () => {
  it('keeps the federation’s processes, per exchange, with Redis named without its address', () => {
    expect(federationCpu(report.levels[0])).toEqual({ 'exchange-hub': 3, 'postgres (hub)': 1, 'redis-server': 0.5 });
  });
});

describe('bestLevel', () => {
  it('is the level with the most throughput, with its share of the crypto ceiling', () => {
    const best = bestLevel(report);
    expect(best?.level.concurrency).toBe(50);
    expect(best?.ratio).toBeCloseTo(120 / 1000, 9);
    expect(bestLevel({ ...report, levels: [] })).toBeUndefined();
  });
});

describe('formatSweep', () => {
  const text = formatSweep(report);

  it('prints the ceiling, one row per level and the ratio of the best level to the ceiling', () => {
    expect(text).toContain('Crypto-only ceiling: 1,000 exchanges/s (2 cores × 1000 / 2.000 CPU ms');
    expect(text).toMatch(/^\s+1\s+50\s+10\.0\s+1\.0 %\s+80\.0\s+80\.0\s+0\s+4\.50$/m);
    expect(text).toMatch(/^\s+50\s+600\s+120\.0\s+12\.0 %\s+700\s+700\s+0\s+4\.50$/m);
    expect(text).toContain('Ratio: 120.0 exchanges/s end to end (concurrency 50) ÷ 1,000 crypto-only = 12.0 % of the ceiling');
  });

  it('prints the CPU of each process at each level', () => {
    expect(text).toMatch(/^exchange-hub\s+3\.00\s+3\.00\s+3\.00$/m);
    expect(text).toMatch(/^redis-server\s+0\.50\s+0\.50\s+0\.50$/m);
    expect(text).not.toContain('other: node');
  });

  it('says why there is no end-to-end run when the federation could not be reached', () => {
    const alone = formatSweep({ exchange, machine, crypto: crypto(), levels: [], unreachable: 'the federation is not reachable: start it' });
    expect(alone).toContain('Crypto-only ceiling: 1,000 exchanges/s');
    expect(alone).toContain('No end-to-end run: the federation could not be reached.\nthe federation is not reachable: start it');
    expect(alone).not.toContain('Ratio');
  });
});

describe('writeSweep', () => {
  it('writes the chart and the figures beside each other', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-sweep-'));
    try {
      const files = writeSweep(report, path.join(dir, 'nested', 'bench'));
      expect(files.map((file) => path.basename(file))).toEqual(['bench.svg', 'bench.json']);
      expect(readFileSync(files[0], 'utf8')).toContain('best end to end 120.0/s at concurrency 50 = 12.0 % of it');
      expect(JSON.parse(readFileSync(files[1], 'utf8'))).toMatchObject({ levels: [{ concurrency: 1 }, { concurrency: 10 }, { concurrency: 50 }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
