import { useState } from 'react';
import { useApp } from '../lib/app-context';
import { rest, sendTx } from '../lib/chain';
import { formatTru, parseTru } from '../lib/format';
import { ActionResult, ErrorNote, NeedsWallet, Table, useAction, usePolled } from '../lib/ui';
import { consensusAddress, stakingValidators, type ValidatorJson } from '../lib/validators';
import { uptimes, type Uptime } from '../lib/uptime';

interface DelegationJson {
  delegation: { validator_address: string };
  balance: { amount: string };
}

export function ValidatorsPage() {
  const { config, wallet } = useApp();
  const vals = usePolled(() => stakingValidators(config), [config], 6000);
  const liveness = usePolled(() => uptimes(config), [config], 6000);
  const address = wallet.signer?.address;
  const mine = usePolled(
    async () => {
      if (!address) return undefined;
      const [d, r] = await Promise.all([
        rest<{ delegation_responses: DelegationJson[] }>(config, `/cosmos/staking/v1beta1/delegations/${address}`),
        rest<{ total: { denom: string; amount: string }[] }>(config, `/cosmos/distribution/v1beta1/delegators/${address}/rewards`).catch(() => ({ total: [] })),
      ]);
      return { delegations: d.delegation_responses, rewards: r.total.find((t) => t.denom === config.denom)?.amount ?? '0' };
    },
    [config, address],
    6000,
  );
  const list = vals.data ?? [];
  const total = list.reduce((n, v) => n + BigInt(v.tokens), 0n);
  const delegated = (op: string) => mine.data?.delegations.find((d) => d.delegation.validator_address === op)?.balance.amount;
  const withdraw = useAction();
  return (
    <section aria-labelledby="validators-title">
      <h1 id="validators-title">Validators</h1>
      <ErrorNote error={vals.error} />
      <ErrorNote error={liveness.error} />
      <Table columns={['Validator', 'Voting power', 'Commission', 'Uptime', 'Status', 'Your delegation']}>
        {list.map((v) => {
          const uptime = liveness.data?.get(consensusAddress(v.consensus_pubkey.key));
          return (
            <tr key={v.operator_address}>
              <td>
                <strong>{v.description.moniker || 'unnamed'}</strong>
                <br />
                <code className="small">{v.operator_address}</code>
              </td>
              <td>
                {formatTru(v.tokens)} ({total > 0n ? (Number((BigInt(v.tokens) * 10000n) / total) / 100).toFixed(2) : '0'}%)
              </td>
              <td>{(Number(v.commission.commission_rates.rate) * 100).toFixed(1)}%</td>
              <UptimeCell moniker={v.description.moniker} uptime={uptime} />
              <td data-testid={`status-${v.description.moniker}`}>{statusText(v, uptime)}</td>
              <td data-testid={`delegation-${v.description.moniker}`}>{delegated(v.operator_address) ? formatTru(delegated(v.operator_address)) : '—'}</td>
            </tr>
          );
        })}
      </Table>
      <NeedsWallet what="stake">
        <StakeForm validators={list} onDone={() => mine.reload()} />
        <div className="card">
          <h2>Rewards</h2>
          <p>
            Pending rewards: <strong>{formatTru(BigInt(String(mine.data?.rewards ?? '0').split('.')[0]!))}</strong>
          </p>
          <button
            type="button"
            disabled={withdraw.busy || !mine.data?.delegations.length}
            onClick={() =>
              void withdraw.run(async () => {
                const ops = mine.data!.delegations.map((d) => d.delegation.validator_address);
                await sendTx(config, wallet.signer!, (delegatorAddress) => ops.map((validatorAddress) => ({ typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward', value: { delegatorAddress, validatorAddress } })));
                mine.reload();
                return 'Rewards withdrawn to your wallet.';
              })
            }
          >
            Withdraw all rewards
          </button>
          <ActionResult action={withdraw} />
        </div>
      </NeedsWallet>
    </section>
  );
}

function UptimeCell({ moniker, uptime }: { moniker: string; uptime?: Uptime }) {
  if (!uptime) return <td>—</td>;
  return (
    <td data-testid={`uptime-${moniker}`} title={`Missed ${uptime.missed} of its last ${uptime.counted} blocks (the slashing window is ${uptime.window} blocks)`}>
      {uptime.percent.toFixed(uptime.percent === 100 ? 0 : 1)}%
      <br />
      <span className="small">
        {uptime.missed} missed of {uptime.counted}
      </span>
    </td>
  );
}

/** Bonded, unbonding…; jailed says why and until when. */
function statusText(v: ValidatorJson, uptime?: Uptime): string {
  if (uptime?.tombstoned) return 'jailed for good (double-signed)';
  if (v.jailed) return uptime?.jailedUntil ? `jailed for downtime until ${uptime.jailedUntil.toLocaleString()}` : 'jailed (may unjail now)';
  return v.status.replace('BOND_STATUS_', '').toLowerCase();
}

function StakeForm({ validators, onDone }: { validators: ValidatorJson[]; onDone: () => void }) {
  const { config, wallet } = useApp();
  const [validator, setValidator] = useState('');
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [kind, setKind] = useState<'delegate' | 'undelegate' | 'redelegate'>('delegate');
  const action = useAction();
  const chosen = validator || validators[0]?.operator_address || '';
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          const coin = { denom: config.denom, amount: parseTru(amount).toString() };
          await sendTx(config, wallet.signer!, (delegatorAddress) => [
            kind === 'delegate'
              ? { typeUrl: '/cosmos.staking.v1beta1.MsgDelegate', value: { delegatorAddress, validatorAddress: chosen, amount: coin } }
              : kind === 'undelegate'
                ? { typeUrl: '/cosmos.staking.v1beta1.MsgUndelegate', value: { delegatorAddress, validatorAddress: chosen, amount: coin } }
                : { typeUrl: '/cosmos.staking.v1beta1.MsgBeginRedelegate', value: { delegatorAddress, validatorSrcAddress: chosen, validatorDstAddress: to, amount: coin } },
          ]);
          onDone();
          setAmount('');
          return kind === 'delegate' ? `Delegated ${formatTru(coin.amount)}.` : kind === 'undelegate' ? `Undelegating ${formatTru(coin.amount)}: it returns after the unbonding period.` : `Redelegated ${formatTru(coin.amount)}.`;
        });
      }}
    >
      <h2>Stake</h2>
      <fieldset>
        <legend>Action</legend>
        {(['delegate', 'undelegate', 'redelegate'] as const).map((k) => (
          <label key={k} className="inline">
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {k[0]!.toUpperCase() + k.slice(1)}
          </label>
        ))}
      </fieldset>
      <label>
        Validator
        <select name="validator" value={chosen} onChange={(e) => setValidator(e.target.value)}>
          {validators.map((v) => (
            <option key={v.operator_address} value={v.operator_address}>
              {v.description.moniker || v.operator_address}
            </option>
          ))}
        </select>
      </label>
      {kind === 'redelegate' && (
        <label>
          To validator
          <select name="to" value={to} onChange={(e) => setTo(e.target.value)} required>
            <option value="">Choose…</option>
            {validators
              .filter((v) => v.operator_address !== chosen)
              .map((v) => (
                <option key={v.operator_address} value={v.operator_address}>
                  {v.description.moniker || v.operator_address}
                </option>
              ))}
          </select>
        </label>
      )}
      <label>
        Amount (TRU)
        <input name="stake-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required placeholder="10" />
      </label>
      <button type="submit" disabled={action.busy}>
        {kind[0]!.toUpperCase() + kind.slice(1)}
      </button>
      <ActionResult action={action} />
    </form>
  );
}
