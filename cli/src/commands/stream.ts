import { basename, extname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { TrucomQueries } from '@trucom/client';
import { accountKeyFromMnemonic, cryptoBoxSeal } from '@trucom/crypto';
import { MAX_KEY_IDS, MAX_KEYS_PER_MSG } from '@trucom/grants';
import { cliContext, processIo, type CliIo } from '../context.js';
import { createDeal, dealTerms, positiveInt, progressBar, say, withDealOptions, type DealFlags } from '../hosting/deal-flow.js';
import { openLive, waitForLiveEnd } from '../hosting/live-ingest.js';
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

interface LiveFlags extends StreamFlags {
  readonly maxMinutes: string;
}

type KeyHolders = Awaited<ReturnType<TrucomQueries['keyHolders']>>;

/** The content's registration, its keys sealed to every key holder (in messages of at most MAX_KEYS_PER_MSG entries), and the grants. */
function contentMessages(owner: string, content: string, dealId: number, keys: readonly { id: string; key: Uint8Array }[], holders: KeyHolders, grants: readonly string[]): EncodeObject[] {
  const sealed = keys.flatMap((k) => holders.map((h) => ({ keyId: k.id, holder: h.holder!, sealed: cryptoBoxSeal(k.key, h.x25519Pubkey!) })));
  const batches = Array.from({ length: Math.ceil(sealed.length / MAX_KEYS_PER_MSG) }, (_, i) => sealed.slice(i * MAX_KEYS_PER_MSG, (i + 1) * MAX_KEYS_PER_MSG));
  return [
    { typeUrl: '/trucom.grants.v1.MsgRegisterContent', value: { owner, content, dealId, keyIds: keys.map((k) => k.id) } },
    ...batches.map((batch) => ({ typeUrl: '/trucom.grants.v1.MsgSetContentKeys', value: { owner, content, keys: batch } })),
    ...grants.map((grantee) => ({ typeUrl: '/trucom.grants.v1.MsgGrant', value: { owner, content, grantee, expiry: 0 } })),
  ];
}

/** Key holders on chain; none means no gateway could ever release a key. */
async function keyHoldersOf(chain: TrucomQueries, content: string): Promise<KeyHolders> {
  if (await chain.content(content)) throw new Error(`content "${content}" already exists on chain; pick another --name`);
  const holders = await chain.keyHolders();
  if (holders.length === 0) throw new Error('no gateway has registered a key-holder key on chain: nobody could serve the keys');
  return holders;
}

/** Waits for the deal's replicas, then prints the final JSON line of a stored stream. */
async function finish(ctx: ReturnType<typeof cliContext>, chain: TrucomQueries, flags: DealFlags, terms: ReturnType<typeof dealTerms>, stored: { content: string; cid: string; deal: number }): Promise<void> {
  await waitForReplicas(chain, stored.deal, terms.replicas, positiveInt(flags.timeout, '--timeout') * 1000, (held) => say(ctx, `replicas holding it: ${held}/${terms.replicas}`));
  const gateway = flags.gateway.replace(/\/$/, '');
  ctx.stdout.write(`${JSON.stringify({ ...stored, master: `${gateway}/ipfs/${stored.cid}/master.m3u8`, watch: `${gateway}/watch/${stored.content}` })}\n`);
}

/** A content id from the file name (lower-case, dashes) plus a random suffix, when none is given. */
function defaultContentId(file: string): string {
  const stem = basename(file, extname(file)).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'video';
  return `${stem}-${randomBytes(3).toString('hex')}`;
}

/** `trucom stream publish` (a video) and `trucom stream live` (ffmpeg pushing): encrypted HLS under a storage deal, with keys only granted viewers get. */
export function registerStream(program: Command, io: CliIo = processIo): void {
  const stream = program.command('stream').description('encrypted HLS streams: publish a video or go live; viewers need a grant (trucom grant add)');
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
      const holders = await keyHoldersOf(chain, content);
      const { privateKey } = await accountKeyFromMnemonic(key.mnemonic);
      const bars = new Map<string, ReturnType<typeof progressBar>>();
      const packaged = await uploadVideo(flags.gateway, video, content, privateKey, { segmentS: positiveInt(flags.segment, '--segment'), rotateEvery: positiveInt(flags.rotate, '--rotate') }, (stage, percent) => {
        if (!bars.has(stage)) bars.set(stage, progressBar(ctx, stage.padEnd(9)));
        bars.get(stage)!(percent);
      });
      say(ctx, `packaged ${packaged.renditions.join(', ')}: ${packaged.segments} segments, ${packaged.keys.length} keys; root ${packaged.cid}`);
      const dealId = await createDeal(ctx, cmd, flags, chain, { cid: packaged.cid, size: BigInt(packaged.size), profile: 'cidv1-256k-174', kind: 'stream' }, terms);
      const keys = packaged.keys.map((k) => ({ id: k.id, key: Buffer.from(k.key, 'hex') }));
      const grants = flags.grant ?? [];
      const { result } = await sendTx(ctx, cmd, from, flags, (owner) => contentMessages(owner, content, dealId, keys, holders, grants));
      if (result.code !== 0) throw new Error(`the chain refused the content or its keys (code ${result.code}): ${result.rawLog}`);
      say(ctx, `content "${content}" registered with ${keys.length * holders.length} sealed keys for ${holders.length} key holders${grants.length ? `; granted ${grants.join(', ')}` : ''}`);
      await finish(ctx, chain, flags, terms, { content, cid: packaged.cid, deal: dealId });
    } finally {
      chain.disconnect();
    }
  });

  withTxOptions(
    withFrom(
      withDealOptions(
        stream
          .command('live')
          .description(
            'go live: registers the content on chain with one key per rotation period up to --max-minutes (sealed to the key-holder gateways), gets a stream key from --gateway and prints {"content","ingest","playlist","watch"}; ' +
              'push with ffmpeg (-f hls -hls_time <segment> -method PUT <ingest>); once ffmpeg ends the stream, the gateway stores it and it goes under a deal: prints {"content","cid","deal","master","watch"}',
          )
          .option('--name <content>', 'content id used in key URIs and /watch/<content> ([a-z0-9-], default: live-<random>)')
          .option('--segment <seconds>', 'segment length ffmpeg cuts (its -hls_time; keyframes every this many seconds)', '2')
          .option('--rotate <segments>', 'a new key every this many segments (the revocation window)', '3')
          .option('--max-minutes <minutes>', 'longest run of the stream: one key per rotation period is put on chain up front', '30')
          .option('--grant <address...>', 'viewers to grant right away'),
        { bandwidth: '10000000utru' },
      ),
    ),
  ).action(async (flags: LiveFlags, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    const from = requireFrom(flags);
    const content = flags.name ?? `live-${randomBytes(3).toString('hex')}`;
    if (!CONTENT_ID.test(content)) throw new Error(`--name ${JSON.stringify(content)} must be 1-64 of [a-z0-9-], not starting or ending with "-"`);
    const terms = dealTerms(flags);
    const segmentS = positiveInt(flags.segment, '--segment');
    const rotateEvery = positiveInt(flags.rotate, '--rotate');
    const maxSeconds = positiveInt(flags.maxMinutes, '--max-minutes') * 60;
    // ffmpeg cuts at keyframes, so segments run a little short or long: a quarter more periods than the nominal count
    const periods = Math.ceil((maxSeconds / (segmentS * rotateEvery)) * 1.25);
    if (periods > MAX_KEY_IDS) throw new Error(`--max-minutes ${flags.maxMinutes} needs ${periods} key periods of ${segmentS * rotateEvery} s; a content declares at most ${MAX_KEY_IDS}: raise --rotate or lower --max-minutes`);
    const key = await resolveKey(ctx.home, from);
    const chain = TrucomQueries.connect(flags.node);
    try {
      const holders = await keyHoldersOf(chain, content);
      const keys = Array.from({ length: periods }, (_, i) => ({ id: `k${i}`, key: randomBytes(16) }));
      const grants = flags.grant ?? [];
      // deal 0: the stream's root CID, and so its deal, exists only once it has ended
      const { result } = await sendTx(ctx, cmd, from, flags, (owner) => contentMessages(owner, content, 0, keys, holders, grants));
      if (result.code !== 0) throw new Error(`the chain refused the live content or its keys (code ${result.code}): ${result.rawLog}`);
      say(ctx, `content "${content}" registered live with ${periods} keys (${segmentS * rotateEvery} s each) sealed for ${holders.length} key holders${grants.length ? `; granted ${grants.join(', ')}` : ''}`);
      const { privateKey } = await accountKeyFromMnemonic(key.mnemonic);
      const opened = await openLive(flags.gateway, content, privateKey, { segmentS, rotateEvery });
      ctx.stdout.write(`${JSON.stringify({ content, ingest: opened.ingest, playlist: opened.playlist, watch: opened.watch })}\n`);
      say(ctx, `push: ffmpeg -re -i <source> -c:v libx264 -g <fps×${segmentS}> -sc_threshold 0 -c:a aac -f hls -hls_time ${segmentS} -method PUT ${opened.ingest}`);
      const stored = await waitForLiveEnd(flags.gateway, content, (maxSeconds + 600) * 1000, (s) => say(ctx, `${s.state}: ${s.segments} segments, ${s.durationS.toFixed(1)} s`));
      say(ctx, `the stream ended; stored as ${stored.cid}`);
      const dealId = await createDeal(ctx, cmd, flags, chain, { cid: stored.cid, size: BigInt(stored.size), profile: 'cidv1-256k-174', kind: 'stream' }, terms);
      const attached = await sendTx(ctx, cmd, from, flags, (owner) => [{ typeUrl: '/trucom.grants.v1.MsgSetContentDeal', value: { owner, content, dealId } }]);
      if (attached.result.code !== 0) throw new Error(`the chain refused to attach deal ${dealId} to "${content}" (code ${attached.result.code}): ${attached.result.rawLog}`);
      await finish(ctx, chain, flags, terms, { content, cid: stored.cid, deal: dealId });
    } finally {
      chain.disconnect();
    }
  });
}
