import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountKeyFromMnemonic, generateMnemonic, toBase64, toUpperHex } from '@trucom/crypto';
import { createPrivValidatorKeyFile, loadPrivValidator } from '@trucom/consensus';
import { nodePeerId } from '@trucom/p2p';
import { DEFAULT_CONSENSUS_PARAMS, DENOM, type GenesisDoc } from '@trucom/app';
import { homePaths, type NodeConfig } from '@trucom/validator/config';
import { accountsFile, genesisFile, validatorHome, type DevnetLayout } from './layout.js';

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

/** Writes keys, accounts.json and genesis.json for a new devnet. */
export async function createDevnet(layout: DevnetLayout): Promise<void> {
  mkdirSync(layout.dir, { recursive: true });
  const accounts: DevnetAccount[] = [];
  for (const { name } of FUNDED) {
    const mnemonic = generateMnemonic(24);
    accounts.push({ name, address: (await accountKeyFromMnemonic(mnemonic)).address, mnemonic });
  }
  const validators = Array.from({ length: layout.validators }, (_, i) => {
    const home = validatorHome(layout, i);
    const key = existsSync(homePaths(home).privValidatorKey) ? loadPrivValidator(homePaths(home).privValidatorKey) : createPrivValidatorKeyFile(homePaths(home).privValidatorKey);
    return {
      address: toUpperHex(key.address),
      pub_key: { type: 'tendermint/PubKeyEd25519' as const, value: toBase64(key.publicKey) },
      power: '10',
      name: `v${i}`,
    };
  });
  const genesis: GenesisDoc = {
    genesis_time: new Date().toISOString(),
    chain_id: layout.chainId,
    initial_height: '1',
    consensus_params: DEFAULT_CONSENSUS_PARAMS,
    validators,
    app_hash: '',
    app_state: {
      auth: { accounts: accounts.map((a) => ({ address: a.address })) },
      bank: { balances: accounts.map((a, i) => ({ address: a.address, coins: [{ denom: DENOM, amount: FUNDED[i]!.amount.toString() }] })) },
    },
  };
  writeFileSync(genesisFile(layout), JSON.stringify(genesis, null, 2) + '\n');
  writeFileSync(accountsFile(layout), JSON.stringify(accounts, null, 2) + '\n', { mode: 0o600 });
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
