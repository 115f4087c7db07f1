/**
 * Deterministic UUID-shaped ids, so traces and destination messages are identical run after run
 * (house rule: no output depends on the machine or the date).
 */
export function sequentialIds(prefix = 0): () => string {
  let n = 0;
  return () => {
    n += 1;
    const hex = n.toString(16).padStart(12, '0');
    const head = prefix.toString(16).padStart(8, '0');
    return `${head}-0000-4000-8000-${hex}`;
  };
}

// Bit operations are the point of a hash function.
/* eslint-disable no-bitwise */
/**
 * FNV-1a, then MurmurHash3's 32-bit finalizer: spreads items (their key values) over parallelization lanes, stable
 * across runs. The finalizer matters because a lane is the hash modulo a small factor: FNV-1a's low bits are the
 * XOR of its input's low bits, so keys like `o7`/`7` (the digits twice) all landed in one lane of two.
 */
export function hashString(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
/* eslint-enable no-bitwise */
