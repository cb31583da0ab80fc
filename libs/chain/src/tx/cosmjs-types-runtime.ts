import { createRequire } from 'node:module';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';

/*
 * Three hot spots of cosmjs-types' protobuf runtime, replaced once for every cosmjs-types message in
 * the process (txs, accounts, balances, results are decoded and encoded with it at admission,
 * recheck and execution). All three keep the wire format byte for byte.
 */

const decoder = new TextDecoder();
const SLAB_SIZE = 8192;
let slab = new Uint8Array(SLAB_SIZE);
let slabOffset = 0;

/**
 * Strings: its reader decodes UTF-8 with a JS loop that builds a char-code array and spreads it into
 * String.fromCharCode, about five times slower than the native decoder. Valid UTF-8 reads the same
 * either way; invalid bytes read as U+FFFD (the WHATWG rule) on every node alike.
 */
function readString(this: BinaryReader): string {
  return decoder.decode(this.bytes());
}

/**
 * Output buffers: its `alloc` builds a new 8 KiB pool on every call, so each `finish()` of a small
 * message allocated (and zero-filled) 8 KiB to return a few dozen bytes. This is the slab pool it
 * meant to be (as protobufjs and Node's Buffer have): small messages are slices of one shared slab.
 */
function allocate(size: number): Uint8Array {
  if (size < 1 || size > SLAB_SIZE >>> 1) return new Uint8Array(size);
  if (slabOffset + size > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    slabOffset = 0;
  }
  const out = slab.subarray(slabOffset, slabOffset + size);
  slabOffset = (slabOffset + size + 7) & ~7; // 8-byte aligned, as the original pool
  return out;
}

/**
 * Input buffers: its reader copies whatever it is given (`new Uint8Array(buf)`), so decoding a tx
 * copied the tx, then its body, its auth info, its message and its public key, each into a buffer
 * of its own that lived as long as the decoded tx (four to five per mempool tx). This reader reads
 * the bytes in place: decoded byte fields are views of the received bytes, which are never mutated.
 */
function InPlaceReader(this: { buf: Uint8Array; pos: number; type: number; len: number }, buf?: Uint8Array | ArrayLike<number>): void {
  this.buf = buf instanceof Uint8Array ? buf : new Uint8Array(buf ?? []);
  this.pos = 0;
  this.type = 0;
  this.len = this.buf.length;
}
// The same prototype: its readers are BinaryReaders, and readers built from the original class
// still pass the decoders' `instanceof` test.
InPlaceReader.prototype = BinaryReader.prototype;

export function installCosmjsTypesRuntime(): void {
  // Every generated decoder looks the class up on the module's exports at each call.
  (createRequire(import.meta.url)('cosmjs-types/binary') as { BinaryReader: unknown }).BinaryReader = InPlaceReader;
  BinaryReader.prototype.string = readString;
  (BinaryWriter as unknown as { alloc(size: number): Uint8Array }).alloc = allocate;
}

installCosmjsTypesRuntime();
