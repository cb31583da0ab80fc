import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ed25519 } from '@noble/curves/ed25519.js';
import { accountKeyFromMnemonic } from '@trucom/crypto';
import { b64url, concat, hex, sha256Of, unb64url } from './bytes.js';
import { identityFromAccountKey, identityFromMnemonic, mailboxIdOf } from './identity.js';
import { createInvite, INVITE_PREFIX, InviteError, parseInvite } from './invite.js';

const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const GATEWAYS = ['http://127.0.0.1:8080', 'http://127.0.0.1:8081', 'http://127.0.0.1:8082/'];

describe('identity', () => {
  test('one seed phrase derives every key, deterministically and distinct from each other', async () => {
    const a = await identityFromMnemonic(MNEMONIC);
    const b = identityFromAccountKey((await accountKeyFromMnemonic(MNEMONIC)).privateKey);
    assert.deepEqual(hex(a.identity.publicKey), hex(b.identity.publicKey));
    assert.equal(a.mailboxId, b.mailboxId);
    assert.equal(a.mailboxId, mailboxIdOf(a.mailbox.publicKey));
    const keys = [a.identity.secretKey, a.signing.secretKey, a.prekey.secretKey, a.envelope.secretKey, a.mailbox.secretKey].map(hex);
    assert.equal(new Set(keys).size, 5);
    assert.notEqual(hex(a.identity.publicKey), hex(identityFromAccountKey(new Uint8Array(32).fill(3)).identity.publicKey));
  });
});

describe('invite codes', () => {
  test('round trip: keys, mailbox, name and gateways (trailing slashes dropped)', async () => {
    const me = await identityFromMnemonic(MNEMONIC);
    const code = createInvite(me, 'alice', GATEWAYS);
    assert.ok(code.startsWith(INVITE_PREFIX));
    assert.ok(code.length < 520, `compact: ${code.length} characters`);
    const i = parseInvite(`  ${code}\n`);
    assert.deepEqual([hex(i.identityKey), hex(i.signingKey), hex(i.prekey), hex(i.envelopeKey), i.mailboxId, i.name], [hex(me.identity.publicKey), hex(me.signing.publicKey), hex(me.prekey.publicKey), hex(me.envelope.publicKey), me.mailboxId, 'alice']);
    assert.deepEqual(i.gateways, ['http://127.0.0.1:8080', 'http://127.0.0.1:8081', 'http://127.0.0.1:8082']);
  });

  test('any altered character is refused with a clear error', async () => {
    const code = createInvite(await identityFromMnemonic(MNEMONIC), 'alice', GATEWAYS);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let at = INVITE_PREFIX.length; at < code.length; at += 7) {
      const c = code[at]!;
      const altered = code.slice(0, at) + alphabet[(alphabet.indexOf(c) + 1) % 64] + code.slice(at + 1);
      assert.throws(() => parseInvite(altered), (err: unknown) => err instanceof InviteError && /altered|truncated|checksum/.test(err.message), `character ${at}`);
    }
    assert.throws(() => parseInvite(code.slice(0, -5)), /altered|truncated/);
    assert.throws(() => parseInvite(code.replace(INVITE_PREFIX, 'trucom-invite2:')), /not a Trucom invite code/);
    assert.throws(() => parseInvite(code + '!'), /base64url/);
  });

  test('a re-checksummed code with a swapped gateway fails the signature', async () => {
    const code = createInvite(await identityFromMnemonic(MNEMONIC), 'alice', GATEWAYS);
    const raw = unb64url(code.slice(INVITE_PREFIX.length));
    const payload = raw.slice(0, raw.length - 4);
    const text = Buffer.from(payload).toString('latin1').replace('8081', '9999');
    const forged = new Uint8Array(Buffer.from(text, 'latin1'));
    const reencoded = INVITE_PREFIX + b64url(concat(forged, sha256Of(forged).subarray(0, 4)));
    assert.throws(() => parseInvite(reencoded), /signature does not verify/);
    assert.ok(ed25519);
  });

  test('3 to 8 http(s) gateways', async () => {
    const me = await identityFromMnemonic(MNEMONIC);
    assert.throws(() => createInvite(me, 'a', GATEWAYS.slice(0, 2)), /3 to 8 mailbox gateways, got 2/);
    assert.throws(() => createInvite(me, 'a', ['ftp://x', ...GATEWAYS]), /only http/);
  });
});
