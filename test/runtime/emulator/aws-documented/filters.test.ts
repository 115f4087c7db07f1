// AWS-documented: event filtering. Each test names its page (AWS_PAGES, quoted in docs/aws-semantics.md) and
// asserts what the quoted sentence implies. AWS's recorded filter outcomes are replayed in ../aws-recorded.test.ts.
import { compileFilters, emulateEventSourceMapping } from '../../../../src/runtime/emulator';
import { AWS_PAGES, awsDefaults, fixtures, seqOf } from '../helpers';

const stream = fixtures();
const created = stream.insert({ orderId: 'a', createdAt: 1, status: 'NEW', total: 30, tags: ['vip', 'eu'], archived: false });
const shipped = stream.modify({ orderId: 'a', createdAt: 1, status: 'NEW' }, { orderId: 'a', createdAt: 1, status: 'SHIPPED' });
const removed = stream.remove({ orderId: 'a', createdAt: 1, status: 'SHIPPED' });
const expired = stream.ttlRemove({ orderId: 'b', createdAt: 2, status: 'NEW' });
const all = [created, shipped, removed, expired];

function kept(...patterns: Record<string, unknown>[]) {
  const filter = compileFilters(patterns)!;
  return all.filter((r) => filter(r));
}

describe(`with-ddb-filtering (${AWS_PAGES.ddbFiltering})`, () => {
  test('"To filter based on the key and attribute values in your DynamoDB table, use the dynamodb key in the record": values are matched under their DynamoDB type', () => {
    expect(kept({ dynamodb: { NewImage: { status: { S: ['SHIPPED'] } } } })).toEqual([shipped]);
    expect(kept({ dynamodb: { Keys: { orderId: { S: ['b'] } } } })).toEqual([expired]);
  });

  test('"Filtering with Boolean expressions": NewImage and OldImage conditions in one pattern must both hold', () => {
    expect(kept({ dynamodb: { NewImage: { status: { S: ['SHIPPED'] } }, OldImage: { status: { S: ['NEW'] } } } })).toEqual([shipped]);
    expect(kept({ dynamodb: { NewImage: { status: { S: ['SHIPPED'] } }, OldImage: { status: { S: ['SHIPPED'] } } } })).toEqual([]);
  });

  test('"DynamoDB event filtering doesn\'t support the use of numeric operators ... these parameters are converted to strings in the JSON record object"', () => {
    expect(kept({ dynamodb: { NewImage: { total: { N: [{ numeric: ['>', 10] }] } } } })).toEqual([]);
    expect(kept({ dynamodb: { NewImage: { total: { N: ['30'] } } } })).toEqual([created]);
  });

  test('"The Exists operator only works on leaf nodes in the event JSON, so if your filter pattern uses Exists to test for an intermediate node, it won\'t work": { tags: [exists] } never matches, { tags: { L: { S: [exists] } } } does', () => {
    expect(kept({ dynamodb: { NewImage: { tags: [{ exists: true }] } } })).toEqual([]);
    expect(kept({ dynamodb: { NewImage: { tags: { L: { S: [{ exists: true }] } } } } })).toEqual([created]);
    expect(kept({ dynamodb: { NewImage: { tags: { L: { S: ['vip'] } } } } })).toEqual([created]);
  });

  test('our reading of the same sentence for exists: false on an intermediate node: it never finds a value there, so every record matches (AWS recorded the same: aws-recorded.test.ts, exists_false_filter)', () => {
    expect(kept({ dynamodb: { NewImage: { status: [{ exists: false }] } } })).toEqual(all);
  });
});

describe(`EventBridge comparison operators (${AWS_PAGES.ebOperators})`, () => {
  test('"Exists matching works on the presence or absence of a field in the JSON of the event. Exists matching only works on leaf nodes": our reading: exists false on a leaf whose parent is absent matches', () => {
    // The pattern our own option syntax renders for "archived must not be set".
    const notArchived = { dynamodb: { NewImage: { archived: { BOOL: [{ exists: false }] } } } };
    expect(kept(notArchived)).toEqual([shipped, removed, expired]);
    expect(kept({ dynamodb: { NewImage: { archived: { BOOL: [{ exists: true }] } } } })).toEqual([created]);
  });

  test('"The preceding event pattern does NOT match the following event because it doesn\'t have a detail.state field": exists true on an absent field does not match', () => {
    expect(kept({ eventName: ['REMOVE'], userIdentity: { principalId: [{ exists: true }] } })).toEqual([expired]);
    expect(kept({ eventName: ['REMOVE'], userIdentity: { principalId: [{ exists: false }] } })).toEqual([removed]);
  });

  test('prefix, suffix, equals-ignore-case, anything-but, $or, value lists', () => {
    expect(kept({ dynamodb: { NewImage: { status: { S: [{ prefix: 'SHIP' }] } } } })).toEqual([shipped]);
    expect(kept({ dynamodb: { NewImage: { status: { S: [{ suffix: 'PED' }] } } } })).toEqual([shipped]);
    expect(kept({ eventName: [{ 'equals-ignore-case': 'insert' }] })).toEqual([created]);
    expect(kept({ eventName: [{ 'anything-but': ['INSERT', 'MODIFY'] }] })).toEqual([removed, expired]);
    expect(kept({ $or: [{ eventName: ['INSERT'] }, { dynamodb: { NewImage: { status: { S: ['SHIPPED'] } } } }] })).toEqual([created, shipped]);
    expect(kept({ eventName: ['INSERT', 'MODIFY'] })).toEqual([created, shipped]);
  });
});

describe(`invocation-eventfiltering (${AWS_PAGES.eventFiltering})`, () => {
  test('"Your filters are logically ORed together. If a record from your event source satisfies one or more of your filters, Lambda includes the record"', () => {
    expect(kept({ eventName: ['INSERT'] }, { eventName: ['REMOVE'] })).toEqual([created, removed, expired]);
  });

  test('"If none of your filters are satisfied, Lambda discards the record": never invoked, counted as FilteredOutEventCount (monitoring-metrics-types); our reading: checkpointed', async () => {
    const trace = await emulateEventSourceMapping({ records: all, config: awsDefaults({ filters: [{ eventName: ['INSERT'] }] }), handler: () => undefined });
    expect(trace.invocations.flatMap((i) => i.event.Records)).toEqual([created]);
    expect(trace.metrics.filteredOutEvents).toBe(3);
    expect(Object.values(trace.checkpoints)).toEqual([seqOf(expired)]);
  });
});

describe(`DynamoDB TTL and streams (${AWS_PAGES.ttl})`, () => {
  test('"Items that are deleted by the Time to Live process after expiration have the following fields": userIdentity type "Service", principalId "dynamodb.amazonaws.com"', async () => {
    const trace = await emulateEventSourceMapping({ records: [expired], config: awsDefaults(), handler: () => undefined });
    expect(trace.invocations[0].event.Records[0]).toMatchObject({ eventName: 'REMOVE', userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } });
  });
});
