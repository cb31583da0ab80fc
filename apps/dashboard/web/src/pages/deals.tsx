import { useState } from 'react';
import { useApp } from '../lib/app-context';
import { sendTx } from '../lib/chain';
import { formatBytes, formatTru, parseTru } from '../lib/format';
import { dealById, dealsOf, epochsLeft, marketParams, RUNNING_OUT_EPOCHS, type DealJson } from '../lib/market';
import { ActionForm, ActionResult, Bar, ErrorNote, Link, NeedsWallet, useAction, usePolled } from '../lib/ui';

function RunningOut({ deal }: { deal: DealJson }) {
  const left = epochsLeft(deal);
  if (deal.status !== 'active') return deal.status === 'expired' ? <p className="warn">Deal expired: its content is no longer kept.</p> : deal.status === 'cancelled' ? <p className="warn">This deal was cancelled.</p> : null;
  if (left > RUNNING_OUT_EPOCHS) return null;
  return (
    <p className="warn" role="alert">
      This deal runs out in {Math.max(0, left)} epochs: extend it to keep the content online.
    </p>
  );
}

export function DealsPage() {
  const { config, wallet } = useApp();
  const owner = wallet.address;
  const deals = usePolled(async () => (owner ? dealsOf(config, owner) : undefined), [config, owner], 5000);
  return (
    <section aria-labelledby="deals-title">
      <h1 id="deals-title">Deals</h1>
      {!owner && (
        <p className="note">
          <Link to="/wallet">Set up a wallet</Link> to see your deals.
        </p>
      )}
      <ErrorNote error={deals.error} />
      {deals.data && deals.data.deals.length === 0 && (
        <p>
          No deals yet. <Link to="/publish">Publish a site or a video</Link> to create one.
        </p>
      )}
      {deals.data && deals.data.deals.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Deal</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Replicas</th>
                <th scope="col">Funded until</th>
              </tr>
            </thead>
            <tbody>
              {[...deals.data.deals]
                .sort((a, b) => b.id - a.id)
                .map((d) => (
                  <tr key={d.id}>
                    <td>
                      <Link to={`/deals/${d.id}`}>Deal {d.id}</Link>
                      <br />
                      <code className="small">{d.cid}</code>
                    </td>
                    <td>{d.kind}</td>
                    <td>{d.status}</td>
                    <td>
                      {d.replicas.filter((r) => r.status === 'active').length} of {d.replica_count} active
                    </td>
                    <td>
                      epoch {d.funded_until_epoch} {d.status === 'active' && epochsLeft(d) <= RUNNING_OUT_EPOCHS && <strong className="warn">(runs out soon)</strong>}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function DealPage({ id }: { id: string }) {
  const { config, wallet } = useApp();
  const deal = usePolled(() => dealById(config, id), [config, id], 4000);
  const params = usePolled(() => marketParams(config), [config]);
  const d = deal.data;
  const blockSeconds = 1;
  const epochBlocks = params.data?.epoch_blocks ?? 10;
  return (
    <section aria-labelledby="deal-title">
      <p>
        <Link to="/deals">← All deals</Link>
      </p>
      <h1 id="deal-title">Deal {id}</h1>
      <ErrorNote error={deal.error} />
      {deal.data === undefined && !deal.error && <p>Loading…</p>}
      {d === undefined && deal.data === undefined ? null : !d ? null : (
        <>
          <RunningOut deal={d} />
          <dl className="stats">
            <div>
              <dt>Status</dt>
              <dd data-testid="deal-status">{d.status}</dd>
            </div>
            <div>
              <dt>Kind</dt>
              <dd>{d.kind}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>{formatBytes(d.size)}</dd>
            </div>
            <div>
              <dt>Escrow left</dt>
              <dd>{formatTru(d.escrow)}</dd>
            </div>
          </dl>
          <p>
            Root <code>{d.cid}</code>
          </p>
          <h2>Funded until</h2>
          <p>
            Epoch {d.funded_until_epoch} (now {d.current_epoch}; about {new Date(Date.now() + Math.max(0, epochsLeft(d)) * epochBlocks * blockSeconds * 1000).toLocaleString()})
          </p>
          <Bar value={Math.max(0, d.current_epoch - d.start_epoch)} max={Math.max(1, d.funded_until_epoch - d.start_epoch)} label="Share of the paid time already used" />
          <h2>Bandwidth</h2>
          <p>
            {formatTru(d.bandwidth.used)} used of {formatTru(d.bandwidth.budget)}
          </p>
          <Bar value={Number(d.bandwidth.used)} max={Number(d.bandwidth.budget)} label="Bandwidth budget used" />
          <h2>Replicas</h2>
          <div className="table-wrap">
            <table data-testid="replicas">
              <thead>
                <tr>
                  <th scope="col">Provider</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last proven epoch</th>
                </tr>
              </thead>
              <tbody>
                {d.replicas.map((r) => (
                  <tr key={r.provider} data-status={r.status}>
                    <td>
                      {r.endpoint || 'unknown endpoint'}
                      <br />
                      <code className="small">{r.provider}</code>
                    </td>
                    <td>{r.status}</td>
                    <td>{r.last_proven_epoch > 0 ? r.last_proven_epoch : 'not yet'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {wallet.address === d.owner && d.status === 'active' && (
            <NeedsWallet what="change this deal">
              <DealActions deal={d} onDone={deal.reload} />
            </NeedsWallet>
          )}
        </>
      )}
      {deal.data === undefined && !deal.error ? null : !d && !deal.error && <p className="error">There is no deal {id} on the chain.</p>}
    </section>
  );
}

function DealActions({ deal, onDone }: { deal: DealJson; onDone: () => void }) {
  const { config, wallet } = useApp();
  const [topUp, setTopUp] = useState('');
  const [epochs, setEpochs] = useState('');
  const cancel = useAction();
  const perEpoch = BigInt(deal.price) * BigInt(Math.max(1, Math.ceil(deal.size / 2 ** 30))) * BigInt(deal.replica_count);
  return (
    <>
      <ActionForm
        title="Top up bandwidth"
        submit="Top up"
        onSubmit={async () => {
          const amount = parseTru(topUp);
          await sendTx(config, wallet.signer!, (owner) => [{ typeUrl: '/trucom.market.v1.MsgTopUpDeal', value: { owner, dealId: deal.id, bandwidth: amount.toString() } }]);
          onDone();
          setTopUp('');
          return `Added ${formatTru(amount)} to the bandwidth budget.`;
        }}
      >
        <label>
          Amount (TRU)
          <input name="topup" inputMode="decimal" value={topUp} onChange={(e) => setTopUp(e.target.value)} required placeholder="1" />
        </label>
      </ActionForm>
      <ActionForm
        title="Extend"
        submit="Extend"
        onSubmit={async () => {
          const n = Number(epochs);
          if (!Number.isInteger(n) || n <= 0) throw new Error('Enter a whole number of epochs.');
          await sendTx(config, wallet.signer!, (owner) => [{ typeUrl: '/trucom.market.v1.MsgExtendDeal', value: { owner, dealId: deal.id, epochs: n } }]);
          onDone();
          setEpochs('');
          return `Extended by ${n} epochs.`;
        }}
      >
        <label>
          Epochs to add
          <input name="epochs" inputMode="numeric" value={epochs} onChange={(e) => setEpochs(e.target.value)} required placeholder="100" />
        </label>
        <p className="note">Costs {formatTru(perEpoch * BigInt(Number(epochs) > 0 ? Math.floor(Number(epochs)) : 0))} ({formatTru(perEpoch)} per epoch).</p>
      </ActionForm>
      <div className="card">
        <h2>Cancel</h2>
        <p>The content stops being kept; what is left in escrow comes back to you.</p>
        <button
          type="button"
          className="danger"
          disabled={cancel.busy}
          onClick={() =>
            confirm(`Cancel deal ${deal.id}? Its content will no longer be kept.`) &&
            void cancel.run(async () => {
              await sendTx(config, wallet.signer!, (owner) => [{ typeUrl: '/trucom.market.v1.MsgCancelDeal', value: { owner, dealId: deal.id } }]);
              onDone();
              return 'Deal cancelled; the rest of the escrow was refunded.';
            })
          }
        >
          Cancel deal
        </button>
        <ActionResult action={cancel} />
      </div>
    </>
  );
}
