// npm run bench:exchange -- --n 10000 --concurrency 50
//
// Drives exchanges through a running federation over its public HTTP APIs and
// prints throughput and latency percentiles; then, in this same process, times the
// cryptographic steps of one exchange alone and the throughput ceiling they imply
// on this machine. Figures are printed, never asserted.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { runningDemo, type Agency, type Service } from '@myna/protocol';
import { BenchArgsError, parseBenchArgs, USAGE, type BenchOptions } from './bench-args';
import { CpuUsage, scenarioRunnerPids } from './cpu-usage';
import { buildCryptoFixture, compareSchemes, runCryptoSteps } from './crypto-steps';
import { ExchangeDriver, type DrivePlan } from './driver';
import { Federation, FederationProtocolError, FederationUnreachableError, providerRecords, syntheticPeople } from './federation';
import { OperatorClient, operatorRoleFor, serviceAt } from '@myna/operator-client';
import { JsonHttpClient } from './http-json';
import { SCENARIO_WAIT_MS, waitForScenarioRunners } from './scenario-runners';
import { cpuFigures, cryptoFigures, driveFigures, formatReport, type BenchReport, type CryptoFigures, type MachineInfo, type SetupFigures } from './report';
import { formatSweep, sweepCount, writeSweep, type SweepLevel, type SweepReport } from './sweep';

/** What a run needs before it drives: the federation checked, this run's people enrolled, the crypto timed alone. */
interface Prepared {
  http: JsonHttpClient;
  setup: SetupFigures;
  crypto: CryptoFigures;
  driver: ExchangeDriver;
  plan: Omit<DrivePlan, 'count' | 'concurrency'>;
}

function exchangeOf(options: BenchOptions): { requester: Agency; provider: Agency; rule: string; item: string } {
  return { requester: options.requester, provider: options.provider, rule: options.rule, item: options.item };
}

async function timeCrypto(options: BenchOptions, machine: MachineInfo, say: (line: string) => void): Promise<CryptoFigures> {
  say(`timing the cryptographic steps of ${options.cryptoIterations} exchanges…`);
  const fixture = await buildCryptoFixture(exchangeOf(options));
  const run = await runCryptoSteps(fixture, { iterations: options.cryptoIterations });
  say('timing the group arithmetic of one exchange with one key per party and with edge keys…');
  return cryptoFigures(run, machine.cores, compareSchemes(fixture, Math.max(20, Math.round(options.cryptoIterations / 2))));
}

/** Checks the federation, enrols the people, times the crypto while the federation is idle. Closes its HTTP client on failure. */
async function prepare(options: BenchOptions, machine: MachineInfo, say: (line: string) => void, slots: number): Promise<Prepared> {
  const operators = new OperatorClient({ credentialsDir: options.credentialsDir, urls: options.urls });
  // Every request is made as the operator whose route it is (health checks need none).
  const http = new JsonHttpClient(slots + 8, 30_000, async (method, url) => {
    const target = new URL(url);
    const service = serviceAt(options.urls, url);
    if (!service || target.pathname === '/health') return undefined;
    return `Bearer ${await operators.token(service, operatorRoleFor(service, method, target.pathname))}`;
  });
  try {
    const federation = new Federation(options.urls, http);
    await federation.checkHealth();
    await waitForScenarioRunners({
      alive: scenarioRunnerPids,
      sleep: (ms) => delay(ms),
      now: () => performance.now(),
      say,
      timeoutMs: SCENARIO_WAIT_MS,
    });
    const { setup, personIds } = await enrolPeople(federation, options, say);
    // With the federation idle: the crypto alone, on the same machine, in the same run.
    const crypto = await timeCrypto(options, machine, say);
    const plan: Prepared['plan'] = {
      ...exchangeOf(options),
      ratePerSecond: options.ratePerSecond,
      parameters: options.parameters,
      personIds,
      deadlineMs: options.deadlineMs,
      pollMs: options.pollMs,
      urls: options.urls,
    };
    return { http, setup, crypto, driver: new ExchangeDriver(http, progress(say)), plan };
  } catch (error) {
    http.close();
    throw error;
  }
}

