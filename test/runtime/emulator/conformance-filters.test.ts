// Conformance: event filtering (with-ddb-filtering; EventBridge "Comparison operators" page).
import { awsDefaults, fixtures, seqOf } from './helpers';
import { compileFilters, emulateEventSourceMapping, InvalidFilterPatternError } from '../../../src/runtime/emulator';

const stream = fixtures();
const created = stream.insert({ orderId: 'a', createdAt: 1, status: 'NEW', total: 30, tags: ['vip', 'eu'] });
const shipped = stream.modify({ orderId: 'a', createdAt: 1, status: 'NEW' }, { orderId: 'a', createdAt: 1, status: 'SHIPPED' });
const removed = stream.remove({ orderId: 'a', createdAt: 1, status: 'SHIPPED' });
const expired = stream.ttlRemove({ orderId: 'b', createdAt: 2, status: 'NEW' });
const all = [created, shipped, removed, expired];

function kept(...patterns: Record<string, unknown>[]) {
  const filter = compileFilters(patterns)!;
  return all.filter((r) => filter(r));
}

describe('filter patterns (with-ddb-filtering)', () => {
  test('exact match on a top-level field', () => {
    expect(kept({ eventName: ['INSERT'] })).toEqual([created]);
  });

  test('typed leaves: a value is matched under its DynamoDB type', () => {
    expect(kept({ dynamodb: { NewImage: { status: { S: ['SHIPPED'] } } } })).toEqual([shipped]);
    // Without the type descriptor the pattern finds nothing.
    expect(kept({ dynamodb: { NewImage: { status: ['SHIPPED'] } } })).toEqual([]);
  });

  test('several filters are OR-ed', () => {
    expect(kept({ eventName: ['INSERT'] }, { eventName: ['REMOVE'] })).toEqual([created, removed, expired]);
  });

  test('numeric does not match N values, which are strings in the record', () => {
    expect(kept({ dynamodb: { NewImage: { total: { N: [{ numeric: ['>', 10] }] } } } })).toEqual([]);
    expect(kept({ dynamodb: { NewImage: { total: { N: ['30'] } } } })).toEqual([created]);
  });

  test('prefix, anything-but, exists, $or and set membership', () => {
    expect(kept({ dynamodb: { NewImage: { status: { S: [{ prefix: 'SHIP' }] } } } })).toEqual([shipped]);
    expect(kept({ eventName: [{ 'anything-but': ['INSERT', 'MODIFY'] }] })).toEqual([removed, expired]);
    expect(kept({ userIdentity: { principalId: ['dynamodb.amazonaws.com'] } })).toEqual([expired]);
    expect(kept({ eventName: ['REMOVE'], userIdentity: [{ exists: false }] })).toEqual([removed]);
    expect(kept({ $or: [{ eventName: ['INSERT'] }, { dynamodb: { NewImage: { status: { S: ['SHIPPED'] } } } }] })).toEqual([created, shipped]);
    expect(kept({ dynamodb: { NewImage: { tags: { L: { S: ['vip'] } } } } })).toEqual([]);
    expect(kept({ dynamodb: { NewImage: { tags: { L: [{ exists: true }] } } } })).toEqual([created]);
  });

  test('an unsupported operator fails, naming the path and the supported operators', () => {
    expect(() => compileFilters([{ eventName: [{ wildcard: 'I*' }] }])).toThrow(InvalidFilterPatternError);
    expect(() => compileFilters([{ eventName: [{ wildcard: 'I*' }] }])).toThrow(/filters\[0\]\.eventName: unsupported filter rule .*supported: exact values, prefix/);
  });

  test('filtered-out records are never invoked, count as FilteredOutEventCount and move the checkpoint', async () => {
    const trace = await emulateEventSourceMapping({ records: all, config: awsDefaults({ filters: [{ eventName: ['INSERT'] }] }), handler: () => undefined });
    expect(trace.invocations.flatMap((i) => i.event.Records)).toEqual([created]);
    expect(trace.metrics.filteredOutEvents).toBe(3);
    expect(trace.metrics.polledEvents).toBe(4);
    expect(Object.values(trace.checkpoints)).toEqual([seqOf(expired)]);
  });
});
