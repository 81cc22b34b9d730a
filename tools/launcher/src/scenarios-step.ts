// After start-up: publish where the federation is (.data/federation.json, read by
// `npm run scenarios`), then play every scenario against it (tools/scenarios),
// print the summary, and where the portal is.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LaunchError, redisPrefix } from '@myna-tools/federation-host';
import { federationEnv, writeFederationFile, type FederationFile } from '@myna/protocol';
import type { LaunchContext, LaunchStep } from './steps';

/** What every tool reads (libs/protocol federation-file.ts). */
export function federationFile(context: Pick<LaunchContext, 'services' | 'redisUrl' | 'serviceRedisUrls' | 'paths' | 'cardReaderUrl'>, env: NodeJS.ProcessEnv, launcherPid = process.pid): FederationFile {
  return {
    format: 'myna/federation' as const,
    version: 1 as const,
    launcherPid,
    writtenAt: new Date().toISOString(),
    services: Object.fromEntries(context.services.map(({ plan, url, databaseUrl }) => [plan.name, { url, databaseUrl }])) as FederationFile['services'],
    redisUrl: context.redisUrl,
    redisPrefix: redisPrefix(env),
    /** Each service's own Redis user: an insider's credentials, for the scenarios that play one. */
    serviceRedisUrls: context.serviceRedisUrls,
    keysDir: context.paths.keysDir,
    cardReaderUrl: context.cardReaderUrl,
  };
}

/** Writes .data/federation.json, readable by its owner only: it holds the databases' URLs. */
export const publishFederationStep: LaunchStep = {
  name: 'publish the federation (.data/federation.json) for npm run scenarios',
  async run(context: LaunchContext): Promise<void> {
    writeFederationFile(context.paths.federationFile, federationFile(context, process.env));
  },
};

/** The runner's environment: the federation given by URLs, as docker compose gives it. */
export function scenarioRunnerEnv(context: Pick<LaunchContext, 'services' | 'redisUrl' | 'serviceRedisUrls' | 'paths' | 'cardReaderUrl'>, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    TS_NODE_PROJECT: path.join(context.paths.root, 'tsconfig.runtime.json'),
    ...federationEnv(federationFile(context, env)),
    SCENARIO_KEYS_DIR: context.paths.keysDir,
  };
}

/** Where the runner writes its interactive report (reports/index.html, or under SCENARIO_REPORT_DIR). */
export function scenarioReportPage(root: string, env: NodeJS.ProcessEnv): string {
  return path.resolve(root, env.SCENARIO_REPORT_DIR?.trim() || 'reports', 'index.html');
}

/**
 * Plays every scenario (tools/scenarios) as a child and prints its one-line
 * summaries; the full trace goes to reports/scenarios.md. A failing scenario
 * does not stop the demo. Skipped with --once (a health smoke test) and with
 * MYNA_DEMO_SCENARIOS=off (`npm run scenarios` sets it when it starts the demo).
 */
export const playScenariosStep: LaunchStep = {
  name: 'scenarios',
  async run(context: LaunchContext): Promise<void> {
    if (context.options.once || process.env.MYNA_DEMO_SCENARIOS === 'off') {
      context.log(`scenarios: not played (${context.options.once ? '--once' : 'MYNA_DEMO_SCENARIOS=off'}); run them with npm run scenarios`);
      return;
    }
    const entry = path.join(context.paths.root, 'dist', 'tools', 'scenarios', 'src', 'main.js');
    if (!fs.existsSync(entry)) throw new LaunchError(`the scenario runner is not built (${entry}); run npm run build`);
    const runner = context.supervisor.spawn({
      name: 'scenarios',
      tier: 'service',
      command: process.execPath,
      args: ['-r', 'tsconfig-paths/register', entry, '--summary'],
      cwd: context.paths.root,
      env: scenarioRunnerEnv(context, process.env),
    });
    runner.onLine(context.show);
    const exit = await runner.exited;
    if (context.signal.aborted) return;
    // The runner has printed its summary and the reports' paths; a failure is worth one more line.
    if (exit.code !== 0) context.log(`✗ the scenarios ${runner.describeExit()}: see reports/scenarios.md; the federation keeps running`);
    const page = scenarioReportPage(context.paths.root, process.env);
    const relative = (file: string) => path.relative(context.paths.root, file) || file;
    context.closing.reports = { markdown: relative(path.join(path.dirname(page), 'scenarios.md')), page: fs.existsSync(page) ? relative(page) : undefined };
  },
};
