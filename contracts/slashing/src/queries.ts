import { QueryParamsResponse, QuerySigningInfoRequest, QuerySigningInfoResponse, QuerySigningInfosResponse } from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import { ValidatorSigningInfo } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import { fromBech32 } from '@cosmjs/encoding';
import { ErrInvalidAddress, ErrKeyNotFound, type QueryHandler } from '@trucom/chain';
import { CONSENSUS_PREFIX } from '@trucom/staking';
import { INFO_PREFIX } from './keys.js';
import type { SlashingKeeper } from './keeper.js';
import { utf8 } from '@trucom/crypto';


export function slashingQueries(keeper: SlashingKeeper): Record<string, QueryHandler> {
  return {
    '/cosmos.slashing.v1beta1.Query/Params': (ctx) => {
      const p = keeper.params(ctx.store);
      return QueryParamsResponse.encode({
        params: {
          signedBlocksWindow: BigInt(p.signedBlocksWindow),
          minSignedPerWindow: utf8(p.minSignedPerWindow.toString()),
          downtimeJailDuration: { seconds: BigInt(p.downtimeJailDuration), nanos: 0 },
          slashFractionDoubleSign: utf8(p.slashFractionDoubleSign.toString()),
          slashFractionDowntime: utf8(p.slashFractionDowntime.toString()),
        },
      }).finish();
    },
    '/cosmos.slashing.v1beta1.Query/SigningInfo': (ctx, data) => {
      const { consAddress } = QuerySigningInfoRequest.decode(data);
      let bytes: Uint8Array;
      try {
        const d = fromBech32(consAddress, 1023);
        if (d.prefix !== CONSENSUS_PREFIX || d.data.length !== 20) throw new Error('bad prefix');
        bytes = d.data;
      } catch {
        throw ErrInvalidAddress(`invalid consensus address ${JSON.stringify(consAddress)}`);
      }
      const info = keeper.signingInfo(ctx.store, bytes);
      if (!info) throw ErrKeyNotFound(`rpc error: code = NotFound desc = SigningInfo not found for validator ${consAddress}`);
      return QuerySigningInfoResponse.encode({ valSigningInfo: info }).finish();
    },
    '/cosmos.slashing.v1beta1.Query/SigningInfos': async (ctx) => {
      const info: ValidatorSigningInfo[] = [];
      for await (const [, value] of ctx.store.iterate(INFO_PREFIX)) info.push(ValidatorSigningInfo.decode(value));
      return QuerySigningInfosResponse.encode({ info, pagination: { nextKey: new Uint8Array(), total: BigInt(info.length) } }).finish();
    },
  };
}
