import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { generatedTsconfig, writeGeneratedProject } from './generated-code';
import type { TestOptions } from './helpers';
import { AttributeType, StreamViewType } from '../../src';
import { tsString } from '../../src/project/render/ts-literal';

/** Strings that broke, or could break, generated code: each must arrive exactly, wherever it is used. */
const VALUES: Record<string, string> = {
  'carriage return': 'a\rb',
  'tab': 'a\tb',
  'newline': 'a\nb',
  'line separator U+2028': 'a\u2028b',
  'paragraph separator U+2029': 'a\u2029b',
  'double quotes': 'say "hi"',
  'single quote': "it's",
  'both quotes': '"it\'s"',
  'backslashes': 'C:\\dir\\n',
  'template placeholder': '${process.exit(1)}',
  'backtick': 'a`b',
  'comment end': 'x */ y /* z',
  'non-ASCII': 'Zürich – 東京 🚀',
  'control characters': 'a\u0000b\u0007c\u001bd\u007f',
};

/** Options refuse a lone surrogate (UTF-8 cannot carry it), but the escaper is correct for it too. */
const LITERAL_ONLY: Record<string, string> = { 'lone surrogate': 'a\uD800b' };

describe('tsString gives a literal whose value is exactly the string', () => {
  test.each(Object.entries({ ...VALUES, ...LITERAL_ONLY }))('%s', (_what, value) => {
    const literal = tsString(value);
    // as a string literal, inside a template literal and inside a block comment
    expect(new Function(`return ${literal};`)()).toBe(value);
    expect(new Function(`return \`${literal.slice(1, -1)}\`;`)()).toBe(value);
    expect(new Function(`/* ${literal} */ return 1;`)()).toBe(1);
    // one line of printable text, whatever the value holds
    expect(literal).not.toMatch(/[\u0000-\u001f\u007f\u2028\u2029]/);
  });
});

// One consumer whose attribute names, filter prefixes and environment values are all the odd strings above.
const names = Object.values(VALUES);
const ODD: TestOptions = {
  table: {
    partitionKey: { name: VALUES['both quotes'] + VALUES['comment end'], type: AttributeType.STRING },
    sortKey: { name: 'sort ${key} \\ \u2029', type: AttributeType.NUMBER },
    attributes: names.map((name) => ({ name, type: AttributeType.STRING })),
    streamViewType: StreamViewType.NEW_AND_OLD_IMAGES,
    timeToLiveAttribute: 'expires */ at',
  },
  consumers: [
    {
      name: 'odd',
      environment: Object.fromEntries(Object.entries(VALUES).map(([, value], i) => [`VALUE_${i}`, value])),
      filters: [
        { newImage: names.map((name) => ({ attribute: name, prefix: name })) },
        { keys: [{ attribute: VALUES['both quotes'] + VALUES['comment end'], prefix: VALUES['line separator U+2028'] }] },
      ],
    },
  ],
};

describe('odd strings in attribute names, filter prefixes and environment values', () => {
  const dir = writeGeneratedProject(ODD);

  test('the generated repository type-checks', () => {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(generatedTsconfig(['src/**/*.ts', 'test/**/*.ts'])));
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { encoding: 'utf-8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  test('every value reaches the config exactly', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { appConfig } = require(path.join(dir, 'src/generated/config.ts'));
    const consumer = appConfig.consumers[0];
    expect(Object.values(consumer.function.environment)).toEqual(Object.values(VALUES));
    expect(appConfig.table.attributes.map((a: { name: string }) => a.name)).toEqual(names);
    const imageConditions = consumer.filters[0].dynamodb.NewImage;
    expect(Object.keys(imageConditions)).toEqual(names);
    expect(Object.values(imageConditions).map((c) => (c as { S: [{ prefix: string }] }).S[0].prefix)).toEqual(names);
    expect(appConfig.table.timeToLiveAttribute).toBe('expires */ at');
  });

  test('the stack deploys them exactly: function environment and filter patterns', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { StreamConsumerStack } = require(path.join(dir, 'src/generated/stack.ts'));
    const template = Template.fromStack(new StreamConsumerStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test'));
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((r) => r.Properties.Environment?.Variables?.VALUE_0);
    expect(fn!.Properties.Environment.Variables).toMatchObject(
      Object.fromEntries(Object.values(VALUES).map((value, i) => [`VALUE_${i}`, value])),
    );
    const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))[0];
    const pattern = JSON.parse(mapping.Properties.FilterCriteria.Filters[0].Pattern);
    expect(Object.entries(pattern.dynamodb.NewImage).map(([name, c]) => [name, (c as { S: [{ prefix: string }] }).S[0].prefix])).toEqual(
      names.map((name) => [name, name]),
    );
  });

  test('the handler contract reads the partition key by its exact name', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { toChange } = require(path.join(dir, 'src/generated/changes.ts'));
    const key = VALUES['both quotes'] + VALUES['comment end'];
    const change = toChange({
      eventName: 'INSERT',
      dynamodb: { Keys: { [key]: { S: 'k' } }, NewImage: { [key]: { S: 'k' }, [names[0]]: { S: 'v' } }, SequenceNumber: '1' },
    });
    expect(change.keys[key]).toBe('k');
    expect(change.newImage[names[0]]).toBe('v');
  });
});
