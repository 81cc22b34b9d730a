// The benchmark's figures: one JSON document, and the same as readable tables.
import type { CpuReport, CpuScope } from './cpu-usage';
import { breakdown, type CryptoRun, type SchemeComparison, type StepKind, type StepParty } from './crypto-steps';
import { OUTCOMES, type DriveResult, type Outcome } from './driver';
import { summarize, type Summary } from './stats';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  memoryGiB: number;
  /** What runs the federation's databases, as the operator said (--label); null when not said. */
  label: string | null;
  loadAverageAtStart: number[];
}

export interface SetupFigures {
  people: number;
  registered: number;
  enrolledAtRequester: number;
  enrolledAtProvider: number;
  seconds: number;
}

export interface DriveFigures {
  exchanges: number;
  concurrency: number;
  /** Open loop at this rate (null: closed loop at `concurrency`). */
  ratePerSecond: number | null;
  warmup: number;
  wallSeconds: number;
  /** answered + no-record: exchanges that went requester → hub → provider → hub → requester. */
  completed: number;
  throughputPerSecond: number;
  /** Completions in each whole second of the drive. */
  throughputPerSecondWindows: { min: number; median: number; max: number } | undefined;
  outcomes: Record<Outcome, number>;
  failures: number;
  failureReasons: { reason: string; count: number }[];
  serverLatencyMs: Summary | undefined;
  clientLatencyMs: Summary | undefined;
  /** Requests the bench made to follow the exchanges: GET /exchange-records, and GET /inquiries/:id for stragglers. */
  polling: { listPolls: number; singlePolls: number; failedPolls: number; requestsPerExchange: number };
}

/** Shares, splits and ceilings are of CPU time (see StepTiming.cpuMsPerOp); wall-clock time is given beside it. */
export interface CryptoFigures {
  iterations: number;
  groupBackend: CryptoRun['groupBackend'];
  steps: { party: StepParty; name: string; kind: StepKind; call: string; cpuMsPerOp: number; wallMsPerOp: number; share: number }[];
  totalCpuMs: number;
  totalWallMs: number;
  byKind: Record<StepKind, { ms: number; share: number }>;
  byParty: Record<StepParty, { ms: number; share: number; singleCoreCeilingPerSecond: number }>;
  /** cores × 1000 / totalCpuMs: every core doing nothing but these steps. */
  ceilingPerSecond: number;
  /** The same from wall-clock time: lower when other processes took the cores meanwhile. */
  wallCeilingPerSecond: number;
  cores: number;
  checks: CryptoRun['checks'];
  /** The group arithmetic of one exchange before and after edge keys and closing scalars, timed in this run. */
  schemes?: SchemeComparison;
}

export interface CpuFigures {
  windowSeconds: number;
  machineBusy: number;
  servicesFound: string[];
  groups: {
    group: string;
    scope: CpuScope;
    cpuMs: number;
    msPerExchange: number;
    /** Context switches per completed exchange: waits (voluntary) and preemptions (involuntary). */
    waitsPerExchange: number;
    preemptionsPerExchange: number;
    machineShare: number;
  }[];
  /** The federation's context switches per completed exchange, waits and preemptions. */
  federationSwitchesPerExchange: { waits: number; preemptions: number };
  /** CPU the federation (services, their databases, Redis, launcher) spent per completed exchange. */
  federationMsPerExchange: number;
  /** cores × 1000 / federationMsPerExchange: what this machine could do were it running the federation alone. */
  federationCeilingPerSecond: number;
  benchMsPerExchange: number;
  /** Shares of the machine's capacity during the drive. */
  federationMachineShare: number;
  benchMachineShare: number;
  otherMachineShare: number;
}

export interface BenchReport {
  exchange: { requester: string; provider: string; rule: string; item: string };
  machine: MachineInfo;
  setup?: SetupFigures;
  drive?: DriveFigures;
  cpu?: CpuFigures;
  crypto: CryptoFigures;
}

