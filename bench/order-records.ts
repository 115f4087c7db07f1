// The records the handler benchmarks feed: an orders table (key orderId + createdAt, NEW_AND_OLD_IMAGES) whose items
// have a few attributes, a map and a list; a third each inserts, modifications and removals.
import { StreamFixtures } from '../src/runtime/records/fixtures';
import type { DynamoDBStreamRecord } from '../src/runtime/records/types';

function orderItem(i: number, version: number) {
  return {
    orderId: `order-${i % 50}`,
    createdAt: 1767225600 + i,
    status: version === 0 ? 'NEW' : 'PAID',
    total: 10 + i + version,
    customer: { id: `c-${i % 7}`, tier: 'gold', tags: ['a', 'b'] },
    lines: [{ sku: 'x', qty: 1 }, { sku: 'y', qty: 2 }],
    paid: version > 0,
  };
}

/** `count` order changes numbered from `firstSequenceNumber` (new eventIDs for each new first number). */
export function orderRecords(count: number, firstSequenceNumber?: bigint): DynamoDBStreamRecord[] {
  const stream = new StreamFixtures({
    table: { partitionKey: { name: 'orderId', type: 'S' }, sortKey: { name: 'createdAt', type: 'N' }, attributes: [], streamViewType: 'NEW_AND_OLD_IMAGES' },
    ...(firstSequenceNumber === undefined ? {} : { firstSequenceNumber }),
  });
  const records: DynamoDBStreamRecord[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) records.push(stream.insert(orderItem(i, 0)));
    else if (i % 3 === 1) records.push(stream.modify(orderItem(i, 0), orderItem(i, 1)));
    else records.push(stream.remove(orderItem(i, 1)));
  }
  return records;
}
