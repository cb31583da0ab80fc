import { useState } from 'react';
import { useApp } from '../lib/app-context';
import { formatTru, shortAddress } from '../lib/format';
import { EVENT_LABELS, KIND_LABELS, paymentHistory, spendPerEpoch, totalsByKind, type PaymentKind } from '../lib/payments';
import { BarChart, ErrorNote, Link, Table, usePolled } from '../lib/ui';

const KINDS = Object.keys(KIND_LABELS) as PaymentKind[];

/** The signed amount as the owner sees it: escrow locked leaves the wallet, a refund comes back, payouts are spent from escrow. */
function shownAmount(kind: PaymentKind, utru: string): string {
  return kind === 'escrow_locked' ? `−${formatTru(utru)}` : kind === 'refund' ? `+${formatTru(utru)}` : formatTru(utru);
}

export function PaymentsPage() {
  const { wallet } = useApp();
  const address = wallet.address;
  const [shown, setShown] = useState<PaymentKind | 'all'>('all');
  const history = usePolled(async () => (address ? paymentHistory(address) : undefined), [address], 5000);
  const payments = history.data?.payments ?? [];
  const totals = totalsByKind(payments);
  const spend = spendPerEpoch(payments);
  const rows = shown === 'all' ? payments : payments.filter((p) => p.kind === shown);
  return (
    <section aria-labelledby="payments-title">
      <h1 id="payments-title">Payments</h1>
      {!address && (
        <p>
          <Link to="/wallet">Set up a wallet</Link> to see the payments of your deals.
        </p>
      )}
      <ErrorNote error={history.error} />
      {history.data && payments.length === 0 && <p>No payments for your deals yet (indexed up to block {history.data.indexedHeight}).</p>}
      {payments.length > 0 && (
        <>
          <dl className="stats">
            {KINDS.map((k) => (
              <div key={k}>
                <dt>{KIND_LABELS[k]}</dt>
                <dd data-testid={`total-${k}`}>{formatTru(totals[k])}</dd>
              </div>
            ))}
          </dl>
          {spend.length > 0 && (
            <BarChart
              points={spend.map((s) => ({ label: `epoch ${s.epoch}`, value: Number(s.utru) / 1e6 }))}
              unit="TRU"
              summary={`TRU spent from your deals' escrow per epoch (provider payouts and bandwidth claims), epochs ${spend[0]!.epoch} to ${spend.at(-1)!.epoch}; ${formatTru(totals.provider_payout + totals.bandwidth_claim)} in all.`}
            />
          )}
          <label className="inline">
            Show{' '}
            <select name="payment-kind" value={shown} onChange={(e) => setShown(e.target.value as PaymentKind | 'all')}>
              <option value="all">all payments</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k].toLowerCase()}s
                </option>
              ))}
            </select>
          </label>
          <Table testId="payments" columns={['Block', 'Epoch', 'Kind', 'What', 'Provider', 'Amount']}>
            {rows.map((p, i) => (
              <tr key={`${p.height}-${i}`} data-kind={p.kind}>
                <td>{p.height}</td>
                <td>{p.epoch}</td>
                <td>{KIND_LABELS[p.kind]}</td>
                <td>
                  {EVENT_LABELS[p.event] ?? p.event} (<Link to={`/deals/${p.dealId}`}>deal {p.dealId}</Link>)
                </td>
                <td>{p.provider ? <code title={p.provider}>{shortAddress(p.provider)}</code> : '—'}</td>
                <td className={p.kind === 'refund' ? 'ok' : ''}>{shownAmount(p.kind, p.amount)}</td>
              </tr>
            ))}
          </Table>
          <p className="note small">Indexed up to block {history.data!.indexedHeight}. Providers are paid from a deal's escrow at the end of each epoch they prove, and for the bandwidth they serve; what is left comes back when the deal is cancelled or expires.</p>
        </>
      )}
    </section>
  );
}
