/**
 * The dashboard's Messages page in a real browser (playwright-core driving Debian's Chromium) against
 * a real devnet in a temp home: two wallets (two browser contexts) show and exchange invite codes, an
 * altered code is refused, they write to each other (one while the other's browser is closed: it
 * comes back, unlocks and reads it from its encrypted store and its mailboxes), the sender anchors
 * its messages with one signature and verifies one against the chain; the recipient gets the proof
 * and verifies it too; a third wallet joins and a group message reaches both other members.
 * Screenshots of every step go to test/artifacts/. Ports 30800-30899.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@trucom/testkit';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, importWallet, launchDashboardBrowser, screenshotSteps, unlockWallet } from './support/dashboard-browser.js';
import { startDevnet, type RunningDevnet } from './support/index.js';

const PORTS = { rpc: 30857, p2p: 30856, rest: 30817, gateway: 30800, dashboard: 30810 };
const DASHBOARD = `http://127.0.0.1:${PORTS.dashboard}`;
const step = screenshotSteps('messages');

/** The texts of the conversation shown, in order, as "sender: text". */
async function shown(p: Page): Promise<string[]> {
  const items = p.getByTestId('message');
  const out: string[] = [];
  for (let i = 0; i < (await items.count()); i++) {
    const item = items.nth(i);
    out.push(`${await item.locator('.sender').textContent()}: ${await item.locator('.text').textContent()}`);
  }
  return out;
}

/** Waits until the conversation shows exactly `expected` (the page polls the mailboxes every few seconds). */
async function conversationIs(p: Page, expected: string[]): Promise<void> {
  let last: string[] = [];
  await waitFor(`the conversation ${JSON.stringify(expected)}`, async () => {
    last = await shown(p);
    return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
  }, 60_000, 250).catch((err: Error) => {
    throw new Error(`${err.message}; it shows ${JSON.stringify(last)}`);
  });
}

