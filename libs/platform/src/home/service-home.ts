import { createHash } from 'node:crypto';
import { html } from '../http/html';

/** What a service's front page names. */
export interface ServiceHomeFacts {
  name: string;
  title: string;
  description: string;
}

const HOME_CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d2433}code{background:#eef2f8;padding:0 .2em}li{margin:.25rem 0}`;

/** The page's only style, allowed by its hash: the CSP stays `default-src 'none'`. */
const HOME_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(HOME_CSS).digest('base64')}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

export const SERVICE_HOME_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': HOME_CSP,
  'cache-control': 'no-cache',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/**
 * A service's front page, one screen: which service this is and where its API
 * is described. Nothing about anyone: it is public, like /docs.
 */
export function serviceHomePage(service: ServiceHomeFacts): string {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${service.name} · myna-exchange</title><style>${HOME_CSS}</style></head>
<body>
<h1>${service.title}</h1>
<p><code>${service.name}</code>, a service of the myna-exchange simulator. ${service.description}</p>
<ul>
  <li><a href="/docs">API documentation</a> (OpenAPI; operators press <strong>Authorize</strong> with their client credentials)</li>
  <li><a href="/docs-json">OpenAPI document</a> (JSON)</li>
  <li><a href="/health">Health</a>: this service, its own database and Redis</li>
</ul>
<p>Every route but these, the token endpoint and the ones the documentation marks public needs a caller it names.</p>
</body>
</html>
`.markup;
}
