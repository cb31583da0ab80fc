import { useApp } from '../lib/app-context';
import { rest, rpc } from '../lib/chain';
import { formatBytes } from '../lib/format';
import { BarChart, ErrorNote, usePolled } from '../lib/ui';

interface BlockMeta {
  header: { height: string; time: string };
  num_txs: string;
}

interface ProviderJson {
  address: string;
  endpoint: string;
  status: string;
  capacity: number;
  used: number;
  live_replicas: number;
}

const BLOCKS = 30;

async function loadNetwork(config: ReturnType<typeof useApp>['config']) {
  const status = await rpc<{ sync_info: { latest_block_height: string; latest_block_time: string }; node_info: { network: string; moniker: string } }>(config, 'status');
  const height = Number(status.sync_info.latest_block_height);
  const minHeight = Math.max(1, height - BLOCKS);
  const [chain, vals, block, providers] = await Promise.all([
    rpc<{ block_metas: BlockMeta[] }>(config, 'blockchain', { minHeight: String(minHeight), maxHeight: String(height) }),
    rpc<{ validators: { address: string; voting_power: string }[]; total: string }>(config, 'validators', {}),
    rpc<{ block: { last_commit: { signatures: { block_id_flag: number }[] } } }>(config, 'block', {}),
    rest<{ providers: ProviderJson[] }>(config, '/trucom/market/v1/providers'),
  ]);
  const metas = [...chain.block_metas].sort((a, b) => Number(a.header.height) - Number(b.header.height));
  const times = metas.slice(1).map((m, i) => ({ label: `block ${m.header.height}`, value: (Date.parse(m.header.time) - Date.parse(metas[i]!.header.time)) / 1000 }));
  const signed = block.block.last_commit?.signatures?.filter((s) => s.block_id_flag === 2).length ?? 0;
  return { height, chainId: status.node_info.network, lastTime: status.sync_info.latest_block_time, times, validators: vals.validators.length, signed, providers: providers.providers };
}

export function NetworkPage() {
  const { config } = useApp();
  const { data, error } = usePolled(() => loadNetwork(config), [config], 3000);
  const avg = data && data.times.length ? data.times.reduce((n, t) => n + t.value, 0) / data.times.length : 0;
  return (
    <section aria-labelledby="network-title">
      <h1 id="network-title">Network</h1>
      <ErrorNote error={error} />
      {data && (
        <>
          <dl className="stats">
            <div>
              <dt>Chain</dt>
              <dd>{data.chainId}</dd>
            </div>
            <div>
              <dt>Height</dt>
              <dd data-testid="height">{data.height}</dd>
            </div>
            <div>
              <dt>Average block time</dt>
              <dd>{avg.toFixed(2)} s</dd>
            </div>
            <div>
              <dt>Validators online</dt>
              <dd data-testid="validators-online">
                {data.signed} of {data.validators}
              </dd>
            </div>
          </dl>
          <h2>Block times</h2>
          <BarChart points={data.times} unit="s" summary={`Seconds between each of the last ${data.times.length} blocks; average ${avg.toFixed(2)} s.`} />
          <h2>Gateways (storage providers)</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Status</th>
                  <th scope="col">Stored</th>
                  <th scope="col">Capacity</th>
                  <th scope="col">Replicas</th>
                </tr>
              </thead>
              <tbody>
                {data.providers.map((p) => (
                  <tr key={p.address}>
                    <td>{p.endpoint}</td>
                    <td>{p.status}</td>
                    <td>{formatBytes(p.used)}</td>
                    <td>{formatBytes(p.capacity)}</td>
                    <td>{p.live_replicas}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
