import type { Command } from 'commander';
import { TrucomQueries } from '@trucom/client';
import { isValidAddress } from '@trucom/crypto';
import type { trucom } from '@trucom/proto';
import { cliContext, processIo, type CliIo } from '../context.js';
import { DEFAULT_NODE } from '../client.js';
import { emit, toJson } from '../output.js';
import { requireFrom, signAndSend, withFrom, withTxOptions, type FromFlags } from './tx.js';

const CONTENT_ID = /^[a-z0-9-]{1,64}$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

function checkContent(content: string): void {
  if (!CONTENT_ID.test(content)) throw new Error(`<content> must be a content id (1-64 of [a-z0-9-]), got ${JSON.stringify(content)}`);
}

function checkGrantee(address: string): void {
  if (!isValidAddress(address)) throw new Error(`invalid viewer address ${JSON.stringify(address)}: expected a tru1… account address`);
}

/**
 * `--expiry`: "0" or "never" (no expiry), unix seconds (e.g. 1767225600), or a duration from now such
 * as 90s, 30m, 1h, 7d, 2w or 1h30m. Returns unix seconds (0 = never). The chain judges it against
 * block time, which follows the validators' clocks.
 */
export function parseExpiry(text: string, nowSeconds: number = Math.floor(Date.now() / 1000)): number {
  const t = text.trim();
  if (t === '0' || t === 'never') return 0;
  if (/^[0-9]{1,15}$/.test(t)) {
    const at = Number(t);
    if (at <= nowSeconds) throw new Error(`--expiry ${t} is in the past (now is ${nowSeconds}); give a later unix time or a duration like 1h`);
    return at;
  }
  if (/^([0-9]{1,9}[smhdw])+$/.test(t)) {
    let seconds = 0;
    for (const [, n, unit] of t.matchAll(/([0-9]+)([smhdw])/g)) seconds += Number(n) * UNIT_SECONDS[unit!]!;
    if (seconds === 0) throw new Error(`--expiry ${t} is no time at all; use 0 or never for a grant that does not expire`);
    return nowSeconds + seconds;
  }
  throw new Error(`--expiry must be unix seconds, a duration like 1h or 7d (units s, m, h, d, w), or never; got ${JSON.stringify(text)}`);
}

/** `trucom grant list` output: the content's grants, each with its active flag at `height`. */
export function grantList(content: string, r: trucom.grants.v1.IQueryGrantsResponse) {
  return {
    content,
    height: r.height ?? 0,
    grants: (r.grants ?? []).map(({ grant: g, active }) => ({
      grantee: g?.grantee ?? '',
      active: active ?? false,
      revoked: g?.revoked ?? false,
      expiry: g?.expiry ?? 0,
      granter: g?.granter ?? '',
      granted_height: g?.grantedHeight ?? 0,
      revoked_height: g?.revokedHeight ?? 0,
    })),
  };
}

/** `trucom grant add|revoke|list`: who may fetch a stream's keys (the publisher signs; gateways check at every key request). */
export function registerGrant(program: Command, io: CliIo = processIo): void {
  const grant = program.command('grant').description('content-key grants: let a viewer fetch a stream\'s keys, or stop them');

  withTxOptions(
    withFrom(
      grant
        .command('add')
        .description('grant <address> the keys of <content> (again, if it was revoked); --from must own the content')
        .argument('<content>', 'content id')
        .argument('<address>', 'viewer account address (tru1…)')
        .option('--expiry <when>', 'unix seconds, a duration from now (90s, 30m, 1h, 7d, 2w) or never', 'never'),
    ),
  ).action(async (content: string, grantee: string, flags: FromFlags & { expiry: string }, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    checkContent(content);
    checkGrantee(grantee);
    const expiry = parseExpiry(flags.expiry);
    await signAndSend(
      ctx,
      cmd,
      requireFrom(flags),
      flags,
      (owner) => [{ typeUrl: '/trucom.grants.v1.MsgGrant', value: { owner, content, grantee, expiry } }],
      () => [
        ['content', content],
        ['grantee', grantee],
        ['expiry', expiry === 0 ? 'never' : `${expiry} (${new Date(expiry * 1000).toISOString()})`],
      ],
    );
  });

  withTxOptions(
    withFrom(
      grant
        .command('revoke')
        .description('revoke <address>\'s grant of <content>: gateways refuse its key requests from the next block on')
        .argument('<content>', 'content id')
        .argument('<address>', 'viewer account address (tru1…)'),
    ),
  ).action(async (content: string, grantee: string, flags: FromFlags, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    checkContent(content);
    checkGrantee(grantee);
    await signAndSend(
      ctx,
      cmd,
      requireFrom(flags),
      flags,
      (owner) => [{ typeUrl: '/trucom.grants.v1.MsgRevoke', value: { owner, content, grantee } }],
      () => [
        ['content', content],
        ['grantee', grantee],
      ],
    );
  });

  grant
    .command('list')
    .description('every grant of <content> with its active flag at the latest block (JSON)')
    .argument('<content>', 'content id')
    .option('--node <url>', 'validator RPC endpoint', DEFAULT_NODE)
    .action(async (content: string, flags: { node: string }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      checkContent(content);
      const chain = TrucomQueries.connect(flags.node);
      try {
        const r = await chain.grants(content);
        if (!r) throw new Error(`no content ${JSON.stringify(content)} on chain`);
        emit('json', grantList(content, r), toJson, ctx.stdout);
      } finally {
        chain.disconnect();
      }
    });
}
