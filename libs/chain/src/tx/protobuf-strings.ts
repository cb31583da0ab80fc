import { BinaryReader } from 'cosmjs-types/binary';

const decoder = new TextDecoder();

/**
 * cosmjs-types reads every protobuf string with a JS UTF-8 loop that builds a char-code array and
 * spreads it into String.fromCharCode: about five times slower than the native decoder, and one of
 * the larger allocation sources per tx (addresses, denoms, type URLs are decoded at each of admission,
 * recheck and execution). Installed once, for every cosmjs-types decoder in the process. Valid
 * UTF-8 reads the same either way; invalid bytes read as U+FFFD (the WHATWG decoder's rule) on
 * every node alike, so execution stays deterministic.
 */
export function installNativeStringDecoding(): void {
  BinaryReader.prototype.string = function string(this: BinaryReader): string {
    return decoder.decode(this.bytes());
  };
}

installNativeStringDecoding();
