// The runtime kit: imported by generated repositories as `ddb-stream-template/lib/runtime`.
// Not part of the jsii API (src/index.ts does not export it).
export * from './config';
export * from './records/types';
export * from './emulator';
export * from './records/fixtures';
export * from './records/convert';
export * from './local';
export * from './redrive';
