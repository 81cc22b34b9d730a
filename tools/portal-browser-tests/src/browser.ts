import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Screenshots land here, at the repository root (git-ignored), for a reviewer to look at. */
export const ARTIFACTS_DIR = path.resolve(__dirname, '../../../test-artifacts/portal-browser-tests');

/** Debian's Chromium: `npx playwright install` cannot download browsers here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** From the portal's sign-in page to the card reader's, as a citizen would: press the button. */
export async function openCardReader(page: Page, portalUrl: string, readerUrl: string): Promise<void> {
  await page.goto(`${portalUrl}/login`);
  await page.getByRole('button', { name: 'Sign in with my My Number Card' }).click();
  await page.waitForURL((url) => url.href.startsWith(`${readerUrl}/sign-in?`));
}

/** On the card reader's page: choose the card, type the PIN, press Sign. */
export async function typePin(page: Page, cardId: string, pin: string): Promise<void> {
  await page.locator(`input[name="cardId"][value="${cardId}"]`).check();
  await page.locator('input[name="pin"]').fill(pin);
  await page.getByRole('button', { name: 'Sign' }).click();
}

/** The whole sign-in: portal, card reader, PIN, and back to the portal. */
export async function useCard(page: Page, portalUrl: string, readerUrl: string, cardId: string, pin: string): Promise<void> {
  await openCardReader(page, portalUrl, readerUrl);
  await typePin(page, cardId, pin);
}

/** A font that drew some of an element's text, as Chromium reports it (CSS.getPlatformFontsForNode). */
export interface RenderingFont {
  familyName: string;
  isCustomFont: boolean;
  glyphCount: number;
}

/** In the page (this project has no DOM types): wraps every run of Japanese in a span of its own; returns the runs. */
const WRAP_JAPANESE_RUNS = `(() => {
  const run = /[\\u3000-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef]+/gu;
  document.querySelectorAll('details').forEach((details) => { details.open = true; });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.nodeValue.match(run)) nodes.push(node);
  const found = [];
  for (const node of nodes) {
    const text = node.nodeValue;
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const match of text.matchAll(run)) {
      if (match.index > at) fragment.append(text.slice(at, match.index));
      const span = document.createElement('span');
      span.dataset.japaneseRun = String(found.length);
      span.textContent = match[0];
      found.push(match[0]);
      fragment.append(span);
      at = match.index + match[0].length;
    }
    if (at < text.length) fragment.append(text.slice(at));
    node.replaceWith(fragment);
  }
  return found;
})()`;

/**
 * Which fonts drew each run of Japanese on the page: every run is wrapped in a
 * span of its own (the page is changed: take screenshots first), and Chromium
 * says which fonts rendered that span's glyphs. A run drawn by a font that has
 * no such glyphs shows missing-glyph boxes; one drawn by a system font shows
 * what this machine happens to have.
 */
export async function japaneseRuns(page: Page): Promise<{ text: string; fonts: RenderingFont[] }[]> {
  await page.evaluate('document.fonts.ready.then(() => undefined)');
  const texts = (await page.evaluate(WRAP_JAPANESE_RUNS)) as string[];
  // The runs were just wrapped in new elements: a font is reported for one only once a frame has laid it out.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(undefined))))');
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '[data-japanese-run]' });
    const runs: { text: string; fonts: RenderingFont[] }[] = [];
    for (const [index, nodeId] of nodeIds.entries()) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      runs.push({ text: texts[index], fonts: fonts.map(({ familyName, isCustomFont, glyphCount }) => ({ familyName, isCustomFont, glyphCount })) });
    }
    return runs;
  } finally {
    await cdp.detach();
  }
}

/** The runs of Japanese the page shows that the shipped font (Noto Sans JP, a web font of the page's own) did not draw in full. */
export async function japaneseNotInShippedFont(page: Page): Promise<{ text: string; fonts: RenderingFont[] }[]> {
  // A run in a hidden element is drawn by no font at all; it is not shown.
  const shown = (await japaneseRuns(page)).filter((run) => run.fonts.length > 0);
  if (shown.length === 0) throw new Error(`no Japanese on ${page.url()} to check`);
  return shown.filter((run) => !(run.fonts.length === 1 && run.fonts[0].isCustomFont && run.fonts[0].familyName === 'Noto Sans JP'));
}
