import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { emptyState, identityFromMnemonic, Messenger, msgAnchor, queryAnchor, type MessengerState, type StoredMessage, type TextMessage, type VerifyResult } from '@trucom/messaging';
import { cliContext, processIo, type CliContext, type CliIo } from '../context.js';
import { DEFAULT_NODE } from '../client.js';
import { resolveKey } from '../keyring.js';
import { emit, formatFields, toJson } from '../output.js';
import { requireFrom, sendTx, withFrom, withTxOptions, type FromFlags } from './tx.js';

/**
 * `trucom msg …`: end-to-end encrypted messages (libs/messaging). Keys come from the --from key's
 * seed phrase; sessions, contacts and messages live in `<home>/messaging/<address>/state.json`
 * (mode 0600), one state per key.
 */
interface MsgFlags extends FromFlags {
  readonly node: string;
}

const stateFile = (home: string, address: string) => join(home, 'messaging', address, 'state.json');

async function open(ctx: CliContext, flags: FromFlags): Promise<{ messenger: Messenger; address: string; save(): Promise<void> }> {
  const key = await resolveKey(ctx.home, requireFrom(flags));
  const file = stateFile(ctx.home, key.address);
  const state: MessengerState = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as MessengerState) : emptyState();
  const messenger = new Messenger(await identityFromMnemonic(key.mnemonic), state);
  return {
    messenger,
    address: key.address,
    async save() {
      await mkdir(join(ctx.home, 'messaging', key.address), { recursive: true, mode: 0o700 });
      await writeFile(`${file}.tmp`, JSON.stringify(messenger.state), { mode: 0o600 });
      await chmod(`${file}.tmp`, 0o600);
      await rename(`${file}.tmp`, file);
    },
  };
}

/** The devnet's gateways (`<home>/devnet/g*\/gateway.json`), as mailbox hosts by default. */
function devnetGateways(home: string): string[] {
  const dir = join(home, 'devnet');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => /^g\d+$/.test(d) && existsSync(join(dir, d, 'gateway.json')))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
    .map((d) => `http://127.0.0.1:${(JSON.parse(readFileSync(join(dir, d, 'gateway.json'), 'utf8')) as { port: number }).port}`);
}

const shown = (m: StoredMessage) => ({
  id: m.id,
  from: m.direction === 'in' ? m.contacts[0] : 'me',
  to: m.direction === 'out' ? m.contacts : ['me'],
  group: m.message.group?.name,
  sent: new Date(m.message.sent).toISOString(),
  text: m.message.text,
  anchored: !!m.proof,
});

function verifyText(v: VerifyResult): string {
  if (!v.ok) return formatFields([['message', v.id], ['verified', 'NO'], ['reason', v.reason]]);
  return formatFields([
    ['message', v.id],
    ['verified', 'yes: anchored unaltered'],
    ['height', v.height],
    ['time', new Date(v.time * 1000).toISOString()],
    ['anchored by', v.sender],
    ['root', v.root],
    ['leaf', `${v.proof.index} of ${v.proof.size}`],
    ['proof', v.proof.path.join(' ') || '(single leaf)'],
  ]);
}

