/**
 * What the installed package points at is in the package: the README's relative links, the Markdown files the
 * runtime kit's comments and messages cite, and the TypeScript sources its inline source maps name in stack traces.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './helpers';

/** The files `npm pack` would ship, as paths relative to the package root. */
function packedFiles(): Set<string> {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ files }] = JSON.parse(out) as [{ files: { path: string }[] }];
  return new Set(files.map((f) => f.path));
}

function walk(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const p = `${dir}/${entry.name}`;
    return entry.isDirectory() ? walk(p) : [p];
  });
}

const files = packedFiles();

test('every relative link of README.md is a file in the package', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const links = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
  expect(links.length).toBeGreaterThan(0);
  expect(links.filter((l) => !files.has(path.posix.normalize(l)))).toEqual([]);
});

test('the runtime kit cites no Markdown file that the package does not ship', () => {
  const cited = walk('src/runtime').flatMap((file) =>
    [...fs.readFileSync(path.join(ROOT, file), 'utf-8').matchAll(/[\w./-]*\b[\w-]+\.md\b/g)].map((m) => ({ file, cites: m[0] })),
  );
  expect(cited.filter(({ cites }) => !files.has(cites))).toEqual([]);
});

test('the sources named by the compiled runtime kit\'s source maps ship (stack traces point at real files)', () => {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf-8'));
  expect(tsconfig.compilerOptions).toMatchObject({ rootDir: 'src', inlineSourceMap: true });
  const sources = walk('src').filter((f) => f.endsWith('.ts'));
  expect(sources.filter((f) => !files.has(f))).toEqual([]);
});
