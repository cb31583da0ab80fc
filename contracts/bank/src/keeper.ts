import { moduleAddress, utf8 } from '@trucom/crypto';
import { coinsString, ErrInsufficientFunds, type Coin, type Context, type KVStore, type ReadonlyKVStore } from '@trucom/chain';
import type { AuthKeeper } from '@trucom/auth';
import { balanceKey, supplyKey } from './keys.js';

const text = new TextDecoder();
const readAmount = (v: Uint8Array | undefined) => (v ? BigInt(text.decode(v)) : 0n);

/**
 * Balances and total supply. Every movement goes through send/mint/burn, which keep the supply
 * invariant (supply of a denom = sum of its balances) and emit the Cosmos SDK's bank events.
 */
export class BankKeeper {
  constructor(private readonly auth: Pick<AuthKeeper, 'ensureAccount'>) {}

  balance(store: ReadonlyKVStore, address: string, denom: string): bigint {
    return readAmount(store.get(balanceKey(address, denom)));
  }

  supply(store: ReadonlyKVStore, denom: string): bigint {
    return readAmount(store.get(supplyKey(denom)));
  }

  private setBalance(store: KVStore, address: string, denom: string, amount: bigint): void {
    if (amount === 0n) store.delete(balanceKey(address, denom));
    else store.set(balanceKey(address, denom), utf8(amount.toString()));
  }

  private setSupply(store: KVStore, denom: string, amount: bigint): void {
    if (amount === 0n) store.delete(supplyKey(denom));
    else store.set(supplyKey(denom), utf8(amount.toString()));
  }

  private subtract(ctx: Context, address: string, coins: readonly Coin[]): void {
    for (const c of coins) {
      const have = this.balance(ctx.store, address, c.denom);
      if (have < c.amount) throw ErrInsufficientFunds(`spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}`);
      this.setBalance(ctx.store, address, c.denom, have - c.amount);
    }
    if (ctx.events.recording) ctx.events.emit('coin_spent', { spender: address, amount: coinsString(coins) });
  }

  private add(ctx: Context, address: string, coins: readonly Coin[]): void {
    this.auth.ensureAccount(ctx.store, address);
    for (const c of coins) this.setBalance(ctx.store, address, c.denom, this.balance(ctx.store, address, c.denom) + c.amount);
    if (ctx.events.recording) ctx.events.emit('coin_received', { receiver: address, amount: coinsString(coins) });
  }

  /** Moves coins between accounts, creating the recipient's account on first receipt. */
  send(ctx: Context, from: string, to: string, coins: readonly Coin[]): void {
    this.subtract(ctx, from, coins);
    this.add(ctx, to, coins);
    if (!ctx.events.recording) return;
    ctx.events.emit('transfer', { recipient: to, sender: from, amount: coinsString(coins) });
    ctx.events.emit('message', { sender: from });
  }

  /** One sender, many recipients (MsgMultiSend): debited once, credited per output. */
  multiSend(ctx: Context, from: string, outputs: readonly { address: string; coins: readonly Coin[] }[], total: readonly Coin[]): void {
    this.subtract(ctx, from, total);
    ctx.events.emit('message', { sender: from });
    for (const o of outputs) {
      this.add(ctx, o.address, o.coins);
      ctx.events.emit('transfer', { recipient: o.address, amount: coinsString(o.coins) });
    }
  }

  sendFromAccountToModule(ctx: Context, from: string, module: string, coins: readonly Coin[]): void {
    this.send(ctx, from, moduleAddress(module), coins);
  }

  sendFromModuleToAccount(ctx: Context, module: string, to: string, coins: readonly Coin[]): void {
    this.send(ctx, moduleAddress(module), to, coins);
  }

  /** Creates coins in a module account (genesis, block provisions). */
  mint(ctx: Context, module: string, coins: readonly Coin[]): void {
    this.mintTo(ctx, moduleAddress(module), coins);
    ctx.events.emit('coinbase', { minter: moduleAddress(module), amount: coinsString(coins) });
  }

  /** Genesis allocations: coins created straight into an account. */
  mintTo(ctx: Context, address: string, coins: readonly Coin[]): void {
    this.add(ctx, address, coins);
    for (const c of coins) this.setSupply(ctx.store, c.denom, this.supply(ctx.store, c.denom) + c.amount);
  }

  burn(ctx: Context, module: string, coins: readonly Coin[]): void {
    const address = moduleAddress(module);
    this.subtract(ctx, address, coins);
    for (const c of coins) this.setSupply(ctx.store, c.denom, this.supply(ctx.store, c.denom) - c.amount);
    ctx.events.emit('burn', { burner: address, amount: coinsString(coins) });
  }
}
