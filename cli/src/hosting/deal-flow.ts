import type { Command } from 'commander';
import type { TrucomQueries } from '@trucom/client';
import { trucom } from '@trucom/proto';
import type { CliContext } from '../context.js';
import { sendTx, type FromFlags } from '../commands/tx.js';
import { createDealMessage, quoteDeal, type DealContent, type DealTerms } from './quote.js';

/** The options every publishing command shares: how many replicas, for how long, at what price. */
export interface DealFlags extends FromFlags {
  readonly replicas: string;
  readonly epochs: string;
  readonly bandwidth: string;
  readonly maxPrice?: string;
  readonly gateway: string;
  readonly timeout: string;
}

export const DEFAULT_GATEWAY = 'http://127.0.0.1:8080';

export function withDealOptions(cmd: Command, defaults: { bandwidth: string }): Command {
  return cmd
    .option('--replicas <n>', 'providers that keep a copy (at least 3)', '3')
    .option('--epochs <n>', 'epochs paid for up front (devnet: 1 epoch = 10 blocks)', '360')
    .option('--bandwidth <utru>', 'bandwidth budget gateways are paid from', defaults.bandwidth)
    .option('--max-price <utru>', 'highest storage price per GiB per epoch (default: the lowest that fills every replica)')
    .option('--gateway <url>', 'gateway to upload to', DEFAULT_GATEWAY)
    .option('--timeout <seconds>', 'how long to wait for the replicas', '180');
}

export function positiveInt(text: string, flag: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) throw new Error(`${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

export function utru(text: string, flag: string): bigint {
  const m = /^([0-9]{1,30})(utru)?$/.exec(text);
  if (!m) throw new Error(`${flag} must be an amount in utru, e.g. 1000000utru; got ${JSON.stringify(text)}`);
  return BigInt(m[1]!);
}

export type { DealTerms };

export function dealTerms(flags: DealFlags): DealTerms {
  return { replicas: positiveInt(flags.replicas, '--replicas'), epochs: positiveInt(flags.epochs, '--epochs'), bandwidth: utru(flags.bandwidth, '--bandwidth'), maxPrice: flags.maxPrice ? utru(flags.maxPrice, '--max-price') : undefined };
}

/** Progress lines go to stderr so stdout keeps only the final JSON line. */
export function say(ctx: CliContext, line: string): void {
  ctx.stderr.write(`${line}\n`);
}

/** A terminal progress bar on stderr (a line per 10% when stderr is not a terminal). */
export function progressBar(ctx: CliContext, label: string): (percent: number, detail?: string) => void {
  let shown = -1;
  const tty = (process.stderr as { isTTY?: boolean }).isTTY;
  return (percent, detail = '') => {
    const pct = Math.max(0, Math.min(100, Math.floor(percent)));
    if (pct === shown || (!tty && pct % 10 !== 0 && pct !== 100)) return;
    shown = pct;
    const bar = '#'.repeat(Math.round(pct * 0.3)).padEnd(30, '.');
    const line = `${label} [${bar}] ${pct}%${detail ? ` ${detail}` : ''}`;
    ctx.stderr.write(tty ? `\r${line}${pct === 100 ? '\n' : ''}` : `${line}\n`);
  };
}

/** Quotes the deal from the providers on chain, signs MsgCreateDeal and returns the new deal's id. */
export async function createDeal(ctx: CliContext, cmd: Command, flags: DealFlags, chain: TrucomQueries, content: DealContent, terms: DealTerms): Promise<number> {
  const quote = quoteDeal(await chain.providers(), content.size, terms.replicas, terms.epochs, terms.bandwidth, terms.maxPrice);
  say(ctx, `quote: ${quote.total}utru locked in escrow = ${quote.maxPrice}utru/GiB/epoch × ${quote.chargedGiB} GiB × ${terms.replicas} replicas × ${terms.epochs} epochs + ${terms.bandwidth}utru bandwidth`);
  const { result } = await sendTx(ctx, cmd, flags.from!, flags, (owner) => [createDealMessage(owner, content, terms, quote)]);
  if (result.code !== 0) throw new Error(`the chain refused the deal (code ${result.code}): ${result.rawLog}`);
  const dealId = Number(trucom.market.v1.MsgCreateDealResponse.decode(result.msgResponses[0]!.value).dealId);
  say(ctx, `deal ${dealId} created at height ${result.height}`);
  return dealId;
}
