import { html } from './html';
import { layout } from './layout';

export function loginPage(options: { cardReader: boolean }): string {
  const reader = options.cardReader
    ? html`<section id="card-reader" class="reader" aria-labelledby="reader-title"><p>Connecting to the card reader…</p></section>`
    : html`<section class="reader"><p>No card reader is available here. In the demo, the virtual card reader appears on this page.</p></section>`;
  return layout({
    title: 'Sign in',
    signedIn: false,
    scripts: options.cardReader ? ['/card-reader/reader.js', '/assets/login.js'] : [],
    body: html`
<h1>Sign in with your My Number Card</h1>
<p class="lead">MynaPortal shows you every exchange of your information between agencies (情報提供等記録), and what each agency holds about you (自己情報).</p>
<ol class="steps">
  <li>Place your My Number Card (マイナンバーカード) on the card reader.</li>
  <li>Type the 4-digit PIN of its user-authentication certificate (利用者証明用電子証明書).</li>
</ol>
${reader}
<p id="login-error" class="error" role="alert" hidden></p>
<details class="explainer">
  <summary>What happens when you sign in</summary>
  <p>The portal sends a one-time challenge (nonce). The card's chip signs it after checking your PIN; the private key never leaves the chip.
  The portal checks the signature against the card's certificate, checks the certificate was signed by the issuer (J-LIS, 地方公共団体情報システム機構),
  and asks the issuer whether the certificate is still valid — it does so at every sign-in, so a card suspended through the hotline stops working at once.
  Then it asks the issuer for its own code for you (agency code, 機関別符号). The portal never learns your My Number.</p>
</details>`,
  });
}
