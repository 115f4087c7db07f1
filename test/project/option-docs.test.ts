import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { DEFAULT_CAPACITY_UNITS } from '../../src/project/options/defaults';
import * as enums from '../../src/project/options/enums';
import { CONSUMER_NAME_LENGTH } from '../../src/project/options/validate-consumer';
import { CAPACITY_RANGE } from '../../src/project/options/validate-table';
import {
  ALARM_DEFAULTS,
  ALARM_RANGES,
  CONSUMER_DEFAULTS,
  DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS,
  FUNCTION_DEFAULTS,
  FUNCTION_RANGES,
  IDEMPOTENCY_EXPIRY_RANGE,
  MAPPING_RANGES,
  MAX_CONSUMERS,
  MAX_FILTERS,
  type IntegerRange,
} from '../../src/runtime/rules/consumer-rules';

/**
 * The options' JSDoc states ranges and defaults as literal text (jsii reads it into API.md and IDEs): these tests
 * hold that text to the rules the code applies, so that the two cannot drift apart.
 */
const OPTIONS_FILE = path.join(__dirname, '..', '..', 'src', 'project', 'options', 'options.ts');

interface MemberDoc {
  readonly text: string;
  readonly default?: string;
}

/** `Interface.member` -> its JSDoc text and `@default`, for every interface of options.ts. */
function optionDocs(): Map<string, MemberDoc> {
  const source = ts.createSourceFile(OPTIONS_FILE, fs.readFileSync(OPTIONS_FILE, 'utf-8'), ts.ScriptTarget.Latest, true);
  const docs = new Map<string, MemberDoc>();
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member)) continue;
      const jsDoc = (member as { jsDoc?: ts.JSDoc[] }).jsDoc?.[0];
      const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === 'default');
      docs.set(`${statement.name.text}.${member.name.getText(source)}`, {
        text: ts.getTextOfJSDocComment(jsDoc?.comment) ?? '',
        default: tag ? ts.getTextOfJSDocComment(tag.comment)?.trim() : undefined,
      });
    }
  }
  return docs;
}

const DOCS = optionDocs();

function doc(member: string): MemberDoc {
  const found = DOCS.get(member);
  if (!found) throw new Error(`options.ts has no ${member}`);
  return found;
}

/**
 * The range a JSDoc states: `(1..10000)`, `(`MetricName`, 1..100000)`, `(-1 for infinite, or 0..10000)` or `(0 for none, or 1..900)`, where the
 * value "for none" is the range's lower end.
 */
function statedRange(text: string): IntegerRange | undefined {
  const match = /\((?:`\w+`,\s+)?(?:(-1) for infinite, or |(\d+) for none, or )?(\d+)\.\.(\d+)/.exec(text);
  if (!match) return undefined;
  const [, infinite, none, min, max] = match;
  return { min: Number(none ?? min), max: Number(max), ...(infinite ? { infinite: true } : {}) };
}

/** The value a `@default` states: a number, boolean, `{}`, or an enum member (`StartingPosition.TRIM_HORIZON`). */
function statedDefault(text: string): unknown {
  const value = text.replace(/^- /, '');
  const member = /^(\w+)\.(\w+)/.exec(value);
  if (member) return (enums as unknown as Record<string, Record<string, string>>)[member[1]]?.[member[2]] ?? value;
  const first = value.split(/[\s,(]/)[0];
  if (/^\d+$/.test(first)) return Number(first);
  if (first === 'true' || first === 'false') return first === 'true';
  if (first === '{}') return {};
  return value;
}

const RANGES: Record<string, IntegerRange> = {
  'ConsumerOptions.name': CONSUMER_NAME_LENGTH,
  ...Object.fromEntries(Object.entries(MAPPING_RANGES).map(([k, r]) => [`ConsumerOptions.${k}`, r])),
  ...Object.fromEntries(Object.entries(FUNCTION_RANGES).map(([k, r]) => [`ConsumerOptions.${k}`, r])),
  ...Object.fromEntries(Object.entries(ALARM_RANGES).map(([k, r]) => [`ConsumerAlarmOptions.${k}`, r])),
  'IdempotencyOptions.expirySeconds': IDEMPOTENCY_EXPIRY_RANGE,
  'TableOptions.readCapacity': CAPACITY_RANGE,
  'TableOptions.writeCapacity': CAPACITY_RANGE,
};

const { filters: _filters, ...consumerDefaults } = CONSUMER_DEFAULTS;
const DEFAULTS: Record<string, unknown> = {
  ...Object.fromEntries(Object.entries(consumerDefaults).map(([k, v]) => [`ConsumerOptions.${k}`, v])),
  ...Object.fromEntries(Object.entries(FUNCTION_DEFAULTS).map(([k, v]) => [`ConsumerOptions.${k}`, v])),
  // the iterator age's default is lower when maxRecordAgeSeconds is short: the JSDoc names the fixed one first
  ...Object.fromEntries(Object.entries(ALARM_DEFAULTS).map(([k, v]) => [`ConsumerAlarmOptions.${k}`, v])),
  'IdempotencyOptions.expirySeconds': DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS,
  'TableOptions.readCapacity': DEFAULT_CAPACITY_UNITS,
  'TableOptions.writeCapacity': DEFAULT_CAPACITY_UNITS,
};

describe('the JSDoc of options.ts states the rules the code applies', () => {
  test.each(Object.entries(RANGES))('%s states its allowed range', (member, range) => {
    expect(statedRange(doc(member).text)).toEqual({ min: range.min, max: range.max, ...(range.infinite ? { infinite: true } : {}) });
  });

  test('every range the JSDoc states is one of the rules', () => {
    const stated = [...DOCS].filter(([, d]) => statedRange(d.text) !== undefined).map(([member]) => member);
    expect(stated.sort()).toEqual(Object.keys(RANGES).sort());
  });

  test.each(Object.entries(DEFAULTS))('%s states its default', (member, value) => {
    expect(statedDefault(doc(member).default ?? '(none)')).toEqual(value);
  });

  test('the filter and consumer counts are the rules', () => {
    expect(doc('ConsumerOptions.filters').text).toContain(`(up to ${MAX_FILTERS}, OR-ed)`);
    expect(doc('DdbStreamAppOptions.consumers').text).toContain(`(at most ${MAX_CONSUMERS === 2 ? 'two' : MAX_CONSUMERS}:`);
  });

  test('retryAttempts and maxRecordAgeSeconds say that -1 means infinite', () => {
    expect(doc('ConsumerOptions.retryAttempts').text).toContain('-1 for infinite');
    expect(doc('ConsumerOptions.maxRecordAgeSeconds').text).toContain('-1 for infinite');
  });
});
