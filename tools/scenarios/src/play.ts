// Plays the scenarios: find or start the federation, run them, write the reports.
// Loaded by main.ts once the command line is known to be good.
import path from 'node:path';
import { SERVICES, EXCHANGE_HUB, redactUrl } from '@myna/protocol';
import type { ScenarioOptions } from './cli/scenario-args';
import { findRunningDemo, findWorkspaceRoot, startEmbeddedDemo, workspaceLayout, type EmbeddedDemo } from './federation/embedded-demo';
import { openFederation } from './federation/federation-resources';
import { targetFromEnv, type FederationTarget } from './federation/federation-target';
import { buildReport, reportFileNames, writeReports, type NotPlayed } from './report/scenario-report';
import { ConsoleNarrator } from './runner/console-narrator';
import { runScenarios } from './runner/run-scenarios';
import { SCENARIOS, scenariosNamed } from './scenarios';

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

/** Returns the exit code: 0 every scenario passed, 1 one failed or the federation is down, 2 the environment is incomplete. */
export async function playScenarios(options: ScenarioOptions): Promise<number> {
  if (options.list) {
    for (const scenario of SCENARIOS) out(`${scenario.name.padEnd(28)} ${scenario.proves}\n`);
    return 0;
  }

  const layout = workspaceLayout(findWorkspaceRoot(__dirname));
  const keysDir = options.keysDir ?? (process.env.SCENARIO_KEYS_DIR?.trim() || undefined);
  const fromEnv = targetFromEnv(process.env, path.resolve(keysDir ?? path.join(layout.dataDir, 'keys')));
  if (fromEnv.kind === 'invalid') {
    err(`scenarios: the federation in the environment is incomplete:\n${fromEnv.problems.map((problem) => `  ${problem}`).join('\n')}\n`);
    return 2;
  }

  let target: FederationTarget | undefined = fromEnv.kind === 'target' ? fromEnv.target : await findRunningDemo(layout, keysDir && path.resolve(keysDir));
  let demo: EmbeddedDemo | undefined;
  if (!target) {
    out('scenarios: no federation is running; starting the embedded demo for this run (npm run demo)…\n');
    demo = await startEmbeddedDemo(layout, { keysDir: keysDir && path.resolve(keysDir), onLine: options.verbose ? (line) => out(`  demo │ ${line}\n`) : undefined });
    target = demo.target;
  }
  const stopDemo = async () => {
    if (demo) {
      out('scenarios: stopping the embedded demo…\n');
      await demo.stop();
      demo = undefined;
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    err(`scenarios: ${signal}: stopping\n`);
    void stopDemo().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const resources = openFederation(target);
  try {
    const client = resources.federation;
    const down = (await Promise.all(SERVICES.map(async (service) => ((await client.healthy(service)) ? undefined : service)))).filter(Boolean);
    if (down.length > 0) {
      err(`scenarios: not answering /health: ${down.map((service) => `${service} (${redactUrl(target!.urls[service!])})`).join(', ')}\n`);
      return 1;
    }
    out(`scenarios: against ${target.mode === 'given' ? 'the federation given by the environment' : target.mode === 'running-demo' ? 'the running demo' : 'the embedded demo'}: ` +
      `exchange-hub ${redactUrl(target.urls[EXCHANGE_HUB])}, Redis prefix ${target.redisPrefix}, keys ${target.keysDir}\n`);

    const startedAt = new Date();
    const narrator = new ConsoleNarrator({ write: out, detail: options.summary ? 'summary' : 'trace', color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });
    // A full run leaves out what this run mode cannot play, and names it; a scenario named on the command line is played.
    const chosen = scenariosNamed(options.names);
    const notPlayed: NotPlayed[] = [];
    const playable: typeof chosen = [];
    for (const scenario of chosen) {
      const reason = options.names.length === 0 ? await scenario.unavailable?.(resources) : undefined;
      if (reason) notPlayed.push({ name: scenario.name, reason });
      else playable.push(scenario);
    }
    const results = await runScenarios(playable, resources, { observer: narrator, scenarioTimeoutMs: options.scenarioTimeoutSeconds * 1000 });
    const report = buildReport(results, target, startedAt, new Date(), notPlayed);
    const reportDir = options.reportDir ?? (process.env.SCENARIO_REPORT_DIR?.trim() || path.join(layout.root, 'reports'));
    const fileNames = reportFileNames(options.names, SCENARIOS.map((scenario) => scenario.name));
    const reports = await writeReports(path.resolve(reportDir), report, fileNames);
    const relative = (file: string) => path.relative(process.cwd(), file) || file;
    narrator.summary(results, { json: relative(reports.json), markdown: relative(reports.markdown), html: relative(reports.html) }, notPlayed);
    return report.summary.verdict === 'PASS' ? 0 : 1;
  } finally {
    await resources.close();
    await stopDemo();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
