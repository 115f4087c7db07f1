/**
 * The starter `.projenrc.ts` teaches filters and tumbling windows where users look: commented examples that are
 * right once uncommented (the options validate and produce a filter and a window).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { emptyDir, synthFiles, ROOT, type TestOptions } from './helpers';
import { writeInitialProjenrc } from '../../src/project/files/projenrc-file';

function starterProjenrc(): string {
  const outdir = emptyDir();
  const args = { name: 'orders-consumer', defaultReleaseBranch: 'main', cdkVersion: '2.276.0' };
  writeInitialProjenrc(outdir, { args });
  return fs.readFileSync(path.join(outdir, '.projenrc.ts'), 'utf-8');
}

/** What a user does: remove the `// ` of the example lines and add StreamEventName to the import. */
function uncommented(source: string): string {
  return source
    .replace(/^(\s*)\/\/ (attributes:|filters:|  \{|    eventNames|    newImage|  \},|\],|tumblingWindowSeconds)/gm, '$1$2')
    .replace('  DdbStreamApp,\n', '  DdbStreamApp,\n  StreamEventName,\n');
}

/** The options object of a `.projenrc.ts`, evaluated against this checkout's sources. */
function optionsOf(source: string): TestOptions {
  const body = source
    .replace(/from "ddb-stream-template"/, `from ${JSON.stringify(path.join(ROOT, 'src'))}`)
    .replace('const project = new DdbStreamApp(', 'module.exports = (')
    .replace('project.synth();', '');
  const js = ts.transpileModule(body, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const module = { exports: {} as TestOptions };
  new Function('module', 'exports', 'require', js)(module, module.exports, require);
  return module.exports;
}

/** prettier (default options, as the generated repo runs it) leaves the text as it is. */
function prettierFormatted(source: string): boolean {
  const dir = emptyDir('ddb-stream-starter-');
  fs.writeFileSync(path.join(dir, '.projenrc.ts'), source);
  fs.writeFileSync(path.join(dir, '.prettierrc.json'), '{}');
  const result = spawnSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--check', '.projenrc.ts'], { cwd: dir, encoding: 'utf-8' });
  return result.status === 0;
}

test('the starter .projenrc.ts shows a filter and a tumbling window, commented out', () => {
  const source = starterProjenrc();
  expect(source).toContain('      // filters: [\n');
  expect(source).toContain('      //     eventNames: [StreamEventName.MODIFY],\n');
  expect(source).toContain('      //     newImage: [{ attribute: "status", anyOf: ["PAID"] }],\n');
  expect(source).toContain('      // tumblingWindowSeconds: 60,\n');
  expect(source).toContain('      // idempotency: { enabled: true },\n');
  expect(source).toContain('    // attributes: [{ name: "status", type: AttributeType.STRING }],\n');
  expect(prettierFormatted(source)).toBe(true);
  expect(prettierFormatted(uncommented(source))).toBe(true);
  // as written, the examples change nothing
  const options = optionsOf(source);
  expect(options.consumers![0].filters).toBeUndefined();
  expect(options.consumers![0].tumblingWindowSeconds).toBeUndefined();
  expect(options.consumers![0].idempotency).toBeUndefined();
});

test('uncommented, the idempotency example validates and turns it on', () => {
  const source = starterProjenrc().replace('      // idempotency: { enabled: true },', '      idempotency: { enabled: true },');
  expect(prettierFormatted(source)).toBe(true);
  const options = optionsOf(source);
  expect(options.consumers![0].idempotency).toEqual({ enabled: true });
  expect(synthFiles({ table: options.table, consumers: options.consumers })['src/generated/processor/config.ts']).toContain('idempotency: { expirySeconds: 86400 }');
});

test('uncommented as the comments say, the examples validate and configure a filter and a 60 s window', () => {
  const options = optionsOf(uncommented(starterProjenrc()));
  expect(options.consumers![0]).toMatchObject({ tumblingWindowSeconds: 60, filters: [{ eventNames: ['MODIFY'], newImage: [{ attribute: 'status', anyOf: ['PAID'] }] }] });
  const synthesized = synthFiles({ table: options.table, consumers: options.consumers })['src/generated/processor/config.ts'] as string;
  expect(synthesized).toContain('tumblingWindowSeconds: 60,');
  // layout-independent: whitespace and trailing commas are the printer's business
  expect(synthesized.replace(/\s+/g, '').replace(/,([}\]])/g, '$1')).toContain('filters:[{eventName:["MODIFY"],dynamodb:{NewImage:{status:{S:["PAID"]}}}}]');
});
