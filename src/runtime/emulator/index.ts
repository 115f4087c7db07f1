export * from './clock';
export * from './emulate';
export * from './engine';
export * from './errors';
export { compileFilters, type RecordFilter } from './filters';
export { readResponse, type ResponseReading } from './response';
export { defaultRetryBackoffMs } from './policy';
export { validateConsumerConfig } from './validate';
export * from './types';
