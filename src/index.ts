export * from './project/ddb-stream-app';
export * from './project/enums';
export * from './project/options';
