/**
 * `node bin/trucom.js` as a child process against a real validator process: keys import / list /
 * show, bank balances, bank send (gas auto and a fixed fee), tx / account / block queries, all with
 * `-o json`; and the failures a user meets (unknown key, bad addresses, unknown tx, a tx that fails
 * in the block, an unreachable node): exit code 1 and a message on stderr. Ports 29400-29499.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalChain, type LocalChain } from '@trucom/testkit';
import { testAccounts, type TestAccount } from '../../contracts/app/dist/testing.js';
import { balanceOf, checkSupplyInvariant, cleanEnv, makeTempDir, runCli } from './support/index.js';

const RPC_PORT = 29457;
const REST_PORT = 29417;
/** Nothing listens here (the next port of this file's range). */
const DEAD_PORT = 29499;
const ALICE_FUNDS = 50_000_000n;
const POOR_FUNDS = 10_000n;

describe('trucom CLI against a validator process', { timeout: 180_000 }, () => {
  let chain: LocalChain;
  let home: ReturnType<typeof makeTempDir>;
  let alice: TestAccount, bob: TestAccount, poor: TestAccount;
  let sendHash: string;
  let sendHeight: number;
  const genesis = new Map<string, bigint>();

  /** trucom with this test's home, always JSON output, against the test chain. */
  const trucom = (...args: string[]) => runCli(['--home', home.dir, '-o', 'json', ...args]);
  const node = ['--node', `http://127.0.0.1:${RPC_PORT}`];

  function ok(r: { code: number | null; stdout: string; stderr: string }) {
    assert.equal(r.code, 0, `exit code ${r.code}; stderr: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  function fails(r: { code: number | null; stdout: string; stderr: string }, message: RegExp) {
    assert.equal(r.code, 1, `expected exit code 1, got ${r.code}; stdout: ${r.stdout}`);
    assert.match(r.stderr, message);
  }

  before(async () => {
    [alice, bob, poor] = await testAccounts(3, 400);
    genesis.set(alice!.address, ALICE_FUNDS).set(poor!.address, POOR_FUNDS);
    home = makeTempDir('trucom-cli-test-');
    chain = createLocalChain({ balances: [...genesis].map(([address, amount]) => ({ address, amount })), rpcPort: RPC_PORT, restPort: REST_PORT, blockTimeMs: 300 });
    await chain.start();
  });

  after(async () => {
    await chain?.destroy();
    home?.remove();
  });

  it('imports a funded key from its mnemonic and lists it', async () => {
    const [a, p] = await Promise.all([trucom('keys', 'import', 'alice', ...alice.mnemonic.split(' ')), trucom('keys', 'import', 'poor', ...poor.mnemonic.split(' '))]);
    assert.deepEqual(ok(a), { name: 'alice', address: alice.address });
    assert.deepEqual(ok(p), { name: 'poor', address: poor.address });
    const list = ok(await trucom('keys', 'list'));
    assert.deepEqual(list, [
      { name: 'alice', address: alice.address, source: 'keyring' },
      { name: 'poor', address: poor.address, source: 'keyring' },
    ]);
    const shown = await runCli(['--home', home.dir, 'keys', 'show', 'alice', '-a']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(shown.stdout.trim(), alice.address);
    // the home can also come from TRUCOM_HOME
    const viaEnv = await runCli(['-o', 'json', 'keys', 'list'], cleanEnv({ TRUCOM_HOME: home.dir }));
    assert.equal(JSON.parse(viaEnv.stdout).length, 2);
  });

  it('queries bank balances', async () => {
    const [r, empty] = await Promise.all([trucom('query', 'bank', 'balances', alice.address, ...node), trucom('query', 'bank', 'balances', bob.address, ...node)]);
    assert.deepEqual(ok(r), { address: alice.address, balances: [{ denom: 'utru', amount: ALICE_FUNDS.toString() }] });
    assert.deepEqual(ok(empty).balances, []);
  });

  it('sends tokens (gas auto) and reports the committed tx', async () => {
    const r = ok(await trucom('tx', 'bank', 'send', 'alice', bob.address, '1234utru', ...node));
    assert.equal(r.code, 0);
    assert.match(r.transactionHash, /^[0-9A-F]{64}$/);
    assert.ok(r.height > 0);
    sendHash = r.transactionHash;
    sendHeight = r.height;
    assert.equal(await balanceOf(chain.restUrl!, bob.address), 1234n);
  });

  it('sends with a fixed fee and a memo', async () => {
    const r = ok(await trucom('tx', 'bank', 'send', 'alice', bob.address, '66utru', '--fees', '5000utru', '--gas', '200000', '--memo', 'fixed fee', ...node));
    assert.equal(r.code, 0);
    const tx = ok(await trucom('query', 'tx', r.transactionHash, ...node));
    assert.deepEqual(tx.fee, { amount: [{ denom: 'utru', amount: '5000' }], gasLimit: '200000' });
    assert.equal(tx.body.memo, 'fixed fee');
    assert.equal(await balanceOf(chain.restUrl!, bob.address), 1300n);
  });

  it('queries the tx, the account and blocks', async () => {
    const [txOut, lowerOut, accountOut, blockOut, latestOut] = await Promise.all([
      trucom('query', 'tx', sendHash, ...node),
      trucom('query', 'tx', sendHash.toLowerCase(), ...node),
      trucom('query', 'account', alice.address, ...node),
      trucom('query', 'block', String(sendHeight), ...node),
      trucom('query', 'block', ...node),
    ]);
    const tx = ok(txOut);
    assert.equal(tx.hash, sendHash);
    assert.equal(tx.height, sendHeight);
    assert.equal(tx.code, 0);
    assert.equal(tx.signers, 1);
    assert.equal(tx.body.messages.length, 1);
    assert.equal(tx.body.messages[0].typeUrl, '/cosmos.bank.v1beta1.MsgSend');
    assert.deepEqual(tx.body.messages[0].value, { fromAddress: alice.address, toAddress: bob.address, amount: [{ denom: 'utru', amount: '1234' }] });
    const lower = ok(lowerOut);
    assert.equal(lower.hash, sendHash);

    const account = ok(accountOut);
    assert.equal(account.address, alice.address);
    assert.equal(String(account.accountNumber), '0');
    assert.equal(account.sequence, 2);
    assert.equal(account.pubkey.value, Buffer.from(alice.pubkey).toString('base64'));

    const block = ok(blockOut);
    assert.equal(block.header.height, sendHeight);
    assert.equal(block.header.chain_id, chain.chainId);
    assert.ok(block.txs.some((t: { hash: string }) => t.hash === sendHash));
    const latest = ok(latestOut);
    assert.ok(latest.header.height >= sendHeight);
    assert.match(latest.block_id.hash, /^[0-9A-F]{64}$/);
  });

  it('fails with exit code 1 and a message: unknown key, bad addresses, unknown tx or height', async () => {
    // independent invocations, run side by side (each is a full CLI start-up)
    const cases: [string[], RegExp][] = [
      [['tx', 'bank', 'send', 'nosuchkey', bob.address, '1utru', ...node], /no key named nosuchkey/],
      [['tx', 'bank', 'send', 'alice', 'tru1notanaddress', '1utru', ...node], /invalid recipient address/],
      [['tx', 'bank', 'send', 'alice', bob.address.replace(/^tru/, 'cosmos'), '1utru', ...node], /invalid recipient address/],
      [['tx', 'bank', 'send', 'alice', bob.address, 'lots', ...node], /amount/],
      [['query', 'bank', 'balances', 'notanaddress', ...node], /invalid address/],
      [['query', 'account', 'tru1xyz', ...node], /invalid address/],
      [['query', 'tx', 'AB'.repeat(32), ...node], /not found/],
      [['query', 'tx', 'xyz', ...node], /invalid tx hash/],
      [['query', 'block', '99999999', ...node], /node error|height/],
      [['keys', 'import', 'bad', 'not', 'a', 'mnemonic'], /invalid mnemonic/],
      [['keys', 'import', 'alice', ...alice.mnemonic.split(' ')], /already exists/],
    ];
    const results = await Promise.all(cases.map(([args]) => trucom(...args)));
    results.forEach((r, i) => fails(r, cases[i]![1]));
    // nothing was sent by any of these
    assert.equal(await balanceOf(chain.restUrl!, bob.address), 1300n);
  });

  it('exits 1 when the tx fails: in simulation (gas auto) or in the block (code 5, fee paid)', async () => {
    fails(await trucom('tx', 'bank', 'send', 'poor', bob.address, '1000000utru', ...node), /simulation failed|insufficient funds/);
    assert.equal(await balanceOf(chain.restUrl!, poor.address), POOR_FUNDS, 'nothing broadcast');
    const r = await trucom('tx', 'bank', 'send', 'poor', bob.address, '1000000utru', '--fees', '2000utru', '--gas', '200000', ...node);
    assert.equal(r.code, 1, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(result.code, 5);
    assert.equal(await balanceOf(chain.restUrl!, poor.address), POOR_FUNDS - 2000n, 'the fee was paid');
  });

  it('exits 1 with a clear message when the node is unreachable', async () => {
    const dead = ['--node', `http://127.0.0.1:${DEAD_PORT}`];
    const [q, t] = await Promise.all([trucom('query', 'bank', 'balances', alice.address, ...dead), trucom('tx', 'bank', 'send', 'alice', bob.address, '1utru', ...dead)]);
    fails(q, /cannot reach node/);
    fails(t, /cannot reach node/);
  });

  it('keeps the supply invariant', async () => {
    await checkSupplyInvariant({ rpcUrl: chain.rpcUrl, restUrl: chain.restUrl!, genesis, known: [alice, bob, poor].map((a) => a.address) });
  });
});
