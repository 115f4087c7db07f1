/**
 * Statements whose layout depends on the length of names, printed as prettier 3 prints them at its default width,
 * so generated files pass `prettier --check` as written whatever the consumer names are.
 */
const PRINT_WIDTH = 80;

const spaces = (n: number) => ' '.repeat(n);

/** `callee(a, b);` on one line when it fits, one argument per line otherwise. */
export function callStatement(indent: number, callee: string, args: readonly string[]): string {
  const pad = spaces(indent);
  const oneLine = `${pad}${callee}(${args.join(', ')});`;
  if (oneLine.length <= PRINT_WIDTH) return oneLine;
  return [`${pad}${callee}(`, ...args.map((a) => `${pad}  ${a},`), `${pad});`].join('\n');
}

/**
 * `<target> = new <Class>(this, "<id>", { ...props });`: the object argument hugged when the line fits; otherwise
 * one argument per line; and when even `<target> = new <Class>(` does not fit, broken after the `=` first.
 * @param props the object's members, one line each, with their trailing comma
 */
export function newConstructStatement(indent: number, target: string, className: string, id: string, props: readonly string[]): string {
  const assignment = `${spaces(indent)}${target} = `;
  if ((assignment + `new ${className}(`).length <= PRINT_WIDTH) {
    return assignment + newExpression(indent, assignment.length, className, id, props);
  }
  const inner = indent + 2;
  return `${spaces(indent)}${target} =\n${spaces(inner)}${newExpression(inner, inner, className, id, props)}`;
}

/** `new C(this, "id", {...});` starting at column `column` of a line indented by `indent`. */
function newExpression(indent: number, column: number, className: string, id: string, props: readonly string[]): string {
  const object = (level: number) => `{\n${props.map((p) => `${spaces(level + 2)}${p}`).join('\n')}\n${spaces(level)}}`;
  const hugged = `new ${className}(this, "${id}", {`;
  if (column + hugged.length <= PRINT_WIDTH) return `new ${className}(this, "${id}", ${object(indent)});`;
  const args = indent + 2;
  return [`new ${className}(`, `${spaces(args)}this,`, `${spaces(args)}"${id}",`, `${spaces(args)}${object(args)},`, `${spaces(indent)});`].join('\n');
}

/** `name(a, b) {` on one line when it fits, one parameter per line otherwise (a constructor, a method). */
export function signature(indent: number, name: string, params: readonly string[]): string {
  const pad = spaces(indent);
  const oneLine = `${pad}${name}(${params.join(', ')}) {`;
  if (oneLine.length <= PRINT_WIDTH) return oneLine;
  return [`${pad}${name}(`, ...params.map((p) => `${pad}  ${p},`), `${pad}) {`].join('\n');
}

/** `key: callee(a, b),` on one line when it fits, one argument per line otherwise. */
export function memberCall(indent: number, key: string, callee: string, args: readonly string[]): string {
  const pad = spaces(indent);
  const oneLine = `${pad}${key}: ${callee}(${args.join(', ')}),`;
  if (oneLine.length <= PRINT_WIDTH) return oneLine;
  return [`${pad}${key}: ${callee}(`, ...args.map((a) => `${pad}  ${a},`), `${pad}),`].join('\n');
}
