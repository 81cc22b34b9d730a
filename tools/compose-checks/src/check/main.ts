// Entry point of `npm run compose:check`: docker-compose.yml booted for real, on
// base images made from Debian's packages, checked, and removed (see check-args.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findFreePort } from '@myna-tools/federation-host';
import { ENDPOINTS, portVariable } from '@myna/protocol';
import { ROOT } from '../compose-model';
import { parseCheckArgs, USAGE } from './check-args';
import { available, seconds, tail } from './commands';
import { LONG_RUNNING_SERVICES, ComposeProject } from './compose-project';
import { checkIsolation, checkProduction, type Check } from './container-checks';
import { connectOrStartEngine, type DockerEngine } from './docker-engine';
import { buildFederationImage } from './federation-image';
import { buildStandIns, type StandInBuilt } from './stand-in-images';

const PROJECT = 'myna-compose-check';
const CHECK_IMAGE = 'myna-exchange:compose-check';
const USER_IMAGE = 'myna-exchange:local';
const REPORT_DIR = path.join(ROOT, 'reports', 'compose-check');
/** HUB_MIX_ROUND_SECONDS for the run. */
const CHECK_MIX_ROUND_SECONDS = '2';

const out = (text: string) => process.stdout.write(`${text}\n`);
const log = (text: string) => out(`compose:check: ${text}`);

