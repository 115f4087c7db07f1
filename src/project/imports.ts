/**
 * Orders import lines the way the generated repo's eslint wants them (`import/order` with
 * `alphabetize: { order: 'asc', caseInsensitive: true }`), so that `eslint --fix` never rewrites a read-only file.
 * Module paths are compared segment by segment, as eslint-plugin-import 2.x does: `./order/x` before `./order-audit/x`.
 */
export function sortImports(lines: readonly string[]): string {
  const from = (line: string) => /from "([^"]+)";$/.exec(line)?.[1] ?? line;
  return [...lines].sort((a, b) => compareModules(from(a), from(b))).join('\n');
}

function compareModules(a: string, b: string): number {
  const left = a.toLowerCase().split('/');
  const right = b.toLowerCase().split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] < right[i]) return -1;
    if (left[i] > right[i]) return 1;
  }
  return left.length - right.length;
}
