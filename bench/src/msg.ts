/**
 * npm run bench:msg — messaging throughput through gateway mailboxes on a devnet, and anchor cost.
 *
 * Starts `trucom devnet` in a temp home on its own ports (30500–30599). Two Messengers (libs/messaging,
 * keys from the devnet's publisher and viewer seed phrases) exchange invites naming all four gateways;
 * Alice sends BENCH_MESSAGES messages to Bob (each: ratchet step, sealed envelope, PUT to four gateways
 * in parallel), then Bob reads them all (GET from four gateways, dedup, decrypt, DELETE everywhere).
 * Then Alice anchors every hash in one MsgAnchor (cosmjs, simulated gas × 1.3 at 0.01utru): hashes per
 * anchor tx, its gas and fee, and the fee per message. Also the in-memory encrypt+decrypt rate.
 * Progress on stderr, one JSON line on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, calculateFee } from '@cosmjs/stargate';
import { trucomRegistry } from '@trucom/client';
import { identityFromAccountKey, identityFromMnemonic, Messenger, msgAnchor, queryAnchor, sessionDecrypt, sessionEncrypt, type ContactSessions } from '@trucom/messaging';
import { sleep } from './commits.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200);
const PORTS = { rpc: 30557, p2p: 30556, rest: 30517, gateway: 30580, dashboard: 30590 };
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO, 'bin', 'trucom.js');
const RPC = `http://127.0.0.1:${PORTS.rpc}`;
const GATEWAYS = [0, 1, 2, 3].map((i) => `http://127.0.0.1:${PORTS.gateway + i}`);
const progress = (msg: string) => process.stderr.write(`[bench:msg] ${msg}\n`);

async function until(what: string, ok: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok().catch(() => false)) return;
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function inMemoryRate(n: number): number {
  const a = identityFromAccountKey(new Uint8Array(32).fill(1));
  const b = identityFromAccountKey(new Uint8Array(32).fill(2));
  const sa: ContactSessions = { sessions: {} };
  const sb: ContactSessions = { sessions: {} };
  const text = new TextEncoder().encode('x'.repeat(200));
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    sessionDecrypt(b, a.identity.publicKey, sb, sessionEncrypt(a, { identityKey: b.identity.publicKey, prekey: b.prekey.publicKey }, sa, text));
    if (i % 10 === 9) sessionDecrypt(a, b.identity.publicKey, sa, sessionEncrypt(b, { identityKey: a.identity.publicKey, prekey: a.prekey.publicKey }, sb, text));
  }
  return n / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'trucom-bench-msg-'));
  const env: NodeJS.ProcessEnv = { ...process.env, TRUCOM_RPC_PORT: String(PORTS.rpc), TRUCOM_P2P_PORT: String(PORTS.p2p), TRUCOM_REST_PORT: String(PORTS.rest), TRUCOM_GATEWAY_PORT: String(PORTS.gateway), TRUCOM_DASHBOARD_PORT: String(PORTS.dashboard) };
  delete env.TRUCOM_HOME;
  progress(`starting a devnet in ${home}`);
  const devnet = spawn(process.execPath, [CLI, '--home', home, 'devnet'], { env, stdio: 'ignore', detached: true });
  try {
    await until('the devnet', async () => {
      for (const g of GATEWAYS) if ((await fetch(`${g}/health`)).status !== 200) return false;
      const s = (await (await fetch(`${RPC}/status`)).json()) as { result: { sync_info: { latest_block_height: string } } };
      return Number(s.result.sync_info.latest_block_height) >= 2;
    }, 240_000);
    const accounts = JSON.parse(readFileSync(join(home, 'devnet', 'accounts.json'), 'utf8')) as { name: string; address: string; mnemonic: string }[];
    const pub = accounts.find((a) => a.name === 'publisher')!;
    const viewer = accounts.find((a) => a.name === 'viewer')!;
    const alice = new Messenger(await identityFromMnemonic(pub.mnemonic));
    const bob = new Messenger(await identityFromMnemonic(viewer.mnemonic));
    alice.addContact(await bob.invite('bob', GATEWAYS));
    bob.addContact(await alice.invite('alice', GATEWAYS));

    progress(`sending ${MESSAGES} messages through 4 mailbox gateways`);
    const t0 = performance.now();
    for (let i = 0; i < MESSAGES; i++) await alice.send('bob', `message ${i} ${'x'.repeat(100)}`);
    const sendS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    let received = 0;
    while (received < MESSAGES) {
      const r = await bob.inbox();
      received += r.messages.length;
      if (r.messages.length === 0) throw new Error(`only ${received} of ${MESSAGES} delivered`);
    }
    const readS = (performance.now() - t1) / 1000;

    progress('anchoring every hash in one MsgAnchor');
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(pub.mnemonic, { prefix: 'tru' });
    const client = await SigningStargateClient.connectWithSigner(RPC, wallet, { registry: trucomRegistry(), gasPrice: GasPrice.fromString('0.01utru') });
    let gasUsed = 0;
    let fee = 0;
    const anchored = await alice.anchor(async (root, count) => {
      const msgs = [msgAnchor(pub.address, root, count)];
      const gas = Math.ceil((await client.simulate(pub.address, msgs, '')) * 1.3);
      const f = calculateFee(gas, GasPrice.fromString('0.01utru'));
      fee = Number(f.amount[0]!.amount);
      const r = await client.signAndBroadcast(pub.address, msgs, f);
      if (r.code !== 0) throw new Error(`MsgAnchor failed: ${r.rawLog}`);
      gasUsed = Number(r.gasUsed);
      return { txhash: r.transactionHash, height: r.height };
    });
    client.disconnect();
    const onChain = await queryAnchor(RPC, anchored!.root);
    if (!onChain || onChain.count !== MESSAGES) throw new Error('the anchor is not on chain');
    const id = Object.keys(alice.state.messages)[0]!;
    const verified = await alice.verify(id, (root) => queryAnchor(RPC, root));
    if (!verified.ok) throw new Error(`verify failed: ${verified.reason}`);

    const memory = inMemoryRate(2000);
    const result = {
      bench: 'msg',
      messages: MESSAGES,
      gateways: GATEWAYS.length,
      send_msgs_per_s: Math.round((MESSAGES / sendS) * 10) / 10,
      receive_msgs_per_s: Math.round((MESSAGES / readS) * 10) / 10,
      end_to_end_msgs_per_s: Math.round((MESSAGES / (sendS + readS)) * 10) / 10,
      in_memory_encrypt_decrypt_per_s: Math.round(memory),
      hashes_per_anchor_tx: anchored!.count,
      anchor_gas_used: gasUsed,
      anchor_fee_utru: fee,
      anchor_cost_per_message_utru: Math.round((fee / anchored!.count) * 1000) / 1000,
      anchor_height: anchored!.height,
    };
    progress(`${result.end_to_end_msgs_per_s} msg/s end to end (send ${result.send_msgs_per_s}/s to 4 gateways, read ${result.receive_msgs_per_s}/s); ${result.in_memory_encrypt_decrypt_per_s} ratchet encrypt+decrypt/s in memory; one anchor of ${result.hashes_per_anchor_tx} hashes: ${gasUsed} gas, ${fee} utru = ${result.anchor_cost_per_message_utru} utru per message`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    try {
      process.kill(-devnet.pid!, 'SIGINT');
    } catch {
      // gone
    }
    await new Promise((r) => devnet.once('exit', r).once('error', r));
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
