/**
 * The size of a value's JSON in UTF-8 bytes, as Lambda's 6 MB limit measures an invocation payload (the event's
 * JSON). A stream record's `SizeBytes` says little about it: escaped characters, numbers as text, both images and
 * the record's own fields can make the JSON many times larger.
 *
 * Measuring each record exactly (by `JSON.stringify`, or by the walk below) costs several times the emulator's
 * whole per-record budget, and so does even a walk of the images, so the emulator screens each record with
 * {@link recordByteBound} (no walk of the images) and measures exactly ({@link jsonByteLength}) only the batches
 * the screen cannot clear. Values the walks do not model (a `toJSON`, typed arrays, Maps, ...) are measured by
 * `JSON.stringify` itself.
 */

/**
 * JSON bytes per byte of DynamoDB item size, at most: the worst is an attribute whose name is one control character
 * and whose value is empty or a boolean, e.g. `"\u0001":{"BOOL":false},` (24 bytes for 2 of item size), under 20.
 * DynamoDB's item size counts each attribute name and value (strings in UTF-8, numbers about 1 byte per two
 * digits plus 1, booleans and null 1, 3 bytes per list or map plus 1 per element).
 */
const JSON_BYTES_PER_ITEM_BYTE = 20;
/** The `"Keys":`, `"NewImage":`, `"OldImage":` members and their braces, with room to spare. */
const IMAGES_OVERHEAD = 256;

/**
 * At least the record's JSON size in UTF-8 bytes, without walking its images: `SizeBytes` (DynamoDB's size of the
 * Keys and images, as AWS, DynamoDB Local and our fixtures set it) times {@link JSON_BYTES_PER_ITEM_BYTE}, plus a
 * bound of every other field. A record without a numeric `SizeBytes` is walked ({@link jsonByteBound}).
 */
export function recordByteBound(record: unknown): number {
  const r = record as Record<string, unknown> | null;
  const data = r?.dynamodb as Record<string, unknown> | undefined;
  const size = data?.SizeBytes;
  // Anything JSON would not write member by member (toJSON) is walked; the screen reads members only.
  if (typeof size !== 'number' || !(size >= 0) || typeof r!.toJSON === 'function' || typeof data!.toJSON === 'function') return jsonByteBound(record);
  let bytes = JSON_BYTES_PER_ITEM_BYTE * size + IMAGES_OVERHEAD;
  for (const key in r) {
    if (key === 'dynamodb') continue;
    const value = r![key];
    bytes += 6 * key.length + 4 + (typeof value === 'string' ? 6 * value.length + 2 : jsonByteBound(value));
  }
  for (const key in data) {
    if (key === 'Keys' || key === 'NewImage' || key === 'OldImage') continue;
    const value = data![key];
    bytes += 6 * key.length + 4 + (typeof value === 'string' ? 6 * value.length + 2 : jsonByteBound(value));
  }
  return bytes;
}

/** At least the bytes of `JSON.stringify(value)` in UTF-8: every UTF-16 unit of a string counted as 6 (`\uXXXX`). */
export function jsonByteBound(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 6 * value.length + 2;
    case 'number':
      // The longest a number's JSON gets, e.g. -1.2345678901234567e-300.
      return 24;
    case 'boolean':
      return 5;
    case 'object': {
      if (value === null) return 4;
      if (Array.isArray(value)) {
        let bytes = 2;
        for (const element of value) bytes += jsonByteBound(element) + 5;
        return bytes;
      }
      if (!isPlainObject(value)) return exactBytes(value);
      let bytes = 2;
      for (const key in value) bytes += 6 * key.length + 4 + jsonByteBound((value as Record<string, unknown>)[key]);
      return bytes;
    }
    default:
      return 4;
  }
}

/** Bytes `JSON.stringify(value)` takes in UTF-8; 0 where `JSON.stringify` returns undefined. */
export function jsonByteLength(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value);
    case 'number':
      // JSON writes non-finite numbers as null.
      return Number.isFinite(value) ? numberBytes(value) : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object':
      if (value === null) return 4;
      if (Array.isArray(value)) return arrayBytes(value);
      if (isPlainObject(value)) return objectBytes(value as Record<string, unknown>);
      return exactBytes(value);
    case 'bigint':
      // JSON.stringify throws on a bigint; let it say so.
      return exactBytes(value);
    default:
      // undefined, functions and symbols: JSON.stringify omits them (returns undefined at the top).
      return 0;
  }
}

function arrayBytes(array: readonly unknown[]): number {
  let bytes = 2 + Math.max(0, array.length - 1);
  for (const element of array) {
    const size = jsonByteLength(element);
    // An element JSON cannot write becomes null.
    bytes += size === 0 && omitted(element) ? 4 : size;
  }
  return bytes;
}

function objectBytes(object: Record<string, unknown>): number {
  let bytes = 2;
  let members = 0;
  for (const key in object) {
    if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
    const member = object[key];
    if (omitted(member)) continue;
    bytes += stringBytes(key) + 1 + jsonByteLength(member);
    members++;
  }
  return bytes + Math.max(0, members - 1);
}

function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

function numberBytes(n: number): number {
  // Small integers are the common case (SizeBytes, ApproximateCreationDateTime); String() covers the rest exactly.
  if (Number.isInteger(n) && n >= 0 && n < 1e15) {
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    return digits;
  }
  return String(n).length;
}

/** A JSON string: quotes, escapes (2 bytes, or 6 for other control characters), UTF-8 for the rest. */
function stringBytes(s: string): number {
  let bytes = 2;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c) bytes += 1;
      else if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) bytes += 2;
      else bytes += 6;
    } else if (c < 0x800) {
      bytes += 2;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && isLowSurrogate(s.charCodeAt(i + 1))) {
      // A surrogate pair is one code point of 4 bytes.
      bytes += 4;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is written as a \uXXXX escape (well-formed JSON.stringify).
      bytes += 6;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function exactBytes(value: unknown): number {
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}
