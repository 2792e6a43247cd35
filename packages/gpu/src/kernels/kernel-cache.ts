/**
 * The entry cached under `key`, marked most recently used, or a new one from `make`; beyond
 * `capacity` entries the least recently used is removed and handed to `evict` (which destroys its
 * kernels), so a stream of distinct shapes never exhausts the device. Map order is insertion
 * order: re-inserting an entry marks it most recently used.
 *
 * @example
 * ```ts
 * import { cachedEntry } from './kernel-cache.js';
 * const cache = new Map<string, number>();
 * cachedEntry(cache, 'a', 1, () => 1, () => undefined); // 1
 * cachedEntry(cache, 'b', 1, () => 2, () => undefined); // 2: 'a' was the least recently used, and is evicted
 * cache.has('a'); // false
 * ```
 */
export function cachedEntry<Key, Entry>(
  cache: Map<Key, Entry>,
  key: Key,
  capacity: number,
  make: () => Entry,
  evict: (entry: Entry) => void,
): Entry {
  const cached = cache.get(key);
  if (cached !== undefined) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  if (cache.size >= capacity) {
    const [oldestKey, oldest] = cache.entries().next().value as [Key, Entry];
    cache.delete(oldestKey);
    evict(oldest);
  }
  const entry = make();
  cache.set(key, entry);
  return entry;
}