export function driveFigures(result: DriveResult, plan: { concurrency: number; warmup: number; ratePerSecond?: number }): DriveFigures {
  const outcomes = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  const reasons = new Map<string, number>();
  for (const sample of result.samples) {
    outcomes[sample.outcome]++;
    if (sample.outcome !== 'answered' && sample.outcome !== 'no-record') {
      const reason = `${sample.outcome}${sample.reason ? `: ${sample.reason}` : ''}`;
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  const settledOk = result.samples.filter((sample) => sample.outcome === 'answered' || sample.outcome === 'no-record');
  const completed = settledOk.length;
  const seconds = Math.floor(result.wallMs / 1000);
  const perSecond = new Array<number>(Math.max(seconds, 0)).fill(0);
  for (const sample of settledOk) {
    const second = Math.floor(sample.settledAtMs / 1000);
    if (second < seconds) perSecond[second]++;
  }
  const windows = summarize(perSecond);
  return {
    exchanges: result.samples.length,
    concurrency: plan.concurrency,
    ratePerSecond: plan.ratePerSecond ?? null,
    warmup: plan.warmup,
    wallSeconds: result.wallMs / 1000,
    completed,
    throughputPerSecond: result.wallMs > 0 ? (completed * 1000) / result.wallMs : 0,
    throughputPerSecondWindows: windows && { min: windows.min, median: windows.p50, max: windows.max },
    outcomes,
    failures: result.samples.length - completed,
    failureReasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count).slice(0, 8),
    serverLatencyMs: summarize(settledOk.flatMap((sample) => (sample.serverMs === undefined ? [] : [sample.serverMs]))),
    clientLatencyMs: summarize(settledOk.map((sample) => sample.clientMs)),
    polling: {
      listPolls: result.listPolls,
      singlePolls: result.singlePolls,
      failedPolls: result.failedPolls,
      requestsPerExchange: result.samples.length ? (result.listPolls + result.singlePolls) / result.samples.length : 0,
    },
  };
}

export function cryptoFigures(run: CryptoRun, cores: number, schemes?: SchemeComparison): CryptoFigures {
  const split = breakdown(run, 'cpu');
  const share = (ms: number) => (run.totalCpuMs > 0 ? ms / run.totalCpuMs : 0);
  const byParty = Object.fromEntries(
    Object.entries(split.byParty).map(([party, ms]) => [party, { ms, share: share(ms), singleCoreCeilingPerSecond: ms > 0 ? 1000 / ms : Infinity }]),
  ) as CryptoFigures['byParty'];
  return {
    iterations: run.iterations,
    groupBackend: run.groupBackend,
    steps: run.steps.map(({ party, name, kind, call, msPerOp, cpuMsPerOp }) => ({ party, name, kind, call, cpuMsPerOp, wallMsPerOp: msPerOp, share: share(cpuMsPerOp) })),
    totalCpuMs: run.totalCpuMs,
    totalWallMs: run.totalMs,
    byKind: { group: { ms: split.byKind.group, share: share(split.byKind.group) }, jose: { ms: split.byKind.jose, share: share(split.byKind.jose) } },
    byParty,
    ceilingPerSecond: run.totalCpuMs > 0 ? (cores * 1000) / run.totalCpuMs : Infinity,
    wallCeilingPerSecond: run.totalMs > 0 ? (cores * 1000) / run.totalMs : Infinity,
    cores,
    checks: run.checks,
    ...(schemes ? { schemes } : {}),
  };
}

export function cpuFigures(report: CpuReport, completed: number, top = 16): CpuFigures {
  const perExchange = (cpuMs: number) => (completed > 0 ? cpuMs / completed : 0);
  const groups = report.groups.map(({ switches, ...group }) => ({
    ...group,
    msPerExchange: perExchange(group.cpuMs),
    waitsPerExchange: perExchange(switches.voluntary),
    preemptionsPerExchange: perExchange(switches.involuntary),
  }));
  type Field = 'cpuMs' | 'machineShare' | 'waitsPerExchange' | 'preemptionsPerExchange';
  const total = (of: readonly (typeof groups)[number][], field: Field) => of.reduce((sum, group) => sum + group[field], 0);
  const sum = (scope: CpuScope, field: Field) => total(groups.filter((group) => group.scope === scope), field);
  // Every federation group is shown; the others only while they matter.
  const shown = groups.filter((group, index) => group.scope !== 'other' || index < top);
  const rest = groups.filter((group) => !shown.includes(group));
  if (rest.length) {
    const cpuMs = total(rest, 'cpuMs');
    shown.push({
      group: `other: ${rest.length} more groups`,
      scope: 'other',
      cpuMs,
      msPerExchange: perExchange(cpuMs),
      waitsPerExchange: total(rest, 'waitsPerExchange'),
      preemptionsPerExchange: total(rest, 'preemptionsPerExchange'),
      machineShare: total(rest, 'machineShare'),
    });
  }
  const federationMsPerExchange = perExchange(sum('federation', 'cpuMs'));
  return {
    windowSeconds: report.windowMs / 1000,
    machineBusy: report.machineBusy,
    servicesFound: report.servicesFound,
    groups: shown,
    federationMsPerExchange,
    federationSwitchesPerExchange: { waits: sum('federation', 'waitsPerExchange'), preemptions: sum('federation', 'preemptionsPerExchange') },
    federationCeilingPerSecond: federationMsPerExchange > 0 ? (report.cores * 1000) / federationMsPerExchange : Infinity,
    benchMsPerExchange: perExchange(sum('bench', 'cpuMs')),
    federationMachineShare: sum('federation', 'machineShare'),
    benchMachineShare: sum('bench', 'machineShare'),
    otherMachineShare: sum('other', 'machineShare'),
  };
}

// ---- text ----

const fixed = (value: number, digits: number) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value: number | undefined) => (value === undefined ? '–' : value >= 100 ? fixed(value, 0) : value >= 10 ? fixed(value, 1) : fixed(value, 2));
const percent = (value: number) => `${fixed(value * 100, 1)} %`;
const rate = (value: number) => (Number.isFinite(value) ? fixed(value, 0) : '∞');

