// The idempotency-on bundle: the same handlers, plus what swaps the store, in the same bundle as the generated
// idempotency module (a second bundle would hold a second copy of its store factory).
export * from './handler';
export { useIdempotencyStore } from 'GENERATED/idempotency';
export { MemoryIdempotencyStore } from '../../src/runtime/idempotency';
