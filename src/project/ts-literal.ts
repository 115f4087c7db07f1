/**
 * Prints plain data as a TypeScript literal in the layout prettier 3 gives it with default settings, so generated
 * files pass `prettier --check` without running prettier (its API is asynchronous; projen's synth is not).
 * Objects are always expanded (prettier keeps an object expanded when a newline follows its `{`); arrays of
 * primitives stay on one line when they fit in the print width, otherwise one element per line.
 */
const PRINT_WIDTH = 80;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Code to print as it is inside a literal, e.g. `Match.absent()` in an expected template. */
export class RawCode {
  constructor(public readonly code: string) {}
}

/** A call inside a literal, e.g. `Match.stringLikeRegexp("^X")`: its arguments break onto lines when it is too long. */
export class CallCode {
  constructor(
    public readonly callee: string,
    public readonly args: readonly string[],
  ) {}
}

/** `Match.stringLikeRegexp(<pattern>)`: the CDK assertion that a logical ID starts as expected. */
export function stringLike(pattern: string): CallCode {
  return new CallCode('Match.stringLikeRegexp', [JSON.stringify(pattern)]);
}

/** `key: value,` on one line, or with the value on the next when it does not fit, as prettier breaks a member. */
export function memberLine(indent: number, name: string, value: string): string {
  const oneLine = `${' '.repeat(indent)}${name}: ${value},`;
  if (oneLine.length <= PRINT_WIDTH) return oneLine;
  return `${' '.repeat(indent)}${name}:\n${' '.repeat(indent + 2)}${value},`;
}

export function tsString(value: string): string {
  const doubles = (value.match(/"/g) ?? []).length;
  const singles = (value.match(/'/g) ?? []).length;
  const quote = doubles > singles ? "'" : '"';
  const escaped = value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n');
  return `${quote}${escaped}${quote}`;
}

/** An object key: bare when it is an identifier, quoted otherwise (prettier's "as-needed"). */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : tsString(name);
}

/** `.name`, or `["name"]` when the name is not an identifier. */
export function propertyAccess(name: string): string {
  return IDENTIFIER.test(name) ? `.${name}` : `[${tsString(name)}]`;
}

/**
 * @param value the data
 * @param indent the indentation of the line the literal starts on
 * @param prefixWidth characters on that line before the literal (for the width check of one-line arrays)
 * @param suffixWidth characters that follow the literal on its last line (`;` or `,`)
 */
export function tsLiteral(value: unknown, indent = 0, prefixWidth = 0, suffixWidth = 1): string {
  if (value === null) return 'null';
  if (value instanceof RawCode) return value.code;
  if (value instanceof CallCode) {
    const oneLine = `${value.callee}(${value.args.join(', ')})`;
    if (prefixWidth + oneLine.length + suffixWidth <= PRINT_WIDTH) return oneLine;
    const argPad = ' '.repeat(indent + 2);
    return `${value.callee}(\n${value.args.map((a) => `${argPad}${a},`).join('\n')}\n${' '.repeat(indent)})`;
  }
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const primitive = value.every((v) => v === null || typeof v !== 'object' || v instanceof RawCode || v instanceof CallCode);
    if (primitive) {
      const oneLine = `[${value.map((v) => tsLiteral(v)).join(', ')}]`;
      if (prefixWidth + oneLine.length + suffixWidth <= PRINT_WIDTH) return oneLine;
    }
    const items = value.map((v) => `${pad}${tsLiteral(v, indent + 2, indent + 2, 1)},`);
    return `[\n${items.join('\n')}\n${' '.repeat(indent)}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => {
      const head = `${pad}${propertyKey(k)}: `;
      const printed = tsLiteral(v, indent + 2, head.length, 1);
      // prettier moves a string that does not fit after its key onto the next line (it never splits strings)
      if (typeof v === 'string' && head.length + printed.length + 1 > PRINT_WIDTH) {
        return `${pad}${propertyKey(k)}:\n${pad}  ${printed},`;
      }
      return `${head}${printed},`;
    });
    return `{\n${lines.join('\n')}\n${' '.repeat(indent)}}`;
  }
  throw new Error(`cannot print ${typeof value} as a TypeScript literal`);
}
