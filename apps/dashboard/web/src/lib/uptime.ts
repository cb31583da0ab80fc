import { QueryClient, setupSlashingExtension } from '@cosmjs/stargate';
import { cometClient } from '@trucom/client';
import type { AppConfig } from './config';

/** A validator's liveness over the slashing module's window of recent blocks. */
export interface Uptime {
  /** Blocks of the window the validator has been counted in (fewer than the window while it is young or just unjailed). */
  readonly counted: number;
  readonly missed: number;
  /** Signed share of the counted blocks, 0–100. */
  readonly percent: number;
  readonly window: number;
  /** Set while jailed for downtime: when it may unjail. */
  readonly jailedUntil?: Date;
  /** Jailed for good for double-signing. */
  readonly tombstoned: boolean;
}

/**
 * Every validator's uptime by consensus address, from the slashing module's signing infos. The validator
 * REST does not serve slashing, so this asks over the RPC (`abci_query`), as any cosmjs client does.
 */
export async function uptimes(config: AppConfig): Promise<Map<string, Uptime>> {
  const q = QueryClient.withExtensions(cometClient(config.rpc), setupSlashingExtension);
  const [{ params }, { info }] = await Promise.all([q.slashing.params(), q.slashing.signingInfos()]);
  const window = Number(params!.signedBlocksWindow);
  const now = Date.now();
  return new Map(
    info.map((i) => {
      const counted = Math.min(window, Number(i.indexOffset));
      const missed = Number(i.missedBlocksCounter);
      const until = i.jailedUntil ? Number(i.jailedUntil.seconds) * 1000 : 0;
      return [i.address, { counted, missed, window, percent: counted > 0 ? ((counted - missed) / counted) * 100 : 100, tombstoned: i.tombstoned, ...(until > now ? { jailedUntil: new Date(until) } : {}) }];
    }),
  );
}
