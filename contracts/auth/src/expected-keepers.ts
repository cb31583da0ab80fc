import type { Coin, Context } from '@trucom/chain';

/** What the ante handler needs from the bank module (the SDK's expected_keepers.go). */
export interface FeeBankKeeper {
  sendFromAccountToModule(ctx: Context, from: string, module: string, coins: readonly Coin[]): void;
}
