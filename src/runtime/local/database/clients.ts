// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories install the AWS SDK clients (the project type adds them)
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local-endpoint';

export interface LocalClients {
  readonly endpoint: string;
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  destroy(): void;
}

/**
 * Clients for a DynamoDB Local endpoint, with the region and keys every client of it uses (see ../local-endpoint.ts).
 */
export function localClients(endpoint: string): LocalClients {
  const config = {
    endpoint,
    region: LOCAL_REGION,
    credentials: { ...LOCAL_CREDENTIALS },
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
