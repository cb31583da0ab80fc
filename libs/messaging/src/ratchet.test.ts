import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fromUtf8, utf8 } from './bytes.js';
import { identityFromAccountKey } from './identity.js';
import { MAX_SKIP, MAX_SKIPPED_KEYS, RatchetError, ratchetFromJson, ratchetToJson } from './ratchet.js';
import { sessionDecrypt, sessionEncrypt, type ContactSessions } from './session.js';

const alice = identityFromAccountKey(new Uint8Array(32).fill(1));
const bob = identityFromAccountKey(new Uint8Array(32).fill(2));
const peerOf = (m: typeof alice) => ({ identityKey: m.identity.publicKey, prekey: m.prekey.publicKey });

function pair() {
  const a: ContactSessions = { sessions: {} };
  const b: ContactSessions = { sessions: {} };
  return {
    a,
    b,
    aSend: (text: string) => sessionEncrypt(alice, peerOf(bob), a, utf8(text)),
    bSend: (text: string) => sessionEncrypt(bob, peerOf(alice), b, utf8(text)),
    bRecv: (wire: Uint8Array) => fromUtf8(sessionDecrypt(bob, alice.identity.publicKey, b, wire)),
    aRecv: (wire: Uint8Array) => fromUtf8(sessionDecrypt(alice, bob.identity.publicKey, a, wire)),
  };
}
const code = (c: RatchetError['code']) => (err: unknown) => err instanceof RatchetError && err.code === c;

describe('X3DH + double ratchet', () => {
  test('a conversation both ways with DH ratchet steps; prekey messages stop after the first reply', () => {
    const p = pair();
    const m1 = p.aSend('hello');
    assert.equal(m1[1], 1, 'prekey message');
    assert.equal(p.bRecv(m1), 'hello');
    const r1 = p.bSend('hi alice');
    assert.equal(r1[1], 2);
    assert.equal(p.aRecv(r1), 'hi alice');
    const m2 = p.aSend('how are you');
    assert.equal(m2[1], 2, 'normal message once Bob replied');
    assert.equal(p.bRecv(m2), 'how are you');
    for (let i = 0; i < 5; i++) {
      assert.equal(p.bRecv(p.aSend(`a${i}`)), `a${i}`);
      assert.equal(p.aRecv(p.bSend(`b${i}`)), `b${i}`);
    }
  });

  test('out of order, across chains, including the first prekey messages', () => {
    const p = pair();
    const first = [p.aSend('1'), p.aSend('2'), p.aSend('3')];
    assert.equal(p.bRecv(first[2]!), '3');
    assert.equal(p.bRecv(first[0]!), '1');
    const reply = p.bSend('r');
    assert.equal(p.aRecv(reply), 'r');
    const second = [p.aSend('4'), p.aSend('5')];
    assert.equal(p.bRecv(second[1]!), '5');
    assert.equal(p.bRecv(first[1]!), '2', 'a skipped key of the previous chain');
    assert.equal(p.bRecv(second[0]!), '4');
  });

  test('tampered ciphertext or header is refused and leaves the session usable', () => {
    const p = pair();
    assert.equal(p.bRecv(p.aSend('x')), 'x');
    const m = p.aSend('secret');
    for (const at of [m.length - 1, m.length - 30, 20, 40]) {
      const bad = m.slice();
      bad[at]! ^= 1;
      assert.throws(() => p.bRecv(bad), (err: unknown) => err instanceof Error && /tampered|authenticate|session|not/.test(err.message), `byte ${at}`);
    }
    assert.equal(p.bRecv(m), 'secret', 'the genuine message still decrypts');
  });

  test('a replayed message is refused, in the current and in an earlier chain', () => {
    const p = pair();
    const m = p.aSend('once');
    assert.equal(p.bRecv(m), 'once');
    assert.throws(() => p.bRecv(m), code('REPLAY'));
    p.aRecv(p.bSend('turn'));
    const n = p.aSend('new chain');
    assert.equal(p.bRecv(n), 'new chain');
    assert.throws(() => p.bRecv(m), code('REPLAY'), 'a message of an earlier chain');
    assert.throws(() => p.bRecv(n), code('REPLAY'));
  });

  test('skipped keys are bounded: a gap over MAX_SKIP is refused; the store keeps at most MAX_SKIPPED_KEYS', () => {
    const p = pair();
    p.bRecv(p.aSend('start'));
    for (let i = 0; i < MAX_SKIP + 1; i++) p.aSend('lost');
    assert.throws(() => p.bRecv(p.aSend('too far')), code('TOO_MANY_SKIPPED'));
    // Each chain may skip up to MAX_SKIP; across chains, the oldest skipped keys go.
    const q = pair();
    q.bRecv(q.aSend('start'));
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < MAX_SKIP - 1; i++) q.aSend('skipped');
      q.bRecv(q.aSend('last'));
      q.aRecv(q.bSend('turn'));
    }
    const session = Object.values(q.b.sessions)[0]!;
    assert.equal(ratchetFromJson(session.ratchet).skipped.size, MAX_SKIPPED_KEYS);
  });

  test('the state survives JSON persistence', () => {
    const p = pair();
    p.bRecv(p.aSend('a'));
    const j = JSON.parse(JSON.stringify(p.b));
    const b2: ContactSessions = j;
    const m = p.aSend('after restore');
    assert.equal(fromUtf8(sessionDecrypt(bob, alice.identity.publicKey, b2, m)), 'after restore');
    const s = Object.values(b2.sessions)[0]!;
    assert.deepEqual(ratchetToJson(ratchetFromJson(s.ratchet)), s.ratchet);
  });

  test('both sides initiating at once converge on the session of the smaller identity key', () => {
    const p = pair();
    const fromA = p.aSend('a first');
    const fromB = p.bSend('b first');
    assert.equal(p.aRecv(fromB), 'b first');
    assert.equal(p.bRecv(fromA), 'a first');
    assert.equal(p.a.active, p.b.active, 'the same session');
    for (let i = 0; i < 3; i++) {
      assert.equal(p.bRecv(p.aSend(`x${i}`)), `x${i}`);
      assert.equal(p.aRecv(p.bSend(`y${i}`)), `y${i}`);
    }
  });

  test('a message for someone else does not decrypt', () => {
    const carol = identityFromAccountKey(new Uint8Array(randomBytes(32)));
    const p = pair();
    const m = p.aSend('for bob');
    assert.throws(() => sessionDecrypt(carol, alice.identity.publicKey, { sessions: {} }, m));
  });
});
