/**
 * Prints plain data as TypeScript source. Every free-text string from the options reaches generated TypeScript
 * through `tsString` (directly, or via `tsLiteral`, `sampleLiteral`, `propertyKey`, `propertyAccess` and
 * `commentText`), which is correct for any string. The layout is fixed and simple (small values on one line, others one member per
 * line) and needs no formatter: managed files are outside the generated repo's prettier and eslint.
 */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Code to print as it is inside a literal, e.g. `Match.absent()` in an expected template. */
export class RawCode {
  constructor(public readonly code: string) {}
}

/** `Match.stringLikeRegexp(<pattern>)`: the CDK assertion that a logical ID starts as expected. */
export function stringLike(pattern: string): RawCode {
  return new RawCode(`Match.stringLikeRegexp(${tsString(pattern)})`);
}

/** Escapes for the characters that cannot stand as themselves in a string literal, a template literal or a comment. */
const NAMED_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
  '\0': '\\x00',
};

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * A TypeScript string literal whose value is exactly `value`, for any string. Escaped: backslashes, the quote,
 * control characters (`\n`, `\r`, `\t`, others as `\xNN`), the line separators U+2028 and U+2029 (line breaks to
 * editors and older parsers), lone surrogates (not encodable in UTF-8), `${` and the backtick (so the text is also safe
 * inside a template literal) and `*\/` (so it is also safe inside a block comment). Other non-ASCII characters stay as they
 * are: the files are UTF-8. Double quotes unless the value holds more of them than single quotes, as prettier does.
 */
export function tsString(value: string): string {
  const doubles = (value.match(/"/g) ?? []).length;
  const singles = (value.match(/'/g) ?? []).length;
  const quote = doubles > singles ? "'" : '"';
  const escaped = value.replace(
    /[\\\n\r\t\b\f\v\0"'`\u2028\u2029]|[\x00-\x1f\x7f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\$\{|\*\//g,
    (match) => {
      if (match === '${') return '\\${';
      if (match === '*/') return '*\\/';
      if (match === '`') return '\\`';
      if (match === '"' || match === "'") return match === quote ? `\\${quote}` : match;
      if (NAMED_ESCAPES[match]) return NAMED_ESCAPES[match];
      const code = match.charCodeAt(0);
      return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : unicodeEscape(match);
    },
  );
  return `${quote}${escaped}${quote}`;
}

/**
 * Text for a `//` or `/** *\/` comment or a Markdown code span: the value as `tsString` prints it, without the
 * quotes when it needs no escape at all.
 */
export function commentText(value: string): string {
  const literal = tsString(value);
  const plain = literal.slice(1, -1);
  return plain === value ? value : literal;
}

/** An object key: bare when it is an identifier, quoted otherwise (prettier's "as-needed"). */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : tsString(name);
}

/** `.name`, or `["name"]` when the name is not an identifier. */
export function propertyAccess(name: string): string {
  return IDENTIFIER.test(name) ? `.${name}` : `[${tsString(name)}]`;
}

/** Small values (`{ name: "id", type: "S" }`) read best on one line; anything longer gets a line per member. */
const INLINE_WIDTH = 60;

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object' || value instanceof RawCode;
}

function definedEntries(value: object): [string, unknown][] {
  return Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
}

/** The value on one line, or undefined when it is too long for that. */
function inline(value: unknown): string | undefined {
  if (isScalar(value)) return scalar(value);
  const parts = Array.isArray(value)
    ? value.map(inline)
    : definedEntries(value as object).map(([k, v]) => {
      const printed = inline(v);
      return printed === undefined ? undefined : `${propertyKey(k)}: ${printed}`;
    });
  if (parts.some((p) => p === undefined)) return undefined;
  const text = Array.isArray(value) ? `[${parts.join(', ')}]` : parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  return text.length <= INLINE_WIDTH ? text : undefined;
}

function scalar(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof RawCode) return value.code;
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`cannot print ${typeof value} as a TypeScript literal`);
}

/**
 * @param value the data: objects, arrays, strings, numbers, booleans, null and `RawCode`
 * @param indent the indentation of the line the literal starts on
 */
export function tsLiteral(value: unknown, indent = 0): string {
  if (isScalar(value)) return scalar(value);
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.every(isScalar)) return `[${value.map(scalar).join(', ')}]`;
    const items = value.map((v) => `${pad}${inline(v) ?? tsLiteral(v, indent + 2)},`);
    return `[\n${items.join('\n')}\n${' '.repeat(indent)}]`;
  }
  const entries = definedEntries(value as object);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([k, v]) => `${pad}${propertyKey(k)}: ${inline(v) ?? tsLiteral(v, indent + 2)},`);
  return `{\n${lines.join('\n')}\n${' '.repeat(indent)}}`;
}
