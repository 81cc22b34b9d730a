import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The workspace above `from` (tools run from their sources in tests and from
 * dist/ otherwise): the Nx workspace, else — in a container image, which has no
 * nx.json — the folder holding package.json and dist/, else the working directory.
 */
export function findWorkspaceRoot(from: string, cwd = process.cwd()): string {
  let packageRoot: string | undefined;
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      if (existsSync(path.join(dir, 'nx.json'))) return dir;
      packageRoot ??= existsSync(path.join(dir, 'dist')) ? dir : undefined;
    }
    if (path.dirname(dir) === dir) return packageRoot ?? cwd;
  }
}
