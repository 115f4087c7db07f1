/**
 * `npx projen local` for consumers with `idempotency` on: Powertools' table lives in the same DynamoDB Local, and
 * the handler's process is told where through the variables the generated `src/generated/idempotency.ts` reads.
 */
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import {
  type AttributeValue,
  CreateTableCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { describeTable } from './table';
import type { ConsumerConfig } from '../../config';

/** One table for every consumer of the run: Powertools prefixes each key with the consumer's name. */
export const LOCAL_IDEMPOTENCY_TABLE = 'local-idempotency';
/** The variables the generated idempotency module reads: the table's name (the stack sets it too) and its endpoint. */
const TABLE_ENV = 'IDEMPOTENCY_TABLE_NAME';
const ENDPOINT_ENV = 'IDEMPOTENCY_TABLE_ENDPOINT';

/**
 * Creates the idempotency table (Powertools' schema: key `id`, expiry `expiration`) unless it exists, and points
 * this process's handlers at it. Only the idempotency store is redirected: the handler's own AWS clients are not.
 * Returns what restores the variables.
 */
export async function prepareIdempotencyStore(client: DynamoDBClient, endpoint: string, consumers: readonly ConsumerConfig[]): Promise<() => void> {
  if (!consumers.some((c) => c.idempotency)) return () => undefined;
  if (!(await describeTable(client, LOCAL_IDEMPOTENCY_TABLE))) {
    await client.send(
      new CreateTableCommand({
        TableName: LOCAL_IDEMPOTENCY_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: LOCAL_IDEMPOTENCY_TABLE, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiration' } }),
    );
  }
  const before = { table: process.env[TABLE_ENV], endpoint: process.env[ENDPOINT_ENV] };
  process.env[TABLE_ENV] = LOCAL_IDEMPOTENCY_TABLE;
  process.env[ENDPOINT_ENV] = endpoint;
  return () => {
    restore(TABLE_ENV, before.table);
    restore(ENDPOINT_ENV, before.endpoint);
  };
}

/**
 * After an unclean stop: a record the killed run was handling stays "in progress" in the idempotency table until
 * that invocation's deadline (its start plus the function's timeout), and its redelivery would fail with
 * IdempotencyAlreadyInProgressError until then. The state lock shows that no other process uses this state folder,
 * so those invocations have ended: their locks are released now, as their deadlines would release them. Completed
 * records are kept (that is the point). Returns how many were released.
 */
export async function releaseInterruptedLocks(client: DynamoDBClient): Promise<number> {
  let released = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: LOCAL_IDEMPOTENCY_TABLE,
        FilterExpression: '#status = :inProgress',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':inProgress': { S: 'INPROGRESS' } },
        ProjectionExpression: 'id',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      await client.send(new DeleteItemCommand({ TableName: LOCAL_IDEMPOTENCY_TABLE, Key: { id: item.id } }));
      released++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return released;
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