/** Columns padded to their widest cell; `right` lists the right-aligned columns. */
export function table(rows: string[][], right: ReadonlySet<number> = new Set()): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column] - [...cell].length);
        return right.has(column) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function formatReport(report: BenchReport): string {
  const out: string[] = [];
  const { exchange, machine } = report;
  out.push(`Exchange benchmark: ${exchange.requester} asks ${exchange.provider} for ${exchange.item} under ${exchange.rule}`);
  out.push(
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}, ${machine.platform}; ` +
      `load average at start ${machine.loadAverageAtStart.map((value) => value.toFixed(2)).join(' ')}`,
  );
  out.push(`Federation: ${machine.label ?? '(no --label given: say what runs the databases, e.g. --label "embedded PGlite")'}`);

  if (report.setup) {
    const setup = report.setup;
    out.push('', `Setup (excluded from the figures): ${setup.registered}/${setup.people} citizens registered, ` +
      `${setup.enrolledAtRequester} enrolled at ${exchange.requester}, ${setup.enrolledAtProvider} at ${exchange.provider}, in ${setup.seconds.toFixed(1)} s`);
  }

  if (report.drive) {
    const drive = report.drive;
    const load = drive.ratePerSecond ? `started at ${drive.ratePerSecond}/s (open loop, at most ${drive.concurrency} in flight)` : `at concurrency ${drive.concurrency}`;
    out.push('', `Drive: ${drive.exchanges.toLocaleString('en-US')} exchanges ${load}, after ${drive.warmup.toLocaleString('en-US')} warm-up exchanges (left out)`);
    const windows = drive.throughputPerSecondWindows;
    out.push(
      `  throughput   ${fixed(drive.throughputPerSecond, 1)} exchanges/s  (${drive.completed.toLocaleString('en-US')} completed in ${fixed(drive.wallSeconds, 2)} s` +
        (windows ? `; per 1-s window min ${windows.min}, median ${windows.median}, max ${windows.max})` : ')'),
    );
    out.push(
      `  outcomes     ${OUTCOMES.map((outcome) => `${outcome} ${drive.outcomes[outcome]}`).join(', ')}` +
        (drive.failures ? `  ← ${drive.failures} not completed` : ''),
    );
    for (const { reason, count } of drive.failureReasons) out.push(`               ${count} × ${reason}`);
    out.push('');
    const latencyRow = (name: string, summary: Summary | undefined) =>
      summary ? [name, ms(summary.p50), ms(summary.p95), ms(summary.p99), ms(summary.max), ms(summary.mean), String(summary.count)] : [name, '–', '–', '–', '–', '–', '0'];
    out.push(
      indent(
        table(
          [
            ['latency (ms)', 'p50', 'p95', 'p99', 'max', 'mean', 'n'],
            latencyRow("server: requester's answeredAt − createdAt", drive.serverLatencyMs),
            latencyRow('client: POST sent → poll saw it settled', drive.clientLatencyMs),
          ],
          new Set([1, 2, 3, 4, 5, 6]),
        ),
      ),
    );
    const polling = drive.polling;
    out.push(
      `  polling: ${polling.listPolls} × GET /exchange-records, ${polling.singlePolls} × GET /inquiries/:id ` +
        `(${fixed(polling.requestsPerExchange, 3)} per exchange, besides its POST), ${polling.failedPolls} failed`,
    );
  }

  if (report.cpu) {
    const cpu = report.cpu;
    out.push(
      '',
      `CPU during the drive (from /proc, ${fixed(cpu.windowSeconds, 1)} s): machine ${percent(cpu.machineBusy)} busy — ` +
        `this federation ${percent(cpu.federationMachineShare)}, the bench ${percent(cpu.benchMachineShare)}, other processes ${percent(cpu.otherMachineShare)}`,
    );
    out.push(
      indent(
        table(
          [
            ['process group', 'whose', 'CPU s', 'ms / exchange', 'waits / exch.', 'preempted / exch.', 'share of machine'],
            ...cpu.groups.map((group) => [
              group.group,
              group.scope,
              fixed(group.cpuMs / 1000, 1),
              ms(group.msPerExchange),
              fixed(group.waitsPerExchange, 1),
              fixed(group.preemptionsPerExchange, 1),
              percent(group.machineShare),
            ]),
          ],
          new Set([2, 3, 4, 5, 6]),
        ),
      ),
    );
    out.push(
      `  federation: ${ms(cpu.federationMsPerExchange)} CPU ms per exchange (services found by port: ${cpu.servicesFound.length ? cpu.servicesFound.sort().join(', ') : 'none'}) ` +
        `→ ${cpu.servicesFound.length ? rate(cpu.federationCeilingPerSecond) : '–'} exchanges/s with all ${report.crypto.cores} cores on it alone; the bench took ${ms(cpu.benchMsPerExchange)} ms`,
      `  context switches per exchange, federation: ${fixed(cpu.federationSwitchesPerExchange.waits, 1)} waits (a read, a lock, a thread-pool trip: the code's) ` +
        `and ${fixed(cpu.federationSwitchesPerExchange.preemptions, 1)} preemptions (the machine's load)`,
    );
  }

  const crypto = report.crypto;
  out.push('', `Cryptographic steps of one exchange, alone (this process, ${crypto.iterations.toLocaleString('en-US')} exchanges' worth, real keys, each result checked; ristretto255 on ${crypto.groupBackend}):`);
  out.push(
    indent(
      table(
        [
          ['party', 'step', 'kind', 'CPU ms', 'wall ms', 'share'],
          ...crypto.steps.map((step) => [step.party, step.name, step.kind, fixed(step.cpuMsPerOp, 3), fixed(step.wallMsPerOp, 3), percent(step.share)]),
          ['', 'total per exchange', '', fixed(crypto.totalCpuMs, 3), fixed(crypto.totalWallMs, 3), '100.0 %'],
        ],
        new Set([3, 4, 5]),
      ),
    ),
  );
  out.push(
    `  by kind:  group arithmetic ${fixed(crypto.byKind.group.ms, 3)} ms (${percent(crypto.byKind.group.share)}), ` +
      `JOSE ${fixed(crypto.byKind.jose.ms, 3)} ms (${percent(crypto.byKind.jose.share)})`,
  );
  out.push(
    `  by party: ${(Object.entries(crypto.byParty) as [StepParty, CryptoFigures['byParty'][StepParty]][])
      .map(([party, figures]) => `${party} ${fixed(figures.ms, 3)} ms (≤ ${rate(figures.singleCoreCeilingPerSecond)}/s in one process)`)
      .join(', ')}`,
  );
  out.push(
    `  ceiling:  ${crypto.cores} cores × 1000 / ${fixed(crypto.totalCpuMs, 3)} CPU ms = ${rate(crypto.ceilingPerSecond)} exchanges/s ` +
      '(every core doing nothing but this crypto; HTTP, queues, databases and logging come on top)',
  );
  out.push(`            from wall-clock time: ${crypto.cores} × 1000 / ${fixed(crypto.totalWallMs, 3)} ms = ${rate(crypto.wallCeilingPerSecond)} exchanges/s (lower when other processes took the cores meanwhile)`);
  if (crypto.schemes) {
    const { onePartyKeyCpuMs: before, edgeKeysCpuMs: after } = crypto.schemes;
    out.push(
      `  edge keys: the group arithmetic of one exchange costs ${fixed(after, 3)} CPU ms with edge keys and closing scalars, ` +
        `${fixed(before, 3)} ms with one key per party (timed together, ${crypto.schemes.iterations} exchanges): ` +
        `${after >= before ? '+' : ''}${fixed(after - before, 3)} ms (${after >= before ? '+' : ''}${percent((after - before) / before)})`,
    );
  }
  if (report.drive && crypto.ceilingPerSecond > 0) {
    out.push(`  measured: ${fixed(report.drive.throughputPerSecond, 1)} exchanges/s = ${percent(report.drive.throughputPerSecond / crypto.ceilingPerSecond)} of the crypto ceiling`);
  }
  return out.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
