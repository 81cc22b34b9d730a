import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Response } from 'express';

/** What a page's own files say of themselves; the CSP of the pages that use them allows them from this origin only. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
};

/**
 * A site's web assets (stylesheets, scripts, icons): real files in an `assets/`
 * folder beside the code that serves them, linted as what they are, and copied
 * beside the compiled code by the build (tools/run-compiled). Each is checked
 * when the site starts, so a build that left one out does not start. Served with
 * an ETag and `no-cache`: a browser asks again each time and gets a 304 while the
 * file is unchanged.
 */
export class StaticAssets {
  private readonly files: ReadonlyMap<string, string>;

  constructor(directory: string, names: readonly string[]) {
    this.files = new Map(
      names.map((name) => {
        const file = path.join(directory, name);
        if (!CONTENT_TYPES[path.extname(name)]) throw new Error(`${name}: no content type for this kind of asset`);
        if (!existsSync(file)) throw new Error(`the web asset ${file} is missing (the build copies src/**/assets/ beside the compiled code)`);
        return [name, file] as const;
      }),
    );
  }

  /** Where the named asset is on disk. */
  pathOf(name: string): string {
    const file = this.files.get(name);
    if (!file) throw new Error(`no web asset named ${name}`);
    return file;
  }

  /** Sends the named asset (express's sendFile: ETag, Last-Modified, 304 on a match). */
  send(response: Response, name: string): void {
    const file = this.pathOf(name);
    response.sendFile(
      file,
      { cacheControl: false, headers: { 'content-type': CONTENT_TYPES[path.extname(name)], 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' } },
      (error) => {
        if (error && !response.headersSent) response.status(404).end();
      },
    );
  }
}
