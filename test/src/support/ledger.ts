/**
 * The supply invariant: an independent ledger rebuilt from every block's bank events (conservation
 * block by block), and the REST balances of every known account plus the fee collector = supply.
 */
import assert from 'node:assert/strict';
import { DENOM } from './constants.js';
import { balanceOf, supplyOf } from './rest.js';
import { latestHeight, rpc, waitForEmptyMempool, type RpcEvent, type TxRecord } from './rpc.js';

export function attr(event: RpcEvent, key: string): string | undefined {
  return event.attributes.find((a) => a.key === key)?.value;
}

/** The utru part of a Coins string such as "2000utru" or "5stake,2000utru". */
export function utruOf(coins: string): bigint {
  let total = 0n;
  for (const part of coins.split(',')) {
    const m = /^(\d+)([a-zA-Z][a-zA-Z0-9/:._-]*)$/.exec(part.trim());
    if (m && m[2] === DENOM) total += BigInt(m[1]!);
  }
  return total;
}

/**
 * The account that receives fees: the recipient of a tx's fee transfer, i.e. a `transfer` event
 * from the fee payer emitted by the ante handler (no msg_index).
 */
export function feeRecipient(events: readonly RpcEvent[]): string | undefined {
  const payer = events.filter((e) => e.type === 'tx').map((e) => attr(e, 'fee_payer')).find((p) => p !== undefined);
  const transfer = events.find((e) => e.type === 'transfer' && attr(e, 'msg_index') === undefined && attr(e, 'sender') === payer);
  return transfer ? attr(transfer, 'recipient') : undefined;
}

/**
 * Rebuilds every balance from genesis plus the coin_spent / coin_received events of every block
 * (block_results, heights 1..toHeight), checking block by block that nothing was minted or burnt:
 * the supply invariant after every block. Returns the balances and the fee recipient(s) seen.
 */
export async function replayLedger(rpcUrl: string, genesis: ReadonlyMap<string, bigint>, toHeight: number) {
  const balances = new Map(genesis);
  const feeRecipients = new Set<string>();
  const add = (address: string, delta: bigint) => balances.set(address, (balances.get(address) ?? 0n) + delta);
  let txs = 0;
  for (let h = 1; h <= toHeight; h++) {
    const r = await rpc<{ height: string; txs_results: TxRecord['tx_result'][] | null; finalize_block_events: RpcEvent[] | null }>(rpcUrl, 'block_results', { height: String(h) });
    assert.equal(r.height, String(h));
    let spent = 0n;
    let received = 0n;
    const results = r.txs_results ?? [];
    txs += results.length;
    for (const events of [r.finalize_block_events ?? [], ...results.map((t) => t.events ?? [])]) {
      const fee = feeRecipient(events);
      if (fee) feeRecipients.add(fee);
      for (const e of events) {
        if (e.type === 'coin_spent') {
          const amount = utruOf(attr(e, 'amount')!);
          add(attr(e, 'spender')!, -amount);
          spent += amount;
        } else if (e.type === 'coin_received') {
          const amount = utruOf(attr(e, 'amount')!);
          add(attr(e, 'receiver')!, amount);
          received += amount;
        }
      }
    }
    assert.equal(received, spent, `block ${h}: coins received (${received}) must equal coins spent (${spent})`);
  }
  for (const [address, amount] of balances) assert.ok(amount >= 0n, `${address} went negative (${amount}) in the event ledger`);
  return { balances, feeRecipients, txs };
}

/**
 * The supply invariant over REST once the chain is quiet: the balances of every account the test
 * knows, plus the fee collector, add up to the total supply, which is still the genesis total.
 * Also checks each balance against the ledger rebuilt from events. Call with no txs in flight.
 */
export async function checkSupplyInvariant(opts: { rpcUrl: string; restUrl: string; genesis: ReadonlyMap<string, bigint>; known: readonly string[] }) {
  await waitForEmptyMempool(opts.rpcUrl);
  const height = await latestHeight(opts.rpcUrl);
  const ledger = await replayLedger(opts.rpcUrl, opts.genesis, height);
  assert.ok(ledger.feeRecipients.size <= 1, `fees go to one account, saw ${[...ledger.feeRecipients].join(', ')}`);
  const feeCollector = [...ledger.feeRecipients][0];
  const accounts = [...new Set([...opts.known, ...(feeCollector ? [feeCollector] : [])])];
  // An empty block may land between reads; the state only changes with txs, and none are in flight.
  const balances = new Map<string, bigint>();
  for (const a of accounts) balances.set(a, await balanceOf(opts.restUrl, a));
  const supply = await supplyOf(opts.restUrl);
  const sum = [...balances.values()].reduce((x, y) => x + y, 0n);
  const genesisTotal = [...opts.genesis.values()].reduce((x, y) => x + y, 0n);
  assert.equal(sum, supply, `sum of balances (${accounts.length} accounts incl. fee collector ${feeCollector}) = supply`);
  assert.equal(supply, genesisTotal, 'supply is unchanged since genesis (no mint or burn)');
  for (const [address, amount] of balances) assert.equal(amount, ledger.balances.get(address) ?? 0n, `balance of ${address} matches the event ledger`);
  const unknown = [...ledger.balances].filter(([a, v]) => v !== 0n && !balances.has(a));
  assert.deepEqual(unknown, [], 'every account holding coins in the event ledger is known to the test');
  return { feeCollector, supply, balances, ledger };
}
