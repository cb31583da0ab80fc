import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { utf8Read } from 'cosmjs-types/utf8';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import './cosmjs-types-runtime.js';

describe('cosmjs-types runtime', () => {
  test('reads what cosmjs-types writes, multi-byte characters included, exactly as its own reader did', () => {
    for (const s of ['', 'utru', 'trucom1qy352euf40x77qfrg4ncn27dauqjx3t83x4ummc', 'héllo wörld', '日本語', 'emoji 🎉 and 𝄞', 'a'.repeat(20_000)]) {
      const bytes = new BinaryWriter().string(s).finish();
      const raw = new BinaryReader(bytes).bytes();
      assert.equal(new BinaryReader(bytes).string(), s);
      assert.equal(new BinaryReader(bytes).string(), utf8Read(raw, 0, raw.length));
    }
    const msg = { fromAddress: 'trucom1sender', toAddress: 'trucom1récipient', amount: [{ denom: 'utru', amount: '42' }] };
    assert.deepEqual(MsgSend.decode(MsgSend.encode(msg).finish()), msg);
  });

  test('invalid UTF-8 reads as replacement characters, never throws', () => {
    const bytes = new BinaryWriter().bytes(Uint8Array.of(0x61, 0xff, 0xc3)).finish();
    assert.equal(new BinaryReader(bytes).string(), 'a\uFFFD\uFFFD');
  });

  test('small messages are slices of a shared slab, large ones get their own buffer; the bytes are the same', () => {
    const a = new BinaryWriter().string('first').finish();
    const b = new BinaryWriter().string('second').finish();
    assert.equal(a.buffer, b.buffer, 'one slab');
    assert.deepEqual([...a], [5, ...new TextEncoder().encode('first')]);
    assert.deepEqual([...b], [6, ...new TextEncoder().encode('second')]);
    const big = new BinaryWriter().bytes(new Uint8Array(5000).fill(7)).finish();
    assert.notEqual(big.buffer, a.buffer);
    assert.equal(big.length, 5002);
    const msg = { fromAddress: 'a', toAddress: 'b', amount: Array.from({ length: 300 }, (_, i) => ({ denom: `d${i}`, amount: String(i) })) };
    assert.deepEqual(MsgSend.decode(MsgSend.encode(msg).finish()), msg, 'across slab boundaries');
  });
  test('generated decoders read the input in place: byte fields are views of it, not copies', () => {
    const wire = TxRaw.encode({ bodyBytes: Uint8Array.of(1, 2, 3), authInfoBytes: Uint8Array.of(4, 5), signatures: [new Uint8Array(64).fill(9)] }).finish();
    const input = new Uint8Array(wire); // its own buffer
    const tx = TxRaw.decode(input);
    assert.equal(tx.bodyBytes.buffer, input.buffer);
    assert.equal(tx.signatures[0]!.buffer, input.buffer);
    assert.deepEqual([...tx.bodyBytes], [1, 2, 3]);
    assert.deepEqual([...tx.authInfoBytes], [4, 5]);
    assert.deepEqual([...input], [...wire], 'the input is left as it was');
    assert.deepEqual(TxRaw.decode(new BinaryReader([...wire] as unknown as Uint8Array)).bodyBytes, Uint8Array.of(1, 2, 3), 'a reader built with the original class still decodes');
    assert.throws(() => TxRaw.decode(wire.subarray(0, 3)), /premature EOF|index out of range/);
  });
});
