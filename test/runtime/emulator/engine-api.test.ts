// The runtime kit's own API around the emulator (not AWS behaviour): input forms, misuse errors, bounded memory.
import { awsDefaults, orders } from './helpers';
import { compileFilters, emulateEventSourceMapping, EventSourceMappingEngine, InvalidFilterPatternError, ShardLineageError } from '../../../src/runtime/emulator';

const noop = (): void => undefined;

describe('emulator API', () => {
  test('async-iterable input streams page by page with the same result as an array', async () => {
    const records = orders(2500);
    async function* source() {
      yield* records;
    }
    const config = awsDefaults({ batchSize: 300 });
    const streamed = await emulateEventSourceMapping({ records: source(), config, handler: noop });
    const whole = await emulateEventSourceMapping({ records, config, handler: noop });
    expect(streamed.invocations.map((i) => i.event.Records.length)).toEqual(whole.invocations.map((i) => i.event.Records.length));
    expect(streamed.checkpoints).toEqual(whole.checkpoints);
  });

  test('fails if a child shard is fed before its parent ended, naming both and the call to make first', async () => {
    const engine = new EventSourceMappingEngine(awsDefaults(), noop);
    await engine.processShard('parent', orders(1));
    await expect(engine.processShard('child', orders(1), { parentShardId: 'parent' })).rejects.toThrow(ShardLineageError);
    await expect(engine.processShard('child', orders(1), { parentShardId: 'parent' })).rejects.toThrow(/"child" was fed before its parent "parent" ended/);
  });

  test('fails if parallelizationFactor > 1 without the table definition', () => {
    expect(() => new EventSourceMappingEngine(awsDefaults({ parallelizationFactor: 2 }), noop)).toThrow(/options.table is required when parallelizationFactor is 2/);
  });

  test('fails on a filter operator the matcher does not implement, naming the path and the supported operators', () => {
    expect(() => compileFilters([{ eventName: [{ wildcard: 'I*' }] }])).toThrow(InvalidFilterPatternError);
    expect(() => compileFilters([{ eventName: [{ wildcard: 'I*' }] }])).toThrow(/filters\[0\]\.eventName: unsupported filter rule .*supported: exact values, prefix/);
  });
});