class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted (${signal})`);
  }
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
const FROM: Record<StandInBuilt['from'], string> = {
  image: 'already in the engine',
  rootfs: 'imported from the cached root file systems',
  debian: "made from Debian's packages now",
};

async function timed<T>(times: Map<string, number>, step: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    times.set(step, Date.now() - started);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCheckArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`compose:check: ${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  const { options } = parsed;
  if (options.help) {
    out(USAGE);
    return 0;
  }

  const controller = new AbortController();
  const { signal } = controller;
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (received: NodeJS.Signals) => {
    if (interrupted) return log(`${received}: still cleaning up, please wait`);
    interrupted = received;
    log(`${received}: stopping, then cleaning up`);
    controller.abort(new Interrupted(received));
  };
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, onSignal);

  const started = Date.now();
  const times = new Map<string, number>();
  const checks: Check[] = [];
  let engine: DockerEngine | undefined;
  let project: ComposeProject | undefined;
  let standIns: StandInBuilt[] = [];
  let appImage: { tag: string; sizeBytes: number } | undefined;
  let scenarioLine = '';
  let reportsWritten = false;
  let failure: unknown;
  const leftBehind: string[] = [];

  try {
    if (!(await available('docker-compose'))) throw new Error('docker-compose is not installed (apt-get install docker-compose)');
    // --images builds into an engine that stays: one started for the run would take them with it.
    engine = await connectOrStartEngine(log, signal, { mayStart: !options.imagesOnly });
    log(`engine: ${engine.description}`);
    const activeEngine = engine;

    standIns = await timed(times, 'base images', () => buildStandIns(activeEngine, { rebuild: options.rebuildStandIns, log, signal }));
    for (const built of standIns) log(`base image ${built.standIn.tag}: ${built.version}, ${megabytes(built.sizeBytes)} (${FROM[built.from]})`);
    const images = Object.fromEntries(standIns.map((built) => [built.standIn.variable, built.standIn.tag]));

    appImage = await timed(times, 'app image', () =>
      buildFederationImage(activeEngine, { tag: options.imagesOnly ? USER_IMAGE : CHECK_IMAGE, nodeImage: images.NODE_IMAGE, signal, log }),
    );
    log(`federation image ${appImage.tag}: ${megabytes(appImage.sizeBytes)}`);
    const activeImage = appImage;

    if (options.imagesOnly) {
      // Every compose command reads the file's images, so they go where compose reads them each time.
      out('');
      out('Name them for docker compose in .env, next to docker-compose.yml (every compose command reads it):');
      for (const [variable, tag] of Object.entries(images)) out(`  ${variable}=${tag}`);
      out('then run it as the README says: docker compose up -d (the federation\'s image, myna-exchange:local, is there: compose does not build it).');
      return 0;
    }

    const portVariables = ENDPOINTS.map(portVariable);
    const ports = Object.fromEntries(await Promise.all(portVariables.map(async (variable) => [variable, String(await findFreePort())])));
    // The hub's mix at short rounds, so that the scenarios' exchanges settle in seconds (the file's default, 45 s, would take CI past its budget).
    project = new ComposeProject(activeEngine, PROJECT, { ...images, MYNA_EXCHANGE_IMAGE: appImage.tag, ...ports, HUB_MIX_ROUND_SECONDS: CHECK_MIX_ROUND_SECONDS });
    const activeProject = project;
    // A run that was killed outright may have left the project on a running engine.
    if (!activeEngine.startedHere) await activeProject.down();

    await timed(times, 'boot to all-healthy', async () => {
      log(`docker-compose up -d (project ${PROJECT}), then waiting for every container to be healthy`);
      await activeProject.composeOk(['up', '--detach', '--no-build'], { signal, timeoutMs: 600_000 });
      await activeProject.waitHealthy({ timeoutMs: 300_000, signal });
    });
    await activeEngine.rememberNetworks();
    log(`all ${LONG_RUNNING_SERVICES.length} long-running containers healthy, the key ceremony and the demo cards done, in ${seconds(times.get('boot to all-healthy')!)}`);

    mkdirSync(REPORT_DIR, { recursive: true });
    const scenarioLog = path.join(REPORT_DIR, 'scenarios.log');
    writeFileSync(scenarioLog, '');
    const scenarioRun = await timed(times, 'scenarios', async () => {
      log(`docker-compose run --rm scenarios${options.scenarios.length ? ` ${options.scenarios.join(' ')}` : ''} (full output: ${path.relative(ROOT, scenarioLog)})`);
      return activeProject.runScenarios(options.scenarios, { signal, timeoutMs: 900_000, logFile: scenarioLog });
    });
    scenarioLine = `the runner exited with ${scenarioRun.code}`;
    const summaryAt = scenarioRun.stdout.lastIndexOf('\nScenarios:');
    out(summaryAt >= 0 ? scenarioRun.stdout.slice(summaryAt + 1).trimEnd() : tail(`${scenarioRun.stdout}${scenarioRun.stderr}`, 30));
    const reportJson = await activeProject.runInScenariosContainer(['cat', '/reports/scenarios.json'], { signal, timeoutMs: 120_000 });
    writeFileSync(path.join(REPORT_DIR, 'scenarios.json'), reportJson);
    reportsWritten = true;
    writeFileSync(path.join(REPORT_DIR, 'scenarios.md'), await activeProject.runInScenariosContainer(['cat', '/reports/scenarios.md'], { signal, timeoutMs: 120_000 }));
    const report = JSON.parse(reportJson) as {
      summary: { total: number; passed: number; verdict: string };
      scenarios: { name: string; verdict: string }[];
      notPlayed?: { name: string; reason: string }[];
    };
    const listed = options.scenarios.length
      ? options.scenarios.length
      : (await activeProject.runInScenariosContainer(['node', '-r', 'tsconfig-paths/register', 'dist/tools/scenarios/src/main.js', '--list'], { signal, timeoutMs: 120_000 }))
          .split('\n')
          .filter((line) => line.trim()).length;
    // A scenario containers cannot play (it must kill a process the runner cannot start there) is
    // named with its reason and counted apart: never as a PASS.
    const notPlayed = report.notPlayed ?? [];
    scenarioLine = `${report.summary.passed} of ${report.summary.total} PASS inside the containers${notPlayed.length ? `; not played there: ${notPlayed.map((left) => left.name).join(', ')}` : ''}`;
    checks.push({
      group: 'production',
      statement: `every scenario the containers can play passes inside them (${listed} known to the runner)`,
      holds:
        scenarioRun.code === 0 &&
        report.summary.verdict === 'PASS' &&
        report.summary.total + notPlayed.length === listed &&
        report.scenarios.every((scenario) => scenario.verdict === 'PASS'),
      detail:
        `runner exit ${scenarioRun.code}; ${report.summary.passed} of ${report.summary.total} PASS; failed: ${report.scenarios.filter((scenario) => scenario.verdict !== 'PASS').map((scenario) => scenario.name).join(', ') || 'none'}` +
        (notPlayed.length ? `; not played: ${notPlayed.map((left) => `${left.name} (${left.reason})`).join('; ')}` : ''),
    });

    await timed(times, 'checks', async () => {
      const [running, all] = await Promise.all([activeProject.serviceContainers(), activeProject.containers()]);
      const [isolation, production] = await Promise.all([checkIsolation(activeProject, running), checkProduction(activeProject, activeImage.tag, all)]);
      checks.push(...isolation, ...production);
    });
    out('');
    for (const check of checks) out(`  ${check.holds ? '✓' : '✗'} ${check.statement}: ${check.detail}`);
  } catch (error) {
    failure = signal.aborted ? signal.reason : error;
  } finally {
    const cleanupStarted = Date.now();
    if (project) {
      log('docker-compose down -v');
      leftBehind.push(...(await project.down()));
    }
    if (engine?.startedHere) {
      log('stopping the engine started for this run, and removing what it made');
      leftBehind.push(...(await engine.stop()));
    }
    times.set('cleanup', Date.now() - cleanupStarted);
  }

  const failed = checks.filter((check) => !check.holds);
  const passed = failure === undefined && failed.length === 0 && leftBehind.length === 0;
  const verdict = interrupted ? `INTERRUPTED (${interrupted})` : passed ? 'PASS' : 'FAIL';
  const row = (label: string, text: string) => out(`  ${label.padEnd(20)}${text}`);
  const timeOf = (step: string) => (times.has(step) ? seconds(times.get(step)!).padStart(8) : '       –');
  out('');
  out(`compose:check ${verdict}: docker-compose.yml booted for real${engine ? ` on ${engine.startedHere ? 'an engine started for the run' : 'the running engine'}` : ''}`);
  if (engine) row('engine', `dockerd ${engine.version}`);
  if (standIns.length) row('base images', `${timeOf('base images')}   ${standIns.map((built) => `${built.standIn.name} ${built.version.replace(/^postgres \(PostgreSQL\) /, '').replace(/^Redis server v=(\S+).*/, '$1')}`).join(', ')} (${[...new Set(standIns.map((built) => FROM[built.from]))].join('; ')})`);
  if (appImage) row('app image', `${timeOf('app image')}   compiled and pruned on this machine, built with no network`);
  if (times.has('boot to all-healthy')) row('boot to all-healthy', `${timeOf('boot to all-healthy')}   docker-compose up -d until ${LONG_RUNNING_SERVICES.length} containers are healthy`);
  if (times.has('scenarios')) row('scenarios', `${timeOf('scenarios')}   ${scenarioLine || 'did not finish'} (hub mix rounds of ${CHECK_MIX_ROUND_SECONDS} s)`);
  if (checks.length) row('checks', `${timeOf('checks')}   ${checks.length - failed.length} of ${checks.length} hold${failed.length ? `; broken: ${failed.map((check) => check.statement).join('; ')}` : ''}`);
  if (appImage || standIns.length) {
    row('image sizes', [...(appImage ? [`${appImage.tag} ${megabytes(appImage.sizeBytes)}`] : []), ...standIns.map((built) => `${built.standIn.tag} ${megabytes(built.sizeBytes)}`)].join(', '));
  }
  row('total', `${seconds(Date.now() - started).padStart(8)}`);
  row('cleanup', `${timeOf('cleanup')}   ${leftBehind.length ? `LEFT BEHIND: ${leftBehind.join(', ')}` : `${project ? 'docker-compose down -v; ' : ''}${engine?.startedHere ? 'engine stopped and removed; ' : ''}nothing left behind`}`);
  if (failure !== undefined && !(failure instanceof Interrupted)) out(`\n${failure instanceof Error ? failure.message : String(failure)}`);
  if (reportsWritten) row('reports', `${path.relative(ROOT, REPORT_DIR)}/scenarios.{md,json,log}`);
  if (interrupted) return interrupted === 'SIGINT' ? 130 : interrupted === 'SIGTERM' ? 143 : 129;
  return passed ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`compose:check: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
