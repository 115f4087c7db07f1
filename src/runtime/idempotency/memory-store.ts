/**
 * Powertools' idempotency store in memory, for unit tests of a consumer with `idempotency` on: no table, no Java.
 */
// eslint-disable-next-line import/no-extraneous-dependencies -- generated repositories with idempotency on depend on it (the project type adds it)
import { IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError, IdempotencyRecordStatus } from '@aws-lambda-powertools/idempotency';
// eslint-disable-next-line import/no-extraneous-dependencies
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';

/**
 * Powertools for AWS Lambda (TypeScript) ships stores for DynamoDB and Redis/Valkey, none in memory. This one keeps
 * the records in a Map and takes a key under the condition of DynamoDBPersistenceLayer's PutItem: the key is absent,
 * or expired, or in progress past its in-progress expiry. The same scenarios run against both stores, the DynamoDB
 * one on DynamoDB Local (test/runtime/idempotency/stores.integration.test.ts in this package).
 */
export class MemoryIdempotencyStore extends BasePersistenceLayer {
  private readonly records = new Map<string, IdempotencyRecord>();

  /** Records held, by status: what a test reads to see that a record completed. */
  public get statuses(): ReadonlyMap<string, string> {
    return new Map([...this.records].map(([key, record]) => [key, record.getStatus()]));
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const record = this.records.get(idempotencyKey);
    if (!record) throw new IdempotencyItemNotFoundError();
    return record;
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.records.get(record.idempotencyKey);
    if (existing && !takeable(existing, Date.now())) {
      throw new IdempotencyItemAlreadyExistsError(`Failed to put record for already existing idempotency key: ${record.idempotencyKey}`, existing);
    }
    this.records.set(record.idempotencyKey, record);
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, record);
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }
}

/** DynamoDBPersistenceLayer's condition: `#expiry < :now OR (#status = INPROGRESS AND #in_progress_expiry < :now_in_millis)`. */
function takeable(existing: IdempotencyRecord, nowMs: number): boolean {
  if (existing.expiryTimestamp !== undefined && existing.expiryTimestamp < nowMs / 1000) return true;
  return (
    existing.getStatus() === IdempotencyRecordStatus.INPROGRESS &&
    existing.inProgressExpiryTimestamp !== undefined &&
    existing.inProgressExpiryTimestamp < nowMs
  );
}
