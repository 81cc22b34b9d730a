// Whether dist/ was compiled from the sources as they are now. Plain JavaScript:
// it runs before anything is built. The fingerprint is every compiled source's
// (and web asset's) path, size and modification time, so an edit, a new file or
// a deleted one all change it; reading it takes milliseconds, where asking tsc
// takes seconds.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** Folders that hold the compiled projects (tsconfig.build.json includes their src/). */
const SOURCE_ROOTS = ['apps', 'libs', 'tools'];
/** Settings that change what tsc emits. */
const SETTINGS_FILES = ['tsconfig.base.json', 'tsconfig.build.json'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.data', '__tests__', 'test-fixtures']);
const TEST_FILE = /\.(spec|integration-spec|e2e-spec)\.ts$/;
const STAMP_FILE = path.join('dist', '.sources-fingerprint');
// A site's web assets: every file but TypeScript in an assets/ folder under src/. The build copies them into dist/.
const isAsset = (relative) => !relative.endsWith('.ts') && relative.split(path.sep).slice(0, -1).includes('assets');

/** Every file tsc may compile or import (TypeScript and JSON under a src/ folder), and every web asset, relative to root, sorted. */
function sourceFiles(root) {
  const files = [];
  const walk = (relative, underSrc) => {
    let entries;
    try {
      entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(child, underSrc || entry.name === 'src');
      } else if (underSrc && (entry.name.endsWith('.ts') || entry.name.endsWith('.json') || isAsset(child)) && !TEST_FILE.test(entry.name)) {
        files.push(child);
      }
    }
  };
  for (const folder of SOURCE_ROOTS) walk(folder, false);
  return [...files.sort(), ...SETTINGS_FILES.filter((file) => fs.existsSync(path.join(root, file)))];
}

/** A digest of every source's path, size and modification time. */
function sourcesFingerprint(root) {
  const hash = createHash('sha256');
  for (const file of sourceFiles(root)) {
    const stat = fs.statSync(path.join(root, file));
    hash.update(`${file}\t${stat.size}\t${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** The fingerprint of the sources the last successful build compiled, if any. */
function builtFingerprint(root) {
  try {
    return fs.readFileSync(path.join(root, STAMP_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function recordBuild(root, fingerprint) {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, STAMP_FILE), `${fingerprint}\n`);
}

function forgetBuild(root) {
  fs.rmSync(path.join(root, STAMP_FILE), { force: true });
}

/** The web assets among the sources, relative to root. */
function assetFiles(root) {
  return sourceFiles(root).filter(isAsset);
}

/** Copies every web asset to the same place under outDir (dist/), beside the code compiled from its folder. */
function copyAssets(root, outDir) {
  for (const file of assetFiles(root)) {
    const target = path.join(outDir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(root, file), target);
  }
}

module.exports = { sourceFiles, assetFiles, copyAssets, sourcesFingerprint, builtFingerprint, recordBuild, forgetBuild, STAMP_FILE };
