// The launch sequence: Redis and the embedded databases in parallel, the steps
// before services, every service in parallel, /health polled with a deadline,
// the summary, the steps after. Then either exit (--once) or run until a signal
// or a death, and stop everything: services, then databases, then Redis.
import * as path from 'node:path';
import { CARD_READER, CODE_ISSUER, EXCHANGE_HUB, MYNA_PORTAL, SERVICES as SERVICE_NAMES, demoLayout, findWorkspaceRoot } from '@myna/protocol';
import { LaunchOptions } from './args';
import {
  ChildExitedError,
  ChildLogs,
  DeadlineMissedError,
  EmbeddedPostgres,
  initialiseDataDirs,
  LaunchError,
  mixRoundLine,
  OutputLine,
  planCardReader,
  planRedis,
  planServices,
  PrefixedOutput,
  provideRedis,
  provisionExternalRedis,
  redisPrefix,
  renderTail,
  secureLocalRedis,
  ServicePlan,
  showsInTerminal,
  startEmbeddedPostgres,
  Supervisor,
} from '@myna-tools/federation-host';
import { DataDirLock, lockDataDir, wipeDataDir } from './data-dir';
import { checkServicesCanStart, serviceUrl, startCardReader, startService, waitForService } from './services';
import { DEFAULT_STEPS, LaunchContext, LaunchStep, LaunchSteps, ServiceEndpoint } from './steps';
import { closingLines, summaryLines } from './summary';

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
// npm forwards the terminal's Ctrl-C to us as well, so one keypress can arrive
// twice; only a later signal means "force".
const FORCE_AFTER_MS = 1_000;
const PREFIX_WIDTH = Math.max('launcher'.length, ...SERVICE_NAMES.map((name) => `${name}-db`.length));

type StopReason = { kind: 'signal'; signal: NodeJS.Signals } | { kind: 'failure'; error: unknown };

export interface LauncherEnvironment {
  env: NodeJS.ProcessEnv;
  root: string;
  steps: LaunchSteps;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  useColor: boolean;
}

