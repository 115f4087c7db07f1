/**
 * What DynamoDB Local writes in ApproximateCreationDateTime, and what the local runner's reader makes of it. AWS
 * rounds it "down to the closest second" (API_streams_StreamRecord); DynamoDB Local rounds it down to the minute,
 * so without an estimate a record read a second after it was written could look 59 s old, and maxRecordAgeSeconds,
 * the iterator age and tumbling windows would act on that.
 */
import { join } from 'path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { tableConfig } from './fixtures/app-config';
import { tempDir } from './helpers';
import { type DynamoDbLocal, ensureTable, freePort, localClients, startDynamoDbLocal } from '../../../src/runtime/local';
import { ShardReader } from '../../../src/runtime/local/stream/shard-reader';
import { toLambdaRecord } from '../../../src/runtime/records/convert';

jest.setTimeout(120_000);

let ddb: DynamoDbLocal;
beforeAll(async () => {
  ddb = await startDynamoDbLocal({ dbPath: join(tempDir('creation-time-ddb'), 'ddb'), port: await freePort() });
});
afterAll(async () => {
  await ddb?.stop();
});

test('a record read as it arrives gets its creation second from the read, within the minute DynamoDB Local names', async () => {
  // GIVEN a table on DynamoDB Local and an item written to it
  const clients = localClients(ddb.endpoint);
  try {
    await ensureTable(clients.dynamodb, 'creation-time', tableConfig, tempDir('creation-time-state'));
    const writtenMs = Date.now();
    await clients.dynamodb.send(new PutItemCommand({ TableName: 'creation-time', Item: { pk: { S: 'a' }, version: { N: '1' } } }));

    // WHEN the runner's reader reads the shard from its start
    const { Streams } = await clients.streams.send(new ListStreamsCommand({ TableName: 'creation-time' }));
    const { StreamDescription } = await clients.streams.send(new DescribeStreamCommand({ StreamArn: Streams![0].StreamArn }));
    const reader = new ShardReader({
      streams: clients.streams,
      streamArn: Streams![0].StreamArn!,
      shardId: StreamDescription!.Shards![0].ShardId!,
      position: { type: 'TRIM_HORIZON' },
    });
    const page = await reader.next();
    const [sdk] = page.records;

    // THEN DynamoDB Local named the minute only (the premise of the estimate)
    const apiSeconds = sdk.dynamodb!.ApproximateCreationDateTime!.getTime() / 1000;
    expect(apiSeconds % 60).toBe(0);
    expect(apiSeconds).toBeGreaterThanOrEqual(Math.floor(writtenMs / 60_000) * 60);
    expect(apiSeconds).toBeLessThanOrEqual(Math.floor(page.readAtMs! / 60_000) * 60);
    // AND the record's creation second lies between the write and the read, in that minute
    const created = toLambdaRecord(sdk, { streamArn: Streams![0].StreamArn!, readAtMs: page.readAtMs }).dynamodb.ApproximateCreationDateTime;
    expect(created).toBeGreaterThanOrEqual(Math.max(apiSeconds, Math.floor(writtenMs / 1000)));
    expect(created).toBeLessThanOrEqual(Math.min(apiSeconds + 59, Math.floor(page.readAtMs! / 1000)));
  } finally {
    clients.destroy();
  }
});
