import { EXCHANGE_STEPS, type CryptoRun } from './crypto-steps';
import type { ExchangeSample } from './driver';
import { cpuFigures, cryptoFigures, driveFigures, formatReport, table, type BenchReport } from './report';

const sample = (outcome: ExchangeSample['outcome'], serverMs: number | undefined, settledAtMs: number): ExchangeSample => ({
  outcome,
  serverMs,
  clientMs: (serverMs ?? 0) + 5,
  settledAtMs,
});

/** Wall-clock time twice the CPU time, as on a busy machine. */
function cryptoRun(cpuMsPerStep: (kind: string) => number): CryptoRun {
  const steps = EXCHANGE_STEPS.map((step) => ({ ...step, cpuMsPerOp: cpuMsPerStep(step.kind), msPerOp: 2 * cpuMsPerStep(step.kind), ops: 10 }));
  return {
    iterations: 10,
    groupBackend: 'sodium',
    steps,
    totalMs: steps.reduce((sum, step) => sum + step.msPerOp, 0),
    totalCpuMs: steps.reduce((sum, step) => sum + step.cpuMsPerOp, 0),
    checks: { providerCodeMatches: 10, portalCodeMatches: 10, payloadRoundTrips: 10, subjectsCarried: 10 },
  };
}

describe('driveFigures', () => {
  const samples = [
    sample('answered', 10, 100),
    sample('answered', 20, 900),
    sample('no-record', 30, 1500),
    sample('denied', 1, 1600),
    sample('timeout', undefined, 2100),
    { ...sample('start-failed', undefined, 2200), reason: 'POST /inquiries answered 503' },
  ];
  const figures = driveFigures({ samples, wallMs: 2500, listPolls: 12, singlePolls: 3, failedPolls: 1 }, { concurrency: 4, warmup: 0 });

  it('counts answered and no-record as completed, everything else as a failure with its reason', () => {
    expect(figures.completed).toBe(3);
    expect(figures.failures).toBe(3);
    expect(figures.outcomes).toEqual({ answered: 2, 'no-record': 1, denied: 1, failed: 0, 'start-failed': 1, timeout: 1 });
    expect(figures.failureReasons).toEqual(
      expect.arrayContaining([{ reason: 'start-failed: POST /inquiries answered 503', count: 1 }, { reason: 'denied', count: 1 }]),
    );
  });

  it('divides completed exchanges by the wall time of the drive', () => {
    expect(figures.throughputPerSecond).toBeCloseTo(3 / 2.5, 10);
    // Whole seconds only: [0,1) has 2, [1,2) has 1.
    expect(figures.throughputPerSecondWindows).toEqual({ min: 1, median: 1.5, max: 2 });
  });

  it('takes latency percentiles over completed exchanges only', () => {
    expect(figures.serverLatencyMs).toMatchObject({ count: 3, min: 10, p50: 20, max: 30 });
    expect(figures.clientLatencyMs).toMatchObject({ count: 3, p50: 25 });
    expect(figures.polling).toEqual({ listPolls: 12, singlePolls: 3, failedPolls: 1, requestsPerExchange: 2.5 });
  });
});

describe('cryptoFigures', () => {
  it('gives shares, the group/JOSE split, per-party single-core ceilings, and cores × 1000 / total CPU ms', () => {
    const figures = cryptoFigures(cryptoRun((kind) => (kind === 'group' ? 0.5 : 0.1)), 2);
    // 5 group steps × 0.5 + 14 JOSE steps × 0.1 = 3.9 ms.
    expect(figures.totalCpuMs).toBeCloseTo(3.9, 10);
    expect(figures.totalWallMs).toBeCloseTo(7.8, 10);
    expect(figures.wallCeilingPerSecond).toBeCloseTo(2000 / 7.8, 10);
    expect(figures.byKind.group).toEqual({ ms: expect.closeTo(2.5, 10), share: expect.closeTo(2.5 / 3.9, 10) });
    expect(figures.byKind.jose.share).toBeCloseTo(1.4 / 3.9, 10);
    expect(figures.ceilingPerSecond).toBeCloseTo(2000 / 3.9, 10);
    // Hub: 2 translations (1 ms) + 6 JOSE steps (0.6 ms).
    expect(figures.byParty.hub.ms).toBeCloseTo(1.6, 10);
    expect(figures.byParty.hub.singleCoreCeilingPerSecond).toBeCloseTo(625, 10);
    expect(figures.steps.reduce((sum, step) => sum + step.share, 0)).toBeCloseTo(1, 10);
  });
});

