import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { QueryClient, setupTxExtension, StargateClient, calculateFee, GasPrice } from '@cosmjs/stargate';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { QueryAccountRequest } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QuerySupplyOfRequest, QuerySupplyOfResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { SIMULATE_PATH } from '@trucom/chain';
import { moduleAddress, toBase64 } from '@trucom/crypto';
import { FEE_COLLECTOR } from '@trucom/auth';
import { defaultRegistry, msgMultiSend, msgSend, signTx, simulationTx, testAccounts, TestChain, type TestAccount } from './testing.js';

let alice: TestAccount, bob: TestAccount, carol: TestAccount;
let chain: TestChain;

/** A CometClient whose abci_query goes straight to the app: enough for cosmjs's query clients. */
function cometClientFor(c: TestChain): CometClient {
  return {
    abciQuery: async ({ path, data }: { path: string; data: Uint8Array }) => {
      const r = await c.query(path, data);
      return { key: new Uint8Array(), value: r.value, height: r.height, index: 0, code: r.code, codespace: r.codespace, log: r.log, info: '' };
    },
    disconnect: () => {},
  } as unknown as CometClient;
}

before(async () => {
  [alice, bob, carol] = await testAccounts(3);
  chain = await TestChain.start({
    balances: [
      { address: alice.address, coins: '7stake,1000000000utru' },
      { address: bob.address, coins: '1000000utru' },
    ],
  });
  // cosmjs requires a non-zero query height, so serve queries from height 1.
  await chain.deliver([]);
});

after(async () => {
  await chain.destroy();
});

