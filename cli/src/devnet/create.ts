import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountKeyFromMnemonic, generateMnemonic, keyHolderKey, moduleAddress, toBase64 } from '@trucom/crypto';
import { createPrivValidatorKeyFile, loadPrivValidator } from '@trucom/consensus';
import { nodePeerId } from '@trucom/p2p';
import { DEFAULT_CONSENSUS_PARAMS, DENOM, genesisValidatorsState, type GenesisDoc } from '@trucom/app';
import { COLLATERAL_MODULE } from '@trucom/market';
import { homePaths, type NodeConfig } from '@trucom/validator/config';
import { accountsFile, gatewayHome, genesisFile, validatorHome, type DevnetLayout } from './layout.js';

export interface DevnetAccount {
  readonly name: string;
  readonly address: string;
  readonly mnemonic: string;
}

/** Funded accounts every devnet starts with, and their genesis balances (in utru). */
const FUNDED = [
  { name: 'faucet', amount: 1_000_000_000_000_000n },
  { name: 'publisher', amount: 1_000_000_000_000n },
  { name: 'viewer', amount: 100_000_000_000n },
] as const;

export const FAUCET_AMOUNT = `100000000${DENOM}`;

/** Each devnet validator bonds 10 TRU (voting power 10) from its operator account, which keeps 1,000 TRU. */
const VALIDATOR_SELF_BOND = 10_000_000n;
const OPERATOR_BALANCE = 1_000_000_000n;

/** Devnet-sized periods: unbonding in 2 minutes, downtime judged over 100 blocks (about 100 s). */
const DEVNET_STAKING_PARAMS = { unbonding_time: 120, max_validators: 100, max_entries: 7, bond_denom: DENOM, min_commission_rate: '0' };
const DEVNET_SLASHING_PARAMS = { signed_blocks_window: 100, min_signed_per_window: '0.5', downtime_jail_duration: 60, slash_fraction_double_sign: '0.05', slash_fraction_downtime: '0.01' };

/** Devnet market: 10-block epochs (about 10 s), failure after 2 missed epochs, 1% of collateral burned per miss. */
const DEVNET_MARKET_PARAMS = { epoch_blocks: 10, min_replicas: 3, max_missed_epochs: 2, miss_slash_fraction: '0.01', min_collateral: '10000000', denom: DENOM };
/** Each gateway is a storage provider: its account keeps 1,000 TRU and bonds 100 TRU of collateral at genesis. */
const PROVIDER_BALANCE = 1_000_000_000n;
const PROVIDER_COLLATERAL = 100_000_000n;
const PROVIDER_CAPACITY = 10 * 1024 ** 3;
/** utru per GiB per epoch, and per GiB served. */
const PROVIDER_PRICE = '1000';
const PROVIDER_BANDWIDTH_PRICE = '100000';

/** Where a gateway finds the key of its provider account (written once, mode 0600). */
export const providerKeyFile = (layout: DevnetLayout, i: number) => join(gatewayHome(layout, i), 'provider.json');

