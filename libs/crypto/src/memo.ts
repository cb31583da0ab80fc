/**
 * A bounded memo for pure functions of a string key (address derivation, bech32 validation):
 * the same few thousand accounts recur in every block, and each derivation costs two hashes and
 * a bech32 checksum. Evicts the oldest entry when full.
 */
export function memoize<T>(fn: (key: string) => T, limit = 50_000): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined && !cache.has(key)) {
      v = fn(key);
      if (cache.size >= limit) cache.delete(cache.keys().next().value!);
      cache.set(key, v);
    }
    return v as T;
  };
}
