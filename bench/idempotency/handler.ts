// The "bench" consumer's generated contract with two kinds of user logic, bundled once per rendering (idempotency on,
// idempotency off). `GENERATED` is resolved by the bench to that rendering's src/generated folder.
// eslint-disable-next-line import/no-extraneous-dependencies -- external in the bundle, as NodejsFunction leaves it: the Lambda runtime has it
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { defineBenchHandler } from 'GENERATED/bench/contract';
import type { Change } from 'GENERATED/changes';
import { seen, summingCallbacks } from '../handler/summing-callbacks';

export { seen };

let client: DynamoDBClient | undefined;

/** The kind of side effect idempotency is for: one write per record, to a table on the same DynamoDB Local. */
async function writeOne(change: Change): Promise<void> {
  client ??= new DynamoDBClient({
    endpoint: process.env.BENCH_SIDE_EFFECT_ENDPOINT,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(
    new PutItemCommand({
      TableName: process.env.BENCH_SIDE_EFFECT_TABLE,
      Item: { id: { S: change.record.eventID ?? '' }, orderId: { S: String(change.keys.orderId) }, kind: { S: change.eventName } },
    }),
  );
  seen.count++;
}

export const handlers = {
  /** In stream order, the contract's default for parallelizationFactor 1. */
  pure: defineBenchHandler(summingCallbacks),
  writing: defineBenchHandler({ onInsert: writeOne, onModify: writeOne, onRemove: writeOne }),
};

export function closeClients(): void {
  client?.destroy();
  client = undefined;
}
