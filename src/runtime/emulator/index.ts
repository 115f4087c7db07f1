export * from './clock';
export * from './emulate';
export * from './engine';
export {
  EmulatorError,
  InvalidConsumerConfigError,
  InvalidEmulatorOptionError,
  InvalidFilterPatternError,
  InvalidRecordError,
  ShardLineageError,
  InvocationLimitError,
  FixtureError,
} from '../errors';
export { compileFilters, type RecordFilter } from './filters';
export { readResponse, type ResponseReading } from './response';
export { defaultRetryBackoffMs } from './policy';
export { validateConsumerConfig } from './validate';
export * from './types';
