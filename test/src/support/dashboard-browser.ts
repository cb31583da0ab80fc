/**
 * Driving the dashboard in Debian's Chromium (playwright-core, no browser download): launching it,
 * importing a seed phrase through the Wallet page, and steps that leave a screenshot in
 * test/artifacts/ (of the page as it was when a step failed, too).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './constants.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
export const WALLET_PASSPHRASE = 'correct horse battery';

export function launchDashboardBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** `step(name, page, run)`: runs a step and saves `<prefix>-<name>.png`, or `<prefix>-FAILED-<name>.png` when it throws. */
export function screenshotSteps(prefix: string) {
  const shot = async (p: Page, name: string) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await p.screenshot({ path: join(ARTIFACTS, `${prefix}-${name}.png`), fullPage: true }).catch(() => undefined);
  };
  return async function step<T>(name: string, p: Page, run: () => Promise<T>): Promise<T> {
    try {
      const out = await run();
      await shot(p, name);
      return out;
    } catch (err) {
      await shot(p, `FAILED-${name}`);
      throw err;
    }
  };
}

/** Imports a seed phrase on the Wallet page (encrypted with WALLET_PASSPHRASE) and waits for the balance. */
export async function importWallet(p: Page, dashboard: string, mnemonic: string): Promise<void> {
  await p.goto(`${dashboard}/wallet`);
  await p.getByLabel('Seed phrase', { exact: true }).fill(mnemonic);
  await p.getByLabel(/^Passphrase/).fill(WALLET_PASSPHRASE);
  await p.getByRole('button', { name: 'Save wallet' }).click();
  await p.getByTestId('balance').filter({ hasText: /TRU/ }).waitFor({ timeout: 60_000 });
}

/** Unlocks the wallet already stored in this browser profile. */
export async function unlockWallet(p: Page, dashboard: string): Promise<void> {
  await p.goto(`${dashboard}/wallet`);
  await p.getByLabel('Passphrase').fill(WALLET_PASSPHRASE);
  await p.getByRole('button', { name: 'Unlock' }).click();
  await p.getByTestId('balance').filter({ hasText: /TRU/ }).waitFor({ timeout: 60_000 });
}
