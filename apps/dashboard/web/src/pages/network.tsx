import { useApp } from '../lib/app-context';
import { rest, rpc } from '../lib/chain';
import { formatBytes } from '../lib/format';
import { BarChart, ErrorNote, Table, usePolled } from '../lib/ui';
import { consensusHex, stakingValidators } from '../lib/validators';

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
  const [chain, vals, block, providers, net, staking] = await Promise.all([
    rpc<{ block_metas: BlockMeta[] }>(config, 'blockchain', { minHeight: String(minHeight), maxHeight: String(height) }),
    rpc<{ validators: { address: string; voting_power: string }[]; total: string }>(config, 'validators', {}),
    rpc<{ block: { last_commit: { signatures: { block_id_flag: number; validator_address: string }[] } } }>(config, 'block', {}),
    rest<{ providers: ProviderJson[] }>(config, '/trucom/market/v1/providers'),
    rpc<{ n_peers: string }>(config, 'net_info'),
    stakingValidators(config),
  ]);
  const metas = [...chain.block_metas].sort((a, b) => Number(a.header.height) - Number(b.header.height));
  const times = metas.slice(1).map((m, i) => ({ label: `block ${m.header.height}`, value: (Date.parse(m.header.time) - Date.parse(metas[i]!.header.time)) / 1000 }));
  // online = signed the latest block (its commit is in the next one's last_commit: flag 2 is a vote for the block)
  const signers = new Set(block.block.last_commit?.signatures?.filter((s) => s.block_id_flag === 2).map((s) => s.validator_address.toUpperCase()));
  const names = new Map(staking.map((v) => [consensusHex(v.consensus_pubkey.key), v.description.moniker || v.operator_address]));
  const set = vals.validators.map((v) => ({ name: names.get(v.address.toUpperCase()) ?? v.address, power: Number(v.voting_power), online: signers.has(v.address.toUpperCase()) }));
  return { height, chainId: status.node_info.network, moniker: status.node_info.moniker, lastTime: status.sync_info.latest_block_time, times, set, peers: Number(net.n_peers), providers: providers.providers };
}

export function NetworkPage() {
  const { config } = useApp();
  const { data, error } = usePolled(() => loadNetwork(config), [config], 3000);
  const online = data?.set.filter((v) => v.online).length ?? 0;
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
                {online} of {data.set.length}
              </dd>
            </div>
            <div>
              <dt>Peers of the node read</dt>
              <dd data-testid="peers">{data.peers}</dd>
            </div>
          </dl>
          <h2>Validators</h2>
          <Table testId="validator-set" columns={['Validator', 'Voting power', 'Signed the last block']}>
            {data.set.map((v) => (
              <tr key={v.name} data-online={v.online}>
                <td>{v.name}</td>
                <td>{v.power}</td>
                <td className={v.online ? 'ok' : 'warn'}>{v.online ? 'yes (online)' : 'no (offline or late)'}</td>
              </tr>
            ))}
          </Table>
          <h2>Block times</h2>
          <BarChart points={data.times} unit="s" summary={`Seconds between each of the last ${data.times.length} blocks; average ${avg.toFixed(2)} s.`} />
          <h2>Gateways (storage providers)</h2>
          <Table columns={['Endpoint', 'Status', 'Stored', 'Capacity', 'Replicas']}>
            {data.providers.map((p) => (
              <tr key={p.address}>
                <td>{p.endpoint}</td>
                <td>{p.status}</td>
                <td>{formatBytes(p.used)}</td>
                <td>{formatBytes(p.capacity)}</td>
                <td>{p.live_replicas}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </section>
  );
}
