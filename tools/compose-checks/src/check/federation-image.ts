// The federation's image, from what is built on this machine: the Dockerfile's
// build stage (npm ci, npm run build, npm prune --omit=dev) done here instead of
// inside the build, which then needs no network. The Dockerfile's runtime-base
// stage is built as it is; docker/app/Dockerfile puts the compiled code and the
// production node_modules on it, as the Dockerfile's runtime stage does.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// tools/run-compiled is plain JavaScript outside every project: it runs before anything is built.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { copyAssets } from '../../../run-compiled/build-freshness';
import { DOCKERFILE, ROOT } from '../compose-model';
import { runOk, seconds } from './commands';
import type { DockerEngine } from './docker-engine';

/** What the Dockerfile's runtime stage copies from its build stage, in the same places. */
export const RUNTIME_FILES = ['package.json', 'package-lock.json', 'tsconfig.runtime.json'] as const;
export const APP_DOCKERFILE = path.join(ROOT, 'docker/app/Dockerfile');

export interface FederationImage {
  tag: string;
  sizeBytes: number;
}

export async function buildFederationImage(
  engine: DockerEngine,
  options: { tag: string; nodeImage: string; signal: AbortSignal; log: (line: string) => void },
): Promise<FederationImage> {
  const { env } = engine;
  const { signal } = options;
  const staging = mkdtempSync(path.join(tmpdir(), 'myna-federation-image-'));
  try {
    let lapStarted = Date.now();
    const lap = () => {
      const ms = Date.now() - lapStarted;
      lapStarted = Date.now();
      return seconds(ms);
    };
    // A fresh output folder: no file of an earlier build can stand in for a missing one.
    await runOk(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', path.join(staging, 'dist'), '--tsBuildInfoFile', path.join(staging, 'dist/.tsbuildinfo')], {
      cwd: ROOT,
      signal,
      timeoutMs: 600_000,
    });
    // As npm run build does: the pages' web assets beside the compiled code that serves them.
    copyAssets(ROOT, path.join(staging, 'dist'));
    options.log(`compiled the federation (tsc -p tsconfig.build.json, and the web assets) in ${lap()}`);
    for (const file of RUNTIME_FILES) copyFileSync(path.join(ROOT, file), path.join(staging, file));
    await runOk('cp', ['-a', path.join(ROOT, 'node_modules'), staging], { signal, timeoutMs: 600_000 });
    await runOk('npm', ['prune', '--omit=dev', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], { cwd: staging, signal, timeoutMs: 600_000 });

    options.log(`kept the production node_modules (npm prune --omit=dev, offline) in ${lap()}`);
    const base = `${options.tag.split(':')[0]}-runtime-base:${options.tag.split(':')[1] ?? 'latest'}`;
    await runOk('docker', ['build', '--quiet', '--network', 'none', '--file', DOCKERFILE, '--target', 'runtime-base', '--build-arg', `NODE_IMAGE=${options.nodeImage}`, '--tag', base, ROOT], {
      env,
      signal,
      timeoutMs: 600_000,
    });
    await runOk('docker', ['build', '--quiet', '--network', 'none', '--file', APP_DOCKERFILE, '--build-arg', `RUNTIME_BASE=${base}`, '--tag', options.tag, staging], {
      env,
      signal,
      timeoutMs: 600_000,
    });
    options.log(`built ${options.tag} on ${options.nodeImage} with no network in ${lap()}`);
    const size = await runOk('docker', ['image', 'inspect', '--format', '{{.Size}}', options.tag], { env });
    return { tag: options.tag, sizeBytes: Number(size.trim()) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
