import * as fs from 'fs';
import * as path from 'path';
import { renderTemplate } from '../render/render';
import { tsLiteral } from '../render/ts-literal';

/** What `projen new` hands the project type (see projen's `renderProjenInitOptions`). */
export interface ProjenNewInfo {
  readonly args: Record<string, unknown>;
}

/** Options projen's CLI also passes in kebab-case or that only make sense at creation. */
const SKIPPED = new Set(['outdir', 'table', 'consumers']);

/**
 * Writes the first `.projenrc.ts` of a new project, showing the table and consumer blocks ready to edit.
 *
 * projen's own generator renders only the options given on the command line, and struct options such as
 * `table` cannot be given there; it also skips writing when the file exists, so writing ours first wins.
 */
export function writeInitialProjenrc(outdir: string, info: ProjenNewInfo): void {
  const file = path.join(outdir, '.projenrc.ts');
  if (fs.existsSync(file)) return;
  const entries = Object.entries(info.args)
    .filter(([name, value]) => !SKIPPED.has(name) && !name.includes('-') && value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  const baseOptions = entries.map(([name, value]) => {
    if (name === 'packageManager') return `${name}: javascript.NodePackageManager.${String(value).toUpperCase()},`;
    return `${name}: ${projenrcValue(value, name.length + 4)},`;
  });
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(file, renderTemplate('projenrc.ts', { baseOptions, usesJavascript: 'packageManager' in info.args }));
}

/**
 * A `projen new` argument as prettier prints it at its default width: `.projenrc.ts` is the user's file and must
 * pass their prettier as written. Arguments are strings, numbers, booleans and arrays of them.
 */
function projenrcValue(value: unknown, prefixWidth: number): string {
  if (!Array.isArray(value)) return tsLiteral(value);
  const oneLine = tsLiteral(value);
  if (prefixWidth + oneLine.length + 1 <= 80) return oneLine;
  return `[\n${value.map((v) => `    ${tsLiteral(v)},`).join('\n')}\n  ]`;
}
