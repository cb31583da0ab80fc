import type { Command } from 'commander';
import { TrucomQueries } from '@trucom/client';
import { accountKeyFromMnemonic } from '@trucom/crypto';
import { trucom } from '@trucom/proto';
import { cliContext, processIo, type CliContext, type CliIo } from '../context.js';
import { quoteDeal } from '../hosting/quote.js';
import { waitForReplicas } from '../hosting/replicas.js';
import { resolveKey } from '../keyring.js';
import { emit, formatFields } from '../output.js';
import { filesUnder, uploadDirectory } from '../upload.js';
import { requireFrom, sendTx, signAndSend, withFrom, withTxOptions, type FromFlags } from './tx.js';

export const DEFAULT_GATEWAY = 'http://127.0.0.1:8080';
const SITE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

interface PublishFlags extends FromFlags {
  readonly name?: string;
  readonly replicas: string;
  readonly epochs: string;
  readonly bandwidth: string;
  readonly maxPrice?: string;
  readonly gateway: string;
  readonly profile?: string;
  readonly kind: string;
  readonly timeout: string;
}

function positiveInt(text: string, flag: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) throw new Error(`${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

function utru(text: string, flag: string): bigint {
  const m = /^([0-9]{1,30})(utru)?$/.exec(text);
  if (!m) throw new Error(`${flag} must be an amount in utru, e.g. 1000000utru; got ${JSON.stringify(text)}`);
  return BigInt(m[1]!);
}

/** Progress lines go to stderr so stdout keeps only the final JSON line. */
function say(ctx: CliContext, line: string): void {
  ctx.stderr.write(`${line}\n`);
}

function progressBar(ctx: CliContext): (sent: number, total: number) => void {
  let shown = -1;
  const tty = (process.stderr as { isTTY?: boolean }).isTTY;
  return (sent, total) => {
    const pct = total === 0 ? 100 : Math.floor((sent / total) * 100);
    if (pct === shown || (!tty && pct % 10 !== 0 && pct !== 100)) return;
    shown = pct;
    const width = 30;
    const bar = '#'.repeat(Math.round((pct / 100) * width)).padEnd(width, '.');
    const line = `uploading [${bar}] ${pct}% ${(sent / 2 ** 20).toFixed(1)}/${(total / 2 ** 20).toFixed(1)} MiB`;
    ctx.stderr.write(tty ? `\r${line}${pct === 100 ? '\n' : ''}` : `${line}\n`);
  };
}

/** `trucom site publish|update|show`: a site is a name on chain pointing at a root CID paid by a deal. */
export function registerSite(program: Command, io: CliIo = processIo): void {
  const site = program.command('site').description('publish static sites: upload, storage deal and name in one step');

  withTxOptions(
    withFrom(
      site
        .command('publish')
        .description('upload <dir> to a gateway, create a storage deal for it, point --name at it and wait until the replicas hold it; prints {"cid","deal","name","urls"}')
        .argument('<dir>', 'directory to publish (index.html at its root for a site)')
        .option('--name <name>', 'site name, one DNS label: [a-z0-9-], served at http://<name>.sites.localhost:<gateway port>/ (required)')
        .option('--replicas <n>', 'providers that keep a copy (at least 3)', '3')
        .option('--epochs <n>', 'epochs paid for up front (devnet: 1 epoch = 10 blocks)', '360')
        .option('--bandwidth <utru>', 'bandwidth budget gateways are paid from', '1000000utru')
        .option('--max-price <utru>', 'highest storage price per GiB per epoch (default: the lowest that fills every replica)')
        .option('--gateway <url>', 'gateway to upload to', DEFAULT_GATEWAY)
        .option('--profile <name>', 'CID profile (cidv1-256k-174 or unixfs-v1-2025)')
        .option('--kind <kind>', 'deal kind: site, stream or blob', 'site')
        .option('--timeout <seconds>', 'how long to wait for the replicas', '180'),
    ),
  ).action(async (dir: string, flags: PublishFlags, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    const from = requireFrom(flags);
    const name = flags.name;
    if (!name) throw new Error("required option '--name <name>' not specified");
    if (!SITE_NAME.test(name)) throw new Error(`site name ${JSON.stringify(name)} must be one DNS label: lower-case letters, digits and '-', at most 63`);
    const replicas = positiveInt(flags.replicas, '--replicas');
    const epochs = positiveInt(flags.epochs, '--epochs');
    const bandwidth = utru(flags.bandwidth, '--bandwidth');
    const maxPrice = flags.maxPrice ? utru(flags.maxPrice, '--max-price') : undefined;
    const key = await resolveKey(ctx.home, from);
    const chain = TrucomQueries.connect(flags.node);
    try {
      const existing = await chain.site(name);
      if (existing && existing.owner !== key.address) throw new Error(`site "${name}" belongs to ${existing.owner}`);
      const providers = await chain.providers();
      const files = await filesUnder(dir);
      const total = files.reduce((n, f) => n + f.size, 0);
      quoteDeal(providers, BigInt(total), replicas, epochs, bandwidth, maxPrice); // fail before uploading
      say(ctx, `uploading ${files.length} files (${total} bytes) to ${flags.gateway}`);
      const { privateKey } = await accountKeyFromMnemonic(key.mnemonic);
      const uploaded = await uploadDirectory(flags.gateway, files, privateKey, progressBar(ctx), flags.profile);
      const quote = quoteDeal(providers, BigInt(uploaded.size), replicas, epochs, bandwidth, maxPrice);
      say(ctx, `root ${uploaded.cid}; quote: ${quote.total}utru locked in escrow = ${quote.maxPrice}utru/GiB/epoch × ${quote.chargedGiB} GiB × ${replicas} replicas × ${epochs} epochs + ${bandwidth}utru bandwidth`);
      const created = await sendTx(ctx, cmd, from, flags, (owner) => [
        {
          typeUrl: '/trucom.market.v1.MsgCreateDeal',
          value: { owner, cid: uploaded.cid, size: Number(uploaded.size), profile: uploaded.profile, kind: flags.kind, replicas, duration: epochs, maxPrice: String(quote.maxPrice), bandwidthBudget: String(bandwidth) },
        },
      ]);
      if (created.result.code !== 0) throw new Error(`the chain refused the deal (code ${created.result.code}): ${created.result.rawLog}`);
      const response = created.result.msgResponses[0];
      const dealId = Number(trucom.market.v1.MsgCreateDealResponse.decode(response!.value).dealId);
      say(ctx, `deal ${dealId} created at height ${created.result.height}`);
      const siteMsg = existing ? 'MsgUpdateSite' : 'MsgRegisterSite';
      const named = await sendTx(ctx, cmd, from, flags, (owner) => [{ typeUrl: `/trucom.sites.v1.${siteMsg}`, value: { owner, name, rootCid: uploaded.cid, dealId } }]);
      if (named.result.code !== 0) throw new Error(`the chain refused the site name (code ${named.result.code}): ${named.result.rawLog}`);
      say(ctx, `site "${name}" ${existing ? 'now points' : 'points'} at ${uploaded.cid}; waiting for ${replicas} replicas…`);
      await waitForReplicas(chain, dealId, replicas, positiveInt(flags.timeout, '--timeout') * 1000, (held) => say(ctx, `replicas holding it: ${held}/${replicas}`));
      const gateways = [...new Set(providers.map((p) => p.endpoint!).filter(Boolean))];
      const urls = gateways.flatMap((g) => {
        const u = new URL(g);
        return [`${u.protocol}//${name}.sites.localhost:${u.port || (u.protocol === 'https:' ? 443 : 80)}/`, `${g.replace(/\/$/, '')}/ipfs/${uploaded.cid}/`];
      });
      ctx.stdout.write(`${JSON.stringify({ cid: uploaded.cid, deal: dealId, name, urls })}\n`);
    } finally {
      chain.disconnect();
    }
  });

  interface UpdateFlags extends FromFlags {
    readonly cid?: string;
    readonly deal?: string;
  }
  withTxOptions(
    withFrom(
      site
        .command('update')
        .description('point a site you own at another root CID paid by one of your deals (to upload new content too, run site publish with the same --name)')
        .argument('<name>', 'site name')
        .option('--cid <cid>', 'new root CID (required)')
        .option('--deal <id>', 'your deal that holds that root (required)'),
    ),
  ).action(async (name: string, flags: UpdateFlags, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    if (!flags.cid || !flags.deal) throw new Error("required options '--cid <cid>' and '--deal <id>'");
    const dealId = positiveInt(flags.deal, '--deal');
    await signAndSend(ctx, cmd, requireFrom(flags), flags, (owner) => [{ typeUrl: '/trucom.sites.v1.MsgUpdateSite', value: { owner, name, rootCid: flags.cid, dealId } }]);
  });

  site
    .command('show')
    .description('the root CID, deal and owner a site name points at')
    .argument('<name>', 'site name')
    .option('--node <url>', 'validator RPC endpoint', 'http://127.0.0.1:26657')
    .action(async (name: string, flags: { node: string }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const chain = TrucomQueries.connect(flags.node);
      try {
        const found = await chain.site(name);
        if (!found) throw new Error(`no site named "${name}"`);
        const view = { name: found.name, owner: found.owner, root_cid: found.rootCid, deal_id: Number(found.dealId ?? 0), updated_height: Number(found.updatedHeight ?? 0) };
        emit(ctx.output, view, (v) => formatFields(Object.entries(v)), ctx.stdout);
      } finally {
        chain.disconnect();
      }
    });
}
