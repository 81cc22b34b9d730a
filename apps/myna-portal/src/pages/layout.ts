import { html, JAPANESE_FONT_STYLESHEET_PATH, type SafeHtml } from '@myna/platform';
import type { CardHolder } from '../sessions/session.service';

/** A signed-in citizen's page: its forms carry the session's CSRF token; the header shows who is signed in. */
export interface PageSession {
  csrf: string;
  holder?: CardHolder;
}

export interface PageOptions {
  title: string;
  /** Which navigation entry is the current page, when signed in. */
  current?: 'records' | 'my-information';
  session?: PageSession;
  body: SafeHtml;
  scripts?: readonly string[];
}

/** The frame of every portal page. No inline script or style: the CSP allows only the portal's own files. */
export function layout(options: PageOptions): string {
  const link = (href: string, key: PageOptions['current'], label: string) =>
    html`<a href="${href}"${options.current === key ? html` aria-current="page"` : ''}>${label}</a>`;
  const holder = options.session?.holder;
  const signedIn = holder
    ? html`<p class="holder" id="signed-in-as">${holder.photo ? html`<img src="${holder.photo}" alt="" width="36" height="48">` : ''}<span>Signed in as <strong>${holder.name}</strong></span></p>`
    : '';
  const navigation = options.session
    ? html`<nav aria-label="Main">
        ${link('/records', 'records', 'My exchange records (情報提供等記録)')}
        ${link('/my-information', 'my-information', 'My information (自己情報)')}
        <form method="post" action="/logout" class="sign-out">${csrfField(options.session.csrf)}<button type="submit">Sign out</button></form>
      </nav>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · MynaPortal</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${JAPANESE_FONT_STYLESHEET_PATH}">
<link rel="stylesheet" href="/assets/portal.css">
</head>
<body>
<header class="site-header">
  <a class="brand" href="/">MynaPortal <span lang="ja">(マイナポータル)</span></a>
  ${navigation}
  ${signedIn}
</header>
<main id="main">
${options.body}
</main>
<footer class="site-footer">
  <p>A simulator of Japan's My Number system, for study. Every person and record here is made up.</p>
</footer>
${(options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</body>
</html>
`.markup;
}

/** The hidden field every form of a signed-in page carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${token}">`;
}