describe('simulate (cosmjs "auto" gas)', () => {
  test('an unsigned tx with an empty signature, as cosmjs sends it, gets gasUsed > 0 and changes nothing', async () => {
    const before = { hash: chain.appHash, balance: await chain.balance(alice.address) };
    const raw = simulationTx(alice, [msgSend(alice.address, bob.address, '1000utru')], 0);
    assert.equal(Tx.decode(raw).signatures[0]!.length, 0);
    const r = chain.app.simulate(raw, chain.blockInfo());
    assert.equal(r.code, 0, r.log);
    assert.ok(r.gasUsed > 0);
    assert.equal(r.gasWanted, 0);
    assert.ok(r.events.some((e) => e.type === 'transfer'));
    // Simulating again with the same sequence works: nothing was kept, not even in the check state.
    assert.equal(chain.app.simulate(raw, chain.blockInfo()).code, 0);
    assert.deepEqual(chain.appHash, before.hash);
    assert.equal(await chain.balance(alice.address), before.balance);
    assert.equal((await chain.account(alice.address))?.sequence, 0n);
  });

  test('the estimate × 1.4 covers the real tx, and its fee meets the minimum gas price', async () => {
    const msgs = [msgSend(alice.address, bob.address, '5utru')];
    const signer = await chain.signerData(alice.address);
    const estimate = chain.app.simulate(simulationTx(alice, msgs, signer.sequence), chain.blockInfo()).gasUsed;
    const fee = calculateFee(Math.ceil(estimate * 1.4), GasPrice.fromString('0.01utru'));
    const raw = await signTx(alice, msgs, { ...signer, fee });
    assert.equal((await chain.checkTx(raw)).code, 0);
    const r = (await chain.deliver([raw])).txResults[0]!;
    assert.equal(r.code, 0, r.log);
    assert.ok(r.gasUsed <= Number(fee.gas), `used ${r.gasUsed} of ${fee.gas}`);
    assert.ok(r.gasUsed * 2 > estimate, `estimate ${estimate} is in the right range of the real ${r.gasUsed}`);
  });

  test('simulate still checks the sequence, the messages and the sender', async () => {
    const seq = (await chain.signerData(alice.address)).sequence;
    assert.equal(chain.app.simulate(simulationTx(alice, [msgSend(alice.address, bob.address, '1utru')], seq + 5n), chain.blockInfo()).code, 32);
    assert.equal(chain.app.simulate(simulationTx(alice, [msgSend(alice.address, bob.address, '99999999999utru')], seq), chain.blockInfo()).code, 5);
    assert.equal(chain.app.simulate(simulationTx(carol, [msgSend(carol.address, bob.address, '1utru')], 0), chain.blockInfo()).code, 9);
    assert.equal(chain.app.simulate(Uint8Array.of(1, 2, 3), chain.blockInfo()).code, 2);
  });

  test('the Simulate query path answers with gas_info and the result', async () => {
    const seq = (await chain.signerData(alice.address)).sequence;
    const raw = simulationTx(alice, [msgMultiSend(alice.address, [{ address: bob.address, coins: '1utru' }, { address: carol.address, coins: '2utru' }])], seq);
    const direct = chain.app.simulate(raw, chain.blockInfo());
    const r = await chain.query(SIMULATE_PATH, SimulateRequest.encode(SimulateRequest.fromPartial({ txBytes: raw })).finish());
    assert.equal(r.code, 0, r.log);
    const res = SimulateResponse.decode(r.value);
    assert.ok(res.gasInfo, 'gas_info must be present (cosmjs asserts it)');
    assert.equal(res.gasInfo.gasUsed, BigInt(direct.gasUsed));
    assert.ok(res.gasInfo.gasUsed > 0n);
    assert.deepEqual(res.result?.msgResponses.map((m) => m.typeUrl), ['/cosmos.bank.v1beta1.MsgMultiSendResponse']);
    assert.ok(res.result?.events.some((e) => e.type === 'coin_received'));
    // The deprecated `tx` field works too.
    const legacy = await chain.query(SIMULATE_PATH, SimulateRequest.encode(SimulateRequest.fromPartial({ tx: Tx.decode(raw) })).finish());
    assert.equal(legacy.code, 0, legacy.log);
    assert.equal(SimulateResponse.decode(legacy.value).gasInfo?.gasUsed, BigInt(direct.gasUsed));
  });

  test('a failing simulation is a failed query with the tx’s code', async () => {
    const raw = simulationTx(alice, [msgSend(alice.address, bob.address, '1utru')], 999);
    const r = await chain.query(SIMULATE_PATH, SimulateRequest.encode({ txBytes: raw }).finish());
    assert.equal(r.code, 32);
    assert.match(r.log, /account sequence mismatch/);
    assert.equal(r.value.length, 0);
  });

  test('cosmjs QueryClient tx.simulate works against the app unchanged', async () => {
    const client = QueryClient.withExtensions(cometClientFor(chain), setupTxExtension);
    const registry = defaultRegistry();
    const seq = Number((await chain.signerData(alice.address)).sequence);
    const any = registry.encodeAsAny(msgSend(alice.address, bob.address, '3utru'));
    const res = await client.tx.simulate([any], 'memo', encodeSecp256k1Pubkey(alice.pubkey), seq);
    assert.ok(res.gasInfo && res.gasInfo.gasUsed > 0n);
  });
});

describe('auth Account query', () => {
  test('an unknown address is code 22 with the gRPC NotFound text cosmjs looks for', async () => {
    const r = await chain.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address: carol.address }).finish());
    assert.equal(r.code, 22);
    assert.equal(r.codespace, 'sdk');
    assert.match(r.log, /rpc error: code = NotFound/);
    assert.equal(r.log, `rpc error: code = NotFound desc = account ${carol.address} not found: key not found`);
  });

  test('an invalid address is code 7', async () => {
    const r = await chain.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address: 'cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu' }).finish());
    assert.equal(r.code, 7);
  });

  test('a BaseAccount with number, sequence and (after its first tx) the public key', async () => {
    const a = await chain.account(alice.address);
    assert.ok(a);
    assert.equal(a.accountNumber, 0n);
    assert.ok(a.sequence >= 1n);
    assert.deepEqual(a.pubkey, alice.pubkey);
    const b = await chain.account(bob.address);
    assert.deepEqual(b, { address: bob.address, accountNumber: 1n, sequence: 0n, pubkey: undefined });
    const collector = await chain.account(moduleAddress(FEE_COLLECTOR));
    assert.ok(collector && collector.pubkey === undefined);
  });

  test('cosmjs StargateClient reads accounts: null when unknown, parsed BaseAccount otherwise', async () => {
    const client = await StargateClient.create(cometClientFor(chain));
    assert.equal(await client.getAccount(carol.address), null);
    const a = await client.getAccount(alice.address);
    assert.ok(a);
    assert.equal(a.address, alice.address);
    assert.equal(a.accountNumber, 0n);
    assert.deepEqual(a.pubkey, { type: 'tendermint/PubKeySecp256k1', value: toBase64(alice.pubkey) });
    const seq = await client.getSequence(bob.address);
    assert.deepEqual(seq, { accountNumber: 1n, sequence: 0 });
    await assert.rejects(client.getSequence(carol.address), /Account .* does not exist on chain/);
  });
});