/**
 * V8 goes on compiling the services' code for the first few thousand exchanges: run after a
 * warm-up of 300, the pension agency's compiler threads took 2.2 s of CPU over the next 2,000
 * exchanges, 0.7 s over the 3,000 after, and 0.1 s over the 3,000 after those; the federation's
 * CPU per exchange fell from about 8.5 to 7.1 ms meanwhile. So the warm-up is long, but
 * bounded in time, since a hub mixing in rounds passes few exchanges a second.
 */
const WARMUP_START_FOR_MS = 30_000;

/** Exchanges left out of every figure: the services' code paths, pools and caches warmed. Returns how many ran. */
async function warmUp(prepared: Prepared, concurrency: number, count: number, say: (line: string) => void): Promise<number> {
  if (count <= 0) return 0;
  say(`warm-up: ${count} exchanges at concurrency ${concurrency}, or as many as start within ${WARMUP_START_FOR_MS / 1000} s…`);
  const { samples } = await prepared.driver.run({ ...prepared.plan, concurrency, count, startForMs: WARMUP_START_FOR_MS });
  return samples.length;
}

/** One measured drive, with the CPU of every process read from /proc around it. */
async function drive(prepared: Prepared, options: BenchOptions, concurrency: number, count: number, warmup: number, say: (line: string) => void) {
  const { driver, plan } = prepared;
  say(`drive: ${count} exchanges ${options.ratePerSecond ? `at ${options.ratePerSecond}/s (at most ${concurrency} in flight)` : `at concurrency ${concurrency}`}…`);
  const cpu = CpuUsage.start(localServicePorts(options.urls));
  const result = await driver.run({ ...plan, concurrency, count });
  const cpuReport = cpu?.stop();
  const figures = driveFigures(result, { concurrency, warmup, ratePerSecond: options.ratePerSecond });
  return { drive: figures, cpu: cpuReport && cpuFigures(cpuReport, figures.completed) };
}

export async function runBench(options: BenchOptions, say: (line: string) => void): Promise<BenchReport> {
  const machine = machineInfo(options.label);
  const exchange = exchangeOf(options);
  if (options.cryptoOnly) return { exchange, machine, crypto: await timeCrypto(options, machine, say) };
  const prepared = await prepare(options, machine, say, options.concurrency);
  try {
    const warmup = await warmUp(prepared, options.concurrency, options.warmup, say);
    const { drive: figures, cpu } = await drive(prepared, options, options.concurrency, options.n, warmup, say);
    return { exchange, machine, setup: prepared.setup, drive: figures, cpu, crypto: prepared.crypto };
  } finally {
    prepared.http.close();
  }
}

/**
 * The crypto-only ceiling and an end-to-end drive at each concurrency level, in one
 * run and against one set of enrolled people; the warm-up runs once, before the first level.
 * With no federation to drive, the ceiling alone (and `unreachable` says why).
 */
export async function runSweep(options: BenchOptions, levels: readonly number[], say: (line: string) => void): Promise<SweepReport> {
  const machine = machineInfo(options.label);
  const exchange = exchangeOf(options);
  let prepared: Prepared;
  try {
    prepared = await prepare(options, machine, say, Math.max(...levels));
  } catch (error) {
    if (!(error instanceof FederationUnreachableError)) throw error;
    return { exchange, machine, crypto: await timeCrypto(options, machine, say), levels: [], unreachable: error.message };
  }
  try {
    // Once, at the highest level: the warm-up's exchanges pass quickest there.
    const warmup = await warmUp(prepared, Math.max(...levels), options.warmup, say);
    const results: SweepLevel[] = [];
    for (const concurrency of levels) {
      const count = sweepCount(options.n, concurrency);
      const { drive: figures, cpu } = await drive(prepared, options, concurrency, count, warmup, say);
      results.push({ concurrency, drive: figures, cpu });
    }
    return { exchange, machine, setup: prepared.setup, crypto: prepared.crypto, levels: results };
  } finally {
    prepared.http.close();
  }
}

