/**
 * Powertools' DynamoDB idempotency store on a DynamoDB Local of its own, with the table `npx projen local` creates.
 */
import { join } from 'path';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { freePort, localClients, startDynamoDbLocal, type DynamoDbLocal, type LocalClients } from '../../../src/runtime/local';
import { LOCAL_IDEMPOTENCY_TABLE, prepareIdempotencyStore } from '../../../src/runtime/local/database/idempotency-store';
import { tempDir } from '../local/helpers';

export interface LocalIdempotencyTable {
  readonly endpoint: string;
  readonly clients: LocalClients;
  /** A DynamoDB store on the table, as the generated module builds it under `npx projen local`. */
  store(): DynamoDBPersistenceLayer;
  stop(): Promise<void>;
}

export async function startLocalIdempotencyTable(): Promise<LocalIdempotencyTable> {
  const ddb: DynamoDbLocal = await startDynamoDbLocal({ dbPath: join(tempDir('idempotency-ddb'), 'ddb'), port: await freePort() });
  const clients = localClients(ddb.endpoint);
  const consumer = { idempotency: { expirySeconds: 3600 } } as Parameters<typeof prepareIdempotencyStore>[2][number];
  const restore = await prepareIdempotencyStore(clients.dynamodb, ddb.endpoint, [consumer]);
  return {
    endpoint: ddb.endpoint,
    clients,
    store: () =>
      new DynamoDBPersistenceLayer({
        tableName: LOCAL_IDEMPOTENCY_TABLE,
        clientConfig: { endpoint: ddb.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
      }),
    stop: async () => {
      restore();
      clients.destroy();
      await ddb.stop();
    },
  };
}