describe('bank Balance / AllBalances / SupplyOf queries', () => {
  test('Balance is always present: an absent denom is "0"', async () => {
    const r = await chain.query('/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode({ address: carol.address, denom: 'utru' }).finish());
    assert.equal(r.code, 0);
    assert.equal(await chain.balance(carol.address), 0n);
    assert.equal(await chain.balance(alice.address, 'stake'), 7n);
    assert.equal(await chain.balance(alice.address, 'nothing'), 0n);
  });

  test('Balance rejects an invalid address (7) or denom (10)', async () => {
    const badAddr = await chain.query('/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode({ address: 'tru1bad', denom: 'utru' }).finish());
    assert.equal(badAddr.code, 7);
    const badDenom = await chain.query('/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode({ address: alice.address, denom: 'x' }).finish());
    assert.equal(badDenom.code, 10);
  });

  test('AllBalances lists non-zero balances sorted by denom, with the total', async () => {
    const r = await chain.query('/cosmos.bank.v1beta1.Query/AllBalances', QueryAllBalancesRequest.encode({ address: alice.address, resolveDenom: false }).finish());
    assert.equal(r.code, 0);
    const res = QueryAllBalancesResponse.decode(r.value);
    assert.deepEqual(res.balances.map((c) => c.denom), ['stake', 'utru']);
    assert.equal(res.pagination?.total, 2n);
    assert.deepEqual(await chain.allBalances(carol.address), []);
  });

  test('a denom spent to zero disappears from AllBalances', async () => {
    const raw = await signTx(alice, [msgSend(alice.address, carol.address, '7stake')], { ...(await chain.signerData(alice.address)) });
    assert.equal((await chain.deliver([raw])).txResults[0]!.code, 0);
    assert.deepEqual((await chain.allBalances(alice.address)).map((c) => c.denom), ['utru']);
    assert.deepEqual(await chain.allBalances(carol.address), [{ denom: 'stake', amount: '7' }]);
  });

  test('SupplyOf and TotalSupply', async () => {
    const r = await chain.query('/cosmos.bank.v1beta1.Query/SupplyOf', QuerySupplyOfRequest.encode({ denom: 'utru' }).finish());
    assert.deepEqual(QuerySupplyOfResponse.decode(r.value).amount, { denom: 'utru', amount: '1001000000' });
    assert.deepEqual(await chain.totalSupply(), [
      { denom: 'stake', amount: '7' },
      { denom: 'utru', amount: '1001000000' },
    ]);
  });

  test('cosmjs StargateClient getBalance / getAllBalances', async () => {
    const client = await StargateClient.create(cometClientFor(chain));
    assert.deepEqual(await client.getBalance(bob.address, 'utru'), { denom: 'utru', amount: String(await chain.balance(bob.address)) });
    assert.deepEqual(await client.getBalance(bob.address, 'stake'), { denom: 'stake', amount: '0' });
    assert.deepEqual((await client.getAllBalances(alice.address)).map((c) => c.denom), ['utru']);
  });

  test('queries report the committed height; unknown paths are code 6', async () => {
    const r = await chain.query('/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode({ address: alice.address, denom: 'utru' }).finish());
    assert.equal(r.height, chain.height);
    const unknown = await chain.query('/cosmos.gov.v1beta1.Query/Proposals', new Uint8Array());
    assert.equal(unknown.code, 6);
  });
});