/** Registers this run's people at code-issuer, enrols them at the provider (with records) and the requester. */
async function enrolPeople(federation: Federation, options: BenchOptions, say: (line: string) => void): Promise<{ setup: SetupFigures; personIds: string[] }> {
  const started = performance.now();
  say(`setup: registering ${options.people} synthetic citizens and enrolling them at ${options.provider} and ${options.requester}…`);
  const people = syntheticPeople(options.people, randomBytes(4).toString('hex'));
  const { registered } = await federation.registerCitizens(people);
  if (registered.length === 0) throw new FederationProtocolError('code-issuer registered none of the synthetic citizens');
  const atProvider = await federation.enrol(options.provider, registered, (index) => providerRecords(options.provider, index));
  const atRequester = await federation.enrol(options.requester, registered);
  // Only people both agencies know: anyone else would be a no-record answer, not the exchange being measured.
  const personIds = atRequester.filter((personId, index): personId is string => personId !== undefined && atProvider[index] !== undefined);
  if (personIds.length === 0) throw new FederationProtocolError(`no person could be enrolled at both ${options.requester} and ${options.provider}`);
  return {
    personIds,
    setup: {
      people: options.people,
      registered: registered.length,
      enrolledAtRequester: atRequester.filter(Boolean).length,
      enrolledAtProvider: atProvider.filter(Boolean).length,
      seconds: (performance.now() - started) / 1000,
    },
  };
}

function machineInfo(label: string | undefined): MachineInfo {
  return {
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.versions.node,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGiB: os.totalmem() / 2 ** 30,
    label: label ?? null,
    loadAverageAtStart: os.loadavg(),
  };
}

/** Services on this machine, by port, so that their CPU time can be found in /proc. */
function localServicePorts(urls: Readonly<Record<Service, string>>): Map<string, number> {
  const ports = new Map<string, number>();
  for (const [service, text] of Object.entries(urls)) {
    const url = new URL(text);
    if (!['127.0.0.1', 'localhost', '[::1]', '0.0.0.0'].includes(url.hostname)) continue;
    ports.set(service, Number(url.port || (url.protocol === 'https:' ? 443 : 80)));
  }
  return ports;
}

/** A progress line on stderr: rewritten in place on a terminal, every 10 s otherwise. */
function progress(say: (line: string) => void): (settled: number, total: number) => void {
  const tty = process.stderr.isTTY;
  let last = 0;
  return (settled, total) => {
    const now = performance.now();
    if (settled < total && now - last < (tty ? 500 : 10_000)) return;
    last = now;
    if (tty) process.stderr.write(`\r  ${settled}/${total}${settled === total ? '\n' : ''}`);
    else say(`  ${settled}/${total}`);
  };
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command;
  try {
    command = parseBenchArgs(argv, env, undefined, runningDemo());
  } catch (error) {
    if (!(error instanceof BenchArgsError)) throw error;
    process.stderr.write(`bench: ${error.message} (see --help)\n`);
    return 2;
  }
  if (command.help) {
    // `npm run bench` is this command with --sweep: its help names it.
    const usage = env.npm_lifecycle_event === 'bench' ? USAGE.replace('Usage: npm run bench:exchange --', 'Usage: npm run bench --') : USAGE;
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const { options } = command;
  const say = (line: string) => process.stderr.write(`${line}\n`);
  try {
    if (options.sweep) {
      const sweep = await runSweep(options, options.sweep, say);
      const written = sweep.levels.length ? writeSweep(sweep, options.out) : [];
      process.stdout.write(options.json ? `${JSON.stringify(sweep, null, 2)}\n` : `\n${formatSweep(sweep)}\n`);
      for (const file of written) say(`wrote ${path.relative(process.cwd(), file)}`);
      return sweep.levels.length && sweep.levels.every((level) => level.drive.completed === 0) ? 1 : 0;
    }
    const report = await runBench(options, say);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `\n${formatReport(report)}\n`);
    return report.drive && report.drive.completed === 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof FederationUnreachableError || error instanceof FederationProtocolError) {
      process.stderr.write(`bench: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
