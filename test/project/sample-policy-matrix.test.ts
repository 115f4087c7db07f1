/**
 * The generated sample emulator test is right for every legal retry policy (issue 10, item 7): rendered and run
 * in-process for retryAttempts {-1, 0, 5} x maxRecordAgeSeconds {-1, 60, 7200} x bisectBatchOnError x
 * reportBatchItemFailures x failureDestination {SQS, NONE}, for a plain and a tumbling-window consumer, each with a
 * filter (MODIFY to "PAID") so that the sample runs the consumer's real filters. And synth warns about exactly the
 * policies under which a poison record takes good records with it or blocks its shard.
 */
import * as fs from 'fs';
import * as path from 'path';
import { scratchDir, withRuntimeFromSource } from './generated-code';
import { ROOT } from './helpers';
import { AttributeType, FailureDestination, StreamEventName, type ConsumerOptions, type DdbStreamAppOptions } from '../../src';
import { renderTemplate } from '../../src/project/render/render';
import { resolveOptions } from '../../src/project/resolve/resolve-options';
import { sampleView } from '../../src/project/view/sample-view';
import { buildViewModel } from '../../src/project/view/view-model';
import { poisonOutcome } from '../../src/runtime/rules/consumer-rules';

const RETRIES = [-1, 0, 5];
const AGES = [-1, 60, 7200];
const BOOLEANS = [false, true];
const DESTINATIONS = [FailureDestination.SQS, FailureDestination.NONE];

interface Policy {
  readonly name: string;
  readonly consumer: ConsumerOptions;
}

function policies(window: number): Policy[] {
  const out: Policy[] = [];
  for (const retryAttempts of RETRIES) {
    for (const maxRecordAgeSeconds of AGES) {
      for (const bisectBatchOnError of BOOLEANS) {
        for (const reportBatchItemFailures of BOOLEANS) {
          for (const failureDestination of DESTINATIONS) {
            const flag = (n: number) => (n === -1 ? 'inf' : String(n));
            const name = `r${flag(retryAttempts)}-a${flag(maxRecordAgeSeconds)}-b${+bisectBatchOnError}-f${+reportBatchItemFailures}-${failureDestination.toLowerCase()}${window ? '-w' : ''}`;
            out.push({
              name,
              consumer: {
                name,
                retryAttempts,
                maxRecordAgeSeconds,
                bisectBatchOnError,
                reportBatchItemFailures,
                failureDestination,
                tumblingWindowSeconds: window,
                filters: [{ eventNames: [StreamEventName.MODIFY], newImage: [{ attribute: 'status', anyOf: ['PAID'] }] }],
              },
            });
          }
        }
      }
    }
  }
  return out;
}

function options(consumer: ConsumerOptions): DdbStreamAppOptions {
  return {
    name: 'orders',
    defaultReleaseBranch: 'main',
    cdkVersion: '2.276.0',
    table: {
      partitionKey: { name: 'orderId', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.NUMBER },
      attributes: [{ name: 'status', type: AttributeType.STRING }, { name: 'total', type: AttributeType.NUMBER }],
    },
    consumers: [consumer],
  };
}

/** Renders what one consumer's sample emulator test imports, into a project folder shared by the policies. */
function renderSample(dir: string, consumer: ConsumerOptions): string {
  const resolved = resolveOptions(options(consumer));
  const view = buildViewModel('orders', resolved);
  const [c] = view.consumers;
  const consumerView = { ...view, ...c, sample: sampleView(resolved.config.table, c.config) };
  const files: Record<string, [string, object]> = {
    'src/generated/config.ts': ['app/src/generated/config.ts', view],
    'src/generated/item.ts': ['app/src/generated/item.ts', view],
    'src/generated/changes.ts': ['app/src/generated/changes.ts', view],
    [`src/generated/${c.name}/config.ts`]: ['app/src/generated/consumer/config.ts', consumerView],
    [`src/generated/${c.name}/contract.ts`]: ['app/src/generated/consumer/contract.ts', consumerView],
    [`src/handlers/${c.name}.ts`]: ['sample/src/handlers/consumer.ts', consumerView],
    [`test/${c.name}.emulator.test.ts`]: ['sample/test/consumer.emulator.test.ts', consumerView],
  };
  for (const [file, [template, data]] of Object.entries(files)) {
    const target = path.join(dir, file);
    if (file.startsWith('src/generated/') && !file.includes(c.name) && fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, withRuntimeFromSource(renderTemplate(template, data)));
  }
  return path.join(dir, `test/${c.name}.emulator.test.ts`);
}

describe.each([0, 60])('tumblingWindowSeconds %i', (window) => {
  const dir = scratchDir();
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const all = policies(window);
  expect(all).toHaveLength(72);
  for (const policy of all) {
    const testFile = renderSample(dir, policy.consumer);
    describe(`${policy.name} (${poisonOutcome(resolveOptions(options(policy.consumer)).config.consumers[0])})`, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(testFile);
    });
  }
});

describe('synth warns when a poison record takes good records with it or blocks its shard', () => {
  const cases = policies(0).map((p) => {
    const resolved = resolveOptions(options(p.consumer));
    const warnings = resolved.warnings.filter((w) => /poison record/.test(w.message)).map((w) => `${w.option}: ${w.message}`);
    return { name: p.name, outcome: poisonOutcome(resolved.config.consumers[0]), warnings };
  });

  test('no warning when the poison record is discarded alone', () => {
    expect(cases.filter((c) => c.outcome === 'isolated' && c.warnings.length > 0)).toEqual([]);
  });

  test('retries without bound and age with a bound: the records behind it expire with it', () => {
    const expiring = cases.filter((c) => c.outcome === 'expiresWithFollowers');
    expect(expiring).toHaveLength(2 * 4 * 2);
    for (const c of expiring) {
      expect(c.warnings).toHaveLength(1);
      expect(c.warnings[0]).toMatch(/^consumers\[0\]\.retryAttempts: -1 with maxRecordAgeSeconds (60|7200): a poison record is retried until it is \d+ s old, and the records behind it on its shard wait for it that long: those as old as it are discarded with it \(RecordAgeExceeded\)/);
    }
  });

  test('bounded retries without bisect or batch item failures: its whole batch is discarded', () => {
    const batch = cases.filter((c) => c.outcome === 'discardsBatch');
    expect(batch).toHaveLength(2 * 3 * 2);
    for (const c of batch) {
      expect(c.warnings).toEqual([
        expect.stringMatching(/^consumers\[0\]\.bisectBatchOnError: false with reportBatchItemFailures false: once its \d+ retries are used, a poison record's whole batch \(up to batchSize 100 records\) is discarded with it, good records included/),
      ]);
    }
  });

  test('retries and age without bound: the shard is blocked', () => {
    const blocked = cases.filter((c) => c.outcome === 'blocks');
    expect(blocked).toHaveLength(4 * 2);
    for (const c of blocked) expect(c.warnings).toEqual([expect.stringContaining('one poison record can block its shard for up to 24 hours')]);
  });
});
