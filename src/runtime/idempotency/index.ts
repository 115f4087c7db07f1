// The runtime kit's idempotency helpers: `ddb-stream-template/lib/runtime/idempotency`. An entry point of its own,
// so that only the tests of consumers with `idempotency` on load Powertools.
export { MemoryIdempotencyStore } from './memory-store';
