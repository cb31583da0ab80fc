import type { Command } from 'commander';
import { TrucomQueries } from '@trucom/client';
import { accountKeyFromMnemonic } from '@trucom/crypto';
import { cliContext, processIo, type CliIo } from '../context.js';
import { createDeal, dealTerms, positiveInt, progressBar, say, withDealOptions, type DealFlags } from '../hosting/deal-flow.js';
import { quoteDeal } from '../hosting/quote.js';
import { waitForReplicas } from '../hosting/replicas.js';
import { resolveKey } from '../keyring.js';
import { emit, formatFields } from '../output.js';
import { filesUnder, uploadDirectory } from '../upload.js';
import { requireFrom, sendTx, signAndSend, withFrom, withTxOptions, type FromFlags } from './tx.js';

const SITE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

interface PublishFlags extends DealFlags {
  readonly name?: string;
  readonly profile?: string;
  readonly kind: string;
}

/** `trucom site publish|update|show`: a site is a name on chain pointing at a root CID paid by a deal. */
export function registerSite(program: Command, io: CliIo = processIo): void {
  const site = program.command('site').description('publish static sites: upload, storage deal and name in one step');

  withTxOptions(
    withFrom(
      withDealOptions(
        site
          .command('publish')
          .description('upload <dir> to a gateway, create a storage deal for it, point --name at it and wait until the replicas hold it; prints {"cid","deal","name","urls"}')
          .argument('<dir>', 'directory to publish (index.html at its root for a site)')
          .option('--name <name>', 'site name, one DNS label: [a-z0-9-], served at http://<name>.sites.localhost:<gateway port>/ (required)')
          .option('--profile <name>', 'CID profile (cidv1-256k-174 or unixfs-v1-2025)')
          .option('--kind <kind>', 'deal kind: site, stream or blob', 'site'),
        { bandwidth: '1000000utru' },
      ),
    ),
  ).action(async (dir: string, flags: PublishFlags, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    const from = requireFrom(flags);
    const name = flags.name;
    if (!name) throw new Error("required option '--name <name>' not specified");
    if (!SITE_NAME.test(name)) throw new Error(`site name ${JSON.stringify(name)} must be one DNS label: lower-case letters, digits and '-', at most 63`);
    const terms = dealTerms(flags);
    const key = await resolveKey(ctx.home, from);
    const chain = TrucomQueries.connect(flags.node);
    try {
      const existing = await chain.site(name);
      if (existing && existing.owner !== key.address) throw new Error(`site "${name}" belongs to ${existing.owner}`);
      const providers = await chain.providers();
      const files = await filesUnder(dir);
      const total = files.reduce((n, f) => n + f.size, 0);
      quoteDeal(providers, BigInt(total), terms.replicas, terms.epochs, terms.bandwidth, terms.maxPrice); // fail before uploading
      say(ctx, `uploading ${files.length} files (${total} bytes) to ${flags.gateway}`);
      const { privateKey } = await accountKeyFromMnemonic(key.mnemonic);
      const bar = progressBar(ctx, 'uploading');
      const uploaded = await uploadDirectory(flags.gateway, files, privateKey, (sent, all) => bar(all === 0 ? 100 : (sent / all) * 100, `${(sent / 2 ** 20).toFixed(1)}/${(all / 2 ** 20).toFixed(1)} MiB`), flags.profile);
      say(ctx, `root ${uploaded.cid}`);
      const dealId = await createDeal(ctx, cmd, flags, chain, { cid: uploaded.cid, size: BigInt(uploaded.size), profile: uploaded.profile, kind: flags.kind }, terms);
      const siteMsg = existing ? 'MsgUpdateSite' : 'MsgRegisterSite';
      const named = await sendTx(ctx, cmd, from, flags, (owner) => [{ typeUrl: `/trucom.sites.v1.${siteMsg}`, value: { owner, name, rootCid: uploaded.cid, dealId } }]);
      if (named.result.code !== 0) throw new Error(`the chain refused the site name (code ${named.result.code}): ${named.result.rawLog}`);
      say(ctx, `site "${name}" ${existing ? 'now points' : 'points'} at ${uploaded.cid}; waiting for ${terms.replicas} replicas…`);
      await waitForReplicas(chain, dealId, terms.replicas, positiveInt(flags.timeout, '--timeout') * 1000, (held) => say(ctx, `replicas holding it: ${held}/${terms.replicas}`));
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
