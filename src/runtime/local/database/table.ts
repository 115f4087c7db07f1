/**
 * Creates the local table from the same {@link TableConfig} the stack deploys, or checks that the existing one
 * still matches it (a changed key schema or stream view type needs a fresh local database).
 */
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableConfig } from '../../config';
import { TableMismatchError } from '../../errors';

export interface LocalTable {
  readonly tableName: string;
  readonly streamArn: string;
  readonly created: boolean;
}

export async function ensureTable(client: DynamoDBClient, tableName: string, table: TableConfig, stateDir: string): Promise<LocalTable> {
  const existing = await describeTable(client, tableName);
  if (existing) {
    checkMatches(existing, tableName, table, stateDir);
    return { tableName, streamArn: existing.LatestStreamArn!, created: false };
  }
  const keys = table.sortKey ? [table.partitionKey, table.sortKey] : [table.partitionKey];
  const created = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      // Keys are S, N or B (validated by the project type); BOOL is allowed only for other attributes.
      AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type as 'S' | 'N' | 'B' })),
      KeySchema: keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
      StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType },
    }),
  );
  if (table.timeToLiveAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: table.timeToLiveAttribute } }),
    );
  }
  return { tableName, streamArn: created.TableDescription!.LatestStreamArn!, created: true };
}

/** The table's description, or undefined when there is no such table. */
export async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

function checkMatches(existing: TableDescription, tableName: string, table: TableConfig, stateDir: string): void {
  const fix =
    `start again with --reset, which deletes only the runner's state folder ${stateDir} (its table, checkpoints and ` +
    'failure files: redrive failures you still need first) and creates the table from the definition';
  const keyOf = (type: 'HASH' | 'RANGE') => existing.KeySchema?.find((k) => k.KeyType === type)?.AttributeName;
  const typeOf = (name: string | undefined) => existing.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
  const want = `${table.partitionKey.name} (${table.partitionKey.type})${table.sortKey ? `, ${table.sortKey.name} (${table.sortKey.type})` : ''}`;
  const pk = keyOf('HASH');
  const sk = keyOf('RANGE');
  const have = `${pk} (${typeOf(pk)})${sk ? `, ${sk} (${typeOf(sk)})` : ''}`;
  if (have !== want) {
    throw new TableMismatchError(`local table "${tableName}" has key schema ${have} but table.partitionKey/sortKey say ${want}: ${fix}`);
  }
  const stream = existing.StreamSpecification;
  if (!stream?.StreamEnabled || !existing.LatestStreamArn) {
    throw new TableMismatchError(`local table "${tableName}" has no stream enabled but table.streamViewType is ${table.streamViewType}: ${fix}`);
  }
  if (stream.StreamViewType !== table.streamViewType) {
    throw new TableMismatchError(
      `local table "${tableName}" streams ${stream.StreamViewType} but table.streamViewType is ${table.streamViewType}: ${fix}`,
    );
  }
}
