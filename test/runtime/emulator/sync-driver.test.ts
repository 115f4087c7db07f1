/**
 * emulateEventSourceMappingSync: the engine's rules driven without a promise (src/runtime/emulator/steps.ts), for a
 * synchronous handler on the virtual clock. It must be the same engine: the same trace as the awaited driver.
 */
import { orders } from './helpers';
import { emulateEventSourceMapping, emulateEventSourceMappingSync, SystemClock, type EmulatedEvent } from '../../../src/runtime/emulator';
import { consumerConfig } from '../local/fixtures/app-config';

describe('the synchronous driver is the engine', () => {
  const config = consumerConfig({ batchSize: 10, retryAttempts: 2 });
  const handler = (event: EmulatedEvent) => {
    const bad = event.Records.find((r) => r.dynamodb.Keys.orderId.S === 'o7');
    return { batchItemFailures: bad ? [{ itemIdentifier: bad.dynamodb.SequenceNumber }] : [] };
  };

  test('it gives the same trace as emulateEventSourceMapping: invocations, discards, checkpoints, metrics', async () => {
    const records = orders(30);
    const sync = emulateEventSourceMappingSync({ config, handler, records });
    const awaited = await emulateEventSourceMapping({ config, handler, records });
    expect(sync).toEqual(awaited);
    expect(sync.failures).toHaveLength(1);
  });

  test('a live clock is refused: it would have to wait in real time', () => {
    expect(() => emulateEventSourceMappingSync({ config, handler, records: orders(3), clock: new SystemClock() })).toThrow(
      'emulateEventSourceMappingSync needs the virtual clock (given a live one): pass a VirtualClock, or use emulateEventSourceMapping',
    );
  });

  test('an async handler is refused, not run halfway', () => {
    expect(() => emulateEventSourceMappingSync({ config, handler: async () => ({ batchItemFailures: [] }), records: orders(3) })).toThrow(
      'the handler or a callback (onFailure, onCheckpoint) returned a promise, which the synchronous emulation cannot wait for: ' +
        'pass synchronous functions, or use emulateEventSourceMapping',
    );
  });
});

test.each([
  ['the handler throws, bisect on', consumerConfig({ batchSize: 8, retryAttempts: 1, reportBatchItemFailures: false }), false],
  ['a tumbling window of 60 s', consumerConfig({ batchSize: 4, tumblingWindowSeconds: 60 }), true],
  ['infinite retries, 15 min', consumerConfig({ batchSize: 5, retryAttempts: -1, maxRecordAgeSeconds: 900 }), false],
])('%s: both drivers give the same trace', async (_name, config, windowed) => {
  const handler = (event: EmulatedEvent) => {
    if (event.Records.some((r) => r.dynamodb.Keys.orderId.S === 'o5')) {
      if (!config.reportBatchItemFailures) throw new Error('poison');
      const bad = event.Records.find((r) => r.dynamodb.Keys.orderId.S === 'o5')!;
      return { ...(windowed ? { state: {} } : {}), batchItemFailures: [{ itemIdentifier: bad.dynamodb.SequenceNumber }] };
    }
    return { ...(windowed ? { state: { n: event.Records.length } } : {}), batchItemFailures: [] };
  };
  const records = orders(20);
  expect(emulateEventSourceMappingSync({ config, handler, records })).toEqual(await emulateEventSourceMapping({ config, handler, records }));
});
