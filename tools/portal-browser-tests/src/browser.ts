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
