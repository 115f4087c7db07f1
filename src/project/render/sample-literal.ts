import { propertyKey, RawCode, tsString } from './ts-literal';

/**
 * Sample files are the user's and must pass the repository's prettier as written (managed files are out of the
 * formatter and use `tsLiteral`). Only the literals of the samples (fixture items, record lists) need prettier's
 * line breaks, at its default print width.
 */
const PRINT_WIDTH = 80;

/**
 * @param value the data
 * @param indent the indentation of the line the literal starts on
 * @param prefixWidth characters on that line before the literal (for the width check of one-line arrays)
 * @param suffixWidth characters that follow the literal on its last line (`;` or `,`)
 */
export function sampleLiteral(value: unknown, indent = 0, prefixWidth = 0, suffixWidth = 1): string {
  if (value === null) return 'null';
  if (value instanceof RawCode) return value.code;
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const primitive = value.every((v) => v === null || typeof v !== 'object' || v instanceof RawCode);
    if (primitive) {
      const oneLine = `[${value.map((v) => sampleLiteral(v)).join(', ')}]`;
      if (prefixWidth + oneLine.length + suffixWidth <= PRINT_WIDTH) return oneLine;
    }
    const items = value.map((v) => `${pad}${sampleLiteral(v, indent + 2, indent + 2, 1)},`);
    return `[\n${items.join('\n')}\n${' '.repeat(indent)}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => {
      const head = `${pad}${propertyKey(k)}: `;
      const printed = sampleLiteral(v, indent + 2, head.length, 1);
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
