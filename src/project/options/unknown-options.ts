import * as fs from 'fs';
import * as path from 'path';
import type { ProblemCollector } from '../shared/checks';

/**
 * Option names not in the options' types. TypeScript catches a misspelt name only in an object literal written in
 * place; a consumer kept in a variable, a `.projenrc.js` or `.projenrc.json`, or a cast lets it through, and the option
 * is then silently ignored. The known names come from the jsii manifests (`.jsii`) of this package and of projen, so
 * an option added to an interface is known the moment it is compiled.
 */

interface TypeRef {
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: TypeRef };
}

interface JsiiType {
  readonly datatype?: boolean;
  readonly interfaces?: readonly string[];
  readonly properties?: ReadonlyArray<{ readonly name: string; readonly type: TypeRef }>;
}

type Types = Readonly<Record<string, JsiiType>>;

const ROOT = 'ddb-stream-template.DdbStreamAppOptions';
const OURS = 'ddb-stream-template.';

let loaded: Types | null | undefined;

/**
 * Our manifest and projen's, read once per process. Undefined when one cannot be read (this package run from source
 * without a jsii build): unknown names are then left unchecked rather than wrongly reported.
 */
function manifests(): Types | undefined {
  if (loaded === undefined) {
    try {
      const read = (file: string) => (JSON.parse(fs.readFileSync(file, 'utf-8')) as { types: Types }).types;
      const projen = path.join(path.dirname(require.resolve('projen/package.json')), '.jsii');
      // src/project/options in this repository, lib/project/options when installed: the package root holds the manifest either way
      loaded = { ...read(projen), ...read(path.join(__dirname, '..', '..', '..', '.jsii')) };
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/** Every property of a struct, its base interfaces' included. */
function propertiesOf(types: Types, fqn: string, into = new Map<string, TypeRef>()): Map<string, TypeRef> {
  const type = types[fqn];
  for (const p of type?.properties ?? []) into.set(p.name, p.type);
  for (const base of type?.interfaces ?? []) propertiesOf(types, base, into);
  return into;
}

/** Reports every option name that no options interface declares, with the closest declared name when there is one. */
export function checkUnknownOptions(problems: ProblemCollector, options: unknown): void {
  const types = manifests();
  if (types !== undefined) checkStruct(problems, types, ROOT, options, '');
}

function checkStruct(problems: ProblemCollector, types: Types, fqn: string, value: unknown, at: string): void {
  // a value of the wrong kind is reported by the checks of that option
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const known = propertiesOf(types, fqn);
  const name = fqn.slice(fqn.lastIndexOf('.') + 1);
  for (const [key, inner] of Object.entries(value)) {
    // projen's own hidden options (`__new__`, written by `projen new`)
    if (key.startsWith('__')) continue;
    const option = at === '' ? key : `${at}.${key}`;
    const type = known.get(key);
    if (type === undefined) {
      problems.add(unknownProblem(option, key, inner, name, [...known.keys()].sort(), fqn === ROOT));
    } else if (at !== '' || type.fqn?.startsWith(OURS) || type.collection?.elementtype.fqn?.startsWith(OURS)) {
      // below the top level only our own structs: projen's nested options are projen's to check
      checkType(problems, types, type, inner, option);
    }
  }
}

function checkType(problems: ProblemCollector, types: Types, type: TypeRef, value: unknown, at: string): void {
  if (type.fqn !== undefined && types[type.fqn]?.datatype) {
    checkStruct(problems, types, type.fqn, value, at);
  } else if (type.collection?.kind === 'array' && Array.isArray(value)) {
    value.forEach((element, i) => checkType(problems, types, type.collection!.elementtype, element, `${at}[${i}]`));
  } else if (type.collection?.kind === 'map' && value !== null && typeof value === 'object') {
    for (const [key, element] of Object.entries(value)) checkType(problems, types, type.collection.elementtype, element, `${at}.${key}`);
  }
}

function unknownProblem(option: string, key: string, value: unknown, struct: string, known: readonly string[], top: boolean) {
  const closest = closestName(key, known);
  return {
    option,
    value,
    reason: `${struct} has no option "${key}": it would be ignored`,
    allowed: top ? `the options of ${struct}, projen's AwsCdkTypeScriptAppOptions included (API.md)` : `the options of ${struct}: ${known.join(', ')}`,
    fix: closest ? `did you mean ${closest}? Rename it` : 'remove it, or write one of the allowed names',
  };
}

/** The declared name a typo most likely meant: same letters in another case, or a few edits away. */
export function closestName(typed: string, known: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  const sameLetters = known.find((k) => k.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  const limit = Math.max(1, Math.floor(typed.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swapped neighbours cost one each. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
