/**
 * The dashboard in a real browser (playwright-core driving Debian's Chromium, no browser download)
 * against a real devnet in a temp home: a publisher imports their seed phrase, sees their balance,
 * publishes a site with 3 replicas, sees the replicas on the deal page and opens the site through a
 * gateway; publishes a short video and plays it; grants a viewer who plays it in a second browser
 * context; revokes and the viewer is refused; sees the provider payouts of the site deal in the payment
 * history the dashboard server indexes; delegates to a validator; connects Keplr (a stand-in backed by
 * a real cosmjs wallet) and sends TRU through it. A screenshot of every page
 * (and of any failing step) goes to test/artifacts/. Ports 30700-30799.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@trucom/testkit';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { cleanEnv, isAlive, makeTempDir, processesMentioning, spawnNode, type Spawned } from './support/processes.js';
import { TRUCOM_CLI } from './support/constants.js';
import { CHROMIUM, importWallet, screenshotSteps, WALLET_PASSPHRASE } from './support/dashboard-browser.js';
import { injectKeplr } from './support/keplr.js';

const PORTS = { rpc: 30757, p2p: 30756, rest: 30717, gateway: 30700, dashboard: 30710 };
/** TRUCOM_RPC_PORT, TRUCOM_P2P_PORT, … from PORTS: every devnet port moved into this test's range. */
const ENV = Object.fromEntries(Object.entries(PORTS).map(([name, port]) => [`TRUCOM_${name.toUpperCase()}_PORT`, String(port)]));
const DASHBOARD = `http://127.0.0.1:${PORTS.dashboard}`;
const RPC = `http://127.0.0.1:${PORTS.rpc}`;
const REST = `http://127.0.0.1:${PORTS.rest}`;

interface DevnetAccount {
  readonly name: string;
  readonly address: string;
  readonly mnemonic: string;
}

const haveFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;