describe('Messages page in Chromium', { timeout: 900_000, skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)` }, () => {
  let devnet: RunningDevnet;
  let browser: Browser;

  before(async () => {
    devnet = await startDevnet('trucom-messages-page-', PORTS);
    await waitFor('the dashboard', async () => ((await fetch(`${DASHBOARD}/health`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined))?.status === 200 ? true : undefined), 120_000);
    browser = await launchDashboardBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await devnet?.stop();
  });

  /** A browser context with `account`'s wallet imported, on the Messages page. */
  async function openMessages(account: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await importWallet(page, DASHBOARD, devnet.account(account).mnemonic);
    // in-app navigation: a page load would lock the wallet (the seed phrase is only in memory once unlocked)
    await page.getByRole('link', { name: 'Messages' }).click();
    return { context, page };
  }

  async function createInvite(p: Page, name: string): Promise<string> {
    await p.getByLabel('Your name (what your contacts see)').fill(name);
    await p.getByRole('button', { name: 'Create my invite' }).click();
    const code = p.getByTestId('my-invite');
    await code.waitFor({ timeout: 30_000 });
    await p.getByRole('img', { name: 'QR code of your invite code' }).waitFor();
    return await code.inputValue();
  }

  /** Pastes an invite code and waits for the form to say `expected` (an error or a success note). */
  async function addContact(p: Page, code: string, expected: RegExp): Promise<void> {
    await p.getByLabel('Their invite code').fill(code);
    await p.getByRole('button', { name: 'Add contact' }).click();
    const form = p.locator('form', { has: p.getByRole('heading', { name: 'Add a contact' }) });
    await form.locator('[role=alert], [role=status]').filter({ hasText: expected }).waitFor({ timeout: 30_000 });
  }

  async function send(p: Page, to: string, text: string): Promise<void> {
    await p.getByLabel(`Message to ${to}`).fill(text);
    await p.getByLabel(`Message to ${to}`).press('Enter');
    await p.getByTestId('message').filter({ hasText: text }).waitFor({ timeout: 30_000 });
  }

  it('two wallets exchange invites, talk while one is away, anchor and verify; an altered invite is refused; a group of three', async () => {
    let alice = await openMessages('publisher');
    const bob = await openMessages('viewer');
    const aliceCode = await step('alice-invite', alice.page, () => createInvite(alice.page, 'alice'));
    assert.match(aliceCode, /^trucom-invite1:[A-Za-z0-9_-]+$/);
    const bobCode = await step('bob-invite', bob.page, () => createInvite(bob.page, 'bob'));

    await step('altered-invite', bob.page, async () => {
      const i = Math.floor(aliceCode.length / 2);
      const altered = aliceCode.slice(0, i) + (aliceCode[i] === 'A' ? 'B' : 'A') + aliceCode.slice(i + 1);
      await addContact(bob.page, altered, /^That invite code was altered or mistyped/);
      assert.equal(await bob.page.getByRole('list', { name: 'Conversations' }).count(), 0, 'no contact was added');
    });
    await step('bob-adds-alice', bob.page, () => addContact(bob.page, aliceCode, /^Added alice to your contacts\.$/));
    await step('alice-adds-bob', alice.page, () => addContact(alice.page, bobCode, /^Added bob to your contacts\.$/));

    await step('alice-sends', alice.page, async () => {
      await send(alice.page, 'bob', 'hello bob');
      await send(alice.page, 'bob', 'second message');
      await conversationIs(alice.page, ['You: hello bob', 'You: second message']);
    });
    await step('bob-receives', bob.page, () => conversationIs(bob.page, ['alice: hello bob', 'alice: second message']));

    // Alice closes her browser; her wallet and messages stay in its storage, encrypted.
    const storage = await alice.context.storageState();
    await alice.context.close();
    await step('bob-sends-while-alice-is-away', bob.page, async () => {
      await send(bob.page, 'alice', 'while you were away');
      await conversationIs(bob.page, ['alice: hello bob', 'alice: second message', 'You: while you were away']);
    });
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, storageState: storage });
    alice = { context, page: await context.newPage() };
    await step('alice-comes-back', alice.page, async () => {
      await unlockWallet(alice.page, DASHBOARD);
      await alice.page.getByRole('link', { name: 'Messages' }).click();
      await conversationIs(alice.page, ['You: hello bob', 'You: second message', 'bob: while you were away']);
    });

    await step('not-anchored-yet', alice.page, async () => {
      const theirs = alice.page.getByTestId('message').filter({ hasText: 'while you were away' });
      await theirs.getByRole('button', { name: /^Verify/ }).click();
      await theirs.getByRole('alert').filter({ hasText: /Not verified: the message has not been anchored yet/ }).waitFor();
    });
    const height = await step('alice-anchors', alice.page, async () => {
      assert.equal(await alice.page.getByTestId('pending').textContent(), '2 sent messages are not anchored yet.');
      await alice.page.getByRole('button', { name: 'Anchor pending messages' }).click();
      const note = alice.page.getByRole('status').filter({ hasText: /^Anchored 2 message hashes at height \d+/ });
      await note.waitFor({ timeout: 60_000 });
      return Number(/height (\d+)/.exec((await note.textContent()) ?? '')![1]);
    });
    assert.ok(height > 0);
    await step('alice-verifies', alice.page, async () => {
      const mine = alice.page.getByTestId('message').filter({ hasText: 'hello bob' });
      await mine.getByRole('button', { name: 'Verify the message "hello bob" from You' }).click();
      assert.equal(await mine.getByTestId('verified-height').textContent({ timeout: 30_000 }), String(height));
      assert.match((await mine.getByTestId('verified').textContent()) ?? '', new RegExp(`anchored unaltered at height ${height}`));
    });
    await step('bob-verifies', bob.page, async () => {
      // the anchor receipt reaches Bob's mailbox; his page's next poll attaches the proof
      const theirs = bob.page.getByTestId('message').filter({ hasText: 'second message' });
      await theirs.getByText('anchored', { exact: true }).waitFor({ timeout: 60_000 });
      await theirs.getByRole('button', { name: /^Verify/ }).click();
      assert.equal(await theirs.getByTestId('verified-height').textContent({ timeout: 30_000 }), String(height));
    });

    // A third wallet: Alice makes a group of Bob and Carol; one send reaches both.
    const carol = await openMessages('faucet');
    const carolCode = await step('carol-invite', carol.page, () => createInvite(carol.page, 'carol'));
    await addContact(carol.page, aliceCode, /^Added alice to your contacts\.$/);
    await addContact(alice.page, carolCode, /^Added carol to your contacts\.$/);
    await step('alice-groups', alice.page, async () => {
      const form = alice.page.locator('form', { has: alice.page.getByRole('heading', { name: 'New group' }) });
      await form.getByLabel('Group name').fill('team');
      await form.getByRole('checkbox', { name: 'bob' }).check();
      await form.getByRole('checkbox', { name: 'carol' }).check();
      await form.getByRole('button', { name: 'Create group' }).click();
      await form.getByRole('status').filter({ hasText: 'Created the group team with bob, carol.' }).waitFor();
      await alice.page.getByRole('button', { name: 'team (group)' }).click();
      await send(alice.page, 'team', 'hello team');
    });
    for (const [who, member] of [['bob', bob], ['carol', carol]] as const) {
      await step(`${who}-gets-group-message`, member.page, async () => {
        await member.page.getByRole('button', { name: 'team (group)' }).click({ timeout: 60_000 });
        await conversationIs(member.page, ['alice: hello team']);
      });
    }
    for (const c of [alice, bob, carol]) await c.context.close();
  });
});
