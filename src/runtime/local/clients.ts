// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

export interface LocalClients {
  readonly endpoint: string;
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  destroy(): void;
}

/**
 * Clients for a DynamoDB Local endpoint. DynamoDB Local accepts any credentials; fixed ones keep the SDK from
 * searching the machine's profiles, and `-sharedDb` makes region and keys irrelevant to which tables are seen.
 */
export function localClients(endpoint: string): LocalClients {
  const config = {
    endpoint,
    region: 'ddblocal',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  };
  const dynamodb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  return {
    endpoint,
    dynamodb,
    streams,
    destroy: () => {
      dynamodb.destroy();
      streams.destroy();
    },
  };
}
