import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { StaticAssets } from './static-assets';

describe('StaticAssets', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'myna-assets-'));
    writeFileSync(path.join(directory, 'site.css'), 'body { margin: 0; }\n');
    writeFileSync(path.join(directory, 'site.js'), "(function () { 'use strict'; })();\n");
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  function app(assets: StaticAssets) {
    const site = express();
    site.get('/assets/:name', (req, res) => assets.send(res, req.params.name));
    return site;
  }

  it('serves each file as it is on disk, with its type, no-cache and an ETag; a browser holding it gets a 304', async () => {
    const site = app(new StaticAssets(directory, ['site.css', 'site.js']));
    const css = await request(site).get('/assets/site.css');
    expect({ status: css.status, body: css.text, type: css.headers['content-type'], cache: css.headers['cache-control'], sniff: css.headers['x-content-type-options'] }).toEqual({
      status: 200,
      body: 'body { margin: 0; }\n',
      type: 'text/css; charset=utf-8',
      cache: 'no-cache',
      sniff: 'nosniff',
    });
    const again = await request(site).get('/assets/site.css').set('if-none-match', css.headers.etag);
    expect({ status: again.status, body: again.text }).toEqual({ status: 304, body: '' });
    const js = await request(site).get('/assets/site.js');
    expect({ status: js.status, type: js.headers['content-type'] }).toEqual({ status: 200, type: 'text/javascript; charset=utf-8' });
  });

  it('refuses to start without one of its files, or with a kind of file it cannot type', () => {
    expect(() => new StaticAssets(directory, ['site.css', 'missing.js'])).toThrow(/missing\.js is missing/);
    writeFileSync(path.join(directory, 'page.html'), '<p>');
    expect(() => new StaticAssets(directory, ['page.html'])).toThrow(/no content type/);
  });

  it('serves only the files it was given', () => {
    expect(() => new StaticAssets(directory, ['site.css']).pathOf('site.js')).toThrow(/no web asset named site\.js/);
  });
});
