/**
 * Messaging across processes on a devnet (temp home, ports 30400-30599): two users exchange invite
 * codes, talk while one is offline, one mailbox gateway is SIGKILLed and delivery still completes,
 * each verifies an anchored message, and an altered copy fails `trucom msg verify`; then a group of
 * three, where one send reaches both other members.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@trucom/testkit';
import { cleanEnv, crashedServiceLog, isAlive, latestHeight, makeTempDir, processesMentioning, runCli, spawnNode, TRUCOM_CLI, type Spawned } from './support/index.js';

const PORTS = { rpc: 30457, p2p: 30456, rest: 30417, gateway: 30480, dashboard: 30490 };
const ENV = cleanEnv({
  TRUCOM_RPC_PORT: String(PORTS.rpc),
  TRUCOM_P2P_PORT: String(PORTS.p2p),
  TRUCOM_REST_PORT: String(PORTS.rest),
  TRUCOM_GATEWAY_PORT: String(PORTS.gateway),
  TRUCOM_DASHBOARD_PORT: String(PORTS.dashboard),
});
const RPC = `http://127.0.0.1:${PORTS.rpc}`;
const GATEWAYS = [0, 1, 2, 3].map((i) => `http://127.0.0.1:${PORTS.gateway + i}`);

describe('trucom msg on a devnet', { timeout: 600_000 }, () => {
  let home: ReturnType<typeof makeTempDir>;
  let devnet: Spawned;
  const msg = async (from: string, args: string[], expectCode = 0) => {
    const r = await runCli(['--home', home.dir, '-o', 'json', 'msg', ...args, '--from', from], ENV, 120_000);
    assert.equal(r.code, expectCode, `trucom msg ${args.join(' ')} --from ${from}: ${r.stdout}\n${r.stderr}`);
    return JSON.parse(r.stdout || 'null');
  };

  before(async () => {
    home = makeTempDir('trucom-msg-test-');
    devnet = spawnNode([TRUCOM_CLI, '--home', home.dir, 'devnet'], ENV, { detached: true });
    const early = devnet.exited.then(({ code, signal }) => {
      throw new Error(`devnet exited early (${signal ?? code}); ${devnet.stdout()}\n${devnet.stderr()}${crashedServiceLog(devnet.stdout())}`);
    });
    early.catch(() => undefined);
    await Promise.race([waitFor('devnet height 2', async () => ((await latestHeight(RPC).catch(() => 0)) >= 2 ? true : undefined), 180_000), early]);
    await Promise.race([
      waitFor('the gateways', async () => {
        for (const g of GATEWAYS) if ((await fetch(`${g}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined))?.status !== 200) return undefined;
        return true;
      }, 120_000),
      early,
    ]);
  });

  after(async () => {
    if (devnet.child.exitCode === null && devnet.child.signalCode === null) {
      process.kill(-devnet.child.pid!, 'SIGINT');
      await Promise.race([devnet.exited, new Promise((r) => setTimeout(r, 30_000).unref())]);
    }
    for (const pid of processesMentioning(home.dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    home.remove();
  });

  it('two users exchange invites, talk with one offline and one gateway killed, and verify anchored messages', async () => {
    // Invites: Alice's mailbox on g0-g2, Bob's on all four devnet gateways (the default).
    const aliceInvite = await msg('publisher', ['invite', '--name', 'alice', '--gateways', GATEWAYS.slice(0, 3).join(',')]);
    const bobInvite = await msg('viewer', ['invite', '--name', 'bob']);
    assert.deepEqual(bobInvite.gateways, GATEWAYS);
    await msg('publisher', ['add-contact', bobInvite.invite]);
    await msg('viewer', ['add-contact', aliceInvite.invite]);
    const altered = aliceInvite.invite.slice(0, 40) + (aliceInvite.invite[40] === 'A' ? 'B' : 'A') + aliceInvite.invite.slice(41);
    const refused = await runCli(['--home', home.dir, 'msg', 'add-contact', altered, '--name', 'mallory', '--from', 'viewer'], ENV);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /altered/);

    // Bob is offline while Alice writes three messages; back, he gets all three in order.
    const sent = [];
    for (const text of ['one', 'two', 'three']) sent.push(await msg('publisher', ['send', 'bob', text]));
    assert.equal(sent[0].recipients[0].copies, 4);
    const first = await msg('viewer', ['inbox']);
    assert.deepEqual(first.messages.map((m: { text: string; from: string }) => `${m.from}:${m.text}`), ['alice:one', 'alice:two', 'alice:three']);
    await msg('viewer', ['send', 'alice', 'got them']);
    assert.deepEqual((await msg('publisher', ['inbox'])).messages.map((m: { text: string }) => m.text), ['got them']);

    // g1 (in both invites) is SIGKILLed: delivery completes through the others.
    const g1 = processesMentioning(join(home.dir, 'devnet', 'g1'));
    assert.ok(g1.length > 0, 'the g1 gateway process');
    for (const pid of g1) process.kill(pid, 'SIGKILL');
    await waitFor('g1 gone', () => (g1.every((pid) => !isAlive(pid)) ? true : undefined), 10_000);
    const down = await msg('publisher', ['send', 'bob', 'g1 is gone']);
    assert.deepEqual([down.recipients[0].copies, down.recipients[0].failed], [3, [GATEWAYS[1]]]);
    const back = await msg('viewer', ['inbox']);
    assert.deepEqual(back.messages.map((m: { text: string }) => m.text), ['g1 is gone']);
    assert.deepEqual(back.unreachable, [GATEWAYS[1]]);
    const reply = await msg('viewer', ['send', 'alice', 'still here']);
    assert.equal(reply.recipients[0].copies, 2, "two of Alice's three gateways");
    assert.deepEqual((await msg('publisher', ['inbox'])).messages.map((m: { text: string }) => m.text), ['still here']);

    // Anchors: each anchors its sent hashes in one tx; the other gets the proofs and verifies.
    const anchored = await msg('publisher', ['anchor', '--node', RPC]);
    assert.equal(anchored.count, 4);
    const bobAnchor = await msg('viewer', ['anchor', '--node', RPC]);
    assert.equal(bobAnchor.count, 2);
    assert.equal((await msg('viewer', ['inbox'])).receipts, 1);
    assert.equal((await msg('publisher', ['inbox'])).receipts, 1);
    const byBob = await msg('viewer', ['verify', sent[1].id, '--node', RPC]);
    assert.equal(byBob.ok, true, JSON.stringify(byBob));
    assert.equal(byBob.height, anchored.height);
    assert.ok(byBob.time > 1_600_000_000);
    assert.equal(byBob.proof.size, 4);
    const byAlice = await msg('publisher', ['verify', reply.id, '--node', RPC]);
    assert.equal(byAlice.ok, true, JSON.stringify(byAlice));
    assert.equal(byAlice.height, bobAnchor.height);

    // An altered copy of an anchored message fails, clearly, with exit code 1.
    const shown = JSON.parse((await runCli(['--home', home.dir, 'msg', 'show', sent[1].id, '--from', 'viewer'], ENV)).stdout);
    const file = join(home.dir, 'altered.json');
    writeFileSync(file, JSON.stringify({ ...shown, message: { ...shown.message, text: 'two (edited)' } }));
    const bad = await runCli(['--home', home.dir, 'msg', 'verify', sent[1].id, '--message', file, '--node', RPC, '--from', 'viewer'], ENV);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /verified:\s+NO/);
    assert.match(bad.stdout, /does not match what was anchored/);
  });

  it('a group of three: one send reaches both other members, each sees it as the group message', async () => {
    // g1 stays down from the case above: Carol's mailbox is on the three live gateways.
    const live = [GATEWAYS[0], GATEWAYS[2], GATEWAYS[3]].join(',');
    const carolInvite = await msg('faucet', ['invite', '--name', 'carol', '--gateways', live]);
    const aliceInvite = await msg('publisher', ['invite', '--name', 'alice', '--gateways', live]);
    await msg('publisher', ['add-contact', carolInvite.invite]);
    await msg('faucet', ['add-contact', aliceInvite.invite]);

    const refused = await runCli(['--home', home.dir, 'msg', 'group', 'solo', 'bob', '--from', 'publisher'], ENV);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /at least two other members/);
    const group = await msg('publisher', ['group', 'team', 'bob', 'carol']);
    assert.deepEqual(group.members, ['bob', 'carol']);

    const sent = await msg('publisher', ['send', 'team', 'hello team']);
    assert.deepEqual(sent.recipients.map((r: { contact: string }) => r.contact), ['bob', 'carol']);
    for (const member of ['viewer', 'faucet']) {
      const got = (await msg(member, ['inbox'])).messages;
      assert.deepEqual(got.map((m: { from: string; group: string; text: string; id: string }) => [m.from, m.group, m.text, m.id]), [['alice', 'team', 'hello team', sent.id]], member);
    }
  });
});