/** Writes keys, accounts.json and genesis.json for a new devnet (`extraBalances`: more funded accounts, e.g. for benchmarks). */
export async function createDevnet(layout: DevnetLayout, extraBalances: readonly { address: string; amount: bigint }[] = []): Promise<void> {
  mkdirSync(layout.dir, { recursive: true });
  const accounts: DevnetAccount[] = [];
  for (const { name } of FUNDED) {
    const mnemonic = generateMnemonic(24);
    accounts.push({ name, address: (await accountKeyFromMnemonic(mnemonic)).address, mnemonic });
  }
  const operators: DevnetAccount[] = [];
  for (let i = 0; i < layout.validators; i++) {
    const mnemonic = generateMnemonic(24);
    operators.push({ name: `v${i}-operator`, address: (await accountKeyFromMnemonic(mnemonic)).address, mnemonic });
  }
  const providers: DevnetAccount[] = [];
  /** Each gateway's key-holder X25519 public key, derived from its provider key as the gateway derives it. */
  const holderKeys: Uint8Array[] = [];
  for (let i = 0; i < layout.gateways; i++) {
    const mnemonic = generateMnemonic(24);
    const key = await accountKeyFromMnemonic(mnemonic);
    providers.push({ name: `g${i}-provider`, address: key.address, mnemonic });
    holderKeys.push(keyHolderKey(key.privateKey).publicKey);
  }
  const bonded = genesisValidatorsState(
    operators.map((op, i) => {
      const home = validatorHome(layout, i);
      const path = homePaths(home).privValidatorKey;
      const key = existsSync(path) ? loadPrivValidator(path) : createPrivValidatorKeyFile(path);
      return { operatorAccount: op.address, consensusPubKey: key.publicKey, selfBond: VALIDATOR_SELF_BOND, moniker: `v${i}` };
    }),
  );
  const genesis: GenesisDoc = {
    genesis_time: new Date().toISOString(),
    chain_id: layout.chainId,
    initial_height: '1',
    consensus_params: DEFAULT_CONSENSUS_PARAMS,
    validators: bonded.validators,
    app_hash: '',
    app_state: {
      auth: { accounts: [...accounts, ...operators, ...providers, ...extraBalances].map((a) => ({ address: a.address })) },
      bank: {
        balances: [
          ...accounts.map((a, i) => ({ address: a.address, coins: [{ denom: DENOM, amount: FUNDED[i]!.amount.toString() }] })),
          ...operators.map((o) => ({ address: o.address, coins: [{ denom: DENOM, amount: OPERATOR_BALANCE.toString() }] })),
          ...providers.map((p) => ({ address: p.address, coins: [{ denom: DENOM, amount: PROVIDER_BALANCE.toString() }] })),
          ...extraBalances.map((b) => ({ address: b.address, coins: [{ denom: DENOM, amount: b.amount.toString() }] })),
          bonded.bondedPoolBalance,
          ...(providers.length ? [{ address: moduleAddress(COLLATERAL_MODULE), coins: [{ denom: DENOM, amount: (PROVIDER_COLLATERAL * BigInt(providers.length)).toString() }] }] : []),
        ],
      },
      staking: { params: DEVNET_STAKING_PARAMS, ...bonded.staking },
      distribution: { params: { block_provision: '1000000', community_tax: '0' } },
      slashing: { params: DEVNET_SLASHING_PARAMS },
      market: {
        params: DEVNET_MARKET_PARAMS,
        providers: providers.map((p, i) => ({
          address: p.address,
          endpoint: `http://127.0.0.1:${layout.gatewayPort(i)}`,
          capacity: PROVIDER_CAPACITY,
          price: PROVIDER_PRICE,
          bandwidth_price: PROVIDER_BANDWIDTH_PRICE,
          collateral: PROVIDER_COLLATERAL.toString(),
        })),
      },
      // Every gateway holds content keys from block 1: publishers seal stream keys to these.
      grants: { key_holders: providers.map((p, i) => ({ holder: p.address, x25519_pubkey: toBase64(holderKeys[i]!) })) },
    },
  };
  writeFileSync(genesisFile(layout), JSON.stringify(genesis, null, 2) + '\n');
  writeFileSync(accountsFile(layout), JSON.stringify([...accounts, ...operators, ...providers], null, 2) + '\n', { mode: 0o600 });
  providers.forEach((p, i) => {
    mkdirSync(gatewayHome(layout, i), { recursive: true });
    writeFileSync(providerKeyFile(layout, i), JSON.stringify(p, null, 2) + '\n', { mode: 0o600 });
    chmodSync(providerKeyFile(layout, i), 0o600);
  });
}

/** (Re)writes each validator's node.json from the current layout, so port variables apply on every start. */
export async function writeValidatorConfigs(layout: DevnetLayout, faucetMnemonic: string): Promise<void> {
  const peerIds = await Promise.all(Array.from({ length: layout.validators }, (_, i) => nodePeerId(homePaths(validatorHome(layout, i)).nodeKey)));
  const address = (i: number) => `/ip4/127.0.0.1/tcp/${layout.p2pPort(i)}/p2p/${peerIds[i]}`;
  for (let i = 0; i < layout.validators; i++) {
    const home = validatorHome(layout, i);
    const paths = homePaths(home);
    mkdirSync(join(home, 'config'), { recursive: true });
    copyFileSync(genesisFile(layout), paths.genesis);
    const config: NodeConfig = {
      moniker: `v${i}`,
      rpc: { host: '127.0.0.1', port: layout.rpcPort(i) },
      rest: i === 0 ? { host: '127.0.0.1', port: layout.restPort } : null,
      p2p: { host: '127.0.0.1', port: layout.p2pPort(i) },
      bootstrap_peers: peerIds.flatMap((_, j) => (j === i ? [] : [address(j)])),
      min_gas_price: `0.01${DENOM}`,
      block_time_ms: 1000,
      faucet: i === 0 ? { mnemonic: faucetMnemonic, amount: FAUCET_AMOUNT } : null,
    };
    writeFileSync(paths.config, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  }
}

/**
 * Each gateway's gateway.json (port, and the RPC of "its" validator, g{i} → v{i}), rewritten at every
 * start so port overrides apply; `trucom gateway start --home .trucom/devnet/g{i}` then needs nothing else.
 */
export function writeGatewayConfigs(layout: DevnetLayout): void {
  for (let i = 0; i < layout.gateways; i++) {
    const home = gatewayHome(layout, i);
    mkdirSync(home, { recursive: true, mode: 0o700 });
    const config = { host: '127.0.0.1', port: layout.gatewayPort(i), rpc: `http://127.0.0.1:${layout.rpcPort(i % layout.validators)}` };
    writeFileSync(join(home, 'gateway.json'), JSON.stringify(config, null, 2) + '\n');
  }
}
