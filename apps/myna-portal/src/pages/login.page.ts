import { html, type SafeHtml } from '@myna/platform';
import { layout } from './layout';

export interface LoginPageOptions {
  /** Whether a card reader is known to this portal (the demo's virtual reader). */
  cardReader: boolean;
  /** When the portal runs as the demo: the demo cards' holders and their PIN. */
  demoSignIn?: { holders: readonly string[]; pin: string };
}

/** The sign-in page: a button that starts a sign-in and hands the browser to the card reader. It never sees a PIN. */
export function loginPage(options: LoginPageOptions): string {
  const start = options.cardReader
    ? html`<form method="post" action="/login/start" class="reader">
  <button type="submit" id="sign-in-with-card">Sign in with my My Number Card</button>
  <p class="reader-note">Your card reader opens; you type your PIN there, never on this site.</p>
</form>`
    : html`<section class="reader"><p>No card reader is configured for this portal (CARD_READER_URL). In the demo, the virtual card reader runs beside it.</p></section>`;
  return layout({
    title: 'Sign in',
    body: html`
<h1>Sign in with your My Number Card</h1>
<p class="lead">MynaPortal shows you every exchange of your information between agencies (情報提供等記録), and what each agency holds about you (自己情報).</p>
<ol class="steps">
  <li>Press the button: your card reader opens with this portal's one-time challenge.</li>
  <li>Choose your My Number Card (マイナンバーカード) and type the 4-digit PIN of its user-authentication certificate (利用者証明用電子証明書).</li>
  <li>The reader brings you back here, signed in.</li>
</ol>
${options.demoSignIn ? demoHelp(options.demoSignIn) : ''}
${start}
<p id="login-error" class="error" role="alert" hidden></p>
<details class="explainer">
  <summary>What happens when you sign in</summary>
  <p>The portal sends a one-time challenge (nonce), bound to this browser. The card's chip signs it after checking your PIN; the private key never leaves the chip,
  and the PIN never reaches the portal. The portal checks the signature against the card's certificate, checks the certificate was signed by the issuer
  (J-LIS, 地方公共団体情報システム機構), and asks the issuer whether the certificate is still valid — at every sign-in and on every page after, so a card
  suspended through the hotline stops working at once. Then it asks the issuer for its own code for you (agency code, 機関別符号). The portal never learns your My Number.</p>
</details>`,
  });
}

/** Only when the portal runs as the demo: which cards the demo's card reader holds, and their PIN. A real portal never says a PIN. */
function demoHelp(demo: { holders: readonly string[]; pin: string }): SafeHtml {
  const names = demo.holders.map((holder, index) => html`${index === 0 ? '' : index === demo.holders.length - 1 ? ' or ' : ', '}<strong class="demo-card">${holder}</strong>`);
  return html`<aside class="demo-help" id="demo-sign-in" aria-labelledby="demo-sign-in-title">
  <h2 id="demo-sign-in-title">Signing in to the demo</h2>
  <p>This portal runs as a demo, with made-up people. Its card reader holds ${demo.holders.length === 1 ? 'one demo card' : `${demo.holders.length} demo cards`}: choose ${names}.
  Every demo card's PIN is <strong class="demo-pin">${demo.pin}</strong>. Three wrong PINs lock a card, as on a real one.</p>
</aside>`;
}

/** Where the card reader brings the browser back: the page completes the sign-in with what the chip signed (in the URL fragment, which no server sees). */
export function completeSignInPage(): string {
  return layout({
    title: 'Signing in',
    scripts: ['/assets/login.js'],
    body: html`
<h1>Signing in…</h1>
<p id="login-progress" role="status">Checking your card with the card issuer.</p>
<p id="login-error" class="error" role="alert" hidden></p>
<p><a href="/login">Back to sign-in</a></p>`,
  });
}