export function registerMsg(program: Command, io: CliIo = processIo): void {
  const msg = program.command('msg').description('end-to-end encrypted messages through gateway mailboxes, their hashes anchored on chain');

  withFrom(
    msg
      .command('invite')
      .description('create your mailbox on the gateways and print your invite code (give it in person)')
      .option('--name <name>', 'the name your contacts see', 'me')
      .option('--gateways <urls>', 'comma-separated mailbox gateways, 3 to 8 (default: the devnet\'s)'),
  ).action(async (flags: FromFlags & { name: string; gateways?: string }, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    const s = await open(ctx, flags);
    const gateways = flags.gateways ? flags.gateways.split(',').map((g) => g.trim()).filter(Boolean) : devnetGateways(ctx.home);
    const invite = await s.messenger.invite(flags.name, gateways);
    await s.save();
    emit(ctx.output, { invite, mailbox: s.messenger.me.mailboxId, gateways }, (r) => `${r.invite}\n`, ctx.stdout);
  });

  withFrom(msg.command('add-contact').description("add a contact from its invite code").argument('<code>', 'invite code (trucom-invite1:…)').option('--name <name>', 'local name (default: the name in the invite)')).action(
    async (code: string, flags: FromFlags & { name?: string }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const s = await open(ctx, flags);
      const c = s.messenger.addContact(code, flags.name);
      await s.save();
      emit(ctx.output, { contact: c.name, identity: c.identityKey }, (r) => formatFields([['contact', r.contact], ['identity', r.identity]]), ctx.stdout);
    },
  );

  withFrom(msg.command('group').description('create a group of contacts (messages fan out pairwise)').argument('<name>', 'group name').argument('<contacts...>', 'two or more contacts')).action(
    async (name: string, members: string[], flags: FromFlags, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const s = await open(ctx, flags);
      const g = s.messenger.createGroup(name, members);
      await s.save();
      emit(ctx.output, g, (r) => formatFields([['group', r.name], ['members', r.members.join(', ')]]), ctx.stdout);
    },
  );

  const anchorWith = (ctx: CliContext, cmd: Command, flags: MsgFlags) => async (root: string, count: number) => {
    const { result } = await sendTx(ctx, cmd, requireFrom(flags), flags, (address) => [msgAnchor(address, root, count)]);
    if (result.code !== 0) throw new Error(`MsgAnchor failed (code ${result.code}): ${result.rawLog}`);
    return { txhash: result.transactionHash, height: result.height };
  };

  withTxOptions(withFrom(msg.command('send').description('send a text to a contact or a group').argument('<contact>', 'contact or group name').argument('<text>', 'message').option('--anchor', 'anchor the pending sent hashes right after'))).action(
    async (to: string, text: string, flags: MsgFlags & { anchor?: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const s = await open(ctx, flags);
      let delivery;
      try {
        delivery = await s.messenger.send(to, text);
      } finally {
        await s.save();
      }
      const anchored = flags.anchor ? await s.messenger.anchor(anchorWith(ctx, cmd, flags)) : undefined;
      await s.save();
      emit(ctx.output, { ...delivery, anchored }, (r) => formatFields([['id', r.id], ...r.recipients.map((x) => [`to ${x.contact}`, `${x.copies} mailbox copies${x.failed.length ? ` (retrying ${x.failed.join(', ')})` : ''}`] as const), ['anchored', r.anchored ? `root ${r.anchored.root} at height ${r.anchored.height}` : 'pending (trucom msg anchor)']]), ctx.stdout);
    },
  );

  withTxOptions(withFrom(msg.command('anchor').description('anchor the hashes of your sent messages not anchored yet (one MsgAnchor) and send the proofs to their recipients'))).action(
    async (flags: MsgFlags, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const s = await open(ctx, flags);
      const r = await s.messenger.anchor(anchorWith(ctx, cmd, flags));
      await s.save();
      emit(ctx.output, r ?? { count: 0 }, (x) => ('root' in x ? formatFields([['root', x.root], ['messages', x.count], ['height', x.height], ['txhash', x.txhash]]) : 'nothing to anchor\n'), ctx.stdout);
    },
  );

  withFrom(msg.command('inbox').description('fetch new messages from every mailbox gateway (deduplicated, in order) and acknowledge them')).action(async (flags: FromFlags, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    const s = await open(ctx, flags);
    const r = await s.messenger.inbox();
    await s.save();
    const messages = r.messages.map(shown);
    emit(
      ctx.output,
      { messages, receipts: r.receipts, refused: r.refused, unreachable: r.unreachable },
      (x) =>
        [
          ...x.messages.map((m) => `${m.sent} ${m.from}${m.group ? ` in ${m.group}` : ''}: ${m.text}  [${m.id.slice(0, 12)}]`),
          ...x.refused.map((e) => `refused: ${e}`),
          ...x.unreachable.map((g) => `unreachable: ${g}`),
          x.messages.length === 0 ? 'no new messages' : '',
        ]
          .filter(Boolean)
          .join('\n') + '\n',
      ctx.stdout,
    );
  });

  withFrom(msg.command('show').description('print a stored message as its canonical JSON (what its id hashes)').argument('<message-id>', 'message id (hex)')).action(async (id: string, flags: FromFlags, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    const s = await open(ctx, flags);
    const m = s.messenger.state.messages[id];
    if (!m) throw new Error(`no message ${id}`);
    ctx.stdout.write(`${toJson({ ...m })}`);
  });

  withFrom(
    msg
      .command('verify')
      .description('check a message against its inclusion proof and the anchored root on chain (exit 1 if it does not match)')
      .argument('<message-id>', 'message id (hex)')
      .option('--node <url>', 'validator RPC endpoint', DEFAULT_NODE)
      .option('--message <file>', 'verify this copy of the message (JSON, as `msg show` prints it) instead of the stored one'),
  ).action(async (id: string, flags: MsgFlags & { message?: string }, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    const s = await open(ctx, flags);
    let copy: TextMessage | undefined;
    if (flags.message) {
      const parsed = JSON.parse(await readFile(flags.message, 'utf8')) as { message?: TextMessage } & TextMessage;
      copy = parsed.message ?? parsed;
    }
    const v = await s.messenger.verify(id, (root) => queryAnchor(flags.node, root), copy);
    emit(ctx.output, v, verifyText, ctx.stdout);
    if (!v.ok) process.exitCode = 1;
  });
}
