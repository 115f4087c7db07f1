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
} from '../errors';
export { checkJava, MINIMUM_JAVA_MAJOR } from './java';
export { freePort } from './ports';
export { localClients, type LocalClients } from './clients';
export { startDynamoDbLocal, type DynamoDbLocal, type DynamoDbLocalOptions } from './dynamodb-local';
export { ensureTable, type LocalTable } from './table';
export { describeSeed, sampleItem, seedChanges, seedItems, type SeedSummary } from './seed';
export { CheckpointStore, type CheckpointState, type ShardCheckpoint } from './checkpoint-store';
export { failureFilePath } from './failure-file';
export { ShardReader, type ShardPosition, type ShardPage } from './shard-reader';
export { StreamPoller, type RecordSink, type PollerNotice } from './stream-poller';
export { formatProgress, type ProgressFigures } from './progress';
export { loadAppConfig, loadHandler } from './module-loader';
export {
  startLocalRunner,
  startLocalRunners,
  selectConsumer,
  type LocalRunner,
  type LocalRunners,
  type LocalRunnerOptions,
  type LocalRunnersOptions,
  type LocalRunSummary,
} from './runner';
export { resetStateDir, prepareStateDir, STATE_MARKER } from './state-dir';
export { StateLock, liveHolder, type LockHolder } from './state-lock';
export { commandLineOf, isDynamoDbLocalOn } from './process-identity';
export { writeFileDurably, appendLinesDurably, parseJsonLines } from './durable-file';
