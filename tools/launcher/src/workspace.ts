// Where the workspace is: found from this file's location, so the launcher works
// both from its sources (tests) and from dist/ (npm run demo).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WorkspacePaths {
  root: string;
  /** All demo state: embedded databases, Redis's AOF, keys. */
  dataDir: string;
}

export function workspacePaths(root: string): WorkspacePaths {
  return { root, dataDir: path.join(root, '.data') };
}

export function findWorkspaceRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'nx.json')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Nx workspace (nx.json) above ${from}`);
  }
}
