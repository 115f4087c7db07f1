// The runtime kit: imported by generated repositories as `ddb-stream-template/lib/runtime`.
// Not part of the jsii API (src/index.ts does not export it).
//
// This entry point loads no AWS SDK client, so a generated repository's unit tests need nothing beyond the
// template. The local runner and redrive talk to DynamoDB Local and AWS: they have their own entry points,
// `ddb-stream-template/lib/runtime/local` and `ddb-stream-template/lib/runtime/redrive`, and their CLIs.
export * from './config';
export * from './records/types';
export * from './emulator';
export * from './explain';
export * from './records/fixtures';
export * from './records/convert';
