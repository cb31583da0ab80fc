/**
 * A new validator joins a running network, as an operator would do it with the CLI: four devnet
 * validator processes run (support/validator-net.ts); a fifth node is initialised with
 * `trucom validator init --genesis … --bootstrap <v0's address from trucom validator show>`, started
 * with `trucom validator start`, block-syncs from genesis to the tip, and its operator (a new key,
 * funded from the devnet faucet with `trucom tx bank send`) bonds it with `trucom tx staking
 * create-validator`, sent through the new node's own RPC. It must then be in /validators, sign
 * blocks (its precommit in later last commits) and show as bonded in REST and in
 * `trucom query staking validators`. Then delegations against the real network: unmodified cosmjs
 * (delegateTokens, withdrawRewards, undelegateTokens, the staking and distribution query
 * extensions) and the CLI's `tx staking delegate|unbond` and `tx distribution withdraw-rewards`.
 * Ports 31200-31299.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { assertIsDeliverTxSuccess, GasPrice, QueryClient, setupDistributionExtension, setupStakingExtension, SigningStargateClient } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { accountKeyFromMnemonic, generateMnemonic, reprefix, VALOPER_PREFIX } from '@trucom/crypto';
import { waitFor } from '@trucom/testkit';
import { genesisFile } from '@trucom/cli/devnet';
import { cleanEnv, REPO_ROOT, restJson, rpc, runCli, TRUCOM_CLI } from './support/index.js';
import { ValidatorNet } from './support/validator-net.js';

/** Below Linux's ephemeral range (see consensus-faults.test.ts); v0..v3 use 31201 (REST), 31206..31237. */
const PORTS = { rpc: 31207, p2p: 31206, rest: 31201 };
const NEW_NODE = { p2p: 31246, rpc: 31247 };
const ALL = [0, 1, 2, 3];
const SELF_BOND = 10_000_000n; // 10 TRU: voting power 10, as each devnet validator
const E18 = 10n ** 18n;

const valoper = (account: string) => reprefix(account, VALOPER_PREFIX);

interface Header {
  readonly height: number;
  readonly hash: string;
  readonly appHash: string;
}

/** Headers [from, to] of the node at `url` (the `blockchain` method, 20 per call). */
async function headers(url: string, from: number, to: number): Promise<Header[]> {
  const out: Header[] = [];
  for (let min = from; min <= to; min += 20) {
    const max = Math.min(to, min + 19);
    const r = await rpc(url, 'blockchain', { minHeight: String(min), maxHeight: String(max) });
    for (const m of r.block_metas as { block_id: { hash: string }; header: { height: string; app_hash: string } }[]) {
      out.push({ height: Number(m.header.height), hash: m.block_id.hash, appHash: m.header.app_hash });
    }
  }
  return out.sort((a, b) => a.height - b.height);
}

const heightOf = async (url: string) => Number((await rpc(url, 'status')).sync_info.latest_block_height);

