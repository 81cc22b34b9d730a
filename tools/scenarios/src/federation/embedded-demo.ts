import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SERVICES, demoLayout, findWorkspaceRoot, readFederationFile, readLiveFederationFile, type DemoLayout } from '@myna/protocol';
import { FederationClient } from './federation-client';
import { operatorCredentialsDirOf } from './federation-target';
import { targetFromFederationFile } from './federation-file';
import type { FederationTarget } from './federation-target';

/** The demo's state: embedded databases, Redis, keys, and the published federation.json. */
export type WorkspaceLayout = DemoLayout;
export const workspaceLayout = demoLayout;
export { findWorkspaceRoot };

async function allHealthy(target: FederationTarget): Promise<boolean> {
  const client = new FederationClient(target.urls, operatorCredentialsDirOf(target));
  return (await Promise.all(SERVICES.map((service) => client.healthy(service)))).every(Boolean);
}

/** The demo running on this machine, if its launcher is alive and every service answers /health. */
export async function findRunningDemo(layout: WorkspaceLayout, keysDir?: string): Promise<FederationTarget | undefined> {
  const file = readLiveFederationFile(layout.federationFile);
  if (!file) return undefined;
  const target = targetFromFederationFile(file, 'running-demo', keysDir);
  return (await allHealthy(target)) ? target : undefined;
}

export interface EmbeddedDemo {
  target: FederationTarget;
  stop(): Promise<void>;
}

export interface EmbeddedDemoOptions {
  keysDir?: string;
  /** Where the demo's own output goes when verbose; otherwise only its last lines are shown, on failure. */
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

const TAIL_LINES = 40;
const PUBLISH_GRACE_MS = 15_000;

/**
 * Starts `npm run demo`'s launcher (already built) as a child, waits until it
 * publishes a fresh .data/federation.json and every service is healthy; stop()
 * sends it SIGTERM, upon which it stops everything it started. The demo is told
 * not to play the scenarios itself (MYNA_DEMO_SCENARIOS=off).
 */
export async function startEmbeddedDemo(layout: WorkspaceLayout, options: EmbeddedDemoOptions = {}): Promise<EmbeddedDemo> {
  const entry = path.join(layout.root, 'dist', 'tools', 'launcher', 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`the demo launcher is not built (${entry}); run npm run build`);
  const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', entry], {
    cwd: layout.root,
    env: { ...process.env, TS_NODE_PROJECT: path.join(layout.root, 'tsconfig.runtime.json'), MYNA_DEMO_SCENARIOS: 'off', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  let healthyAt: number | undefined;
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      if (/all \d+ services healthy/.test(line)) healthyAt ??= Date.now();
      options.onLine?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const stop = () => stopChild(child, exited);

  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the demo stopped before it was ready (${await exited}):\n${tail.join('\n')}`);
      }
      const file = readFederationFile(layout.federationFile);
      if (file && file.launcherPid === child.pid) {
        const target = targetFromFederationFile(file, 'embedded', options.keysDir);
        if (await allHealthy(target)) return { target, stop };
      } else if (healthyAt !== undefined && Date.now() - healthyAt > PUBLISH_GRACE_MS) {
        throw new Error(
          `the demo is healthy but did not publish ${layout.federationFile}: its launcher lacks the scenarios step (tools/scenarios/README.md, "Wiring")`,
        );
      }
      if (Date.now() > deadline) throw new Error(`the demo was not ready in time:\n${tail.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
