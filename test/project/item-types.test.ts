/**
 * The generated item types name the declared attributes only (issue 21, item 5): a handler in a rendered repository
 * is type-checked by the TypeScript compiler API, with the generated repository's compiler options, against the
 * generated tree. A misspelt declared attribute is an error naming it; an undeclared attribute is read through
 * `undeclared`, the documented way, and compiles.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { generatedTsconfig, writeGeneratedProject } from './generated-code';
import { AttributeType, StreamViewType } from '../../src';

const dir = writeGeneratedProject({
  table: {
    partitionKey: { name: 'orderId', type: AttributeType.STRING },
    attributes: [{ name: 'status', type: AttributeType.STRING }],
    streamViewType: StreamViewType.NEW_AND_OLD_IMAGES,
  },
  consumers: [{ name: 'orders' }],
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Handlers as a user writes them in src/handlers/, by what each proves. */
const HANDLERS = {
  typo: [
    'import { defineOrdersHandler } from "../generated/orders/contract";',
    '',
    'export const handler = defineOrdersHandler({',
    '  onModify(change) {',
    '    if (change.newImage.stauts !== "PAID") return;',
    '    console.log("paid", change.keys.orderId);',
    '  },',
    '});',
  ],
  undeclared: [
    'import { undeclared } from "../generated";',
    'import { defineOrdersHandler } from "../generated/orders/contract";',
    '',
    'export const handler = defineOrdersHandler({',
    '  onModify(change) {',
    '    const status: string | undefined = change.newImage.status;',
    '    const coupon = undeclared(change.newImage).couponCode;',
    '    if (typeof coupon === "string") console.log(status, coupon.toUpperCase());',
    '  },',
    '});',
  ],
  unchecked: [
    'import { undeclared } from "../generated";',
    'import { defineOrdersHandler } from "../generated/orders/contract";',
    '',
    'export const handler = defineOrdersHandler({',
    '  onModify(change) {',
    '    console.log(undeclared(change.newImage).couponCode.toUpperCase());',
    '  },',
    '});',
  ],
};

/**
 * Each handler's diagnostics, as `file(line,col): error TSnnnn: text`: one program for all of them, since a program
 * over the generated tree takes long to build.
 */
const diagnostics: Record<string, string[]> = (() => {
  const files = Object.entries(HANDLERS).map(([name, lines]) => {
    const file = path.join(dir, `src/handlers/${name}.ts`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  });
  const { options } = ts.parseJsonConfigFileContent(generatedTsconfig([]), ts.sys, dir);
  const program = ts.createProgram(files, options);
  const out: Record<string, string[]> = Object.fromEntries(Object.keys(HANDLERS).map((name) => [name, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const name = d.file ? path.basename(d.file.fileName, '.ts') : 'none';
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const at = where ? `${path.relative(dir, d.file!.fileName)}(${where.line + 1},${where.character + 1}): ` : '';
    (out[name] ??= []).push(`${at}error TS${d.code}: ${text}`);
  }
  return out;
})();

test('no diagnostics outside the handlers: the generated tree itself type-checks', () => {
  expect(Object.keys(diagnostics).sort()).toEqual(Object.keys(HANDLERS).sort());
});

test('a misspelt declared attribute fails the type check, naming the typo and the declared name', () => {
  expect(diagnostics.typo).toEqual([
    "src/handlers/typo.ts(5,25): error TS2551: Property 'stauts' does not exist on type 'Item'. Did you mean 'status'?",
  ]);
});

test('an undeclared attribute is read through undeclared(image), typed unknown, and compiles', () => {
  expect(diagnostics.undeclared).toEqual([]);
});

test('an undeclared value is unknown: using it unchecked fails the type check', () => {
  expect(diagnostics.unchecked).toEqual(["src/handlers/unchecked.ts(6,17): error TS2571: Object is of type 'unknown'."]);
});

test('at run time the undeclared attributes are there: undeclared(image) reads what the stream delivered', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { toChange } = require(path.join(dir, 'src/generated/changes.ts'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { undeclared } = require(path.join(dir, 'src/generated/item.ts'));
  const change = toChange({
    eventName: 'INSERT',
    dynamodb: { Keys: { orderId: { S: 'o-1' } }, NewImage: { orderId: { S: 'o-1' }, status: { S: 'PAID' }, couponCode: { S: 'SPRING' } }, SequenceNumber: '1' },
  });

  expect(change.newImage.status).toBe('PAID');
  expect(undeclared(change.newImage).couponCode).toBe('SPRING');
});
