import { createInterface } from 'node:readline/promises';
import { accountKeyFromMnemonic, generateMnemonic, toBase64 } from '@trucom/crypto';
import type { Command } from 'commander';
import { cliContext, processIo, type CliIo } from '../context.js';
import { Keyring, listKeys, resolveKey, type KeyEntry } from '../keyring.js';
import { emit, formatFields, formatTable } from '../output.js';

const KEYRING_WARNING = `Keys live in the unencrypted "test" keyring: <home>/keyring/<name>.json holds the
mnemonic in plain text (file mode 0600). Use it for development and devnets only.`;

const BACKUP_WARNING = `Write this mnemonic phrase down and keep it somewhere safe. It is the only way to recover
the account, and anyone who has it controls the funds.`;

/** `trucom keys add|import|list|show`. */
export function registerKeys(program: Command, io: CliIo = processIo): void {
  const keys = program
    .command('keys')
    .description('manage account keys (unencrypted "test" keyring in <home>/keyring)')
    .addHelpText('after', `\n${KEYRING_WARNING}\n\n--from <name> in tx commands looks in the keyring first, then in the devnet's\n<home>/devnet/accounts.json (faucet, publisher, viewer).`);

  keys
    .command('add')
    .description('create a key from a new 24-word BIP39 mnemonic and print it')
    .argument('<name>', 'key name')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const entry = await new Keyring(ctx.home).add(name, generateMnemonic(24));
      if (ctx.output === 'json') ctx.stderr.write(`${BACKUP_WARNING}\n`);
      emit(ctx.output, entry, (e) => `${formatFields([['name', e.name], ['address', e.address]])}\n${BACKUP_WARNING}\n\n${e.mnemonic}\n`, ctx.stdout);
    });

  keys
    .command('import')
    .description('store a key from an existing BIP39 mnemonic')
    .argument('<name>', 'key name')
    .argument('[mnemonic...]', 'the phrase; read from stdin when left out (keeps it out of shell history)')
    .action(async (name: string, words: string[], _opts: unknown, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const phrase = words.length > 0 ? words.join(' ') : await readMnemonic(ctx.stdin);
      const entry = await new Keyring(ctx.home).add(name, phrase);
      emit(ctx.output, publicView(entry), (e) => formatFields([['name', e.name], ['address', e.address]]), ctx.stdout);
    });

  keys
    .command('list')
    .description('list keys: the keyring, then devnet accounts')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const all = (await listKeys(ctx.home)).map(({ name, address, source }) => ({ name, address, source }));
      emit(ctx.output, all, (list) => (list.length === 0 ? `no keys in ${new Keyring(ctx.home).dir}\n` : formatTable(['NAME', 'ADDRESS', 'SOURCE'], list.map((k) => [k.name, k.address, k.source]))), ctx.stdout);
    });

  keys
    .command('show')
    .description('show a key (keyring, else devnet account): address and public key')
    .argument('<name>', 'key name')
    .option('-a, --address', 'print only the address')
    .action(async (name: string, opts: { address?: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const key = await resolveKey(ctx.home, name);
      if (opts.address) {
        ctx.stdout.write(ctx.output === 'json' ? `${JSON.stringify(key.address)}\n` : `${key.address}\n`);
        return;
      }
      const { publicKey } = await accountKeyFromMnemonic(key.mnemonic);
      const shown = { ...publicView(key), pubkey: { type: 'tendermint/PubKeySecp256k1', value: toBase64(publicKey) }, source: key.source };
      emit(ctx.output, shown, (k) => formatFields([['name', k.name], ['address', k.address], ['pubkey', k.pubkey.value], ['source', k.source]]), ctx.stdout);
    });
}

function publicView(entry: KeyEntry): { name: string; address: string } {
  return { name: entry.name, address: entry.address };
}

/** The phrase from stdin: a prompt on a terminal, else everything piped in. */
async function readMnemonic(stdin: CliIo['stdin']): Promise<string> {
  if (stdin.isTTY) {
    const rl = createInterface({ input: stdin, output: process.stderr });
    try {
      return await rl.question('Enter the mnemonic phrase: ');
    } finally {
      rl.close();
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) throw new Error('no mnemonic given: pass it as arguments or on stdin (trucom keys import <name> < phrase.txt)');
  return text;
}