export function defaultEnvironment(): LauncherEnvironment {
  return {
    env: process.env,
    root: findWorkspaceRoot(__dirname),
    steps: DEFAULT_STEPS,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    useColor: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}

/** Runs the demo; resolves with the process exit code once everything it started has stopped. */
export async function runLauncher(options: LaunchOptions, environment = defaultEnvironment()): Promise<number> {
  const startedAt = Date.now();
  const deadline = startedAt + options.timeoutSeconds * 1000;
  const paths = demoLayout(environment.root);
  const out = new PrefixedOutput({
    width: PREFIX_WIDTH,
    useColor: environment.useColor,
    verbose: options.verbose,
    write: environment.stdout,
  });
  const err = new PrefixedOutput({ width: PREFIX_WIDTH, useColor: environment.useColor, write: environment.stderr });
  const say = (message: string) => out.lines('launcher', message);
  const detail = (message: string) => options.verbose && say(message);
  const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;

  const supervisor = new Supervisor();
  const shutdown = new AbortController();
  let stopReason: StopReason | undefined;
  let healthy = false;
  // The first reason to stop wins; errors that follow from it are not news.
  const requestStop = (reason: StopReason) => {
    if (stopReason) return;
    stopReason = reason;
    if (reason.kind === 'failure') reportFailure(reason.error, err, options);
    shutdown.abort(reason.kind === 'failure' ? reason.error : new LaunchError(`stopped by ${reason.signal}`));
  };

  supervisor.onUnexpectedExit((child) => requestStop({ kind: 'failure', error: new ChildExitedError(child) }));
  const removeSignalHandlers = handleStopSignals(supervisor, requestStop, say);
  let lock: DataDirLock | undefined;
  const killLeftovers = () => {
    supervisor.killAllNow();
    lock?.release();
  };
  process.on('exit', killLeftovers);

  // Every child's output goes to its own file under .data/logs/; the terminal shows the
  // scenario runner's lines, what went to stderr and errors, and everything with --verbose.
  const logs = new ChildLogs(paths.logsDir);
  const show = (line: OutputLine) => {
    logs.write(line);
    if (showsInTerminal(line, options.verbose ? 'verbose' : 'quiet')) out.child(line.source, line.text);
  };

  try {
    const plans = planServices(environment.env, paths);
    const readerPlan = planCardReader(environment.env, paths, plans);
    if (environment.env.DATABASE_URL) {
      say('note: DATABASE_URL is ignored; give each service its own <SERVICE>_DATABASE_URL (e.g. TAX_AGENCY_DATABASE_URL)');
    }
    lock = await lockDataDir(paths.dataDir, paths.root, say);
    const heldLock = lock;
    supervisor.onSpawn((child) => child.pid !== undefined && heldLock.recordChild(child.pid));
    // Checked before --fresh wipes anything: a run that cannot start keeps its state.
    const redisPlan = planRedis(environment.env);
    await checkServicesCanStart(plans, paths, readerPlan);
    if (options.fresh) {
      wipeDataDir(paths.dataDir);
      say(`--fresh: wiped ${path.relative(paths.root, paths.dataDir)}/`);
    }

    const embeddedCount = plans.filter((plan) => plan.database.kind === 'embedded').length;
    say(`starting Redis and ${embeddedCount} embedded database${embeddedCount === 1 ? '' : 's'}…`);
    const [redis, databaseUrls] = await allOrStop(
      [
        provideRedis(redisPlan, supervisor, {
          dataDir: path.join(paths.dataDir, 'redis'),
          deadline,
          signal: shutdown.signal,
          onLine: show,
        }),
        initialiseDataDirs(supervisor, embeddedDirs(plans), {
          templateDir: path.join(paths.dataDir, '.pgdata-template'),
          deadline,
          signal: shutdown.signal,
          onLine: show,
        }).then((created) => {
          if (created > 0) say(`created ${created} embedded database${created === 1 ? '' : 's'} from a fresh template after ${elapsed()}`);
          return allOrStop(
            plans.map((plan) => provideDatabase(plan, supervisor, deadline, shutdown.signal, show)),
            requestStop,
          );
        }),
      ] as const,
      requestStop,
    );
    say(`Redis and databases ready after ${elapsed()}`);
    const access =
      redis.origin === 'local' ? await secureLocalRedis(redis.url, redisPrefix(environment.env)) : await provisionExternalRedis(redis.url, redisPrefix(environment.env));
    say(access.shared ? `note: ${access.shared}` : 'Redis: each service connects as its own user, limited to its own lanes');

    const services: ServiceEndpoint[] = plans.map((plan, index) => ({ plan, databaseUrl: databaseUrls[index], url: serviceUrl(plan) }));
    // Another host name than the services' (localhost): cookies are kept per host, not per port, so the portal's never reach the reader.
    const cardReaderUrl = `http://127.0.0.1:${readerPlan.port}`;
    const context: LaunchContext = {
      options,
      paths,
      services,
      redisUrl: access.adminUrl,
      serviceRedisUrls: access.serviceUrls,
      cardReaderUrl,
      signal: shutdown.signal,
      supervisor,
      show,
      log: say,
      detail,
      closing: {},
    };
    await runSteps(environment.steps.beforeServices, context);

    say('starting services…');
    const codeIssuerUrl = `http://127.0.0.1:${plans.find((plan) => plan.name === CODE_ISSUER)!.port}`;
    const exchangeHubUrl = `http://127.0.0.1:${plans.find((plan) => plan.name === EXCHANGE_HUB)!.port}`;
    await allOrStop(
      services.map(async ({ plan, databaseUrl }) => {
        const runtime = { databaseUrl, redisUrl: access.serviceUrls[plan.name], codeIssuerUrl, cardReaderUrl, exchangeHubUrl };
        const child = startService(supervisor, plan, runtime, paths, environment.env, show);
        await waitForService(child, plan, deadline, shutdown.signal);
        say(`✓ ${plan.name} healthy after ${elapsed()}`);
      }),
      requestStop,
    );
    const portalUrl = services.find(({ plan }) => plan.name === MYNA_PORTAL)!.url;
    const reader = startCardReader(supervisor, readerPlan, portalUrl, paths, environment.env, show);
    await waitForService(reader, { name: CARD_READER, port: readerPlan.port }, deadline, shutdown.signal);
    say(`✓ card reader healthy at ${cardReaderUrl} (the citizen's device: it holds the demo's cards)`);
    healthy = true;
    say(`all ${services.length} services healthy after ${elapsed()}`);
    for (const line of summaryLines(services, redis, paths.root)) say(line);
    say(mixRoundLine(environment.env));

    await runSteps(environment.steps.afterHealthy, context);
    if (!options.once) {
      const where = { portalUrl, cardReaderUrl, logsDir: path.relative(paths.root, logs.dir) };
      for (const line of closingLines(context.closing, where)) say(line);
      await untilAborted(shutdown.signal);
    }
  } catch (error) {
    if (!stopReason) requestStop({ kind: 'failure', error });
  } finally {
    await stopEverything(supervisor, say);
    // Only now: a signal during the teardown must not kill the launcher mid-way.
    removeSignalHandlers();
    logs.close();
    lock?.release();
    process.off('exit', killLeftovers);
  }

  if (stopReason?.kind === 'failure') return 1;
  if (stopReason?.kind === 'signal') return healthy ? 0 : 128 + (SIGNAL_NUMBERS[stopReason.signal] ?? 0);
  return 0; // --once, all healthy
}

function embeddedDirs(plans: readonly ServicePlan[]): string[] {
  return plans.flatMap((plan) => (plan.database.kind === 'embedded' ? [plan.database.dataDir] : []));
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

async function provideDatabase(
  plan: ServicePlan,
  supervisor: Supervisor,
  deadline: number,
  signal: AbortSignal,
  onLine: (line: OutputLine) => void,
): Promise<string> {
  if (plan.database.kind === 'external') return plan.database.url;
  const database: EmbeddedPostgres = await startEmbeddedPostgres(supervisor, {
    name: `${plan.name}-db`,
    dataDir: plan.database.dataDir,
    deadline,
    signal,
    onLine,
  });
  return database.url;
}

async function runSteps(steps: readonly LaunchStep[], context: LaunchContext): Promise<void> {
  for (const step of steps) {
    context.detail(`step: ${step.name}…`);
    await step.run(context);
  }
}

/**
 * Promise.all that, on the first failure, asks everything else to stop and waits
 * for the other starters to give up, so none spawns a child after teardown began.
 */
async function allOrStop<T extends readonly unknown[]>(
  promises: { [K in keyof T]: Promise<T[K]> },
  requestStop: (reason: StopReason) => void,
): Promise<T> {
  try {
    return (await Promise.all(promises)) as T;
  } catch (error) {
    requestStop({ kind: 'failure', error });
    await Promise.allSettled(promises);
    throw error;
  }
}

async function stopEverything(supervisor: Supervisor, say: (message: string) => void): Promise<void> {
  if (!supervisor.hasChildren) return;
  const stoppingAt = Date.now();
  say('stopping services, then databases, then Redis…');
  await supervisor.stopAll();
  const left = supervisor.livePids();
  if (left.length > 0) say(`warning: process groups still alive after stopping: ${left.join(', ')}`);
  else say(`everything stopped in ${((Date.now() - stoppingAt) / 1000).toFixed(1)} s`);
}

function handleStopSignals(supervisor: Supervisor, requestStop: (reason: StopReason) => void, say: (message: string) => void): () => void {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      say(`${signal}: stopping (send it again to kill everything at once)`);
      requestStop({ kind: 'signal', signal });
    } else if (Date.now() - firstAt > FORCE_AFTER_MS) {
      say(`${signal} again: killing everything`);
      supervisor.killAllNow();
      process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 0));
    }
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  };
}

function reportFailure(error: unknown, err: PrefixedOutput, options: LaunchOptions): void {
  const problem = (message: string) => err.lines('launcher', message);
  if (!(error instanceof LaunchError)) {
    problem(`✗ unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return;
  }
  problem(`✗ ${error.message}`);
  for (const line of error.details) problem(`  ${line}`);
  if (error instanceof DeadlineMissedError) problem(`  (the deadline is ${options.timeoutSeconds} s; raise it with --timeout <seconds>)`);
  if (error.tail) {
    problem(error.tail.lines.length > 0 ? `  last output of ${error.tail.source}:` : `  ${error.tail.source} printed nothing`);
    for (const line of renderTail(error.tail.lines, error.tail.source)) problem(`    ${line}`);
  }
}
