import { basename, extname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { TrucomQueries } from '@trucom/client';
import { accountKeyFromMnemonic, cryptoBoxSeal } from '@trucom/crypto';
import { cliContext, processIo, type CliIo } from '../context.js';
import { createDeal, dealTerms, positiveInt, progressBar, say, withDealOptions, type DealFlags } from '../hosting/deal-flow.js';
import { waitForReplicas } from '../hosting/replicas.js';
import { uploadVideo } from '../hosting/stream-upload.js';
import { resolveKey } from '../keyring.js';
import { sendTx, withFrom, withTxOptions, requireFrom } from './tx.js';

const CONTENT_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

interface StreamFlags extends DealFlags {
  readonly name?: string;
  readonly segment: string;
  readonly rotate: string;
  readonly grant?: string[];
}

/** A content id from the file name (lower-case, dashes) plus a random suffix, when none is given. */
function defaultContentId(file: string): string {
  const stem = basename(file, extname(file)).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'video';
  return `${stem}-${randomBytes(3).toString('hex')}`;
}

/** `trucom stream publish`: a video becomes an encrypted HLS ladder under a storage deal, with keys only granted viewers get. */
export function registerStream(program: Command, io: CliIo = processIo): void {
  const stream = program.command('stream').description('encrypted HLS streams: publish a video; viewers need a grant (trucom grant add)');
  withTxOptions(
    withFrom(
      withDealOptions(
        stream
          .command('publish')
          .description('upload <video>; a gateway transcodes it into an encrypted HLS ladder; the deal, the content and its keys (sealed to the key-holder gateways) go on chain; prints {"content","cid","deal","master","watch"}')
          .argument('<video>', 'video file (any container and codec ffmpeg reads)')
          .option('--name <content>', 'content id used in key URIs and /watch/<content> ([a-z0-9-], default: from the file name)')
          .option('--segment <seconds>', 'segment length', '4')
          .option('--rotate <segments>', 'a new key every this many segments (the revocation window)', '3')
          .option('--grant <address...>', 'viewers to grant right away'),
        { bandwidth: '10000000utru' },
      ),
    ),
  ).action(async (video: string, flags: StreamFlags, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    const from = requireFrom(flags);
    const content = flags.name ?? defaultContentId(video);
    if (!CONTENT_ID.test(content)) throw new Error(`--name ${JSON.stringify(content)} must be 1-64 of [a-z0-9-], not starting or ending with "-"`);
    const terms = dealTerms(flags);
    const key = await resolveKey(ctx.home, from);
    const chain = TrucomQueries.connect(flags.node);
    try {
      if (await chain.content(content)) throw new Error(`content "${content}" already exists on chain; pick another --name`);
      const holders = await chain.keyHolders();
      if (holders.length === 0) throw new Error('no gateway has registered a key-holder key on chain: nobody could serve the keys');
      const { privateKey } = await accountKeyFromMnemonic(key.mnemonic);
      const bars = new Map<string, ReturnType<typeof progressBar>>();
      const packaged = await uploadVideo(flags.gateway, video, content, privateKey, { segmentS: positiveInt(flags.segment, '--segment'), rotateEvery: positiveInt(flags.rotate, '--rotate') }, (stage, percent) => {
        if (!bars.has(stage)) bars.set(stage, progressBar(ctx, stage.padEnd(9)));
        bars.get(stage)!(percent);
      });
      say(ctx, `packaged ${packaged.renditions.join(', ')}: ${packaged.segments} segments, ${packaged.keys.length} keys; root ${packaged.cid}`);
      const dealId = await createDeal(ctx, cmd, flags, chain, { cid: packaged.cid, size: BigInt(packaged.size), profile: 'cidv1-256k-174', kind: 'stream' }, terms);
      const sealed = packaged.keys.flatMap((k) => holders.map((h) => ({ keyId: k.id, holder: h.holder!, sealed: cryptoBoxSeal(Buffer.from(k.key, 'hex'), h.x25519Pubkey!) })));
      const grants = flags.grant ?? [];
      const { result } = await sendTx(ctx, cmd, from, flags, (owner) => [
        { typeUrl: '/trucom.grants.v1.MsgRegisterContent', value: { owner, content, dealId, keyIds: packaged.keys.map((k) => k.id) } },
        { typeUrl: '/trucom.grants.v1.MsgSetContentKeys', value: { owner, content, keys: sealed } },
        ...grants.map((grantee) => ({ typeUrl: '/trucom.grants.v1.MsgGrant', value: { owner, content, grantee, expiry: 0 } })),
      ]);
      if (result.code !== 0) throw new Error(`the chain refused the content or its keys (code ${result.code}): ${result.rawLog}`);
      say(ctx, `content "${content}" registered with ${sealed.length} sealed keys for ${holders.length} key holders${grants.length ? `; granted ${grants.join(', ')}` : ''}`);
      await waitForReplicas(chain, dealId, terms.replicas, positiveInt(flags.timeout, '--timeout') * 1000, (held) => say(ctx, `replicas holding it: ${held}/${terms.replicas}`));
      const gateway = flags.gateway.replace(/\/$/, '');
      ctx.stdout.write(`${JSON.stringify({ content, cid: packaged.cid, deal: dealId, master: `${gateway}/ipfs/${packaged.cid}/master.m3u8`, watch: `${gateway}/watch/${content}` })}\n`);
    } finally {
      chain.disconnect();
    }
  });
}
