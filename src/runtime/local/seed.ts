/**
 * `--seed N`: N sample items shaped by the table definition (key attributes and declared attributes, each with a
 * value of its declared type), so a fresh local table has something to stream without writing a script.
 * Values depend only on the index: seeding twice rewrites the same items (MODIFY events), it does not add more.
 */
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { AttributeConfig, TableConfig } from '../config';

export function sampleItem(table: TableConfig, index: number): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  const attributes = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : []), ...table.attributes];
  for (const attribute of attributes) item[attribute.name] ??= sampleValue(attribute, index);
  return item;
}

function sampleValue(attribute: AttributeConfig, index: number): AttributeValue {
  switch (attribute.type) {
    case 'S':
      return { S: `${attribute.name}-${String(index).padStart(6, '0')}` };
    case 'N':
      return { N: String(index) };
    case 'B':
      return { B: Buffer.from(`${attribute.name}-${index}`, 'utf8') };
    case 'BOOL':
      return { BOOL: index % 2 === 0 };
  }
}

/** Writes `count` sample items, 25 per BatchWriteItem, retrying what DynamoDB returns unprocessed. */
export async function seedItems(client: DynamoDBClient, tableName: string, table: TableConfig, count: number, first = 0): Promise<void> {
  for (let start = first; start < first + count; start += 25) {
    const end = Math.min(start + 25, first + count);
    let requests: WriteRequest[] = [];
    for (let i = start; i < end; i++) requests.push({ PutRequest: { Item: sampleItem(table, i) } });
    while (requests.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
      requests = out.UnprocessedItems?.[tableName] ?? [];
    }
  }
}