describe('cpuFigures', () => {
  it('charges each group per completed exchange, totals the federation, and folds the tail of the others into one line', () => {
    const figures = cpuFigures(
      {
        windowMs: 10_000,
        cores: 2,
        machineBusy: 0.9,
        servicesFound: ['exchange-hub', 'tax-agency'],
        groups: [
          { group: 'exchange-hub', scope: 'federation', cpuMs: 4000, switches: { voluntary: 2000, involuntary: 4000 }, machineShare: 0.2 },
          { group: 'other: jest', scope: 'other', cpuMs: 3000, switches: { voluntary: 10, involuntary: 20 }, machineShare: 0.15 },
          { group: 'tax-agency', scope: 'federation', cpuMs: 1000, switches: { voluntary: 3000, involuntary: 500 }, machineShare: 0.05 },
          { group: 'bench (this process)', scope: 'bench', cpuMs: 500, switches: { voluntary: 900, involuntary: 100 }, machineShare: 0.025 },
          { group: 'other: a', scope: 'other', cpuMs: 100, switches: { voluntary: 1000, involuntary: 0 }, machineShare: 0.005 },
          { group: 'other: b', scope: 'other', cpuMs: 50, switches: { voluntary: 500, involuntary: 1500 }, machineShare: 0.0025 },
        ],
      },
      1000,
      2,
    );
    expect(figures.groups.map((group) => [group.group, group.msPerExchange, group.waitsPerExchange, group.preemptionsPerExchange])).toEqual([
      ['exchange-hub', 4, 2, 4],
      ['other: jest', 3, 0.01, 0.02],
      ['tax-agency', 1, 3, 0.5],
      ['bench (this process)', 0.5, 0.9, 0.1],
      ['other: 2 more groups', 0.15, 1.5, 1.5],
    ]);
    // The federation's switches are its groups' only: not the bench's, not the others'.
    expect(figures.federationSwitchesPerExchange).toEqual({ waits: 5, preemptions: 4.5 });
    expect(figures.federationMsPerExchange).toBe(5);
    expect(figures.federationCeilingPerSecond).toBe(400);
    expect(figures.benchMsPerExchange).toBe(0.5);
    expect(figures.otherMachineShare).toBeCloseTo(0.1575, 10);
    expect(figures.federationMachineShare).toBeCloseTo(0.25, 10);
    expect(figures.benchMachineShare).toBeCloseTo(0.025, 10);
  });
});

describe('the text report', () => {
  it('aligns columns', () => {
    expect(table([['a', 'bb'], ['ccc', 'd']], new Set([1]))).toBe('a    bb\n───  ──\nccc   d');
  });

  it('prints throughput, p50/p95/p99, failures, the crypto table and the ceiling', () => {
    const drive = driveFigures({ samples: [sample('answered', 10, 100), sample('timeout', undefined, 200)], wallMs: 1000, listPolls: 0, singlePolls: 0, failedPolls: 0 }, { concurrency: 1, warmup: 0 });
    const report: BenchReport = {
      exchange: { requester: 'pension-agency', provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income' },
      machine: { cores: 2, cpuModel: 'test CPU', node: '20.0.0', platform: 'Linux', memoryGiB: 4, label: 'embedded PGlite', loadAverageAtStart: [0, 0, 0] },
      drive,
      crypto: cryptoFigures(cryptoRun(() => 0.2), 2),
    };
    const text = formatReport(report);
    expect(text).toContain('throughput   1.0 exchanges/s');
    expect(text).toMatch(/p50\s+p95\s+p99\s+max/);
    expect(text).toContain('1 not completed');
    expect(text).toContain('1 × timeout');
    expect(text).toContain('translate requester→provider');
    expect(text).toContain('ristretto255 on sodium');
    expect(text).toContain('2 cores × 1000 / 3.800 CPU ms = 526 exchanges/s');
    expect(text).toContain('2 × 1000 / 7.600 ms = 263 exchanges/s');
    expect(text).toContain('Federation: embedded PGlite');
  });
});
