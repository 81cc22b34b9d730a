#!/usr/bin/env node
// The npm scripts' entry (npm run demo, keys, seed, scenarios, soak, bench:exchange):
// compiles the workspace only when a source changed since the last build, then
// runs the compiled entry point in this same process, as `node -r
// tsconfig-paths/register dist/<entry>` would. So `--help` and a bad argument
// answer at once, and Ctrl-C reaches one process only.
//
//   node tools/run-compiled/run-compiled.js --build            compile now (npm run build)
//   node tools/run-compiled/run-compiled.js <entry.js> [args]  e.g. tools/seed/src/main.js, relative to dist/
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { builtFingerprint, copyAssets, forgetBuild, recordBuild, sourcesFingerprint } = require('./build-freshness');

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs tsc on tsconfig.build.json (incremental: it re-emits what changed), then copies the web assets; returns tsc's exit code. */
function build(reason) {
  const fingerprint = sourcesFingerprint(ROOT);
  const startedAt = Date.now();
  if (reason) process.stderr.write(`building dist/ (${reason})…\n`);
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    forgetBuild(ROOT);
    return result.status ?? 1;
  }
  copyAssets(ROOT, path.join(ROOT, 'dist'));
  // The fingerprint taken before compiling: a file saved during the build makes the next run build again.
  recordBuild(ROOT, fingerprint);
  if (reason) process.stderr.write(`built in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
  return 0;
}

function staleness(entry) {
  if (!fs.existsSync(entry)) return `${path.relative(ROOT, entry)} is not built yet`;
  const built = builtFingerprint(ROOT);
  if (built === undefined) return 'no record of the last build';
  if (built !== sourcesFingerprint(ROOT)) return 'the sources changed since the last build';
  return undefined;
}

function main(argv) {
  const [target, ...args] = argv;
  if (!target) {
    process.stderr.write('usage: node tools/run-compiled/run-compiled.js --build | <entry.js relative to dist/> [args…]\n');
    return 2;
  }
  if (target === '--build') return build(undefined);

  const entry = path.join(ROOT, 'dist', target);
  const reason = staleness(entry);
  if (reason) {
    const code = build(reason);
    if (code !== 0) return code;
  }
  // As `node -r tsconfig-paths/register <entry> args…`: @myna/* resolves into dist/libs, and the entry is require.main.
  process.env.TS_NODE_PROJECT = path.join(ROOT, 'tsconfig.runtime.json');
  require(require.resolve('tsconfig-paths/register', { paths: [ROOT] }));
  process.argv = [process.argv[0], entry, ...args];
  Module.runMain();
  return undefined;
}

const code = main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
