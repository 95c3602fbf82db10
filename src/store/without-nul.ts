// PostgreSQL's text and jsonb cannot hold U+0000 (the insert fails: invalid byte sequence for
// encoding "UTF8": 0x00), and a NUL carries nothing a reader needs. So text bound for the store
// goes without it, on both databases alike; raw bytes (packs, bytea) keep it.

/**
 * The value with every U+0000 removed from its strings, however deep in arrays, Maps and plain
 * objects; other characters, and Dates, Buffers and other objects, as they are.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\0') ? value.replaceAll('\0', '') : value) as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T;
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T;
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
