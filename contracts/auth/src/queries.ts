import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { ErrInvalidAddress, ErrKeyNotFound, type QueryHandler } from '@trucom/chain';
import { isValidAddress } from '@trucom/crypto';
import { BASE_ACCOUNT_TYPE, encodeBaseAccount, type AuthKeeper } from './keeper.js';

export function authQueries(auth: AuthKeeper): Record<string, QueryHandler> {
  return {
    '/cosmos.auth.v1beta1.Query/Account': (ctx, data) => {
      const { address } = QueryAccountRequest.decode(data);
      if (!isValidAddress(address)) throw ErrInvalidAddress(`invalid address ${JSON.stringify(address)}`);
      const account = auth.getAccount(ctx.store, address);
      // cosmjs maps exactly this NotFound text to "no such account" (SDK gRPC error mapping).
      if (!account) throw ErrKeyNotFound(`rpc error: code = NotFound desc = account ${address} not found`);
      return QueryAccountResponse.encode({ account: { typeUrl: BASE_ACCOUNT_TYPE, value: encodeBaseAccount(account) } }).finish();
    },
  };
}
