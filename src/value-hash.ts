// A hash of a JSON value as a value, not as a text: the same meeting hashes alike however a server orders its keys.
// Shared by the watch (a hash per field, to see changes) and the walk (the key of a meeting with no ID).

/** FNV-1a's offset basis: the default seed. */
export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const CLOSE_OBJECT = Symbol('}');
const CLOSE_ARRAY = Symbol(']');

export const mix = (h: number, code: number) => Math.imul(h ^ code, FNV_PRIME);
/** The text's length, then its characters: no two sequences of texts feed the same codes. */
export function mixText(h: number, text: string): number {
  let hash = mix(h, text.length);
  for (let i = 0; i < text.length; i++) hash = mix(hash, text.charCodeAt(i));
  return hash;
}

/**
 * FNV-1a (32 bits) of a JSON value as a value, not as a text: an object's keys in sorted order (the order a server
 * sent them in never matters), an array's items in their order (it does). Iterative, so any depth hashes. Another
 * `seed` gives another hash of the same value, for when 32 bits are too few.
 */
export function hashValue(value: unknown, seed = FNV_OFFSET): number {
  let h = seed;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') h = mixText(mix(h, 0x73), item);
    else if (typeof item === 'number') h = mixText(mix(h, 0x6e), String(item));
    else if (typeof item === 'boolean') h = mix(h, item ? 0x74 : 0x66);
    else if (item === null) h = mix(h, 0x7a);
    else if (item === CLOSE_OBJECT) h = mix(h, 0x7d);
    else if (item === CLOSE_ARRAY) h = mix(h, 0x5d);
    else if (Array.isArray(item)) {
      h = mix(h, 0x5b);
      stack.push(CLOSE_ARRAY);
      for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
    } else if (typeof item === 'object') {
      h = mix(h, 0x7b);
      stack.push(CLOSE_OBJECT);
      const object = item as Record<string, unknown>;
      const keys = Object.keys(object).sort();
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (object[key] === undefined) continue; // as JSON has it: an undefined property is no property
        stack.push(object[key], key); // popped as the key, then its value
      }
    } else h = mixText(mix(h, 0x3f), typeof item); // not JSON (undefined in an array): one code per type
  }
  return h >>> 0;
}