/** Runs `trucom …args`, expecting exit code 0; returns stdout parsed as JSON when `-o json` is among the args. */
async function trucom(args: readonly string[]): Promise<any> {
  const r = await runCli(args);
  assert.equal(r.code, 0, `trucom ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return args.includes('-o') ? JSON.parse(r.stdout) : r.stdout;
}

describe('a fifth validator joins with the CLI; staking and rewards with cosmjs and the CLI against the real network', { timeout: 240_000 }, () => {
  let net: ValidatorNet;
  let newHome: string;
  let newRpc: string;
  let newLog: string;
  let newNode: ChildProcess | undefined;
  let newIdentity: { address: string; pub_key: { value: string }; p2p_address: string };
  const operator = { name: 'v4-operator', mnemonic: generateMnemonic(24), address: '' };
  let signedBlock = 0;
  let fiveFrom = 0;

  before(async () => {
    net = await ValidatorNet.create(PORTS);
    await net.startAll();
    await net.waitForHeight(ALL, 3, 60_000);
    newHome = join(net.layout.dir, 'v4');
    newRpc = `http://127.0.0.1:${NEW_NODE.rpc}`;
    newLog = join(net.dir, 'logs', 'v4.log');
    operator.address = (await accountKeyFromMnemonic(operator.mnemonic)).address;
  });

  after(async () => {
    if (newNode && newNode.exitCode === null && newNode.signalCode === null) {
      await new Promise((r) => {
        newNode!.once('exit', r);
        newNode!.kill('SIGKILL');
        setTimeout(r, 10_000).unref();
      });
    }
    await net?.destroy();
  });

  const newNodeLogTail = () => readFileSync(newLog, 'utf8').split('\n').slice(-15).join('\n');

  it('`trucom validator init --genesis --bootstrap` + `validator start`: the new node block-syncs from genesis to the tip, same block hashes', async (t) => {
    const v0 = await trucom(['-o', 'json', 'validator', 'show', '--home', net.homes[0]!]);
    assert.equal(v0.p2p_address, `/ip4/127.0.0.1/tcp/${PORTS.p2p}/p2p/${net.peerIds[0]}`, "validator show prints v0's bootstrap address");
    assert.equal(v0.address, net.addresses[0]);

    newIdentity = await trucom([
      '-o', 'json', 'validator', 'init', '--home', newHome, '--moniker', 'v4',
      '--genesis', genesisFile(net.layout), '--bootstrap', v0.p2p_address,
      '--p2p-port', String(NEW_NODE.p2p), '--rpc-port', String(NEW_NODE.rpc),
    ]);
    const shown = await trucom(['-o', 'json', 'validator', 'show', '--home', newHome]);
    assert.equal(shown.p2p_address, newIdentity.p2p_address);
    assert.equal(shown.pub_key.value, newIdentity.pub_key.value);

    const tipAtStart = await net.maxHeight(ALL);
    const fd = openSync(newLog, 'a');
    try {
      writeFileSync(fd, `--- start v4 (trucom validator start) ${new Date().toISOString()}\n`);
      newNode = spawn(process.execPath, [TRUCOM_CLI, 'validator', 'start', '--home', newHome], { cwd: REPO_ROOT, env: cleanEnv({ TRUCOM_ASSERT_INVARIANTS: '1' }), stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    const started = Date.now();
    const synced = await waitFor('the new node to reach the tip', async () => {
      if (newNode!.exitCode !== null || newNode!.signalCode !== null) throw new Error(`the new node exited (${newNode!.exitCode ?? newNode!.signalCode}); log:\n${newNodeLogTail()}`);
      const [mine, tip] = await Promise.all([heightOf(newRpc).catch(() => 0), net.maxHeight(ALL)]);
      return mine >= Math.max(tipAtStart, tip - 1) ? mine : undefined;
    }, 60_000, 200);
    t.diagnostic(`new node at height ${synced} ${Date.now() - started} ms after start (tip was ${tipAtStart} when it started)`);

    const [mine, theirs] = await Promise.all([headers(newRpc, 1, synced), headers(net.rpcUrls[1]!, 1, synced)]);
    assert.equal(mine.length, synced, 'the new node has every block from genesis');
    assert.deepEqual(mine, theirs, 'the same block hashes and app hashes as v1');
    const validators = await rpc(newRpc, 'validators');
    assert.equal(validators.validators.length, 4, 'not a validator yet');
    assert.ok(!(validators.validators as { address: string }[]).some((v) => v.address === newIdentity.address));
  });

  it('`trucom tx staking create-validator` through the new node: 5 validators, the new one signs blocks and is bonded in REST and the CLI', async (t) => {
    const home = ['--home', net.dir];
    await trucom([...home, 'keys', 'import', operator.name, operator.mnemonic]);
    const funded = await trucom([...home, '-o', 'json', 'tx', 'bank', 'send', 'faucet', operator.address, '100000000utru', '--node', net.rpcUrls[1]!]);
    assert.equal(funded.code, 0);

    const created = await trucom([
      ...home, '-o', 'json', 'tx', 'staking', 'create-validator', '--from', operator.name,
      '--amount', `${SELF_BOND}utru`, '--pubkey', newIdentity.pub_key.value, '--moniker', 'v4', '--commission-rate', '0.05',
      '--node', newRpc,
    ]);
    assert.equal(created.code, 0, created.rawLog);
    assert.equal(created.operator_address, valoper(operator.address));
    assert.ok(created.events.some((e: { type: string }) => e.type === 'create_validator'));
    const includedAt = Number(created.height);

    // the set changes at H+2
    const setAt = await waitFor('5 validators in /validators', async () => {
      const r = await rpc(net.rpcUrls[0]!, 'validators');
      return r.validators.length === 5 ? Number(r.block_height) : undefined;
    }, 30_000, 200);
    fiveFrom = setAt;
    const set = (await rpc(net.rpcUrls[0]!, 'validators', { height: String(setAt) })).validators as { address: string; voting_power: string; pub_key: { value: string } }[];
    const mine = set.find((v) => v.address === newIdentity.address);
    assert.ok(mine, `the new node's address ${newIdentity.address} is in the set: ${JSON.stringify(set)}`);
    assert.equal(mine.voting_power, '10');
    assert.equal(mine.pub_key.value, newIdentity.pub_key.value);
    assert.ok(setAt >= includedAt + 2, `set changed at ${setAt}, tx in ${includedAt}`);

    // it votes: its precommit is in the last commit of a later block
    signedBlock = await waitFor("the new validator's signature in a last commit", async () => {
      const h = await heightOf(net.rpcUrls[0]!);
      for (let height = Math.max(setAt + 1, h - 3); height <= h; height++) {
        const b = await net.block(0, height);
        const sigs = b.block.last_commit.signatures as { validator_address: string; signature: string | null }[];
        if (sigs.some((s) => s.validator_address === newIdentity.address && s.signature)) return height;
      }
      return undefined;
    }, 30_000, 300);
    t.diagnostic(`create-validator in block ${includedAt}, 5 validators from ${setAt}, its precommit in block ${signedBlock}'s last commit`);

    const rest = await restJson(net.restUrl, '/cosmos/staking/v1beta1/validators');
    assert.equal(rest.status, 200);
    const restMine = (rest.body.validators as { operator_address: string; status: string; tokens: string; consensus_pubkey: { key: string }; description: { moniker: string } }[]).find(
      (v) => v.operator_address === valoper(operator.address),
    );
    assert.ok(restMine, 'REST lists the new validator');
    assert.equal(restMine.status, 'BOND_STATUS_BONDED');
    assert.equal(restMine.tokens, SELF_BOND.toString());
    assert.equal(restMine.consensus_pubkey.key, newIdentity.pub_key.value);
    assert.equal(restMine.description.moniker, 'v4');
    assert.equal(rest.body.validators.length, 5);

    const [cli, cliText] = await Promise.all([
      trucom(['-o', 'json', 'query', 'staking', 'validators', '--status', 'bonded', '--node', newRpc]),
      trucom(['query', 'staking', 'validators', '--node', newRpc]),
    ]);
    const cliMine = (cli.validators as { operator_address: string; consensus_address: string; status: string; commission_rate: string }[]).find((v) => v.operator_address === valoper(operator.address));
    assert.ok(cliMine);
    assert.equal(cliMine.consensus_address, newIdentity.address);
    assert.equal(cliMine.commission_rate, '0.050000000000000000');
    assert.equal(cli.validators.length, 5);
    assert.match(cliText, new RegExp(`${valoper(operator.address)}\\s+v4\\s+bonded`));
  });

  it('five validators keep one chain: the new node has the same blocks as the others, and keeps signing', async (t) => {
    const from = await net.maxHeight(ALL);
    await net.waitForHeight(ALL, from + 10, 30_000);
    await waitFor('the new node at the same height', async () => ((await heightOf(newRpc)) >= from + 10 ? true : undefined), 30_000, 200);
    const top = await net.assertAgreement(ALL);
    const [mine, theirs] = await Promise.all([headers(newRpc, 1, top), headers(net.rpcUrls[0]!, 1, top)]);
    assert.deepEqual(mine, theirs, 'the new node agrees with v0 on every block');
    // Who is in the last commits. A commit holds the precommits a node had when it decided (2/3+ of
    // the power), so the slowest validator is often left out: at least 4 of 5 each time, and the
    // new validator in more than one of them.
    const signers = async (from: number, to: number) => {
      const counts = new Map<string, number>();
      const sizes: number[] = [];
      for (let h = from; h <= to; h++) {
        const b = await net.block(0, h);
        const signed = (b.block.last_commit.signatures as { validator_address: string; signature: string | null }[]).filter((s) => s.signature).map((s) => s.validator_address);
        sizes.push(signed.length);
        for (const a of signed) counts.set(a, (counts.get(a) ?? 0) + 1);
      }
      const per = [...net.addresses, newIdentity.address].map((a, i) => `v${i}:${counts.get(a) ?? 0}`).join(' ');
      return { counts, sizes, text: `last commits of blocks ${from}..${to}: signatures per block ${JSON.stringify(sizes)}; blocks signed per validator ${per}` };
    };
    t.diagnostic(`four validators: ${(await signers(3, fiveFrom)).text}`);
    const five = await signers(signedBlock, top);
    t.diagnostic(`five validators: ${five.text}`);
    assert.ok(five.sizes.every((n) => n >= 4), 'at least 4 of 5 signatures in every last commit');
    assert.ok((five.counts.get(newIdentity.address) ?? 0) >= 2, 'the new validator keeps signing');
  });

  it('unmodified cosmjs against a real validator: delegateTokens, withdrawRewards, undelegateTokens; staking and distribution query extensions', async (t) => {
    const publisher = net.accounts.find((a) => a.name === 'publisher')!;
    const target = valoper(net.accounts.find((a) => a.name === 'v1-operator')!.address);
    const url = net.rpcUrls[2]!;
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(publisher.mnemonic, { prefix: 'tru' });
    const client = await SigningStargateClient.connectWithSigner(url, wallet, { gasPrice: GasPrice.fromString('0.01utru'), broadcastPollIntervalMs: 300 });
    let comet: CometClient | undefined;
    try {
      comet = await connectComet(url);
      const q = QueryClient.withExtensions(comet, setupStakingExtension, setupDistributionExtension);

      const bonded = await q.staking.validators('BOND_STATUS_BONDED');
      assert.equal(bonded.validators.length, 5);
      assert.ok(bonded.validators.some((v) => v.operatorAddress === valoper(operator.address)));
      assert.ok(bonded.validators.some((v) => v.operatorAddress === target));

      const d = await client.delegateTokens(publisher.address, target, { denom: 'utru', amount: '5000000' }, 'auto');
      assertIsDeliverTxSuccess(d);
      assert.equal(d.msgResponses[0]!.typeUrl, '/cosmos.staking.v1beta1.MsgDelegateResponse');
      assert.deepEqual((await q.staking.delegation(publisher.address, target)).delegationResponse!.balance, { denom: 'utru', amount: '5000000' });
      assert.deepEqual(await client.getDelegation(publisher.address, target), { denom: 'utru', amount: '5000000' });
      assert.equal((await q.staking.validator(target)).validator.tokens, '15000000');

      const pending = await waitFor('rewards on the new delegation', async () => {
        const r = await q.distribution.delegationRewards(publisher.address, target);
        const amount = BigInt(r.rewards.find((c) => c.denom === 'utru')?.amount ?? '0') / E18;
        return amount > 0n ? amount : undefined;
      }, 20_000, 300);
      const total = await q.distribution.delegationTotalRewards(publisher.address);
      assert.ok(total.rewards.some((r) => r.validatorAddress === target));
      const outstanding = await q.distribution.validatorOutstandingRewards(target);
      assert.ok(BigInt(outstanding.rewards!.rewards[0]!.amount) > 0n);

      const w = await client.withdrawRewards(publisher.address, target, 'auto');
      assertIsDeliverTxSuccess(w);
      const withdrawn = w.events.find((e) => e.type === 'withdraw_rewards')!.attributes.find((a) => a.key === 'amount')!.value;
      assert.ok(BigInt(withdrawn.replace('utru', '')) >= pending, `withdrew ${withdrawn}, at least the ${pending}utru pending before`);

      const u = await client.undelegateTokens(publisher.address, target, { denom: 'utru', amount: '2000000' }, 'auto');
      assertIsDeliverTxSuccess(u);
      assert.equal(u.msgResponses[0]!.typeUrl, '/cosmos.staking.v1beta1.MsgUndelegateResponse');
      assert.deepEqual(await client.getDelegation(publisher.address, target), { denom: 'utru', amount: '3000000' });
      const ubd = await q.staking.unbondingDelegation(publisher.address, target);
      assert.equal(ubd.unbond!.entries.length, 1);
      assert.equal(ubd.unbond!.entries[0]!.balance, '2000000');
      t.diagnostic(`delegated 5 TRU to v1 in block ${d.height}, withdrew ${withdrawn} in ${w.height}, unbonded 2 TRU in ${u.height}`);
    } finally {
      client.disconnect();
      comet?.disconnect();
    }
  });

  it('the CLI: `tx staking delegate` to the new validator, `tx distribution withdraw-rewards --commission`, `tx staking unbond`', async () => {
    const home = ['--home', net.dir];
    const target = valoper(operator.address);
    const node = ['--node', net.rpcUrls[3]!];
    const d = await trucom([...home, '-o', 'json', 'tx', 'staking', 'delegate', target, '3000000utru', '--from', 'viewer', ...node]);
    assert.equal(d.code, 0, d.rawLog);
    const delegations = await restJson(net.restUrl, `/cosmos/staking/v1beta1/delegations/${net.accounts.find((a) => a.name === 'viewer')!.address}`);
    assert.deepEqual(delegations.body.delegation_responses.map((r: { delegation: { validator_address: string }; balance: unknown }) => [r.delegation.validator_address, r.balance]), [
      [target, { denom: 'utru', amount: '3000000' }],
    ]);

    // the operator: its self-delegation rewards and its commission (the viewer's delegation pays some)
    await net.waitForProgress(ALL, 2, 20_000);
    const w = await trucom([...home, '-o', 'json', 'tx', 'distribution', 'withdraw-rewards', target, '--commission', '--from', operator.name, ...node]);
    assert.equal(w.code, 0, w.rawLog);
    const types = (w.events as { type: string }[]).map((e) => e.type);
    assert.ok(types.includes('withdraw_rewards'), JSON.stringify(types));
    assert.deepEqual(w.msgResponses.map((m: { typeUrl: string }) => m.typeUrl), [
      '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorRewardResponse',
      '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommissionResponse',
    ]);
    const rewards = (w.events as { type: string; attributes: { key: string; value: string }[] }[]).find((e) => e.type === 'withdraw_rewards')!.attributes.find((a) => a.key === 'amount')!.value;
    assert.ok(BigInt(rewards.replace('utru', '') || '0') > 0n, `the new validator earned rewards (withdrew ${rewards})`);

    const u = await trucom([...home, '-o', 'json', 'tx', 'staking', 'unbond', target, '1000000utru', '--from', 'viewer', ...node]);
    assert.equal(u.code, 0, u.rawLog);
    assert.ok((u.events as { type: string }[]).some((e) => e.type === 'unbond'));
    const after = await restJson(net.restUrl, `/cosmos/staking/v1beta1/delegations/${net.accounts.find((a) => a.name === 'viewer')!.address}`);
    assert.deepEqual(after.body.delegation_responses[0].balance, { denom: 'utru', amount: '2000000' });

    // a bad amount and an unknown validator are refused before anything is broadcast
    const [bad, unknown] = await Promise.all([
      runCli([...home, 'tx', 'staking', 'delegate', target, '0utru', '--from', 'viewer', ...node]),
      runCli([...home, 'tx', 'staking', 'delegate', valoper(net.accounts.find((a) => a.name === 'faucet')!.address), '1utru', '--from', 'viewer', ...node]),
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /amounts must be positive/);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /simulation failed/);
  });
});
