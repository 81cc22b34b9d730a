// Starts the compiled services and waits for each one's /health.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cardReaderEnv, CardReaderPlan, DeadlineMissedError, isPortFree, LaunchError, ManagedProcess, OutputLine, serviceEntry, serviceEnv, ServicePlan, ServiceRuntime, Supervisor, waitForHealthy, whileRunning } from '@myna-tools/federation-host';
import { CARD_READER, portVariable, type DemoLayout } from '@myna/protocol';

export function serviceUrl(plan: ServicePlan): string {
  return `http://localhost:${plan.port}`;
}

/** Fails before anything starts if a build is missing or a port is taken (a stale demo would answer /health). */
export async function checkServicesCanStart(plans: readonly ServicePlan[], paths: DemoLayout, reader: CardReaderPlan): Promise<void> {
  const missing = [...plans.map((plan) => serviceEntry(plan.name, paths)), cardReaderEntry(paths)].filter((entry) => !fs.existsSync(entry));
  if (missing.length > 0) {
    throw new LaunchError('some services are not built; run `npm run build` (npm run demo does it for you)', {
      details: missing.map((entry) => `missing ${entry}`),
    });
  }
  const taken: string[] = [];
  for (const plan of plans) {
    if (!(await isPortFree(plan.port))) {
      taken.push(`port ${plan.port} (${plan.name}) is in use: stop what listens there, or set ${portVariable(plan.name)}`);
    }
  }
  if (!(await isPortFree(reader.port))) taken.push(`port ${reader.port} (card reader) is in use: stop what listens there, or set ${portVariable(CARD_READER)}`);
  if (taken.length > 0) throw new LaunchError('ports are taken (is another demo still running?)', { details: taken });
}

export function cardReaderEntry(paths: DemoLayout): string {
  return path.join(paths.root, 'dist', 'tools', CARD_READER, 'src', 'main.js');
}

/** The demo's card reader: a process of its own, apart from the portal. */
export function startCardReader(
  supervisor: Supervisor,
  plan: CardReaderPlan,
  portalUrl: string,
  paths: DemoLayout,
  inheritedEnv: NodeJS.ProcessEnv,
  onLine: (line: OutputLine) => void,
): ManagedProcess {
  const child = supervisor.spawn({
    name: CARD_READER,
    tier: 'service',
    command: process.execPath,
    args: ['-r', 'tsconfig-paths/register', cardReaderEntry(paths)],
    cwd: paths.root,
    env: cardReaderEnv(plan, portalUrl, paths, inheritedEnv),
  });
  child.onLine(onLine);
  return child;
}

export function startService(
  supervisor: Supervisor,
  plan: ServicePlan,
  runtime: ServiceRuntime,
  paths: DemoLayout,
  inheritedEnv: NodeJS.ProcessEnv,
  onLine: (line: OutputLine) => void,
): ManagedProcess {
  const child = supervisor.spawn({
    name: plan.name,
    tier: 'service',
    command: process.execPath,
    args: ['-r', 'tsconfig-paths/register', serviceEntry(plan.name, paths)],
    cwd: paths.root,
    env: serviceEnv(plan, runtime, paths, inheritedEnv),
  });
  child.onLine(onLine);
  return child;
}

/** Resolves when the service answers /health with 200; rejects if it dies or the deadline passes. */
export async function waitForService(child: ManagedProcess, plan: Pick<ServicePlan, 'port'> & { name: string }, deadline: number, signal: AbortSignal): Promise<void> {
  try {
    await whileRunning(child, signal, (local) =>
      waitForHealthy(`http://127.0.0.1:${plan.port}/health`, plan.name, { deadline, signal: local }),
    );
  } catch (error) {
    // A missed deadline is explained by what the service said last.
    if (error instanceof DeadlineMissedError)
      throw new DeadlineMissedError(error.message, { tail: { source: child.name, lines: child.tail() } });
    throw error;
  }
  child.markReady();
}
