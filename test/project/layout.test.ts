import * as fs from 'fs';
import * as path from 'path';

/**
 * The layout of src/ (issue 20), held by a test so that it stays walkable:
 * - the runtime kit (src/runtime) never imports the project type (src/project): generated repositories load it
 *   without projen, and the rules both sides read live in src/runtime/rules;
 * - src/project's folders are the stages of a synth, in this order; a folder imports only itself, the folders
 *   before it, and `shared` (errors, problem collector, names), never the entry points at src/project's root;
 * - src/runtime's folders are layers, in this order; a folder imports only itself and the layers before it, so the
 *   emulator never reaches into the local runner and the local runner never into redrive or the CLIs; inside
 *   src/runtime/local the same holds for its concerns (state, database, stream, pipeline, runner);
 * - no module imports itself back through others.
 */
const STAGES = ['shared', 'options', 'versions', 'resolve', 'render', 'view', 'files', 'changes'];
const RUNTIME_LAYERS = ['config', 'errors', 'node-support', 'rules', 'records', 'tools', 'emulator', 'explain', 'idempotency', 'samples', 'local', 'redrive', 'cli'];
const LOCAL_LAYERS = ['local-endpoint', 'state', 'database', 'stream', 'pipeline', 'runner'];
const SRC = path.join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The src files a file imports (type-only imports included: they tie modules as much for a reader). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf-8');
  const specs = [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+'(\.[^']+)'/gm)].map((m) => m[1]);
  return specs.map((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f)) ?? `${base}.ts`;
  });
}

const FILES = sourceFiles(SRC);
const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(SRC, f);

test('the runtime kit imports nothing from src/project', () => {
  const offending = [...GRAPH]
    .filter(([file]) => rel(file).startsWith('runtime/'))
    .flatMap(([file, imports]) => imports.filter((i) => rel(i).startsWith('project/')).map((i) => `${rel(file)} -> ${rel(i)}`));
  expect(offending).toEqual([]);
});

test('every folder of src/project is a known stage', () => {
  const folders = fs.readdirSync(path.join(SRC, 'project'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  expect(folders.sort()).toEqual([...STAGES].sort());
});

test('src/project folders import only themselves, earlier stages and shared; never the root entry points', () => {
  const stageOf = (f: string): string | undefined => {
    const parts = rel(f).split(path.sep);
    return parts[0] === 'project' && parts.length > 2 ? parts[1] : undefined;
  };
  const offending: string[] = [];
  for (const [file, imports] of GRAPH) {
    const from = stageOf(file);
    if (from === undefined) continue;
    for (const target of imports) {
      if (!rel(target).startsWith(`project${path.sep}`)) continue;
      const to = stageOf(target);
      const allowed = to !== undefined && (to === from || to === 'shared' || STAGES.indexOf(to) < STAGES.indexOf(from));
      if (!allowed) offending.push(`${rel(file)} -> ${rel(target)}`);
    }
  }
  expect(offending).toEqual([]);
});

/** Imports that go from a layer of `root` to a later one (the root's index.ts, its entry point, may import all). */
function upwardImports(root: string, layers: readonly string[]): string[] {
  const layerOf = (f: string): string | undefined => {
    const inside = path.relative(path.join(SRC, root), f);
    if (inside.startsWith('..')) return undefined;
    return inside.split(path.sep)[0].replace(/\.ts$/, '');
  };
  const offending: string[] = [];
  for (const [file, imports] of GRAPH) {
    const from = layerOf(file);
    if (from === undefined || from === 'index') continue;
    for (const target of imports) {
      const to = layerOf(target);
      if (to === undefined || to === from) continue;
      if (!layers.includes(to) || !layers.includes(from) || layers.indexOf(to) > layers.indexOf(from)) offending.push(`${rel(file)} -> ${rel(target)}`);
    }
  }
  return offending;
}

test('src/runtime folders import only themselves and earlier layers', () => {
  const entries = fs.readdirSync(path.join(SRC, 'runtime')).map((e) => e.replace(/\.ts$/, '')).filter((e) => e !== 'index');
  expect(entries.sort()).toEqual([...RUNTIME_LAYERS].sort());
  expect(upwardImports('runtime', RUNTIME_LAYERS)).toEqual([]);
});

test('src/runtime/local folders import only themselves and earlier concerns', () => {
  const entries = fs.readdirSync(path.join(SRC, 'runtime', 'local')).map((e) => e.replace(/\.ts$/, '')).filter((e) => e !== 'index');
  expect(entries.sort()).toEqual([...LOCAL_LAYERS].sort());
  expect(upwardImports(path.join('runtime', 'local'), LOCAL_LAYERS)).toEqual([]);
});

test('no import cycle in src', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].map(rel).join(' -> '));
      return;
    }
    state.set(file, 'visiting');
    for (const next of GRAPH.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of FILES) visit(file, []);
  expect(cycles).toEqual([]);
});
