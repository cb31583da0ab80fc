import { useApp } from '../lib/app-context';
import { rpc } from '../lib/chain';
import { formatTru } from '../lib/format';
import { marketParams } from '../lib/market';
import { BarChart, ErrorNote, Link, usePolled } from '../lib/ui';

interface TxJson {
  hash: string;
  height: string;
  tx_result: { code: number; events: { type: string; attributes: { key: string; value: string }[] }[] };
}

interface Payment {
  readonly hash: string;
  readonly height: number;
  readonly what: string;
  readonly deal?: string;
  /** utru leaving the wallet (negative = coming back). */
  readonly amount: bigint;
}

const LABELS: Record<string, string> = {
  create_deal: 'Escrow locked for a new deal',
  extend_deal: 'Escrow added to extend a deal',
  top_up_deal: 'Bandwidth budget topped up',
  cancel_deal: 'Refund of a cancelled deal',
};

const amountOf = (v: string | undefined) => BigInt(/^(\d+)/.exec(v ?? '')?.[1] ?? '0');

/** The wallet's market payments, from the chain's tx index (tx_search over the validator RPC). */
async function loadPayments(config: ReturnType<typeof useApp>['config'], address: string): Promise<Payment[]> {
  const r = await rpc<{ txs: TxJson[] }>(config, 'tx_search', { query: `message.sender='${address}'`, per_page: '100', order_by: 'desc' });
  const out: Payment[] = [];
  for (const tx of r.txs) {
    if (tx.tx_result.code !== 0) continue;
    for (const ev of tx.tx_result.events) {
      const attrs = Object.fromEntries(ev.attributes.map((a) => [a.key, a.value]));
      if (LABELS[ev.type]) out.push({ hash: tx.hash, height: Number(tx.height), what: LABELS[ev.type]!, deal: attrs.deal_id, amount: ev.type === 'cancel_deal' ? -amountOf(attrs.amount) : amountOf(attrs.amount) });
      else if (ev.type === 'transfer' && attrs.sender === address && tx.tx_result.events.every((e) => !LABELS[e.type]) && tx.tx_result.events.some((e) => e.type === 'message' && e.attributes.some((a) => a.value === '/cosmos.bank.v1beta1.MsgSend')))
        out.push({ hash: tx.hash, height: Number(tx.height), what: `Sent to ${attrs.recipient}`, amount: amountOf(attrs.amount) });
    }
  }
  return out;
}

export function PaymentsPage() {
  const { config, wallet } = useApp();
  const address = wallet.address;
  const payments = usePolled(async () => (address ? loadPayments(config, address) : undefined), [config, address], 8000);
  const params = usePolled(() => marketParams(config), [config]);
  const epochBlocks = params.data?.epoch_blocks ?? 10;
  const perEpoch = new Map<number, bigint>();
  for (const p of payments.data ?? []) if (p.deal) perEpoch.set(Math.floor(p.height / epochBlocks), (perEpoch.get(Math.floor(p.height / epochBlocks)) ?? 0n) + p.amount);
  const epochs = [...perEpoch.keys()].sort((a, b) => a - b);
  const points = epochs.map((e) => ({ label: `epoch ${e}`, value: Number(perEpoch.get(e)!) / 1e6 }));
  const total = [...perEpoch.values()].reduce((n, v) => n + v, 0n);
  return (
    <section aria-labelledby="payments-title">
      <h1 id="payments-title">Payments</h1>
      {!address && (
        <p>
          <Link to="/wallet">Set up a wallet</Link> to see its payments.
        </p>
      )}
      <ErrorNote error={payments.error} />
      {payments.data && payments.data.length === 0 && <p>No payments yet.</p>}
      {points.length > 0 && <BarChart points={points} unit="TRU" summary={`Net TRU paid into deals per epoch (refunds subtracted); ${formatTru(total)} in all.`} />}
      {payments.data && payments.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Block</th>
                <th scope="col">What</th>
                <th scope="col">Amount</th>
              </tr>
            </thead>
            <tbody>
              {payments.data.map((p, i) => (
                <tr key={`${p.hash}-${i}`}>
                  <td>{p.height}</td>
                  <td>
                    {p.what}
                    {p.deal && (
                      <>
                        {' '}
                        (<Link to={`/deals/${p.deal}`}>deal {p.deal}</Link>)
                      </>
                    )}
                  </td>
                  <td className={p.amount < 0n ? 'ok' : ''}>{p.amount < 0n ? `+${formatTru(-p.amount)}` : `−${formatTru(p.amount)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="note small">Provider payouts and bandwidth claims are paid from the escrow each epoch; each deal's page shows what is left.</p>
    </section>
  );
}
