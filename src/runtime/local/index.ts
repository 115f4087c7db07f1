// The local runner's entry point: `ddb-stream-template/lib/runtime/local`.
//
// Its folders, in layers: each imports only from the ones before it, never from this folder's own files (this index)
// or from redrive/ and cli/, which sit above it. Shared by all: ../errors, ../config, ../records, ../emulator,
// ../tools and ./local-endpoint (constants, also read by src/project).
//   state/     the state folder: lock, checkpoints, failure files, durable writes, process identity
//   database/  DynamoDB Local, its clients, the tables, the idempotency table, and the session that owns them all
//   stream/    reading shards and polling the stream
//   pipeline/  one consumer's mapping: poller + engine + stores, its progress and repeated errors
//   runner/    the runner of several pipelines on one session, seeding, loading the user's modules
export {
  LocalRunnerError,
  UsageError,
  ModuleLoadError,
  JavaNotFoundError,
  DynamoDbLocalError,
  TableMismatchError,
  RecordConversionError,
  StateDirInUseError,
  StateDirResetError,
  StateFileError,
  RecordsUnavailableError,
  RedriveError,
  SeedItemsError,
} from '../errors';
export { checkJava, MINIMUM_JAVA_MAJOR } from './database/java';
export { freePort } from './database/ports';
export { localClients, type LocalClients } from './database/clients';
export { startDynamoDbLocal, type DynamoDbLocal, type DynamoDbLocalOptions } from './database/dynamodb-local';
export { ensureTable, type LocalTable } from './database/table';
export { openLocalSession, type LocalSession, type LocalSessionOptions } from './database/session';
export { sampleItem, seedChanges, seedItems, type SeedResult } from './runner/seed';
export { describeReach, describeSeed, seedReach, type ConsumerReach, type SeedChange, type SeedSummary } from './runner/seed-changes';
export { prepareSeedItems, readSeedItems, type SeedItemsContext, type SeedItemsFunction } from './runner/seed-items';
export { CheckpointStore, type CheckpointState, type ShardCheckpoint } from './state/checkpoint-store';
export { failureFilePath } from './state/failure-file';
export { ShardReader, type ShardPosition, type ShardPage } from './stream/shard-reader';
export { StreamPoller, type RecordSink, type PollerNotice } from './stream/stream-poller';
export { formatProgress, type ProgressFigures } from './pipeline/progress';
export { loadAppConfig, loadHandler } from './runner/module-loader';
export {
  startLocalRunner,
  startLocalRunners,
  selectConsumer,
  type LocalRunner,
  type LocalRunners,
  type LocalRunnerOptions,
  type LocalRunnersOptions,
  type LocalRunSummary,
  type SeedReport,
} from './runner/runner';
export { resetStateDir, prepareStateDir, STATE_MARKER } from './state/state-dir';
export { StateLock, liveHolder, type LockHolder } from './state/state-lock';
export { commandLineOf, isDynamoDbLocalOn } from './state/process-identity';
export { writeFileDurably, appendLinesDurably, parseJsonLines } from './state/durable-file';