describe('dashboard in Chromium', { timeout: 1_200_000, skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)` }, () => {
  let home: ReturnType<typeof makeTempDir>;
  let devnet: Spawned | undefined;
  let browser: Browser;
  let publisher: BrowserContext;
  let page: Page;
  let accounts: DevnetAccount[];
  const account = (name: string) => accounts.find((a) => a.name === name)!;

  const step = screenshotSteps('dashboard');

  before(async () => {
    home = makeTempDir('trucom-dashboard-test-');
    devnet = spawnNode([TRUCOM_CLI, '--home', home.dir, 'devnet'], cleanEnv(ENV), { detached: true });
    const up = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(3000) }).catch(() => undefined))?.status === 200;
    await waitFor('devnet height 3', async () => {
      const status = await fetch(`${RPC}/status`, { signal: AbortSignal.timeout(3000) }).then((r) => r.json() as Promise<{ result: { sync_info: { latest_block_height: string } } }>).catch(() => undefined);
      return Number(status?.result.sync_info.latest_block_height ?? 0) >= 3 ? true : undefined;
    }, 300_000);
    const services = [DASHBOARD, REST, ...[0, 1, 2, 3].map((i) => `http://127.0.0.1:${PORTS.gateway + i}`)];
    let down: string[] = [];
    await waitFor('the dashboard, REST and the gateways', async () => {
      const ok = await Promise.all(services.map((u) => up(`${u}/health`)));
      down = services.filter((_, i) => !ok[i]);
      return down.length === 0 ? true : undefined;
    }, 180_000).catch((err: Error) => {
      throw new Error(`${err.message}: still down ${down.join(', ')}; devnet says: ${devnet!.stdout()}`);
    });
    accounts = JSON.parse(readFileSync(join(home.dir, 'devnet', 'accounts.json'), 'utf8')) as DevnetAccount[];
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--autoplay-policy=no-user-gesture-required'],
    });
    publisher = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    page = await publisher.newPage();
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (devnet && devnet.child.exitCode === null) {
      process.kill(-devnet.child.pid!, 'SIGINT');
      await Promise.race([devnet.exited, new Promise((r) => setTimeout(r, 20_000).unref())]);
    }
    for (const pid of processesMentioning(home.dir).filter(isAlive)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    home.remove();
  });

  let siteDeal = '';

  it('imports the publisher seed phrase and shows the balance', async () => {
    await step('wallet', page, async () => {
      await importWallet(page, DASHBOARD, account('publisher').mnemonic);
      assert.equal(await page.getByTestId('address').textContent(), account('publisher').address);
      assert.match((await page.getByTestId('balance').textContent()) ?? '', /^[\d,]+(\.\d+)? TRU$/);
    });
  });

  it('publishes a small site with 3 replicas; the deal page shows them active; the site opens through a gateway', async () => {
    const site = join(home.dir, 'site');
    mkdirSync(join(site, 'css'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><html><head><title>Dashboard site</title><link rel="stylesheet" href="css/site.css"></head><body><h1>Published from the dashboard</h1></body></html>');
    writeFileSync(join(site, 'css', 'site.css'), 'h1 { color: green; }');
    await step('publish', page, async () => {
      await page.getByRole('link', { name: 'Publish' }).click();
      await page.getByLabel(/^Site folder/).setInputFiles(site);
      await page.getByLabel(/^Site name/).fill('dash-site');
      await page.getByLabel(/^Replicas/).fill('3');
      await page.getByLabel(/^Duration in epochs/).fill('100');
      await page.getByTestId('quote').filter({ hasText: /3 replicas × 100 epochs/ }).waitFor();
      await page.getByRole('button', { name: /^Publish for/ }).click();
      await page.getByTestId('publish-result').waitFor({ timeout: 240_000 });
    });
    const dealLink = page.getByTestId('publish-result').getByRole('link', { name: /^Deal \d+$/ });
    siteDeal = ((await dealLink.textContent()) ?? '').replace('Deal ', '');
    await step('deal', page, async () => {
      await dealLink.click();
      await page.locator('[data-testid="replicas"] tbody tr[data-status="active"]').nth(2).waitFor({ timeout: 60_000 });
      assert.equal(await page.locator('[data-testid="replicas"] tbody tr').count(), 3);
      assert.equal(await page.getByTestId('deal-status').textContent(), 'active');
    });
    const sitePage = await publisher.newPage();
    await step('site', sitePage, async () => {
      await sitePage.goto(`http://dash-site.sites.localhost:${PORTS.gateway + 1}/`);
      assert.equal(await sitePage.locator('h1').textContent(), 'Published from the dashboard');
      assert.equal(await sitePage.evaluate("getComputedStyle(document.querySelector('h1')).color"), 'rgb(0, 128, 0)');
    });
    await sitePage.close();
    await step('deals', page, async () => {
      await page.getByRole('link', { name: 'Deals', exact: true }).click();
      await page.getByRole('link', { name: `Deal ${siteDeal}` }).waitFor();
    });
    await step('payments', page, async () => {
      await page.getByRole('link', { name: 'Payments' }).click();
      await page.getByText('Escrow locked for a new deal').first().waitFor({ timeout: 30_000 });
    });
    await step('network', page, async () => {
      await page.getByRole('link', { name: 'Network' }).click();
      await page.getByTestId('validators-online').filter({ hasText: /of 4/ }).waitFor();
      assert.equal(await page.locator('[data-testid="validator-set"] tbody tr').count(), 4);
      assert.match((await page.getByTestId('peers').textContent()) ?? '', /^[1-9]\d*$/); // net_info of the validator the dashboard reads
    });
  });

  it('publishes a short video that plays; a granted viewer plays it; once revoked the viewer is refused', { skip: haveFfmpeg ? false : 'no ffmpeg' }, async () => {
    const video = join(home.dir, 'clip.mp4');
    const ff = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=24:duration=6', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=6', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-y', video]);
    assert.equal(ff.status, 0, String(ff.stderr));
    const viewer = account('viewer');
    await step('publish-video', page, async () => {
      await page.getByRole('link', { name: 'Publish' }).click();
      await page.getByLabel('A video stream').check();
      await page.getByLabel('Video file').setInputFiles(video);
      await page.getByLabel(/^Stream name/).fill('dash-clip');
      await page.getByLabel(/^Viewers to grant now/).fill(viewer.address);
      await page.getByLabel(/^Duration in epochs/).fill('100');
      await page.getByTestId('quote').waitFor();
      await page.getByRole('button', { name: 'Publish video' }).click();
      await page.waitForURL(/\/streams\/dash-clip$/, { timeout: 300_000 });
    });
    const plays = async (p: Page) => {
      // a function, not a string: the dashboard's CSP forbids eval
      await p.waitForFunction(() => {
        const g = globalThis as unknown as { document: { querySelector(s: string): { currentTime: number } | null }; trucomPlayer?: { keysLoaded: number } };
        const v = g.document.querySelector('video');
        return !!v && v.currentTime > 1 && (g.trucomPlayer?.keysLoaded ?? 0) > 0;
      }, undefined, { timeout: 120_000 });
    };
    await step('streams', page, () => plays(page));
    await step('my-streams', page, async () => {
      // found on chain by owner (not from this browser's memory): the stream, its deal and its one viewer
      await page.getByRole('link', { name: '← Streams' }).click();
      const row = page.locator('[data-testid="my-streams"] tr[data-content="dash-clip"]');
      await row.waitFor({ timeout: 30_000 });
      assert.equal(await row.locator('td').nth(2).textContent(), '1');
      await row.getByRole('link', { name: 'dash-clip' }).click();
      await plays(page);
    });

    const viewerContext = await browser.newContext({ viewport: { width: 390, height: 844 } }); // a phone-sized screen
    const viewerPage = await viewerContext.newPage();
    await step('viewer-plays', viewerPage, async () => {
      await importWallet(viewerPage, DASHBOARD, viewer.mnemonic);
      // in-app navigation: a page load would lock the wallet (the seed phrase lives in memory only once unlocked)
      await viewerPage.getByRole('link', { name: 'Streams' }).click();
      await viewerPage.getByTestId('granted-streams').getByRole('link', { name: 'dash-clip' }).waitFor({ timeout: 30_000 });
      await viewerPage.getByLabel('Stream name').fill('dash-clip');
      await viewerPage.getByRole('button', { name: 'Open' }).click();
      await plays(viewerPage);
    });

    await step('revoke', page, async () => {
      await page.getByRole('button', { name: `Revoke ${viewer.address}` }).click();
      await page.locator(`[data-grantee="${viewer.address}"]`).getByText(/revoked at block/).waitFor({ timeout: 30_000 });
    });
    await step('viewer-refused', viewerPage, async () => {
      // a fresh load asks for the first key again: the gateway now refuses it
      await viewerPage.reload();
      await viewerPage.getByRole('link', { name: 'unlock your wallet' }).click();
      await viewerPage.getByLabel('Passphrase').fill(WALLET_PASSPHRASE);
      await viewerPage.getByRole('button', { name: 'Unlock' }).click();
      await viewerPage.getByRole('link', { name: 'Streams' }).click();
      await viewerPage.getByLabel('Stream name').fill('dash-clip');
      await viewerPage.getByRole('button', { name: 'Open' }).click();
      await viewerPage.getByTestId('player-status').filter({ hasText: /Access refused/ }).waitFor({ timeout: 60_000 });
      const errors = await viewerPage.evaluate(() => (globalThis as unknown as { trucomPlayer?: { errors: { code?: number }[] } }).trucomPlayer?.errors ?? []);
      assert.ok(errors.some((e) => e.code === 403), JSON.stringify(errors));
    });
    await viewerContext.close();
  });

  it('the payment history (indexed by the dashboard server) shows the escrow locked and a provider payout for the site deal', async () => {
    const publisherAddress = account('publisher').address;
    interface History {
      payments: { kind: string; dealId: number; amount: string; provider?: string; epoch: number }[];
    }
    // devnet epochs are 10 blocks: the deal's first proved epoch ends and pays its providers within a minute or two
    const payout = await waitFor('a provider payout for the site deal in /api/v1/payments', async () => {
      const history = (await (await fetch(`${DASHBOARD}/api/v1/payments?owner=${publisherAddress}`)).json()) as History;
      return history.payments.find((p) => p.kind === 'provider_payout' && String(p.dealId) === siteDeal);
    }, 180_000, 1000);
    assert.match(payout.provider ?? '', /^tru1/);
    assert.ok(BigInt(payout.amount) > 0n, payout.amount);
    const bad = await fetch(`${DASHBOARD}/api/v1/payments?owner=tru1notanaddress`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /not a valid Trucom address/);
    await step('payments-history', page, async () => {
      await page.getByRole('link', { name: 'Payments' }).click();
      await page.locator('[data-testid="payments"] tr[data-kind="provider_payout"]').first().waitFor({ timeout: 30_000 });
      await page.getByLabel('Show').selectOption('provider_payout');
      assert.equal(await page.locator('[data-testid="payments"] tbody tr:not([data-kind="provider_payout"])').count(), 0);
      await page.getByRole('img', { name: /spent from your deals' escrow per epoch/ }).waitFor();
    });
  });

  it('delegates to a validator and shows the delegation', async () => {
    await step('validators', page, async () => {
      await page.getByRole('link', { name: 'Validators' }).click();
      // uptime from the slashing module's signing infos: a running devnet validator has signed most of its window
      await page.getByTestId('uptime-v0').filter({ hasText: /^\d+(\.\d)?%\s*\d+ missed of \d+$/ }).waitFor({ timeout: 30_000 });
      assert.equal(await page.getByTestId('status-v0').textContent(), 'bonded');
      await page.locator('select[name="validator"]').selectOption({ label: 'v0' });
      await page.locator('input[name="stake-amount"]').fill('2');
      await page.getByRole('button', { name: 'Delegate', exact: true }).click();
      await page.getByTestId('delegation-v0').filter({ hasText: /TRU/ }).waitFor({ timeout: 60_000 });
      assert.match((await page.getByTestId('delegation-v0').textContent()) ?? '', /^[\d,.]+ TRU$/);
    });
    assert.ok((await fetch(`${RPC}/health`)).ok);
  });

  it('connects Keplr (window.keplr signing with a real cosmjs wallet) and sends TRU through it; without Keplr the page links to its install', async () => {
    const bare = await browser.newContext();
    const barePage = await bare.newPage();
    await step('keplr-missing', barePage, async () => {
      await barePage.goto(`${DASHBOARD}/wallet`);
      await barePage.getByTestId('keplr-missing').getByRole('link', { name: 'install Keplr' }).waitFor();
    });
    await bare.close();

    const viewer = account('viewer');
    const keplrContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const keplr = await injectKeplr(keplrContext, viewer.mnemonic);
    const keplrPage = await keplrContext.newPage();
    await step('keplr', keplrPage, async () => {
      await keplrPage.goto(`${DASHBOARD}/wallet`);
      await keplrPage.getByRole('button', { name: 'Connect Keplr' }).click();
      await keplrPage.getByTestId('keplr-account').filter({ hasText: 'keplr-test' }).waitFor({ timeout: 30_000 });
      assert.equal(await keplrPage.getByTestId('address').textContent(), viewer.address);
      assert.deepEqual(keplr.enabled, ['trucom-devnet-1']); // from the chain info the dashboard serves
      await keplrPage.getByLabel('To address').fill(account('publisher').address);
      await keplrPage.getByLabel('Amount (TRU)').fill('1.5');
      await keplrPage.getByRole('button', { name: 'Send', exact: true }).click();
      await keplrPage.getByText(/^Sent 1\.5 TRU to tru1\w+ \(block \d+\)\.$/).waitFor({ timeout: 60_000 });
      assert.equal(keplr.signed, 1);
    });
    await keplrContext.close();
  });
});

