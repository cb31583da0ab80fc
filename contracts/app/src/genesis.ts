import { readFileSync } from 'node:fs';
import type { AuthGenesis } from '@trucom/auth';
import type { BankGenesis } from '@trucom/bank';

export const DENOM = 'utru';
export const DISPLAY_DENOM = 'TRU';
export const DENOM_EXPONENT = 6;

/** CometBFT-shaped genesis document (genesis.json), with our modules' state under app_state. */
export interface GenesisDoc {
  readonly genesis_time: string;
  readonly chain_id: string;
  readonly initial_height: string;
  readonly consensus_params: {
    readonly block: { readonly max_bytes: string; readonly max_gas: string };
    readonly evidence: { readonly max_age_num_blocks: string; readonly max_age_duration: string; readonly max_bytes: string };
    readonly validator: { readonly pub_key_types: string[] };
  };
  readonly validators: readonly GenesisValidator[];
  readonly app_hash: string;
  readonly app_state: { readonly auth: AuthGenesis; readonly bank: BankGenesis };
}

export interface GenesisValidator {
  readonly address: string; // upper hex, 20 bytes
  readonly pub_key: { readonly type: 'tendermint/PubKeyEd25519'; readonly value: string };
  readonly power: string;
  readonly name: string;
}

export const DEFAULT_CONSENSUS_PARAMS: GenesisDoc['consensus_params'] = {
  block: { max_bytes: '22020096', max_gas: '-1' },
  evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
  validator: { pub_key_types: ['ed25519'] },
};

export function validateGenesis(g: GenesisDoc): void {
  if (!/^[a-z0-9][a-z0-9-]{0,48}$/.test(g.chain_id)) throw new Error(`genesis: invalid chain_id ${JSON.stringify(g.chain_id)}`);
  if (Number.isNaN(Date.parse(g.genesis_time))) throw new Error(`genesis: invalid genesis_time ${g.genesis_time}`);
  if (g.validators.length === 0) throw new Error('genesis: no validators');
  for (const v of g.validators) if (!/^[1-9][0-9]*$/.test(v.power)) throw new Error(`genesis: validator ${v.name} has invalid power ${v.power}`);
}

export function readGenesis(path: string): GenesisDoc {
  const g = JSON.parse(readFileSync(path, 'utf8')) as GenesisDoc;
  validateGenesis(g);
  return g;
}

/** RFC 3339 time → integer (seconds, nanos), keeping nanosecond precision. */
export function parseTime(rfc3339: string): { seconds: number; nanos: number } {
  const m = /\.(\d{1,9})Z$/.exec(rfc3339);
  const seconds = Math.floor(Date.parse(rfc3339) / 1000);
  return { seconds, nanos: m ? Number(m[1]!.padEnd(9, '0')) : 0 };
}
