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

/** Signs in through the virtual card reader, as a citizen would: pick the card, type the PIN, press the button. */
export async function useCard(page: Page, portalUrl: string, cardId: string, pin: string): Promise<void> {
  if (!page.url().endsWith('/login')) await page.goto(`${portalUrl}/login`);
  await page.locator(`#reader-card option[value="${cardId}"]`).waitFor({ state: 'attached' });
  await page.getByLabel('Card', { exact: true }).selectOption(cardId);
  await page.getByLabel('PIN').fill(pin);
  await page.getByRole('button', { name: 'Sign in with this card' }).click();
}
